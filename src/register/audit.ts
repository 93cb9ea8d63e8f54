/**
 * Append-only audit log (SPEC §10): one JSON line per event under HANDOVER_HOME/audit.log,
 * each carrying the SHA-256 of the previous line, so that an edited, removed or reordered
 * line breaks the chain. Metadata only: ids, hashes, outcome; never a name or identity code.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
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
import { userInfo } from 'node:os';
import { ensurePrivateDir, ioError } from '../io/atomic-write.js';
import { handoverHome, homePath } from '../paths.js';
import { Register, registerPath } from './db.js';

export const AUDIT_EVENTS = [
  'create',
  'sign',
  'letter',
  'seal',
  'open',
  'import',
  'verify',
  'export',
  'withdraw',
  'receipt',
  'keys',
  'trust',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditInput {
  event: AuditEvent;
  outcome: 'ok' | 'failed' | 'rejected' | 'accepted' | 'valid' | 'invalid' | 'untrusted' | 'duplicate';
  handoverId?: string;
  sha256?: string;
  /** A short machine-readable detail: a rule code, a key alias, a file kind. Never personal data. */
  detail?: string;
}

export interface AuditEntry extends AuditInput {
  seq: number;
  time: string;
  user: string;
  prev: string;
}

export const GENESIS = '0'.repeat(64);
export const auditPath = (): string => homePath('audit.log');
export const lineHash = (line: string): string => createHash('sha256').update(line, 'utf8').digest('hex');

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

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

export function appendAudit(input: AuditInput, now: Date = new Date()): AuditEntry {
  const [entry] = appendAuditMany([input], now);
  return entry!;
}

/** Writes the entries after the log's last line; the caller holds the lock and fsyncs. */
function writeEntries(fd: number, inputs: readonly AuditInput[], now: Date): AuditEntry[] {
  repairTornTail(fd);
  const last = lastLine(fd);
  let seq = 1;
  let prev = GENESIS;
  if (last) {
    prev = lineHash(last);
    // A damaged last line: `audit --verify` reports it; keep logging, numbered on from
    // the last readable entry so that the numbers still show order.
    seq = (seqOf(last) ?? lastReadableSeq()) + 1;
  }
  const user = osUser();
  const time = now.toISOString();
  const entries: AuditEntry[] = [];
  const lines: string[] = [];
  for (const input of inputs) {
    const entry: AuditEntry = { seq, time, user, prev, ...input };
    const line = JSON.stringify(entry);
    entries.push(entry);
    lines.push(line);
    prev = lineHash(line);
    seq++;
  }
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
 * Appends several entries, chained as if appended one by one, under one lock and with one
 * write and one fsync: a batch import logs every file without paying an fsync for each.
 */
export function appendAuditMany(inputs: readonly AuditInput[], now: Date = new Date()): AuditEntry[] {
  if (inputs.length === 0) return [];
  ensurePrivateDir(handoverHome());
  const entries = withLock(() => {
    const fd = openLog();
    try {
      const entries = writeEntries(fd, inputs, now);
      fsyncSync(fd);
      return entries;
    } finally {
      closeSync(fd);
    }
  });
  recordHead(entries);
  return entries;
}

/**
 * Keeps the chain's head (hash and number of the last entry) in the register, so that a log
 * cut short or deleted is found (SPEC §8). Best effort: the entries are already durable, and
 * the head only ever moves forward, so the next append records it if this one cannot.
 */
function recordHead(entries: readonly AuditEntry[], reg?: Register): void {
  const last = entries[entries.length - 1];
  if (!last) return;
  const hash = lineHash(JSON.stringify(last));
  try {
    if (reg) reg.setAuditHead(hash, last.seq);
    // No register yet (keys and trust come first): none is created for this; the first
    // append after one exists records the head, which covers every entry before it.
    else if (existsSync(registerPath())) {
      const own = Register.open(registerPath());
      try {
        own.setAuditHead(hash, last.seq);
      } finally {
        own.close();
      }
    }
  } catch {}
}

/**
 * appendAuditMany with the fsync on libuv's threads. The lock covers the read of the last
 * line and the write (the chain's order); the fsync after it makes these lines durable
 * whoever appends next. Nothing here blocks the event loop but the small read and write.
 */
export async function appendAuditManyAsync(
  inputs: readonly AuditInput[],
  now: Date = new Date(),
  reg?: Register,
): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  ensurePrivateDir(handoverHome());
  const fd = openLog();
  try {
    const entries = await withLockAsync(() => writeEntries(fd, inputs, now));
    await new Promise<void>((resolve, reject) =>
      fsync(fd, (e) => (e ? reject(ioError('OUTPUT_FAILED', auditPath(), e)) : resolve())),
    );
    recordHead(entries, reg);
    return entries;
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends the audit entries that killed processes committed with their rows but never wrote
 * to the log (SPEC §8: rows and the audit log agree after a kill -9). A live writer's entries
 * are its own to append. Returns how many were appended.
 */
export function flushAuditOutbox(reg: Register): number {
  const stale = reg.outbox().filter((o) => {
    try {
      process.kill(o.pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'EPERM';
    }
  });
  if (stale.length === 0) return 0;
  const entries = appendAuditMany(stale.map((o) => o.entry as AuditInput));
  reg.transaction(() => reg.deleteOutbox(stale.map((o) => o.id)));
  recordHead(entries, reg);
  return entries.length;
}
