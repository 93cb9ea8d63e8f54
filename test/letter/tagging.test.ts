/**
 * SPEC §6: every PDF is tagged, so that a screen reader gets the words in reading order with
 * headings, lists and tables. The structure is read back with qpdf and poppler, not with the
 * code that wrote it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderLetter } from '../../src/letter/cover-letter.js';
import { renderYouthCopy } from '../../src/letter/youth-copy.js';
import type { Handover } from '../../src/schema/types.js';
import { tempDir } from '../helpers/cli.js';
import { pdfStructure } from '../helpers/pdf-structure.js';

const bytes = readFileSync(join(import.meta.dirname, 'fixtures', 'aftercare.handover.json'));
const base = (): Handover => JSON.parse(bytes.toString('utf8')) as Handover;
const count = (types: string[], t: string): number => types.filter((x) => x === t).length;

let dir: string;
beforeAll(() => {
  dir = tempDir('handover-tagged-');
});

function save(pdf: Uint8Array, name: string): string {
  const p = join(dir, `${name}.pdf`);
  writeFileSync(p, pdf);
  return p;
}

/** The text in structure order (what a screen reader follows), read by poppler from the tree. */
const structText = (path: string): string =>
  [...execFileSync('pdfinfo', ['-struct-text', path], { encoding: 'utf8' }).matchAll(/^\s*"(.*)"$/gm)]
    .map((m) => m[1])
    .join(' ');

function expectTagged(path: string, title: string, lang: string): ReturnType<typeof pdfStructure> {
  expect(execFileSync('pdfinfo', [path], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
  const s = pdfStructure(path);
  expect(s.problems).toEqual([]);
  expect(s.mcids).toBeGreaterThan(20);
  expect(s.marked).toBe(true);
  expect(s.displayDocTitle).toBe(true);
  expect(s.lang).toBe(lang);
  expect(s.infoTitle).toBe(title);
  expect(s.xmpTitle).toBe(title);
  expect(s.types[0]).toBe('Document');
  // One title, and sections under it.
  expect(count(s.types, 'H1')).toBe(1);
  expect(count(s.types, 'H2')).toBeGreaterThan(5);
  // Lists are L > LI > Lbl + LBody, one of each per item.
  expect(count(s.types, 'L')).toBeGreaterThan(0);
  expect(count(s.types, 'LI')).toBe(count(s.types, 'LBody'));
  expect(count(s.types, 'LI')).toBe(count(s.types, 'Lbl'));
  return s;
}

describe('the cover letter is tagged', () => {
  it('has a structure tree in which every marked run has one element, with headings, lists and tables', async () => {
    const path = save(await renderLetter(base(), { lang: 'sv', fileBytes: bytes }), 'letter-sv');
    const s = expectTagged(path, 'Följebrev: överföring av en eftervårdsklient', 'sv-FI');
    for (const t of ['Table', 'TR', 'TH', 'TD']) expect(s.types).toContain(t);
    // Reading order: the subject before the request, the youth before the services.
    const text = structText(path);
    const order = ['Överföring av en eftervårdsklient', 'Vi ber er', 'Den unga', 'Tjänster'];
    const at = order.map((x) => text.indexOf(x));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The footer (page numbers) is an artifact, outside what a reader reads out.
    expect(text).not.toMatch(/Sida 1 \//);
    // Our own reading of the tree through the fonts' ToUnicode maps agrees with poppler's.
    expect(s.reading.map((r) => r.text).join(' ')).toBe(text);
  });

  it('tags a table that continues over pages once: its repeated header is an artifact', async () => {
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
    const path = save(await renderLetter(doc, { lang: 'sv', fileBytes: bytes }), 'letter-long');
    const s = expectTagged(path, 'Följebrev: överföring av en eftervårdsklient', 'sv-FI');
    expect(
      Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))?.[1]),
    ).toBeGreaterThan(2);
    // The services table: its header row once and the 60 rows, however many pages it spans.
    expect(s.tableRows).toContain(61);
    expect(Math.max(...s.tableRows)).toBe(61);
    expect(count(s.types, 'TR')).toBeGreaterThan(60);
  });
});

describe("the youth's copy is tagged", () => {
  for (const [lang, title, bcp] of [
    ['fi', 'Tietoa sinulle: mitä kerroimme sinusta uudelle kotikunnallesi', 'fi-FI'],
    ['sv', 'Information till dig: vad vi berättade om dig för din nya hemkommun', 'sv-FI'],
    ['en', 'Information for you: what we told your new home municipality about you', 'en'],
  ] as const) {
    it(`in ${lang}: structure, language and title`, async () => {
      const path = save(await renderYouthCopy(base(), { lang, fileBytes: bytes }), `youth-${lang}`);
      expectTagged(path, title, bcp);
    });
  }
});
