/**
 * The trust store: certificates of partner organisations whose signatures we accept, one PEM
 * file per certificate under HANDOVER_HOME/trust/, and the path check that decides whether a
 * signer's chain ends at one of them.
 */

import type { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { EXIT, HandoverError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { homePath } from '../paths.js';
import { certInfo, parsePemChain, validAt } from './certs.js';

export interface TrustEntry {
  name: string;
  subject: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  pem: string;
  cert: X509Certificate;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const trustDir = (): string => homePath('trust');

const entryOf = (name: string, cert: X509Certificate): TrustEntry => {
  const i = certInfo(cert);
  return {
    name,
    subject: i.subject,
    fingerprint256: i.fingerprint256,
    notBefore: i.notBefore,
    notAfter: i.notAfter,
    pem: cert.toString(),
    cert,
  };
};

export function loadTrustStore(): TrustEntry[] {
  let files: string[];
  try {
    files = readdirSync(trustDir()).filter((f) => f.endsWith('.pem'));
  } catch {
    return [];
  }
  const out: TrustEntry[] = [];
  for (const f of files.sort()) {
    try {
      const [cert] = parsePemChain(readFileSync(homePath('trust', f), 'utf8'));
      if (cert) out.push(entryOf(f.slice(0, -4), cert));
    } catch {
      // A damaged file trusts nobody; `trust list` shows what is usable.
    }
  }
  return out;
}

/** A file name from the certificate's CN or O: ASCII, lower case, no personal data beyond it. */
function defaultName(cert: X509Certificate): string {
  const s = cert.subject.split('\n');
  const pick = s.find((l) => l.startsWith('CN=')) ?? s.find((l) => l.startsWith('O=')) ?? '';
  const slug = pick
    .slice(pick.indexOf('=') + 1)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const fp = cert.fingerprint256.replace(/:/g, '').slice(0, 8).toLowerCase();
  return slug ? `${slug}-${fp}` : `cert-${fp}`;
}

const normFp = (s: string): string => s.replace(/[:\s]/g, '').toUpperCase();

export interface AddResult {
  entry: TrustEntry;
  added: boolean;
}

/** Adds the first certificate of a PEM text. Adding one already trusted changes nothing. */
export function addTrusted(pem: string, name?: string): AddResult {
  const [cert] = parsePemChain(pem);
  if (!cert) throw new HandoverError('CERT_INVALID', EXIT.invalid, { key: 'trust.CERT_INVALID' });
  const existing = loadTrustStore().find((e) => e.fingerprint256 === cert.fingerprint256);
  if (existing) return { entry: existing, added: false };
  const n = name ?? defaultName(cert);
  if (!NAME.test(n))
    throw new HandoverError('TRUST_NAME_INVALID', EXIT.usage, {
      key: 'trust.TRUST_NAME_INVALID',
      vars: { name: n },
    });
  // link() inside writeFileAtomic refuses an existing name: OUTPUT_EXISTS, never a silent replace.
  try {
    writeFileAtomic(homePath('trust', `${n}.pem`), cert.toString(), { mkdir: true });
  } catch (e) {
    if (e instanceof HandoverError && e.code === 'OUTPUT_EXISTS') {
      throw new HandoverError('TRUST_NAME_EXISTS', EXIT.usage, {
        key: 'trust.TRUST_NAME_EXISTS',
        vars: { name: n },
      });
    }
    throw e;
  }
  return { entry: entryOf(n, cert), added: true };
}

/** Removes by name or SHA-256 fingerprint (with or without colons). */
export function removeTrusted(nameOrFingerprint: string): TrustEntry {
  const want = normFp(nameOrFingerprint);
  const entry = loadTrustStore().find(
    (e) => e.name === nameOrFingerprint || normFp(e.fingerprint256) === want,
  );
  if (!entry) {
    throw new HandoverError('TRUST_NOT_FOUND', EXIT.invalid, {
      key: 'trust.TRUST_NOT_FOUND',
      vars: { name: nameOrFingerprint },
    });
  }
  try {
    unlinkSync(homePath('trust', `${entry.name}.pem`));
  } catch (e) {
    throw new HandoverError('OUTPUT_FAILED', EXIT.io, {
      vars: {
        file: homePath('trust', `${entry.name}.pem`),
        reason: (e as NodeJS.ErrnoException).code ?? 'EIO',
      },
      cause: e,
    });
  }
  return entry;
}

export type TrustReason = 'not-trusted' | 'expired' | 'chain';
export type TrustDecision =
  | { trusted: true; anchor: X509Certificate }
  | { trusted: false; reason: TrustReason };

const MAX_DEPTH = 8;

/**
 * Is `chain[0]` (the signer) trusted at `at`? Trusted when it is itself an anchor, or when a
 * path of issuers (from the rest of `chain`, then the anchors) ends at an anchor, each link a
 * real issue (names and signature) by a CA certificate. Every certificate on the path must
 * be valid at `at`. The x5c order is not trusted: issuers are found, not assumed.
 */
export function evaluateTrust(chain: X509Certificate[], anchors: X509Certificate[], at: Date): TrustDecision {
  const leaf = chain[0];
  if (!leaf) return { trusted: false, reason: 'chain' };
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  const pool = [...chain.slice(1), ...anchors];
  let current = leaf;
  const seen = new Set<string>();
  let brokenLink = false;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    if (!validAt(current, at)) return { trusted: false, reason: 'expired' };
    if (isAnchor(current)) return { trusted: true, anchor: current };
    seen.add(current.fingerprint256);
    const cur = current;
    const issuer = pool.find(
      (c) => !seen.has(c.fingerprint256) && c.ca && cur.checkIssued(c) && cur.verify(c.publicKey),
    );
    if (!issuer) {
      // A certificate offered as the next link that does not issue the current one is a
      // broken chain, not merely an unknown signer.
      const next = chain[depth + 1];
      brokenLink = next !== undefined && !seen.has(next.fingerprint256);
      break;
    }
    current = issuer;
  }
  return { trusted: false, reason: brokenLink ? 'chain' : 'not-trusted' };
}
