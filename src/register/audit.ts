/**
 * Append-only audit log (SPEC §10): one JSON line per event under HANDOVER_HOME/audit.log,
 * each carrying the SHA-256 of the previous line, so that an edited, removed or reordered
 * line breaks the chain. Metadata only: ids, hashes, outcome; never a name or identity code.
 */
import {
  closeSync,
  constants,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { handoverHome, homePath } from '../core/paths.js';
import { ensurePrivateDir, ioError } from '../io/atomic-write.js';
import { type AuditEntry, type AuditInput, chainEntries, lineHash } from './audit-types.js';

export {
  AUDIT_EVENTS,
  type AuditEntry,
  type AuditEvent,
  type AuditInput,
  GENESIS,
  lineHash,
} from './audit-types.js';

export const auditPath = (): string => homePath('audit.log');

/**
 * Serialises appends across processes (a batch import may run several at once): without it
 * two writers read the same last line and both chain to it, which `audit --verify` would then
 * rightly report as an edit. A lock older than LOCK_STALE_MS belongs to a crashed process.
 */
const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

/**
 * A lock is stale when the process that wrote its pid is gone (killed mid-append), or, for a
 * lock without a readable pid, when it is older than LOCK_STALE_MS.
 */
function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    }
    return Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

function withLock<T>(fn: () => T): T {
  const lock = `${auditPath()}.lock`;
  const start = Date.now();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let held = false;
  while (!held) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      held = true;
      // Ours now, even if the pid cannot be written (a full disk): removed in the finally.
      try {
        writeSync(fd, String(process.pid));
      } catch {}
      closeSync(fd);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') break; // cannot lock here: log anyway
      try {
        if (lockIsStale(lock)) unlinkSync(lock);
      } catch {}
      if (Date.now() - start > LOCK_WAIT_MS) break;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
  try {
    return fn();
  } finally {
    if (held)
      try {
        unlinkSync(lock);
      } catch {}
  }
}

/** withLock that creates and removes the lock file on libuv's threads and waits by timer. */
async function withLockAsync<T>(fn: () => T): Promise<T> {
  const { open, unlink } = await import('node:fs/promises');
  const lock = `${auditPath()}.lock`;
  const start = Date.now();
  let held = false;
  while (!held) {
    try {
      const h = await open(lock, 'wx', 0o600);
      held = true;
      // Ours now, even if the pid cannot be written (a full disk): removed in the finally.
      await h.writeFile(String(process.pid)).catch(() => undefined);
      await h.close();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') break; // cannot lock here: log anyway
      try {
        if (lockIsStale(lock)) await unlink(lock);
      } catch {}
      if (Date.now() - start > LOCK_WAIT_MS) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  try {
    return fn();
  } finally {
    if (held) await unlink(lock).catch(() => undefined);
  }
}

/**
 * Opens the log for appending without following a symlink (SPEC §10): an `audit.log` link
 * planted in HANDOVER_HOME must not make us append to the file it points at.
 */
function openLog(): number {
  try {
    return openSync(
      auditPath(),
      constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (e) {
    throw ioError('OUTPUT_FAILED', auditPath(), e);
  }
}

/**
 * A crash mid-write can leave a last line without its newline: never a whole entry, since an
 * entry ends with one. It is cut off before the next append (SPEC §10), so that the chain
 * goes on from the last whole entry instead of being broken forever.
 */
function repairTornTail(fd: number): void {
  if (endsWithNewline(fd)) return;
  const size = fstatSync(fd).size;
  let end = size;
  const buf = Buffer.alloc(4096);
  while (end > 0) {
    const len = Math.min(end, buf.length);
    readSync(fd, buf, 0, len, end - len);
    const nl = buf.subarray(0, len).lastIndexOf(0x0a);
    if (nl >= 0) {
      end = end - len + nl + 1;
      break;
    }
    end -= len;
  }
  ftruncateSync(fd, end);
}

/** Whether the file ends in a newline (a crash can leave a partial last line without one). */
function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, size - 1);
  return b[0] === 0x0a;
}

/** Reads the last line of the log without reading the whole file. */
function lastLine(fd: number): string | undefined {
  const size = fstatSync(fd).size;
  if (size === 0) return undefined;
  let chunk = 4096;
  for (;;) {
    const len = Math.min(size, chunk);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8').replace(/\n+$/, '');
    const nl = text.lastIndexOf('\n');
    if (nl >= 0 || len === size) return nl >= 0 ? text.slice(nl + 1) : text;
    chunk *= 4;
  }
}

function seqOf(line: string): number | undefined {
  try {
    const seq = (JSON.parse(line) as Partial<AuditEntry>).seq;
    return Number.isSafeInteger(seq) ? seq : undefined;
  } catch {
    return undefined;
  }
}

function lastReadableSeq(): number {
  const lines = readFileSync(auditPath(), 'utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const seq = seqOf(lines[i] ?? '');
    if (seq !== undefined) return seq;
  }
  return 0;
}

/** Writes the entries after the log's last line; the caller holds the lock and fsyncs. */
function writeEntries(fd: number, inputs: readonly AuditInput[], now: Date): AuditEntry[] {
  repairTornTail(fd);
  const last = lastLine(fd);
  // A damaged last line: `audit --verify` reports it; keep logging, numbered on from the last
  // readable entry so that the numbers still show order.
  const { entries, lines } = chainEntries(
    inputs,
    last ? { hash: lineHash(last), seq: seqOf(last) ?? lastReadableSeq() } : undefined,
    now,
  );
  const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const before = fstatSync(fd).size;
  let off = 0;
  try {
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (e) {
    // Whole lines or none (a full disk): what part of them was written is taken back.
    try {
      ftruncateSync(fd, before);
    } catch {}
    throw ioError('OUTPUT_FAILED', auditPath(), e);
  }
  return entries;
}

/**
 * Appends several entries to the log file, chained as if appended one by one, under one lock
 * and with one write and one fsync: a batch import logs every file without paying an fsync
 * for each. The register records the new head (sqlite.ts).
 */
export function appendAuditFile(inputs: readonly AuditInput[], now: Date = new Date()): AuditEntry[] {
  if (inputs.length === 0) return [];
  ensurePrivateDir(handoverHome());
  return withLock(() => {
    const fd = openLog();
    try {
      const entries = writeEntries(fd, inputs, now);
      fsyncSync(fd);
      return entries;
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * appendAuditFile with the fsync on libuv's threads. The lock covers the read of the last
 * line and the write (the chain's order); the fsync after it makes these lines durable
 * whoever appends next. Nothing here blocks the event loop but the small read and write.
 */
export async function appendAuditFileAsync(
  inputs: readonly AuditInput[],
  now: Date = new Date(),
): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  ensurePrivateDir(handoverHome());
  const fd = openLog();
  try {
    const entries = await withLockAsync(() => writeEntries(fd, inputs, now));
    await new Promise<void>((resolve, reject) =>
      fsync(fd, (e) => (e ? reject(ioError('OUTPUT_FAILED', auditPath(), e)) : resolve())),
    );
    return entries;
  } finally {
    closeSync(fd);
  }
}
