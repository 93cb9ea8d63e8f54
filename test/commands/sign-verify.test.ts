import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import Sign from '../../src/commands/sign.js';
import TrustAdd from '../../src/commands/trust/add.js';
import Verify from '../../src/commands/verify.js';
import { saveConfig } from '../../src/config/store.js';
import { exportKey, initKey } from '../../src/services/keys.js';
import { auditText } from '../helpers/audit.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { sampleHandover } from '../signing/jws-pki.js';

const PASS = 'komentojen testitunnuslause';
let home: string;
let work: string;
let certFile: string;
let env: Record<string, string>;

beforeAll(async () => {
  home = tempDir();
  work = tempDir();
  env = { HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: PASS, HANDOVER_LANG: 'en' };
  const saved = { h: process.env.HANDOVER_HOME, p: process.env.HANDOVER_KEY_PASSPHRASE };
  process.env.HANDOVER_HOME = home;
  process.env.HANDOVER_KEY_PASSPHRASE = PASS;
  try {
    saveConfig({
      organization: { name: 'Länsi-Uudenmaan hyvinvointialue', businessId: '3221308-6' },
      defaults: { keyStore: 'file' },
    });
    await initKey({ alias: 'default' });
    certFile = join(work, 'own.pem');
    await exportKey({ alias: 'default', out: certFile });
  } finally {
    if (saved.h === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved.h;
    if (saved.p === undefined) delete process.env.HANDOVER_KEY_PASSPHRASE;
    else process.env.HANDOVER_KEY_PASSPHRASE = saved.p;
  }
});

const writeDoc = (name: string, doc: object = sampleHandover()) => {
  const f = join(work, name);
  writeFileSync(f, JSON.stringify(doc, null, 2));
  return f;
};

describe('handover sign', () => {
  test('writes <name>.signed.json beside the input, and refuses to overwrite it', async () => {
    const f = writeDoc('a.handover.json');
    const r = await runCommand(Sign, [f], env);
    expect(r.exitCode).toBe(0);
    const out = join(work, 'a.handover.signed.json');
    expect(r.stdout).toContain(out);
    const signed = JSON.parse(readFileSync(out, 'utf8'));
    expect(signed.signature.jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    expect(JSON.parse(readFileSync(f, 'utf8')).signature).toBeUndefined();
    const again = await runCommand(Sign, [f], env);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toContain('OUTPUT_EXISTS');
  });

  test('--json returns the result only; --in-place replaces the input', async () => {
    const f = writeDoc('b.handover.json');
    const r = await runCommand(Sign, [f, '--in-place', '--json', '--alg', 'RS256'], env);
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({ file: f, output: f, alg: 'RS256', id: sampleHandover().id });
    expect(res.signer.subject).toContain('Länsi-Uudenmaan');
    expect(JSON.parse(readFileSync(f, 'utf8')).signature).toBeDefined();
  });

  test.each(['1.0', '1.1'])(
    'keeps a %s file in its own version (nothing rewrites a version)',
    async (version) => {
      const f = writeDoc(`v${version}.handover.json`, { ...sampleHandover(), schemaVersion: version });
      const r = await runCommand(Sign, [f, '--json'], env);
      expect(r.exitCode).toBe(0);
      const signed = JSON.parse(readFileSync(JSON.parse(r.stdout).output, 'utf8'));
      expect(signed.schemaVersion).toBe(version);
      expect(signed.signature.jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    },
  );

  test('not JSON: exit 1 NOT_A_DOCUMENT; a missing file: exit 2; no key: exit 4', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '[1,2]');
    expect((await runCommand(Sign, [bad], env)).exitCode).toBe(1);
    expect((await runCommand(Sign, [join(work, 'nope.json')], env)).exitCode).toBe(2);
    const r = await runCommand(Sign, [writeDoc('c.json'), '--alias', 'puuttuva', '--json'], env);
    expect(r.exitCode).toBe(4);
    expect(JSON.parse(r.stdout).error.code).toBe('KEY_NOT_FOUND');
    expect(existsSync(join(work, 'c.signed.json'))).toBe(false);
  });
});

describe('handover verify', () => {
  test('untrusted (exit 1) until the certificate is trusted, then valid (exit 0) with signer, fingerprint, time', async () => {
    const f = writeDoc('v.handover.json');
    await runCommand(Sign, [f, '--in-place'], env);
    const before = await runCommand(Verify, [f, '--json'], { ...env, HANDOVER_HOME: tempDir() });
    expect(before.exitCode).toBe(1);
    expect(JSON.parse(before.stdout)).toMatchObject({
      ok: false,
      status: 'untrusted',
      code: 'SIGNATURE_UNTRUSTED',
      reason: 'not-trusted',
    });
    const { X509Certificate } = await import('node:crypto');
    const fingerprint = new X509Certificate(readFileSync(certFile)).fingerprint256;
    const t = await runCommand(TrustAdd, [certFile, '--name', 'oma', '--fingerprint', fingerprint], env);
    expect(t.exitCode).toBe(0);
    const ok = await runCommand(Verify, [f], env);
    expect(ok.exitCode).toBe(0);
    // Verified where it was signed: the key is our own.
    expect(ok.stdout).toContain('signature valid: signed with our own key');
    expect(ok.stdout).toContain('Länsi-Uudenmaan hyvinvointialue');
    expect(ok.stdout).toMatch(/SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(ok.stdout).toMatch(/Signed at: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
    const j = await runCommand(Verify, [f, '--json'], env);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, status: 'valid', kind: 'handover' });
    expect(auditText(home)).toMatch(/"event":"verify","outcome":"valid"/);
  });

  test('a changed file is invalid (exit 1), in Finnish too; a file without signature is missing (exit 1)', async () => {
    const f = writeDoc('t.handover.json');
    await runCommand(Sign, [f, '--in-place'], env);
    const doc = JSON.parse(readFileSync(f, 'utf8'));
    doc.services[0].pricing.unitPriceEur = 4.25;
    writeFileSync(f, JSON.stringify(doc));
    const r = await runCommand(Verify, [f, '--lang', 'fi'], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('allekirjoitus EI ole pätevä');
    const m = await runCommand(Verify, [writeDoc('m.json'), '--json'], env);
    expect(m.exitCode).toBe(1);
    expect(JSON.parse(m.stdout)).toMatchObject({ status: 'missing', code: 'SIGNATURE_MISSING' });
  });

  test('a receipt is recognised by its kind', async () => {
    const f = writeDoc('r.receipt.json', {
      schemaVersion: '1.0',
      kind: 'receipt',
      id: '0b6a1a56-3c8e-4a53-9a2f-0c3e2d1f4b5a',
    });
    await runCommand(Sign, [f, '--in-place'], env);
    const r = await runCommand(Verify, [f, '--json'], env);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'receipt',
      id: '0b6a1a56-3c8e-4a53-9a2f-0c3e2d1f4b5a',
    });
  });

  test('a PDF goes to the PDF verifier: an unsigned one is exit 1 SIGNATURE_MISSING', async () => {
    const f = join(work, 'x.cover-letter.pdf');
    writeFileSync(f, '%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const r = await runCommand(Verify, [f, '--json'], env);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'pdf', ok: false, code: 'SIGNATURE_MISSING' });
    const human = await runCommand(Verify, [f], env);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('x.cover-letter.pdf: no signature.');
  });
});
