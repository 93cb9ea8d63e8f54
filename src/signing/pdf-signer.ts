/**
 * The CMS inside a PAdES baseline signature (ETSI EN 319 142-1, B-B level): SignedData over
 * the PDF's byte ranges, detached, with the signed attributes contentType, messageDigest and
 * ESS signing-certificate-v2 (which binds the signer's certificate into the signature).
 * No signing-time attribute: PAdES takes the claimed time from the signature dictionary's /M.
 * Built with pkijs, which encodes UTF-8 names byte for byte; node-forge re-encodes them and
 * breaks the issuer match for names like "Österbottens välfärdsområde".
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import { asn1 as asn1Stack, toArrayBuffer } from '../io/asn1.js';
import type { SigningIdentity } from '../keystore/types.js';
import { requestTimestamp } from './tsa.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
} as const;

type Pkijs = typeof import('pkijs');
type Asn1 = typeof import('asn1js');

export async function loadPkijs(): Promise<{ pkijs: Pkijs; asn1: Asn1 }> {
  const { pkijs, asn1js } = asn1Stack();
  return { pkijs, asn1: asn1js };
}

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with SHA-256 (the default, so omitted) and issuerSerial. */
export function signingCertificateV2(asn1: Asn1, cert: InstanceType<Pkijs['Certificate']>, der: Uint8Array) {
  const certHash = createHash('sha256').update(der).digest();
  const issuerSerial = new asn1.Sequence({
    value: [
      new asn1.Sequence({
        value: [
          // GeneralName directoryName [4], explicitly tagged.
          new asn1.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] }),
        ],
      }),
      cert.serialNumber,
    ],
  });
  return new asn1.Sequence({
    value: [
      new asn1.Sequence({
        value: [
          new asn1.Sequence({
            value: [new asn1.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial],
          }),
        ],
      }),
    ],
  });
}

type PkiCert = InstanceType<Pkijs['Certificate']>;
// Parsing a certificate with pkijs/asn1js takes milliseconds; a signing identity is reused
// for many letters (a batch, the bench), and certificates are immutable.
const parsedCerts = new WeakMap<X509Certificate, PkiCert>();

function pkiCert(pkijs: Pkijs, c: X509Certificate): PkiCert {
  let p = parsedCerts.get(c);
  if (!p) {
    p = pkijs.Certificate.fromBER(toArrayBuffer(new Uint8Array(c.raw)));
    parsedCerts.set(c, p);
  }
  return p;
}

/** unsigned attribute id-aa-signatureTimeStampToken (RFC 3161 appendix A): PAdES B-T. */
const SIGNATURE_TIME_STAMP = '1.2.840.113549.1.9.16.2.14';

export class PadesSigner extends Signer {
  constructor(
    private readonly id: SigningIdentity,
    private readonly timestamp?: { url: string; timeoutMs?: number },
  ) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const { pkijs, asn1 } = await loadPkijs();
    const leafDer = new Uint8Array(this.id.chain[0]!.raw);
    const leaf = pkiCert(pkijs, this.id.chain[0]!);
    const digest = createHash('sha256').update(pdfBuffer).digest();
    const attributes = [
      new pkijs.Attribute({
        type: OID.contentType,
        values: [new asn1.ObjectIdentifier({ value: OID.data })],
      }),
      new pkijs.Attribute({
        type: OID.messageDigest,
        values: [new asn1.OctetString({ valueHex: toArrayBuffer(digest) })],
      }),
      new pkijs.Attribute({
        type: OID.signingCertificateV2,
        values: [signingCertificateV2(asn1, leaf, leafDer)],
      }),
    ];
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
    // The signature is over the DER of the attributes as a SET (tag 0x31), not as [0] IMPLICIT.
    const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
    toSign[0] = 0x31;
    // RSA PKCS #1 v1.5 with SHA-256 through the identity's key (in memory or in a token):
    // pkijs' own sign() goes through WebCrypto and wants a key we may not have.
    const signature = Buffer.from(await this.id.key.sign('rsa-pkcs1-sha256', toSign));
    const sha256 = () =>
      new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1.Null() });
    const signed = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [sha256()],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
          digestAlgorithm: sha256(),
          signedAttrs,
          signatureAlgorithm: new pkijs.AlgorithmIdentifier({
            algorithmId: OID.sha256WithRSA,
            algorithmParams: new asn1.Null(),
          }),
          signature: new asn1.OctetString({ valueHex: toArrayBuffer(signature) }),
          ...(this.timestamp ? { unsignedAttrs: await this.stamp(signature) } : {}),
        }),
      ],
      certificates: this.id.chain.map((c) => pkiCert(pkijs, c)),
    });
    const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
    return Buffer.from(info.toSchema().toBER(false));
  }

  /** The TSA's token over the SignerInfo's signature value, as the unsigned attribute of B-T. */
  private async stamp(signature: Buffer) {
    const { pkijs, asn1 } = await loadPkijs();
    const token = await requestTimestamp(this.timestamp!.url, signature, this.timestamp!.timeoutMs);
    return new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [
        new pkijs.Attribute({
          type: SIGNATURE_TIME_STAMP,
          values: [asn1.fromBER(toArrayBuffer(token)).result],
        }),
      ],
    });
  }
}
