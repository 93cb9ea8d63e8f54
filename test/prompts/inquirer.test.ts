import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/domain/catalogue.js';
import { runInterview } from '../../src/interview/flow.js';
import { terminalAsk } from '../../src/prompts/inquirer.js';
import type { Party } from '../../src/schema/types.js';
import { BACKSPACE, DOWN, ENTER, RenderAsk } from './render-ask.js';

const PROFILE: Party = {
  organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-4' },
  contact: { name: 'Sara Exempel', email: 'sara.exempel@example.fi' },
};
const draft = () => ({
  id: '0b8e7f52-3c1d-4e8a-9f61-2a4b6c8d0e13',
  createdAt: '2026-11-20T10:00:00+02:00',
  services: [],
});

describe('the interview on real prompts (@inquirer/testing)', () => {
  it('Swedish: the consent gate is the first screen, and "neither" closes it with exit 3', async () => {
    const ask = new RenderAsk([['samtyckt', [[DOWN, DOWN, ENTER]]]]);
    const err = await runInterview({
      ask,
      lang: 'sv',
      draft: draft(),
      profile: PROFILE,
      catalogue: loadCatalogue(),
    }).catch((e) => e);
    expect(err.code).toBe('CONSENT_GATE_CLOSED');
    expect(err.exit).toBe(3);
    expect(ask.screens[0]).toContain('Har den unga personen samtyckt');
    expect(ask.screens[0]).toContain('Inget samtycke och inget stöd i lag');
  });

  it('a bad identity code is asked again with the reason on screen; the birth date comes from the code', async () => {
    const bad = '020506A952L';
    const ask = new RenderAsk([
      ['samtyckt', [[ENTER]]],
      ['Hur gavs samtycket', [[ENTER]]],
      ['Datum för samtycket', [[ENTER]]],
      ['Vem gav samtycket', [[ENTER]]],
      ['Vem antecknade', [[ENTER]]],
      ['Vilka uppgifter', [[ENTER]]],
      ['Vad överförs', [[ENTER]]],
      ['Kommunen dit', [['Korsholm', ENTER]]],
      ['Mottagande organisation', [[ENTER]]],
      ['FO-nummer', [['0166906-4', ENTER]]],
      ['Känner du till', [[ENTER]]],
      ['tvåspråkig', [[DOWN, ENTER]]],
      ['förnamn', [['Aino', ENTER]]],
      ['efternamn', [['Keksitty', ENTER]]],
      ['Personbeteckning', [[bad, ENTER, ...Array(bad.length).fill(BACKSPACE), '020506A952K', ENTER]]],
    ]);
    const err = await runInterview({
      ask,
      lang: 'sv',
      draft: draft(),
      profile: PROFILE,
      catalogue: loadCatalogue(),
    }).catch((e) => e as Error);
    // The script ends after the identity code: the next question is unscripted.
    expect(String(err.message)).toContain('unscripted question: Flyttdag');
    const hetuScreens = ask.screens.filter((s) => s.includes('Personbeteckning'));
    expect(hetuScreens.some((s) => s.includes('Personbeteckningen är inte giltig'))).toBe(true);
    expect(ask.said).toContain('Födelsedatum enligt personbeteckningen: 2.5.2006');
    const municipality = ask.screens.find((s) => s.includes('Kommunen dit'));
    expect(municipality).toContain('Korsholm – Mustasaari (499)');
  });
});

describe('terminalAsk', () => {
  it('draws on the given output, never on stdout, and maps Ctrl-C to INTERRUPTED', async () => {
    const input = new PassThrough() as PassThrough & { isTTY?: boolean };
    const output = new PassThrough();
    let drawn = '';
    output.on('data', (d: Buffer) => {
      drawn += d.toString('utf8');
    });
    const ask = await terminalAsk({ input, output });
    const answer = ask.text({ message: 'Nimi' });
    input.write('Aino\r');
    expect(await answer).toBe('Aino');
    const cancelled = ask.confirm({ message: 'Jatketaanko?' });
    input.write('\u0003');
    const err = await cancelled.catch((e) => e);
    expect(drawn).toContain('Nimi');
    expect(err.code).toBe('INTERRUPTED');
  });
});
