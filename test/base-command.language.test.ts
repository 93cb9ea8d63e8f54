/**
 * One language for everything a command says (SPEC §3): with `defaults.language sv` in the
 * config and nothing else choosing a language, every command answers in Swedish. A sentence
 * of the English catalogue in any output is a command that resolved its language on its own.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Audit from '../src/commands/audit.js';
import ConfigGet from '../src/commands/config/get.js';
import ConfigList from '../src/commands/config/list.js';
import ConfigSet from '../src/commands/config/set.js';
import Import from '../src/commands/import.js';
import KeysExport from '../src/commands/keys/export.js';
import KeysInit from '../src/commands/keys/init.js';
import KeysList from '../src/commands/keys/list.js';
import KeysRemove from '../src/commands/keys/remove.js';
import Letter from '../src/commands/letter.js';
import New from '../src/commands/new.js';
import Open from '../src/commands/open.js';
import RegisterList from '../src/commands/register/list.js';
import RegisterPending from '../src/commands/register/pending.js';
import Seal from '../src/commands/seal.js';
import Show from '../src/commands/show.js';
import Sign from '../src/commands/sign.js';
import TrustAdd from '../src/commands/trust/add.js';
import TrustList from '../src/commands/trust/list.js';
import TrustRemove from '../src/commands/trust/remove.js';
import Validate from '../src/commands/validate.js';
import Verify from '../src/commands/verify.js';
import Withdraw from '../src/commands/withdraw.js';
import { saveConfig } from '../src/config/store.js';
import { ROOT, runCommand } from './helpers/cli.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther } from './register/orgs.js';

type Catalogue = Record<string, string>;
const catalogues = (lang: string): Catalogue[] => {
  const dir = join(ROOT, 'templates', 'messages', lang);
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Catalogue);
};

/**
 * The fixed parts of every English message (the text between placeholders) that are long
 * enough to be a phrase and that no Swedish message shares (a product name, a URL).
 */
function englishPhrases(): string[] {
  const sv = catalogues('sv')
    .flatMap((c) => Object.values(c))
    .join('\n');
  const out = new Set<string>();
  for (const c of catalogues('en'))
    for (const v of Object.values(c))
      for (const part of v.split(/\{\w+\}/)) {
        const p = part.trim();
        if (p.split(/\s+/).length >= 3 && p.length >= 15 && !sv.includes(p)) out.add(p);
      }
  return [...out];
}

let A: Org;
let B: Org;
let phrases: string[];
/** Nothing but the config chooses the language: no --lang, no HANDOVER_LANG, a C locale. */
let envA: Record<string, string | undefined>;
let envB: Record<string, string | undefined>;

const swedishDefaults = (org: Org) => {
  const path = join(org.home, 'config.json');
  const cfg = JSON.parse(readFileSync(path, 'utf8')) as { defaults: Record<string, string> };
  cfg.defaults.language = 'sv';
  return as(org, () => saveConfig(cfg as never));
};

beforeAll(async () => {
  A = await makeOrg('Lähettävä hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Österbottens välfärdsområde', '2082259-7', '499');
  await trustEachOther(A, B);
  await swedishDefaults(A);
  await swedishDefaults(B);
  const neutral = { HANDOVER_LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined, LANG: 'C' };
  envA = { ...A.env, ...neutral };
  envB = { ...B.env, ...neutral };
  phrases = englishPhrases();
});

function expectSwedish(label: string, r: { stdout: string; stderr: string }) {
  const text = `${r.stdout}\n${r.stderr}`;
  expect(text.trim(), `${label} said nothing`).not.toBe('');
  const english = phrases.filter((p) => text.includes(p));
  expect(english, `${label} answered in English`).toEqual([]);
}

describe('defaults.language sv reaches every command', () => {
  it('has English phrases to look for (the check can fail)', () => {
    expect(phrases.length).toBeGreaterThan(100);
    expect(phrases).toContain('The document has no signature.');
  });

  // The sending side, in the order a worker goes, as three tests (each well inside its timeout).
  let file: string;
  let unsigned: string;
  let certFile: string;
  const expectAll = (runs: [string, Awaited<ReturnType<typeof runCommand>>][]) => {
    for (const [label, r] of runs) expectSwedish(label, r);
  };

  it('the sending side, set-up: keys, trust, config', async () => {
    file = await sendFile(A, handover(A, B));
    unsigned = join(A.dir, 'unsigned.json');
    writeFileSync(unsigned, JSON.stringify(handover(A, B)));
    certFile = join(A.dir, 'b.pem');
    writeFileSync(certFile, B.certPem);
    expectAll([
      ['keys list', await runCommand(KeysList, [], envA)],
      ['keys init (exists)', await runCommand(KeysInit, ['--store', 'file'], envA)],
      ['keys init', await runCommand(KeysInit, ['--store', 'file', '--alias', 'second'], envA)],
      ['keys export', await runCommand(KeysExport, ['--out', join(A.dir, 'own.pem')], envA)],
      ['keys remove', await runCommand(KeysRemove, ['second', '--store', 'file'], envA)],
      ['trust list', await runCommand(TrustList, [], envA)],
      ['trust remove', await runCommand(TrustRemove, ['no-such-entry'], envA)],
      ['trust add', await runCommand(TrustAdd, [certFile], envA)],
      ['config get', await runCommand(ConfigGet, ['organization.name'], envA)],
      ['config set', await runCommand(ConfigSet, ['contact.phone', '+358 40 111 2222'], envA)],
      ['config list', await runCommand(ConfigList, [], envA)],
    ]);
  });

  it('the sending side, the documents: sign, verify, show, validate, letter, seal', async () => {
    expectAll([
      ['sign', await runCommand(Sign, [unsigned], envA)],
      ['verify', await runCommand(Verify, [file], envA)],
      ['show', await runCommand(Show, [file], envA)],
      ['validate', await runCommand(Validate, [file], envA)],
      ['letter', await runCommand(Letter, [file, '--out', join(A.dir, 'letters')], envA)],
      ['seal', await runCommand(Seal, [file, '--to', certFile, '--out', join(A.dir, 'sealed')], envA)],
    ]);
  });

  it('the sending side, afterwards: withdraw, register, audit, new', async () => {
    expectAll([
      ['withdraw', await runCommand(Withdraw, [file, '--reason', 'Nuori muutti takaisin.'], envA)],
      ['register list', await runCommand(RegisterList, [], envA)],
      ['register pending', await runCommand(RegisterPending, [], envA)],
      ['audit', await runCommand(Audit, ['--verify'], envA)],
      ['new (no terminal, no draft)', await runCommand(New, ['--no-interactive'], envA)],
    ]);
  });

  it('the receiving side: import, open, and a receipt back at the sender', async () => {
    const doc = handover(A, B);
    const file = await sendFile(A, doc);
    const bCert = join(A.dir, 'b-for-seal.pem');
    writeFileSync(bCert, B.certPem);
    const sealOut = join(A.dir, 'to-b');
    await runCommand(Seal, [file, '--to', bCert, '--out', sealOut], envA);
    const sealed = join(sealOut, readdirSync(sealOut)[0]!);
    const opened = await runCommand(Open, [sealed, '--out', join(B.dir, 'opened.json')], envB);
    expectSwedish('open', opened);
    const imp = await runCommand(Import, [file, '--json'], envB);
    const receipt = (JSON.parse(imp.stdout) as { files: { receiptFile: string }[] }).files[0]!.receiptFile;
    expectSwedish('import', await runCommand(Import, [file], envB));
    expectSwedish('import of a receipt', await runCommand(Import, [receipt], envA));
  });
});
