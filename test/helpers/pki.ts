/**
 * The one certificate factory of the tests: certificates made in-process with pkijs (no openssl
 * subprocess, so the unit tier can use them), with the subject, issuer, validity and extensions
 * a test names. The shared test PKI (test/helpers/pki-setup.ts) is made with it once per run;
 * tests that need a certificate of their own call it directly.
 */
import {
  createHash,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const rsaKeyPair = (bits = 2048): KeyPair => generateKeyPairSync('rsa', { modulusLength: bits });

const generate = promisify(generateKeyPair);
/** The same on libuv's thread pool: several at once for the shared set-up. */
export const rsaKeyPairAsync = (bits = 2048): Promise<KeyPair> => generate('rsa', { modulusLength: bits });

/** keyUsage bits by their RFC 5280 names. */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign';
const USAGE_BIT: Record<KeyUsageName, number> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
};

export interface CertOptions {
  /** The subject in order, as [short name or OID, value]: C is a PrintableString, the rest UTF8. */
  subject: Array<[string, string]>;
  key: KeyPair;
  /** Omitted: self-signed. */
  issuer?: { cert: X509Certificate; key: KeyPair };
  ca?: boolean;
  pathLen?: number;
  /** null: no keyUsage extension at all (as `openssl req -x509` writes a self-signed one). */
  keyUsage?: KeyUsageName[] | null;
  /** extendedKeyUsage OIDs (critical), e.g. timeStamping 1.3.6.1.5.5.7.3.8. */
  extKeyUsage?: string[];
  crlUrl?: string;
  notBefore?: Date;
  notAfter?: Date;
  serial?: number;
}

const ATTR: Record<string, string> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  organizationIdentifier: '2.5.4.97',
  serialNumber: '2.5.4.5',
};

let nextSerial = 0x1000;

const ext = (extnID: string, critical: boolean, value: { toSchema(): asn1js.BaseBlock } | asn1js.BaseBlock) =>
  new pkijs.Extension({
    extnID,
    critical,
    extnValue: ('toSchema' in value ? value.toSchema() : value).toBER(false),
  });

function keyUsageBits(names: KeyUsageName[]): asn1js.BitString {
  let bits = 0;
  for (const n of names) bits |= 0x80 >> USAGE_BIT[n];
  let unused = 0;
  while (unused < 7 && !(bits & (1 << unused))) unused++;
  return new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: unused });
}

const keyId = (spki: pkijs.PublicKeyInfo): ArrayBuffer =>
  new Uint8Array(createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest()).buffer;

/** A certificate signed with SHA-256 by the issuer's key (or its own), with SKI and AKI. */
export async function makeCertificate(o: CertOptions): Promise<X509Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: o.serial ?? nextSerial++ });
  // One attribute per RDN, as openssl and every CA writes them (pkijs would put all in one SET).
  const name = new asn1js.Sequence({
    value: o.subject.map(
      ([type, value]) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({
              type: ATTR[type] ?? type,
              value: type === 'C' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
            }).toSchema(),
          ],
        }),
    ),
  });
  cert.subject = pkijs.RelativeDistinguishedNames.fromBER(name.toBER(false));
  const issuer = o.issuer ? pkijs.Certificate.fromBER(o.issuer.cert.raw) : undefined;
  cert.issuer = issuer ? issuer.subject : cert.subject;
  cert.notBefore.value = o.notBefore ?? new Date('2025-01-01T00:00:00Z');
  cert.notAfter.value = o.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(
    o.key.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const usage: KeyUsageName[] | null =
    o.keyUsage !== undefined
      ? o.keyUsage
      : o.ca
        ? ['digitalSignature', 'keyCertSign', 'cRLSign']
        : ['digitalSignature', 'nonRepudiation'];
  const issuerSpki = issuer ? issuer.subjectPublicKeyInfo : cert.subjectPublicKeyInfo;
  cert.extensions = [
    ext(
      '2.5.29.19',
      true,
      new pkijs.BasicConstraints(
        o.ca ? { cA: true, ...(o.pathLen !== undefined ? { pathLenConstraint: o.pathLen } : {}) } : {},
      ),
    ),
    ...(usage ? [ext('2.5.29.15', true, keyUsageBits(usage))] : []),
    ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyId(cert.subjectPublicKeyInfo) })),
    ext(
      '2.5.29.35',
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: keyId(issuerSpki) }),
      }),
    ),
    ...(o.extKeyUsage ? [ext('2.5.29.37', true, new pkijs.ExtKeyUsage({ keyPurposes: o.extKeyUsage }))] : []),
    ...(o.crlUrl
      ? [
          ext(
            '2.5.29.31',
            false,
            new pkijs.CRLDistributionPoints({
              distributionPoints: [
                new pkijs.DistributionPoint({
                  distributionPoint: [new pkijs.GeneralName({ type: 6, value: o.crlUrl })],
                }),
              ],
            }),
          ),
        ]
      : []),
  ];
  const signer = (o.issuer?.key ?? o.key).privateKey;
  const cryptoKey = await webcrypto.subtle.importKey(
    'pkcs8',
    signer.export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  await cert.sign(cryptoKey, 'SHA-256');
  return new X509Certificate(Buffer.from(cert.toSchema(true).toBER(false)));
}

export const keyPem = (k: KeyPair): string => k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
