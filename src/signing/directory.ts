/**
 * The partner directory (SPEC §13): one signed list of the organisations that exchange
 * handovers, so that each organisation compares one fingerprint (the coordinator's) instead of
 * one per partner. A directory signer is trusted to sign directories only, never handovers; the
 * directory's entries become trust anchors bound to their business IDs.
 *
 * This worker's files: trust/directory/current.json (the signed directory as imported, the one
 * source of the entries) and trust/directory/signers/<name>.pem (role "directory").
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { EXIT, HandoverError } from '../core/errors.js';
import { homePath, schemasDir } from '../core/paths.js';
import { isValidBusinessId } from '../domain/business-id.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Directory, DirectoryEntry } from '../schema/directory-types.js';
import { certificateBusinessId } from './binding.js';
import { parsePemChain } from './certs.js';

export type { Directory, DirectoryEntry } from '../schema/directory-types.js';

export const directoryFile = (): string => homePath('trust', 'directory', 'current.json');
export const signerDir = (): string => homePath('trust', 'directory', 'signers');

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

/** The directory's own schema, compiled once: a directory is read rarely, so no precompiled code. */
function schemaCheck(): ValidateFunction {
  if (compiled) return compiled;
  const Ajv2020 = require('ajv/dist/2020.js').default as typeof import('ajv/dist/2020.js').default;
  const addFormats = require('ajv-formats').default as typeof import('ajv-formats').default;
  const ajv = new Ajv2020({ allErrors: true, strict: true, logger: false });
  addFormats(ajv, { mode: 'full', formats: ['date-time', 'email', 'uuid'] });
  compiled = ajv.compile(JSON.parse(readFileSync(join(schemasDir(), 'directory.schema.json'), 'utf8')));
  return compiled;
}

const invalid = (reason: string, pointer: string): HandoverError =>
  new HandoverError('DIRECTORY_INVALID', EXIT.invalid, {
    key: 'directory.DIRECTORY_INVALID',
    vars: { reason, pointer: pointer || '/' },
  });

/** The certificates of an entry, parsed; a certificate that names another organisation refuses the entry. */
function entryCertificates(entry: DirectoryEntry, pointer: string): X509Certificate[] {
  return entry.certificates.map((b64, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(b64, 'base64'));
    } catch {
      throw invalid('certificate', `${pointer}/certificates/${i}`);
    }
    const own = certificateBusinessId(cert);
    // The directory binds a certificate that names no organisation; one that names another
    // organisation would let the coordinator's list make a partner speak for somebody else.
    if (own !== undefined && own !== entry.businessId)
      throw new HandoverError('DIRECTORY_ENTRY_MISMATCH', EXIT.invalid, {
        key: 'directory.DIRECTORY_ENTRY_MISMATCH',
        vars: { pointer: `${pointer}/certificates/${i}`, businessId: entry.businessId, certBusinessId: own },
      });
    return cert;
  });
}

/**
 * The schema, then what the schema cannot say: business IDs with their check digit, no
 * duplicate organisation, every certificate readable and naming its own organisation.
 */
export function checkDirectory(doc: unknown): Directory {
  const check = schemaCheck();
  if (!check(doc)) {
    const e = check.errors?.[0];
    throw invalid(e?.keyword ?? 'schema', e?.instancePath ?? '');
  }
  const dir = doc as Directory;
  if (!isValidBusinessId(dir.issuer.businessId)) throw invalid('businessId', '/issuer/businessId');
  const seen = new Set<string>();
  dir.entries.forEach((entry, i) => {
    const p = `/entries/${i}`;
    if (!isValidBusinessId(entry.businessId)) throw invalid('businessId', `${p}/businessId`);
    if (seen.has(entry.businessId)) throw invalid('duplicate', `${p}/businessId`);
    seen.add(entry.businessId);
    entryCertificates(entry, p);
  });
  return dir;
}

export interface DirectorySigner {
  name: string;
  cert: X509Certificate;
  /** For a certificate that names no organisation: the one bound at `trust add --business-id`. */
  businessId?: string;
}

/** The same binding line as a hand-made trust entry's. */
const BINDING_LINE = /^# handover business ID: (\d{7}-\d)$/m;

/** The certificates trusted to sign directories (`trust add --role directory`). */
export function loadDirectorySigners(): DirectorySigner[] {
  let files: string[];
  try {
    files = readdirSync(signerDir()).filter((f) => f.endsWith('.pem'));
  } catch {
    return [];
  }
  return files.sort().flatMap((f) => {
    try {
      const text = readFileSync(join(signerDir(), f), 'utf8');
      const [cert] = parsePemChain(text);
      const businessId = BINDING_LINE.exec(text)?.[1];
      return cert ? [{ name: f.slice(0, -4), cert, ...(businessId ? { businessId } : {}) }] : [];
    } catch {
      return [];
    }
  });
}

/** The directory this worker last imported, as stored; undefined when there is none. */
export function loadImportedDirectory(): Directory | undefined {
  let text: string;
  try {
    text = readFileSync(directoryFile(), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as Directory;
  } catch {
    // A damaged file trusts nobody; the next import replaces it.
    return undefined;
  }
}

/** One trust-store entry per certificate of the directory, bound to the entry's business ID. */
export interface DirectoryAnchor {
  name: string;
  cert: X509Certificate;
  businessId: string;
  sequence: number;
  entry: DirectoryEntry;
}

export function directoryAnchors(dir: Directory | undefined): DirectoryAnchor[] {
  if (!dir) return [];
  return dir.entries.flatMap((entry, i) => {
    let certs: X509Certificate[];
    try {
      certs = entryCertificates(entry, `/entries/${i}`);
    } catch {
      return [];
    }
    return certs.map((cert) => ({
      name: `directory-${entry.businessId}-${cert.fingerprint256.replace(/:/g, '').slice(0, 8).toLowerCase()}`,
      cert,
      businessId: entry.businessId,
      sequence: dir.sequence,
      entry,
    }));
  });
}

/** What an import changes, by business ID: new organisations, renewed certificates, dropped ones. */
export interface DirectoryChanges {
  added: string[];
  renewed: string[];
  removed: string[];
}

export function directoryChanges(before: Directory | undefined, after: Directory): DirectoryChanges {
  const old = new Map((before?.entries ?? []).map((e) => [e.businessId, e]));
  const now = new Map(after.entries.map((e) => [e.businessId, e]));
  const key = (e: DirectoryEntry): string => [...e.certificates].sort().join(',');
  return {
    added: [...now.keys()].filter((b) => !old.has(b)).sort(),
    renewed: [...now.entries()]
      .filter(([b, e]) => old.has(b) && key(old.get(b)!) !== key(e))
      .map(([b]) => b)
      .sort(),
    removed: [...old.keys()].filter((b) => !now.has(b)).sort(),
  };
}

/** The entry name of a directory signer: the one given, or from its fingerprint. */
export function directorySignerName(cert: X509Certificate, name?: string): string {
  const n = name ?? `signer-${cert.fingerprint256.replace(/:/g, '').slice(0, 16).toLowerCase()}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(n))
    throw new HandoverError('TRUST_NAME_INVALID', EXIT.usage, {
      key: 'trust.TRUST_NAME_INVALID',
      vars: { name: n },
    });
  return n;
}

/**
 * Trusts a certificate to sign directories, and nothing else: it is kept apart from the trust
 * store's anchors, so a directory signer's key cannot sign a handover that we accept.
 */
export function addDirectorySigner(
  cert: X509Certificate,
  opts: { name?: string; businessId?: string } = {},
): { signer: DirectorySigner; added: boolean } {
  const existing = loadDirectorySigners().find((s) => s.cert.fingerprint256 === cert.fingerprint256);
  if (existing) return { signer: existing, added: false };
  const name = directorySignerName(cert, opts.name);
  const binding = certificateBusinessId(cert) === undefined ? opts.businessId : undefined;
  const text = `${binding ? `# handover business ID: ${binding}\n` : ''}${cert.toString()}`;
  try {
    writeFileAtomic(join(signerDir(), `${name}.pem`), text, { mkdir: true });
  } catch (e) {
    if (e instanceof HandoverError && e.code === 'OUTPUT_EXISTS')
      throw new HandoverError('TRUST_NAME_EXISTS', EXIT.usage, {
        key: 'trust.TRUST_NAME_EXISTS',
        vars: { name },
      });
    throw e;
  }
  return { signer: { name, cert, ...(binding ? { businessId: binding } : {}) }, added: true };
}
