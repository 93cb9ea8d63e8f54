/**
 * The register (SPEC §8): an embedded SQLite database at HANDOVER_HOME/register.sqlite with
 * the metadata of every handover sent and received, the receipts and the withdrawals.
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
import { closeSync, constants, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { EXIT, HandoverError } from '../errors.js';
import { ensurePrivateDir, isDiskFull, syncDir } from '../io/atomic-write.js';
import { handoverHome, homePath } from '../paths.js';
import { MIGRATIONS } from './migrations.js';
import { reconcilePending } from './pending.js';

import {
  type Direction,
  type HandoverRow,
  type HandoverStatus,
  type ReceiptRow,
  type Row,
  toHandover,
  toReceipt,
  toWithdrawal,
  type WithdrawalRow,
} from './rows.js';

export {
  type Direction,
  HANDOVER_STATUSES,
  type HandoverRow,
  type HandoverStatus,
  isHandoverStatus,
  type Reason,
  type ReceiptRow,
  type WithdrawalRow,
} from './rows.js';

export const SCHEMA_VERSION = MIGRATIONS.length;
export const registerPath = (): string => homePath('register.sqlite');

type Db = BetterSqlite3.Database;

export interface PendingFile {
  tempPath: string;
  target: string;
  receiptId: string;
  pid: number;
}

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

export class Register {
  private readonly stmts = new Map<string, BetterSqlite3.Statement>();
  private walNamed = false;

  private constructor(
    private readonly db: Db,
    readonly file: string,
  ) {}

  /** Opens (creating and migrating when needed) the register; exit 4 when SQLite is unusable. */
  static open(file: string = registerPath()): Register {
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
      const reg = new Register(db, file);
      // What a killed import left between its receipt and its row is settled first (SPEC §8).
      if (file !== ':memory:') reconcilePending(reg);
      return reg;
    } catch (e) {
      try {
        db?.close();
      } catch {}
      if (e instanceof HandoverError) throw e;
      throw unavailable(e, file);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Runs `fn` in one IMMEDIATE transaction: all of its changes or none survive a crash. */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      // A full disk is the user's to fix (exit 5), not a bug; SQLite rolled the change back.
      if (isDiskFull(e)) throw unavailable(e, this.file);
      throw e;
    }
  }

  /** A receipt written under `tempPath`, to be named `target` once its row commits. */
  putPending(p: PendingFile): void {
    this.stmt(
      'INSERT OR REPLACE INTO pending_files (temp_path, target, receipt_id, pid) VALUES (?, ?, ?, ?)',
    ).run(p.tempPath, p.target, p.receiptId, p.pid);
  }

  deletePending(tempPath: string): void {
    this.stmt('DELETE FROM pending_files WHERE temp_path = ?').run(tempPath);
  }

  pendingFiles(): PendingFile[] {
    return (this.stmt('SELECT * FROM pending_files ORDER BY temp_path').all() as Row[]).map((r) => ({
      tempPath: String(r.temp_path),
      target: String(r.target),
      receiptId: String(r.receipt_id),
      pid: Number(r.pid),
    }));
  }

  /** Records where an issued or received receipt's file is, after a collision moved it. */
  setReceiptFileName(id: string, fileName: string): void {
    this.stmt('UPDATE receipts SET file_name = ? WHERE id = ?').run(fileName, id);
  }

  /**
   * An audit entry committed with the rows it is about (in the same transaction), appended to
   * the log right after; one left here by a killed process is appended by the next command.
   */
  putOutbox(entry: object): number {
    return Number(
      this.stmt('INSERT INTO audit_outbox (entry, pid) VALUES (?, ?)').run(JSON.stringify(entry), process.pid)
        .lastInsertRowid,
    );
  }

  deleteOutbox(ids: readonly number[]): void {
    for (const id of ids) this.stmt('DELETE FROM audit_outbox WHERE id = ?').run(id);
  }

  outbox(): { id: number; entry: unknown; pid: number }[] {
    return (this.stmt('SELECT * FROM audit_outbox ORDER BY id').all() as Row[]).map((r) => ({
      id: Number(r.id),
      entry: JSON.parse(String(r.entry)) as unknown,
      pid: Number(r.pid),
    }));
  }

  /** The audit chain's head as last recorded: the hash of its last line and the line count. */
  auditHead(): { hash: string; count: number } | undefined {
    const r = this.stmt('SELECT hash, count FROM audit_head WHERE id = 1').get() as Row | undefined;
    return r ? { hash: String(r.hash), count: Number(r.count) } : undefined;
  }

  /** Moves the head forward only: appends by several processes may report out of order. */
  setAuditHead(hash: string, count: number): void {
    this.stmt(
      `INSERT INTO audit_head (id, hash, count) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, count = excluded.count
       WHERE excluded.count > audit_head.count`,
    ).run(hash, count);
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

  getHandover(id: string, direction: Direction): HandoverRow | undefined {
    const r = this.stmt('SELECT * FROM handovers WHERE id = ? AND direction = ?').get(id, direction) as
      | Row
      | undefined;
    return r ? toHandover(r) : undefined;
  }

  /** Inserts or replaces the row of (id, direction). */
  putHandover(row: Omit<HandoverRow, 'updatedAt'> & { updatedAt?: string }): void {
    this.stmt(
      `INSERT INTO handovers (id, direction, type, sender_business_id, sender_name, recipient_business_id,
         recipient_name, created_at, event_at, sha256, status, supersedes, superseded_by, receipt_id,
         rejection_codes, file_name, updated_at, reply_by)
       VALUES (@id, @direction, @type, @senderBusinessId, @senderName, @recipientBusinessId, @recipientName,
         @createdAt, @eventAt, @sha256, @status, @supersedes, @supersededBy, @receiptId, @rejectionCodes,
         @fileName, @updatedAt, @replyBy)
       ON CONFLICT (id, direction) DO UPDATE SET type = excluded.type,
         sender_business_id = excluded.sender_business_id, sender_name = excluded.sender_name,
         recipient_business_id = excluded.recipient_business_id, recipient_name = excluded.recipient_name,
         created_at = excluded.created_at, event_at = excluded.event_at, sha256 = excluded.sha256,
         status = excluded.status, supersedes = excluded.supersedes, superseded_by = excluded.superseded_by,
         receipt_id = excluded.receipt_id, rejection_codes = excluded.rejection_codes,
         file_name = excluded.file_name, updated_at = excluded.updated_at, reply_by = excluded.reply_by`,
    ).run({
      ...row,
      replyBy: row.replyBy ?? null,
      rejectionCodes: JSON.stringify(row.rejectionCodes),
      updatedAt: row.updatedAt ?? new Date().toISOString(),
    });
  }

  /** Changes status (and optionally the receipt and rejection codes) of one handover. */
  updateHandover(
    id: string,
    direction: Direction,
    change: {
      status?: HandoverStatus;
      receiptId?: string | null;
      rejectionCodes?: string[];
      supersededBy?: string | null;
    },
    now: Date = new Date(),
  ): boolean {
    const r = this.stmt(
      `UPDATE handovers SET
         status = coalesce(@status, status),
         receipt_id = CASE WHEN @setReceipt THEN @receiptId ELSE receipt_id END,
         rejection_codes = coalesce(@rejectionCodes, rejection_codes),
         superseded_by = CASE WHEN @setSuperseded THEN @supersededBy ELSE superseded_by END,
         updated_at = @updatedAt
       WHERE id = @id AND direction = @direction`,
    ).run({
      id,
      direction,
      status: change.status ?? null,
      setReceipt: change.receiptId !== undefined ? 1 : 0,
      receiptId: change.receiptId ?? null,
      rejectionCodes: change.rejectionCodes ? JSON.stringify(change.rejectionCodes) : null,
      setSuperseded: change.supersededBy !== undefined ? 1 : 0,
      supersededBy: change.supersededBy ?? null,
      updatedAt: now.toISOString(),
    });
    return r.changes > 0;
  }

  putReceipt(row: Omit<ReceiptRow, 'recordedAt'> & { recordedAt?: string }): void {
    this.stmt(
      `INSERT OR REPLACE INTO receipts (id, direction, handover_id, handover_sha256, received_at, outcome,
         reasons, receiver_business_id, sha256, file_name, recorded_at)
       VALUES (@id, @direction, @handoverId, @handoverSha256, @receivedAt, @outcome, @reasons,
         @receiverBusinessId, @sha256, @fileName, @recordedAt)`,
    ).run({
      ...row,
      reasons: JSON.stringify(row.reasons),
      recordedAt: row.recordedAt ?? new Date().toISOString(),
    });
  }

  getReceipt(id: string): ReceiptRow | undefined {
    const r = this.stmt('SELECT * FROM receipts WHERE id = ?').get(id) as Row | undefined;
    return r ? toReceipt(r) : undefined;
  }

  receipts(direction?: ReceiptRow['direction']): ReceiptRow[] {
    const rows = direction
      ? this.stmt('SELECT * FROM receipts WHERE direction = ? ORDER BY recorded_at, id').all(direction)
      : this.stmt('SELECT * FROM receipts ORDER BY recorded_at, id').all();
    return (rows as Row[]).map(toReceipt);
  }

  putWithdrawal(row: Omit<WithdrawalRow, 'recordedAt'> & { recordedAt?: string }): void {
    this.stmt(
      `INSERT OR REPLACE INTO withdrawals (id, direction, handover_id, withdrawn_at, sender_business_id, sha256,
         file_name, recorded_at)
       VALUES (@id, @direction, @handoverId, @withdrawnAt, @senderBusinessId, @sha256, @fileName, @recordedAt)`,
    ).run({ ...row, recordedAt: row.recordedAt ?? new Date().toISOString() });
  }

  getWithdrawal(id: string): WithdrawalRow | undefined {
    const r = this.stmt('SELECT * FROM withdrawals WHERE id = ?').get(id) as Row | undefined;
    return r ? toWithdrawal(r) : undefined;
  }

  withdrawalFor(handoverId: string, direction: WithdrawalRow['direction']): WithdrawalRow | undefined {
    const r = this.stmt(
      'SELECT * FROM withdrawals WHERE handover_id = ? AND direction = ? ORDER BY withdrawn_at DESC, recorded_at DESC LIMIT 1',
    ).get(handoverId, direction) as Row | undefined;
    return r ? toWithdrawal(r) : undefined;
  }

  /** Handovers, newest first, optionally of one status and direction. */
  list(filter: { status?: HandoverStatus; direction?: Direction } = {}): HandoverRow[] {
    const rows = this.stmt(
      `SELECT * FROM handovers
       WHERE (@status IS NULL OR status = @status) AND (@direction IS NULL OR direction = @direction)
       ORDER BY event_at DESC, id`,
    ).all({ status: filter.status ?? null, direction: filter.direction ?? null }) as Row[];
    return rows.map(toHandover);
  }

  /** Sent handovers still without a receipt that were sent before `before`. */
  pending(before: Date, today: string): HandoverRow[] {
    // Past its replyBy (the day after it, Helsinki date), else sent before `before`.
    const rows = this.stmt(
      `SELECT * FROM handovers WHERE direction = 'sent' AND status = 'sent'
         AND ((reply_by IS NOT NULL AND reply_by < @today) OR (reply_by IS NULL AND event_at < @before))
       ORDER BY event_at, id`,
    ).all({ before: before.toISOString(), today }) as Row[];
    return rows.map(toHandover);
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
