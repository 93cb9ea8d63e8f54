/**
 * The audit entry (SPEC §10): what an entry holds and how a chain of them is built, the same
 * for the log file of one worker and the office's table. Metadata only: ids, hashes, outcome,
 * the OS user who acted; never a name or identity code.
 */
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';

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
  'migrate',
  'config',
  'directory',
  'purge',
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
export const lineHash = (line: string): string => createHash('sha256').update(line, 'utf8').digest('hex');

/** The OS user who acted: every entry names them (SPEC §11), whichever store keeps it. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Entries chained after `last` (the previous line's hash and number), as if appended one by one. */
export function chainEntries(
  inputs: readonly AuditInput[],
  last: { hash: string; seq: number } | undefined,
  now: Date,
): { entries: AuditEntry[]; lines: string[] } {
  let seq = (last?.seq ?? 0) + 1;
  let prev = last?.hash ?? GENESIS;
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
  return { entries, lines };
}
