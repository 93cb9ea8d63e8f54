/**
 * CMS EnvelopedData (RFC 5652) for confidential transport, SPEC §9: AES-256-CBC content
 * encryption, RSA-OAEP (SHA-256) key transport, DER ContentInfo, the form that
 * `openssl cms -decrypt -inform DER` opens. pkijs does the ASN.1; it is loaded lazily because
 * only seal, open and import need it. Opening unwraps the content key through the identity's
 * KeyHandle (in memory, or inside a PKCS#11 token) and decrypts AES-CBC with Node's crypto.
 */
import { createDecipheriv, type X509Certificate } from 'node:crypto';
import { EXIT, HandoverError, isHandoverError } from '../core/errors.js';
import { asn1, toArrayBuffer } from '../io/asn1.js';
import type { KeyHandle, OaepHash } from '../keystore/types.js';

const OID = {
  envelopedData: '1.2.840.113549.1.7.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaOaep: '1.2.840.113549.1.1.7',
  subjectKeyIdentifier: '2.5.29.14',
  mgf1: '1.2.840.113549.1.1.8',
} as const;

const HASHES: Record<string, OaepHash> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** Content encryption we open: AES-CBC (openssl's and our own seal's choice). */
const CONTENT_CIPHERS: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  '2.16.840.1.101.3.4.1.42': 'aes-256-cbc',
};

export type KeyTransport = 'rsa-oaep' | 'rsa-pkcs1-v1_5' | 'other';

/** Who a .p7m is encrypted for, as its RecipientInfos name them. */
export interface P7mRecipient {
  kind: 'issuerAndSerialNumber' | 'subjectKeyIdentifier' | 'keyAgreement' | 'other';
  /** Issuer distinguished name, e.g. "CN=Example, O=Example". */
  issuer?: string;
  /** Serial number in lower-case hex. */
  serialNumber?: string;
  /** Subject key identifier in lower-case hex. */
  subjectKeyIdentifier?: string;
  keyTransport: KeyTransport;
}

/** What the decryption needs: our private key (in memory or in a token) and our certificate (leaf first). */
export interface DecryptionIdentity {
  key: KeyHandle;
  chain: X509Certificate[];
}

type Pkijs = typeof import('pkijs');

async function loadPkijs(): Promise<{ pkijs: Pkijs; engine: InstanceType<Pkijs['CryptoEngine']> }> {
  const { pkijs, engine } = asn1();
  return { pkijs, engine };
}

const err = (code: string, vars: Record<string, string | number> = {}, cause?: unknown): HandoverError =>
  new HandoverError(code, EXIT.invalid, { key: `seal.${code}`, vars, cause });

const hex = (b: ArrayBuffer | Uint8Array): string => Buffer.from(b as Uint8Array).toString('hex');

/** An RSA recipient certificate, from PEM or DER; anything else is refused with a clear code. */
export async function parseRecipientCertificate(bytes: Uint8Array): Promise<{ der: Uint8Array }> {
  const { X509Certificate } = await import('node:crypto');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(bytes));
  } catch (e) {
    throw err('RECIPIENT_CERT_INVALID', {}, e);
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa') {
    throw err('RECIPIENT_KEY_UNSUPPORTED', { type: String(cert.publicKey.asymmetricKeyType) });
  }
  const now = Date.now();
  if (Date.parse(cert.validTo) < now || Date.parse(cert.validFrom) > now) {
    throw err('RECIPIENT_CERT_EXPIRED', { validTo: new Date(cert.validTo).toISOString().slice(0, 10) });
  }
  return { der: new Uint8Array(cert.raw) };
}

/** Encrypts `content` for the holder of `recipientCertDer`; returns a DER ContentInfo. */
export async function sealBytes(content: Uint8Array, recipientCertDer: Uint8Array): Promise<Uint8Array> {
  const { pkijs, engine } = await loadPkijs();
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(recipientCertDer));
  // Unsplit content gives definite lengths throughout: DER, as the product promises, rather
  // than the indefinite-length BER that pkijs writes by default.
  const enveloped = new pkijs.EnvelopedData({ disableSplit: true });
  enveloped.addRecipientByCertificate(cert, { oaepHashAlgorithm: 'SHA-256' }, 1, engine);
  await enveloped.encrypt({ name: 'AES-CBC', length: 256 } as never, toArrayBuffer(content), engine);
  const info = new pkijs.ContentInfo({ contentType: OID.envelopedData, content: enveloped.toSchema() });
  return new Uint8Array(info.toSchema().toBER(false));
}

async function parseEnveloped(pkijs: Pkijs, bytes: Uint8Array) {
  try {
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(bytes));
    if (info.contentType !== OID.envelopedData) throw new Error(`content type ${info.contentType}`);
    return new pkijs.EnvelopedData({ schema: info.content });
  } catch (e) {
    throw err('P7M_MALFORMED', {}, e);
  }
}

function describeRecipients(pkijs: Pkijs, enveloped: InstanceType<Pkijs['EnvelopedData']>): P7mRecipient[] {
  return enveloped.recipientInfos.map((ri) => {
    const v = ri.value;
    if (!(v instanceof pkijs.KeyTransRecipientInfo)) {
      return { kind: ri.variant === 2 ? 'keyAgreement' : 'other', keyTransport: 'other' } as P7mRecipient;
    }
    const alg = v.keyEncryptionAlgorithm.algorithmId;
    const keyTransport: KeyTransport =
      alg === OID.rsaOaep ? 'rsa-oaep' : alg === OID.rsaEncryption ? 'rsa-pkcs1-v1_5' : 'other';
    if (v.rid instanceof pkijs.IssuerAndSerialNumber) {
      return {
        kind: 'issuerAndSerialNumber',
        issuer: nameToString(v.rid.issuer),
        serialNumber: hex(v.rid.serialNumber.valueBlock.valueHexView),
        keyTransport,
      };
    }
    return {
      kind: 'subjectKeyIdentifier',
      subjectKeyIdentifier: hex(v.rid.valueBlock.valueHexView),
      keyTransport,
    };
  });
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
};

function nameToString(name: InstanceType<Pkijs['RelativeDistinguishedNames']>): string {
  return name.typesAndValues
    .map((tv) => `${SHORT_NAMES[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
    .join(', ');
}

/** Lists the recipients of a .p7m without decrypting it. */
export async function inspectP7m(bytes: Uint8Array): Promise<P7mRecipient[]> {
  const { pkijs } = await loadPkijs();
  return describeRecipients(pkijs, await parseEnveloped(pkijs, bytes));
}

/**
 * Decrypts a .p7m with our key. The recipient identifiers are compared with our certificate
 * first, so that a file for someone else says so instead of failing inside RSA. A file that
 * decrypts is not yet proven intact (CBC has no integrity): the caller verifies the signed
 * document inside.
 */
export async function decryptP7m(bytes: Uint8Array, identity: DecryptionIdentity): Promise<Uint8Array> {
  const { pkijs } = await loadPkijs();
  const enveloped = await parseEnveloped(pkijs, bytes);
  const leaf = identity.chain[0];
  if (!leaf) throw err('P7M_NOT_FOR_US', { recipients: '-' });
  const ours = pkijs.Certificate.fromBER(toArrayBuffer(new Uint8Array(leaf.raw)));
  const ourSki = ours.extensions?.find((x) => x.extnID === OID.subjectKeyIdentifier)?.parsedValue as
    | { valueBlock: { valueHexView: Uint8Array } }
    | undefined;
  const ourSkiHex = ourSki ? hex(ourSki.valueBlock.valueHexView) : undefined;
  const ourSerialHex = hex(ours.serialNumber.valueBlock.valueHexView);

  const index = enveloped.recipientInfos.findIndex((ri) => {
    const v = ri.value;
    if (!(v instanceof pkijs.KeyTransRecipientInfo)) return false;
    if (v.rid instanceof pkijs.IssuerAndSerialNumber) {
      return (
        v.rid.issuer.isEqual(ours.issuer) && hex(v.rid.serialNumber.valueBlock.valueHexView) === ourSerialHex
      );
    }
    return ourSkiHex !== undefined && hex(v.rid.valueBlock.valueHexView) === ourSkiHex;
  });
  const recipients = describeRecipients(pkijs, enveloped);
  if (index < 0) {
    const names = recipients.map((r) =>
      r.kind === 'issuerAndSerialNumber'
        ? `${r.issuer} #${r.serialNumber}`
        : r.kind === 'subjectKeyIdentifier'
          ? `keyid ${r.subjectKeyIdentifier}`
          : r.kind,
    );
    throw err('P7M_NOT_FOR_US', { recipients: names.join('; ') || '-' });
  }
  const transport = recipients[index]?.keyTransport;
  // Node refuses PKCS#1 v1.5 decryption (Marvin attack hardening) and WebCrypto lacks it:
  // name the cause and the re-encryption command instead of a generic failure.
  if (transport === 'rsa-pkcs1-v1_5') throw err('P7M_PKCS1_V15');
  if (transport !== 'rsa-oaep') throw err('P7M_UNSUPPORTED');

  const ktri = enveloped.recipientInfos[index]!.value as InstanceType<Pkijs['KeyTransRecipientInfo']>;
  const hash = oaepHashOf(pkijs, ktri.keyEncryptionAlgorithm.algorithmParams);
  let cek: Uint8Array;
  try {
    cek = await identity.key.decryptOaep(new Uint8Array(ktri.encryptedKey.valueBlock.valueHexView), { hash });
  } catch (e) {
    // A token that refuses the OAEP hash says so itself (a HandoverError): keep its words.
    if (isHandoverError(e)) throw e;
    throw err('P7M_DECRYPT_FAILED', {}, e);
  }
  return decryptContent(enveloped, cek);
}

/** The OAEP hash named by RSAES-OAEP-params (SHA-1 when absent); MGF1 must use the same hash. */
function oaepHashOf(pkijs: Pkijs, params: unknown): OaepHash {
  let p: InstanceType<Pkijs['RSAESOAEPParams']>;
  try {
    p = new pkijs.RSAESOAEPParams(
      params && (params as { idBlock?: { tagNumber?: number } }).idBlock?.tagNumber === 16
        ? { schema: params }
        : {},
    );
  } catch (e) {
    throw err('P7M_MALFORMED', {}, e);
  }
  const hash = HASHES[p.hashAlgorithm.algorithmId];
  const mgf = p.maskGenAlgorithm;
  let mgfHash: OaepHash | undefined;
  try {
    mgfHash =
      mgf.algorithmId === OID.mgf1
        ? HASHES[new pkijs.AlgorithmIdentifier({ schema: mgf.algorithmParams }).algorithmId]
        : undefined;
  } catch {
    mgfHash = undefined;
  }
  if (!hash || mgfHash !== hash) throw err('P7M_UNSUPPORTED');
  return hash;
}

/** AES-CBC over the encrypted content with the key the recipient info carried. */
function decryptContent(
  enveloped: { encryptedContentInfo: EncryptedContentInfo },
  cek: Uint8Array,
): Uint8Array {
  const eci = enveloped.encryptedContentInfo;
  const cipher = CONTENT_CIPHERS[eci.contentEncryptionAlgorithm.algorithmId];
  if (!cipher) throw err('P7M_DECRYPT_FAILED');
  try {
    const iv = new Uint8Array(
      (eci.contentEncryptionAlgorithm.algorithmParams as { valueBlock: { valueHexView: Uint8Array } })
        .valueBlock.valueHexView,
    );
    const d = createDecipheriv(cipher, cek, iv);
    return new Uint8Array(Buffer.concat([d.update(new Uint8Array(eci.getEncryptedContent())), d.final()]));
  } catch (e) {
    throw err('P7M_DECRYPT_FAILED', {}, e);
  }
}

type EncryptedContentInfo = InstanceType<Pkijs['EncryptedContentInfo']>;
