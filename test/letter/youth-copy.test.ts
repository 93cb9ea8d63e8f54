import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderYouthCopy, youthCopyLanguage } from '../../src/letter/youth-copy.js';
import type { Handover } from '../../src/schema/types.js';
import { tempDir } from '../helpers/cli.js';

const bytes = readFileSync(join(import.meta.dirname, 'fixtures', 'aftercare.handover.json'));
const base = (): Handover => JSON.parse(bytes.toString('utf8')) as Handover;

async function text(doc: Handover, lang: 'fi' | 'sv' | 'en'): Promise<string> {
  const pdf = await renderYouthCopy(doc, { lang, fileBytes: bytes });
  const p = join(tempDir('handover-youth-'), 'copy.pdf');
  writeFileSync(p, pdf);
  expect(execFileSync('qpdf', ['--check', p], { encoding: 'utf8' })).toContain(
    'No syntax or stream encoding errors',
  );
  // The youth copy carries no attachment: the handover file has the prices in it.
  expect(execFileSync('pdfdetach', ['-list', p], { encoding: 'utf8' })).toContain('0 embedded files');
  return execFileSync('pdftotext', ['-enc', 'UTF-8', p, '-'], { encoding: 'utf8' });
}

describe('the youth copy', () => {
  it("is in the youth's preferred language when we write it, else the letter's", () => {
    expect(youthCopyLanguage(base(), 'fi')).toBe('sv');
    const d = base();
    d.youth.preferredLanguage = 'so';
    expect(youthCopyLanguage(d, 'fi')).toBe('fi');
  });

  it('says what was shared, with whom, on what basis, the contact and the rights; no prices', async () => {
    const t = await text(base(), 'sv');
    for (const s of [
      'Din kopia: vad vi berättade om dig',
      'Hej Aino Åsa',
      'Närpes',
      'identitet, kontaktuppgifter',
      'stödperson',
      'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
      'Du gav ditt samtycke 20.2.2026',
      'Sanna Esimerkki',
      '703/2023, 11 §',
      'återkalla ditt samtycke',
      'anmärkning',
      'Socialombudsmannen',
    ]) {
      expect(t).toContain(s);
    }
    expect(t).not.toContain('€');
    expect(t).not.toMatch(/450|38,50|95,00/);
    expect(t).not.toContain('avsändare');
  });

  it('in Finnish, under a non-disclosure marking: no address, and it says why', async () => {
    const d = base();
    d.youth.nonDisclosure = true;
    const t = await text(d, 'fi');
    expect(t).toContain('Osoitettasi ei kerrottu, koska sinulla on turvakielto.');
    expect(t).toContain('muistutuksen');
    expect(t).toContain('Sosiaaliasiavastaava');
    expect(t).not.toContain('Testgränd');
    expect(t).not.toContain('€');
  });
});
