/**
 * The trust store: certificates of partner organisations whose signatures we accept, one PEM
 * file per certificate under HANDOVER_HOME/trust/, and the path check that decides whether a
 * signer's chain ends at one of them.
 */

import { createHash, type X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { registerUrl } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { homePath } from '../core/paths.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { certificateBusinessId } from './binding.js';
import { certInfo, parsePemChain } from './certs.js';
import { type Crl, parseCrl } from './crl.js';
import {
  type Directory,
  type DirectorySigner,
  directoryAnchors,
  loadDirectorySigners,
  loadImportedDirectory,
} from './directory.js';
import { evaluatePath, type TrustDecision } from './path.js';

export type { TrustDecision, TrustReason } from './path.js';

export interface TrustEntry {
  name: string;
  subject: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  pem: string;
  cert: X509Certificate;
  /** The business ID this certificate speaks for by a binding made at `trust add --business-id`. */
  businessId?: string;
  /** Set for an entry that came from the partner directory: its sequence (SPEC §13). */
  directorySequence?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const trustDir = (): string => homePath('trust');

const entryOf = (name: string, cert: X509Certificate, businessId?: string): TrustEntry => {
  const i = certInfo(cert);
  return {
    name,
    subject: i.subject,
    fingerprint256: i.fingerprint256,
    notBefore: i.notBefore,
    notAfter: i.notAfter,
    pem: cert.toString(),
    cert,
    ...(businessId ? { businessId } : {}),
  };
};

/** The binding is a line before the PEM block: one file, written atomically, read by any PEM tool. */
const BINDING_LINE = /^# handover business ID: (\d{7}-\d)$/m;

/**
 * An office's trust store (SPEC §11) as read from its database at the start of the command
 * (register/index.ts); an Error when it could not be read.
 */
export interface SharedTrust {
  certs: { name: string; pem: string; businessId: string | null }[];
  crls: Uint8Array[];
  /** The certificates trusted to sign the partner directory (SPEC §13). */
  directorySigners?: { name: string; pem: string; businessId: string | null }[];
  /** The partner directory last imported, as its JSON text. */
  directory?: string;
}
let shared: { url: string; trust: SharedTrust } | { url: string; error: Error } | undefined;

export function setSharedTrust(url: string, trust: SharedTrust | Error): void {
  shared = trust instanceof Error ? { url, error: trust } : { url, trust };
}

/** What setSharedTrust was given, to hand to a worker thread (which has a module state of its own). */
export function sharedTrustSnapshot(): { url: string; trust: SharedTrust } | undefined {
  return shared && 'trust' in shared ? shared : undefined;
}

/** The office's trust store, or undefined for a worker on their own. */
function officeTrust(): SharedTrust | undefined {
  const url = registerUrl();
  if (!url) return undefined;
  if (shared?.url !== url)
    // Never the local files instead: a worker must accept exactly whom the office accepts.
    throw new HandoverError('REGISTER_UNAVAILABLE', EXIT.environment, {
      key: 'register.DATABASE_UNAVAILABLE',
      vars: { file: url.replace(/\/\/[^@/]*@/, '//'), reason: 'not read' },
    });
  if ('error' in shared) throw shared.error;
  return shared.trust;
}

export function loadTrustStore(): TrustEntry[] {
  const office = officeTrust();
  if (office) {
    const out: TrustEntry[] = [];
    for (const c of office.certs) {
      const [cert] = parsePemChain(c.pem);
      if (cert) out.push(entryOf(c.name, cert, c.businessId ?? undefined));
    }
    return [...out, ...loadDirectoryEntries()];
  }
  return [...loadTrustFiles(), ...loadDirectoryEntries()];
}

/** The partner directory in force: the office's, or this worker's file. */
export function currentDirectory(): Directory | undefined {
  const office = officeTrust();
  if (!office) return loadImportedDirectory();
  if (office.directory === undefined) return undefined;
  try {
    return JSON.parse(office.directory) as Directory;
  } catch {
    return undefined;
  }
}

/** The certificates trusted to sign the partner directory: the office's, or this worker's files. */
export function directorySigners(): DirectorySigner[] {
  const office = officeTrust();
  if (!office) return loadDirectorySigners();
  return (office.directorySigners ?? []).flatMap((r) => {
    const [cert] = parsePemChain(r.pem);
    return cert ? [{ name: r.name, cert, ...(r.businessId ? { businessId: r.businessId } : {}) }] : [];
  });
}

/**
 * The partner directory's entries (SPEC §13), bound to their business IDs. They are never
 * written as files of their own: the imported directory is their one source, so that the next
 * import replaces exactly them and never an entry added by hand.
 */
export function loadDirectoryEntries(): TrustEntry[] {
  return directoryAnchors(currentDirectory()).map((a) => ({
    ...entryOf(a.name, a.cert, a.businessId),
    directorySequence: a.sequence,
  }));
}

/** This worker's own trust files under HANDOVER_HOME/trust (what `register migrate` copies). */
export function loadTrustFiles(): TrustEntry[] {
  let files: string[];
  try {
    files = readdirSync(trustDir()).filter((f) => f.endsWith('.pem'));
  } catch {
    return [];
  }
  const out: TrustEntry[] = [];
  for (const f of files.sort()) {
    try {
      const text = readFileSync(homePath('trust', f), 'utf8');
      const [cert] = parsePemChain(text);
      if (cert) out.push(entryOf(f.slice(0, -4), cert, BINDING_LINE.exec(text)?.[1]));
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

export const normFp = (s: string): string => s.replace(/[:\s]/g, '').toUpperCase();

export interface AddResult {
  entry: TrustEntry;
  added: boolean;
}

export interface AddOptions {
  name?: string;
  /** The SHA-256 the partner told us by another channel; a mismatch refuses the certificate. */
  fingerprint?: string;
  /** For a certificate without organizationIdentifier: the organisation it speaks for. */
  businessId?: string;
}

/** What `trust add` checks before it stores anything: the certificate, its fingerprint, binding and name. */
export function prepareTrusted(
  pem: string,
  nameOrOpts?: string | AddOptions,
): { existing: TrustEntry } | { cert: X509Certificate; binding: string | undefined; name: string } {
  const opts: AddOptions = typeof nameOrOpts === 'string' ? { name: nameOrOpts } : (nameOrOpts ?? {});
  const name = opts.name;
  const [cert] = parsePemChain(pem);
  if (!cert) throw new HandoverError('CERT_INVALID', EXIT.invalid, { key: 'trust.CERT_INVALID' });
  if (opts.fingerprint !== undefined && normFp(opts.fingerprint) !== normFp(cert.fingerprint256))
    throw new HandoverError('TRUST_FINGERPRINT_MISMATCH', EXIT.invalid, {
      key: 'trust.TRUST_FINGERPRINT_MISMATCH',
      vars: { fingerprint: cert.fingerprint256 },
    });
  const own = certificateBusinessId(cert);
  if (opts.businessId !== undefined && own !== undefined && own !== opts.businessId)
    // The certificate names its organisation itself; a binding cannot make it speak for another.
    throw new HandoverError('TRUST_BUSINESS_ID_MISMATCH', EXIT.invalid, {
      key: 'trust.TRUST_BUSINESS_ID_MISMATCH',
      vars: { businessId: opts.businessId, certBusinessId: own },
    });
  const binding = own === undefined ? opts.businessId : undefined;
  const existing = loadTrustStore().find((e) => e.fingerprint256 === cert.fingerprint256);
  if (existing) return { existing };
  const n = name ?? defaultName(cert);
  if (!NAME.test(n))
    throw new HandoverError('TRUST_NAME_INVALID', EXIT.usage, {
      key: 'trust.TRUST_NAME_INVALID',
      vars: { name: n },
    });
  return { cert, binding, name: n };
}

/**
 * Adds the first certificate of a PEM text to this worker's trust files: the programmatic path
 * (tests, scripts that have compared the fingerprint themselves). Adding one already trusted
 * changes nothing. An office's trust store is written by services/trust.ts.
 */
export function addTrusted(pem: string, nameOrOpts?: string | AddOptions): AddResult {
  const p = prepareTrusted(pem, nameOrOpts);
  if ('existing' in p) return { entry: p.existing, added: false };
  const { cert, binding, name: n } = p;
  // link() inside writeFileAtomic refuses an existing name: OUTPUT_EXISTS, never a silent replace.
  try {
    const text = `${binding ? `# handover business ID: ${binding}\n` : ''}${cert.toString()}`;
    writeFileAtomic(homePath('trust', `${n}.pem`), text, { mkdir: true });
  } catch (e) {
    if (e instanceof HandoverError && e.code === 'OUTPUT_EXISTS') {
      throw new HandoverError('TRUST_NAME_EXISTS', EXIT.usage, {
        key: 'trust.TRUST_NAME_EXISTS',
        vars: { name: n },
      });
    }
    throw e;
  }
  return { entry: entryOf(n, cert, binding), added: true };
}

/** Removes by name or SHA-256 fingerprint (with or without colons). */
export function removeTrusted(nameOrFingerprint: string): TrustEntry {
  const want = normFp(nameOrFingerprint);
  const matches = (e: TrustEntry): boolean =>
    e.name === nameOrFingerprint || normFp(e.fingerprint256) === want;
  const entry = loadTrustFiles().find(matches);
  const fromDirectory = entry ? undefined : loadDirectoryEntries().find(matches);
  if (fromDirectory)
    // The directory's entries change only with the next directory, or none would stay removed.
    throw new HandoverError('TRUST_FROM_DIRECTORY', EXIT.invalid, {
      key: 'directory.TRUST_FROM_DIRECTORY',
      vars: { name: fromDirectory.name, sequence: fromDirectory.directorySequence ?? 0 },
    });
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

/** The compatibility form: one instant, no CRLs. */
export function evaluateTrust(chain: X509Certificate[], anchors: X509Certificate[], at: Date): TrustDecision {
  return evaluatePath(chain, anchors, { at: [at] });
}

/** CRLs are kept as DER under trust/crl/, named by their SHA-256. */
export const crlDir = (): string => homePath('trust', 'crl');

export function loadCrls(): Crl[] {
  const office = officeTrust();
  if (office)
    return office.crls.flatMap((der) => {
      try {
        return [parseCrl(der)];
      } catch {
        return [];
      }
    });
  return loadCrlFiles();
}

/** This worker's own CRL files under HANDOVER_HOME/trust/crl. */
export function loadCrlFiles(): Crl[] {
  let files: string[];
  try {
    files = readdirSync(crlDir()).filter((f) => f.endsWith('.crl'));
  } catch {
    return [];
  }
  const out: Crl[] = [];
  for (const f of files.sort()) {
    try {
      out.push(parseCrl(readFileSync(homePath('trust', 'crl', f))));
    } catch {
      // A damaged CRL revokes nothing and vouches for nothing: REVOCATION_UNKNOWN will say so.
    }
  }
  return out;
}

/**
 * A CRL (DER or PEM) parsed for storing, or CRL_INVALID; one whose signature algorithm we
 * cannot verify is CRL_SIGNATURE_UNSUPPORTED, never stored to lie unused.
 */
export function parseCrlOrFail(bytes: Uint8Array): Crl {
  let crl: Crl;
  try {
    crl = parseCrl(bytes);
  } catch (e) {
    throw new HandoverError('CRL_INVALID', EXIT.invalid, { key: 'trust.CRL_INVALID', cause: e });
  }
  if (!crl.sigSpec)
    throw new HandoverError('CRL_SIGNATURE_UNSUPPORTED', EXIT.invalid, {
      key: 'trust.CRL_SIGNATURE_UNSUPPORTED',
      vars: { algorithm: crl.sigAlg },
    });
  return crl;
}

/** Stores a CRL in this worker's trust files. The issuer's signature is checked when a path uses it. */
export function addCrl(bytes: Uint8Array): { crl: Crl; file: string; added: boolean } {
  const crl = parseCrlOrFail(bytes);
  const file = homePath(
    'trust',
    'crl',
    `${createHash('sha256').update(crl.der).digest('hex').slice(0, 32)}.crl`,
  );
  try {
    writeFileAtomic(file, crl.der, { mkdir: true });
  } catch (e) {
    if (e instanceof HandoverError && e.code === 'OUTPUT_EXISTS') return { crl, file, added: false };
    throw e;
  }
  return { crl, file, added: true };
}

/** Everything a signature check needs of the trust store, read once per command. */
export interface TrustContext {
  anchors: X509Certificate[];
  /** fingerprint256 → business ID, from `trust add --business-id`. */
  bindings: Map<string, string>;
  crls: Crl[];
  /**
   * Told the CRL distribution points of every path that ended at one of `anchors`, so that
   * `trust refresh` can fetch the CRLs of the leaves a CA anchor vouches for (trust store only).
   */
  notePoints?: (urls: readonly string[]) => void;
}

export function loadTrust(): TrustContext {
  const entries = loadTrustStore();
  return {
    anchors: entries.map((e) => e.cert),
    bindings: new Map(entries.flatMap((e) => (e.businessId ? [[e.fingerprint256, e.businessId]] : []))),
    crls: loadCrls(),
    notePoints: noteCrlPoints,
  };
}

/**
 * The CRL distribution points seen in certificates on trusted paths (a CA anchor's leaves
 * carry them, the anchor itself often none): HANDOVER_HOME/trust/crl-points.json, read by
 * `trust refresh`. Only points of paths that chain to the trust store are kept: a CA we trust
 * chose them, so refresh never fetches an address that an unknown signer wrote into its own
 * certificate. Bounded, and written only when a new point appears.
 */
export const crlPointsPath = (): string => homePath('trust', 'crl-points.json');
const MAX_POINTS = 500;
let knownPoints: Set<string> | undefined;

export function loadCrlPoints(): string[] {
  try {
    const v: unknown = JSON.parse(readFileSync(crlPointsPath(), 'utf8'));
    return Array.isArray(v)
      ? v.filter((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u))
      : [];
  } catch {
    return [];
  }
}

function noteCrlPoints(urls: readonly string[]): void {
  const fresh = urls.filter((u) => /^https?:\/\//i.test(u) && u.length <= 2048);
  if (fresh.length === 0) return;
  knownPoints ??= new Set(loadCrlPoints());
  const known = knownPoints;
  const added = fresh.filter((u) => !known.has(u));
  if (added.length === 0 || known.size >= MAX_POINTS) return;
  for (const u of added.slice(0, MAX_POINTS - known.size)) known.add(u);
  try {
    writeFileAtomic(crlPointsPath(), `${JSON.stringify([...known].sort(), null, 2)}\n`, {
      force: true,
      mkdir: true,
    });
  } catch {
    // A list refresh reads; a full disk must not turn a verification into an error.
  }
}
