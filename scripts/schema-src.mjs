// Source of the newest format version (SPEC §5.6). `npm run gen` writes from it
// schemas/<kind>-<VERSION>.schema.json and the unversioned schemas/<kind>.schema.json (the same
// bytes), so that the three documents share one definition of Party, Person and the string
// shapes; CI regenerates and fails on a difference. Older versions are frozen files in
// schemas/ that nothing regenerates (scripts/gen-types.mjs checks their SHA-256): to publish a
// new minor version, freeze the current one there, then bump VERSION and edit this file.
export const VERSION = '1.2';
const BASE = `urn:fi:handover:schema:${VERSION}:`;

// Trimmed, non-empty, single-line text.
const line = (max, description) => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: '^\\S(?:.*\\S)?$',
  ...(description ? { description } : {}),
});
// Trimmed, non-empty text that may span lines.
const text = (max, description) => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: '^\\S(?:[\\s\\S]*\\S)?$',
  ...(description ? { description } : {}),
});
// Identifiers whose format is owned by a rule (HETU_INVALID, BUSINESS_ID_INVALID, …), so
// that a bad value gets one code: the schema only bounds the length.
const ruled = (description) => ({ type: 'string', maxLength: 64, description });
const date = (description) => ({ type: 'string', format: 'date', description });
const dateTime = (description) => ({ type: 'string', format: 'date-time', description });
const obj = (properties, required, description) => ({
  type: 'object',
  ...(description ? { description } : {}),
  additionalProperties: false,
  ...(required.length ? { required } : {}),
  properties,
});

const CATEGORIES = [
  'identity',
  'contact',
  'entitlement',
  'clientPlan',
  'services',
  'health',
  'substanceUse',
  'education',
  'finances',
];

const shared = {
  Category: {
    description: "A category of the youth's data, used for the consent scope (tietoryhmä).",
    enum: CATEGORIES,
  },
  Categories: {
    type: 'array',
    items: { $ref: '#/$defs/Category' },
    uniqueItems: true,
    minItems: 1,
    maxItems: 9,
  },
  Language: { description: 'ISO 639-1 language code.', type: 'string', pattern: '^[a-z]{2}$' },
  Address: obj(
    {
      street: line(200, 'Street address (katuosoite).'),
      postalCode: {
        type: 'string',
        pattern: '^[0-9]{5}$',
        description: 'Postal code, 5 digits (postinumero).',
      },
      city: line(100, 'Post office or city (postitoimipaikka).'),
      country: {
        type: 'string',
        pattern: '^[A-Z]{2}$',
        default: 'FI',
        description: 'ISO 3166-1 alpha-2 country code; FI when absent.',
      },
    },
    ['street', 'postalCode', 'city'],
    'A postal address (osoite).',
  ),
  Email: { type: 'string', format: 'email', maxLength: 254, description: 'E-mail address (sähköposti).' },
  Phone: {
    type: 'string',
    pattern: '^\\+?[0-9][0-9 ()-]{4,30}$',
    description: 'Telephone number (puhelinnumero).',
  },
  Person: {
    ...obj(
      {
        name: line(200, 'Full name (nimi).'),
        title: line(200, 'Job title (tehtävänimike), e.g. sosiaalityöntekijä.'),
        email: { $ref: '#/$defs/Email' },
        phone: { $ref: '#/$defs/Phone' },
      },
      ['name'],
      'A contact person (yhteyshenkilö); at least one of email and phone.',
    ),
    anyOf: [{ required: ['email'] }, { required: ['phone'] }],
  },
  Organization: obj(
    {
      name: line(300, 'Name of the organisation (organisaation nimi).'),
      businessId: ruled('Business ID (Y-tunnus) NNNNNNN-T; checked by rule BUSINESS_ID_INVALID.'),
      oid: {
        type: 'string',
        pattern: '^[0-2](?:\\.(?:0|[1-9][0-9]*))+$',
        maxLength: 128,
        description: 'OID in the SOTE organisation register (SOTE-organisaatiorekisteri).',
      },
      municipalityCode: ruled(
        'Municipality number (kuntanumero), 3 digits; checked by rule MUNICIPALITY_UNKNOWN.',
      ),
      unit: line(300, 'Unit or team (yksikkö).'),
      address: { $ref: '#/$defs/Address' },
      email: { $ref: '#/$defs/Email' },
      phone: { $ref: '#/$defs/Phone' },
    },
    ['name', 'businessId'],
    'The organisation (organisaatio).',
  ),
  Party: obj(
    {
      organization: { $ref: '#/$defs/Organization' },
      contact: { $ref: '#/$defs/Person' },
      backupContact: { $ref: '#/$defs/Person' },
      billing: {
        ...obj(
          {
            eInvoiceAddress: line(64, 'E-invoice address (verkkolaskuosoite), e.g. an OVT code.'),
            operator: line(64, 'E-invoice operator ID (välittäjätunnus).'),
            reference: line(100, 'Reference to quote on invoices, e.g. a cost centre (viite).'),
            email: { $ref: '#/$defs/Email', description: 'Where invoices go by e-mail.' },
          },
          [],
          'Where invoices to this party go (laskutustiedot); at least one member (1.1).',
        ),
        minProperties: 1,
      },
    },
    ['organization'],
    'An organisation with its contact persons (osapuoli).',
  ),
  Signature: obj(
    {
      jws: {
        type: 'string',
        maxLength: 65536,
        pattern: '^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+$',
        description:
          'Detached JWS over the RFC 8785 canonical form of the document without this member: "<protected>..<signature>".',
      },
      timestamp: {
        type: 'string',
        minLength: 4,
        maxLength: 65536,
        pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
        description:
          'RFC 3161 TimeStampToken (base64 DER) over the ASCII bytes of the JWS signature segment (1.1).',
      },
    },
    ['jws'],
    'Embedded signature (allekirjoitus).',
  ),
};

const common = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
};

export const handover = {
  ...common,
  $id: `${BASE}handover`,
  title: 'Handover of a child-welfare aftercare case (jälkihuollon siirto)',
  description:
    "A machine-readable handover of a young person's aftercare or integration-support case from the sending organisation to the receiving one.",
  ...obj(
    {
      schemaVersion: { const: VERSION, description: 'Version of this format.' },
      id: { type: 'string', format: 'uuid', description: 'Identifier of this handover (UUID).' },
      caseReference: line(100, "The sender's own case or record number (diaarinumero)."),
      replyBy: date(
        'The day by which the receiver is asked to confirm receipt and name the responsible worker (vastausaika; 1.1).',
      ),
      signatory: obj(
        { name: line(200, 'Full name (nimi).'), title: line(200, 'Title (virkanimike).') },
        ['name', 'title'],
        'The official who signs for the sender, named in the letter (allekirjoittaja; 1.1).',
      ),
      decisions: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        description:
          'Decisions in force that the receiver needs, e.g. the aftercare decision (päätökset; 1.1).',
        items: obj(
          {
            date: date('Date of the decision.'),
            subject: line(300, 'What was decided.'),
            reference: line(100, 'Record number of the decision (diaarinumero).'),
          },
          ['date', 'subject'],
        ),
      },
      paymentCommitment: obj(
        {
          from: date('First day covered.'),
          to: date('Last day covered; open-ended when absent.'),
          maxAmountEur: {
            type: 'number',
            minimum: 0,
            maximum: 10000000,
            description: 'Ceiling of the commitment in euros.',
          },
          decisionReference: line(300, 'The decision that grants the commitment.'),
        },
        ['from'],
        "The sender's commitment to pay for the aftercare services it pays (maksusitoumus; 1.1).",
      ),
      type: {
        enum: ['aftercare', 'integration-support'],
        description:
          'aftercare (jälkihuolto, LsL 75 §) or integration-support (aikuistumisen tuki, Integration Act).',
      },
      createdAt: dateTime('When the handover was made, with offset (luontiaika).'),
      language: { enum: ['fi', 'sv', 'en'], description: 'Language of the free-text fields.' },
      sender: {
        type: 'object',
        $ref: '#/$defs/Party',
        required: ['organization', 'contact'],
        description: 'The sending organisation (lähettäjä); a contact person is required.',
      },
      recipient: { $ref: '#/$defs/Party', description: 'The receiving organisation (vastaanottaja).' },
      youth: {
        // 1.2: under turvakielto the new municipality may be left out (it names the residence).
        if: { properties: { nonDisclosure: { const: true } }, required: ['nonDisclosure'] },
        else: { required: ['newMunicipalityCode'] },
        ...obj(
          {
            name: obj(
              { given: line(200, 'Given names (etunimet).'), family: line(200, 'Family name (sukunimi).') },
              ['given', 'family'],
              'Name of the youth.',
            ),
            birthDate: date('Date of birth (syntymäaika).'),
            personalIdentityCode: ruled(
              'Personal identity code (henkilötunnus) DDMMYYCNNNQ; checked by rule HETU_INVALID.',
            ),
            newMunicipalityCode: ruled(
              'Code of the new municipality of residence (uusi kotikunta), 3 digits; may be omitted under turvakielto (1.2).',
            ),
            movingDate: date('Moving date (muuttopäivä).'),
            preferredLanguage: {
              $ref: '#/$defs/Language',
              description: "The youth's preferred language (asiointikieli), ISO 639-1.",
            },
            contact: obj(
              {
                phone: { $ref: '#/$defs/Phone' },
                email: { $ref: '#/$defs/Email' },
                address: { $ref: '#/$defs/Address' },
              },
              [],
              "The youth's own contact details (yhteystiedot).",
            ),
            wishes: text(2000, "The youth's own wishes in their words (nuoren toiveet)."),
            wantsServices: {
              enum: ['yes', 'no', 'undecided'],
              description: 'Does the youth want aftercare in the new place.',
            },
            nonDisclosure: {
              type: 'boolean',
              description:
                'Non-disclosure marking (turvakielto, act 661/2009 36 §): the file then carries no contact detail of the youth (rule NON_DISCLOSURE_CONTACT), and no output names the place of residence.',
            },
            homeMunicipalityChanges: {
              type: 'boolean',
              description:
                "Does the youth's home municipality (kotikunta) change with the move: then the receiver becomes the organiser (LsL 16 §); else it arranges in cooperation with the responsible organiser (16 b §) (1.2).",
            },
            interpreter: {
              $ref: '#/$defs/Language',
              description: 'Language of an interpreter the youth needs (tulkki), ISO 639-1.',
            },
          },
          ['name', 'birthDate'],
          'The young person (nuori).',
        ),
      },
      consent: obj(
        {
          basis: {
            enum: ['consent', 'statutory'],
            description:
              "the client's permission to disclose (luovutuslupa, act 703/2023 55 §) or a statutory basis (lakiin perustuva oikeus).",
          },
          givenOn: date('Date the consent was given.'),
          method: { enum: ['written', 'oral', 'electronic'], description: 'How the consent was given.' },
          givenBy: {
            enum: ['youth', 'guardian', 'youth-and-guardian'],
            description:
              'Who consented; required when the youth is under 18 at createdAt (huoltaja = guardian).',
          },
          recordedBy: line(200, 'Who recorded the consent or the basis (kirjaaja).'),
          scope: { $ref: '#/$defs/Categories', description: 'Data categories that may be disclosed.' },
          statutoryReference: line(
            300,
            'The provision that allows disclosure without consent, e.g. LsL 25 d §.',
          ),
        },
        ['basis', 'recordedBy', 'scope'],
        'The basis for disclosing the data (luovutusperuste).',
      ),
      entitlement: obj(
        {
          basis: {
            enum: ['custody-placement', 'open-care-placement', 'unaccompanied-minor', 'discretionary'],
            description:
              'What the right rests on: substitute care after a care order (sijaishuolto), an open-care placement (avohuollon sijoitus), the Integration Act (681/2023 34 §), or discretionary aftercare (harkinnanvarainen jälkihuolto, LsL 75 § 2 mom.; 1.2).',
          },
          placementStartedOn: date('Start of the placement (sijoituksen alku).'),
          placementEndedOn: date('End of the placement (sijoituksen päättyminen).'),
          placedAlone: { type: 'boolean', description: 'Open-care placement: was the child placed alone.' },
          lastClientOn: date(
            'Last day as a child-welfare client after the placement, aftercare included; given only when that client relationship has ended (absent: a client on createdAt).',
          ),
          endsOn: date('Last day of the right (jälkihuollon päättyminen).'),
          extension: obj(
            {
              kind: {
                enum: ['transitional-decision', 'own-policy'],
                description:
                  "transitional-decision: a support decision made before a reduction of the age limit, carried out as decided (1283/2023, 323/2024); own-policy: the sender's own offer after the statutory day, not binding on the receiver.",
              },
              reference: line(300, 'The decision or policy (its record number or name).'),
              decidedOn: date(
                'Date of the decision; required for a transitional decision (rule ENTITLEMENT_EXTENSION).',
              ),
            },
            ['kind', 'reference'],
            'Support past the statutory day (jatko lakisääteisen päivän jälkeen; 1.2).',
          ),
          homeMunicipalityAtEnd: ruled(
            "Open-care placement: the child's home municipality (kotikunta) when the placement ended, 3 digits; its organiser pays (LsL 16 a § 3 mom.; 1.2).",
          ),
          payer: {
            enum: ['sender', 'recipient'],
            description:
              'Who pays (kustannusvastuu): for aftercare as LsL 16 a § 3 mom. says; for integration support the organiser that arranges it in the new place.',
          },
          reimbursementDecision: line(
            300,
            "Integration support: the state's reimbursement decision (681/2023 69 § 4 mom.).",
          ),
        },
        ['basis', 'placementEndedOn', 'endsOn', 'payer'],
        'The right to aftercare or integration support (oikeus jälkihuoltoon).',
      ),
      clientPlan: obj(
        {
          date: date('Date of the client plan (asiakassuunnitelma).'),
          reviewDue: date('When the plan is to be reviewed.'),
          goals: {
            type: 'array',
            maxItems: 100,
            description: 'Goals of the plan.',
            items: obj(
              {
                id: line(64, 'Identifier of the goal, unique in the plan.'),
                text: text(2000, 'The goal.'),
                categories: { $ref: '#/$defs/Categories' },
              },
              ['id', 'text'],
            ),
          },
        },
        ['date', 'goals'],
        'The client plan (asiakassuunnitelma).',
      ),
      services: {
        type: 'array',
        maxItems: 200,
        description: 'Services in place or proposed (palvelut); may be empty.',
        items: obj(
          {
            id: line(64, 'Identifier of the service, unique in the file.'),
            code: ruled('Code in the service catalogue; checked by rule SERVICE_CODE_UNKNOWN.'),
            description: text(2000, 'What the service is, and why a default was changed.'),
            classification: {
              enum: ['aftercare', 'basic', 'needs-agreement', 'youth-funds'],
              description:
                "aftercare (billable), basic (the new municipality's own service), needs-agreement, or youth-funds (the youth's own saved funds, never billed; 1.1).",
            },
            provider: {
              enum: ['sender', 'recipient', 'purchased'],
              description: 'Who provides the service (tuottaja).',
            },
            payer: { enum: ['sender', 'recipient', 'undecided'], description: 'Who pays (maksaja).' },
            pricing: obj(
              {
                unit: { enum: ['hour', 'visit', 'month', 'lump-sum'] },
                unitPriceEur: { type: 'number', minimum: 0, maximum: 10000000 },
                estimatedUnits: { type: 'number', exclusiveMinimum: 0, maximum: 100000 },
              },
              ['unit', 'unitPriceEur'],
              'Price basis (hinnoitteluperuste).',
            ),
            period: obj({ from: date(), to: date() }, ['from'], 'When the service runs.'),
            clientPlanGoal: line(64, 'Id of the client-plan goal the service serves.'),
            categories: { $ref: '#/$defs/Categories' },
          },
          ['id', 'code', 'classification', 'provider', 'payer'],
        ),
      },
      meeting: obj(
        {
          slots: {
            type: 'array',
            minItems: 1,
            maxItems: 20,
            description: 'Proposed times.',
            items: obj({ start: dateTime(), end: dateTime() }, ['start', 'end']),
          },
          channel: { enum: ['teams', 'phone', 'in-person', 'video'] },
          location: line(300, 'Where, or the meeting link.'),
          agenda: { type: 'array', maxItems: 50, items: line(500) },
        },
        ['slots', 'channel'],
        'Proposed joint client-plan meeting (yhteinen asiakassuunnitelmaneuvottelu).',
      ),
      notes: text(4000, 'Free-text notes (lisätiedot).'),
      supersedes: {
        type: 'string',
        format: 'uuid',
        description: 'Id of an earlier handover that this one corrects.',
      },
      signature: { $ref: '#/$defs/Signature' },
    },
    [
      'schemaVersion',
      'id',
      'type',
      'createdAt',
      'language',
      'sender',
      'recipient',
      'youth',
      'consent',
      'services',
    ],
  ),
  $defs: shared,
};

const RULE_CODE = { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}$' };

export const receipt = {
  ...common,
  $id: `${BASE}receipt`,
  title: 'Receipt for a handover (kuittaus)',
  description:
    'Signed acknowledgement that the receiving organisation got a handover, and whether it accepted it.',
  ...obj(
    {
      kind: { const: 'receipt' },
      schemaVersion: { const: VERSION },
      id: { type: 'string', format: 'uuid', description: 'Identifier of this receipt.' },
      handoverId: { type: 'string', format: 'uuid', description: 'Id of the handover received.' },
      handoverSha256: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        description: 'SHA-256 of the handover file as received (hex).',
      },
      receivedAt: dateTime('When it was received.'),
      receiver: {
        $ref: '#/$defs/Party',
        description:
          'The receiving organisation; its contact is the worker who will be responsible, when known.',
      },
      outcome: { enum: ['accepted', 'rejected'] },
      reasons: {
        type: 'array',
        maxItems: 500,
        description: 'Rule codes that led to a rejection.',
        items: obj({ rule: RULE_CODE, pointer: { type: 'string', maxLength: 1000 } }, ['rule']),
      },
      signature: { $ref: '#/$defs/Signature' },
    },
    ['kind', 'schemaVersion', 'id', 'handoverId', 'handoverSha256', 'receivedAt', 'receiver', 'outcome'],
  ),
  if: { properties: { outcome: { const: 'rejected' } } },
  // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword
  then: { required: ['reasons'] },
  $defs: shared,
};

export const withdrawal = {
  ...common,
  $id: `${BASE}withdrawal`,
  title: 'Withdrawal of a handover (peruutus)',
  description:
    'Signed notice that a handover already sent is withdrawn, e.g. because the youth withdrew consent.',
  ...obj(
    {
      kind: { const: 'withdrawal' },
      schemaVersion: { const: VERSION },
      id: { type: 'string', format: 'uuid' },
      handoverId: { type: 'string', format: 'uuid', description: 'Id of the handover withdrawn.' },
      reason: text(2000, 'Why it is withdrawn.'),
      withdrawnAt: dateTime('When it was withdrawn.'),
      sender: { $ref: '#/$defs/Party', description: 'The sending organisation that withdraws it.' },
      signature: { $ref: '#/$defs/Signature' },
    },
    ['kind', 'schemaVersion', 'id', 'handoverId', 'reason', 'withdrawnAt', 'sender'],
  ),
  $defs: shared,
};

export const CATEGORY_LIST = CATEGORIES;
