/**
 * Certificate revocation lists (RFC 5280 §5) as the trust store keeps them: parsed with the
 * small DER reader, their signature checked against the CA that the certificate path itself
 * provides, never against a name alone.
 */
import { verify as cryptoVerify, type X509Certificate } from 'node:crypto';
import { bytesOf, children, DerError, intHex, oidOf, rawOf, readTlv, timeOf } from '../io/der.js';

export interface Crl {
  /** DER of the issuer Name, compared byte for byte with a certificate's issuer. */
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Serial (upper-case hex, no leading zeros) → revocation date. */
  revoked: Map<string, Date>;
  tbs: Buffer;
  sigAlg: string;
  signature: Buffer;
  /** SHA-256 of the DER: the file name in the store. */
  der: Buffer;
  /** Which issuer keys this CRL's signature was already checked against (fingerprint → ok). */
  checked: Map<string, boolean>;
}

const HASH: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/;

/** Reads a CRL in DER or PEM; throws DerError when it is not one. */
export function parseCrl(input: Uint8Array): Crl {
  const text = Buffer.from(input).toString('latin1');
  const pem = PEM_CRL.exec(text);
  const b = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : Buffer.from(input);
  const top = readTlv(b, 0);
  if (top.tag !== 0x30 || top.end !== b.length) throw new DerError('crl');
  const [tbsT, algT, sigT] = children(b, top);
  if (!tbsT || !algT || !sigT || sigT.tag !== 0x03) throw new DerError('crl');
  const f = children(b, tbsT);
  let i = f[0]?.tag === 0x02 ? 1 : 0;
  const issuer = f[i + 1];
  const thisU = f[i + 2];
  if (!issuer || !thisU) throw new DerError('crl');
  i += 3;
  let nextUpdate: Date | undefined;
  if (f[i] && (f[i]!.tag === 0x17 || f[i]!.tag === 0x18)) nextUpdate = timeOf(b, f[i++]!);
  const revoked = new Map<string, Date>();
  if (f[i]?.tag === 0x30)
    for (const entry of children(b, f[i]!)) {
      const [serial, date] = children(b, entry);
      if (!serial || !date) throw new DerError('crl entry');
      revoked.set(intHex(b, serial), timeOf(b, date));
    }
  const algOid = children(b, algT)[0];
  if (!algOid) throw new DerError('crl');
  return {
    issuerDer: rawOf(b, issuer),
    thisUpdate: timeOf(b, thisU),
    ...(nextUpdate ? { nextUpdate } : {}),
    revoked,
    tbs: rawOf(b, tbsT),
    sigAlg: oidOf(b, algOid),
    signature: bytesOf(b, sigT).subarray(1),
    der: b,
    checked: new Map(),
  };
}

/** Is this CRL signed by the key of this CA certificate? Remembered per CRL and CA. */
export function crlSignedBy(crl: Crl, ca: X509Certificate): boolean {
  const known = crl.checked.get(ca.fingerprint256);
  if (known !== undefined) return known;
  const hash = HASH[crl.sigAlg];
  let ok = false;
  try {
    ok = hash !== undefined && cryptoVerify(hash, crl.tbs, ca.publicKey, crl.signature);
  } catch {
    ok = false;
  }
  crl.checked.set(ca.fingerprint256, ok);
  return ok;
}

/** Current at `now`: issued, and not past its next update (a CRL without one is never current). */
export const crlCurrent = (crl: Crl, now: Date): boolean =>
  crl.thisUpdate.getTime() <= now.getTime() &&
  crl.nextUpdate !== undefined &&
  now.getTime() <= crl.nextUpdate.getTime();
