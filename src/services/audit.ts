/** `handover audit`: list the audit log and, on request, check its hash chain. */
import { existsSync } from 'node:fs';
import { EXIT, HandoverError } from '../errors.js';
import { auditPath, flushAuditOutbox } from '../register/audit.js';
import { type AuditProblem, verifyAuditLog } from '../register/audit-verify.js';
import { Register, registerPath } from '../register/db.js';

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

/** The head of the chain the register keeps; none when there is no register yet. */
function registeredHead(): { hash: string; count: number } | undefined {
  if (!existsSync(registerPath())) return undefined;
  const reg = Register.open();
  try {
    // What a killed import committed but never logged is appended before the check.
    flushAuditOutbox(reg);
    return reg.auditHead();
  } finally {
    reg.close();
  }
}

export function runAudit(opts: AuditOptions = {}): AuditResult {
  const log = opts.path ?? auditPath();
  let v: ReturnType<typeof verifyAuditLog>;
  try {
    v = verifyAuditLog(log, opts.path === undefined ? registeredHead() : undefined);
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
