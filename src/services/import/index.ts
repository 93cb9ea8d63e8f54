/**
 * `handover import` (SPEC §8, §9): the receiving side takes in handovers and withdrawal
 * notices, the sending side takes in receipts.
 *
 * A handover is verified (signature against the trust store), validated, checked to be
 * addressed to us, registered, and answered with a signed receipt: accepted, or rejected with
 * the rule codes. Decisions worth knowing:
 * - A rejected handover gets a signed "rejected" receipt, broken signatures included: the
 *   sender can only fix what it is told. The receipt binds the SHA-256 of the bytes we got,
 *   so it can never be passed off as acceptance of other content.
 * - An intact signature by a signer not yet in the trust store (the commonest case in a
 *   pilot) is not the sender's fault: the handover is registered "awaiting trust" with no
 *   receipt, the worker is told which fingerprint to compare, and the next import after
 *   `trust add` decides it (SPEC §3).
 * - No receipt without a handover id (unparseable file, no UUID): a receipt must name one.
 * - ID_CONFLICT (an accepted handover with the same id and other bytes) writes no receipt and
 *   changes nothing: the id is already bound to the first content.
 * - A handover rejected before is not a conflict: the same or corrected bytes may come again
 *   (e.g. after `trust add`) and are judged afresh; the new receipt replaces our old one.
 * - Order of effects (SPEC §8, commit.ts): the receipt is written under a temporary name and
 *   fsynced, the id check, the decision and the row commit in one transaction, then the
 *   receipt takes its final name. A kill in between is settled by the next command
 *   (register/pending.ts): a receipt never has its name without its row, nor a row without
 *   its receipt's bytes on disk.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, ownParty } from '../../config/store.js';
import { EXIT, HandoverError, isHandoverError } from '../../core/errors.js';
import { isUuid } from '../../domain/ids.js';
import { t } from '../../i18n/index.js';
import { sha256Hex } from '../../io/hash.js';
import { InOrder } from '../../io/in-order.js';
import { readLimited } from '../../io/read-document.js';
import { openRegister, registerExists } from '../../register/index.js';
import type { Receipt, Withdrawal } from '../../schema/types.js';
import { importReceipt, importWithdrawal } from './answers.js';
import { ImportCommitter } from './commit.js';
import { importHandover } from './handover.js';
import { audit, finding, obj, unwrap, validate, verifySignature } from './steps.js';
import type {
  Ctx,
  ImportFileResult,
  ImportFinding,
  ImportOptions,
  ImportOutcome,
  ImportResult,
} from './types.js';

export type {
  ImportFileResult,
  ImportFinding,
  ImportKind,
  ImportOptions,
  ImportOutcome,
  ImportResult,
} from './types.js';

async function importOne(file: string, ctx: Ctx): Promise<ImportFileResult> {
  const { lang } = ctx.opts;
  const res: ImportFileResult = { file, kind: 'unknown', outcome: 'rejected', findings: [] };
  let bytes: Uint8Array;
  try {
    bytes = readLimited(file, ctx.opts.maxBytes);
  } catch (e) {
    if (isHandoverError(e) && e.code === 'FILE_TOO_LARGE') {
      res.findings.push({ rule: e.code, severity: 'error', pointer: '', message: t(e.key, lang, e.vars) });
      return res;
    }
    const cause = (isHandoverError(e) ? e.cause : e) as NodeJS.ErrnoException | undefined;
    res.findings.push(finding('FILE_UNREADABLE', '', lang, { reason: cause?.code ?? 'EIO' }));
    return res;
  }
  const unwrapped = await unwrap(file, bytes, ctx);
  if (!('json' in unwrapped)) {
    res.findings.push(unwrapped);
    return res;
  }
  const inner = unwrapped.json;
  res.sha256 = sha256Hex(inner);
  const v = await validate(inner, ctx);
  res.kind = v.kind;
  const errors: ImportFinding[] = v.findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({ rule: f.rule, severity: 'error', pointer: f.pointer, message: f.message }));
  res.findings.push(
    ...v.findings
      .filter((f) => f.severity === 'warning')
      .map((f) => ({ rule: f.rule, severity: 'warning' as const, pointer: f.pointer, message: f.message })),
  );
  if (v.doc !== undefined) {
    // REVOCATION_UNKNOWN is reported but judges nothing: it is not among the errors.
    const sig = await verifySignature(v.doc, ctx);
    if (sig.signedBy) res.signedBy = sig.signedBy;
    errors.unshift(...sig.findings.filter((f) => f.severity === 'error'));
    res.findings.push(...sig.findings.filter((f) => f.severity === 'warning'));
  }
  errors.unshift(...unwrapped.letter);
  const d = obj(v.doc);
  const keys = [v.kind === 'handover' ? d.id : d.handoverId, v.kind === 'handover' ? d.supersedes : undefined]
    .filter(isUuid)
    .map((k) => k.toLowerCase());
  await withLocks(ctx.locks, keys, async () => {
    switch (v.kind) {
      case 'receipt':
        await importReceipt(res, v.doc as Receipt, errors, ctx);
        break;
      case 'withdrawal':
        await importWithdrawal(res, v.doc as Withdrawal, errors, ctx);
        break;
      case 'unknown': // DOCUMENT_UNKNOWN or unparseable: we are not its receiver, so no receipt
        res.findings.unshift(...errors);
        break;
      default:
        await importHandover(res, v.doc, errors, ctx);
    }
  });
  // A forged letter around a handover accepted before is no duplicate to file: the register
  // keeps its row and no receipt goes out, but this file is refused for what it is.
  if (res.outcome === 'duplicate' && unwrapped.letter.length > 0) {
    res.outcome = 'rejected';
    for (const f of unwrapped.letter) if (!res.findings.includes(f)) res.findings.unshift(f);
  }
  return res;
}

/**
 * Runs fn after every earlier holder of any of `keys` is done. The tails are taken
 * synchronously, so two files about one handover can never both judge it unregistered.
 */
async function withLocks<T>(
  locks: Map<string, Promise<unknown>>,
  keys: string[],
  fn: () => Promise<T>,
): Promise<T> {
  const before = keys.map((k) => locks.get(k));
  const run = Promise.allSettled(before).then(fn);
  const tail = run.catch(() => undefined);
  for (const k of keys) locks.set(k, tail);
  try {
    return await run;
  } finally {
    for (const k of keys) if (locks.get(k) === tail) locks.delete(k);
  }
}

/**
 * Files in flight at once: while some wait for signing, verification or an fsync on libuv's
 * threads, others are validated on the main thread, and the finished ones share a commit.
 * The fsyncs queue behind the signatures on libuv's four threads, so a file takes longer
 * from start to receipt; 32 keep both cores busy (measured: 16 gave 150 files/s, 32 gave
 * 235-278 on two shared cores).
 */
const CONCURRENCY = 32;

/**
 * Imports files in input order of results, one savepoint per file in group commits. Usable in-process (benchmarks, other
 * services): the register and the signing key are opened once for the whole batch.
 */
export async function importFiles(opts: ImportOptions): Promise<ImportResult> {
  if (opts.files.length === 0) throw new HandoverError('NO_INPUT', EXIT.usage);
  for (const f of opts.files) {
    if (!existsSync(f)) throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: f } });
  }
  const config = loadConfig();
  const own = ownParty(config);
  if (!own) throw new HandoverError('NO_ORGANIZATION', EXIT.environment, { key: 'import.NO_ORGANIZATION' });
  const outDir = resolve(opts.out ?? config.defaults?.outputFolder ?? '.');
  // A dry run writes nothing, not even a new empty register.
  // Opening reconciles what a killed import left: receipts between written and named, audit
  // entries committed with their rows but never logged (SPEC §8).
  const reg = await openRegister(
    opts.dryRun ? (registerExists() ? { dryRun: true } : { file: ':memory:', dryRun: true }) : {},
  );
  const ctx: Ctx = {
    opts,
    reg,
    own,
    outDir,
    now: opts.now ?? (() => new Date()),
    services: config.services,
    tsaUrl: config.timestamp?.url ?? null,
    locks: new Map(),
    committer: new ImportCommitter(reg),
    audited: new WeakSet(),
  };
  const files: ImportFileResult[] = [];
  // Reported in input order, whatever order the files finish in.
  const inOrder = new InOrder<ImportFileResult>((r) => {
    files.push(r);
    opts.onFile?.(r);
  });
  let next = 0;
  let fatal: unknown;
  const worker = async (): Promise<void> => {
    while (fatal === undefined && next < opts.files.length) {
      const i = next++;
      const file = opts.files[i]!;
      let r: ImportFileResult;
      try {
        r = await importOne(file, ctx);
      } catch (e) {
        // The signing key, the register or the environment: nothing further can succeed.
        if (!isHandoverError(e) || e.exit !== EXIT.io) {
          fatal ??= e;
          return;
        }
        r = {
          file,
          kind: 'unknown',
          outcome: 'failed',
          findings: [],
          error: { code: e.code, message: t(e.key, opts.lang, e.vars), exit: e.exit },
        };
      }
      if (!opts.dryRun && !ctx.audited.has(r)) {
        try {
          await audit(ctx, r, r.kind === 'withdrawal' ? 'withdraw' : 'import');
        } catch (e) {
          fatal ??= e;
          return;
        }
      }
      inOrder.put(i, r);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, opts.files.length) }, worker));
  } finally {
    await reg.close();
  }
  if (fatal !== undefined) throw fatal;
  const count = (o: ImportOutcome) => files.filter((f) => f.outcome === o).length;
  // A receipt is "accepted" when we took it in; whether it accepts our handover is its answer.
  const refusal = (f: ImportFileResult) =>
    f.kind === 'receipt' && f.outcome === 'accepted' && f.answer?.outcome === 'rejected';
  const summary = {
    files: files.length,
    accepted: files.filter((f) => f.outcome === 'accepted' && !refusal(f)).length,
    rejected: count('rejected'),
    rejectedByRecipient: files.filter(refusal).length,
    awaitingTrust: count('awaiting-trust'),
    duplicate: count('duplicate'),
    failed: count('failed'),
  };
  // A duplicate of a file rejected before is still a rejection for the batch; a file awaiting
  // trust is not accepted either (SPEC §3: exit 1 with the fingerprint).
  const rejected = files.some(
    (f) =>
      f.outcome === 'rejected' ||
      f.outcome === 'awaiting-trust' ||
      (f.outcome === 'duplicate' && f.findings.some((x) => x.severity === 'error')),
  );
  const exit = summary.failed > 0 ? EXIT.io : rejected ? EXIT.invalid : EXIT.ok;
  return { dryRun: opts.dryRun === true, files, summary, exit };
}

/** The --responsible flags checked before any file is read. */
export { checkResponsible } from '../../documents/receipt.js';
export { renderFile, renderSummary } from './render.js';
