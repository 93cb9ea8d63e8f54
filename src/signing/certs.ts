/**
 * X.509 helpers: self-signed organisation certificates for pilots, PEM chains, PKCS#12 import,
 * and the public facts about a certificate that we show and store. ASN.1 through pkijs (io/asn1).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';
import { Asn1Error, asn1, parseAs, positiveInteger, toArrayBuffer, x509Name } from '../io/asn1.js';
import { decryptPbe } from '../keystore/pbes2.js';

const SIG = { sha256WithRSA: '1.2.840.113549.1.1.11', ecdsaWithSha256: '1.2.840.10045.4.3.2' } as const;

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
  const { pkijs, asn1js } = asn1();
  const now = opts.now ?? new Date();
  const spki = createPublicKey(opts.privateKey).export({ type: 'spki', format: 'der' });
  const rsa = opts.privateKey.asymmetricKeyType === 'rsa';
  const algorithm = new pkijs.AlgorithmIdentifier(
    rsa
      ? { algorithmId: SIG.sha256WithRSA, algorithmParams: new asn1js.Null() }
      : { algorithmId: SIG.ecdsaWithSha256 },
  );
  const attrs = [
    { type: '2.5.4.6', value: 'FI' },
    { type: '2.5.4.10', value: opts.organizationName },
    ...(opts.businessId ? [{ type: '2.5.4.97', value: `NTRFI-${opts.businessId}` }] : []),
    { type: '2.5.4.3', value: opts.commonName ?? opts.organizationName },
  ];
  const end = new Date(now);
  end.setUTCFullYear(end.getUTCFullYear() + (opts.years ?? 3));
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  const time = (value: Date) => new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
  // A positive serial of 16 random bytes (RFC 5280 allows up to 20).
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01; // never a leading zero byte to drop
  const publicKey = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(spki));
  const ski = createHash('sha1').update(publicKey.subjectPublicKey.valueBlock.valueHexView).digest();
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: positiveInteger(serial),
    signature: algorithm,
    issuer: x509Name(attrs),
    subject: x509Name(attrs),
    notBefore: time(new Date(now.getTime() - 60_000)),
    notAfter: time(end),
    subjectPublicKeyInfo: publicKey,
    signatureAlgorithm: algorithm,
    extensions: [
      new pkijs.Extension({
        extnID: '2.5.29.19',
        critical: true,
        extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(),
      }),
      // digitalSignature, nonRepudiation, keyEncipherment: bits 0-2, five unused.
      new pkijs.Extension({
        extnID: '2.5.29.15',
        critical: true,
        extnValue: new asn1js.BitString({ unusedBits: 5, valueHex: new Uint8Array([0xe0]).buffer }).toBER(),
      }),
      new pkijs.Extension({
        extnID: '2.5.29.14',
        extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(ski) }).toBER(),
      }),
    ],
  });
  const tbs = new Uint8Array(cert.encodeTBS().toBER());
  cert.tbsView = tbs;
  const signature = cryptoSign(
    'sha256',
    tbs,
    rsa ? opts.privateKey : { key: opts.privateKey, dsaEncoding: 'der' },
  );
  cert.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });
  return new X509Certificate(Buffer.from(cert.toSchema().toBER()));
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

const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  x509: '1.2.840.113549.1.9.22.1',
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
} as const;

/**
 * Reads a PKCS#12 file (RFC 7292) with pkijs: the MAC checked with the passphrase as a
 * BMPString, the encrypted parts opened with PBES2 (the passphrase's UTF-8 bytes, as openssl 3
 * writes them) or the legacy 3DES PBE; the one private key and its certificate chain.
 */
export async function parsePkcs12(bytes: Uint8Array, passphrase: string): Promise<Pkcs12Contents> {
  const { pkijs, asn1js } = asn1();
  let pfx: InstanceType<typeof pkijs.PFX>;
  try {
    pfx = parseAs(bytes, (schema) => new pkijs.PFX({ schema }));
  } catch (e) {
    throw p12Error('P12_INVALID', e);
  }
  try {
    await pfx.parseInternalValues({
      password: toArrayBuffer(Buffer.from(passphrase, 'utf8')),
      // A file without a MAC is still opened only by decrypting with the passphrase.
      checkIntegrity: pfx.macData !== undefined,
    });
  } catch (e) {
    const m = e instanceof Error ? e.message : '';
    throw p12Error(/integrity/i.test(m) ? 'P12_PASSPHRASE_WRONG' : 'P12_INVALID', e);
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw p12Error('P12_INVALID');
  // Decryption that fails after the MAC held (or without one) means the passphrase is wrong.
  const open = async (
    alg: InstanceType<typeof pkijs.AlgorithmIdentifier>,
    data: Uint8Array,
  ): Promise<Buffer> => {
    try {
      return await decryptPbe(alg, data, passphrase);
    } catch (e) {
      throw p12Error(e instanceof Asn1Error ? 'P12_INVALID' : 'P12_PASSPHRASE_WRONG', e);
    }
  };
  const keys: Buffer[] = [];
  const certs: X509Certificate[] = [];
  try {
    for (const part of safe.safeContents) {
      let contents: Uint8Array;
      if (part.contentType === BAG.data && part.content instanceof asn1js.OctetString)
        contents = new Uint8Array(part.content.getValue());
      else if (part.contentType === BAG.encryptedData) {
        const info = new pkijs.EncryptedData({ schema: part.content }).encryptedContentInfo;
        contents = await open(info.contentEncryptionAlgorithm, new Uint8Array(info.getEncryptedContent()));
      } else throw p12Error('P12_INVALID');
      const bags = parseAs(contents, (schema) => new pkijs.SafeContents({ schema })).safeBags;
      for (const bag of bags) {
        const v = bag.bagValue;
        if (bag.bagId === BAG.key && v instanceof pkijs.PrivateKeyInfo)
          keys.push(Buffer.from(v.toSchema().toBER()));
        else if (bag.bagId === BAG.shroudedKey && v instanceof pkijs.PKCS8ShroudedKeyBag)
          keys.push(await open(v.encryptionAlgorithm, new Uint8Array(v.encryptedData.getValue())));
        else if (
          bag.bagId === BAG.cert &&
          v instanceof pkijs.CertBag &&
          v.certId === BAG.x509 &&
          v.certValue instanceof asn1js.OctetString
        )
          certs.push(new X509Certificate(Buffer.from(v.certValue.getValue())));
      }
    }
  } catch (e) {
    if (e instanceof HandoverError) throw e;
    throw p12Error('P12_INVALID', e);
  }
  if (keys.length !== 1) throw p12Error('P12_NO_KEY');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keys[0]!, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw p12Error('P12_INVALID', e);
  }
  const pkcs8Der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
  const leaf = certs.find((c) => keyMatchesCert(privateKey, c));
  if (!leaf) throw p12Error('P12_NO_CERT');
  return { pkcs8Der, chain: orderChain(leaf, certs) };
}

/** SHA-256 hex of bytes: for audit details that must not carry the bytes themselves. */
