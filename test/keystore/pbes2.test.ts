/**
 * Key files: PBKDF2-HMAC-SHA256 at 600,000 iterations that openssl reads, and files of older
 * versions (Node's export: 2,048 iterations) that still open and are re-encrypted on a write.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FileKeyStore, keyFilePath } from '../../src/keystore/file.js';
import { kdfOf, PBKDF2_ITERATIONS } from '../../src/keystore/pbes2.js';
import { tempDir } from '../helpers/cli.js';

const PASS = 'pitkä salasana – lång lösenfras';
const saved = { home: process.env.HANDOVER_HOME, pass: process.env.HANDOVER_KEY_PASSPHRASE };
const der = () =>
  new Uint8Array(
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'der' }),
  );

beforeAll(() => {
  process.env.HANDOVER_HOME = tempDir('handover-keyfile-');
  process.env.HANDOVER_KEY_PASSPHRASE = PASS;
});
afterAll(() => {
  for (const [k, v] of [
    ['HANDOVER_HOME', saved.home],
    ['HANDOVER_KEY_PASSPHRASE', saved.pass],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

describe('FileKeyStore', () => {
  test('writes PBES2 with PBKDF2-HMAC-SHA256 at 600,000 iterations; openssl opens it to the same key', async () => {
    const store = new FileKeyStore();
    const key = der();
    await store.put('uusi', key);
    const pem = readFileSync(keyFilePath('uusi'), 'utf8');
    expect(kdfOf(pem)).toBe(PBKDF2_ITERATIONS);
    const parsed = execFileSync('openssl', ['asn1parse', '-in', keyFilePath('uusi')], { encoding: 'utf8' });
    expect(parsed).toContain('PBKDF2');
    expect(parsed).toContain('hmacWithSHA256');
    expect(parsed).toContain('aes-256-cbc');
    expect(parsed).toMatch(/INTEGER\s+:0927C0/);
    const out = execFileSync(
      'openssl',
      ['pkey', '-in', keyFilePath('uusi'), '-passin', 'env:HANDOVER_KEY_PASSPHRASE'],
      { env: { ...process.env } },
    );
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const spki = (k: Parameters<typeof createPrivateKey>[0]) =>
      createPublicKey(createPrivateKey(k)).export({ type: 'spki', format: 'der' });
    expect(spki(out).equals(spki({ key: Buffer.from(key), format: 'der', type: 'pkcs8' }))).toBe(true);
    expect(Buffer.from((await store.get('uusi'))!).equals(Buffer.from(key))).toBe(true);
  });

  test('an older file (2,048 iterations) opens, and the next write re-encrypts it at full strength', async () => {
    const store = new FileKeyStore();
    const key = der();
    const { createPrivateKey } = await import('node:crypto');
    // What earlier versions wrote: Node's export with OpenSSL's default PBKDF2 count.
    const old = createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' }).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: PASS,
    }) as string;
    mkdirSync(join(process.env.HANDOVER_HOME!, 'keys'), { recursive: true });
    writeFileSync(keyFilePath('vanha'), old);
    expect(kdfOf(old)).toBe(2048);
    expect(Buffer.from((await store.get('vanha'))!).equals(Buffer.from(key))).toBe(true);
    await store.put('toinen', der());
    const upgraded = readFileSync(keyFilePath('vanha'), 'utf8');
    expect(kdfOf(upgraded)).toBe(PBKDF2_ITERATIONS);
    expect(Buffer.from((await store.get('vanha'))!).equals(Buffer.from(key))).toBe(true);
  });

  test('a file another passphrase encrypted is left as it was', async () => {
    const store = new FileKeyStore();
    const { createPrivateKey } = await import('node:crypto');
    const other = createPrivateKey({ key: Buffer.from(der()), format: 'der', type: 'pkcs8' }).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'toinen salasana',
    }) as string;
    writeFileSync(keyFilePath('muu'), other);
    await store.put('kolmas', der());
    expect(readFileSync(keyFilePath('muu'), 'utf8')).toBe(other);
  });
});
