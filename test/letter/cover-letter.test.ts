import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseLetterLanguage, letterMunicipalityCode } from '../../src/domain/language.js';
import { renderLetter } from '../../src/letter/cover-letter.js';

const letterLanguage = (doc: Handover) =>
  chooseLetterLanguage({ municipalityCode: letterMunicipalityCode(doc) });

import type { Handover } from '../../src/schema/types.js';
import { tempDir } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'aftercare.handover.json');
const fixtureBytes = readFileSync(FIXTURE);
const base = (): Handover => JSON.parse(fixtureBytes.toString('utf8')) as Handover;
/** The same youth moving to Tampere (Finnish-speaking) instead of Närpes. */
const toTampere = (d: Handover): Handover => {
  d.recipient.organization = {
    name: 'Pirkanmaan hyvinvointialue, Tampereen jälkihuolto',
    businessId: '2082259-7',
    municipalityCode: '837',
  };
  d.youth.newMunicipalityCode = '837';
  return d;
};

let dir: string;
beforeAll(() => {
  dir = tempDir('handover-letter-');
});

async function render(doc: Handover, lang: 'fi' | 'sv' | 'en', name: string) {
  const bytes = new TextEncoder().encode(JSON.stringify(doc, null, 2));
  const pdf = await renderLetter(doc, { lang, fileBytes: bytes });
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  // No-break spaces (an amount with its unit, a phone number) read as spaces here.
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(
    /\u00a0/g,
    ' ',
  );
  return { pdf, path, text, bytes };
}

const pageText = (path: string, page: number): string =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' });

describe('letter language', () => {
  it('is Swedish for a Swedish-majority municipality and Finnish for a Finnish one', () => {
    expect(letterLanguage(base())).toBe('sv');
    expect(letterLanguage(toTampere(base()))).toBe('fi');
    const helsinki = base();
    helsinki.recipient.organization.municipalityCode = '091';
    expect(letterLanguage(helsinki)).toBe('fi');
    const noOrgCode = base();
    delete noOrgCode.recipient.organization.municipalityCode;
    noOrgCode.youth.newMunicipalityCode = '710';
    expect(letterLanguage(noOrgCode)).toBe('sv');
  });
});

describe('the Swedish letter', () => {
  it('carries the confidentiality marking, the youth in scope, services and the meeting', async () => {
    const { text } = await render(base(), 'sv', 'sv');
    for (const s of [
      'SEKRETESSBELAGD',
      '24 § 1 mom. 25 punkten i offentlighetslagen',
      'Diarienummer: PIRHA/1234/05.01.00/2026',
      'Aino Åsa Testinen-Öhman',
      '020506A9373',
      'Testgränd 7 A 3',
      'Tjänster',
      'stödperson',
      'mentalvårdstjänster: klassificering och betalare',
      'Förslag till gemensamt möte om klientplanen',
      'tis 10.3.2026 9.00–10.00',
      'förvaltningsdomstolen',
      'utse den arbetstagare som ansvarar för den unga',
      'Sida 1 / ',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('passes qpdf --check and pdfdetach returns the attached file byte for byte', async () => {
    const { path, bytes } = await render(base(), 'sv', 'detach');
    expect(execFileSync('qpdf', ['--check', path], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors',
    );
    const out = tempDir('handover-detach-');
    execFileSync('pdfdetach', ['-saveall', '-o', out, path]);
    const files = readdirSync(out);
    expect(files).toEqual(['20260302-3f6c2a9e.handover.json']);
    expect(Buffer.compare(readFileSync(join(out, files[0]!)), Buffer.from(bytes))).toBe(0);
  });
});

describe('the Finnish letter', () => {
  it('carries the Finnish texts and the footer with id and SHA-256', async () => {
    const doc = toTampere(base());
    const { text, bytes } = await render(doc, 'fi', 'fi');
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    for (const s of [
      'SALASSA PIDETTÄVÄ',
      'JulkL (621/1999) 24 § 1 mom. 25 k',
      'Jälkihuollon asiakkuuden siirto ja yhteistyöpyyntö',
      'Henkilötunnus',
      'tukihenkilö',
      '(laskutettava)',
      'Ehdotus yhteiseksi asiakassuunnitelmaneuvotteluksi',
      'hallinto-oikeudessa',
      'nimetkää nuoren asioista vastaava työntekijä',
      `Siirto ${doc.id}`,
      sha,
      'Sivu 1 / ',
    ]) {
      expect(text).toContain(s);
    }
  });
});

describe('an integration-support handover (the bundled example)', () => {
  it('names the right, the Integration Act and the reimbursement decision', async () => {
    const example = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '..', '..', 'templates', 'examples', 'integration-support.handover.json'),
        'utf8',
      ),
    ) as Handover;
    const lang = letterLanguage(example);
    const { text } = await render(example, 'fi', 'integration');
    expect(lang).toBe('sv'); // Korsholm (499) is bilingual with a Swedish majority
    for (const s of ['KEHA/1234/2026']) {
      expect(text).toContain(s);
    }
    // A right until 23 under act 681/2023, reimbursed by the state until 23; no ten-year cap.
    const words = text.replace(/\s+/g, ' ');
    expect(words).toContain(
      'Alaikäisenä ilman huoltajaa maahan tulleen nuoren tuen siirto ja yhteistyöpyyntö',
    );
    expect(words).toContain(
      'Nuorella on oikeus tukeen yksilöllisen tarpeensa mukaan siihen asti, kun hän täyttää 23 vuotta',
    );
    expect(words).toContain('69 § 3 mom.');
    expect(words).toContain('KEHA-keskukselta');
    expect(words).not.toContain('subjektiivinen');
    expect(words).not.toMatch(/kymmenen vuoden ajalta/);
    expect(text).not.toContain('16 b §');
    // The one sentence that names aftercare says that this is not it.
    const flat = text.replace(/\s+/g, ' ');
    expect(flat.replace(/Tuki ei ole lastensuojelun jälkihuoltoa\./, '')).not.toMatch(/jälkihuol/i);
  });
});

describe('data minimisation', () => {
  it('never shows the address under a non-disclosure marking and says why', async () => {
    const doc = base();
    doc.youth.nonDisclosure = true;
    const { text } = await render(doc, 'sv', 'nondisclosure');
    expect(text).not.toContain('Testgränd');
    expect(text).not.toContain('64200');
    expect(text).toContain('spärrmarkering');
    const fi = await render(toTampere(doc), 'fi', 'nondisclosure-fi');
    expect(fi.text).toContain('turvakielto');
    expect(fi.text).not.toContain('Testgränd');
  });

  it('shows no identity code and no contact details when they are outside the scope', async () => {
    const doc = base();
    doc.consent.scope = ['entitlement', 'services'];
    const { text } = await render(doc, 'fi', 'scope');
    expect(text).not.toContain('020506A9373');
    expect(text).not.toContain('+358 50 000 0003');
    expect(text).not.toContain('aino.testinen@example.org');
    expect(text).not.toContain('Oma vuokra-asunto'); // client plan not in scope
    expect(text).toContain('tukihenkilö');
  });
});

describe('characters the font cannot draw', () => {
  it('draws a decomposed å as å and an emoji as ?, never the .notdef glyph', async () => {
    const doc = base();
    doc.notes = 'Muuttaa Va\u030aasaan 🙂 pian.';
    const { text } = await render(doc, 'fi', 'glyphs');
    expect(text).toContain('Muuttaa Våasaan ? pian.');
  });
});

describe('a long services table', () => {
  it('continues across pages with the header repeated and page numbers x / y', async () => {
    const doc = base();
    const codes = ['aftercare-social-work', 'support-person', 'healthcare', 'student-welfare', 'dental-care'];
    doc.consent.scope.push('education');
    doc.services = Array.from({ length: 60 }, (_, i) => ({
      id: `s${i + 1}`,
      code: codes[i % codes.length]!,
      description: `rivi ${i + 1}`,
      classification: 'basic' as const,
      provider: 'recipient' as const,
      payer: 'recipient' as const,
    }));
    const { path, text } = await render(doc, 'sv', 'long');
    const pages = Number(/Sida 1 \/ (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let p = 1; p <= pages; p++) expect(pageText(path, p)).toContain(`Sida ${p} / ${pages}`);
    // The header row is repeated on every page where the table continues.
    const withRows = Array.from({ length: pages }, (_, i) => i + 1).filter((p) =>
      /rivi \d/.test(pageText(path, p)),
    );
    expect(withRows.length).toBeGreaterThanOrEqual(2);
    for (const p of withRows) expect(pageText(path, p)).toContain('Prissättningsgrund');
    expect(pageText(path, withRows.at(-1)!)).toContain('rivi 60');
    expect(text).toContain('rivi 60');
  });
});

describe('PDF/A-3 structure and determinism', () => {
  it('has XMP with pdfaid, an sRGB output intent, /AF with AFRelationship Data and a trailer /ID', async () => {
    const { pdf } = await render(base(), 'sv', 'pdfa');
    const lib = await import('pdf-lib');
    const d = await lib.PDFDocument.load(pdf, { updateMetadata: false });
    const cat = d.catalog;
    const meta = cat.lookup(lib.PDFName.of('Metadata'), lib.PDFRawStream);
    expect(meta.dict.get(lib.PDFName.of('Filter'))).toBeUndefined();
    const xmp = Buffer.from(meta.contents).toString('utf8');
    expect(xmp).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmp).toContain('<xmp:CreateDate>2026-03-02T08:15:00Z</xmp:CreateDate>');
    expect(d.getCreationDate()?.toISOString()).toBe('2026-03-02T08:15:00.000Z');
    const intents = cat.lookup(lib.PDFName.of('OutputIntents'), lib.PDFArray);
    const intent = intents.lookup(0, lib.PDFDict);
    expect(intent.get(lib.PDFName.of('OutputConditionIdentifier'))).toBeInstanceOf(lib.PDFString);
    expect(intent.get(lib.PDFName.of('S'))?.toString()).toBe('/GTS_PDFA1');
    const af = cat.lookup(lib.PDFName.of('AF'), lib.PDFArray);
    const spec = af.lookup(0, lib.PDFDict);
    expect(spec.get(lib.PDFName.of('AFRelationship'))?.toString()).toBe('/Data');
    const ef = spec.lookup(lib.PDFName.of('EF'), lib.PDFDict).lookup(lib.PDFName.of('F'), lib.PDFStream);
    expect(ef.dict.get(lib.PDFName.of('Subtype'))?.toString()).toBe('/application#2Fjson');
    expect(d.context.trailerInfo.ID).toBeDefined();
    // Fonts are embedded subsets (name prefix ABCDEF+).
    const fonts = execFileSync('pdffonts', [join(dir, 'pdfa.pdf')], { encoding: 'utf8' });
    expect(fonts).toMatch(/[A-Z]{6}\+DejaVuSans\s/);
    expect(fonts).toMatch(/[A-Z]{6}\+DejaVuSans-Bold/);
    expect(fonts).not.toMatch(/\bno\s+no\s+no\b/);
  });

  it('gives the same bytes for the same input', async () => {
    const a = await render(base(), 'en', 'same-a');
    const b = await render(base(), 'en', 'same-b');
    expect(Buffer.compare(Buffer.from(a.pdf), Buffer.from(b.pdf))).toBe(0);
  });
});

describe('organisation names in the letter language (issue 25)', () => {
  it("a Finnish letter of a Swedish session names the parties in Finnish: the organiser list and the profile's names", async () => {
    const doc = base();
    doc.recipient.organization = {
      name: 'Österbottens välfärdsområde',
      businessId: '0166906-4',
      municipalityCode: '905',
    };
    doc.sender.organization.name = 'Birkalands välfärdsområde';
    const bytes = new TextEncoder().encode(JSON.stringify(doc, null, 2));
    const own = {
      businessId: doc.sender.organization.businessId,
      fi: 'Pirkanmaan hyvinvointialue',
      sv: 'Birkalands välfärdsområde',
    };
    const path = join(dir, 'names-fi.pdf');
    writeFileSync(path, await renderLetter(doc, { lang: 'fi', fileBytes: bytes, ownNames: own }));
    const fi = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    expect(fi).toContain('Pohjanmaan hyvinvointialue');
    expect(fi).toContain('Pirkanmaan hyvinvointialue');
    expect(fi).not.toContain('Österbottens välfärdsområde');
    expect(fi).not.toContain('Birkalands');
    const svPath = join(dir, 'names-sv.pdf');
    writeFileSync(svPath, await renderLetter(doc, { lang: 'sv', fileBytes: bytes, ownNames: own }));
    const sv = execFileSync('pdftotext', ['-enc', 'UTF-8', svPath, '-'], { encoding: 'utf8' });
    expect(sv).toContain('Österbottens välfärdsområde');
    expect(sv).toContain('Birkalands välfärdsområde');
  });
});
