/**
 * The partner directory (SPEC §13): the coordinator's `directory build`, and an organisation's
 * `trust import-directory` / `trust refresh` from `directory.url`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadConfig, registerUrl } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { loadSigningIdentity, type PinSource } from '../keystore/index.js';
import type { KeyStoreKind } from '../keystore/types.js';
import { osUser } from '../register/audit-types.js';
import { appendAudit, loadOffice, officeRegister } from '../register/index.js';
import { certInfo } from '../signing/certs.js';
import {
  checkDirectory,
  type Directory,
  type DirectoryChanges,
  type DirectoryEntry,
  directoryChanges,
  directoryFile,
} from '../signing/directory.js';
import { signDocument, verifyDocument } from '../signing/jws.js';
import { currentDirectory, directorySigners, loadCrls } from '../signing/trust.js';

/** A directory is a list of at most a thousand organisations: a few MiB is already absurd. */
const MAX_BYTES = 8 * 1024 * 1024;

function readJson(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file }, cause: e });
  }
  return parseJson(bytes, file);
}

function parseJson(bytes: Uint8Array, source: string): unknown {
  if (bytes.length > MAX_BYTES)
    throw new HandoverError('DIRECTORY_INVALID', EXIT.invalid, {
      key: 'directory.DIRECTORY_INVALID',
      vars: { reason: 'size', pointer: '/' },
    });
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new HandoverError('DIRECTORY_INVALID', EXIT.invalid, {
      key: 'directory.DIRECTORY_INVALID',
      vars: { reason: 'json', pointer: source },
      cause: e,
    });
  }
}

export interface DirectoryBuildOptions {
  /** A JSON array of entries, or an object with `entries`. */
  entriesFile: string;
  sequence: number;
  /** yyyy-mm-dd or an RFC 3339 time. */
  nextUpdate: string;
  out?: string;
  force?: boolean;
  alias?: string;
  store?: KeyStoreKind;
  pin?: PinSource;
  now?: Date;
}

export interface DirectoryBuildResult {
  output: string;
  id: string;
  sequence: number;
  nextUpdate: string;
  entries: number;
  sha256: string;
  signer: { subject: string; fingerprint256: string };
}

const nextUpdateTime = (s: string): string => {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(t))
    throw new HandoverError('DIRECTORY_INVALID', EXIT.usage, {
      key: 'directory.DIRECTORY_INVALID',
      vars: { reason: 'nextUpdate', pointer: '/nextUpdate' },
    });
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

/** `directory build`: the coordinator lists the organisations and signs the list with its own key. */
export async function directoryBuild(opts: DirectoryBuildOptions): Promise<DirectoryBuildResult> {
  const now = opts.now ?? new Date();
  const raw = readJson(opts.entriesFile);
  const entries = (Array.isArray(raw) ? raw : (raw as { entries?: unknown } | null)?.entries) as
    | DirectoryEntry[]
    | undefined;
  const org = loadConfig().organization;
  if (!org?.name || !org.businessId) throw new HandoverError('NO_ORGANIZATION', EXIT.usage);
  const doc = {
    kind: 'directory' as const,
    schemaVersion: '1.0' as const,
    id: randomUUID(),
    issuer: { name: org.name, businessId: org.businessId },
    sequence: opts.sequence,
    issuedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    nextUpdate: nextUpdateTime(opts.nextUpdate),
    entries: entries ?? [],
  };
  // Checked before the key is touched: a wrong entry must not spend a token's PIN attempt.
  checkDirectory(doc);
  if (Date.parse(doc.nextUpdate) <= now.getTime())
    throw new HandoverError('DIRECTORY_STALE', EXIT.usage, {
      key: 'directory.DIRECTORY_STALE',
      vars: { nextUpdate: doc.nextUpdate },
    });
  const id = await loadSigningIdentity(opts.alias, opts.store, { pin: opts.pin });
  const signed = await signDocument(doc, id, { now });
  const output = opts.out ?? `directory-${opts.sequence}.json`;
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  writeFileAtomic(output, text, { force: opts.force ?? false, mode: 0o644 });
  const sha256 = sha256Hex(text);
  await appendAudit(
    { event: 'directory', outcome: 'ok', sha256, detail: `build:${opts.sequence}:${doc.entries.length}` },
    now,
  );
  const leaf = certInfo(id.chain[0]!);
  return {
    output,
    id: doc.id,
    sequence: doc.sequence,
    nextUpdate: doc.nextUpdate,
    entries: doc.entries.length,
    sha256,
    signer: { subject: leaf.subject, fingerprint256: leaf.fingerprint256 },
  };
}

export interface DirectoryImportResult extends DirectoryChanges {
  sequence: number;
  previousSequence: number | null;
  issuer: { name: string; businessId: string };
  nextUpdate: string;
  entries: number;
  /** Set when a stale directory was taken with --allow-stale. */
  stale: boolean;
  sha256: string;
  /** `trust refresh` found the directory already imported, the same to the byte: nothing changed. */
  unchanged?: boolean;
}

/**
 * Verifies a directory against the directory signers alone, refuses a rollback and a stale
 * one, and makes the trust store's directory part equal to it. Hand-made entries are files of
 * their own and are not touched.
 */
export async function importDirectoryBytes(
  bytes: Uint8Array,
  source: string,
  opts: { allowStale?: boolean; now?: Date; sameIsUnchanged?: boolean } = {},
): Promise<DirectoryImportResult> {
  const now = opts.now ?? new Date();
  const dir: Directory = checkDirectory(parseJson(bytes, source));
  const signers = directorySigners();
  if (signers.length === 0)
    throw new HandoverError('DIRECTORY_NO_SIGNER', EXIT.invalid, { key: 'directory.DIRECTORY_NO_SIGNER' });
  const r = await verifyDocument(dir, {
    trust: {
      anchors: signers.map((s) => s.cert),
      bindings: new Map(
        signers.flatMap((s) => (s.businessId ? [[s.cert.fingerprint256, s.businessId]] : [])),
      ),
      crls: loadCrls(),
    },
    now,
  });
  if (r.status !== 'valid')
    throw new HandoverError('DIRECTORY_SIGNATURE', EXIT.invalid, {
      key: `directory.DIRECTORY_SIGNATURE__${r.status}`,
      vars: { reason: r.reason ?? r.status },
    });
  const before = currentDirectory();
  // A refresh that fetches the directory it already has is no rollback: nothing is new yet.
  if (opts.sameIsUnchanged && before && dir.sequence === before.sequence && sameDirectory(before, dir))
    return {
      added: [],
      renewed: [],
      removed: [],
      sequence: dir.sequence,
      previousSequence: before.sequence,
      issuer: dir.issuer,
      nextUpdate: dir.nextUpdate,
      entries: dir.entries.length,
      stale: Date.parse(dir.nextUpdate) <= now.getTime(),
      sha256: sha256Hex(Buffer.from(bytes)),
      unchanged: true,
    };
  if (before && dir.sequence <= before.sequence)
    throw new HandoverError('DIRECTORY_ROLLBACK', EXIT.invalid, {
      key: 'directory.DIRECTORY_ROLLBACK',
      vars: { sequence: dir.sequence, last: before.sequence },
    });
  const stale = Date.parse(dir.nextUpdate) <= now.getTime();
  if (stale && !opts.allowStale)
    throw new HandoverError('DIRECTORY_STALE', EXIT.invalid, {
      key: 'directory.DIRECTORY_STALE',
      vars: { nextUpdate: dir.nextUpdate },
    });
  const text = Buffer.from(bytes);
  const url = registerUrl();
  if (url) {
    // One statement decides: a worker that imported the same or a newer sequence meanwhile wins.
    const stored = await (await officeRegister(url)).setDirectoryIfNewer(
      dir.sequence,
      text.toString('utf8'),
      osUser(),
    );
    if (!stored) {
      await loadOffice();
      throw new HandoverError('DIRECTORY_ROLLBACK', EXIT.invalid, {
        key: 'directory.DIRECTORY_ROLLBACK',
        vars: { sequence: dir.sequence, last: currentDirectory()?.sequence ?? dir.sequence },
      });
    }
    await loadOffice();
  } else writeFileAtomic(directoryFile(), text, { mkdir: true, force: true });
  const sha256 = sha256Hex(text);
  const changes = directoryChanges(before, dir);
  await appendAudit(
    {
      event: 'directory',
      outcome: 'ok',
      sha256,
      detail: `import:${dir.sequence}${stale ? ':stale' : ''}:+${changes.added.length}~${changes.renewed.length}-${changes.removed.length}`,
    },
    now,
  );
  return {
    ...changes,
    sequence: dir.sequence,
    previousSequence: before?.sequence ?? null,
    issuer: dir.issuer,
    nextUpdate: dir.nextUpdate,
    entries: dir.entries.length,
    stale,
    sha256,
  };
}

export async function trustImportDirectory(opts: {
  file: string;
  allowStale?: boolean;
  now?: Date;
}): Promise<DirectoryImportResult> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(opts.file);
  } catch (e) {
    throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: opts.file }, cause: e });
  }
  return importDirectoryBytes(bytes, opts.file, opts);
}

/** `trust refresh` with `directory.url`: fetched bounded in time and size, then imported as a file would be. */
export async function refreshDirectory(
  url: string,
  opts: { now?: Date; timeoutMs?: number; allowStale?: boolean } = {},
): Promise<DirectoryImportResult> {
  const fail = (reason: string, cause?: unknown) =>
    new HandoverError('DIRECTORY_FETCH_FAILED', EXIT.environment, {
      key: 'directory.DIRECTORY_FETCH_FAILED',
      vars: { url, reason },
      cause,
    });
  if (!/^https?:\/\//i.test(url)) throw fail('scheme');
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000), redirect: 'error' });
  } catch (e) {
    throw fail(e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'network', e);
  }
  if (!res.ok) throw fail(`HTTP ${res.status}`);
  const body = new Uint8Array(await res.arrayBuffer());
  return importDirectoryBytes(body, url, { ...opts, sameIsUnchanged: true });
}

/** The same directory: same content, member for member, its signature included. */
const sameDirectory = (a: Directory, b: Directory): boolean => JSON.stringify(a) === JSON.stringify(b);
