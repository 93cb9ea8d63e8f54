/** `handover trust`: partner certificates whose signatures we accept. */

import { createHash, type X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig, registerUrl } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { homePath } from '../core/paths.js';
import { isValidBusinessId } from '../domain/business-id.js';
import { appendAudit, loadOffice, officeRegister } from '../register/index.js';
import { certificateBusinessId } from '../signing/binding.js';
import { certInfo, parseCertificates, validAt } from '../signing/certs.js';
import { type Crl, crlStale } from '../signing/crl.js';
import { addDirectorySigner, type DirectorySigner, directorySignerName } from '../signing/directory.js';
import {
  type AddOptions,
  type AddResult,
  addCrl,
  addTrusted,
  directorySigners,
  loadCrlPoints,
  loadTrustStore,
  normFp,
  parseCrlOrFail,
  prepareTrusted,
  removeTrusted,
  type TrustEntry,
} from '../signing/trust.js';
import { certFacts } from '../signing/x509.js';
import { type DirectoryImportResult, refreshDirectory } from './directory.js';

/**
 * The trust store this worker writes to: their own files, or the office's database that every
 * worker of the organisation reads (SPEC §11). Read back through the one reader afterwards.
 */
async function storeTrusted(pem: string, opts: AddOptions): Promise<AddResult> {
  const url = registerUrl();
  if (!url) return addTrusted(pem, opts);
  const p = prepareTrusted(pem, opts);
  if ('existing' in p) return { entry: p.existing, added: false };
  const added = await (await officeRegister(url)).addTrustRow({
    fingerprint256: p.cert.fingerprint256,
    name: p.name,
    pem: p.cert.toString(),
    businessId: p.binding ?? null,
    addedAt: new Date().toISOString(),
  });
  await loadOffice();
  const entry = loadTrustStore().find((e) => e.fingerprint256 === p.cert.fingerprint256);
  if (!entry) throw new HandoverError('CERT_INVALID', EXIT.invalid, { key: 'trust.CERT_INVALID' });
  return { entry, added };
}

async function unstoreTrusted(nameOrFingerprint: string): Promise<TrustEntry> {
  const url = registerUrl();
  if (!url) return removeTrusted(nameOrFingerprint);
  const want = normFp(nameOrFingerprint);
  const entry = loadTrustStore().find(
    (e) => e.name === nameOrFingerprint || normFp(e.fingerprint256) === want,
  );
  if (!entry)
    throw new HandoverError('TRUST_NOT_FOUND', EXIT.invalid, {
      key: 'trust.TRUST_NOT_FOUND',
      vars: { name: nameOrFingerprint },
    });
  await (await officeRegister(url)).removeTrustRow(entry.fingerprint256);
  await loadOffice();
  return entry;
}

async function storeCrl(bytes: Uint8Array): Promise<{ crl: Crl; file: string; added: boolean }> {
  const url = registerUrl();
  if (!url) return addCrl(bytes);
  const crl = parseCrlOrFail(bytes);
  const sha = createHash('sha256').update(crl.der).digest('hex');
  const reg = await officeRegister(url);
  const added = await reg.addCrlRow(sha, crl.der);
  await loadOffice();
  return { crl, file: `${reg.location}#crl-${sha.slice(0, 32)}`, added };
}

/** What `trust` commands return: the entry without the parsed certificate object. */
export interface TrustInfo {
  name: string;
  subject: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  expired: boolean;
  /** The business ID bound with --business-id, for a certificate that names none. */
  businessId?: string;
  /** Where the entry came from: added by hand, the partner directory (with its sequence), or a directory signer. */
  source: 'manual' | 'directory' | 'directory-signer';
  directorySequence?: number;
}

const info = (e: TrustEntry, now: Date): TrustInfo => ({
  source: e.directorySequence !== undefined ? 'directory' : 'manual',
  ...(e.directorySequence !== undefined ? { directorySequence: e.directorySequence } : {}),
  name: e.name,
  subject: e.subject,
  fingerprint256: e.fingerprint256,
  notBefore: e.notBefore,
  notAfter: e.notAfter,
  expired: !validAt(e.cert, now),
  ...(e.businessId ? { businessId: e.businessId } : {}),
});

/** A directory signer in this worker's files, or in the office's database for every worker. */
async function storeDirectorySigner(
  cert: X509Certificate,
  opts: { name?: string; businessId?: string },
): Promise<{ signer: DirectorySigner; added: boolean }> {
  const o = {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.businessId !== undefined ? { businessId: opts.businessId } : {}),
  };
  const url = registerUrl();
  if (!url) return addDirectorySigner(cert, o);
  const existing = directorySigners().find((s) => s.cert.fingerprint256 === cert.fingerprint256);
  if (existing) return { signer: existing, added: false };
  const name = directorySignerName(cert, o.name);
  const binding = certificateBusinessId(cert) === undefined ? o.businessId : undefined;
  const added = await (await officeRegister(url)).addDirectorySignerRow({
    fingerprint256: cert.fingerprint256,
    name,
    pem: cert.toString(),
    businessId: binding ?? null,
    addedAt: new Date().toISOString(),
  });
  await loadOffice();
  return { signer: { name, cert, ...(binding ? { businessId: binding } : {}) }, added };
}

export interface TrustAddOptions {
  file: string;
  name?: string;
  /** The SHA-256 the partner gave by another channel (hex, any case, colons optional). */
  fingerprint?: string;
  businessId?: string;
  /**
   * Asks the worker, on a terminal, whether the fingerprint shown was compared with the
   * partner. Without it and without `fingerprint`, nothing is trusted (no trust on first use).
   */
  confirm?: (fingerprint: string, whose: CertificateHolder) => Promise<boolean>;
  /** "directory": trusted to sign partner directories only, never handovers (SPEC §13). */
  role?: 'partner' | 'directory';
  now?: Date;
}

/** Whose certificate it is, as the worker compares it before trusting it. */
export interface CertificateHolder {
  subject: string;
  /** The organisation (O) the subject names, when it names one. */
  organization?: string;
  /** organizationIdentifier NTRFI-<business ID>, else the one given with --business-id. */
  businessId?: string;
  notBefore: string;
  notAfter: string;
}

export function certificateHolder(cert: X509Certificate, businessId?: string): CertificateHolder {
  const info = certInfo(cert);
  const organization = cert.subject
    .split('\n')
    .find((l) => l.startsWith('O='))
    ?.slice(2);
  const id = certificateBusinessId(cert) ?? businessId;
  return {
    subject: info.subject,
    ...(organization ? { organization } : {}),
    ...(id ? { businessId: id } : {}),
    notBefore: info.notBefore,
    notAfter: info.notAfter,
  };
}

export async function trustAdd(opts: TrustAddOptions): Promise<TrustInfo & { added: boolean }> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(opts.file);
  } catch (e) {
    throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: opts.file }, cause: e });
  }
  const [cert] = parseCertificates(bytes);
  if (!cert) throw new HandoverError('CERT_INVALID', EXIT.invalid, { key: 'trust.CERT_INVALID' });
  const fingerprint = cert.fingerprint256;
  if (opts.businessId !== undefined && !isValidBusinessId(opts.businessId))
    throw new HandoverError('BUSINESS_ID_INVALID', EXIT.usage, {
      key: 'trust.BUSINESS_ID_INVALID',
      vars: { businessId: opts.businessId },
    });
  if (opts.fingerprint !== undefined) {
    if (normFp(opts.fingerprint) !== normFp(fingerprint))
      throw new HandoverError('TRUST_FINGERPRINT_MISMATCH', EXIT.invalid, {
        key: 'trust.TRUST_FINGERPRINT_MISMATCH',
        vars: { fingerprint },
      });
  } else if (opts.confirm) {
    if (!(await opts.confirm(fingerprint, certificateHolder(cert, opts.businessId))))
      throw new HandoverError('TRUST_NOT_CONFIRMED', EXIT.invalid, { key: 'trust.TRUST_NOT_CONFIRMED' });
  } else {
    throw new HandoverError('TRUST_FINGERPRINT_REQUIRED', EXIT.usage, {
      key: 'trust.TRUST_FINGERPRINT_REQUIRED',
      vars: { fingerprint },
    });
  }
  if (opts.role === 'directory') {
    const { signer, added } = await storeDirectorySigner(cert, opts);
    await appendAudit(
      {
        event: 'trust',
        outcome: 'ok',
        detail: `${added ? 'add' : 'already'}-directory-signer:${signer.name}`,
        sha256: fingerprint.replace(/:/g, '').toLowerCase(),
      },
      opts.now,
    );
    const i = certInfo(signer.cert);
    return {
      name: signer.name,
      subject: i.subject,
      fingerprint256: i.fingerprint256,
      notBefore: i.notBefore,
      notAfter: i.notAfter,
      expired: !validAt(signer.cert, opts.now ?? new Date()),
      ...(signer.businessId ? { businessId: signer.businessId } : {}),
      source: 'directory-signer',
      added,
    };
  }
  const { entry, added } = await storeTrusted(cert.toString(), {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    fingerprint,
    ...(opts.businessId !== undefined ? { businessId: opts.businessId } : {}),
  });
  await appendAudit(
    {
      event: 'trust',
      outcome: 'ok',
      detail: `${added ? 'add' : 'already'}:${entry.name}`,
      sha256: entry.fingerprint256.replace(/:/g, '').toLowerCase(),
    },
    opts.now,
  );
  return { ...info(entry, opts.now ?? new Date()), added };
}

export function trustList(opts: { now?: Date } = {}): TrustInfo[] {
  const now = opts.now ?? new Date();
  const signers = directorySigners().map((s): TrustInfo => {
    const i = certInfo(s.cert);
    return {
      name: s.name,
      subject: i.subject,
      fingerprint256: i.fingerprint256,
      notBefore: i.notBefore,
      notAfter: i.notAfter,
      expired: !validAt(s.cert, now),
      ...(s.businessId ? { businessId: s.businessId } : {}),
      source: 'directory-signer',
    };
  });
  return [...loadTrustStore().map((e) => info(e, now)), ...signers];
}

export async function trustRemove(opts: { nameOrFingerprint: string; now?: Date }): Promise<TrustInfo> {
  const e = await unstoreTrusted(opts.nameOrFingerprint);
  await appendAudit(
    {
      event: 'trust',
      outcome: 'ok',
      detail: `remove:${e.name}`,
      sha256: e.fingerprint256.replace(/:/g, '').toLowerCase(),
    },
    opts.now,
  );
  return info(e, opts.now ?? new Date());
}

export interface CrlInfo {
  file: string;
  added: boolean;
  /** The issuing CA as the trust store knows it (its subject), or "?" when none there. */
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  revoked: number;
  /** Past its next update (or without one) when stored: it proves its revocations, not the absence of others. */
  stale: boolean;
}

/** A CRL fetched over HTTP: bounded in time and size, so that a dead server never hangs a command. */
async function fetchCrl(url: string, timeoutMs: number): Promise<Uint8Array> {
  const fail = (reason: string, cause?: unknown) =>
    new HandoverError('CRL_FETCH_FAILED', EXIT.environment, {
      key: 'trust.CRL_FETCH_FAILED',
      vars: { url, reason },
      cause,
    });
  if (!/^https?:\/\//i.test(url)) throw fail('scheme');
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (e) {
    throw fail(e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'network', e);
  }
  if (!res.ok) throw fail(`HTTP ${res.status}`);
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > 20 * 1024 * 1024) throw fail('too large');
  return body;
}

const issuerName = (issuerDer: Buffer): string => {
  for (const e of loadTrustStore()) {
    try {
      if (certFacts(e.cert).subjectDer.equals(issuerDer)) return e.subject;
    } catch {
      // An unreadable entry names nothing.
    }
  }
  return '?';
};

/** `trust add-crl <file|url>`: keeps a CRL; its signature is checked against the CA on each use. */
export async function trustAddCrl(opts: {
  source: string;
  now?: Date;
  timeoutMs?: number;
}): Promise<CrlInfo> {
  let bytes: Uint8Array;
  if (/^https?:\/\//i.test(opts.source)) bytes = await fetchCrl(opts.source, opts.timeoutMs ?? 10_000);
  else {
    try {
      bytes = readFileSync(opts.source);
    } catch (e) {
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: opts.source }, cause: e });
    }
  }
  const { crl, file, added } = await storeCrl(bytes);
  await appendAudit(
    { event: 'trust', outcome: 'ok', detail: `${added ? 'add-crl' : 'already-crl'}` },
    opts.now,
  );
  return {
    file,
    added,
    issuer: issuerName(crl.issuerDer),
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString() ?? null,
    revoked: crl.revoked.size,
    stale: crlStale(crl, opts.now ?? new Date()),
  };
}

/** Our own certificates (every key's chain under HANDOVER_HOME/keys): a CA that issued them publishes CRLs too. */
function ownCertificates(): X509Certificate[] {
  let files: string[];
  try {
    files = readdirSync(homePath('keys')).filter((f) => f.endsWith('.chain.pem'));
  } catch {
    return [];
  }
  return files.flatMap((f) => {
    try {
      return parseCertificates(readFileSync(homePath('keys', f)));
    } catch {
      return [];
    }
  });
}

/**
 * `trust refresh`: fetches the CRLs again from the distribution points of the trusted
 * certificates, of our own chains, and of the leaves seen on paths that ended at the trust
 * store (with a CA as the anchor, the leaves carry them: `crl-points.json`). Never the points
 * of a certificate that chains to nothing we trust. An unreachable point is counted, never
 * fatal: the others still count.
 */
export async function trustRefresh(opts: { now?: Date; timeoutMs?: number } = {}): Promise<{
  fetched: CrlInfo[];
  failed: { url: string; code: string }[];
  directory?: DirectoryImportResult;
}> {
  // The directory first: it may bring partners whose CRLs are fetched next.
  const directoryUrl = loadConfig().directory?.url;
  const directory = directoryUrl ? await refreshDirectory(directoryUrl, opts) : undefined;
  const urls = new Set<string>();
  for (const cert of [...loadTrustStore().map((e) => e.cert), ...ownCertificates()]) {
    try {
      for (const u of certFacts(cert).crlUrls) urls.add(u);
    } catch {
      // An unreadable certificate publishes nothing.
    }
  }
  for (const u of loadCrlPoints()) urls.add(u);
  const fetched: CrlInfo[] = [];
  const failed: { url: string; code: string }[] = [];
  for (const url of urls) {
    try {
      fetched.push(await trustAddCrl({ source: url, ...opts }));
    } catch (e) {
      if (!(e instanceof HandoverError)) throw e;
      failed.push({ url, code: e.code });
    }
  }
  return { fetched, failed, ...(directory ? { directory } : {}) };
}
