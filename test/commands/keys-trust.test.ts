import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import KeysExport from '../../src/commands/keys/export.js';
import KeysImport from '../../src/commands/keys/import.js';
import KeysInit from '../../src/commands/keys/init.js';
import KeysList from '../../src/commands/keys/list.js';
import KeysRemove from '../../src/commands/keys/remove.js';
import TrustAdd from '../../src/commands/trust/add.js';
import TrustList from '../../src/commands/trust/list.js';
import TrustRemove from '../../src/commands/trust/remove.js';
import { saveConfig } from '../../src/config/store.js';
import { runBin, runCommand, tempDir } from '../helpers/cli.js';

let env: Record<string, string>;

beforeAll(() => {
  const home = tempDir();
  env = { HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: 'testi-tunnuslause', HANDOVER_LANG: 'sv' };
  const saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = home;
  saveConfig({ organization: { name: 'Österbottens välfärdsområde', businessId: '3221308-6' } });
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
});

describe('keys and trust commands (file store)', () => {
  test('init → list → export → trust add → trust list → trust remove → keys remove', async () => {
    const init = await runCommand(KeysInit, ['--alias', 'pilot', '--store', 'file', '--json'], env);
    expect(init.exitCode).toBe(0);
    const key = JSON.parse(init.stdout);
    expect(key.certificate.subject).toContain('O=Österbottens välfärdsområde');

    const list = await runCommand(KeysList, [], env);
    expect(list.stdout).toContain('pilot  krypterad fil  nyckel finns');
    // The README's fingerprint exchange reads it here.
    expect(list.stdout).toContain(`SHA-256 ${key.certificate.fingerprint256}`);

    const pem = await runCommand(KeysExport, ['pilot'], env);
    expect(pem.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    const file = join(tempDir(), 'pilot.pem');
    expect((await runCommand(KeysExport, ['pilot', '--out', file], env)).exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(pem.stdout);

    // No trust on first use: without a terminal the fingerprint is required, and must match.
    const blind = await runCommand(TrustAdd, [file, '--json'], env);
    expect(blind.exitCode).toBe(2);
    expect(JSON.parse(blind.stdout).error).toMatchObject({ code: 'TRUST_FINGERPRINT_REQUIRED', exit: 2 });
    expect(JSON.parse(blind.stdout).error.message).toContain(key.certificate.fingerprint256);
    const wrong = await runCommand(TrustAdd, [file, '--fingerprint', 'AB'.repeat(32), '--json'], env);
    expect(JSON.parse(wrong.stdout).error).toMatchObject({ code: 'TRUST_FINGERPRINT_MISMATCH', exit: 1 });
    expect(JSON.parse((await runCommand(TrustList, ['--json'], env)).stdout).trusted).toEqual([]);
    const lower = key.certificate.fingerprint256.replace(/:/g, '').toLowerCase();
    const add = await runCommand(TrustAdd, [file, '--fingerprint', lower, '--json'], env);
    expect(JSON.parse(add.stdout)).toMatchObject({
      added: true,
      fingerprint256: key.certificate.fingerprint256,
      expired: false,
    });
    const tl = await runCommand(TrustList, [], env);
    expect(tl.stdout).toContain(key.certificate.fingerprint256);
    const tlj = JSON.parse((await runCommand(TrustList, ['--json'], env)).stdout);
    expect(tlj.trusted).toHaveLength(1);
    expect((await runCommand(TrustRemove, [key.certificate.fingerprint256], env)).exitCode).toBe(0);
    expect(JSON.parse((await runCommand(TrustList, ['--json'], env)).stdout).trusted).toEqual([]);

    const rm = await runCommand(KeysRemove, ['pilot'], env);
    expect(rm.exitCode).toBe(0);
    expect(rm.stdout).toContain('har tagits bort');
    expect(JSON.parse((await runCommand(KeysList, ['--json'], env)).stdout).keys).toEqual([]);
  });

  test('errors are localised and carry the exit code of the spec', async () => {
    const r = await runCommand(KeysExport, ['finns-inte'], env);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('KEY_NOT_FOUND');
    expect(r.stderr).toContain('handover keys init --alias finns-inte');
    const t = await runCommand(TrustAdd, [join(tempDir(), 'nope.pem')], env);
    expect(t.exitCode).toBe(2);
  });
});

describe('keys import passphrase', () => {
  test('from --passphrase-env; without one and without a terminal: exit 2, never a prompt', async () => {
    const dir = tempDir();
    const sh = (args: string[]) =>
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    sh([
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-days',
      '5',
      '-subj',
      '/CN=Testi',
    ]);
    sh([
      'pkcs12',
      '-export',
      '-in',
      'c.pem',
      '-inkey',
      'k.pem',
      '-out',
      'o.p12',
      '-passout',
      'pass:p12-salasana',
    ]);
    const p12 = join(dir, 'o.p12');
    const none = await runCommand(KeysImport, [p12, '--store', 'file'], {
      ...env,
      HANDOVER_P12_PASSPHRASE: undefined,
    });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('P12_PASSPHRASE_MISSING');
    const ok = await runCommand(
      KeysImport,
      [p12, '--store', 'file', '--alias', 'ca-org', '--passphrase-env', 'MY_P12_PASS', '--json'],
      {
        ...env,
        MY_P12_PASS: 'p12-salasana',
      },
    );
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ alias: 'ca-org', origin: 'imported', store: 'file' });
    expect((await runCommand(KeysRemove, ['ca-org'], env)).exitCode).toBe(0);
  });
});

describe('no keychain (subprocess, no D-Bus session)', () => {
  test('keys init exits 4 fast, names --store file and HANDOVER_KEY_PASSPHRASE, writes nothing', async () => {
    const home = tempDir();
    const t0 = Date.now();
    const r = await runBin(['config', 'set', 'organization.name', 'Testi'], { env: { HANDOVER_HOME: home } });
    expect(r.exitCode).toBe(0);
    const noBus = {
      HANDOVER_HOME: home,
      DBUS_SESSION_BUS_ADDRESS: undefined,
      DISPLAY: undefined,
      HANDOVER_LANG: 'en',
    };
    await runBin(['config', 'set', 'organization.businessId', '3221308-6'], { env: noBus });
    const start = Date.now();
    const init = await runBin(['keys', 'init'], { env: noBus, timeoutMs: 20_000 });
    const took = Date.now() - start;
    expect(init.exitCode).toBe(4);
    expect(took).toBeLessThan(10_000);
    expect(init.stderr).toContain('KEYSTORE_UNAVAILABLE');
    expect(init.stderr).toContain('--store file');
    expect(init.stderr).toContain('HANDOVER_KEY_PASSPHRASE');
    expect(init.stderr).not.toMatch(/\n\s+at /);
    const j = await runBin(['keys', 'init', '--json'], { env: noBus });
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'KEYSTORE_UNAVAILABLE', exit: 4 });
    const list = await runBin(['keys', 'list', '--json'], { env: noBus });
    expect(JSON.parse(list.stdout).keys).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
