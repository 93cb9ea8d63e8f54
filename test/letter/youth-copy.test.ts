import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { letterTexts } from '../../src/letter/texts.js';
import { renderYouthCopy, youthCopyLanguage } from '../../src/letter/youth-copy.js';
import type { Handover } from '../../src/schema/types.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { pdfStructure } from '../helpers/pdf-structure.js';

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
      'ditt namn',
      'ditt födelsedatum',
      'din personbeteckning',
      'stödperson',
      'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
      'Du gav ditt tillstånd den 20.2.2026.',
      'Sanna Esimerkki',
      'tis 10.3.2026 9.00–10.00',
      'Du får se vad som har skrivits om dig',
      'får du det skriftligt',
      'överklaga',
      'Det kallas anmärkning.',
      'Vårt socialombud: Sari Neuvoja, +358 40 000 0999',
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
    expect(t).toContain('Vad är det här stödet?');
    expect(t).toContain('Din nya hemkommun bestämmer vilket stöd du får.');
    expect(t).toContain('Du har rätt till tolk. Be din kontaktperson om en tolk (arabiska)');
    expect(t).not.toMatch(/eftervård/i);
    noMoney(t);
  });
});

/** The items of the list of what was told, in structure order (what a screen reader reads out). */
async function toldList(doc: Handover, lang: 'fi' | 'sv' | 'en'): Promise<string[]> {
  const pdf = await renderYouthCopy(doc, { lang, fileBytes: bytes });
  const p = join(tempDir('handover-youth-list-'), 'copy.pdf');
  writeFileSync(p, pdf);
  const reading = pdfStructure(p).reading;
  const intro = reading.findIndex((r) => r.text === letterTexts(lang).tx('youthCopy.whatAll'));
  expect(intro).toBeGreaterThan(0);
  const items: string[] = [];
  for (const r of reading.slice(intro + 1)) {
    if (r.type === 'Lbl') continue;
    if (r.type !== 'LBody') break;
    items.push(r.text);
  }
  return items;
}

describe('what the copy says was told (SPEC §9)', () => {
  it('names every kind of data the file carries, identity code, wishes and notes included', async () => {
    expect(await toldList(base(), 'fi')).toEqual([
      'nimesi',
      'syntymäaikasi',
      'henkilötunnuksesi',
      'uusi kotikuntasi',
      'milloin muutat',
      'osoitteesi',
      'puhelinnumerosi',
      'sähköpostiosoitteesi',
      'millä kielellä haluat asioida',
      'omat toiveesi, jotka kerroit meille',
      'haluatko jälkihuoltoa uudessa kotikunnassa',
      'sijoituksesi lastensuojelussa: milloin se alkoi ja päättyi',
      'kuinka kauan sinulla on oikeus jälkihuoltoon',
      'asiakassuunnitelmasi eli suunnitelma, jossa sovimme yhdessä tuestasi, ja sen tavoitteet',
      'palvelut, joita saat nyt tai voisit saada',
      'tietoja terveydestäsi',
      'kuka maksaa palvelusi ja paljonko ne maksavat',
      'ehdotus yhteisestä tapaamisesta: ajat ja mistä siinä puhutaan',
      'työntekijäsi kirjoittamat lisätiedot sinusta',
      'että annoit luvan kertoa tiedot, ja milloin',
      'asiasi numero meillä',
    ]);
  });

  it('names no more than the file carries: a file with only the required members', async () => {
    const d = base();
    d.youth = {
      name: d.youth.name,
      birthDate: d.youth.birthDate,
      newMunicipalityCode: d.youth.newMunicipalityCode,
    };
    d.services = [];
    d.consent.scope = ['identity'];
    for (const k of [
      'entitlement',
      'clientPlan',
      'meeting',
      'notes',
      'caseReference',
      'decisions',
      'paymentCommitment',
    ] as const)
      delete d[k];
    expect(await toldList(d, 'en')).toEqual([
      'your name',
      'your date of birth',
      'your new home municipality',
      'that you gave permission to tell them, and when',
    ]);
    const sv = await toldList(d, 'sv');
    expect(sv).toEqual([
      'ditt namn',
      'ditt födelsedatum',
      'din nya hemkommun',
      'att du gav tillstånd att berätta uppgifterna, och när',
    ]);
  });

  it('names the interpreter, the decisions and what the services are about (education) for integration support', async () => {
    const d = integration();
    d.decisions = [{ date: '2026-10-01', subject: 'Beslut om stöd' }];
    const t = await text(d, 'sv');
    for (const s of [
      'att du behöver tolk och på vilket språk',
      'beslut som har fattats om dig: när och om vad',
      'uppgifter om din skola och dina studier',
      'varför du har rätt till stödet',
    ])
      expect(t).toContain(s);
  });
});

describe("the copy's rights (SPEC §9)", () => {
  it('says truthfully what withdrawing permission does, in fi, sv and en', async () => {
    const expected = {
      fi: 'Sen jälkeen kerromme sinusta vain sen, mitä laki vaatii tai sallii.',
      sv: 'Efter det berättar vi bara det om dig som lagen kräver eller tillåter.',
      en: 'After that, we tell them only what the law requires or allows.',
    };
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const t = await text(base(), lang);
      expect(t).toContain(expected[lang]);
      expect(t).not.toMatch(/anything new|inget nytt|uusia asioita/);
    }
  });

  it("names both organisations' social welfare ombudsmen and the Data Protection Ombudsman", async () => {
    const pdf = await renderYouthCopy(base(), {
      lang: 'fi',
      fileBytes: bytes,
      ombudsman: OMBUDSMAN,
      recipientOmbudsman: { name: 'Kaisa Neuvonen', phone: '+358 40 000 0998' },
    });
    const p = join(tempDir('handover-youth-omb-'), 'copy.pdf');
    writeFileSync(p, pdf);
    const t = execFileSync('pdftotext', ['-enc', 'UTF-8', p, '-'], { encoding: 'utf8' }).replace(
      /[\s\u00a0]+/g,
      ' ',
    );
    expect(t).toContain(
      'Meidän sosiaaliasiavastaavamme: Sari Neuvoja, +358 40 000 0999, asiavastaava@example.invalid.',
    );
    expect(t).toContain('Uuden kotikuntasi sosiaaliasiavastaava: Kaisa Neuvonen, +358 40 000 0998.');
    expect(t).toContain('voit tehdä valituksen tietosuojavaltuutetulle');
    expect(t).toContain('tietosuojalaki 1050/2018');
    // Where the receiver's ombudsman is not known, the copy says that there is one and where to ask.
    expect(await text(base(), 'sv')).toContain('Också din nya hemkommun har ett socialombud.');
    expect(await text(base(), 'sv')).toContain('dataombudsmannen');
    expect(await text(base(), 'en')).toContain('Data Protection Ombudsman (tietosuojavaltuutettu)');
  });

  it('says "voluntary" only to a youth of 18 or more', async () => {
    const minor = base();
    minor.youth.birthDate = '2009-01-15';
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const t = await text(minor, lang);
      expect(t).not.toMatch(/vapaaehto|frivillig|voluntary|your choice/i);
      expect(t).toMatch(/mielipiteesi on tärkeä|Din åsikt är viktig|Your opinion matters/);
    }
    expect(await text(base(), 'fi')).toContain('Jälkihuolto on vapaaehtoista.');
  });

  it('explains independence funds in plain words, without an amount', async () => {
    const d = base();
    d.services.push({
      id: 'funds',
      code: 'independence-funds',
      classification: 'youth-funds',
      provider: 'sender',
      payer: 'sender',
    });
    const t = await text(d, 'fi');
    expect(t).toContain('Sitä kutsutaan itsenäistymisvaroiksi. Raha on sinun.');
    expect(t).toContain('Itsenäistymisvarat: lastensuojelulaki 417/2007, 77 §.');
    noMoney(t);
    expect(await text(d, 'sv')).toContain('De kallas medel för eget hushåll.');
    expect(await text(base(), 'fi')).not.toContain('itsenäistymisvaroiksi');
  });

  it("is written in the language asked for, over the youth's own", () => {
    expect(youthCopyLanguage(base(), 'fi', 'en')).toBe('en');
    expect(youthCopyLanguage(base(), 'fi')).toBe('sv');
  });
});
