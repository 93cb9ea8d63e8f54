/**
 * The facts of a certificate that the path check needs and node:crypto does not give:
 * basicConstraints with its path length, the keyUsage bits, the CRL distribution points, the
 * organizationIdentifier values of the subject, and the issuer and subject names as DER (a
 * CRL names its issuer by the exact bytes).
 */
import type { X509Certificate } from 'node:crypto';
import { bytesOf, children, DerError, oidOf, rawOf, readTlv, stringOf, type Tlv } from '../io/der.js';

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

function nameValues(b: Uint8Array, name: Tlv, oid: string): string[] {
  const out: string[] = [];
  for (const rdn of children(b, name))
    for (const atv of children(b, rdn)) {
      const [type, value] = children(b, atv);
      if (type && value && oidOf(b, type) === oid) {
        const s = stringOf(b, value);
        if (s !== undefined) out.push(s);
      }
    }
  return out;
}

function bitsOf(b: Uint8Array, t: Tlv): Set<number> {
  if (t.tag !== 0x03) throw new DerError('bit string');
  const set = new Set<number>();
  for (let i = t.body + 1; i < t.end; i++)
    for (let bit = 0; bit < 8; bit++) if (b[i]! & (0x80 >> bit)) set.add((i - t.body - 1) * 8 + bit);
  return set;
}

function crlUris(b: Uint8Array, seq: Tlv): string[] {
  const out: string[] = [];
  // DistributionPoint ::= SEQUENCE { distributionPoint [0] { fullName [0] GeneralNames } ... }
  for (const dp of children(b, seq))
    for (const f of children(b, dp))
      if (f.tag === 0xa0)
        for (const full of children(b, f))
          if (full.tag === 0xa0)
            for (const gn of children(b, full))
              if (gn.tag === 0x86) out.push(Buffer.from(b.subarray(gn.body, gn.end)).toString('latin1'));
  return out;
}

/** Reads the facts from the certificate's DER; throws DerError when it cannot. */
export function certFacts(cert: X509Certificate): CertFacts {
  const b = cert.raw;
  const top = readTlv(b, 0);
  const tbs = children(b, top)[0];
  if (!tbs) throw new DerError('tbs');
  const f = children(b, tbs);
  const i = f[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = f[i + 2];
  const subject = f[i + 4];
  if (!issuer || !subject) throw new DerError('names');
  const facts: CertFacts = {
    issuerDer: rawOf(b, issuer),
    subjectDer: rawOf(b, subject),
    crlUrls: [],
    organizationIdentifiers: nameValues(b, subject, OID_ORG_ID),
  };
  const extWrap = f.find((t) => t.tag === 0xa3);
  if (!extWrap) return facts;
  const exts = children(b, extWrap)[0];
  if (!exts) return facts;
  for (const ext of children(b, exts)) {
    const parts = children(b, ext);
    const id = oidOf(b, parts[0]!);
    const value = parts[parts.length - 1]!;
    const inner = readTlv(b, value.body, value.end);
    if (id === '2.5.29.19') {
      const bc = children(b, inner);
      const ca = bc[0]?.tag === 0x01 && b[bc[0].body] !== 0;
      const lenT = bc.find((t) => t.tag === 0x02);
      facts.basic = {
        ca,
        ...(lenT ? { pathLen: Number.parseInt(bytesOf(b, lenT).toString('hex') || '0', 16) } : {}),
      };
    } else if (id === '2.5.29.15') facts.keyUsage = bitsOf(b, inner);
    else if (id === '2.5.29.31') facts.crlUrls = crlUris(b, inner);
  }
  return facts;
}
