/**
 * Whole interviews in a real pseudo-terminal: tmux runs the built `bin/run.js new`, keys are
 * sent as a worker would type them, and each answer waits for its question on the screen.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateFile } from '../../src/services/validate/index.js';
import { verifyDocument } from '../../src/signing/jws.js';
import { BIN, ROOT, runBin, tempDir } from '../helpers/cli.js';

// One tmux server per interview: `kill-server` returns before the old server has gone, and a
// new session on the same socket can reach the dying server ("server exited unexpectedly").
let runs = 0;
let socket = '';
// stderr is piped: "no server running" from the cleanup of a finished interview is no news.
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  try {
    tmux('kill-server');
  } catch {}
});

function start(env: Record<string, string>, args: string[], cwd: string): string {
  runs += 1;
  socket = `handover-e2e-${process.pid}-${runs}`;
  const exitFile = join(tempDir(), 'exit');
  const vars = Object.entries(env)
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  // A person at a terminal: CI (set when the suite runs in CI) would make `new` non-interactive.
  const cmd = `cd '${cwd}' && env -u CI ${vars} '${process.execPath}' '${BIN}' ${args.join(' ')}; echo $? > '${exitFile}'; sleep 30`;
  tmux('new-session', '-d', '-s', 'w', '-x', '160', '-y', '50', cmd);
  return exitFile;
}

const screen = (): string => tmux('capture-pane', '-p', '-t', 'w');
/** Everything the interview printed, the scrolled-off part included, lines joined where wrapped. */
const history = (): string => tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', 'w');

/**
 * No language code, enum value, English word or bracketed plural on a Finnish or Swedish
 * screen (issue 25). Rule codes stay: they are the findings' stable names (SPEC §3).
 */
function expectOnlyTheLanguage(text: string): void {
  const shown = text.replace(/\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b/g, '');
  expect(shown).not.toMatch(/: (sv|fi|en)$/m);
  expect(shown).not.toMatch(
    /\b(aftercare|integration-support|support-person|recipient|sender|hour|month|custody-placement)\b/,
  );
  expect(shown).not.toMatch(/\w\((er|a|s|t|or)\)/);
  expect(shown).not.toMatch(/\b(the|and|of|to|Error|Warning|must|is)\b/);
}

/** The question being asked now: the last line that starts with "?". */
function currentQuestion(): string {
  const lines = screen()
    .split('\n')
    .filter((l) => l.startsWith('? '));
  return lines.at(-1) ?? '';
}

async function answer(question: string, ...keys: string[]): Promise<void> {
  const until = Date.now() + 15_000;
  while (!currentQuestion().includes(question)) {
    if (Date.now() > until) throw new Error(`waited for "${question}", screen:\n${screen()}`);
    await sleep(50);
  }
  for (const k of keys) {
    tmux('send-keys', '-t', 'w', ...(['Enter', 'Down', 'Space', 'BSpace'].includes(k) ? [k] : ['-l', k]));
    await sleep(80);
  }
}

async function onScreen(text: string): Promise<void> {
  const until = Date.now() + 15_000;
  while (!screen().includes(text)) {
    if (Date.now() > until) throw new Error(`waited for "${text}", screen:\n${screen()}`);
    await sleep(50);
  }
}

async function exitCode(file: string): Promise<number> {
  const until = Date.now() + 20_000;
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    if (Date.now() > until) throw new Error(`no exit, screen:\n${screen()}`);
    await sleep(50);
  }
  return Number(readFileSync(file, 'utf8').trim());
}

function home(): string {
  const h = tempDir();
  writeFileSync(
    join(h, 'config.json'),
    JSON.stringify({
      organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' },
      contact: { name: 'Sari Esimerkki', title: 'sosiaalityöntekijä', email: 'sari.esimerkki@example.fi' },
      backupContact: { name: 'Timo Testaaja', phone: '+358 40 000 0003' },
    }),
  );
  return h;
}

describe('handover new in a real terminal', () => {
  it('a whole interview in Swedish writes a signed, valid file with only the consented data and a Swedish letter', async () => {
    const h = home();
    const env = {
      HANDOVER_HOME: h,
      HANDOVER_KEY_PASSPHRASE: 'e2e-lösenord-långt',
      HANDOVER_NOW: '2026-11-20T10:00:00+02:00',
    };
    expect((await runBin(['keys', 'init', '--store', 'file'], { env })).exitCode).toBe(0);
    const out = tempDir();
    const exitFile = start({ ...env, TZ: 'UTC' }, ['new', '--lang', 'sv'], out);

    await answer('samtyckt', 'Enter');
    await answer('Hur gavs samtycket', 'Enter');
    await answer('Datum för samtycket', 'Enter');
    await answer('Vem gav samtycket', 'Enter');
    await answer('Vem antecknade', 'Enter');
    await answer('Vilka uppgifter', 'Down', 'Space', 'Down', 'Down', 'Space', 'Enter');
    await answer('Vad överförs', 'Enter');
    await answer('Kommunen dit', 'Korsholm');
    await onScreen('❯ Korsholm – Mustasaari (499)');
    await answer('Kommunen dit', 'Enter');
    await answer('Mottagande organisation', 'Enter');
    await answer('FO-nummer', '0166906-5', 'Enter');
    await sleep(200);
    expect(screen()).toContain('FO-numret är inte giltigt');
    await answer('FO-nummer', 'BSpace', '4', 'Enter');
    await answer('Känner du till', 'Enter');
    await answer('tvåspråkig', 'Enter');
    await answer('förnamn', 'Aino', 'Enter');
    await answer('efternamn', 'Keksitty', 'Enter');
    await answer('Personbeteckning', '020506A952K', 'Enter');
    await answer('Flyttdag', '1.12.2026', 'Enter');
    // The language is asked and shown by its name, never as a code.
    await onScreen('[Enter: svenska]');
    await answer('kontaktspråk', 'Enter');
    await answer('tolk', 'Enter');
    await answer('spärrmarkering', 'Enter');
    await answer('hemkommun i och med flytten', 'Enter');
    await answer('Vill den unga personen', 'Enter');
    await answer('önskemål', 'Jag vill bo i Vasa och studera.', 'Enter');
    await answer('diarienummer', 'SOC/77/2026', 'Enter');
    await answer('Senast vilken dag', 'Enter');
    await answer('Namn på den som undertecknar', 'Enter');
    await answer('tjänstebeteckning', 'Enter');
    await answer('spara undertecknaren', 'Enter');
    await answer('Vad grundar sig rätten', 'Enter');
    await answer('Placeringen började', 'Enter');
    await answer('Placeringen upphörde', '1.5.2024', 'Enter');
    await answer('klient inom barnskyddet nu', 'Enter');
    await answer('Rättens sista dag', 'Enter');
    await answer('kostnadsansvaret för eftervården', 'Enter');
    await answer('gällande beslut', 'Enter');
    await answer('lägga till en tjänst?', 'Enter');
    await answer('Tjänst (endast', 'Down', 'Enter');
    await answer('Klassificering', 'Enter');
    await answer('Vem producerar', 'Enter');
    await answer('Prisenhet', 'Enter');
    await answer('Enhetspris', '55', 'Enter');
    await answer('Uppskattat antal', '40', 'Enter');
    await answer('Tjänsten börjar', '1.12.2026', 'Enter');
    await answer('Tjänsten upphör', 'Enter');
    await answer('Beskrivning av tjänsten', 'Enter');
    await answer('en tjänst till', 'Enter');
    await answer('E-fakturaadress', 'Enter');
    await answer('E-post för fakturor', 'fakturor@example.fi', 'Enter');
    await answer('Referens på fakturan', 'Enter');
    await answer('spara faktureringsuppgifterna', 'n', 'Enter');
    await answer('betalningsförbindelse för tjänsterna', 'Enter');
    await answer('gäller från', 'Enter');
    await answer('Betalningsförbindelsen upphör', 'Enter');
    await answer('Högsta belopp', 'Enter');
    await answer('Diarienummer för beslutet', 'Enter');
    // A summer day: Finland is on +03:00 while this machine runs on UTC.
    await answer('gemensamt möte', 'Enter');
    await answer('Dag för mötet', '10.6.2027', 'Enter');
    await answer('Starttid, finsk tid', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', '13:00', 'Enter');
    await answer('Längd i minuter', 'Enter');
    await answer('en tid till', 'Enter');
    await answer('Hur hålls mötet', 'Enter');
    await answer('Plats eller möteslänk', 'Enter');
    await answer('Övriga uppgifter', 'Enter');
    await onScreen('10.6.2027 kl. 13.00–14.00 finsk tid');
    // Everything typed is on the summary, in Swedish only, before anything is signed.
    const summary = history();
    expect(summary).toContain('Personbeteckning: 020506A952K');
    expect(summary).toContain('Den ungas önskemål: Jag vill bo i Vasa och studera.');
    expect(summary).toMatch(/55,00\s€ per timme/u);
    expect(summary).toContain('Mottagare: Österbottens välfärdsområde, FO-nummer 0166906-4');
    expectOnlyTheLanguage(summary);
    await answer('Vad vill du göra', 'Enter');

    expect(await exitCode(exitFile)).toBe(0);
    expect(screen()).toContain('Sparad:');
    expectOnlyTheLanguage(history());
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^20261120-[0-9a-f]{8}\.cover-letter\.pdf$/);
    expect(files[1]).toMatch(/^20261120-[0-9a-f]{8}\.handover\.json$/);
    expect(files[2]).toMatch(/^20261120-[0-9a-f]{8}\.meeting\.ics$/);
    // 13:00 in Finland in June is 10:00 UTC.
    expect(readFileSync(join(out, files[2]!), 'utf8')).toContain('DTSTART:20270610T100000Z');
    expect(execFileSync('pdftotext', [join(out, files[0]!), '-'], { encoding: 'utf8' })).toMatch(
      /10\.6\.2027 13\.00–14\.00/,
    );
    // Korsholm is bilingual with a Swedish majority: the letter is in Swedish, and marked confidential.
    expect(execFileSync('pdftotext', [join(out, files[0]!), '-'], { encoding: 'utf8' })).toContain(
      'SEKRETESSBELAGD',
    );
    const file = join(out, files[1]!);
    const v = validateFile(file, { lang: 'en' });
    expect(v.valid).toBe(true);
    // The client plan is outside this consent: the one warning says the service has no goal.
    expect(v.findings.map((f) => f.rule)).toEqual(['SERVICE_PLAN_BASIS']);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.consent.scope).toEqual(['identity', 'entitlement', 'services']);
    expect(doc.youth.contact).toBeUndefined();
    expect(doc.clientPlan).toBeUndefined();
    expect(doc.entitlement.endsOn).toBe('2029-05-01');
    expect(doc).toMatchObject({
      caseReference: 'SOC/77/2026',
      replyBy: '2026-12-04',
      signatory: { name: 'Sari Esimerkki', title: 'sosiaalityöntekijä' },
      paymentCommitment: { from: '2026-12-01', to: '2029-05-01' },
    });
    expect(doc.sender.billing).toEqual({ email: 'fakturor@example.fi' });
    // The signatory was saved for the next handover; the billing details were not.
    expect(JSON.parse(readFileSync(join(h, 'config.json'), 'utf8'))).toMatchObject({
      signatory: { name: 'Sari Esimerkki' },
    });
    expect(JSON.parse(readFileSync(join(h, 'config.json'), 'utf8')).billing).toBeUndefined();
    expect(doc.meeting.slots).toEqual([
      { start: '2027-06-10T13:00:00+03:00', end: '2027-06-10T14:00:00+03:00' },
    ]);
    // A Swedish interview proposed the organiser's Swedish name (SPEC §4.10).
    expect(doc.recipient.organization).toEqual({
      name: 'Österbottens välfärdsområde',
      businessId: '0166906-4',
      municipalityCode: '499',
    });
    expect(doc.services).toEqual([
      {
        id: 's1',
        code: 'support-person',
        classification: 'aftercare',
        provider: 'recipient',
        payer: 'sender',
        pricing: { unit: 'hour', unitPriceEur: 55, estimatedUnits: 40 },
        period: { from: '2026-12-01' },
      },
    ]);
    expect((await verifyDocument(doc)).status).toBe('untrusted');
  });

  it('on a New York machine: 13:00 is Finnish time, and a warning in the summary is fixed by editing before anything is written', async () => {
    const h = home();
    // No backup contact in the profile: BACKUP_CONTACT_MISSING must show in the summary.
    const config = JSON.parse(readFileSync(join(h, 'config.json'), 'utf8'));
    delete config.backupContact;
    writeFileSync(join(h, 'config.json'), JSON.stringify(config));
    const env = {
      HANDOVER_HOME: h,
      HANDOVER_KEY_PASSPHRASE: 'e2e-salasana-pitkä',
      HANDOVER_NOW: '2026-11-20T10:00:00+02:00',
    };
    expect((await runBin(['keys', 'init', '--store', 'file'], { env })).exitCode).toBe(0);
    const out = tempDir();
    const exitFile = start({ ...env, TZ: 'America/New_York' }, ['new', '--lang', 'fi'], out);

    await answer('antanut suostumuksen', 'Enter');
    await answer('Miten suostumus', 'Enter');
    await answer('Suostumuksen päivämäärä', 'Enter');
    await answer('Kuka antoi', 'Enter');
    await answer('Kuka sen kirjasi', 'Enter');
    await answer('Mitkä tiedot', 'Enter');
    await answer('Mitä siirretään', 'Enter');
    await answer('Kunta, johon', 'Mustasaari');
    await onScreen('❯ Mustasaari');
    await answer('Kunta, johon', 'Enter');
    await answer('Vastaanottava organisaatio', 'Enter');
    await answer('Y-tunnus', '0166906-4', 'Enter');
    await answer('Tiedätkö vastaanottavan', 'Enter');
    await answer('kaksikielinen', 'Enter');
    await answer('Nuoren etunimet', 'Aino', 'Enter');
    await answer('Nuoren sukunimi', 'Keksitty', 'Enter');
    await answer('Henkilötunnus', '020506A952K', 'Enter');
    await answer('Muuttopäivä', 'Enter');
    await answer('asiointikieli', 'Enter');
    await answer('tulkin', 'Enter');
    await answer('turvakielto', 'Enter');
    await answer('kotikunta muuton myötä', 'Enter');
    await answer('Haluaako nuori', 'Enter');
    await answer('omat toiveet', 'Enter');
    await answer('diaarinumero', 'Enter');
    await answer('Mihin päivään', 'Enter');
    await answer('allekirjoittajan nimi', 'Enter');
    await answer('virkanimike', 'Enter');
    await answer('Tallennetaanko allekirjoittaja', 'e', 'Enter');
    await answer('Ehdotetaanko yhteistä', 'Enter');
    await answer('Neuvottelun päivä', '9.12.2026', 'Enter');
    await answer(
      'Alkamisaika Suomen aikaa',
      'BSpace',
      'BSpace',
      'BSpace',
      'BSpace',
      'BSpace',
      '13:00',
      'Enter',
    );
    await answer('Kesto minuutteina', 'BSpace', 'BSpace', '90', 'Enter');
    await answer('toista aikaa', 'Enter');
    await answer('Miten neuvottelu', 'Enter');
    await answer('Paikka tai kokouslinkki', 'Enter');
    await answer('Muut tiedot', 'Enter');
    await onScreen('9.12.2026 klo 13.00–14.30 Suomen aikaa');
    await onScreen('BACKUP_CONTACT_MISSING');
    expect(history()).toContain('Henkilötunnus: 020506A952K');
    expectOnlyTheLanguage(history());
    expect(readdirSync(out)).toEqual([]);
    await answer('Mitä tehdään', 'Down', 'Enter');
    await answer('Nimesi', 'Enter');
    await answer('Tehtävänimikkeesi', 'Enter');
    await answer('Sähköpostiosoitteesi', 'Enter');
    await answer('Puhelinnumerosi', 'Enter');
    await answer('Lisätäänkö varayhteyshenkilö', 'Enter');
    await answer('Varayhteyshenkilön nimi', 'Timo Testaaja', 'Enter');
    await answer('Varayhteyshenkilön tehtävänimike', 'Enter');
    await answer('Varayhteyshenkilön sähköposti', 'Enter');
    await answer('Varayhteyshenkilön puhelin', '+358 40 000 0003', 'Enter');
    await onScreen('Varayhteyshenkilö: Timo Testaaja');
    await answer('Mitä tehdään', 'Enter');

    expect(await exitCode(exitFile)).toBe(0);
    const files = readdirSync(out).sort();
    expect(files.map((f) => f.replace(/^20261120-[0-9a-f]{8}/, ''))).toEqual([
      '.cover-letter.pdf',
      '.handover.json',
      '.meeting.ics',
    ]);
    const doc = JSON.parse(readFileSync(join(out, files[1]!), 'utf8'));
    expect(doc.meeting.slots).toEqual([
      { start: '2026-12-09T13:00:00+02:00', end: '2026-12-09T14:30:00+02:00' },
    ]);
    expect(doc.sender.backupContact).toEqual({ name: 'Timo Testaaja', phone: '+358 40 000 0003' });
    expect(validateFile(join(out, files[1]!), { lang: 'en' }).findings).toEqual([]);
    expect(readFileSync(join(out, files[2]!), 'utf8')).toContain('DTSTART:20261209T110000Z');
    expect(execFileSync('pdftotext', [join(out, files[0]!), '-'], { encoding: 'utf8' })).toContain(
      '13.00–14.30',
    );
  });

  it('closed at the consent gate: exit 3, the reason and what to do on screen, the output folder untouched', async () => {
    const h = home();
    const out = tempDir();
    const exitFile = start({ HANDOVER_HOME: h }, ['new', '--lang', 'fi', '--no-sign'], out);
    await answer('suostumuksen', 'Down', 'Down', 'Enter');
    expect(await exitCode(exitFile)).toBe(3);
    const text = screen();
    expect(text).toContain('Mitään ei tallennettu');
    expect(text).toContain('uuden kunnan sosiaalipalvelujen yhteystiedot');
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(h, 'register.sqlite'))).toBe(false);
  });

  it('Ctrl-C in the middle: exit 130 and nothing written', async () => {
    const out = tempDir();
    const exitFile = start({ HANDOVER_HOME: home() }, ['new', '--lang', 'en', '--no-sign'], out);
    await answer('Has the youth consented', 'Enter');
    await answer('How was the consent given');
    tmux('send-keys', '-t', 'w', 'C-c');
    expect(await exitCode(exitFile)).toBe(130);
    expect(screen()).toContain('Interrupted: nothing was written.');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('handover new with the draft on stdin', () => {
  it('never prompts when stdin is a pipe: --answers - writes the file, --json prints only the result', async () => {
    const out = tempDir();
    const r = await runBin(['new', '--answers', '-', '--no-sign', '--out', out, '--json'], {
      env: { HANDOVER_HOME: home() },
      input: readFileSync(join(ROOT, 'templates', 'examples', 'aftercare.handover.json')),
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: '3f6c2a1e-8b4d-4c2f-9a7e-5d1b0c9e8f21', signed: false });
    expect(readdirSync(out)).toEqual(['20261120-3f6c2a1e.handover.json']);
  });

  it('without a draft and without a terminal it fails at once, listing what is missing (exit 1)', async () => {
    const r = await runBin(['new', '--no-sign', '--json'], { env: { HANDOVER_HOME: home() } });
    expect(r.exitCode).toBe(1);
    const e = JSON.parse(r.stdout).error as { code: string; details: { pointer: string }[] };
    expect(e.code).toBe('ANSWERS_INCOMPLETE');
    expect(e.details.map((d) => d.pointer)).toContain('/consent');
  });
});
