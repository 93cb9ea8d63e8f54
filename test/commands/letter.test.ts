import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import KeysInit from '../../src/commands/keys/init.js';
import Letter from '../../src/commands/letter.js';
import Sign from '../../src/commands/sign.js';
import type { LetterResult } from '../../src/services/letter.js';
import { runBin, runCommand, tempDir } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, '..', 'letter', 'fixtures', 'aftercare.handover.json');
let env: Record<string, string>;
let work: string;

beforeAll(async () => {
  const home = tempDir('handover-letter-cmd-home-');
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config.json'),
    JSON.stringify({
      organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0', municipalityCode: '837' },
      defaults: { keyStore: 'file' },
    }),
  );
  env = { HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: 'testi-salasana-åäö', HANDOVER_LANG: 'en' };
  const init = await runCommand(KeysInit, ['--json'], env);
  expect(init.exitCode).toBe(0);
  work = tempDir('handover-letter-cmd-');
  copyFileSync(FIXTURE, join(work, 'case.handover.json'));
  const signed = await runCommand(Sign, [join(work, 'case.handover.json'), '--in-place', '--json'], env);
  expect(signed.exitCode).toBe(0);
});

describe('handover letter --json', () => {
  it('signs with the key from the key store and returns the typed result only', async () => {
    const out = join(work, 'json');
    const r = await runCommand(
      Letter,
      [join(work, 'case.handover.json'), '--out', out, '--youth-copy', '--json'],
      env,
    );
    expect(r.exitCode).toBe(0);
    const parsed = JSON.parse(r.stdout) as LetterResult;
    expect(parsed.letterLanguage).toBe('sv');
    expect(parsed.files.map((f) => f.kind)).toEqual(['cover-letter', 'youth-copy', 'meeting']);
    expect(execFileSync('pdfsig', [parsed.files[0]!.path], { encoding: 'utf8' })).toContain(
      'Signature is Valid',
    );
  });

  it("--youth-lang sets the language of the youth's copy; --letter-lang only the letter's", async () => {
    const out = join(work, 'youth-lang');
    const r = await runCommand(
      Letter,
      [
        join(work, 'case.handover.json'),
        '--out',
        out,
        '--youth-copy',
        '--letter-lang',
        'fi',
        '--youth-lang',
        'en',
        '--json',
      ],
      env,
    );
    expect(r.exitCode).toBe(0);
    const parsed = JSON.parse(r.stdout) as LetterResult;
    expect(parsed.files.map((f) => [f.kind, f.lang])).toEqual([
      ['cover-letter', 'fi'],
      ['youth-copy', 'en'],
      ['meeting', undefined],
    ]);
  });

  it('fails with exit 5 and a JSON error when the letter exists', async () => {
    const out = join(work, 'exists');
    await runCommand(Letter, [join(work, 'case.handover.json'), '--out', out], env);
    const r = await runCommand(Letter, [join(work, 'case.handover.json'), '--out', out, '--json'], env);
    expect(r.exitCode).toBe(5);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'OUTPUT_EXISTS', exit: 5 } });
  });
});

describe('handover letter of either format version', () => {
  it.each(['1.0', '1.1'])('renders a %s file and leaves it in its version', async (version) => {
    const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
    doc.schemaVersion = version;
    if (version === '1.1') {
      doc.replyBy = '2026-12-04';
      doc.signatory = { name: 'Riitta Johtaja', title: 'johtava sosiaalityöntekijä' };
    }
    const file = join(work, `v${version}.handover.json`);
    writeFileSync(file, JSON.stringify(doc, null, 2));
    expect((await runCommand(Sign, [file, '--in-place', '--json'], env)).exitCode).toBe(0);
    const r = await runCommand(Letter, [file, '--out', join(work, `v${version}`), '--json'], env);
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as LetterResult).files[0]!.kind).toBe('cover-letter');
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(version);
  });
});

describe('handover letter (human)', () => {
  it('takes --letter-lang and reports the files; a bad flag value is a usage error', async () => {
    const out = join(work, 'human');
    const r = await runCommand(
      Letter,
      [join(work, 'case.handover.json'), '--out', out, '--letter-lang', 'fi'],
      env,
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Letter language: Finnish');
    expect(r.stdout).toContain('20260302-3f6c2a9e.cover-letter.pdf');
    // The language in words in the worker's language, never its code.
    const sv = await runCommand(
      Letter,
      [join(work, 'case.handover.json'), '--out', join(work, 'sv'), '--letter-lang', 'fi', '--lang', 'sv'],
      env,
    );
    expect(sv.stdout).toContain('Brevets språk: finska');
    const bad = await runCommand(Letter, [join(work, 'case.handover.json'), '--letter-lang', 'de'], env);
    expect(bad.exitCode).toBe(2);
  });

  it('without a key: exit 4, no file written', async () => {
    const out = join(work, 'nokey');
    const r = await runCommand(
      Letter,
      [join(work, 'case.handover.json'), '--out', out, '--key', 'missing'],
      env,
    );
    expect(r.exitCode).toBe(4);
    expect(existsSync(join(out, '20260302-3f6c2a9e.cover-letter.pdf'))).toBe(false);
  });
});

describe('handover letter on an unsigned file', () => {
  it('exits 1 and points to `handover sign`', async () => {
    const dir = tempDir('handover-letter-unsigned-');
    copyFileSync(FIXTURE, join(dir, 'case.handover.json'));
    const r = await runCommand(Letter, [join(dir, 'case.handover.json')], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('HANDOVER_UNSIGNED');
    expect(r.stderr).toContain('handover sign');
  });
});

describe('bin/run.js letter', () => {
  it('runs as a subprocess of the built CLI, and `handover verify` accepts the letter once our certificate is trusted', async () => {
    const out = join(work, 'bin');
    const r = await runBin(['letter', join(work, 'case.handover.json'), '--out', out, '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const letter = (JSON.parse(r.stdout) as LetterResult).files[0]!.path;
    // At home the letter is ours: signed with our own key.
    const home = await runBin(['verify', letter, '--json'], { env });
    expect(JSON.parse(home.stdout)).toMatchObject({ kind: 'pdf', status: 'valid', ownKey: true });
    // At a receiver that has not trusted us yet it is intact but untrusted, until `trust add`.
    const receiver = { ...env, HANDOVER_HOME: tempDir('handover-letter-receiver-') };
    const before = await runBin(['verify', letter, '--json'], { env: receiver });
    expect(JSON.parse(before.stdout)).toMatchObject({ kind: 'pdf', status: 'untrusted' });
    expect(before.exitCode).toBe(1);
    const chain = join(env.HANDOVER_HOME!, 'keys', 'default.chain.pem');
    const { X509Certificate } = await import('node:crypto');
    const fingerprint = new X509Certificate(readFileSync(chain)).fingerprint256;
    const trust = await runBin(['trust', 'add', chain, '--fingerprint', fingerprint], { env: receiver });
    expect(trust.exitCode, trust.stderr).toBe(0);
    const after = await runBin(['verify', letter, '--json'], { env: receiver });
    expect(after.exitCode, after.stdout).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ kind: 'pdf', ok: true, status: 'valid' });
  });
});
