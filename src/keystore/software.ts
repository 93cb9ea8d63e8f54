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
          return sign('sha256', data, {
            key: privateKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: 32,
          });
        case 'rsa-pkcs1-sha256':
          return sign('sha256', data, privateKey);
        default:
          return sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
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
