/**
 * The register of one worker (SPEC §8): an embedded SQLite database at
 * HANDOVER_HOME/register.sqlite, with the audit chain in HANDOVER_HOME/audit.log and its head
 * in the database. The rows' SQL is shared with the office's PostgreSQL (repository.ts).
 *
 * Metadata only: ids, business ids and organisation names, dates, hashes, status, rule codes
 * and non-personal file names. Nothing in a handover's `youth` member ever reaches a column,
 * and no column takes free text, so that the file can be backed up and inspected without
 * becoming a second copy of the client record.
 *
 * Every change that touches more than one row runs in one transaction (WAL): a process killed
 * at any moment leaves either the whole change or none of it. synchronous=NORMAL keeps every
 * commit across a process kill; only a power cut can lose the last commits (never corrupt the
 * file). Where a file written next depends on the commit (a received handover's row, then its
 * receipt), syncCommitted() fsyncs the WAL first, once per group of files in a batch.
 */
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { EXIT, HandoverError } from '../core/errors.js';
import { handoverHome, homePath } from '../core/paths.js';
import { ensurePrivateDir, isDiskFull, syncDir } from '../io/atomic-write.js';
import { appendAuditFileAsync, auditPath } from './audit.js';
import { type AuditEntry, type AuditInput, lineHash } from './audit-types.js';
import { MIGRATIONS } from './migrations.js';
import { reconcilePending } from './pending.js';
import {
  type AuditChain,
  type Exec,
  type Register,
  type RegisterTx,
  SqlRows,
  type TransactionOptions,
} from './repository.js';
import type { Row } from './rows.js';

export const SCHEMA_VERSION = MIGRATIONS.length;
export const registerPath = (): string => homePath('register.sqlite');

type Db = BetterSqlite3.Database;

const unavailable = (cause: unknown, file: string): HandoverError =>
  isDiskFull(cause)
    ? new HandoverError('DISK_FULL', EXIT.io, { vars: { file }, cause })
    : new HandoverError('REGISTER_UNAVAILABLE', EXIT.environment, {
        key: 'register.REGISTER_UNAVAILABLE',
        vars: {
          file,
          reason: String((cause as { code?: unknown })?.code ?? (cause as Error)?.message ?? cause),
        },
        cause,
      });

function migrate(db: Db): void {
  // IMMEDIATE takes the write lock before reading user_version: two processes opening a new
  // register at once cannot both run the same migration.
  db.exec('BEGIN IMMEDIATE');
  try {
    let version = Number(db.pragma('user_version', { simple: true }));
    if (version > MIGRATIONS.length) {
      throw new HandoverError('REGISTER_TOO_NEW', EXIT.environment, {
        key: 'register.REGISTER_TOO_NEW',
        vars: { version, supported: MIGRATIONS.length },
      });
    }
    for (; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
    db.exec('COMMIT');
  } catch (e) {
    // SQLite has already rolled back after some errors (a full disk): the original error is
    // the one to report, not a failed ROLLBACK.
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** better-sqlite3 statements behind the shared `$n` SQL (SQLite names `$1` a parameter "1"). */
class SqliteExec implements Exec {
  private readonly stmts = new Map<string, BetterSqlite3.Statement>();
  constructor(private readonly db: Db) {}

  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private static bind(params: readonly unknown[]): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    params.forEach((v, i) => {
      o[String(i + 1)] = v;
    });
    return o;
  }

  allSync(sql: string, params: readonly unknown[] = []): Row[] {
    const s = this.stmt(sql);
    return (params.length ? s.all(SqliteExec.bind(params)) : s.all()) as Row[];
  }

  runSync(sql: string, params: readonly unknown[] = []): BetterSqlite3.RunResult {
    const s = this.stmt(sql);
    return params.length ? s.run(SqliteExec.bind(params)) : s.run();
  }

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.allSync(sql, params);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.runSync(sql, params).changes;
  }
}

export class SqliteRegister extends SqlRows implements Register {
  readonly backend = 'sqlite' as const;
  private walNamed = false;
  /** Transactions of this process one after another: one connection holds one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sql: SqliteExec;

  private constructor(
    private readonly db: Db,
    readonly file: string,
  ) {
    const sql = new SqliteExec(db);
    super(sql);
    this.sql = sql;
  }

  get location(): string {
    return this.file;
  }

  /** Opens (creating and migrating when needed) the register; exit 4 when SQLite is unusable. */
  static open(file: string = registerPath()): SqliteRegister {
    let Database: typeof BetterSqlite3;
    try {
      // Native module: loaded only by the commands that use the register.
      Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    } catch (e) {
      throw unavailable(e, file);
    }
    let db: Db | undefined;
    try {
      if (file === registerPath()) ensurePrivateDir(handoverHome());
      // Create the file owner-only first: SQLite gives the -wal and -shm files the same mode.
      // O_NOFOLLOW: a register path planted as a symlink is refused, never written through.
      if (file !== ':memory:')
        closeSync(openSync(file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600));
      db = new Database(file, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      // NORMAL: no fsync per commit (it was most of the cost of a batch import); see above.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Deleted metadata is overwritten, not left in free pages.
      db.pragma('secure_delete = ON');
      migrate(db);
      return new SqliteRegister(db, file);
    } catch (e) {
      try {
        db?.close();
      } catch {}
      if (e instanceof HandoverError) throw e;
      throw unavailable(e, file);
    }
  }

  /** Opens an existing register without changing it (a source of `register migrate`). */
  static openReadOnly(file: string): SqliteRegister {
    if (!existsSync(file))
      throw new HandoverError('REGISTER_UNAVAILABLE', EXIT.environment, {
        key: 'register.REGISTER_UNAVAILABLE',
        vars: { file, reason: 'ENOENT' },
      });
    try {
      const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
      return new SqliteRegister(new Database(file, { readonly: true, fileMustExist: true }), file);
    } catch (e) {
      throw unavailable(e, file);
    }
  }

  async reconcile(): Promise<void> {
    // What a killed import left between its receipt and its row is settled first (SPEC §8),
    // then the audit entries it committed but never logged.
    if (this.file === ':memory:') return;
    await reconcilePending(this, hostname());
    await this.flushOutbox();
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    if (this.db.open) this.db.close();
  }

  async transaction<T>(fn: (tx: RegisterTx) => Promise<T>, _opts?: TransactionOptions): Promise<T> {
    const run = this.queue.then(
      () => this.runTransaction(fn),
      () => this.runTransaction(fn),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runTransaction<T>(fn: (tx: RegisterTx) => Promise<T>): Promise<T> {
    const outbox: { id: number; entry: AuditInput }[] = [];
    let savepoints = 0;
    const tx: RegisterTx = Object.assign(new SqlRows(this.sql), {
      audit: (input: AuditInput) => {
        const id = Number(
          this.sql.runSync('INSERT INTO audit_outbox (entry, pid) VALUES ($1, $2)', [
            JSON.stringify(input),
            process.pid,
          ]).lastInsertRowid,
        );
        outbox.push({ id, entry: input });
      },
      savepoint: async <S>(inner: () => Promise<S>): Promise<S> => {
        const name = `sp${++savepoints}`;
        const mark = outbox.length;
        this.db.exec(`SAVEPOINT ${name}`);
        try {
          const r = await inner();
          this.db.exec(`RELEASE ${name}`);
          return r;
        } catch (e) {
          if (this.db.inTransaction) {
            this.db.exec(`ROLLBACK TO ${name}`);
            this.db.exec(`RELEASE ${name}`);
          }
          // The entries of undone changes are undone with them.
          outbox.length = mark;
          throw e;
        }
      },
    });
    try {
      // IMMEDIATE: the write lock first, so that the decision read inside is the one committed.
      this.db.exec('BEGIN IMMEDIATE');
      const result = await fn(tx);
      this.db.exec('COMMIT');
      // Committed with the rows as an outbox, logged now; a kill before this leaves the outbox
      // for the next command (SPEC §8: rows and the audit log agree after a kill -9).
      if (outbox.length > 0) await this.logOutbox(outbox);
      return result;
    } catch (e) {
      // SQLite has already rolled back after some errors (a full disk).
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      // A full disk is the user's to fix (exit 5), not a bug.
      if (isDiskFull(e)) throw unavailable(e, this.file);
      throw e;
    }
  }

  private async logOutbox(rows: readonly { id: number; entry: AuditInput }[]): Promise<void> {
    const entries = await appendAuditFileAsync(rows.map((r) => r.entry));
    this.recordHead(entries);
    for (const r of rows) this.sql.runSync('DELETE FROM audit_outbox WHERE id = $1', [r.id]);
  }

  /**
   * Appends the audit entries that killed processes committed with their rows but never wrote
   * to the log. A live writer's entries are its own to append. Returns how many were appended.
   */
  async flushOutbox(): Promise<number> {
    const rows = this.sql.allSync('SELECT * FROM audit_outbox ORDER BY id');
    const stale = rows
      .map((r) => ({
        id: Number(r.id),
        entry: JSON.parse(String(r.entry)) as AuditInput,
        pid: Number(r.pid),
      }))
      .filter((o) => {
        try {
          process.kill(o.pid, 0);
          return false;
        } catch (e) {
          return (e as NodeJS.ErrnoException).code !== 'EPERM';
        }
      });
    if (stale.length === 0) return 0;
    await this.logOutbox(stale);
    return stale.length;
  }

  async appendAudit(inputs: readonly AuditInput[], now: Date = new Date()): Promise<AuditEntry[]> {
    const entries = await appendAuditFileAsync(inputs, now);
    this.recordHead(entries);
    return entries;
  }

  /**
   * Keeps the chain's head (hash and number of the last entry) in the register, so that a log
   * cut short or deleted is found (SPEC §8). Best effort: the entries are already durable, and
   * the head only ever moves forward, so the next append records it if this one cannot.
   */
  recordHead(entries: readonly AuditEntry[]): void {
    const last = entries[entries.length - 1];
    if (!last || this.file === ':memory:') return;
    try {
      this.sql.runSync(
        `INSERT INTO audit_head (id, hash, count) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, count = excluded.count
         WHERE excluded.count > audit_head.count`,
        [lineHash(JSON.stringify(last)), last.seq],
      );
    } catch {}
  }

  /** The audit chain's head as last recorded: the hash of its last line and the line count. */
  auditHead(): { hash: string; count: number } | undefined {
    const [r] = this.sql.allSync('SELECT hash, count FROM audit_head WHERE id = 1');
    return r ? { hash: String(r.hash), count: Number(r.count) } : undefined;
  }

  async auditChains(): Promise<AuditChain[]> {
    let text = '';
    try {
      const { readFileSync } = await import('node:fs');
      text = readFileSync(auditPath(), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const head = this.auditHead();
    return [{ name: auditPath(), text, ...(head ? { head } : {}) }];
  }

  /**
   * Makes every commit so far durable: an fsync of the WAL file on libuv's threads (fsync
   * flushes the file, whichever descriptor asks), the same guarantee as synchronous=FULL
   * gives one commit, without blocking the event loop. A batch import calls it once per group
   * of rows before writing their receipt files, so that not even a power cut leaves a receipt
   * file without its row.
   */
  async syncCommitted(): Promise<void> {
    if (this.file === ':memory:') return;
    const { open } = await import('node:fs/promises');
    let fh: import('node:fs/promises').FileHandle | undefined;
    try {
      fh = await open(`${this.file}-wal`, 'r');
      await fh.sync();
      // The WAL file's own name, once: a power cut must not take the whole file away.
      if (!this.walNamed) {
        await syncDir(dirname(this.file));
        this.walNamed = true;
      }
    } catch (e) {
      // No WAL file: every commit is already checkpointed into the database file, and that
      // checkpoint synced it.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unavailable(e, this.file);
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }

  /** `PRAGMA integrity_check`: 'ok' for a sound database file. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('\n');
  }

  userVersion(): number {
    return Number(this.db.pragma('user_version', { simple: true }));
  }
}
