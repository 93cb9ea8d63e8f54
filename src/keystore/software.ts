/**
 * The software KeyHandle: a private key held in this process as a KeyObject (what the
 * keychain, file and memory stores give back). Node's crypto does the work, with exactly the
 * parameters jose used before (PS256: PSS, MGF1-SHA-256, 32-byte salt; ES256: P1363 r‖s).
 */
import { constants, createPublicKey, type KeyObject, privateDecrypt, sign } from 'node:crypto';
import type { KeyHandle, OaepHash, SignMechanism } from './types.js';

const NODE_HASH: Record<OaepHash, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/**
 * crypto.sign with a callback: the signature is computed on libuv's thread pool, as jose's
 * WebCrypto did, so that a batch (import's receipts, several letters) signs on every core
 * instead of blocking the event loop for each signature.
 */
const signAsync = (data: Uint8Array, key: Parameters<typeof sign>[2]): Promise<Uint8Array> =>
  new Promise((resolve, reject) => sign('sha256', data, key, (e, sig) => (e ? reject(e) : resolve(sig))));

export function softwareKey(privateKey: KeyObject): KeyHandle {
  const kind = privateKey.asymmetricKeyType;
  if (kind !== 'rsa' && kind !== 'ec') throw new TypeError(`unsupported key type ${String(kind)}`);
  return {
    type: kind,
    location: 'software',
    publicKey: createPublicKey(privateKey),
    async sign(mechanism: SignMechanism, data: Uint8Array): Promise<Uint8Array> {
      switch (mechanism) {
        case 'rsa-pss-sha256':
          return signAsync(data, {
            key: privateKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: 32,
          });
        case 'rsa-pkcs1-sha256':
          return signAsync(data, privateKey);
        default:
          return signAsync(data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      }
    },
    async decryptOaep(encrypted, params): Promise<Uint8Array> {
      return privateDecrypt(
        {
          key: privateKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: NODE_HASH[params.hash],
          ...(params.label && params.label.length > 0 ? { oaepLabel: params.label } : {}),
        },
        encrypted,
      );
    },
  };
}
