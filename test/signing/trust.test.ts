import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { addTrusted, evaluateTrust, loadTrustStore, removeTrusted } from '../../src/signing/trust.js';
import { tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey, type TestKey } from './jws-pki.js';

const saved = process.env.HANDOVER_HOME;
let home: string;
let k1: TestKey;
let k2: TestKey;

beforeAll(() => {
  k1 = rsaKey();
  k2 = rsaKey();
});
beforeEach(() => {
  home = tempDir();
  process.env.HANDOVER_HOME = home;
});
afterEach(() => {
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
});

describe('trust store', () => {
  test('add, list, add again (no change), remove by name and by fingerprint', () => {
    const a = makeCert({ cn: 'Länsi-Uusimaa', key: k1 });
    const b = makeCert({ cn: 'Österbotten', key: k2 });
    const ra = addTrusted(a.toString());
    expect(ra.added).toBe(true);
    expect(ra.entry.name).toMatch(/^lansi-uusimaa-[0-9a-f]{8}$/);
    expect(addTrusted(a.toString()).added).toBe(false);
    addTrusted(b.toString(), 'pohjanmaa');
    const list = loadTrustStore();
    expect(list.map((e) => e.name).sort()).toEqual([ra.entry.name, 'pohjanmaa'].sort());
    expect(list.find((e) => e.name === 'pohjanmaa')).toMatchObject({
      fingerprint256: b.fingerprint256,
      subject: expect.stringContaining('CN=Österbotten'),
    });
    expect(removeTrusted('pohjanmaa').fingerprint256).toBe(b.fingerprint256);
    expect(removeTrusted(a.fingerprint256.replace(/:/g, '').toLowerCase()).name).toBe(ra.entry.name);
    expect(loadTrustStore()).toEqual([]);
    expect(() => removeTrusted('pohjanmaa')).toThrow(
      expect.objectContaining({ code: 'TRUST_NOT_FOUND', exit: 1 }),
    );
  });

  test('a name in use by another certificate is refused, a bad name is a usage error', () => {
    addTrusted(makeCert({ cn: 'A', key: k1 }).toString(), 'kumppani');
    expect(() => addTrusted(makeCert({ cn: 'B', key: k2 }).toString(), 'kumppani')).toThrow(
      expect.objectContaining({ code: 'TRUST_NAME_EXISTS' }),
    );
    expect(() => addTrusted(makeCert({ cn: 'C', key: k2 }).toString(), '../etc')).toThrow(
      expect.objectContaining({ code: 'TRUST_NAME_INVALID', exit: 2 }),
    );
    expect(readdirSync(join(home, 'trust'))).toEqual(['kumppani.pem']);
  });

  test('not a certificate: CERT_INVALID, exit 1; a damaged file in the store trusts nobody', () => {
    expect(() => addTrusted('hello')).toThrow(expect.objectContaining({ code: 'CERT_INVALID', exit: 1 }));
    addTrusted(makeCert({ cn: 'A', key: k1 }).toString(), 'hyva');
    writeFileSync(
      join(home, 'trust', 'rikki.pem'),
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    );
    expect(loadTrustStore().map((e) => e.name)).toEqual(['hyva']);
  });
});

describe('evaluateTrust', () => {
  test('the x5c order is not trusted: issuers are found among the offered certificates', () => {
    const root = makeCert({ cn: 'Juuri', key: k1, ca: true });
    const leaf = makeCert({ cn: 'Lehti', key: k2, issuer: { cert: root, key: k1 } });
    const at = new Date('2026-03-01');
    expect(evaluateTrust([leaf], [root], at)).toMatchObject({ trusted: true });
    expect(evaluateTrust([leaf, root], [], at)).toEqual({ trusted: false, reason: 'not-trusted' });
    expect(evaluateTrust([], [root], at)).toEqual({ trusted: false, reason: 'chain' });
    expect(evaluateTrust([leaf], [root], new Date('2024-01-01'))).toEqual({
      trusted: false,
      reason: 'expired',
    });
  });
});
