/**
 * Test PKI built at test time (never committed keys): roots, intermediates and leaves with
 * chosen validity, CA flags and issuers. Keys are made once per file by the caller and reused.
 */
import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

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
  /** keyUsage bits instead of the defaults (forge names: digitalSignature, keyCertSign, …). */
  keyUsage?: Record<string, boolean>;
  /** A CRL distribution point URI. */
  crlUrl?: string;
  serial?: string;
}

/** The sender business ID of sampleHandover(). */
export const SAMPLE_SENDER = '3221308-6';

let serial = 1;

// forge reads UTF8String names back undecoded, so an issuer name is rebuilt from node's view.
const attrsOf = (c: X509Certificate) =>
  c.subject
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf('=');
      const short = l.slice(0, i);
      return {
        ...(short === 'organizationIdentifier' ? { type: '2.5.4.97' } : { shortName: short }),
        value: l.slice(i + 1),
        valueTagClass: (l.startsWith('C=') ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8) as never,
      };
    });

export function makeCert(spec: CertSpec): X509Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    spec.key.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  );
  cert.serialNumber = spec.serial ?? (serial++).toString(16).padStart(4, '0');
  cert.validity.notBefore = spec.notBefore ?? new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const subject = [
    { shortName: 'C', value: 'FI' },
    { shortName: 'O', value: `${spec.cn} Oy`, valueTagClass: forge.asn1.Type.UTF8 as never },
    ...(spec.businessId
      ? [
          {
            type: '2.5.4.97',
            value: `NTRFI-${spec.businessId}`,
            valueTagClass: forge.asn1.Type.UTF8 as never,
          },
        ]
      : []),
    { shortName: 'CN', value: spec.cn, valueTagClass: forge.asn1.Type.UTF8 as never },
  ];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? attrsOf(spec.issuer.cert) : subject);
  const usage =
    spec.keyUsage ??
    (spec.ca
      ? { keyCertSign: true, cRLSign: true, digitalSignature: true }
      : { digitalSignature: true, nonRepudiation: true, keyEncipherment: true });
  cert.setExtensions([
    spec.ca
      ? {
          name: 'basicConstraints',
          cA: true,
          critical: true,
          ...(spec.pathLen !== undefined ? { pathLenConstraint: spec.pathLen } : {}),
        }
      : { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, ...usage },
    ...(spec.crlUrl ? [{ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: spec.crlUrl }] }] : []),
  ]);
  const signer = spec.issuer?.key ?? spec.key;
  cert.sign(
    forge.pki.privateKeyFromPem(
      signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    ) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return new X509Certificate(forge.pki.certificateToPem(cert));
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
