/**
 * A key file is written only under a passphrase of at least 15 characters that is not one
 * character repeated (NIST SP 800-63B-4 for a secret that alone protects the key): `keys init`
 * and `keys import` into the file store refuse a weak one before anything is made or written,
 * in fi, sv and en; a key file that an earlier version wrote under a shorter one still opens.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import KeysImport from '../../src/commands/keys/import.js';
import KeysInit from '../../src/commands/keys/init.js';
import { saveConfig } from '../../src/config/store.js';
import { FileKeyStore, keyFilePath } from '../../src/keystore/file.js';
import { runCommand, tempDir } from '../helpers/cli.js';

function home(): string {
  const h = tempDir('handover-pass-');
  const saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = h;
  saveConfig({ organization: { name: 'Österbottens välfärdsområde', businessId: '3221308-6' } });
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
  return h;
}

const keysDir = (h: string) => (existsSync(join(h, 'keys')) ? readdirSync(join(h, 'keys')) : []);

describe('the passphrase of a key file', () => {
  test.each([
    ['a', 1],
    ['lyhyt-salasana', 14],
    ['aaaaaaaaaaaaaaaaaaaaaaaa', 24],
  ])(
    'keys init --store file refuses %j (KEY_PASSPHRASE_WEAK, exit 4) and writes nothing',
    async (pass, length) => {
      const h = home();
      const r = await runCommand(KeysInit, ['--store', 'file', '--json'], {
        HANDOVER_HOME: h,
        HANDOVER_KEY_PASSPHRASE: pass,
        HANDOVER_LANG: 'en',
      });
      expect(r.exitCode).toBe(4);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'KEY_PASSPHRASE_WEAK', exit: 4 });
      expect(JSON.parse(r.stdout).error.message).toContain(`${length} characters`);
      expect(keysDir(h)).toEqual([]);
      expect(r.stdout + r.stderr).not.toContain(pass.length > 1 ? pass : '"a"');
    },
  );

  test('the message says how it is measured, in fi, sv and en', async () => {
    for (const [lang, words] of [
      ['en', ['at least 15 characters', 'NIST SP 800-63B']],
      ['fi', ['vähintään 15 merkin', 'NIST SP 800-63B']],
      ['sv', ['minst 15 tecken', 'NIST SP 800-63B']],
    ] as const) {
      const r = await runCommand(KeysInit, ['--store', 'file'], {
        HANDOVER_HOME: home(),
        HANDOVER_KEY_PASSPHRASE: 'a',
        HANDOVER_LANG: lang,
      });
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toContain('KEY_PASSPHRASE_WEAK');
      for (const w of words) expect(r.stderr).toContain(w);
    }
  });

  test('15 characters counted as characters, not bytes, are enough', async () => {
    const h = home();
    const r = await runCommand(KeysInit, ['--store', 'file', '--json'], {
      HANDOVER_HOME: h,
      HANDOVER_KEY_PASSPHRASE: 'äöåäöåäöåäöåäöx',
      HANDOVER_LANG: 'en',
    });
    expect(r.exitCode).toBe(0);
    expect(keysDir(h).some((f) => f.endsWith('.key.p8'))).toBe(true);
  });

  test('keys import into the file store refuses a weak one, nothing written', async () => {
    const h = home();
    const dir = tempDir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
        '-days',
        '5',
        '-subj',
        '/CN=T',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    execFileSync(
      'openssl',
      [
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
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    const r = await runCommand(KeysImport, [join(dir, 'o.p12'), '--store', 'file', '--json'], {
      HANDOVER_HOME: h,
      HANDOVER_KEY_PASSPHRASE: 'short',
      HANDOVER_P12_PASSPHRASE: 'p12-salasana',
      HANDOVER_LANG: 'en',
    });
    expect(r.exitCode).toBe(4);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'KEY_PASSPHRASE_WEAK' });
    expect(keysDir(h)).toEqual([]);
  });

  test('a key file written earlier under a short passphrase still opens', async () => {
    const saved = { h: process.env.HANDOVER_HOME, p: process.env.HANDOVER_KEY_PASSPHRASE };
    process.env.HANDOVER_HOME = tempDir();
    process.env.HANDOVER_KEY_PASSPHRASE = 'vanha';
    try {
      const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      mkdirSync(join(process.env.HANDOVER_HOME, 'keys'));
      writeFileSync(
        keyFilePath('vanha'),
        key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'vanha' }),
      );
      const der = await new FileKeyStore().get('vanha');
      expect(
        createPrivateKey({ key: Buffer.from(der!), format: 'der', type: 'pkcs8' })
          .export({ type: 'pkcs8', format: 'der' })
          .equals(key.export({ type: 'pkcs8', format: 'der' })),
      ).toBe(true);
    } finally {
      for (const [k, v] of [
        ['HANDOVER_HOME', saved.h],
        ['HANDOVER_KEY_PASSPHRASE', saved.p],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });
});
