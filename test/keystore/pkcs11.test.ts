/**
 * The token adapter on its own, against a real SoftHSM2 token: signatures that Node verifies
 * with the certificate's key, RSA-OAEP with SHA-1 inside the token and with SHA-256 through
 * raw RSA plus OAEP decoding here (SoftHSM2 refuses OAEP with SHA-256: checked first, since
 * the fallback is only worth something while that holds), a block for another key refused,
 * and a missing binding reported as PKCS11_UNAVAILABLE (exit 4).
 */
import { constants, publicEncrypt, randomBytes, verify, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isHandoverError } from '../../src/core/errors.js';
import { openTokenKey, type TokenRef } from '../../src/keystore/pkcs11.js';
import type { KeyHandle } from '../../src/keystore/types.js';
import { makeToken, type TestToken, tokenSuite } from '../helpers/softhsm.js';

const PIN = '2468';
const suite = tokenSuite();
const describeToken = suite.run ? describe : describe.skip;

let token: TestToken;
let ref: TokenRef;
let key: KeyHandle;
let cert: X509Certificate;
const saved = process.env.SOFTHSM2_CONF;

beforeAll(async () => {
  if (!suite.run) return;
  token = makeToken({ organization: 'Testi-kunta', businessId: '0166906-4', pin: PIN });
  process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
  ref = { module: token.module, token: token.tokenLabel, key: token.keyLabel };
  const opened = await openTokenKey(ref, PIN);
  key = opened.key;
  cert = new X509Certificate(token.certPem);
  expect(opened.certificates.map((c) => c.fingerprint256)).toEqual([cert.fingerprint256]);
  return () => {
    if (saved === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = saved;
  };
}, 60_000);

const oaep = (hash: string, data: Uint8Array) =>
  publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data);

describeToken('a key in a SoftHSM2 token', () => {
  it("is an RSA key whose public half is the certificate's", () => {
    expect(key).toMatchObject({ type: 'rsa', location: 'pkcs11' });
    expect(key.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      cert.publicKey.export({ type: 'spki', format: 'der' }),
    );
  });

  it('signs PS256 (PSS, MGF1-SHA-256, salt 32) and PKCS #1 v1.5 SHA-256 as Node verifies them', async () => {
    const data = Buffer.from('signing input');
    const pss = await key.sign('rsa-pss-sha256', data);
    expect(
      verify(
        'sha256',
        data,
        { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        pss,
      ),
    ).toBe(true);
    expect(verify('sha256', data, cert.publicKey, await key.sign('rsa-pkcs1-sha256', data))).toBe(true);
  });

  it('SoftHSM2 itself refuses RSA-OAEP with SHA-256 (the reason for the fallback)', async () => {
    const { createRequire } = await import('node:module');
    const g = createRequire(import.meta.url)('graphene-pk11') as typeof import('graphene-pk11');
    const mod = g.Module.load(token.module);
    mod.initialize();
    try {
      const slots = mod.getSlots(true);
      let session: import('graphene-pk11').Session | undefined;
      for (let i = 0; i < slots.length; i++) {
        const s = slots.items(i);
        if (s.getToken().label === token.tokenLabel) session = s.open(g.SessionFlag.SERIAL_SESSION);
      }
      session!.login(PIN, g.UserType.USER);
      const k = session!
        .find({ class: g.ObjectClass.PRIVATE_KEY, label: token.keyLabel })
        .items(0)
        .toType<import('graphene-pk11').PrivateKey>();
      const alg = {
        name: 'RSA_PKCS_OAEP',
        params: new g.RsaOaepParams(g.MechanismEnum.SHA256, g.RsaMgf.MGF1_SHA256),
      };
      expect(() =>
        session!.createDecipher(alg, k).once(oaep('sha256', randomBytes(32)), Buffer.alloc(512)),
      ).toThrow(/CKR_ARGUMENTS_BAD|CKR_MECHANISM_PARAM_INVALID/);
      session!.logout();
      session!.close();
    } finally {
      mod.finalize();
    }
  });

  it('decrypts RSA-OAEP with SHA-1 in the token and with SHA-256 through raw RSA, to the same key', async () => {
    const cek = randomBytes(32);
    expect(Buffer.from(await key.decryptOaep(oaep('sha1', cek), { hash: 'SHA-1' }))).toEqual(cek);
    expect(Buffer.from(await key.decryptOaep(oaep('sha256', cek), { hash: 'SHA-256' }))).toEqual(cek);
  });

  it('refuses a block whose OAEP padding does not check (wrong hash named, or another key)', async () => {
    const cek = randomBytes(32);
    await expect(key.decryptOaep(oaep('sha1', cek), { hash: 'SHA-256' })).rejects.toThrow();
  });

  it('reports a missing binding as PKCS11_UNAVAILABLE, exit 4', async () => {
    const e = await openTokenKey(ref, PIN, () => import('graphene-pk11-is-not-installed' as string)).catch(
      (x: unknown) => x,
    );
    expect(isHandoverError(e) && { code: e.code, exit: e.exit }).toEqual({
      code: 'PKCS11_UNAVAILABLE',
      exit: 4,
    });
  });
});
