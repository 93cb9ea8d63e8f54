/**
 * What a receiving worker acts on (SPEC §6), read back from the PDF with pdftotext in each
 * language and for each type: the reason for the last day, reply-by, signatory, invoicing and
 * the payment commitment, turvakielto, integration support worded as itself, no command lines.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderLetter } from '../../src/letter/cover-letter.js';
import { letterTexts } from '../../src/letter/texts.js';
import type { Handover } from '../../src/schema/types.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const read = (p: string): Handover => JSON.parse(readFileSync(p, 'utf8')) as Handover;
const complete = read(join(ROOT, 'test', 'fixtures', 'schema', 'complete-1.1.handover.json'));
const fixture = read(join(import.meta.dirname, 'fixtures', 'aftercare.handover.json'));
/** The letter fixture (contacts, services, a meeting) with every 1.1 member of the complete example. */
const aftercare = (): Handover => ({
  ...structuredClone(fixture),
  schemaVersion: '1.1',
  replyBy: complete.replyBy!,
  signatory: complete.signatory!,
  decisions: complete.decisions!,
  paymentCommitment: complete.paymentCommitment!,
  sender: { ...structuredClone(fixture.sender), billing: complete.sender.billing! },
});
const integration = (): Handover =>
  read(join(ROOT, 'templates', 'examples', 'integration-support.handover.json'));

type Lang = 'fi' | 'sv' | 'en';
const LANGS: Lang[] = ['fi', 'sv', 'en'];

/** pdftotext's text with lines and no-break spaces joined; the raw lines for layout checks. */
async function letter(doc: Handover, lang: Lang, opts: { signatory?: { name: string; title: string } } = {}) {
  const pdf = await renderLetter(doc, {
    lang,
    fileBytes: new TextEncoder().encode(JSON.stringify(doc)),
    ...opts,
  });
  const path = join(tempDir('handover-content-'), 'letter.pdf');
  writeFileSync(path, pdf);
  const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  return { raw, flat: raw.replace(/[\s\u00a0]+/g, ' '), path };
}

const noCommands = (flat: string): void => {
  expect(flat).not.toContain('`');
  expect(flat).not.toMatch(/handover (import|sign|new|letter|verify)\b/);
  expect(flat).not.toMatch(/--[a-z]/);
};

describe.each(LANGS)('an aftercare letter in %s', (lang) => {
  const T = letterTexts(lang);

  it('states the last day with its reason and citation, the reply-by date and the signatory', async () => {
    const { flat } = await letter(aftercare(), lang);
    const replyBy = lang === 'en' ? '2026-12-04' : '4.12.2026';
    expect(flat).toContain(T.tx('header.replyBy', { date: replyBy }));
    expect(flat).toContain(T.tx('request.worker', { date: replyBy }));
    // Born 2.5.2006, still a client: the day before 23 (SPEC §5.4 worked example).
    expect(flat).toContain(lang === 'en' ? '2029-05-01' : '1.5.2029');
    expect(flat).toContain(T.tx('entitlement.reason'));
    expect(flat).toMatch(
      { fi: /täyttää 23 vuotta 2\.5\.2029/, sv: /23 år.*2\.5\.2029/, en: /23.*2029-05-02/ }[lang],
    );
    expect(flat).toMatch(/75 §|section 75/);
    expect(flat).toContain('Riitta Johtaja');
    expect(flat).toContain(complete.signatory!.title);
    noCommands(flat);
  });

  it('says where invoices go and that the letter is a payment commitment: period, ceiling, decision', async () => {
    const { flat } = await letter(aftercare(), lang);
    for (const s of [
      '003715728600',
      '003721291126',
      'Jälkihuolto 4100',
      'laskutus@example.invalid',
      'PIR/2026/5678',
    ])
      expect(flat).toContain(s);
    expect(flat).toContain(T.tx('payment.heading'));
    expect(flat).toMatch(/5[ \u00a0]400,00 €|€ 5,400\.00/);
    expect(flat).toContain('PIR/2024/1234'); // a decision in force
    expect(flat).toContain(T.tx('attachments.heading'));
    expect(flat).toContain('20260302-3f6c2a9e.handover.json');
    expect(flat).toContain('20260302-3f6c2a9e.meeting.ics');
  });

  it('without a commitment says it is none; with the recipient paying, no invoices to the sender', async () => {
    const d = aftercare();
    delete d.paymentCommitment;
    expect((await letter(d, lang)).flat).toContain(T.tx('payment.noCommitment'));
    d.entitlement!.payer = 'recipient';
    const r = (await letter(d, lang)).flat;
    expect(r).not.toContain('003715728600');
  });

  it('under turvakielto shows no phone, e-mail or address of the youth and says how to reach the youth', async () => {
    const d = aftercare();
    d.youth.nonDisclosure = true;
    const { flat } = await letter(d, lang);
    for (const s of ['+358 50 000 0003', 'aino.testinen@example.org', 'Testgränd', '64200'])
      expect(flat).not.toContain(s);
    expect(flat).toContain(T.tx('youth.nonDisclosure'));
  });

  it('leaves a missing backup contact out and repeats no agenda item', async () => {
    const d = aftercare();
    delete d.sender.backupContact;
    d.meeting!.agenda = [T.tx('meeting.agendaDefault'), 'Asumisen tuen jatko', 'asumisen tuen jatko.'];
    const { flat } = await letter(d, lang);
    expect(flat).not.toContain(T.tx('contacts.senderBackup'));
    expect(flat).not.toMatch(/nimetty|utsetts|been named yet/);
    expect(flat.split(T.tx('meeting.agendaDefault')).length).toBe(2);
    expect(flat.toLowerCase().split('asumisen tuen jatko').length).toBe(2);
  });
});

describe.each(LANGS)('an integration-support letter in %s', (lang) => {
  const T = letterTexts(lang);
  const aftercareWord = { fi: /jälkihuol/i, sv: /eftervård/i, en: /aftercare/i }[lang];

  it('is worded as the support, never as aftercare, and the arranger claims the state reimbursement', async () => {
    const { flat, path } = await letter(integration(), lang);
    expect(flat).toContain(T.tx('subject.integration-support'));
    expect(flat).toContain(T.tx('payment.headingIntegration'));
    expect(flat).toContain('KEHA/1234/2026');
    // The one sentence that names aftercare says that this is not it.
    expect(flat.replace(T.tx('entitlement.integrationRight'), '')).not.toMatch(aftercareWord);
    expect(flat).not.toContain(T.tx('payment.heading'));
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    expect(info).toContain(T.tx('meta.title.integration-support'));
    expect(info).not.toMatch(aftercareWord);
    noCommands(flat);
  });
});

describe('a letter without a signatory in the file', () => {
  it('names the signatory from config, or says the organisation signed', async () => {
    const d = aftercare();
    delete d.signatory;
    const withConfig = await letter(d, 'fi', {
      signatory: { name: 'Kaija Kirjoittaja', title: 'palvelupäällikkö' },
    });
    expect(withConfig.flat).toContain('Kaija Kirjoittaja palvelupäällikkö');
    const none = await letter(d, 'fi');
    expect(none.flat).toContain(
      'Pirkanmaan hyvinvointialue, Jälkihuollon sosiaalityö on allekirjoittanut tämän kirjeen',
    );
  });
});

describe('table layout', () => {
  it('breaks cells between words, keeps an amount with its unit and hyphenates only a word that cannot fit', async () => {
    const d = aftercare();
    d.services[0]!.description = 'Erityisvastaanottajajärjestelyjenkoordinointitehtävät';
    const { raw } = await letter(d, 'fi');
    const lines = raw.split('\n').map((l) => l.trim());
    // No line starts with a currency sign, a unit after a slash or a lone count.
    for (const l of lines) expect(l).not.toMatch(/^(€|\/|×|\(\d+\s*×\)$)/);
    expect(raw).not.toMatch(/vastaanottaj\na\b/);
    expect(raw).toMatch(/450,00[ \u00a0]€[ \u00a0]\/[ \u00a0]kuukausi/);
    // The long word is split with a hyphen, and both parts are there (pdftotext reads the
    // table's cells row by row, so the tail may follow another column's text).
    const word = 'Erityisvastaanottajajärjestelyjenkoordinointitehtävät';
    const head = /(Erityis\p{L}+)-(\s|$)/mu.exec(raw)?.[1];
    expect(head).toBeDefined();
    expect(word.startsWith(head!)).toBe(true);
    expect(raw).toContain(word.slice(head!.length));
  });
});
