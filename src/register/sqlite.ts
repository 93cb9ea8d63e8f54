/**
 * The register of one worker (SPEC §8): an embedded SQLite database at
 * HANDOVER_HOME/register.sqlite, holding the rows and the audit chain with its head, as the
 * office's PostgreSQL does (the SQL of both is in repository.ts, their migrations in
 * templates/sql/<engine>/). A register made before the chain moved here had it in
 * HANDOVER_HOME/audit.log: the first open copies that file in, line for line.
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
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { EXIT, HandoverError } from '../core/errors.js';
import { handoverHome, homePath } from '../core/paths.js';
import { ensurePrivateDir, isDiskFull, syncDir } from '../io/atomic-write.js';
import { type AuditEntry, type AuditInput, lineHash } from './audit-types.js';
import { verifyAuditText } from './audit-verify.js';
import { newSecret } from './disclosures.js';
import { reconcilePending } from './pending.js';
import {
  type AuditChain,
  appendAuditRows,
  type Exec,
  type Register,
  type RegisterTx,
  readAuditChains,
  SqlRows,
  type TransactionOptions,
} from './repository.js';
import type { Row } from './rows.js';
import { migrationPlan, schemaVersion } from './schema.js';

export const SCHEMA_VERSION = schemaVersion('sqlite');
/** The name of a worker's own audit chain in the register. */
export const LOCAL_CHAIN = 'local';
export const registerPath = (): string => homePath('register.sqlite');

type Db = BetterSqlite3.Database;

/**
 * SQLite names a full disk SQLITE_FULL when the database grows, but only SQLITE_IOERR_<what>
 * when a file beside it cannot grow (the -shm index at open: SQLITE_IOERR_SHMSIZE): an I/O
 * error on a disk with next to no room left is a full disk (issue 22.12), the user's to fix.
 */
const NO_ROOM = 256 * 1024;
function noRoomLeft(cause: unknown, file: string): boolean {
  const code = (cause as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_IOERR') || file === ':memory:') return false;
  try {
    const fs = statfsSync(dirname(file));
    return fs.bavail * fs.bsize < NO_ROOM;
  } catch {
    return false;
  }
}

const unavailable = (cause: unknown, file: string): HandoverError =>
  isDiskFull(cause) || noRoomLeft(cause, file)
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
    for (const m of migrationPlan('sqlite', Number(db.pragma('user_version', { simple: true })))) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    db.exec('COMMIT');
  } catch (e) {
    // SQLite has already rolled back after some errors (a full disk): the original error is
    // the one to report, not a failed ROLLBACK.
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** The audit.log of a register made before the chain moved into it: beside the file. */
const legacyLogPath = (file: string): string => join(dirname(file), 'audit.log');

/**
 * The lines of an old audit.log to copy. A last line without its newline is a crash's torn
 * write when it is no JSON (it was never a whole entry, and the old code cut it off at the next
 * append), but kept when it is one: cutting a whole entry would lose it silently.
 */
function legacyLines(text: string): string[] {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  if (tail !== '') {
    try {
      JSON.parse(tail);
      lines.push(tail);
    } catch {}
  }
  return lines.filter((l) => l !== '');
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
      // Contention, not a fault: another process of this worker may hold the write lock for a
      // whole batch on a loaded machine. Bounded all the same, never a hang.
      db = new Database(file, { timeout: 30_000 });
      db.pragma('journal_mode = WAL');
      // NORMAL: no fsync per commit (it was most of the cost of a batch import); see above.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Deleted metadata is overwritten, not left in free pages.
      db.pragma('secure_delete = ON');
      migrate(db);
      const reg = new SqliteRegister(db, file);
      reg.copyLegacyLog();
      return reg;
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
    // What a killed import left between its receipt and its row (SPEC §8). Its audit entries
    // commit with its rows or not at all; only a version before that left some in an outbox.
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
    const queued: AuditInput[] = [];
    let savepoints = 0;
    const tx: RegisterTx = Object.assign(new SqlRows(this.sql), {
      audit: (input: AuditInput) => {
        queued.push(input);
      },
      savepoint: async <S>(inner: () => Promise<S>): Promise<S> => {
        const name = `sp${++savepoints}`;
        const mark = queued.length;
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
          queued.length = mark;
          throw e;
        }
      },
    });
    try {
      // IMMEDIATE: the write lock first, so that the decision read inside is the one committed,
      // and the audit chain is appended under the same lock as the rows (SPEC §8, §10).
      this.db.exec('BEGIN IMMEDIATE');
      const result = await fn(tx);
      if (queued.length > 0) await appendAuditRows(this.sql, LOCAL_CHAIN, queued, new Date());
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      // SQLite has already rolled back after some errors (a full disk).
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      // A full disk is the user's to fix (exit 5), not a bug.
      if (isDiskFull(e) || noRoomLeft(e, this.file)) throw unavailable(e, this.file);
      throw e;
    }
  }

  /** Appends audit entries on their own, in a transaction of their own (the register's lock). */
  async appendAudit(inputs: readonly AuditInput[], now: Date = new Date()): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    let entries: AuditEntry[] = [];
    await this.transaction(async () => {
      entries = await appendAuditRows(this.sql, LOCAL_CHAIN, inputs, now);
    });
    return entries;
  }

  /** Entries that a killed process of an older version committed to its outbox but never logged. */
  private async flushOutbox(): Promise<void> {
    const rows = this.sql.allSync('SELECT entry FROM audit_outbox ORDER BY id');
    if (rows.length === 0) return;
    await this.transaction(async () => {
      const inputs = this.sql.allSync('SELECT entry FROM audit_outbox ORDER BY id');
      await appendAuditRows(
        this.sql,
        LOCAL_CHAIN,
        inputs.map((r) => JSON.parse(String(r.entry)) as AuditInput),
        new Date(),
      );
      this.sql.runSync('DELETE FROM audit_outbox');
    });
  }

  async auditChains(): Promise<AuditChain[]> {
    return readAuditChains(this.sql, LOCAL_CHAIN);
  }

  /**
   * Copies the audit.log of a register made before the chain moved here (migration 5 left its
   * head as audit_file_head), in one transaction with dropping that head: line for line, so
   * that the chain verifies end to end as the file did. The file's head stays the reference
   * when the file no longer reaches it (lines cut or rewritten before the upgrade), so that the
   * copy reports what the file would have; else the file's last line is the head (lines
   * appended after the head was last recorded, e.g. keys made before the first handover).
   * The file is then renamed `audit.log.imported`, kept for whoever wants to compare.
   */
  copyLegacyLog(): void {
    const pendingCopy = (): boolean =>
      this.sql.allSync("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_file_head'")
        .length > 0;
    if (!pendingCopy()) return;
    const log = legacyLogPath(this.file);
    let text = '';
    if (this.file !== ':memory:') {
      try {
        // O_NOFOLLOW: an audit.log planted as a symlink is not read through (SPEC §10).
        const fd = openSync(log, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          text = readFileSync(fd, 'utf8');
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        // None, or a symlink planted in its place: nothing is copied, and the head the register
        // kept (when it has one) then reports the log as removed.
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ELOOP') throw unavailable(e, log);
      }
    }
    const lines = legacyLines(text);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have copied it while this one waited for the lock.
      if (!pendingCopy()) {
        this.db.exec('COMMIT');
        return;
      }
      const [old] = this.sql.allSync('SELECT hash, count FROM audit_file_head WHERE id = 1');
      const fileHead = old ? { hash: String(old.hash), count: Number(old.count) } : undefined;
      if (lines.length > 0 || fileHead) {
        const v = verifyAuditText(lines.length ? `${lines.join('\n')}\n` : '');
        const at = fileHead ? v.entries.find((x) => x.entry.seq === fileHead.count) : undefined;
        const reaches = at !== undefined && lineHash(lines[at.line - 1] ?? '') === fileHead?.hash;
        const lastEntry = v.entries.at(-1)?.entry;
        const head =
          fileHead && !reaches ? fileHead : { hash: v.head, count: lastEntry?.seq ?? lines.length };
        // Statement by statement here, not through the shared async insert: open() is
        // synchronous, and this runs once per register.
        lines.forEach((line, i) => {
          this.sql.runSync('INSERT INTO audit_entries (chain, seq, line, hash) VALUES ($1, $2, $3, $4)', [
            LOCAL_CHAIN,
            i + 1,
            line,
            lineHash(line),
          ]);
        });
        this.sql.runSync('INSERT INTO audit_head (chain, hash, count) VALUES ($1, $2, $3)', [
          LOCAL_CHAIN,
          head.hash,
          head.count,
        ]);
      }
      this.db.exec('DROP TABLE audit_file_head');
      this.db.exec('COMMIT');
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
    if (this.file === ':memory:' || text === '') return;
    try {
      renameSync(log, `${log}.imported`);
    } catch {}
  }

  private memorySecrets: { id: string; secret: Buffer }[] = [];

  /**
   * The worker's secrets for the youth key (SPEC §12): beside the key store in
   * HANDOVER_HOME/keys/youth-keys.json (owner-only), never in the register file, so that the
   * file or a backup of it alone cannot be tried against the small space of identity codes.
   * Created on first use; two processes creating it at once agree (the file is made exclusively).
   */
  async youthSecrets(create: boolean): Promise<{ id: string; secret: Buffer }[]> {
    // Read once per register opened: a batch import keys every file under the same secrets.
    if (this.secrets?.length || (this.secrets && !create)) return this.secrets;
    this.secrets = await this.readYouthSecrets(create);
    return this.secrets;
  }

  private secrets: { id: string; secret: Buffer }[] | undefined;

  private async readYouthSecrets(create: boolean): Promise<{ id: string; secret: Buffer }[]> {
    if (this.file === ':memory:') {
      if (create && this.memorySecrets.length === 0) this.memorySecrets.push(newSecret());
      return this.memorySecrets;
    }
    const path = join(dirname(this.file), 'keys', 'youth-keys.json');
    const read = (): { id: string; secret: Buffer }[] => {
      const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const list = JSON.parse(readFileSync(fd, 'utf8')) as {
          id: string;
          secret: string;
          createdAt: string;
        }[];
        return list
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .map((k) => ({ id: k.id, secret: Buffer.from(k.secret, 'hex') }));
      } finally {
        closeSync(fd);
      }
    };
    try {
      return read();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unavailable(e, path);
    }
    if (!create) return [];
    const k = newSecret();
    ensurePrivateDir(dirname(path));
    try {
      const fd = openSync(
        path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        writeSync(
          fd,
          `${JSON.stringify([{ id: k.id, secret: k.secret.toString('hex'), createdAt: new Date().toISOString() }])}\n`,
        );
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw unavailable(e, path);
    }
    return read();
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
