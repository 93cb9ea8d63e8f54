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
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EXIT, HandoverError } from '../errors.js';

export interface WriteOptions {
  /** Replace an existing file. Without it an existing file is an error (OUTPUT_EXISTS). */
  force?: boolean;
  /** Defaults to 0600: handover data is readable by its owner only. */
  mode?: number;
  /** Create the parent folder (mode 0700) when missing. */
  mkdir?: boolean;
}

const tempName = (target: string): string =>
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

const ioError = (code: string, target: string, cause: unknown): HandoverError =>
  new HandoverError(code, EXIT.io, {
    vars: { file: target, reason: (cause as NodeJS.ErrnoException)?.code ?? 'EIO' },
    cause,
  });

export function writeFileAtomic(target: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const mode = opts.mode ?? 0o600;
  const dir = dirname(target);
  if (opts.mkdir) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw ioError('OUTPUT_FAILED', target, e);
    }
  }
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
    if (opts.force) {
      renameSync(tmp, target);
    } else {
      // link() fails with EEXIST instead of replacing: no window in which another writer's
      // file could be overwritten between a check and the rename.
      linkSync(tmp, target);
      unlinkSync(tmp);
    }
    fsyncDir(dir);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {}
    }
    try {
      unlinkSync(tmp);
    } catch {}
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && !opts.force) {
      throw new HandoverError('OUTPUT_EXISTS', EXIT.io, { vars: { file: target }, cause: e });
    }
    throw ioError('OUTPUT_FAILED', target, e);
  }
}

/** Writes several files all-or-nothing: if one fails, those already written are removed. */
export function writeFilesAtomic(
  files: { path: string; data: string | Uint8Array }[],
  opts: WriteOptions = {},
): void {
  const done: string[] = [];
  try {
    for (const f of files) {
      writeFileAtomic(f.path, f.data, opts);
      done.push(f.path);
    }
  } catch (e) {
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
