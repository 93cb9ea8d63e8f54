import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { HandoverError } from '../../src/core/errors.js';
import { FileKeyStore, keyFilePath } from '../../src/keystore/file.js';
import { MemoryKeyStore } from '../../src/keystore/memory.js';
import { tempDir } from '../helpers/cli.js';

let der: Uint8Array;
const saved = { home: process.env.HANDOVER_HOME, pass: process.env.HANDOVER_KEY_PASSPHRASE };

beforeAll(() => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
});
beforeEach(() => {
  process.env.HANDOVER_HOME = tempDir();
  process.env.HANDOVER_KEY_PASSPHRASE = 'testi-tunnuslause-äö';
});
afterEach(() => {
  for (const [k, v] of [
    ['HANDOVER_HOME', saved.home],
    ['HANDOVER_KEY_PASSPHRASE', saved.pass],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HandoverError);
    return { code: (e as HandoverError).code, exit: (e as HandoverError).exit };
  }
  throw new Error('expected a HandoverError');
};

describe('FileKeyStore', () => {
  test('round-trips the key through an encrypted PKCS#8 file, mode 0600', async () => {
    const s = new FileKeyStore();
    await s.put('palvelin', der);
    expect(Buffer.from((await s.get('palvelin'))!).equals(Buffer.from(der))).toBe(true);
    const text = readFileSync(keyFilePath('palvelin'), 'utf8');
    expect(text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(text).not.toContain(Buffer.from(der).toString('base64').slice(0, 64));
    expect(statSync(keyFilePath('palvelin')).mode & 0o777).toBe(0o600);
    expect(await s.list()).toEqual(['palvelin']);
    expect(await s.remove('palvelin')).toBe(true);
    expect(await s.remove('palvelin')).toBe(false);
    expect(await s.get('palvelin')).toBeUndefined();
  });

  test('no passphrase: exit 4 KEY_PASSPHRASE_MISSING, and nothing is written', async () => {
    delete process.env.HANDOVER_KEY_PASSPHRASE;
    const s = new FileKeyStore();
    expect(await codeOf(s.put('a', der))).toEqual({ code: 'KEY_PASSPHRASE_MISSING', exit: 4 });
    expect(await s.list()).toEqual([]);
  });

  test('a wrong passphrase: exit 4 KEY_PASSPHRASE_WRONG', async () => {
    const s = new FileKeyStore();
    await s.put('a', der);
    process.env.HANDOVER_KEY_PASSPHRASE = 'väärä';
    expect(await codeOf(s.get('a'))).toEqual({ code: 'KEY_PASSPHRASE_WRONG', exit: 4 });
  });
});

describe('MemoryKeyStore', () => {
  test('keeps copies, not the caller’s buffer', async () => {
    const m = new MemoryKeyStore();
    const mine = new Uint8Array(der);
    await m.put('x', mine);
    mine[0] = 0;
    expect((await m.get('x'))![0]).toBe(der[0]);
    expect(await m.list()).toEqual(['x']);
    expect(await m.remove('x')).toBe(true);
  });
});
