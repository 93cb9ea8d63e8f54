/**
 * The register as one repository interface over two backends (SPEC §11): the embedded SQLite
 * file of one worker (`sqlite.ts`) and the PostgreSQL database an office shares
 * (`postgres.ts`). Every use case talks to `Register`; the SQL of the rows is written once,
 * here, in the dialect both engines accept (`$1` parameters, `ON CONFLICT … DO UPDATE`,
 * `CAST(… AS TEXT)`), and each backend only supplies how a statement runs, how a
 * transaction is held, and where the audit chain lives.
 */
import type { AuditEntry, AuditInput } from './audit-types.js';
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

export interface PendingFile {
  tempPath: string;
  target: string;
  receiptId: string;
  pid: number;
  /** The machine whose disk holds the temporary file: only it can settle the entry. */
  host: string;
}

/** How one backend runs a statement: `$n` parameters, rows back, or the number changed. */
export interface Exec {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** One audit chain as stored: its lines in order and the head the store recorded. */
export interface AuditChain {
  /** `office` for the live chain; a migrated worker's chain keeps a name of its own. */
  name: string;
  text: string;
  head?: { hash: string; count: number };
}

/** The rows, inside a transaction or on their own. */
export interface RegisterRows {
  getHandover(id: string, direction: Direction): Promise<HandoverRow | undefined>;
  putHandover(row: Omit<HandoverRow, 'updatedAt'> & { updatedAt?: string }): Promise<void>;
  updateHandover(
    id: string,
    direction: Direction,
    change: {
      status?: HandoverStatus;
      receiptId?: string | null;
      rejectionCodes?: string[];
      supersededBy?: string | null;
    },
    now?: Date,
  ): Promise<boolean>;
  putReceipt(row: Omit<ReceiptRow, 'recordedAt'> & { recordedAt?: string }): Promise<void>;
  getReceipt(id: string): Promise<ReceiptRow | undefined>;
  receipts(direction?: ReceiptRow['direction']): Promise<ReceiptRow[]>;
  putWithdrawal(row: Omit<WithdrawalRow, 'recordedAt'> & { recordedAt?: string }): Promise<void>;
  getWithdrawal(id: string): Promise<WithdrawalRow | undefined>;
  withdrawalFor(
    handoverId: string,
    direction: WithdrawalRow['direction'],
  ): Promise<WithdrawalRow | undefined>;
  withdrawals(): Promise<WithdrawalRow[]>;
  list(filter?: { status?: HandoverStatus; direction?: Direction }): Promise<HandoverRow[]>;
  /**
   * Sent handovers with no receipt yet, oldest first; `overdueOn` keeps those whose replyBy
   * is before that (Helsinki) date, `before` those sent before that instant.
   */
  pending(filter?: { before?: Date; overdueOn?: string }): Promise<HandoverRow[]>;
  putPending(p: PendingFile): Promise<void>;
  deletePending(tempPath: string): Promise<void>;
  pendingFiles(): Promise<PendingFile[]>;
  setReceiptFileName(id: string, fileName: string): Promise<void>;
}

/** Inside a transaction: the rows, nested savepoints, and audit entries that commit with them. */
export interface RegisterTx extends RegisterRows {
  /** Runs `fn` in a savepoint: its changes are undone when it throws, the rest stay. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** An audit entry that commits with this transaction's rows (SPEC §8: they agree). */
  audit(input: AuditInput): void;
}

export interface TransactionOptions {
  /**
   * Handover ids this transaction decides about: an office's other workers deciding about the
   * same ids wait for it (PostgreSQL advisory locks, taken in one order so that none deadlock).
   */
  lock?: readonly string[];
}

export interface Register extends RegisterRows {
  readonly backend: 'sqlite' | 'postgres';
  /** The file, or the database URL without its password: for messages, never for secrets. */
  readonly location: string;
  /**
   * Runs `fn` in one transaction: all of its changes and audit entries or none. `fn` may run
   * again when the database asks for a retry (a serialization failure or a deadlock), so it
   * decides from what it reads inside and keeps no effects outside.
   */
  transaction<T>(fn: (tx: RegisterTx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** Appends audit entries on their own (sign, verify, trust…), chained under the store's lock. */
  appendAudit(inputs: readonly AuditInput[], now?: Date): Promise<AuditEntry[]>;
  /** The audit chains to verify, the live one first. */
  auditChains(): Promise<AuditChain[]>;
  /** Makes every commit so far durable before a file that depends on it gets its name. */
  syncCommitted(): Promise<void>;
  /** Settles what killed processes of this machine left between a receipt and its row. */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

const json = (v: unknown): string => JSON.stringify(v);

/** The row SQL of both backends, over the backend's `Exec`. */
export class SqlRows implements RegisterRows {
  constructor(protected readonly exec: Exec) {}

  async getHandover(id: string, direction: Direction): Promise<HandoverRow | undefined> {
    const [r] = await this.exec.all('SELECT * FROM handovers WHERE id = $1 AND direction = $2', [
      id,
      direction,
    ]);
    return r ? toHandover(r) : undefined;
  }

  async putHandover(row: Omit<HandoverRow, 'updatedAt'> & { updatedAt?: string }): Promise<void> {
    await this.exec.run(
      `INSERT INTO handovers (id, direction, type, sender_business_id, sender_name, recipient_business_id,
         recipient_name, created_at, event_at, sha256, status, supersedes, superseded_by, receipt_id,
         rejection_codes, file_name, updated_at, reply_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (id, direction) DO UPDATE SET type = excluded.type,
         sender_business_id = excluded.sender_business_id, sender_name = excluded.sender_name,
         recipient_business_id = excluded.recipient_business_id, recipient_name = excluded.recipient_name,
         created_at = excluded.created_at, event_at = excluded.event_at, sha256 = excluded.sha256,
         status = excluded.status, supersedes = excluded.supersedes, superseded_by = excluded.superseded_by,
         receipt_id = excluded.receipt_id, rejection_codes = excluded.rejection_codes,
         file_name = excluded.file_name, updated_at = excluded.updated_at, reply_by = excluded.reply_by`,
      [
        row.id,
        row.direction,
        row.type,
        row.senderBusinessId,
        row.senderName,
        row.recipientBusinessId,
        row.recipientName,
        row.createdAt,
        row.eventAt,
        row.sha256,
        row.status,
        row.supersedes,
        row.supersededBy,
        row.receiptId,
        json(row.rejectionCodes),
        row.fileName,
        row.updatedAt ?? new Date().toISOString(),
        row.replyBy ?? null,
      ],
    );
  }

  async updateHandover(
    id: string,
    direction: Direction,
    change: {
      status?: HandoverStatus;
      receiptId?: string | null;
      rejectionCodes?: string[];
      supersededBy?: string | null;
    },
    now: Date = new Date(),
  ): Promise<boolean> {
    const changed = await this.exec.run(
      `UPDATE handovers SET
         status = coalesce(CAST($3 AS TEXT), status),
         receipt_id = CASE WHEN $4 = 1 THEN CAST($5 AS TEXT) ELSE receipt_id END,
         rejection_codes = coalesce(CAST($6 AS TEXT), rejection_codes),
         superseded_by = CASE WHEN $7 = 1 THEN CAST($8 AS TEXT) ELSE superseded_by END,
         updated_at = $9
       WHERE id = $1 AND direction = $2`,
      [
        id,
        direction,
        change.status ?? null,
        change.receiptId !== undefined ? 1 : 0,
        change.receiptId ?? null,
        change.rejectionCodes ? json(change.rejectionCodes) : null,
        change.supersededBy !== undefined ? 1 : 0,
        change.supersededBy ?? null,
        now.toISOString(),
      ],
    );
    return changed > 0;
  }

  async putReceipt(row: Omit<ReceiptRow, 'recordedAt'> & { recordedAt?: string }): Promise<void> {
    await this.exec.run(
      `INSERT INTO receipts (id, direction, handover_id, handover_sha256, received_at, outcome,
         reasons, receiver_business_id, sha256, file_name, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET direction = excluded.direction, handover_id = excluded.handover_id,
         handover_sha256 = excluded.handover_sha256, received_at = excluded.received_at,
         outcome = excluded.outcome, reasons = excluded.reasons,
         receiver_business_id = excluded.receiver_business_id, sha256 = excluded.sha256,
         file_name = excluded.file_name, recorded_at = excluded.recorded_at`,
      [
        row.id,
        row.direction,
        row.handoverId,
        row.handoverSha256,
        row.receivedAt,
        row.outcome,
        json(row.reasons),
        row.receiverBusinessId,
        row.sha256,
        row.fileName,
        row.recordedAt ?? new Date().toISOString(),
      ],
    );
  }

  async getReceipt(id: string): Promise<ReceiptRow | undefined> {
    const [r] = await this.exec.all('SELECT * FROM receipts WHERE id = $1', [id]);
    return r ? toReceipt(r) : undefined;
  }

  async receipts(direction?: ReceiptRow['direction']): Promise<ReceiptRow[]> {
    const rows = await this.exec.all(
      'SELECT * FROM receipts WHERE CAST($1 AS TEXT) IS NULL OR direction = $1 ORDER BY recorded_at, id',
      [direction ?? null],
    );
    return rows.map(toReceipt);
  }

  async putWithdrawal(row: Omit<WithdrawalRow, 'recordedAt'> & { recordedAt?: string }): Promise<void> {
    await this.exec.run(
      `INSERT INTO withdrawals (id, direction, handover_id, withdrawn_at, sender_business_id, sha256,
         file_name, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET direction = excluded.direction, handover_id = excluded.handover_id,
         withdrawn_at = excluded.withdrawn_at, sender_business_id = excluded.sender_business_id,
         sha256 = excluded.sha256, file_name = excluded.file_name, recorded_at = excluded.recorded_at`,
      [
        row.id,
        row.direction,
        row.handoverId,
        row.withdrawnAt,
        row.senderBusinessId,
        row.sha256,
        row.fileName,
        row.recordedAt ?? new Date().toISOString(),
      ],
    );
  }

  async getWithdrawal(id: string): Promise<WithdrawalRow | undefined> {
    const [r] = await this.exec.all('SELECT * FROM withdrawals WHERE id = $1', [id]);
    return r ? toWithdrawal(r) : undefined;
  }

  async withdrawalFor(
    handoverId: string,
    direction: WithdrawalRow['direction'],
  ): Promise<WithdrawalRow | undefined> {
    const [r] = await this.exec.all(
      `SELECT * FROM withdrawals WHERE handover_id = $1 AND direction = $2
       ORDER BY withdrawn_at DESC, recorded_at DESC LIMIT 1`,
      [handoverId, direction],
    );
    return r ? toWithdrawal(r) : undefined;
  }

  async withdrawals(): Promise<WithdrawalRow[]> {
    return (await this.exec.all('SELECT * FROM withdrawals ORDER BY recorded_at, id')).map(toWithdrawal);
  }

  /** Handovers, newest first, optionally of one status and direction. */
  async list(filter: { status?: HandoverStatus; direction?: Direction } = {}): Promise<HandoverRow[]> {
    const rows = await this.exec.all(
      `SELECT * FROM handovers
       WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) AND (CAST($2 AS TEXT) IS NULL OR direction = $2)
       ORDER BY event_at DESC, id`,
      [filter.status ?? null, filter.direction ?? null],
    );
    return rows.map(toHandover);
  }

  /** Sent handovers without a receipt (SPEC §3: pending means no receipt yet). */
  async pending(filter: { before?: Date; overdueOn?: string } = {}): Promise<HandoverRow[]> {
    const rows = await this.exec.all(
      `SELECT * FROM handovers WHERE direction = 'sent' AND status = 'sent'
         AND (CAST($1 AS TEXT) IS NULL OR (reply_by IS NOT NULL AND reply_by < $1))
         AND (CAST($2 AS TEXT) IS NULL OR event_at < $2)
       ORDER BY event_at, id`,
      [filter.overdueOn ?? null, filter.before?.toISOString() ?? null],
    );
    return rows.map(toHandover);
  }

  async putPending(p: PendingFile): Promise<void> {
    await this.exec.run(
      `INSERT INTO pending_files (temp_path, target, receipt_id, pid, host) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (temp_path) DO UPDATE SET target = excluded.target, receipt_id = excluded.receipt_id,
         pid = excluded.pid, host = excluded.host`,
      [p.tempPath, p.target, p.receiptId, p.pid, p.host],
    );
  }

  async deletePending(tempPath: string): Promise<void> {
    await this.exec.run('DELETE FROM pending_files WHERE temp_path = $1', [tempPath]);
  }

  async pendingFiles(): Promise<PendingFile[]> {
    return (await this.exec.all('SELECT * FROM pending_files ORDER BY temp_path')).map((r) => ({
      tempPath: String(r.temp_path),
      target: String(r.target),
      receiptId: String(r.receipt_id),
      pid: Number(r.pid),
      host: String(r.host ?? ''),
    }));
  }

  async setReceiptFileName(id: string, fileName: string): Promise<void> {
    await this.exec.run('UPDATE receipts SET file_name = $1 WHERE id = $2', [fileName, id]);
  }
}
