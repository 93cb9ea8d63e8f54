import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderYouthCopy, youthCopyLanguage } from '../../src/letter/youth-copy.js';
import type { Handover } from '../../src/schema/types.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const bytes = readFileSync(join(import.meta.dirname, 'fixtures', 'aftercare.handover.json'));
const base = (): Handover => JSON.parse(bytes.toString('utf8')) as Handover;
const integration = (): Handover =>
  JSON.parse(
    readFileSync(join(ROOT, 'templates', 'examples', 'integration-support.handover.json'), 'utf8'),
  ) as Handover;
const OMBUDSMAN = { name: 'Sari Neuvoja', phone: '+358 40 000 0999', email: 'asiavastaava@example.invalid' };

/** The copy as pdftotext reads it, with lines and no-break spaces joined, so that sentences can be searched. */
async function text(
  doc: Handover,
  lang: 'fi' | 'sv' | 'en',
  ombudsman: typeof OMBUDSMAN | null = OMBUDSMAN,
): Promise<string> {
  const pdf = await renderYouthCopy(doc, { lang, fileBytes: bytes, ...(ombudsman ? { ombudsman } : {}) });
  const p = join(tempDir('handover-youth-'), 'copy.pdf');
  writeFileSync(p, pdf);
  expect(execFileSync('qpdf', ['--check', p], { encoding: 'utf8' })).toContain(
    'No syntax or stream encoding errors',
  );
  // The youth copy carries no attachment: the handover file has the prices in it.
  expect(execFileSync('pdfdetach', ['-list', p], { encoding: 'utf8' })).toContain('0 embedded files');
  return execFileSync('pdftotext', ['-enc', 'UTF-8', p, '-'], { encoding: 'utf8' }).replace(
    /[\s\u00a0]+/g,
    ' ',
  );
}

/** Prices, billing and the money side: never in front of the youth (SPEC §9). */
const noMoney = (t: string): void => {
  expect(t).not.toContain('€');
  expect(t).not.toMatch(/450|38,50|95,00|5 400/);
  expect(t).not.toMatch(/lasku|faktur|invoice|maksusitoumus|betalningsförbindelse|payment commitment/i);
};

describe('the youth copy', () => {
  it("is in the youth's preferred language when we write it, else the letter's", () => {
    expect(youthCopyLanguage(base(), 'fi')).toBe('sv');
    const d = base();
    d.youth.preferredLanguage = 'so';
    expect(youthCopyLanguage(d, 'fi')).toBe('fi');
  });

  it('in Swedish: what eftervård is, that it is voluntary until the last day, what was told, to whom, the meeting and every right', async () => {
    const t = await text(base(), 'sv');
    for (const s of [
      'Hej Aino Åsa!',
      'Du flyttar till Närpes.',
      'Vad är eftervård?',
      'Eftervård är frivillig.',
      'be om den igen fram till 1.5.2029',
      'ditt namn och ditt födelsedatum',
      'stödperson',
      'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
      'Du gav ditt tillstånd den 20.2.2026.',
      'Sanna Esimerkki',
      'tis 10.3.2026 9.00–10.00',
      'Du får se vad som har skrivits om dig',
      'får du det skriftligt',
      'överklaga',
      'Det kallas anmärkning.',
      'Socialombud: Sari Neuvoja, +358 40 000 0999',
      'Tillstånds- och tillsynsverket',
      'Du kan ta tillbaka ditt tillstånd.',
      'Lagar som brevet bygger på',
      '703/2023, 11 §',
      '739/2023',
    ]) {
      expect(t).toContain(s);
    }
    noMoney(t);
    // Citations come at the end, not inside the sentences a young person reads.
    const laws = t.indexOf('Lagar som brevet bygger på');
    expect(t.slice(0, laws)).not.toMatch(/\d+\/\d{4}|§/);
    expect(t).not.toContain('avsändare');
    expect(t).not.toMatch(/behöver inte göra något/);
  });

  it('in Finnish under turvakielto: no address, phone, e-mail or municipality, and it says why', async () => {
    const d = base();
    d.youth.nonDisclosure = true;
    const t = await text(d, 'fi');
    expect(t).toContain('koska sinulla on turvakielto');
    expect(t).toContain('Olet muuttamassa uuteen kotikuntaan.');
    expect(t).toContain('Tätä kutsutaan muistutukseksi.');
    expect(t).toContain('Sosiaaliasiavastaava neuvoo sinua ilmaiseksi');
    for (const s of ['Testgränd', '64200', '+358 50 000 0003', 'aino.testinen@example.org', 'Närpiö'])
      expect(t).not.toContain(s);
    // Plain language: none of the jargon the first version used.
    expect(t).not.toMatch(/luovutet|asiakassuunnitelma\b|Sinun ei tarvitse tehdä mitään/);
    noMoney(t);
  });

  it('in English: the right, voluntariness and the rights; the ombudsman from config or where to find one', async () => {
    const t = await text(base(), 'en', null);
    for (const s of [
      'What is aftercare?',
      'Aftercare is your choice.',
      'ask for it again until 2029-05-01',
      'Social welfare ombudsman' /* in the laws */,
      "contact details from your worker or from the wellbeing services county's website",
      'You can take back your permission.',
    ])
      expect(t).toContain(s);
    noMoney(t);
  });

  it('offers no withdrawal of consent when the basis is statutory, and names the provision at the end', async () => {
    const d = base();
    d.consent = {
      basis: 'statutory',
      recordedBy: 'Sanna Esimerkki',
      statutoryReference: 'lastensuojelulaki 25 d §',
      scope: d.consent.scope,
    };
    const t = await text(d, 'fi');
    expect(t).toContain('Laki antaa meille oikeuden kertoa nämä asiat ilman lupaasi.');
    expect(t).not.toContain('Voit perua lupasi');
    expect(t).toContain('Tietojen kertominen ilman lupaa: lastensuojelulaki 25 d §.');
  });

  it('for integration support, in Swedish: says what the support is, never eftervård, and the interpreter', async () => {
    const t = await text(integration(), 'sv');
    expect(t).toContain('Vad är stöd för att bli vuxen?');
    expect(t).toContain('Din nya hemkommun bestämmer vilket stöd du får.');
    expect(t).toContain('Du har rätt till tolk. Be din kontaktperson om en tolk (arabiska)');
    expect(t).not.toMatch(/eftervård/i);
    noMoney(t);
  });
});
