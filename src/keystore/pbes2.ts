/**
 * PKCS#8 EncryptedPrivateKeyInfo with PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 at 600,000
 * iterations (OWASP 2023 for PBKDF2-SHA256) and AES-256-CBC. Node's own export fixes OpenSSL's
 * default of 2,048 iterations, so the structure is built here with pkijs; any PKCS#8 reader
 * (openssl pkcs8, Node's createPrivateKey) opens it. The same module decrypts the
 * password-based encryptions a PKCS#12 file uses: PBES2, and the PKCS#12 PBE with 3DES that
 * older tools (openssl -legacy, Windows exports) still write.
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Asn1Error, asn1, hexBytes, type Pkijs, parseAs, pem, toArrayBuffer } from '../io/asn1.js';

export const PBKDF2_ITERATIONS = 600_000;

const pbkdf2Async = promisify(pbkdf2);

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  hmacSha1: '1.2.840.113549.2.7',
  hmacSha256: '1.2.840.113549.2.9',
  hmacSha384: '1.2.840.113549.2.10',
  hmacSha512: '1.2.840.113549.2.11',
  aes128cbc: '2.16.840.1.101.3.4.1.2',
  aes192cbc: '2.16.840.1.101.3.4.1.22',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  desEde3cbc: '1.2.840.113549.3.7',
  pkcs12Sha3Des: '1.2.840.113549.1.12.1.3',
} as const;

const PRF: Record<string, string> = {
  [OID.hmacSha1]: 'sha1',
  [OID.hmacSha256]: 'sha256',
  [OID.hmacSha384]: 'sha384',
  [OID.hmacSha512]: 'sha512',
};
const CIPHER: Record<string, { name: string; keyLength: number }> = {
  [OID.aes128cbc]: { name: 'aes-128-cbc', keyLength: 16 },
  [OID.aes192cbc]: { name: 'aes-192-cbc', keyLength: 24 },
  [OID.aes256cbc]: { name: 'aes-256-cbc', keyLength: 32 },
  [OID.desEde3cbc]: { name: 'des-ede3-cbc', keyLength: 24 },
};

type AlgorithmIdentifier = InstanceType<Pkijs['AlgorithmIdentifier']>;

/** The PEM of `pkcs8Der` encrypted under `passphrase`. */
export async function encryptPkcs8(pkcs8Der: Uint8Array, passphrase: string): Promise<string> {
  const { pkijs, asn1js } = asn1();
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = await pbkdf2Async(Buffer.from(passphrase, 'utf8'), salt, PBKDF2_ITERATIONS, 32, 'sha256');
  const c = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([c.update(pkcs8Der), c.final()]);
  const kdf = new pkijs.PBKDF2Params({
    salt: new asn1js.OctetString({ valueHex: toArrayBuffer(salt) }),
    iterationCount: PBKDF2_ITERATIONS,
    prf: new pkijs.AlgorithmIdentifier({ algorithmId: OID.hmacSha256, algorithmParams: new asn1js.Null() }),
  });
  const params = new pkijs.PBES2Params({
    keyDerivationFunc: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.pbkdf2,
      algorithmParams: kdf.toSchema(),
    }),
    encryptionScheme: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.aes256cbc,
      algorithmParams: new asn1js.OctetString({ valueHex: toArrayBuffer(iv) }),
    }),
  });
  // EncryptedPrivateKeyInfo has the shape of PKCS#12's shrouded key bag.
  const info = new pkijs.PKCS8ShroudedKeyBag({
    encryptionAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.pbes2,
      algorithmParams: params.toSchema(),
    }),
    encryptedData: new asn1js.OctetString({ valueHex: toArrayBuffer(encrypted) }),
  });
  return pem('ENCRYPTED PRIVATE KEY', new Uint8Array(info.toSchema().toBER()));
}

function encryptedInfoOf(text: string): InstanceType<Pkijs['PKCS8ShroudedKeyBag']> | undefined {
  const m = /-----BEGIN ENCRYPTED PRIVATE KEY-----([\s\S]+?)-----END/.exec(text);
  if (!m) return undefined;
  const { pkijs } = asn1();
  try {
    return parseAs(
      Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'),
      (schema) => new pkijs.PKCS8ShroudedKeyBag({ schema }),
    );
  } catch {
    return undefined;
  }
}

function pbes2Of(alg: AlgorithmIdentifier): InstanceType<Pkijs['PBES2Params']> {
  const { pkijs } = asn1();
  if (alg.algorithmId !== OID.pbes2) throw new Asn1Error('not PBES2');
  return new pkijs.PBES2Params({ schema: alg.algorithmParams });
}

/** The KDF strength of an encrypted PKCS#8 PEM: PBKDF2 iterations, 'scrypt', or undefined. */
export function kdfOf(text: string): number | 'scrypt' | undefined {
  const info = encryptedInfoOf(text);
  if (!info) return undefined;
  try {
    const kdf = pbes2Of(info.encryptionAlgorithm).keyDerivationFunc;
    if (kdf.algorithmId === OID.scrypt) return 'scrypt';
    if (kdf.algorithmId !== OID.pbkdf2) return undefined;
    return new (asn1().pkijs.PBKDF2Params)({ schema: kdf.algorithmParams }).iterationCount;
  } catch {
    return undefined;
  }
}

/** Is this key file weaker than we write today (and so re-encrypted on the next keys write)? */
export const isWeak = (text: string): boolean => {
  const k = kdfOf(text);
  return k !== 'scrypt' && (k === undefined || k < PBKDF2_ITERATIONS);
};

/**
 * RFC 7292 Appendix B.2: the PKCS#12 key derivation (ID 1 key, 2 IV, 3 MAC) over SHA-1 for
 * the legacy PBE; the password as a BMPString with its two zero bytes.
 */
function pkcs12Kdf(password: string, salt: Buffer, iterations: number, id: number, size: number): Buffer {
  const u = 20;
  const v = 64;
  const pass = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), i * 2);
  const fill = (b: Buffer) => {
    const out = Buffer.alloc(b.length === 0 ? 0 : v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length]!;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(pass)]);
  const D = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  for (let n = 0; n * u < size; n++) {
    let A = createHash('sha1').update(D).update(I).digest();
    for (let j = 1; j < iterations; j++) A = createHash('sha1').update(A).digest();
    out.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const x = I[j + k]! + B[k]! + carry;
        I[j + k] = x & 0xff;
        carry = x >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

/**
 * Decrypts data under a password-based AlgorithmIdentifier: PBES2 (PBKDF2 with its PRF, AES or
 * 3DES in CBC mode) with the password's UTF-8 bytes, or pbeWithSHAAnd3-KeyTripleDES-CBC.
 * Throws Asn1Error for a scheme it does not know; a wrong password throws from the cipher.
 */
export async function decryptPbe(
  alg: AlgorithmIdentifier,
  data: Uint8Array,
  password: string,
): Promise<Buffer> {
  const { pkijs, asn1js } = asn1();
  if (alg.algorithmId === OID.pkcs12Sha3Des) {
    // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
    const schema = new asn1js.Sequence({
      value: [new asn1js.OctetString({ name: 'salt' }), new asn1js.Integer({ name: 'iterations' })],
    });
    const r = asn1js.compareSchema(alg.algorithmParams, alg.algorithmParams, schema);
    if (!r.verified) throw new Asn1Error('pkcs-12PbeParams');
    const { salt, iterations } = r.result as Record<string, unknown>;
    if (!(salt instanceof asn1js.OctetString) || !(iterations instanceof asn1js.Integer))
      throw new Asn1Error('pkcs-12PbeParams');
    const count = iterations.valueBlock.valueDec;
    if (!(count > 0 && count <= 10_000_000)) throw new Asn1Error('iterations');
    const s = hexBytes(salt);
    const d = createDecipheriv(
      'des-ede3-cbc',
      pkcs12Kdf(password, s, count, 1, 24),
      pkcs12Kdf(password, s, count, 2, 8),
    );
    return Buffer.concat([d.update(data), d.final()]);
  }
  const params = pbes2Of(alg);
  if (params.keyDerivationFunc.algorithmId !== OID.pbkdf2) throw new Asn1Error('key derivation');
  const kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
  const prf = kdf.prf ? PRF[kdf.prf.algorithmId] : 'sha1';
  const cipher = CIPHER[params.encryptionScheme.algorithmId];
  const iv = params.encryptionScheme.algorithmParams;
  if (!prf || !cipher || !(iv instanceof asn1js.OctetString) || !(kdf.salt instanceof asn1js.OctetString))
    throw new Asn1Error('PBES2 scheme');
  if (!(kdf.iterationCount > 0 && kdf.iterationCount <= 10_000_000)) throw new Asn1Error('iterations');
  const key = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    hexBytes(kdf.salt),
    kdf.iterationCount,
    cipher.keyLength,
    prf,
  );
  const d = createDecipheriv(cipher.name, key, hexBytes(iv));
  return Buffer.concat([d.update(data), d.final()]);
}
