/**
 * `handover show`: a readable summary of a handover, receipt or withdrawal notice. The file
 * may be a draft or fail validation: whatever is there is shown, nothing is required.
 */

import { EXIT, HandoverError } from '../../core/errors.js';
import { unwrapArrival } from '../../documents/unwrap.js';
import { type Catalogue, loadCatalogue } from '../../domain/catalogue.js';
import { helsinkiDate } from '../../domain/dates.js';
import { lastDayOfRight, readExtension } from '../../domain/law.js';
import { municipalityName } from '../../domain/municipalities.js';
import { type Lang, t } from '../../i18n/index.js';
import { lastDayReasonText } from '../../i18n/law.js';
import { sha256Hex } from '../../io/hash.js';
import { parseJson } from '../../io/json-source.js';
import { sniffContainer } from '../../io/names.js';
import { readLimited } from '../../io/read-document.js';
import { loadSigningIdentity, type PinSource } from '../../keystore/index.js';
import { keyableYouth } from '../../register/disclosures.js';
import { logDocumentUse } from '../../register/index.js';
import type { Handover } from '../../schema/types.js';
import type { HandoverSummary, PartySummary, PersonSummary, ShowResult } from './types.js';

export interface ShowOptions {
  file: string;
  /** Size limit of the input in bytes (--max-size); default 5 MiB. */
  maxBytes?: number;
  lang: Lang;
  /** Catalogue with the organisation's additions, for service names. */
  catalogue?: Catalogue;
  /** Our key for a sealed `.p7m` (default: the configured one), and how a token's PIN is asked. */
  keyAlias?: string;
  pin?: PinSource;
  /** Log the showing as a use of the youth's data (SPEC §12); the command does, a library call need not. */
  logUse?: boolean;
}

export type {
  HandoverSummary,
  PartySummary,
  PersonSummary,
  ReceiptSummary,
  ServiceSummary,
  ShowResult,
  WithdrawalSummary,
} from './types.js';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const o = (v: unknown, k: string): J | undefined => (isObj(v) && isObj(v[k]) ? (v[k] as J) : undefined);
const s = (v: unknown, k: string): string | undefined =>
  isObj(v) && typeof v[k] === 'string' ? (v[k] as string) : undefined;
const n = (v: unknown, k: string): number | undefined =>
  isObj(v) && typeof v[k] === 'number' ? (v[k] as number) : undefined;
const b = (v: unknown, k: string): boolean | undefined =>
  isObj(v) && typeof v[k] === 'boolean' ? (v[k] as boolean) : undefined;
const list = (v: unknown, k: string): unknown[] =>
  isObj(v) && Array.isArray(v[k]) ? (v[k] as unknown[]) : [];
const strings = (v: unknown, k: string): string[] =>
  list(v, k).filter((x): x is string => typeof x === 'string');

/** Drops undefined members, so that --json prints only what the file has. */
function compact<T extends object>(x: T): T {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;
}

const ERRORS = { unreadable: 'show.FILE_UNREADABLE', invalidCode: 'JSON_PARSE', invalid: 'show.JSON_PARSE' };

/**
 * The document in a file as it arrives (SPEC §6, §9): plain JSON, a cover-letter PDF with the
 * handover attached, or a sealed `.p7m` (opened with our key), as `import` and `open` take them.
 */
async function readDocument(file: string, opts: ShowOptions): Promise<{ value: unknown; bytes: Uint8Array }> {
  const bytes = readLimited(file, opts.maxBytes, { key: ERRORS.unreadable });
  // show prints what a file holds: a letter's own signature is judged by verify and import.
  const plain =
    sniffContainer(bytes, file) === 'json'
      ? bytes
      : (
          await unwrapArrival(
            file,
            bytes,
            () => loadSigningIdentity(opts.keyAlias, undefined, opts.pin ? { pin: opts.pin } : {}),
            opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {},
          )
        ).json;
  if (plain === 'no-attachment')
    throw new HandoverError('PDF_NO_ATTACHMENT', EXIT.invalid, { key: 'rules.PDF_NO_ATTACHMENT' });
  const parsed = parseJson(plain);
  if (!parsed.ok)
    throw new HandoverError('JSON_PARSE', EXIT.invalid, {
      key: ERRORS.invalid,
      vars: { file },
      details: [
        {
          rule: 'JSON_PARSE',
          pointer: parsed.problem.pointer,
          line: parsed.problem.line,
          column: parsed.problem.column,
        },
      ],
    });
  return { value: parsed.value, bytes: plain };
}

const person = (p: J | undefined): PersonSummary | undefined =>
  p && compact({ name: s(p, 'name'), title: s(p, 'title'), email: s(p, 'email'), phone: s(p, 'phone') });

function party(p: J | undefined, lang: Lang): PartySummary | undefined {
  if (!p) return undefined;
  const org = o(p, 'organization');
  const code = s(org, 'municipalityCode');
  return compact({
    name: s(org, 'name'),
    businessId: s(org, 'businessId'),
    unit: s(org, 'unit'),
    municipalityCode: code,
    municipality: municipalityName(code, lang),
    email: s(org, 'email'),
    phone: s(org, 'phone'),
    contact: person(o(p, 'contact')),
    backupContact: person(o(p, 'backupContact')),
    billing: billing(o(p, 'billing')),
  });
}

const billing = (bl: J | undefined): PartySummary['billing'] =>
  bl &&
  compact({
    eInvoiceAddress: s(bl, 'eInvoiceAddress'),
    operator: s(bl, 'operator'),
    reference: s(bl, 'reference'),
    email: s(bl, 'email'),
  });

/** The members of format 1.1 about the reply, the signatory, decisions and payment. */
function formatOneOne(
  doc: J,
): Pick<HandoverSummary, 'replyBy' | 'signatory' | 'decisions' | 'paymentCommitment'> {
  const sig = o(doc, 'signatory');
  const pc = o(doc, 'paymentCommitment');
  return {
    replyBy: s(doc, 'replyBy'),
    signatory: sig && compact({ name: s(sig, 'name'), title: s(sig, 'title') }),
    decisions:
      isObj(doc) && Array.isArray(doc.decisions)
        ? list(doc, 'decisions')
            .filter(isObj)
            .map((d) =>
              compact({ date: s(d, 'date'), subject: s(d, 'subject'), reference: s(d, 'reference') }),
            )
        : undefined,
    paymentCommitment:
      pc &&
      compact({
        from: s(pc, 'from'),
        to: s(pc, 'to'),
        maxAmountEur: n(pc, 'maxAmountEur'),
        decisionReference: s(pc, 'decisionReference'),
      }),
  };
}

const address = (a: J | undefined): string | undefined =>
  a &&
  [s(a, 'street'), [s(a, 'postalCode'), s(a, 'city')].filter(Boolean).join(' '), s(a, 'country')]
    .filter((x) => x !== undefined && x !== '')
    .join(', ');

function handoverSummary(doc: J, file: string, lang: Lang, catalogue: Catalogue): HandoverSummary {
  const youth = o(doc, 'youth');
  const name = o(youth, 'name');
  const nonDisclosure = b(youth, 'nonDisclosure') === true;
  const yc = o(youth, 'contact');
  const consent = o(doc, 'consent');
  const ent = o(doc, 'entitlement');
  const plan = o(doc, 'clientPlan');
  const meeting = o(doc, 'meeting');
  const newCode = s(youth, 'newMunicipalityCode');
  const right =
    ent &&
    lastDayOfRight({
      type: doc.type,
      birthDate: youth?.birthDate,
      createdAt: doc.createdAt,
      basis: ent.basis,
      placementEndedOn: ent.placementEndedOn,
      lastClientOn: ent.lastClientOn,
      extension: readExtension(ent),
    });
  const extension = readExtension(ent);
  return compact({
    kind: 'handover' as const,
    file,
    id: s(doc, 'id'),
    type: s(doc, 'type'),
    caseReference: s(doc, 'caseReference'),
    createdAt: s(doc, 'createdAt'),
    createdOn: helsinkiDate(doc.createdAt),
    language: s(doc, 'language'),
    ...formatOneOne(doc),
    sender: party(o(doc, 'sender'), lang),
    recipient: party(o(doc, 'recipient'), lang),
    youth:
      youth &&
      compact({
        givenName: s(name, 'given'),
        familyName: s(name, 'family'),
        birthDate: s(youth, 'birthDate'),
        personalIdentityCode: s(youth, 'personalIdentityCode'),
        // Turvakielto covers the place of residence too (661/2009 36 §): not even `show` names it.
        newMunicipalityCode: nonDisclosure ? undefined : newCode,
        newMunicipality: nonDisclosure ? undefined : municipalityName(newCode, lang),
        homeMunicipalityChanges: b(youth, 'homeMunicipalityChanges'),
        movingDate: s(youth, 'movingDate'),
        preferredLanguage: s(youth, 'preferredLanguage'),
        interpreter: s(youth, 'interpreter'),
        wantsServices: s(youth, 'wantsServices'),
        wishes: s(youth, 'wishes'),
        nonDisclosure,
        contact:
          yc && !nonDisclosure
            ? compact({
                phone: s(yc, 'phone'),
                email: s(yc, 'email'),
                address: address(o(yc, 'address')),
              })
            : undefined,
      }),
    consent:
      consent &&
      compact({
        basis: s(consent, 'basis'),
        givenOn: s(consent, 'givenOn'),
        method: s(consent, 'method'),
        givenBy: s(consent, 'givenBy'),
        recordedBy: s(consent, 'recordedBy'),
        statutoryReference: s(consent, 'statutoryReference'),
        scope: strings(consent, 'scope'),
      }),
    entitlement:
      ent &&
      compact({
        basis: s(ent, 'basis'),
        placementStartedOn: s(ent, 'placementStartedOn'),
        placementEndedOn: s(ent, 'placementEndedOn'),
        placedAlone: b(ent, 'placedAlone'),
        lastClientOn: s(ent, 'lastClientOn'),
        endsOn: s(ent, 'endsOn'),
        lastDayByLaw: right ? right.lastDay : undefined,
        lastDayReason: right ? lastDayReasonText(right, lang, s(ent, 'endsOn')) : undefined,
        lastDayCitation: right?.citation.fi ? right.citation[lang] : undefined,
        statutoryLastDay: right?.reason === 'extension' ? right.statutory.lastDay : undefined,
        extension: extension && compact({ ...extension }),
        homeMunicipalityAtEnd: s(ent, 'homeMunicipalityAtEnd'),
        discretionary: b(ent, 'discretionary'),
        policyReference: s(ent, 'policyReference'),
        payer: s(ent, 'payer'),
        payerRule:
          doc.type === 'integration-support'
            ? t('show.payerRule.integration-support', lang)
            : ent.basis === 'open-care-placement' ||
                ent.basis === 'discretionary' ||
                ent.basis === 'custody-placement'
              ? t(`show.payerRule.${ent.basis}`, lang)
              : undefined,
        reimbursementDecision: s(ent, 'reimbursementDecision'),
      }),
    clientPlan:
      plan &&
      compact({
        date: s(plan, 'date'),
        reviewDue: s(plan, 'reviewDue'),
        goals: list(plan, 'goals')
          .filter(isObj)
          .map((g) =>
            compact({
              id: s(g, 'id'),
              text: s(g, 'text'),
              categories: list(g, 'categories').length ? strings(g, 'categories') : undefined,
            }),
          ),
      }),
    services: list(doc, 'services')
      .filter(isObj)
      .map((sv) => {
        const code = s(sv, 'code');
        const pr = o(sv, 'pricing');
        const period = o(sv, 'period');
        return compact({
          id: s(sv, 'id'),
          code,
          name: code === undefined ? undefined : catalogue.get(code)?.name[lang],
          description: s(sv, 'description'),
          classification: s(sv, 'classification'),
          provider: s(sv, 'provider'),
          payer: s(sv, 'payer'),
          pricing:
            pr &&
            compact({
              unit: s(pr, 'unit'),
              unitPriceEur: n(pr, 'unitPriceEur'),
              estimatedUnits: n(pr, 'estimatedUnits'),
            }),
          period: period && compact({ from: s(period, 'from'), to: s(period, 'to') }),
          clientPlanGoal: s(sv, 'clientPlanGoal'),
          categories: list(sv, 'categories').length ? strings(sv, 'categories') : undefined,
        });
      }),
    meeting:
      meeting &&
      compact({
        channel: s(meeting, 'channel'),
        location: s(meeting, 'location'),
        slots: list(meeting, 'slots')
          .filter(isObj)
          .map((sl) => compact({ start: s(sl, 'start'), end: s(sl, 'end') })),
        agenda: strings(meeting, 'agenda'),
      }),
    notes: s(doc, 'notes'),
    supersedes: s(doc, 'supersedes'),
    signed: o(doc, 'signature') !== undefined,
  });
}

/** Reads a handover, receipt or withdrawal file and summarises it. */
export async function showDocument(opts: ShowOptions): Promise<ShowResult> {
  const { value: doc, bytes } = await readDocument(opts.file, opts);
  if (!isObj(doc))
    throw new HandoverError('NOT_A_DOCUMENT', EXIT.invalid, {
      key: 'show.NOT_A_DOCUMENT',
      vars: { file: opts.file },
    });
  // Whatever the file was (JSON, a letter, a sealed one), the use is of the document inside.
  if (opts.logUse && typeof doc.id === 'string' && keyableYouth(doc.youth))
    await logDocumentUse(doc as unknown as Handover, ['show'], sha256Hex(bytes));
  const signed = o(doc, 'signature') !== undefined;
  if (doc.kind === 'receipt')
    return compact({
      kind: 'receipt' as const,
      file: opts.file,
      id: s(doc, 'id'),
      handoverId: s(doc, 'handoverId'),
      handoverSha256: s(doc, 'handoverSha256'),
      receivedAt: s(doc, 'receivedAt'),
      receiver: party(o(doc, 'receiver'), opts.lang),
      outcome: s(doc, 'outcome'),
      reasons: list(doc, 'reasons')
        .filter(isObj)
        .map((r) => compact({ rule: s(r, 'rule'), pointer: s(r, 'pointer') })),
      signed,
    });
  if (doc.kind === 'withdrawal')
    return compact({
      kind: 'withdrawal' as const,
      file: opts.file,
      id: s(doc, 'id'),
      handoverId: s(doc, 'handoverId'),
      reason: s(doc, 'reason'),
      withdrawnAt: s(doc, 'withdrawnAt'),
      sender: party(o(doc, 'sender'), opts.lang),
      signed,
    });
  if (doc.kind !== undefined)
    throw new HandoverError('NOT_A_DOCUMENT', EXIT.invalid, {
      key: 'show.NOT_A_DOCUMENT',
      vars: { file: opts.file },
    });
  return handoverSummary(doc, opts.file, opts.lang, opts.catalogue ?? loadCatalogue());
}

/** The catalogue with the organisation's additions (config `services`), for the command to pass in. */
export { loadCatalogue } from '../../domain/catalogue.js';
export { renderShow } from './render.js';
