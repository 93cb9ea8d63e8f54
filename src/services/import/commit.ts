/**
 * Group commit for a batch import: the files in flight share one durable register commit,
 * one folder fsync and one audit append, instead of paying each of them per file. Each file
 * still gets its own savepoint and its own fsynced receipt. The order of effects per file
 * (SPEC §8): an intent is recorded, the receipt is written under a temporary name and
 * fsynced, the file's decision is made again on committed facts and its rows commit with it
 * (another process may have registered the same id meanwhile), the commit is made durable,
 * then the receipt takes its final name (the next free one on a collision) and is reported.
 * A kill anywhere leaves an intent that the next command settles (register/pending.ts).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { discardTemp, syncDir, tempName, writeTempAsync } from '../../io/atomic-write.js';
import type { AuditInput } from '../../register/audit-types.js';
import type { PendingFile, Register, RegisterTx } from '../../register/index.js';
import { publishReceipt } from '../../register/pending.js';

export interface CommitJob {
  /**
   * Register changes of one file: a savepoint in the group's transaction. Returns false when
   * the decision, made again there, no longer holds: then nothing changes and the file is
   * discarded. It may run more than once (the office's database may ask for a retry), so it
   * decides from what it reads through `tx` and keeps no effects outside it.
   */
  apply?: (tx: RegisterTx) => Promise<unknown>;
  /** The handover id the changes decide about: other workers deciding about it wait. */
  lock?: string;
  /** A receipt that must never have its name without those changes. */
  write?: { target: string; data: string; receiptId: string };
  /**
   * A receipt written again (its row committed long ago, its file missing): written only when
   * no process is writing it already and the file is still missing, both seen under `lock`
   * together with this job's intent, so that imports racing on the same file write one copy.
   * Otherwise nothing is written and the job resolves uncommitted.
   */
  missingOnly?: boolean;
  /**
   * The audit entry of those changes: committed with them (an outbox row), then appended, so
   * that after a kill the rows and the audit log still agree (the next command appends it).
   */
  audit?: AuditInput;
}

/** committed false: the decision was stale, nothing was written. file: the name the receipt took. */
export interface Committed {
  committed: boolean;
  file?: string;
}

interface Pending<T, R = void> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Runs `flush` on everything submitted while the previous flush was busy: the group grows
 * with the load (up to the number of files in flight) and never waits for a timer.
 */
class Batcher<T, R = void> {
  private queue: Pending<T, R>[] = [];
  private running = false;

  constructor(private readonly flush: (group: Pending<T, R>[]) => Promise<void> | void) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // One turn of the event loop lets the files finishing together join the first group.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0);
      try {
        await this.flush(group);
      } catch (e) {
        for (const p of group) p.reject(e);
      }
    }
    this.running = false;
  }
}

export class ImportCommitter {
  private readonly commits: Batcher<CommitJob, Committed>;
  private readonly audits: Batcher<AuditInput>;

  constructor(reg: Register) {
    this.commits = new Batcher((group) => commitGroup(reg, group));
    // One flush at a time: the entries of the files finishing meanwhile form the next batch.
    this.audits = new Batcher(async (group) => {
      await reg.appendAudit(group.map((p) => p.item));
      for (const p of group) p.resolve();
    });
  }

  /** Resolves when the changes are committed to disk and the file (if any) is durable and named. */
  commit(job: CommitJob): Promise<Committed> {
    return this.commits.submit(job);
  }

  /** Resolves when the entry is in the audit log, fsynced. */
  audit(input: AuditInput): Promise<void> {
    return this.audits.submit(input);
  }
}

async function commitGroup(reg: Register, group: Pending<CommitJob, Committed>[]): Promise<void> {
  const failed = new Map<Pending<CommitJob, Committed>, unknown>();
  const temps = new Map<Pending<CommitJob, Committed>, PendingFile>();
  const host = hostname();
  for (const p of group) {
    const w = p.item.write;
    if (w)
      temps.set(p, {
        tempPath: tempName(w.target),
        target: w.target,
        receiptId: w.receiptId,
        pid: process.pid,
        host,
      });
  }
  const written = new Set<Pending<CommitJob, Committed>>();
  if (temps.size > 0)
    await reg.transaction(
      async (tx) => {
        written.clear();
        // Another process's intent, or the file it already named (it names before it forgets
        // the intent), means the receipt is being or was written: read after the lock.
        const others = group.some((p) => p.item.missingOnly) ? await tx.pendingFiles() : [];
        for (const [p, f] of temps) {
          if (p.item.missingOnly && (others.some((o) => o.receiptId === f.receiptId) || existsSync(f.target)))
            continue;
          await tx.putPending(f);
          written.add(p);
        }
      },
      { lock: group.flatMap((p) => (p.item.missingOnly && p.item.lock ? [p.item.lock] : [])) },
    );
  for (const p of temps.keys()) if (!written.has(p)) temps.delete(p);
  const skipped = new Set(group.filter((p) => p.item.write && !written.has(p)));
  await Promise.all(
    [...temps].map(async ([p, f]) => {
      try {
        await writeTempAsync(f.target, p.item.write!.data, f.tempPath);
      } catch (e) {
        failed.set(p, e);
      }
    }),
  );
  // A failure of the commit itself reaches every job of the group through drain(); the
  // intents stay, and the next command deletes their temporary files. The audit entries
  // commit with the rows (SPEC §8).
  let stale = new Set<Pending<CommitJob, Committed>>();
  let refused = new Map<Pending<CommitJob, Committed>, unknown>();
  await reg.transaction(
    async (tx) => {
      // Per attempt: a retried transaction decides afresh.
      stale = new Set();
      refused = new Map();
      for (const p of group) {
        if (!failed.has(p) && !skipped.has(p) && p.item.apply) {
          try {
            await tx.savepoint(async () => {
              if ((await p.item.apply!(tx)) === false) stale.add(p);
              else if (p.item.audit) tx.audit(p.item.audit);
            });
          } catch (e) {
            refused.set(p, e);
          }
        }
        const f = temps.get(p);
        if (f && (failed.has(p) || refused.has(p) || stale.has(p))) await tx.deletePending(f.tempPath);
      }
    },
    { lock: group.flatMap((p) => (p.item.lock ? [p.item.lock] : [])) },
  );
  for (const [p, e] of refused) failed.set(p, e);
  await reg.syncCommitted();
  const named = new Map<Pending<CommitJob, Committed>, string>();
  for (const [p, f] of temps) {
    if (failed.has(p) || stale.has(p)) {
      discardTemp(f.tempPath);
      continue;
    }
    try {
      named.set(p, publishReceipt(f));
    } catch (e) {
      failed.set(p, e);
    }
  }
  if (named.size > 0) {
    await reg.transaction(async (tx) => {
      for (const [p, name] of named) {
        const f = temps.get(p)!;
        await tx.deletePending(f.tempPath);
        if (name !== f.target) await tx.setReceiptFileName(f.receiptId, basename(name));
      }
    });
    await Promise.all([...new Set([...named.values()].map((n) => dirname(n)))].map(syncDir));
  }
  for (const p of group) {
    if (failed.has(p)) p.reject(failed.get(p));
    else if (stale.has(p) || skipped.has(p)) p.resolve({ committed: false });
    else p.resolve({ committed: true, ...(named.has(p) ? { file: named.get(p)! } : {}) });
  }
}
