/**
 * Certificate revocation lists (RFC 5280 §5) as the trust store keeps them: parsed with pkijs,
 * their signature (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA or EdDSA) checked against the CA that
 * the certificate path itself provides, never against a name alone.
 */
import type { X509Certificate } from 'node:crypto';
import { Asn1Error, asn1, hexBytes, parseAs, serialHex } from '../io/asn1.js';
import { type SignatureSpec, signatureSpec, verifyWith } from './x509.js';

export interface Crl {
  /** DER of the issuer Name, compared byte for byte with a certificate's issuer. */
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Serial (upper-case hex, no leading zeros) → revocation date. */
  revoked: Map<string, Date>;
  /** Serials listed with reason certificateHold: the only revocation that can be undone. */
  held: Set<string>;
  tbs: Buffer;
  /** The signature algorithm's OID, and how to verify it (undefined: one we do not verify). */
  sigAlg: string;
  sigSpec: SignatureSpec | undefined;
  signature: Buffer;
  /** SHA-256 of the DER: the file name in the store. */
  der: Buffer;
  /** Which issuer keys this CRL's signature was already checked against (fingerprint → ok). */
  checked: Map<string, boolean>;
}

const REASON_CODE = '2.5.29.21';
const CERTIFICATE_HOLD = 6;

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/;

/** Reads a CRL in DER or PEM; throws Asn1Error when it is not one. */
export function parseCrl(input: Uint8Array): Crl {
  const text = Buffer.from(input).toString('latin1');
  const pem = PEM_CRL.exec(text);
  const b = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : Buffer.from(input);
  const { pkijs, asn1js } = asn1();
  const crl = parseAs(b, (schema) => new pkijs.CertificateRevocationList({ schema }));
  const revoked = new Map<string, Date>();
  const held = new Set<string>();
  for (const entry of crl.revokedCertificates ?? []) {
    const serial = serialHex(entry.userCertificate);
    revoked.set(serial, entry.revocationDate.value);
    const reason = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === REASON_CODE)?.parsedValue;
    if (reason instanceof asn1js.Enumerated && reason.valueBlock.valueDec === CERTIFICATE_HOLD)
      held.add(serial);
  }
  const outer = crl.signatureAlgorithm;
  // RFC 5280 §5.1.1.2: the signed copy of the algorithm must be the same as the outer one.
  const same =
    outer.algorithmId === crl.signature.algorithmId &&
    Buffer.from(outer.toSchema().toBER()).equals(Buffer.from(crl.signature.toSchema().toBER()));
  if (!same) throw new Asn1Error('signature algorithm differs from the signed one');
  return {
    issuerDer: Buffer.from(crl.issuer.valueBeforeDecode),
    thisUpdate: crl.thisUpdate.value,
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.value } : {}),
    revoked,
    held,
    tbs: Buffer.from(crl.tbsView),
    sigAlg: outer.algorithmId,
    sigSpec: signatureSpec(outer),
    signature: hexBytes(crl.signatureValue),
    der: b,
    checked: new Map(),
  };
}

/** Is this CRL signed by the key of this CA certificate? Remembered per CRL and CA. */
export function crlSignedBy(crl: Crl, ca: X509Certificate): boolean {
  const known = crl.checked.get(ca.fingerprint256);
  if (known !== undefined) return known;
  const ok = crl.sigSpec !== undefined && verifyWith(crl.sigSpec, crl.tbs, ca.publicKey, crl.signature);
  crl.checked.set(ca.fingerprint256, ok);
  return ok;
}

/** Current at `now`: issued, and not past its next update (a CRL without one is never current). */
export const crlCurrent = (crl: Crl, now: Date): boolean =>
  crl.thisUpdate.getTime() <= now.getTime() &&
  crl.nextUpdate !== undefined &&
  now.getTime() <= crl.nextUpdate.getTime();

/** Past its next update (or without one) at `now`: it no longer says who is not revoked. */
export const crlStale = (crl: Crl, now: Date): boolean =>
  crl.nextUpdate === undefined || now.getTime() > crl.nextUpdate.getTime();
