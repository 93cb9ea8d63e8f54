/**
 * The certificate path check of SPEC §7: a path of real issues from the signer to a trust
 * anchor, every certificate valid at every instant asked about, CA rules (basicConstraints
 * with its path length, keyUsage) enforced, and revocation from the CRLs of the trust store.
 */
import type { X509Certificate } from 'node:crypto';
import { validAt } from './certs.js';
import { type Crl, crlCurrent, crlSignedBy } from './crl.js';
import { type CertFacts, certFacts, KU } from './x509.js';

export type TrustReason =
  | 'not-trusted'
  | 'expired'
  | 'chain'
  | 'key-usage'
  | 'path-length'
  | 'revoked'
  | 'unreadable-certificate';
export type TrustDecision =
  | {
      trusted: true;
      anchor: X509Certificate;
      path: X509Certificate[];
      revocationUnknown: boolean;
      /** The CRL distribution points of the certificates whose revocation was looked up. */
      crlUrls: string[];
    }
  | { trusted: false; reason: TrustReason };

const MAX_DEPTH = 8;

function factsOrUndefined(c: X509Certificate): CertFacts | undefined {
  try {
    return certFacts(c);
  } catch {
    return undefined;
  }
}

const signerUsageOk = (f: CertFacts): boolean =>
  !f.keyUsage || f.keyUsage.has(KU.digitalSignature) || f.keyUsage.has(KU.nonRepudiation);
const caUsageOk = (f: CertFacts): boolean => !f.keyUsage || f.keyUsage.has(KU.keyCertSign);

export interface PathOptions {
  /** Every certificate on the path must be valid at each of these instants. */
  at: Date[];
  /** CRLs of the trust store; revocation is checked at `now`. */
  crls?: readonly Crl[];
  now?: Date;
  /** With a trusted timestamp: only a revocation before this instant counts. */
  revokedBefore?: Date;
}

/**
 * Is `chain[0]` (the signer) trusted? Trusted when it is itself an anchor, or when a path of
 * issuers (from the rest of `chain`, then the anchors) ends at an anchor, each link a real
 * issue (names and signature) by a CA certificate allowed to sign certificates, within every
 * path length constraint above it. The x5c order is not trusted: issuers are found, not assumed.
 */
export function evaluatePath(
  chain: X509Certificate[],
  anchors: X509Certificate[],
  opts: PathOptions,
): TrustDecision {
  const leaf = chain[0];
  if (!leaf) return { trusted: false, reason: 'chain' };
  const leafFacts = factsOrUndefined(leaf);
  if (!leafFacts) return { trusted: false, reason: 'unreadable-certificate' };
  if (!signerUsageOk(leafFacts)) return { trusted: false, reason: 'key-usage' };
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  const pool = [...chain.slice(1), ...anchors];
  const path: X509Certificate[] = [leaf];
  const facts: CertFacts[] = [leafFacts];
  const seen = new Set<string>();
  let current = leaf;
  let refused: TrustReason | undefined;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    if (!opts.at.every((t) => validAt(current, t))) return { trusted: false, reason: 'expired' };
    if (isAnchor(current)) {
      const bad = pathLengthViolated(facts);
      if (bad) return { trusted: false, reason: 'path-length' };
      return judgeRevocation(path, facts, opts, current);
    }
    seen.add(current.fingerprint256);
    const cur = current;
    const issuers = pool.filter(
      (c) => !seen.has(c.fingerprint256) && c.ca && cur.checkIssued(c) && cur.verify(c.publicKey),
    );
    let next: { cert: X509Certificate; facts: CertFacts } | undefined;
    for (const c of issuers) {
      const f = factsOrUndefined(c);
      if (f && caUsageOk(f)) {
        next = { cert: c, facts: f };
        break;
      }
      refused = 'key-usage';
    }
    if (!next) {
      if (refused) return { trusted: false, reason: refused };
      // A certificate offered as the next link that does not issue the current one is a
      // broken chain, not merely an unknown signer.
      const offered = chain[depth + 1];
      return {
        trusted: false,
        reason: offered !== undefined && !seen.has(offered.fingerprint256) ? 'chain' : 'not-trusted',
      };
    }
    path.push(next.cert);
    facts.push(next.facts);
    current = next.cert;
  }
  return { trusted: false, reason: 'chain' };
}

/** pathLenConstraint: a CA allows at most that many CA certificates below it (the leaf not counted). */
function pathLengthViolated(facts: CertFacts[]): boolean {
  for (let j = 1; j < facts.length; j++) {
    const len = facts[j]?.basic?.pathLen;
    if (len !== undefined && j - 1 > len) return true;
  }
  return false;
}

/**
 * Each certificate issued by a CA on the path is looked up in that CA's CRLs. Revoked is
 * revoked whenever it happened: a claimed signing time cannot dodge it. A CRL past its next
 * update still proves the revocations it lists (RFC 5280 §3.3: an entry stays until the
 * certificate has expired; only certificateHold can be lifted), so it revokes too, except a
 * hold, which leaves the answer unknown. A certificate without a current CRL of its issuer is
 * unknown when it names a distribution point or when its issuer is known to publish CRLs (a
 * stale one is here).
 */
function judgeRevocation(
  path: X509Certificate[],
  facts: CertFacts[],
  opts: PathOptions,
  anchor: X509Certificate,
): TrustDecision {
  const crls = opts.crls ?? [];
  const now = opts.now ?? new Date();
  let unknown = false;
  for (let i = 0; i < path.length - 1; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const f = facts[i]!;
    const signed = crls.filter(
      (c) =>
        c.issuerDer.equals(f.issuerDer) && c.thisUpdate.getTime() <= now.getTime() && crlSignedBy(c, issuer),
    );
    const current = signed.filter((c) => crlCurrent(c, now));
    const serial = cert.serialNumber.toUpperCase().replace(/^(00)+(?=.)/, '');
    const cutoff = opts.revokedBefore?.getTime();
    const listed = (c: Crl) => {
      const at = c.revoked.get(serial)?.getTime();
      return at !== undefined && (cutoff === undefined || at < cutoff);
    };
    if (current.some(listed)) return { trusted: false, reason: 'revoked' };
    const stale = signed.filter((c) => !crlCurrent(c, now));
    if (stale.some((c) => listed(c) && !c.held.has(serial))) return { trusted: false, reason: 'revoked' };
    if (current.length === 0 && (f.crlUrls.length > 0 || stale.length > 0)) unknown = true;
  }
  const crlUrls = [...new Set(facts.slice(0, path.length - 1).flatMap((f) => f.crlUrls))];
  return { trusted: true, anchor, path, revocationUnknown: unknown, crlUrls };
}
