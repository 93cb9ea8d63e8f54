/**
 * SPEC §6: every glyph maps to Unicode in every font and style, so that copying, searching and
 * a screen reader get exactly the words on the page. A reader once copied "K NFIDENTIELLT"
 * from a Swedish copy: the bold "O" had no mapping when an earlier document of the same
 * process had drawn "Ö" (whose outline is built from "O") before any "O". The documents here
 * are made in that order on purpose, in one process.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderLetter } from '../../src/letter/cover-letter.js';
import { finishPdf, startPdf } from '../../src/letter/document.js';
import { renderYouthCopy } from '../../src/letter/youth-copy.js';
import type { Handover } from '../../src/schema/types.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { unmappedGlyphs } from '../helpers/pdf-structure.js';

const SPECIMEN = {
  fi: 'LUOTTAMUKSELLINEN Salassa pidettävä jälkihuolto Äänekoski Öljysatama Ålandin ääöö ÅÄÖ fiktio flyygeli offsetti affiksi Hyvinvointialue',
  sv: 'KONFIDENTIELLT Sekretessbelagd eftervård Österbottens välfärdsområde Åbo Ängel ÖÄÅ öäå fiskfilé flygfält effektiv skaffa',
  en: 'CONFIDENTIAL aftercare office affluent flat first shuffle efficient Åland Öhman Ähtäri naïve café',
};

let dir: string;
beforeAll(() => {
  dir = tempDir('handover-glyphs-');
});

const words = (s: string): string[] => s.split(/[\s\u00a0]+/).filter(Boolean);
const pdftotext = (path: string): string =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });

async function pdf(name: string, draw: (w: Awaited<ReturnType<typeof startPdf>>['w']) => void) {
  const s = await startPdf(Buffer.from(name));
  draw(s.w);
  const bytes = await finishPdf(s, {
    title: name,
    subject: name,
    keywords: name,
    author: 'test',
    lang: 'fi',
    date: new Date(Date.UTC(2026, 2, 2)),
    kind: name,
    fileBytes: Buffer.from(name),
  });
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

describe('every glyph maps to Unicode', () => {
  it('after a document that drew only composite letters (Å, Ä, Ö), in every style, in fi, sv and en', async () => {
    // First in the process: only letters whose outlines are made of other glyphs.
    const first = await pdf('composites', (w) => {
      w.text('ÅÄÖ åäö', { bold: true });
      w.text('ÅÄÖ åäö');
    });
    expect(words(pdftotext(first))).toEqual(['ÅÄÖ', 'åäö', 'ÅÄÖ', 'åäö']);

    for (const [lang, specimen] of Object.entries(SPECIMEN)) {
      const ws = words(specimen);
      const expected: string[] = [];
      const path = await pdf(`specimen-${lang}`, (w) => {
        const line = (f: () => void) => {
          f();
          expected.push(...ws);
        };
        line(() => w.text(specimen));
        line(() => w.text(specimen, { bold: true }));
        line(() => w.text(specimen, { grey: true, size: 7 }));
        line(() => w.text(specimen, { bold: true, size: 11 }));
        line(() => w.text(specimen, { size: 8.5 }));
        line(() => w.heading(specimen));
        line(() => w.text(specimen, { bold: true, size: 15, tag: 'H1' }));
        line(() => w.bullets([specimen]));
        expected.splice(expected.length - ws.length, 0, '•');
        // A label (bold) beside its value, one word each, and a table's header and body row.
        for (const word of ws) {
          w.field(word, word);
          expected.push(word, word);
        }
        const cols = ws.slice(0, 3).map((title) => ({ title, width: 1 }));
        w.table(cols, [ws.slice(3, 6)]);
        expected.push(...ws.slice(0, 6));
      });
      expect(words(pdftotext(path)), lang).toEqual(expected);
    }
  });

  it('reads KONFIDENTIELLT in the Swedish copy of integration support made after another copy', async () => {
    const doc = JSON.parse(
      readFileSync(join(ROOT, 'templates', 'examples', 'integration-support.handover.json'), 'utf8'),
    ) as Handover;
    const bytes = Buffer.from(JSON.stringify(doc));
    await renderYouthCopy(doc, { lang: 'fi', fileBytes: bytes });
    const path = join(dir, 'copy-sv.pdf');
    writeFileSync(path, await renderYouthCopy(doc, { lang: 'sv', fileBytes: bytes }));
    const text = pdftotext(path);
    expect(text).toContain('KONFIDENTIELLT');
    expect(text).not.toMatch(/K\s+NFIDENTIELLT/);
  });

  it('maps every glyph drawn in the letters and copies of both kinds, in fi, sv and en', async () => {
    for (const name of ['aftercare', 'integration-support']) {
      const bytes = readFileSync(join(ROOT, 'templates', 'examples', `${name}.handover.json`));
      const doc = JSON.parse(bytes.toString('utf8')) as Handover;
      for (const lang of ['fi', 'sv', 'en'] as const) {
        for (const [kind, render] of [
          ['letter', renderLetter],
          ['copy', renderYouthCopy],
        ] as const) {
          const path = join(dir, `${name}-${kind}-${lang}.pdf`);
          writeFileSync(path, await render(doc, { lang, fileBytes: bytes }));
          expect(unmappedGlyphs(path), `${name} ${kind} ${lang}`).toEqual([]);
        }
      }
    }
  });

  it('finds a glyph without a mapping (the check itself)', async () => {
    const path = await pdf('unmapped', (w) => w.text('KONFIDENTIELLT', { bold: true }));
    const bytes = readFileSync(path);
    // Blank out the ToUnicode map's entries, as the old subsetting did for one glyph.
    const broken = join(dir, 'unmapped-broken.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', path, broken]);
    const qdf = readFileSync(broken, 'latin1').replace(
      /(<0002>) <([0-9A-F]+)>/,
      (_m, code: string, to: string) => `${code} <>${' '.repeat(to.length)}`,
    );
    writeFileSync(broken, Buffer.from(qdf, 'latin1'));
    expect(bytes.length).toBeGreaterThan(0);
    expect(unmappedGlyphs(broken).length).toBeGreaterThan(0);
    expect(unmappedGlyphs(path)).toEqual([]);
  });
});
