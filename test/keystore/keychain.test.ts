/**
 * The keytar backend against a real Secret Service (gnome-keyring under dbus-run-session, as
 * .ci/run starts it). With HANDOVER_TEST_KEYCHAIN=1 these tests must run; otherwise they run
 * when a session bus is there and say why when not.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { HandoverError } from '../../src/core/errors.js';
import { KeychainKeyStore, type Keytar } from '../../src/keystore/keychain.js';

const required = process.env.HANDOVER_TEST_KEYCHAIN === '1';
const haveBus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

describe('keychain test environment', () => {
  test('a session bus is present when HANDOVER_TEST_KEYCHAIN=1 (no silent skip in CI)', () => {
    if (required)
      expect(haveBus, 'HANDOVER_TEST_KEYCHAIN=1 but DBUS_SESSION_BUS_ADDRESS is not set').toBe(true);
    else expect(typeof haveBus).toBe('boolean');
  });
});

describe.runIf(required || haveBus)(
  'KeychainKeyStore on a real Secret Service (needs dbus-run-session + gnome-keyring)',
  () => {
    test('put, get, list, remove a PKCS#8 key under service "handover"', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
      const alias = `test-${randomBytes(4).toString('hex')}`;
      const s = new KeychainKeyStore();
      await s.probe();
      try {
        expect(await s.get(alias)).toBeUndefined();
        await s.put(alias, der);
        expect(Buffer.from((await s.get(alias))!).equals(Buffer.from(der))).toBe(true);
        expect(await s.list()).toContain(alias);
      } finally {
        expect(await s.remove(alias)).toBe(true);
      }
      expect(await s.get(alias)).toBeUndefined();
      expect(await s.remove(alias)).toBe(false);
    });
  },
);

describe('KeychainKeyStore failure paths', () => {
  test('a keychain that never answers is KEYSTORE_UNAVAILABLE (exit 4) after the timeout, not a hang', async () => {
    const never = new Promise<never>(() => {});
    const stuck: Keytar = {
      getPassword: () => never,
      setPassword: () => never,
      deletePassword: () => never,
      findCredentials: () => never,
    };
    const s = new KeychainKeyStore(200, async () => stuck);
    const t0 = Date.now();
    const err = await s.get('x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err).toMatchObject({ code: 'KEYSTORE_UNAVAILABLE', exit: 4, vars: { reason: 'timeout' } });
  });

  test('keytar missing (optional dependency not built) is KEYSTORE_UNAVAILABLE', async () => {
    const s = new KeychainKeyStore(1000, async () => {
      throw new HandoverError('KEYSTORE_UNAVAILABLE', 4, {
        key: 'keys.KEYSTORE_UNAVAILABLE',
        vars: { reason: 'keytar-missing' },
      });
    });
    await expect(s.put('x', new Uint8Array([1]))).rejects.toMatchObject({
      code: 'KEYSTORE_UNAVAILABLE',
      exit: 4,
    });
  });

  test('a backend error is mapped to a short reason, never echoed', async () => {
    const failing: Keytar = {
      getPassword: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
      setPassword: async () => {
        throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
      },
      deletePassword: async () => false,
      findCredentials: async () => [],
    };
    const s = new KeychainKeyStore(1000, async () => failing);
    await expect(s.get('x')).rejects.toMatchObject({
      code: 'KEYSTORE_UNAVAILABLE',
      vars: { reason: 'no-dbus' },
    });
    await expect(s.put('x', new Uint8Array([1]))).rejects.toMatchObject({
      vars: { reason: 'no-secret-service' },
    });
  });
});
