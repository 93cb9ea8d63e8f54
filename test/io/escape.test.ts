/**
 * Issue 16, item 3: an unsigned file whose organisation name cleared the screen and set the
 * window title was rejected but stored, and `register list` and `show` printed it raw. Now
 * the file is refused by CONTROL_CHARACTER and every printer escapes what it prints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeControl, jsonText } from '../../src/io/escape.js';
import { runBin, tempDir } from '../helpers/cli.js';
import { handover, makeOrg, type Org, trustEachOther } from '../register/orgs.js';

/** Any control character but the line feed and tab of a printer's own layout. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the assertions are about them
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HOSTILE = 'Evil\u001b[2J\u001b]0;owned\u0007 Oy\u009b31m\rX';

describe('escapeControl', () => {
  it('makes C0, C1 and DEL visible, keeping line feed and tab unless inline', () => {
    expect(escapeControl(HOSTILE)).toBe('Evil\\u001B[2J\\u001B]0;owned\\u0007 Oy\\u009B31m\\u000DX');
    expect(escapeControl('a\tb\nc\u007f')).toBe('a\tb\nc\\u007F');
    expect(escapeControl('a\tb\nc', { inline: true })).toBe('a\\u0009b\\u000Ac');
  });

  it('jsonText: the same JSON, with no raw C1 character', () => {
    const v = { name: HOSTILE };
    const text = jsonText(v, 2);
    expect(JSON.parse(text)).toEqual(v);
    expect(text).not.toMatch(RAW_CONTROL);
  });
});

describe('printers, end to end (built CLI)', () => {
  let B: Org;
  let file: string;
  beforeAll(async () => {
    const A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
    B = await makeOrg('Vastaanottaja', '2082259-7', '091');
    const doc = handover(A, B);
    doc.sender.organization.name = 'Evil\u001b[2J\u001b]0;owned\u0007 Oy\u009b31m';
    file = join(tempDir('handover-esc-'), 'evil.json');
    writeFileSync(file, JSON.stringify(doc));
  }, 60_000);

  it('validate refuses it with CONTROL_CHARACTER; import, register list and show print no control character', async () => {
    const v = await runBin(['validate', file], { env: B.env });
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toContain('CONTROL_CHARACTER');
    const i = await runBin(['import', file], { env: B.env });
    const l = await runBin(['register', 'list'], { env: B.env });
    const s = await runBin(['show', file], { env: B.env });
    const sj = await runBin(['show', file, '--json'], { env: B.env });
    expect(l.stdout).toContain('Evil');
    for (const r of [v, i, l, s, sj]) expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  }, 60_000);
});

/**
 * Issue 22, items 9 and 10: file names with ESC (and other C0/C1 controls), bidirectional
 * overrides and zero-width characters went out raw in verify, sign, seal, open, keys export
 * and validate's "no .json files found"; names inside documents with a bidi override or a
 * zero-width space printed raw everywhere. Real files with such names, the real commands.
 */
describe('names with ESC, bidi overrides and zero-width characters, end to end (built CLI)', () => {
  // Anything a terminal may act on or that hides how a line reads: C0 but LF and tab, DEL, C1,
  // bidi embeddings/overrides/isolates/marks, zero-width characters, LS/PS and the BOM.
  const HIDDEN =
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertions are about them
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
  let A: Org;
  let B: Org;
  let work: string;
  beforeAll(async () => {
    A = await makeOrg('Lähettäjä\u202e yO Oy\u200b', '0166906-4', '020');
    B = await makeOrg('Vastaanottaja', '2082259-7', '091');
    await trustEachOther(A, B);
    work = tempDir('handover-names-');
  }, 120_000);

  it('escapes them in the escaper itself, visibly', () => {
    expect(escapeControl('lasku\u202egpj.exe')).toBe('lasku\\u202Egpj.exe');
    expect(escapeControl('a\u200bb\u2066c\u2069\ufeff')).toBe('a\\u200Bb\\u2066c\\u2069\\uFEFF');
    expect(jsonText({ n: 'x\u202ey' })).toBe('{"n":"x\\u202Ey"}');
    expect(JSON.parse(jsonText({ n: 'x\u202ey' }))).toEqual({ n: 'x\u202ey' });
  });

  it('sign, verify, seal, open, keys export, show and validate print every name escaped', async () => {
    const esc = join(work, 'evil\u001b[2J\u001b]0;owned\u0007.json');
    const bidi = join(work, 'lasku\u202enosj.exe.json');
    const doc = handover(A, B);
    doc.youth.name.given = 'Aino\u200b\u202e';
    writeFileSync(esc, JSON.stringify(doc));
    writeFileSync(bidi, JSON.stringify(doc));
    const sign = await runBin(['sign', esc, '--out', `${esc}.signed.json`, '--no-timestamp'], { env: A.env });
    expect(sign.exitCode, sign.stderr).toBe(0);
    const signBidi = await runBin(['sign', bidi, '--out', `${bidi}.s.json`, '--no-timestamp'], {
      env: A.env,
    });
    expect(signBidi.exitCode, signBidi.stderr).toBe(0);
    const verify = await runBin(['verify', `${esc}.signed.json`], { env: B.env });
    const verifyBidi = await runBin(['verify', `${bidi}.s.json`], { env: B.env });
    const certFile = join(work, 'recipient\u001b[31m\u202e.pem');
    writeFileSync(certFile, B.certPem);
    const seal = await runBin(['seal', `${esc}.signed.json`, '--to', certFile], { env: A.env });
    expect(seal.exitCode, seal.stderr).toBe(0);
    const open = await runBin(['open', `${esc}.signed.json.p7m`, '--out', join(work, 'opened\u001b\u202e')], {
      env: B.env,
    });
    const exported = await runBin(['keys', 'export', '--out', join(work, 'cert\u001b[5m\u200b.pem')], {
      env: A.env,
    });
    expect(exported.exitCode, exported.stderr).toBe(0);
    const empty = join(work, 'inbox\u001b[2J\u202e');
    mkdirSync(empty);
    const none = await runBin(['validate', empty], { env: A.env });
    const validate = await runBin(['validate', esc, bidi], { env: A.env });
    const junit = await runBin(['validate', bidi, '--format', 'junit'], { env: A.env });
    const json = await runBin(['validate', bidi, '--json'], { env: A.env });
    const show = await runBin(['show', `${esc}.signed.json`], { env: B.env });
    const runs = {
      sign,
      signBidi,
      verify,
      verifyBidi,
      seal,
      open,
      exported,
      none,
      validate,
      junit,
      json,
      show,
    };
    for (const [name, r] of Object.entries(runs)) expect(r.stdout + r.stderr, name).not.toMatch(HIDDEN);
    // The names are there, made visible, not dropped.
    expect(sign.stdout).toContain('evil\\u001B[2J\\u001B]0;owned\\u0007.json');
    expect(signBidi.stdout).toContain('lasku\\u202Enosj.exe.json');
    expect(verify.stdout).toContain('\\u001B[2J');
    expect(verifyBidi.stdout).toContain('\\u202E');
    expect(seal.stdout).toContain('\\u001B]0;owned');
    expect(open.stdout + open.stderr).toContain('\\u001B');
    expect(exported.stderr).toContain('cert\\u001B[5m\\u200B.pem');
    expect(none.stderr).toContain('inbox\\u001B[2J\\u202E');
    expect(json.stdout).toContain('\\u202E');
    expect(JSON.parse(json.stdout).files[0].file).toBe(bidi);
    expect(show.stdout).toContain('Aino\\u200B\\u202E');
  }, 180_000);
});
