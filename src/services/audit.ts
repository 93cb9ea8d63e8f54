/** `handover audit`: list the audit log and, on request, check its hash chain. */
import { EXIT, HandoverError } from '../errors.js';
import { auditPath } from '../register/audit.js';
import { type AuditProblem, verifyAuditLog } from '../register/audit-verify.js';

export interface AuditOptions {
  /** Check the hash chain; a broken chain is an AUDIT_CHAIN_BROKEN error (exit 1). */
  verify?: boolean;
  /** Only the last N entries in the listing (the check always covers the whole log). */
  last?: number;
  /** The log to read; defaults to HANDOVER_HOME/audit.log. */
  path?: string;
}

export interface AuditRow {
  line: number;
  seq: number;
  time: string;
  event: string;
  outcome: string;
  user: string;
  handoverId: string | null;
  sha256: string | null;
  detail: string | null;
}

export interface AuditResult {
  log: string;
  entries: AuditRow[];
  /** Present with `verify`. */
  verification?: { ok: boolean; lines: number; head: string; problems: AuditProblem[] };
}

export function runAudit(opts: AuditOptions = {}): AuditResult {
  const log = opts.path ?? auditPath();
  let v: ReturnType<typeof verifyAuditLog>;
  try {
    v = verifyAuditLog(log);
  } catch (e) {
    throw new HandoverError('AUDIT_UNREADABLE', EXIT.invalid, {
      key: 'audit.AUDIT_UNREADABLE',
      vars: { file: log, reason: (e as NodeJS.ErrnoException).code ?? 'EIO' },
      cause: e,
    });
  }
  let rows: AuditRow[] = v.entries.map(({ line, entry: e }) => ({
    line,
    seq: e.seq,
    time: e.time,
    event: e.event,
    outcome: e.outcome,
    user: e.user,
    handoverId: e.handoverId ?? null,
    sha256: e.sha256 ?? null,
    detail: e.detail ?? null,
  }));
  if (opts.last !== undefined && opts.last >= 0) rows = rows.slice(Math.max(0, rows.length - opts.last));
  const result: AuditResult = { log, entries: rows };
  if (opts.verify) {
    result.verification = { ok: v.ok, lines: v.lines, head: v.head, problems: v.problems };
  }
  return result;
}
