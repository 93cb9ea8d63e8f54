/** `handover audit`: list the audit log and, on request, check its hash chain. */
import { existsSync } from 'node:fs';
import { EXIT, HandoverError } from '../core/errors.js';
import { auditPath } from '../register/audit.js';
import {
  type AuditProblem,
  type AuditVerification,
  verifyAuditChain,
  verifyAuditLog,
  verifyAuditText,
} from '../register/audit-verify.js';
import { openRegister, registerExists, registerPath } from '../register/index.js';

export interface AuditOptions {
  /** Check the hash chain; a broken chain is an AUDIT_CHAIN_BROKEN error (exit 1). */
  verify?: boolean;
  /** Only the last N entries in the listing (the check always covers the whole log). */
  last?: number;
  /** A log file to read instead of the register's chain (e.g. an old audit.log kept aside). */
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
  /** Present with `verify`: the live chain, and every chain when an office keeps several. */
  verification?: {
    ok: boolean;
    lines: number;
    head: string;
    problems: AuditProblem[];
    chains?: { name: string; ok: boolean; lines: number; head: string; problems: AuditProblem[] }[];
  };
}

/**
 * The chains to check: the given file alone; else the register's (the worker's SQLite register,
 * or the office's chains in its database), each against the head its register keeps. A chain
 * with lines but no head had its head deleted: `null` tells the check so. A home with neither a
 * register nor an old audit.log has an empty chain, and nothing is created to say so.
 */
async function chains(path: string | undefined): Promise<{ name: string; v: AuditVerification }[]> {
  if (path !== undefined) return [{ name: path, v: verifyAuditLog(path) }];
  if (!registerExists() && !existsSync(auditPath()))
    return [{ name: registerPath(), v: verifyAuditText('') }];
  const reg = await openRegister();
  try {
    return (await reg.auditChains()).map((c) => ({
      name: c.name,
      v: verifyAuditChain(c.text, c.head ?? null),
    }));
  } finally {
    await reg.close();
  }
}

export async function runAudit(opts: AuditOptions = {}): Promise<AuditResult> {
  let all: { name: string; v: AuditVerification }[];
  try {
    all = await chains(opts.path);
  } catch (e) {
    if (e instanceof HandoverError) throw e;
    throw new HandoverError('AUDIT_UNREADABLE', EXIT.invalid, {
      key: 'audit.AUDIT_UNREADABLE',
      vars: { file: opts.path ?? registerPath(), reason: (e as NodeJS.ErrnoException).code ?? 'EIO' },
      cause: e,
    });
  }
  const { name: log, v } = all[0]!;
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
    result.verification = {
      ok: all.every((c) => c.v.ok),
      lines: v.lines,
      head: v.head,
      problems: all.flatMap((c, i) => c.v.problems.map((p) => (i === 0 ? p : { ...p, chain: c.name }))),
      ...(all.length > 1
        ? {
            chains: all.map((c) => ({
              name: c.name,
              ok: c.v.ok,
              lines: c.v.lines,
              head: c.v.head,
              problems: c.v.problems,
            })),
          }
        : {}),
    };
  }
  return result;
}
