/**
 * Group commit for a batch import: the files in flight share one durable register commit,
 * one folder fsync and one audit append, instead of paying each of them per file. Each file
 * still gets its own fsynced receipt and its own savepoint, and the order of effects per
 * file stays "row on disk, then receipt file, then folder fsync, then reported".
 */
import { dirname } from 'node:path';
import { syncDir, writeFileAtomicAsync } from '../../io/atomic-write.js';
import { type AuditInput, appendAuditManyAsync } from '../../register/audit.js';
import type { Register } from '../../register/db.js';

export interface CommitJob {
  /** Register changes of one file: a savepoint in the group's transaction. */
  apply?: () => void;
  /** A file that must never exist without those changes. */
  write?: { target: string; data: string; force: boolean };
}

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Runs `flush` on everything submitted while the previous flush was busy: the group grows
 * with the load (up to the number of files in flight) and never waits for a timer.
 */
class Batcher<T> {
  private queue: Pending<T>[] = [];
  private running = false;

  constructor(private readonly flush: (group: Pending<T>[]) => Promise<void> | void) {}

  submit(item: T): Promise<void> {
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
  private readonly commits: Batcher<CommitJob>;
  private readonly audits: Batcher<AuditInput>;

  constructor(reg: Register) {
    this.commits = new Batcher((group) => commitGroup(reg, group));
    // One flush at a time: the entries of the files finishing meanwhile form the next batch.
    this.audits = new Batcher(async (group) => {
      await appendAuditManyAsync(group.map((p) => p.item));
      for (const p of group) p.resolve();
    });
  }

  /** Resolves when the changes are committed to disk and the file (if any) is durable. */
  commit(job: CommitJob): Promise<void> {
    return this.commits.submit(job);
  }

  /** Resolves when the entry is in the audit log, fsynced. */
  audit(input: AuditInput): Promise<void> {
    return this.audits.submit(input);
  }
}

async function commitGroup(reg: Register, group: Pending<CommitJob>[]): Promise<void> {
  const failed = new Map<Pending<CommitJob>, unknown>();
  const applying = group.filter((p) => p.item.apply);
  if (applying.length > 0) {
    // A failure of the commit itself reaches every job of the group through drain().
    reg.transaction(() => {
      for (const p of applying) {
        try {
          reg.transaction(p.item.apply!);
        } catch (e) {
          failed.set(p, e);
        }
      }
    });
    await reg.syncCommitted();
  }
  const dirs = new Set<string>();
  await Promise.all(
    group.map(async (p) => {
      const w = p.item.write;
      if (!w || failed.has(p)) return;
      try {
        await writeFileAtomicAsync(w.target, w.data, { force: w.force, mkdir: true, deferDirSync: true });
        dirs.add(dirname(w.target));
      } catch (e) {
        failed.set(p, e);
      }
    }),
  );
  await Promise.all([...dirs].map(syncDir));
  for (const p of group) {
    if (failed.has(p)) p.reject(failed.get(p));
    else p.resolve();
  }
}
