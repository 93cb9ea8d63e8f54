/**
 * X.509 helpers: self-signed organisation certificates for pilots, PEM chains, PKCS#12 import,
 * and the public facts about a certificate that we show and store. node-forge is loaded lazily.
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';

export interface CertInfo {
  /** RFC 4514-like, comma separated, most significant first as the certificate lists it. */
  subject: string;
  issuer: string;
  /** SHA-256 of the DER, upper-case hex with colons (as openssl and node print it). */
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  serialNumber: string;
}

const nameLine = (n: string): string => n.split('\n').filter(Boolean).join(', ');

export function certInfo(cert: X509Certificate): CertInfo {
  return {
    subject: nameLine(cert.subject),
    issuer: nameLine(cert.issuer),
    fingerprint256: cert.fingerprint256,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
  };
}

/** Is the certificate valid at this instant? */
export const validAt = (cert: X509Certificate, at: Date): boolean =>
  at.getTime() >= new Date(cert.validFrom).getTime() && at.getTime() <= new Date(cert.validTo).getTime();

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** All certificates in a PEM text, in order. Throws CERT_INVALID when none parse. */
export function parsePemChain(text: string): X509Certificate[] {
  const blocks = text.match(PEM_CERT) ?? [];
  const certs: X509Certificate[] = [];
  for (const b of blocks) {
    try {
      certs.push(new X509Certificate(b));
    } catch (e) {
      throw new HandoverError('CERT_INVALID', EXIT.invalid, { key: 'trust.CERT_INVALID', cause: e });
    }
  }
  if (certs.length === 0)
    throw new HandoverError('CERT_INVALID', EXIT.invalid, { key: 'trust.CERT_INVALID' });
  return certs;
}

/** Reads a certificate given as PEM or DER bytes. */
export function parseCertificates(bytes: Uint8Array): X509Certificate[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return parsePemChain(text);
  try {
    return [new X509Certificate(Buffer.from(bytes))];
  } catch (e) {
    throw new HandoverError('CERT_INVALID', EXIT.invalid, { key: 'trust.CERT_INVALID', cause: e });
  }
}

export const chainToPem = (chain: X509Certificate[]): string => chain.map((c) => c.toString()).join('');

/** Does this key (private, or its public half) belong to the certificate? Compares the SPKI DER. */
export function keyMatchesCert(key: KeyObject, cert: X509Certificate): boolean {
  const a = (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  const b = cert.publicKey.export({ type: 'spki', format: 'der' });
  return a.equals(b);
}

export interface SelfSignedOptions {
  privateKey: KeyObject;
  organizationName: string;
  businessId?: string;
  commonName?: string;
  now?: Date;
  years?: number;
}

/**
 * A self-signed certificate for pilots: O = organisation (UTF8String, so ä/ö/å survive),
 * organizationIdentifier = NTRFI-<business ID> (ETSI EN 319 412-1), CN; key usage for
 * signatures (digitalSignature, nonRepudiation) and for sealed files (keyEncipherment).
 */
export async function createSelfSigned(opts: SelfSignedOptions): Promise<X509Certificate> {
  const { default: forge } = await import('node-forge');
  const now = opts.now ?? new Date();
  const pem = opts.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const key = forge.pki.privateKeyFromPem(pem) as import('node-forge').pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial of 16 random bytes (RFC 5280 allows up to 20).
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  const end = new Date(now);
  end.setUTCFullYear(end.getUTCFullYear() + (opts.years ?? 3));
  cert.validity.notAfter = end;
  const utf8 = forge.asn1.Type.UTF8;
  const attrs: import('node-forge').pki.CertificateField[] = [
    { shortName: 'C', value: 'FI' },
    { shortName: 'O', value: opts.organizationName, valueTagClass: utf8 as never },
  ];
  if (opts.businessId)
    attrs.push({ type: '2.5.4.97', value: `NTRFI-${opts.businessId}`, valueTagClass: utf8 as never });
  attrs.push({
    shortName: 'CN',
    value: opts.commonName ?? opts.organizationName,
    valueTagClass: utf8 as never,
  });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true, keyEncipherment: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return new X509Certificate(forge.pki.certificateToPem(cert));
}

export interface Pkcs12Contents {
  pkcs8Der: Uint8Array;
  /** Leaf first, then its issuers as far as the file carries them. */
  chain: X509Certificate[];
}

const p12Error = (code: string, cause?: unknown): HandoverError =>
  new HandoverError(code, EXIT.invalid, { key: `keys.${code}`, cause });

/** Orders certificates leaf first: the one matching the key, then each one's issuer. */
function orderChain(leaf: X509Certificate, others: X509Certificate[]): X509Certificate[] {
  const chain = [leaf];
  const rest = others.filter((c) => c.fingerprint256 !== leaf.fingerprint256);
  for (;;) {
    const last = chain[chain.length - 1]!;
    if (last.checkIssued(last)) break;
    const i = rest.findIndex((c) => last.checkIssued(c) && last.verify(c.publicKey));
    if (i < 0) break;
    chain.push(rest.splice(i, 1)[0]!);
  }
  return chain;
}

/** Reads a PKCS#12 file: the one private key and its certificate chain. */
export async function parsePkcs12(bytes: Uint8Array, passphrase: string): Promise<Pkcs12Contents> {
  const { default: forge } = await import('node-forge');
  let p12: import('node-forge').pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(bytes).toString('binary')), passphrase);
  } catch (e) {
    const m = e instanceof Error ? e.message : '';
    // forge takes the MAC password as BMPString (right) but gives PBES2 the UTF-16 code units
    // instead of UTF-8 bytes (openssl 3's default files): a non-ASCII passphrase whose MAC
    // just verified fails to decrypt. Decrypt again with the UTF-8 bytes; the MAC held.
    const macPassed = /Failed to decrypt/i.test(m);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "anything not ASCII"
    if (!(macPassed && /[^\x00-\x7f]/.test(passphrase))) {
      throw p12Error(/MAC|decrypt|password/i.test(m) ? 'P12_PASSPHRASE_WRONG' : 'P12_INVALID', e);
    }
    try {
      const pfx = forge.asn1.fromDer(Buffer.from(bytes).toString('binary'));
      (pfx.value as unknown[]).splice(2);
      p12 = forge.pkcs12.pkcs12FromAsn1(pfx, forge.util.encodeUtf8(passphrase));
    } catch (e2) {
      throw p12Error('P12_PASSPHRASE_WRONG', e2);
    }
  }
  type Bag = import('node-forge').pkcs12.Bag;
  const bags = (oid: string | undefined): Bag[] => (oid ? (p12.getBags({ bagType: oid })[oid] ?? []) : []);
  const o = forge.pki.oids;
  const keyBags = [...bags(o.pkcs8ShroudedKeyBag), ...bags(o.keyBag)];
  const certBags = bags(o.certBag);
  if (keyBags.length !== 1 || !keyBags[0]?.key) throw p12Error('P12_NO_KEY');
  const rsa = keyBags[0].key as import('node-forge').pki.rsa.PrivateKey;
  const der = forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(rsa))).getBytes();
  const pkcs8Der = new Uint8Array(Buffer.from(der, 'binary'));
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  const certs = certBags.flatMap((b) =>
    b.cert ? [new X509Certificate(forge.pki.certificateToPem(b.cert))] : [],
  );
  const leaf = certs.find((c) => keyMatchesCert(privateKey, c));
  if (!leaf) throw p12Error('P12_NO_CERT');
  return { pkcs8Der, chain: orderChain(leaf, certs) };
}

/** SHA-256 hex of bytes: for audit details that must not carry the bytes themselves. */
