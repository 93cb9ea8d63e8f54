/**
 * PKCS#8 EncryptedPrivateKeyInfo with PBES2: PBKDF2-HMAC-SHA256 at 600,000 iterations
 * (OWASP 2023 for PBKDF2-SHA256) and AES-256-CBC. Node's own export fixes OpenSSL's default of
 * 2,048 iterations, so the structure is written here; any PKCS#8 reader (openssl pkcs8, Node's
 * createPrivateKey) opens it.
 */
import { createCipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { encodeOid, encodeUint, seq, tlv } from '../io/der.js';

export const PBKDF2_ITERATIONS = 600_000;

const pbkdf2Async = promisify(pbkdf2);

const octets = (b: Buffer) => tlv(0x04, b);
const int = (n: number): Buffer => {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return encodeUint(Buffer.from(bytes));
};

/** The PEM of `pkcs8Der` encrypted under `passphrase`. */
export async function encryptPkcs8(pkcs8Der: Uint8Array, passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = await pbkdf2Async(Buffer.from(passphrase, 'utf8'), salt, PBKDF2_ITERATIONS, 32, 'sha256');
  const c = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([c.update(pkcs8Der), c.final()]);
  const der = seq(
    seq(
      encodeOid('1.2.840.113549.1.5.13'),
      seq(
        seq(
          encodeOid('1.2.840.113549.1.5.12'),
          seq(octets(salt), int(PBKDF2_ITERATIONS), seq(encodeOid('1.2.840.113549.2.9'), tlv(0x05))),
        ),
        seq(encodeOid('2.16.840.1.101.3.4.1.42'), octets(iv)),
      ),
    ),
    octets(encrypted),
  );
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ENCRYPTED PRIVATE KEY-----\n`;
}

/** The KDF strength of an encrypted PKCS#8 PEM: PBKDF2 iterations, 'scrypt', or undefined. */
export function kdfOf(pem: string): number | 'scrypt' | undefined {
  const m = /-----BEGIN ENCRYPTED PRIVATE KEY-----([\s\S]+?)-----END/.exec(pem);
  if (!m) return undefined;
  const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const hex = der.toString('hex');
  if (hex.includes('06092b06010401da47040b')) return 'scrypt'; // 1.3.6.1.4.1.11591.4.11
  // PBKDF2's OID, then its params: SEQUENCE { OCTET STRING salt, INTEGER iterations, … }.
  const at = der.indexOf(Buffer.from('06092a864886f70d01050c', 'hex'));
  if (at < 0) return undefined;
  let p = at + 11;
  if (der[p] !== 0x30) return undefined;
  p += der[p + 1]! & 0x80 ? 2 + (der[p + 1]! & 0x7f) : 2;
  if (der[p] !== 0x04) return undefined;
  p += 2 + der[p + 1]!;
  if (der[p] !== 0x02) return undefined;
  const n = der[p + 1]!;
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + der[p + 2 + i]!;
  return v;
}

/** Is this key file weaker than we write today (and so re-encrypted on the next keys write)? */
export const isWeak = (pem: string): boolean => {
  const k = kdfOf(pem);
  return k !== 'scrypt' && (k === undefined || k < PBKDF2_ITERATIONS);
};
