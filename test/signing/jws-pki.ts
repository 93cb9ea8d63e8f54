/**
 * Test PKI built at test time (never committed keys): roots, intermediates and leaves with
 * chosen validity, CA flags and issuers. Keys are made once per file by the caller and reused.
 */
import { generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { asn1, positiveInteger, x509Name } from '../../src/io/asn1.js';

export interface TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const rsaKey = (bits = 2048): TestKey => generateKeyPairSync('rsa', { modulusLength: bits });

export interface CertSpec {
  cn: string;
  key: TestKey;
  issuer?: { cert: X509Certificate; key: TestKey };
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** organizationIdentifier NTRFI-<businessId> in the subject, as `keys init` writes it. */
  businessId?: string;
  /** basicConstraints pathLenConstraint of a CA. */
  pathLen?: number;
  /** keyUsage bits instead of the defaults (RFC 5280 names: digitalSignature, keyCertSign, …). */
  keyUsage?: Record<string, boolean>;
  /** A CRL distribution point URI. */
  crlUrl?: string;
  serial?: string;
}

/** The sender business ID of sampleHandover(). */
export const SAMPLE_SENDER = '3221308-6';

let serial = 1;

const KU_BITS: Record<string, number> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
};

/** A named-bit BIT STRING in DER: trailing zero bits dropped and counted as unused. */
function namedBits(bits: number[]): Uint8Array {
  const { asn1js } = asn1();
  const top = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(top / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return new Uint8Array(new asn1js.BitString({ unusedBits: 7 - (top & 7), valueHex: bytes.buffer }).toBER());
}

const ab = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export function makeCert(spec: CertSpec): X509Certificate {
  const { pkijs, asn1js } = asn1();
  const subject = x509Name([
    { type: '2.5.4.6', value: 'FI' },
    { type: '2.5.4.10', value: `${spec.cn} Oy` },
    ...(spec.businessId ? [{ type: '2.5.4.97', value: `NTRFI-${spec.businessId}` }] : []),
    { type: '2.5.4.3', value: spec.cn },
  ]);
  // The issuer's name exactly as its certificate encodes it.
  const issuer = spec.issuer
    ? pkijs.Certificate.fromBER(ab(new Uint8Array(spec.issuer.cert.raw))).subject
    : subject;
  const hex = spec.serial ?? (serial++).toString(16).padStart(4, '0');
  const time = (value: Date) => new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
  const usage =
    spec.keyUsage ??
    (spec.ca
      ? { keyCertSign: true, cRLSign: true, digitalSignature: true }
      : { digitalSignature: true, nonRepudiation: true, keyEncipherment: true });
  const bits = Object.entries(usage).flatMap(([name, on]) => (on ? [KU_BITS[name]!] : []));
  const alg = new pkijs.AlgorithmIdentifier({
    algorithmId: '1.2.840.113549.1.1.11',
    algorithmParams: new asn1js.Null(),
  });
  const spki = spec.key.publicKey.export({ type: 'spki', format: 'der' });
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: positiveInteger(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')),
    signature: alg,
    issuer,
    subject,
    notBefore: time(spec.notBefore ?? new Date('2025-01-01T00:00:00Z')),
    notAfter: time(spec.notAfter ?? new Date(Date.now() + 365 * 86_400_000)),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(ab(spki)),
    signatureAlgorithm: alg,
    extensions: [
      new pkijs.Extension({
        extnID: '2.5.29.19',
        critical: true,
        extnValue: new pkijs.BasicConstraints(
          spec.ca
            ? { cA: true, ...(spec.pathLen !== undefined ? { pathLenConstraint: spec.pathLen } : {}) }
            : {},
        )
          .toSchema()
          .toBER(),
      }),
      new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: ab(namedBits(bits)) }),
      ...(spec.crlUrl
        ? [
            new pkijs.Extension({
              extnID: '2.5.29.31',
              extnValue: new pkijs.CRLDistributionPoints({
                distributionPoints: [
                  new pkijs.DistributionPoint({
                    distributionPoint: [new pkijs.GeneralName({ type: 6, value: spec.crlUrl })],
                  }),
                ],
              })
                .toSchema()
                .toBER(),
            }),
          ]
        : []),
    ],
  });
  const tbs = new Uint8Array(cert.encodeTBS().toBER());
  cert.tbsView = tbs;
  const signer = spec.issuer?.key ?? spec.key;
  cert.signatureValue = new asn1js.BitString({ valueHex: ab(sign('sha256', tbs, signer.privateKey)) });
  return new X509Certificate(Buffer.from(cert.toSchema().toBER()));
}

/** A plausible handover document (invented person, temporary identity code 900–999). */
export function sampleHandover(): Record<string, unknown> {
  return {
    schemaVersion: '1.0',
    id: '6f1c2a9e-4b7d-4c1e-9a53-2f8e7d6c5b4a',
    type: 'aftercare',
    createdAt: '2026-03-01T10:00:00+02:00',
    language: 'fi',
    sender: {
      organization: {
        name: 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
        businessId: '3221308-6',
      },
      contact: { name: 'Sanna Sosiaalityöntekijä', email: 'sanna.testi@example.fi', phone: '+358401234567' },
      backupContact: { name: 'Åke Varahenkilö', email: 'ake.testi@example.fi' },
    },
    recipient: {
      organization: { name: 'Helsingin kaupunki', businessId: '0201256-6', municipalityCode: '091' },
    },
    youth: {
      name: { given: 'Testi', family: 'Nuori-Äänekoski' },
      birthDate: '2006-05-02',
      personalIdentityCode: '020506A987P',
      newMunicipalityCode: '091',
      wishes: 'Haluaa asunnon läheltä opiskelupaikkaa; tukihenkilö tärkeä. "Lainausmerkit" ja \\ kenoviiva.',
    },
    consent: {
      basis: 'consent',
      givenOn: '2026-02-20',
      method: 'written',
      recordedBy: 'Sanna Sosiaalityöntekijä',
      scope: ['identity', 'contact', 'entitlement', 'services'],
    },
    entitlement: {
      basis: 'custody-placement',
      placementEndedOn: '2024-05-01',
      endsOn: '2029-05-01',
      payer: 'sender',
    },
    services: [
      {
        id: 's1',
        code: 'support-person',
        classification: 'aftercare',
        provider: 'sender',
        payer: 'sender',
        pricing: { unit: 'hour', unitPriceEur: 42.5, estimatedUnits: 120 },
      },
      { id: 's2', code: 'healthcare', classification: 'basic', provider: 'recipient', payer: 'recipient' },
    ],
    notes: 'Yhteinen asiakassuunnitelmaneuvottelu toivotaan maaliskuussa. Emoji 🙂 ja tab\t merkit.',
  };
}
