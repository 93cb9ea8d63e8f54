/**
 * The one way this product writes an output file (SPEC §10): a temporary file in the same
 * folder, fsync, then an atomic link (no overwrite) or rename (--force), mode 0600. A crash
 * at any moment leaves either no file or the whole file, never half of one.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXIT, HandoverError } from '../core/errors.js';

export interface WriteOptions {
  /** Replace an existing file. Without it an existing file is an error (OUTPUT_EXISTS). */
  force?: boolean;
  /** Defaults to 0600: handover data is readable by its owner only. */
  mode?: number;
  /** Create the parent folder (mode 0700) when missing. */
  mkdir?: boolean;
}

export const tempName = (target: string): string =>
  join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Errno codes of a full disk or an exhausted quota: DISK_FULL, never a bug (SPEC §10). */
export const isDiskFull = (cause: unknown): boolean => {
  const c = cause as { code?: unknown; message?: unknown } | undefined;
  if (c?.code === 'ENOSPC' || c?.code === 'EDQUOT' || c?.code === 'SQLITE_FULL') return true;
  return typeof c?.message === 'string' && /database or disk is full/.test(c.message);
};

export const ioError = (code: string, target: string, cause: unknown): HandoverError =>
  isDiskFull(cause)
    ? new HandoverError('DISK_FULL', EXIT.io, { vars: { file: target }, cause })
    : new HandoverError(code, EXIT.io, {
        vars: { file: target, reason: (cause as NodeJS.ErrnoException)?.code ?? 'EIO' },
        cause,
      });

/** Writes and fsyncs a temporary file beside `target`; returns its name. */
function writeTemp(target: string, data: string | Uint8Array, mode: number): string {
  const tmp = tempName(target);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    return tmp;
  } catch (e) {
    if (fd !== undefined)
      try {
        closeSync(fd);
      } catch {}
    try {
      unlinkSync(tmp);
    } catch {}
    throw ioError('OUTPUT_FAILED', target, e);
  }
}

/** Gives a written temporary file its name: link (never replaces) or, with force, rename. */
function publish(tmp: string, target: string, force: boolean): void {
  try {
    if (force) renameSync(tmp, target);
    else {
      // link() fails with EEXIST instead of replacing: no window in which another writer's
      // file could be overwritten between a check and the rename.
      linkSync(tmp, target);
      unlinkSync(tmp);
    }
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {}
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && !force)
      throw new HandoverError('OUTPUT_EXISTS', EXIT.io, { vars: { file: target }, cause: e });
    throw ioError('OUTPUT_FAILED', target, e);
  }
}

function prepareDir(dir: string, target: string, opts: WriteOptions): void {
  if (opts.mkdir) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw ioError('OUTPUT_FAILED', target, e);
    }
  }
  cleanOnce(dir);
}

// Folders already cleaned of stale temporary files by this process: once per folder is enough.
const cleaned = new Set<string>();
function cleanOnce(dir: string): void {
  if (cleaned.has(dir)) return;
  cleaned.add(dir);
  cleanStaleTemps(dir);
}

export function writeFileAtomic(target: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const dir = dirname(target);
  prepareDir(dir, target, opts);
  publish(writeTemp(target, data, opts.mode ?? 0o600), target, opts.force ?? false);
  fsyncDir(dir);
}

export interface AsyncWriteOptions extends WriteOptions {
  /**
   * Leave the folder's fsync to the caller, who writes several files into it and then calls
   * syncDir() once before reporting any of them written. Until then a power cut may lose the
   * new name (never leave half a file under it).
   */
  deferDirSync?: boolean;
}

/**
 * Folder fsync that makes earlier links and renames in `dir` durable. Runs on libuv's
 * threads, so a batch's other work goes on meanwhile.
 */
export async function syncDir(dir: string): Promise<void> {
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // As in fsyncDir: a platform that cannot fsync a folder still renames atomically.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * writeFileAtomic without blocking the event loop: the same temporary file in the same
 * folder, fsync, link (or rename with force), mode 0600 and OUTPUT_EXISTS, with the write
 * and the fsyncs on libuv's threads so that many files can be in flight at once.
 */
export async function writeFileAtomicAsync(
  target: string,
  data: string | Uint8Array,
  opts: AsyncWriteOptions = {},
): Promise<void> {
  const mode = opts.mode ?? 0o600;
  const dir = dirname(target);
  if (opts.mkdir) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw ioError('OUTPUT_FAILED', target, e);
    }
  }
  cleanOnce(dir);
  const tmp = tempName(target);
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx', mode);
    await fh.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    if (opts.force) {
      await rename(tmp, target);
    } else {
      await link(tmp, target);
      await unlink(tmp);
    }
    if (!opts.deferDirSync) await syncDir(dir);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && !opts.force) {
      throw new HandoverError('OUTPUT_EXISTS', EXIT.io, { vars: { file: target }, cause: e });
    }
    throw ioError('OUTPUT_FAILED', target, e);
  }
}

/**
 * The first half of a two-phase write: the whole data in a fsynced temporary file beside
 * `target`, under the name cleanStaleTemps knows. Used where something must be committed
 * between "the bytes are safe" and "the file has its name" (a receipt and its register row).
 */
export async function writeTempAsync(
  target: string,
  data: string | Uint8Array,
  tmp: string = tempName(target),
): Promise<string> {
  const dir = dirname(target);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw ioError('OUTPUT_FAILED', target, e);
  }
  cleanOnce(dir);
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx', 0o600);
    await fh.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await fh.sync();
    await fh.close();
    return tmp;
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw ioError('OUTPUT_FAILED', target, e);
  }
}

/**
 * The second half: names the temporary file `target`, or when that is taken the next free
 * name that `candidate(n)` gives (n = 2, 3, …), never replacing a file; returns the name
 * taken. The temporary file is gone afterwards. The folder's fsync is the caller's.
 */
export function publishFree(tmp: string, target: string, candidate: (n: number) => string): string {
  for (let n = 1; n <= 1000; n++) {
    const name = n === 1 ? target : join(dirname(target), candidate(n));
    try {
      linkSync(tmp, name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw ioError('OUTPUT_FAILED', target, e);
    }
    try {
      unlinkSync(tmp);
    } catch {}
    return name;
  }
  throw new HandoverError('OUTPUT_EXISTS', EXIT.io, { vars: { file: target } });
}

/** Removes a temporary file whose name is no longer wanted; never throws. */
export function discardTemp(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch {}
}

/**
 * Writes several files all-or-nothing. Every temporary file is written and fsynced before the
 * first one is named, so that a kill leaves the set either unnamed or named within a few
 * link() calls; on an error, the files already named are removed again.
 */
export function writeFilesAtomic(
  files: { path: string; data: string | Uint8Array }[],
  opts: WriteOptions = {},
): void {
  const temps: { tmp: string; path: string }[] = [];
  const done: string[] = [];
  try {
    for (const f of files) prepareDir(dirname(f.path), f.path, opts);
    for (const f of files) temps.push({ tmp: writeTemp(f.path, f.data, opts.mode ?? 0o600), path: f.path });
    for (const t of temps) {
      publish(t.tmp, t.path, opts.force ?? false);
      done.push(t.path);
    }
    for (const dir of new Set(files.map((f) => dirname(f.path)))) fsyncDir(dir);
  } catch (e) {
    for (const t of temps.slice(done.length))
      try {
        unlinkSync(t.tmp);
      } catch {}
    if (!opts.force)
      for (const p of done)
        try {
          unlinkSync(p);
        } catch {}
    throw e;
  }
}

/** Creates a private folder (0700) under HANDOVER_HOME or for output. */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw ioError('OUTPUT_FAILED', dir, e);
  }
}

/** The names tempName() gives: `.<target name>.<pid>.<12 hex digits>.tmp`. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Age after which a temporary file of ours is a leftover. A writer keeps its temporary file
 * for milliseconds (write, fsync, link); ten minutes leaves room for a slow network folder
 * and a clock that differs from the file server's.
 */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes the temporary files that a writer killed before its rename left in `dir` (SIGKILL,
 * power loss: no catch block runs). Such a file holds the whole or a part of a document with
 * personal data, so it must not stay in a folder that users share and back up. Only names
 * that writeFileAtomic makes, only regular files of this user (never a link or a folder),
 * only those older than `olderThanMs`, and never one of this process's own, so that a write
 * in progress here or in another process is left alone. Never throws: a failed clean-up must
 * not stop the command that calls it. Returns the names removed.
 */
export function cleanStaleTemps(dir: string, opts: { olderThanMs?: number; now?: number } = {}): string[] {
  const limit = (opts.now ?? Date.now()) - (opts.olderThanMs ?? STALE_TEMP_MS);
  const uid = process.getuid?.();
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    const path = join(dir, name);
    try {
      const st = lstatSync(path);
      if (!st.isFile() || (uid !== undefined && st.uid !== uid) || st.mtimeMs > limit) continue;
      unlinkSync(path);
      removed.push(name);
    } catch {
      // Gone already (another process cleaned it) or not ours to remove.
    }
  }
  return removed;
}
