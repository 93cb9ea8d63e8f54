/**
 * The facts of a certificate that the path check needs and node:crypto does not give:
 * basicConstraints with its path length, the keyUsage bits, the CRL distribution points, the
 * organizationIdentifier values of the subject, and the issuer and subject names as DER (a
 * CRL names its issuer by the exact bytes).
 */
import { constants, verify as cryptoVerify, type KeyObject, type X509Certificate } from 'node:crypto';
import { Asn1Error, asn1, hexBytes, type Pkijs, parseAs, stringValue } from '../io/asn1.js';

export const KU = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

export interface CertFacts {
  issuerDer: Buffer;
  subjectDer: Buffer;
  /** basicConstraints, when the extension is present. */
  basic?: { ca: boolean; pathLen?: number };
  /** keyUsage bits (KU numbering), when the extension is present. */
  keyUsage?: Set<number>;
  /** URIs of the CRL distribution points (empty when none). */
  crlUrls: string[];
  /** The values of subject attribute 2.5.4.97 (organizationIdentifier). */
  organizationIdentifiers: string[];
}

const OID_ORG_ID = '2.5.4.97';

/** keyUsage bits from the BIT STRING's contents (bit 0 is the high bit of the first byte). */
function bitsOf(bytes: Buffer): Set<number> {
  const set = new Set<number>();
  for (let i = 0; i < bytes.length; i++)
    for (let bit = 0; bit < 8; bit++) if ((bytes[i] ?? 0) & (0x80 >> bit)) set.add(i * 8 + bit);
  return set;
}

/**
 * Facts already read, by the certificate's SHA-256: a batch import meets the same few partner
 * certificates in every file, and parsing one with pkijs costs more than the rest of a
 * signature check. Bounded, oldest out first; the facts are never changed after reading.
 */
const known = new Map<string, CertFacts>();
const KNOWN_MAX = 512;

/** Reads the facts from the certificate's DER with pkijs; throws Asn1Error when it cannot. */
export function certFacts(cert: X509Certificate): CertFacts {
  const key = cert.fingerprint256;
  const hit = known.get(key);
  if (hit) return hit;
  const facts = readFacts(cert);
  if (known.size >= KNOWN_MAX) known.delete(known.keys().next().value as string);
  known.set(key, facts);
  return facts;
}

function readFacts(cert: X509Certificate): CertFacts {
  const { pkijs, asn1js } = asn1();
  const c = parseAs(cert.raw, (schema) => new pkijs.Certificate({ schema }));
  const facts: CertFacts = {
    // The names as they were encoded: a CRL names its issuer by these exact bytes.
    issuerDer: Buffer.from(c.issuer.valueBeforeDecode),
    subjectDer: Buffer.from(c.subject.valueBeforeDecode),
    crlUrls: [],
    organizationIdentifiers: c.subject.typesAndValues
      .filter((tv) => tv.type === OID_ORG_ID)
      .flatMap((tv) => {
        const s = stringValue(tv.value);
        return s === undefined ? [] : [s];
      }),
  };
  for (const ext of c.extensions ?? []) {
    const value: unknown = ext.parsedValue;
    if (value && typeof value === 'object' && 'parsingError' in value && value.parsingError)
      throw new Asn1Error(String(value.parsingError));
    if (ext.extnID === '2.5.29.19' && value instanceof pkijs.BasicConstraints) {
      const len = value.pathLenConstraint;
      facts.basic = {
        ca: value.cA,
        ...(len === undefined
          ? {}
          : {
              pathLen:
                typeof len === 'number' ? len : Number.parseInt(hexBytes(len).toString('hex') || '0', 16),
            }),
      };
    } else if (ext.extnID === '2.5.29.15') {
      if (!(value instanceof asn1js.BitString)) throw new Asn1Error('keyUsage');
      facts.keyUsage = bitsOf(hexBytes(value));
    } else if (ext.extnID === '2.5.29.31') {
      if (!(value instanceof pkijs.CRLDistributionPoints)) throw new Asn1Error('cRLDistributionPoints');
      facts.crlUrls = value.distributionPoints.flatMap((dp) =>
        // DistributionPointName: fullName (GeneralNames) or a name relative to the issuer (no URI).
        Array.isArray(dp.distributionPoint)
          ? dp.distributionPoint.flatMap((gn) =>
              gn.type === 6 && typeof gn.value === 'string' ? [gn.value] : [],
            )
          : [],
      );
    }
  }
  return facts;
}

/** How node:crypto verifies a signature: its hash, and PSS with its salt length where it applies. */
export interface SignatureSpec {
  /** The digest for crypto.verify; null for EdDSA, which hashes by itself. */
  hash: string | null;
  pss?: { saltLength: number };
}

const HASH_OID: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const SIG_OID: Record<string, SignatureSpec> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256' },
  '1.2.840.113549.1.1.12': { hash: 'sha384' },
  '1.2.840.113549.1.1.13': { hash: 'sha512' },
  '1.2.840.10045.4.3.2': { hash: 'sha256' },
  '1.2.840.10045.4.3.3': { hash: 'sha384' },
  '1.2.840.10045.4.3.4': { hash: 'sha512' },
  '1.3.101.112': { hash: null },
  '1.3.101.113': { hash: null },
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';

/**
 * What a signature AlgorithmIdentifier asks for, or undefined when we do not verify it: SHA-1
 * and MD5 signatures, RSASSA-PSS (RFC 4055) whose MGF1 hash differs from its message hash
 * (node:crypto cannot verify those) or whose trailer is not 1, and any other algorithm.
 */
export function signatureSpec(alg: InstanceType<Pkijs['AlgorithmIdentifier']>): SignatureSpec | undefined {
  const known = SIG_OID[alg.algorithmId];
  if (known) return known;
  if (alg.algorithmId !== RSASSA_PSS || !alg.algorithmParams) return undefined;
  const { pkijs } = asn1();
  let p: InstanceType<typeof pkijs.RSASSAPSSParams>;
  try {
    p = new pkijs.RSASSAPSSParams({ schema: alg.algorithmParams });
  } catch {
    return undefined;
  }
  const hash = HASH_OID[p.hashAlgorithm.algorithmId];
  if (!hash || p.maskGenAlgorithm.algorithmId !== MGF1 || p.trailerField !== 1) return undefined;
  let mgfHash: string | undefined;
  try {
    mgfHash =
      HASH_OID[new pkijs.AlgorithmIdentifier({ schema: p.maskGenAlgorithm.algorithmParams }).algorithmId];
  } catch {
    return undefined;
  }
  return mgfHash === hash ? { hash, pss: { saltLength: p.saltLength } } : undefined;
}

/** crypto.verify with a SignatureSpec; false (never a throw) for a key that does not fit. */
export function verifyWith(
  spec: SignatureSpec,
  data: Uint8Array,
  key: KeyObject,
  signature: Uint8Array,
): boolean {
  try {
    return cryptoVerify(
      spec.hash,
      data,
      spec.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.pss.saltLength } : key,
      signature,
    );
  } catch {
    return false;
  }
}
