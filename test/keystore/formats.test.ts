/**
 * The formats that outlive a version: key files written by 0.1 (the hand-written DER writer)
 * and by openssl open with today's code, PKCS#12 files in openssl 3's and the legacy 3DES form
 * import, a self-signed certificate is one openssl reads back, and OAEP decoding after a
 * token's raw RSA gives what node:crypto's own OAEP gives.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FileKeyStore, keyFilePath } from '../../src/keystore/file.js';
import { kdfOf, PBKDF2_ITERATIONS } from '../../src/keystore/pbes2.js';
import { decodeOaep } from '../../src/keystore/pkcs11.js';
import { createSelfSigned, parsePkcs12 } from '../../src/signing/certs.js';
import { certFacts } from '../../src/signing/x509.js';
import { tempDir } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/keys/pbes2-written-by-0.1.pem');
const FIXTURE_PUB = join(import.meta.dirname, '../fixtures/keys/pbes2-written-by-0.1.pub.pem');
const FIXTURE_PASS = 'testiavain – vanha muoto';

const saved = { home: process.env.HANDOVER_HOME, pass: process.env.HANDOVER_KEY_PASSPHRASE };
beforeAll(() => {
  process.env.HANDOVER_HOME = tempDir('handover-formats-');
});
afterAll(() => {
  for (const [k, v] of [
    ['HANDOVER_HOME', saved.home],
    ['HANDOVER_KEY_PASSPHRASE', saved.pass],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

const spki = (k: Parameters<typeof createPublicKey>[0]) =>
  createPublicKey(k).export({ type: 'spki', format: 'der' }) as Buffer;

describe('key files', () => {
  test('a file written by 0.1 opens to its key, and reads as PBKDF2 at 600,000', async () => {
    const pem = readFileSync(FIXTURE, 'utf8');
    expect(kdfOf(pem)).toBe(PBKDF2_ITERATIONS);
    mkdirSync(dirname(keyFilePath('vanha-muoto')), { recursive: true });
    copyFileSync(FIXTURE, keyFilePath('vanha-muoto'));
    process.env.HANDOVER_KEY_PASSPHRASE = FIXTURE_PASS;
    const der = await new FileKeyStore().get('vanha-muoto');
    const key = createPrivateKey({ key: Buffer.from(der!), format: 'der', type: 'pkcs8' });
    expect(spki(key).equals(spki(readFileSync(FIXTURE_PUB)))).toBe(true);
  });

  test('what we write now has the same structure, byte for byte, as the 0.1 file apart from salt, IV and data', async () => {
    process.env.HANDOVER_KEY_PASSPHRASE = FIXTURE_PASS;
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await new FileKeyStore().put('uusi-muoto', key.export({ type: 'pkcs8', format: 'der' }));
    const shape = (file: string) =>
      execFileSync('openssl', ['asn1parse', '-in', file], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.replace(/\[HEX DUMP\]:[0-9A-F]+/, ''));
    expect(shape(keyFilePath('uusi-muoto'))).toEqual(shape(FIXTURE));
  });

  test('a file openssl wrote (PBES2, SHA-512 PRF, 100,000 iterations) opens and is weak', async () => {
    const dir = tempDir();
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    writeFileSync(join(dir, 'k.pem'), key.export({ type: 'pkcs8', format: 'pem' }));
    execFileSync('openssl', [
      'pkcs8',
      '-topk8',
      '-in',
      join(dir, 'k.pem'),
      '-out',
      keyFilePath('openssl'),
      '-v2',
      'aes-128-cbc',
      '-v2prf',
      'hmacWithSHA512',
      '-iter',
      '100000',
      '-passout',
      'pass:openssl kirjoitti tämän',
    ]);
    expect(kdfOf(readFileSync(keyFilePath('openssl'), 'utf8'))).toBe(100_000);
    process.env.HANDOVER_KEY_PASSPHRASE = 'openssl kirjoitti tämän';
    const der = await new FileKeyStore().get('openssl');
    expect(
      spki(createPrivateKey({ key: Buffer.from(der!), format: 'der', type: 'pkcs8' })).equals(spki(key)),
    ).toBe(true);
  });

  test('a PEM that is no encrypted key has no KDF', () => {
    expect(
      kdfOf('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAMCAQE=\n-----END ENCRYPTED PRIVATE KEY-----\n'),
    ).toBe(undefined);
    expect(kdfOf('no pem')).toBe(undefined);
  });
});

describe('PKCS#12', () => {
  function p12(dir: string, pass: string, extra: string[]): Buffer {
    const key = join(dir, 'k.pem');
    const cert = join(dir, 'c.pem');
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '5',
      '-utf8',
      '-subj',
      '/C=FI/O=Österbottens välfärdsområde/CN=Testi',
    ]);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      key,
      '-in',
      cert,
      '-out',
      join(dir, 'o.p12'),
      '-passout',
      `pass:${pass}`,
      ...extra,
    ]);
    return readFileSync(join(dir, 'o.p12'));
  }

  test('the legacy form (PKCS#12 PBE with 3DES, SHA-1 MAC) opens with a non-ASCII passphrase; a wrong one does not', async () => {
    const dir = tempDir();
    const bytes = p12(dir, 'Åke ärlig', [
      '-keypbe',
      'PBE-SHA1-3DES',
      '-certpbe',
      'PBE-SHA1-3DES',
      '-macalg',
      'sha1',
    ]);
    // openssl prints what it found on standard error.
    const shown = spawnSync(
      'openssl',
      ['pkcs12', '-info', '-noout', '-in', join(dir, 'o.p12'), '-passin', 'pass:Åke ärlig'],
      {
        encoding: 'utf8',
      },
    );
    const info = shown.stdout + shown.stderr;
    expect(info).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
    const r = await parsePkcs12(bytes, 'Åke ärlig');
    expect(r.chain).toHaveLength(1);
    expect(r.chain[0]!.subject).toContain('Österbottens välfärdsområde');
    expect(spki(createPrivateKey({ key: Buffer.from(r.pkcs8Der), format: 'der', type: 'pkcs8' }))).toEqual(
      spki(readFileSync(join(dir, 'k.pem'))),
    );
    await expect(parsePkcs12(bytes, 'Ake arlig')).rejects.toMatchObject({ code: 'P12_PASSPHRASE_WRONG' });
  });

  test('a file without a MAC opens only with the passphrase that decrypts it', async () => {
    const dir = tempDir();
    const bytes = p12(dir, 'ilman tiivistettä', ['-nomac']);
    expect((await parsePkcs12(bytes, 'ilman tiivistettä')).chain).toHaveLength(1);
    await expect(parsePkcs12(bytes, 'väärä')).rejects.toMatchObject({ code: 'P12_PASSPHRASE_WRONG' });
  });

  test('bytes after a valid PFX, or a truncated one, are P12_INVALID', async () => {
    const dir = tempDir();
    const bytes = p12(dir, 'oikea', []);
    await expect(parsePkcs12(Buffer.concat([bytes, Buffer.from([0])]), 'oikea')).rejects.toMatchObject({
      code: 'P12_INVALID',
    });
    await expect(parsePkcs12(bytes.subarray(0, bytes.length - 10), 'oikea')).rejects.toMatchObject({
      code: 'P12_INVALID',
    });
  });
});

describe('self-signed certificate', () => {
  test('openssl reads names byte for byte, the key usages, and verifies the signature', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = await createSelfSigned({
      privateKey,
      organizationName: 'Österbottens välfärdsområde',
      businessId: '3221308-6',
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'c.pem'), cert.toString());
    const text = execFileSync(
      'openssl',
      ['x509', '-in', join(dir, 'c.pem'), '-noout', '-text', '-nameopt', 'utf8,sep_multiline'],
      {
        encoding: 'utf8',
      },
    );
    expect(text).toContain('O=Österbottens välfärdsområde');
    expect(text).toContain('organizationIdentifier=NTRFI-3221308-6');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation, Key Encipherment/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toContain('Subject Key Identifier');
    expect(
      execFileSync(
        'openssl',
        ['verify', '-check_ss_sig', '-partial_chain', '-CAfile', join(dir, 'c.pem'), join(dir, 'c.pem')],
        {
          encoding: 'utf8',
        },
      ),
    ).toContain('OK');
    expect(certFacts(cert).organizationIdentifiers).toEqual(['NTRFI-3221308-6']);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });
});

describe('OAEP decoding after raw RSA', () => {
  test('gives what node:crypto encrypted, for every hash; a block under another hash fails', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const hashes = {
      'SHA-1': 'sha1',
      'SHA-256': 'sha256',
      'SHA-384': 'sha384',
      'SHA-512': 'sha512',
    } as const;
    for (const [name, h] of Object.entries(hashes) as [keyof typeof hashes, string][]) {
      for (const size of [0, 1, 32, 62]) {
        const m = randomBytes(size);
        const c = publicEncrypt(
          { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: h },
          m,
        );
        const raw = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, c);
        // A token may return the block without its leading zero bytes.
        expect(Buffer.from(decodeOaep(raw.subarray(1), publicKey, name)).equals(m)).toBe(true);
        expect(() => decodeOaep(raw, publicKey, name === 'SHA-1' ? 'SHA-256' : 'SHA-1')).toThrow();
      }
    }
    const garbage = randomBytes(256);
    garbage[0] = 0;
    expect(() => decodeOaep(garbage, publicKey, 'SHA-256')).toThrow();
  });
});
