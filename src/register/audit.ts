/**
 * Append-only audit log (SPEC §10): one JSON line per event under HANDOVER_HOME/audit.log,
 * each carrying the SHA-256 of the previous line, so that an edited, removed or reordered
 * line breaks the chain. Metadata only: ids, hashes, outcome; never a name or identity code.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { homePath } from '../paths.js';
import { ensurePrivateDir } from '../io/atomic-write.js';
import { handoverHome } from '../paths.js';

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

export function appendAudit(input: AuditInput, now: Date = new Date()): AuditEntry {
  ensurePrivateDir(handoverHome());
  const fd = openSync(auditPath(), 'a+', 0o600);
  try {
    const last = lastLine(fd);
    let seq = 1;
    let prev = GENESIS;
    if (last) {
      prev = lineHash(last);
      try {
        seq = (JSON.parse(last) as AuditEntry).seq + 1;
      } catch {
        seq = 0; // a damaged last line: `audit --verify` reports it; keep logging.
      }
    }
    const entry: AuditEntry = { seq, time: now.toISOString(), user: osUser(), prev, ...input };
    writeSync(fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
    return entry;
  } finally {
    closeSync(fd);
  }
}
