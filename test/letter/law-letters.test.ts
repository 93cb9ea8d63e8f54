/**
 * The law in the letter (SPEC §5.4, §6), read back with pdftotext: for each basis and each kind
 * of extension, in Finnish and Swedish, the letter states the day, the act that gives it and who
 * pays; an extension is told apart from the statutory day. Under turvakielto no letter or copy
 * states a contact detail of the youth or names the youth's municipality, and the embedded file
 * carries none either.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/domain/rules/index.js';
import { renderLetter } from '../../src/letter/cover-letter.js';
import { renderYouthCopy } from '../../src/letter/youth-copy.js';
import type { Handover } from '../../src/schema/types.js';
import { validateSchema } from '../../src/schema/validator.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const read = (p: string): Handover => JSON.parse(readFileSync(p, 'utf8')) as Handover;
const base = read(join(import.meta.dirname, 'fixtures', 'aftercare.handover.json'));
const integrationExample = read(join(ROOT, 'templates', 'examples', 'integration-support.handover.json'));

const pdfText = (pdf: Uint8Array): string => {
  const path = join(tempDir('handover-law-'), 'x.pdf');
  writeFileSync(path, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(
    /[\s\u00a0]+/g,
    ' ',
  );
};
const letter = async (doc: Handover, lang: 'fi' | 'sv') =>
  pdfText(await renderLetter(doc, { lang, fileBytes: new TextEncoder().encode(JSON.stringify(doc)) }));

/** A 1.2 aftercare file: the letter fixture with the entitlement and dates of a case. */
function aftercare(o: {
  created?: string;
  birthDate?: string;
  hetu?: string;
  entitlement: Record<string, unknown>;
}): Handover {
  const d = structuredClone(base) as Handover & Record<string, any>;
  d.schemaVersion = '1.2';
  if (o.created) d.createdAt = o.created;
  if (o.birthDate) {
    d.youth.birthDate = o.birthDate;
    delete d.youth.personalIdentityCode;
  }
  d.youth.homeMunicipalityChanges = true;
  d.entitlement = { payer: 'sender', ...o.entitlement } as Handover['entitlement'];
  for (const s of d.services) if (s.period) s.period = { from: '2026-04-01', to: '2026-05-31' };
  return d;
}

const CASES: {
  name: string;
  doc: () => Handover;
  fi: (string | RegExp)[];
  sv: (string | RegExp)[];
}[] = [
  {
    name: 'custody placement, still a client',
    doc: () =>
      aftercare({
        entitlement: { basis: 'custody-placement', placementEndedOn: '2024-05-01', endsOn: '2029-05-01' },
      }),
    fi: [
      '1.5.2029',
      'täyttää 23 vuotta 2.5.2029 (LsL 75 § 3 mom., 1283/2023)',
      'Jälkihuollon kustannuksista vastaa hyvinvointialue, joka vastasi sijaishuollon kustannuksista (lastensuojelulaki 16 a § 3 mom.): Pirkanmaan hyvinvointialue.',
      'vastaa siksi jälkihuollon järjestämisestä nuoren uuden kotikunnan hyvinvointialueena (lastensuojelulaki 16 § 1 mom.)',
      'ei voi rajata velvollisuutta maksaa välttämättömästä jälkihuollosta',
    ],
    sv: [
      '1.5.2029',
      'fyller 23 år den 2.5.2029 (BSL 75 § 3 mom., 1283/2023)',
      'För kostnaderna för eftervården svarar det välfärdsområde som svarat för kostnaderna för vården utom hemmet (barnskyddslagen 16 a § 3 mom.): Birkalands välfärdsområde.',
      'kan inte begränsa skyldigheten att betala för nödvändig eftervård',
    ],
  },
  {
    name: 'open-care placement, the home municipality stays',
    doc: () => {
      const d = aftercare({
        entitlement: {
          basis: 'open-care-placement',
          placementStartedOn: '2022-01-10',
          placementEndedOn: '2024-05-01',
          placedAlone: true,
          homeMunicipalityAtEnd: '837',
          endsOn: '2029-05-01',
        },
      });
      d.youth.homeMunicipalityChanges = false;
      return d;
    },
    fi: [
      'hyvinvointialue, jonka alueella lapsen kotikunta oli sijoituksen päättyessä (lastensuojelulaki 16 a § 3 mom.): Pirkanmaan hyvinvointialue.',
      'on oikeutettu perimään kustannukset lähettäjältä (16 b § 1 mom.)',
    ],
    sv: [
      'det välfärdsområde inom vars område barnet hade sin hemkommun då placeringen upphörde (barnskyddslagen 16 a § 3 mom.): Birkalands välfärdsområde.',
      'är placeringsvälfärdsområde',
      '(16 b § 1 mom.)',
    ],
  },
  {
    name: 'discretionary aftercare',
    doc: () =>
      aftercare({
        entitlement: {
          basis: 'discretionary',
          placementStartedOn: '2024-01-10',
          placementEndedOn: '2024-05-01',
          endsOn: '2029-05-01',
        },
      }),
    fi: [
      'harkinnanvarainen jälkihuolto',
      '(LsL 75 § 2 mom. ja 6 §, 1283/2023)',
      'Harkinnanvaraisen jälkihuollon kustannuksista vastaa hyvinvointialue, joka teki jälkihuoltopäätöksen (lastensuojelulaki 16 a § 3 mom.): Pirkanmaan hyvinvointialue.',
    ],
    sv: [
      'eftervård enligt prövning',
      '(BSL 75 § 2 mom. och 6 §, 1283/2023)',
      'För kostnaderna för eftervård enligt prövning svarar det välfärdsområde där beslutet om eftervården fattats',
    ],
  },
  {
    name: 'own policy after the statutory day',
    doc: () =>
      aftercare({
        created: '2026-03-01T10:00:00+02:00',
        birthDate: '2003-06-01',
        entitlement: {
          basis: 'custody-placement',
          placementEndedOn: '2021-05-31',
          endsOn: '2028-05-31',
          extension: { kind: 'own-policy', reference: 'AH 12.3.2025 § 40' },
        },
      }),
    fi: [
      /Lain mukainen viimeinen päivä 31\.5\.2026/,
      /Tuki jatkuu enintään 31\.5\.2028/,
      'täyttää 23 vuotta 1.6.2026 (LsL 75 § 3 mom., 1283/2023)',
      'Se on lähettäjän oma tarjous',
      'eikä se sido vastaanottajaa tai muuta järjestäjää',
    ],
    sv: [
      /Sista dagen enligt lag 31\.5\.2026/,
      'Det är avsändarens eget erbjudande',
      'binder inte mottagaren eller någon annan anordnare',
    ],
  },
  {
    name: 'a decision under the transition of 1283/2023',
    doc: () =>
      aftercare({
        birthDate: '2002-01-10',
        entitlement: {
          basis: 'custody-placement',
          placementStartedOn: '2015-08-15',
          placementEndedOn: '2019-12-01',
          endsOn: '2027-01-09',
          extension: {
            kind: 'transitional-decision',
            reference: 'PIRHA/LS/2023/812',
            decidedOn: '2023-11-15',
          },
        },
      }),
    fi: [
      /Lain mukainen viimeinen päivä 9\.1\.2025/,
      'Lain 1283/2023 voimaantulosäännöksen 2 momentin mukaan hyvinvointialueen on järjestettävä tukitoimet päätöksen mukaisesti',
      'PIRHA/LS/2023/812, 15.11.2023',
    ],
    sv: [/Sista dagen enligt lag 9\.1\.2025/, '2 mom. i ikraftträdandebestämmelsen i lag 1283/2023'],
  },
  {
    name: 'integration support under act 681/2023',
    doc: () => {
      const d = structuredClone(integrationExample) as Handover & Record<string, any>;
      d.schemaVersion = '1.2';
      d.createdAt = '2026-01-15T10:00:00+02:00';
      d.consent.givenOn = '2026-01-10';
      d.youth.birthDate = '2005-01-10';
      delete d.youth.personalIdentityCode;
      d.entitlement.endsOn = '2028-01-09';
      return d;
    },
    fi: [
      '9.1.2028',
      '(laki kotoutumisen edistämisestä 681/2023, 34 § 2 mom., 322/2024)',
      'siihen asti, kun nuori täyttää 23 vuotta (laki 681/2023, 69 §)',
      'KEHA-keskukselta',
    ],
    sv: ['9.1.2028', '(lagen om främjande av integration 681/2023, 34 § 2 mom., 322/2024)', 'KEHA-centret'],
  },
  {
    name: 'integration support, a decision under the transition of 323/2024',
    doc: () => {
      const d = structuredClone(integrationExample) as Handover & Record<string, any>;
      d.schemaVersion = '1.2';
      d.createdAt = '2024-09-01T10:00:00+03:00';
      d.consent.givenOn = '2024-08-20';
      d.youth.birthDate = '2001-05-01';
      delete d.youth.personalIdentityCode;
      d.entitlement.endsOn = '2026-04-30';
      d.entitlement.extension = {
        kind: 'transitional-decision',
        reference: 'SOS 12/2024',
        decidedOn: '2024-03-01',
      };
      return d;
    },
    fi: [
      /Lakisääteinen oikeus päättyy 30\.4\.2024/,
      'Lain 323/2024 voimaantulosäännöksen mukaan',
      'emme lupaa korvausta näille kustannuksille',
      'tukea kotoutumislain 1386/2010 27 §:n mukaisesti',
      '(kotoutumislaki 1386/2010, 49 §)',
    ],
    sv: [
      'övergångsbestämmelsen i lag 323/2024',
      'vi utlovar ingen ersättning för dem',
      'enligt 27 § i integrationslagen 1386/2010',
    ],
  },
];

describe.each(CASES)('the letter for $name', ({ doc, fi, sv }) => {
  it('is a valid 1.2 file whose only findings are warnings', () => {
    const d = doc();
    expect(validateSchema('handover', d)).toEqual([]);
    expect(runRules(d).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it.each([
    ['fi', fi],
    ['sv', sv],
  ] as const)('in %s states the day, the act and the payer', async (lang, expected) => {
    const text = await letter(doc(), lang);
    for (const e of expected) {
      if (typeof e === 'string') expect(text).toContain(e);
      else expect(text).toMatch(e);
    }
    // Acts, never bills; consent is the permission of act 703/2023.
    expect(text).not.toMatch(/\b(HE|RP) \d+\/\d{4}/);
    expect(text).not.toMatch(/suostumu|samtyck/i);
    expect(text).not.toContain('subjektiivinen');
  });
});

describe('under turvakielto', () => {
  /** A 1.2 file as the interview writes it: no contact, no new municipality. */
  const hidden = (): Handover => {
    const d = structuredClone(base) as Handover & Record<string, any>;
    d.schemaVersion = '1.2';
    d.youth.nonDisclosure = true;
    delete d.youth.contact;
    delete d.youth.newMunicipalityCode;
    // Free text is the worker's: the fixture's note names the town, which no rule can see.
    d.notes = 'Nuori aloittaa opinnot syksyllä.';
    return d;
  };
  const YOUTH_DETAILS = [
    '+358 50 000 0003',
    'aino.testinen@example.org',
    'Testgränd',
    '64200',
    'Närpes',
    'Närpiö',
  ];

  it.each(['fi', 'sv'] as const)(
    'the %s letter and the youth copy state no contact detail or residence of the youth',
    async (lang) => {
      const d = hidden();
      expect(runRules(d).filter((f) => f.severity === 'error')).toEqual([]);
      const bytes = new TextEncoder().encode(JSON.stringify(d));
      const cover = pdfText(await renderLetter(d, { lang, fileBytes: bytes }));
      const copy = pdfText(await renderYouthCopy(d, { lang, fileBytes: bytes }));
      for (const text of [cover, copy]) for (const s of YOUTH_DETAILS) expect(text).not.toContain(s);
      expect(cover).toContain(lang === 'fi' ? 'väestötietojärjestelmästä' : 'befolkningsdatasystemet');
      expect(cover).toContain('661/2009, 37 §');
      // What the letter says is true of the file inside it.
      const embedded = JSON.parse(new TextDecoder().decode(bytes));
      expect(embedded.youth.contact).toBeUndefined();
      expect(embedded.youth.newMunicipalityCode).toBeUndefined();
    },
  );

  it('an older file that still names the new municipality does not get it printed', async () => {
    const d = structuredClone(base) as Handover & Record<string, any>;
    d.youth.nonDisclosure = true;
    delete d.youth.contact;
    d.notes = 'Nuori aloittaa opinnot syksyllä.';
    for (const lang of ['fi', 'sv'] as const) {
      const bytes = new TextEncoder().encode(JSON.stringify(d));
      const cover = pdfText(await renderLetter(d, { lang, fileBytes: bytes }));
      const copy = pdfText(await renderYouthCopy(d, { lang, fileBytes: bytes }));
      for (const text of [cover, copy]) {
        expect(text).not.toContain('Närpes');
        expect(text).not.toContain('Närpiö');
      }
    }
  });

  it('a file with a contact detail is refused by NON_DISCLOSURE_CONTACT', () => {
    const d = hidden() as Handover & Record<string, any>;
    d.youth.contact = { phone: '+358 50 000 0003' };
    expect(runRules(d).map((f) => f.rule)).toContain('NON_DISCLOSURE_CONTACT');
  });
});

describe("the youth's copy", () => {
  it('never offers the receiver’s support past the statutory day of an own policy', async () => {
    const d = CASES.find((c) => c.name === 'own policy after the statutory day')!.doc();
    for (const lang of ['fi', 'sv'] as const) {
      const copy = pdfText(
        await renderYouthCopy(d, { lang, fileBytes: new TextEncoder().encode(JSON.stringify(d)) }),
      );
      expect(copy).toContain('31.5.2026');
      expect(copy).not.toContain('31.5.2028');
    }
  });
});

describe("the youth's copy: asking again", () => {
  const copyOf = async (d: Handover, lang: 'fi' | 'en') =>
    pdfText(await renderYouthCopy(d, { lang, fileBytes: new TextEncoder().encode(JSON.stringify(d)) }));

  it('promises no day to ask again that has already passed (support under a transitional decision)', async () => {
    const d = CASES.find((c) => c.name === 'a decision under the transition of 1283/2023')!.doc();
    const copy = await copyOf(d, 'en');
    expect(copy).not.toContain('until 9.1.2025');
    expect(copy).toContain('you can ask for it again later');
  });

  it('promises no right to ask again for discretionary aftercare', async () => {
    const d = CASES.find((c) => c.name === 'discretionary aftercare')!.doc();
    const copy = await copyOf(d, 'fi');
    expect(copy).not.toMatch(/voit pyytää sitä uudelleen \d/);
  });

  it('still gives the day where the right lasts and the youth may ask again', async () => {
    const d = CASES.find((c) => c.name === 'custody placement, still a client')!.doc();
    expect(await copyOf(d, 'en')).toMatch(/you can ask for it again until \d/);
  });
});
