/**
 * The register as one repository interface over two backends (SPEC §11): the embedded SQLite
 * file of one worker (`sqlite.ts`) and the PostgreSQL database an office shares
 * (`postgres.ts`). Every use case talks to `Register`; the SQL of the rows is written once,
 * here, in the dialect both engines accept (`$1` parameters, `ON CONFLICT … DO UPDATE`,
 * `CAST(… AS TEXT)`), and each backend only supplies how a statement runs, how a
 * transaction is held, and where the audit chain lives.
 */
import { type AuditEntry, type AuditInput, chainEntries, GENESIS, lineHash } from './audit-types.js';
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
  /** One event of the log of use and disclosure (SPEC §12). */
  putEvent(e: LogEventRow): Promise<void>;
  /** The youth key of the handover sent or received as `documentId`, to log what follows it under the same youth. */
  youthOfDocument(documentId: string): Promise<YouthRef | undefined>;
  /** The events of one youth under any of `refs` (one per secret the organisation has had), oldest first. */
  eventsFor(refs: readonly YouthRef[]): Promise<LogEventRow[]>;
  /** Events at or before `before`, oldest first (what the retention period has run out for). */
  eventsBefore(before: string): Promise<LogEventRow[]>;
  deleteEvents(ids: readonly string[]): Promise<number>;
  deleteHandover(id: string): Promise<number>;
  /** How many rows deleteHandover would remove. */
  caseRowCount(id: string): Promise<number>;
}

/** The youth as the log keys them: HMAC-SHA-256 under the organisation's secret `keyId`. */
export interface YouthRef {
  keyId: string;
  key: string;
}

export interface LogEventRow {
  id: string;
  at: string;
  type: 'disclosure' | 'use';
  /** sent, receipt, withdrawal, letter, youth-copy, show, lookup. */
  action: string;
  worker: string;
  /** The purpose (käyttötarkoitus) as a code: the handover's type, or right-to-know. */
  purpose: string;
  youth: YouthRef | null;
  receiverName: string | null;
  receiverBusinessId: string | null;
  categories: string[];
  /** consent, or the statutory provision. */
  basis: string | null;
  documentId: string | null;
  sha256: string | null;
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
  /**
   * The organisation's secrets for the youth key, newest first; with `create`, one is made
   * when there is none (SPEC §12: created on first use, never printed).
   */
  youthSecrets(create: boolean): Promise<{ id: string; secret: Buffer }[]>;
  /** Settles what killed processes of this machine left between a receipt and its row. */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

const json = (v: unknown): string => JSON.stringify(v);
/**
 * Ids are UUIDs, which RFC 9562 compares without regard to case: the register keeps them in
 * lower case and looks them up so (issue 22.15), whatever case a file or a partner wrote.
 */
export const normId = <T extends string | null | undefined>(id: T): T =>
  (typeof id === 'string' ? id.toLowerCase() : id) as T;

/** The row SQL of both backends, over the backend's `Exec`. */
export class SqlRows implements RegisterRows {
  constructor(protected readonly exec: Exec) {}

  async getHandover(id: string, direction: Direction): Promise<HandoverRow | undefined> {
    const [r] = await this.exec.all('SELECT * FROM handovers WHERE id = $1 AND direction = $2', [
      normId(id),
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
        normId(row.id),
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
        normId(row.supersedes),
        normId(row.supersededBy),
        normId(row.receiptId),
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
        normId(id),
        direction,
        change.status ?? null,
        change.receiptId !== undefined ? 1 : 0,
        normId(change.receiptId ?? null),
        change.rejectionCodes ? json(change.rejectionCodes) : null,
        change.supersededBy !== undefined ? 1 : 0,
        normId(change.supersededBy ?? null),
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
        normId(row.id),
        row.direction,
        normId(row.handoverId),
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
    const [r] = await this.exec.all('SELECT * FROM receipts WHERE id = $1', [normId(id)]);
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
        normId(row.id),
        row.direction,
        normId(row.handoverId),
        row.withdrawnAt,
        row.senderBusinessId,
        row.sha256,
        row.fileName,
        row.recordedAt ?? new Date().toISOString(),
      ],
    );
  }

  async getWithdrawal(id: string): Promise<WithdrawalRow | undefined> {
    const [r] = await this.exec.all('SELECT * FROM withdrawals WHERE id = $1', [normId(id)]);
    return r ? toWithdrawal(r) : undefined;
  }

  async withdrawalFor(
    handoverId: string,
    direction: WithdrawalRow['direction'],
  ): Promise<WithdrawalRow | undefined> {
    const [r] = await this.exec.all(
      `SELECT * FROM withdrawals WHERE handover_id = $1 AND direction = $2
       ORDER BY withdrawn_at DESC, recorded_at DESC LIMIT 1`,
      [normId(handoverId), direction],
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
      [p.tempPath, p.target, normId(p.receiptId), p.pid, p.host],
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
    await this.exec.run('UPDATE receipts SET file_name = $1 WHERE id = $2', [fileName, normId(id)]);
  }

  async putEvent(e: LogEventRow): Promise<void> {
    await this.exec.run(
      `INSERT INTO disclosure_log (id, at, type, action, worker, purpose, youth_key, key_id, receiver_name,
         receiver_business_id, categories, basis, document_id, sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (id) DO NOTHING`,
      [
        e.id,
        e.at,
        e.type,
        e.action,
        e.worker,
        e.purpose,
        e.youth?.key ?? null,
        e.youth?.keyId ?? null,
        e.receiverName,
        e.receiverBusinessId,
        json(e.categories),
        e.basis,
        normId(e.documentId),
        e.sha256,
      ],
    );
  }

  async youthOfDocument(documentId: string): Promise<YouthRef | undefined> {
    const [r] = await this.exec.all(
      `SELECT youth_key, key_id FROM disclosure_log
       WHERE document_id = $1 AND action IN ('sent', 'received') AND youth_key IS NOT NULL ORDER BY at LIMIT 1`,
      [normId(documentId)],
    );
    return r ? { key: String(r.youth_key), keyId: String(r.key_id) } : undefined;
  }

  async eventsFor(refs: readonly YouthRef[]): Promise<LogEventRow[]> {
    const out: LogEventRow[] = [];
    for (const ref of refs)
      out.push(
        ...(
          await this.exec.all('SELECT * FROM disclosure_log WHERE youth_key = $1 AND key_id = $2', [
            ref.key,
            ref.keyId,
          ])
        ).map(toEvent),
      );
    const seen = new Set<string>();
    return out
      .filter((e) => !seen.has(e.id) && seen.add(e.id))
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  async eventsBefore(before: string): Promise<LogEventRow[]> {
    return (await this.exec.all('SELECT * FROM disclosure_log WHERE at <= $1 ORDER BY at, id', [before])).map(
      toEvent,
    );
  }

  async deleteEvents(ids: readonly string[]): Promise<number> {
    let n = 0;
    for (const id of ids) n += await this.exec.run('DELETE FROM disclosure_log WHERE id = $1', [id]);
    return n;
  }

  async caseRowCount(id: string): Promise<number> {
    const h = normId(id);
    const [r] = await this.exec.all(
      `SELECT (SELECT count(*) FROM receipts WHERE handover_id = $1) + (SELECT count(*) FROM withdrawals WHERE handover_id = $1)
         + (SELECT count(*) FROM handovers WHERE id = $1) AS n`,
      [h],
    );
    return Number(r?.n ?? 0);
  }

  /** A case's rows, named by the organisation once its own record has reached its end (SPEC §12). */
  async deleteHandover(id: string): Promise<number> {
    const h = normId(id);
    let n = 0;
    n += await this.exec.run('DELETE FROM receipts WHERE handover_id = $1', [h]);
    n += await this.exec.run('DELETE FROM withdrawals WHERE handover_id = $1', [h]);
    n += await this.exec.run('DELETE FROM handovers WHERE id = $1', [h]);
    return n;
  }
}

const toEvent = (r: Row): LogEventRow => ({
  id: String(r.id),
  at: String(r.at),
  type: r.type === 'disclosure' ? 'disclosure' : 'use',
  action: String(r.action),
  worker: String(r.worker),
  purpose: String(r.purpose),
  youth:
    r.youth_key === null || r.youth_key === undefined
      ? null
      : { key: String(r.youth_key), keyId: String(r.key_id) },
  receiverName: r.receiver_name === null ? null : String(r.receiver_name),
  receiverBusinessId: r.receiver_business_id === null ? null : String(r.receiver_business_id),
  categories: JSON.parse(String(r.categories ?? '[]')) as string[],
  basis: r.basis === null ? null : String(r.basis),
  documentId: r.document_id === null ? null : String(r.document_id),
  sha256: r.sha256 === null ? null : String(r.sha256),
});

/**
 * Appends audit entries to `chain`, in the caller's transaction and under its lock (SQLite's
 * write lock, the office's advisory lock): the one append of both backends (SPEC §10).
 *
 * The head (hash and number of the last entry, kept beside the rows) is the reference the new
 * entries chain from, never the last row: rows cut, or a middle row rewritten with every `prev`
 * after it recomputed, leave the last row disagreeing with the head, and the new entries chain
 * past it from the head, so that the break stays in the chain after any number of appends (an
 * append never blesses a broken chain). Rows without a head mean the head itself was deleted:
 * the new entries then chain from the genesis value, which verification reports on an entry
 * that is not the first.
 */
export async function appendAuditRows(
  exec: Exec,
  chain: string,
  inputs: readonly AuditInput[],
  now: Date,
): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  const [head] = await exec.all('SELECT hash, count FROM audit_head WHERE chain = $1', [chain]);
  const [tail] = await exec.all('SELECT max(seq) AS seq FROM audit_entries WHERE chain = $1', [chain]);
  const position = Number(tail?.seq ?? 0);
  const from = head
    ? { hash: String(head.hash), seq: Number(head.count) }
    : position > 0
      ? { hash: GENESIS, seq: position }
      : undefined;
  const { entries, lines } = chainEntries(
    inputs.map((i) => (i.handoverId ? { ...i, handoverId: normId(i.handoverId) } : i)),
    from,
    now,
  );
  await insertAuditLines(exec, chain, position + 1, lines, {
    hash: lineHash(lines[lines.length - 1] as string),
    count: (entries[entries.length - 1] as AuditEntry).seq,
  });
  return entries;
}

/** Inserts lines of one chain at positions `first`, `first + 1`… and sets its head. */
export async function insertAuditLines(
  exec: Exec,
  chain: string,
  first: number,
  lines: readonly string[],
  head: { hash: string; count: number },
): Promise<void> {
  for (let i = 0; i < lines.length; i += 500) {
    const part = lines.slice(i, i + 500);
    const values: unknown[] = [];
    const tuples = part.map((line, j) => {
      values.push(chain, first + i + j, line, lineHash(line));
      const b = j * 4;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4})`;
    });
    await exec.run(`INSERT INTO audit_entries (chain, seq, line, hash) VALUES ${tuples.join(', ')}`, values);
  }
  await exec.run(
    `INSERT INTO audit_head (chain, hash, count) VALUES ($1, $2, $3)
     ON CONFLICT (chain) DO UPDATE SET hash = excluded.hash, count = excluded.count`,
    [chain, head.hash, head.count],
  );
}

/** Every audit chain stored, `live` first (even when it is still empty), the rest by name. */
export async function readAuditChains(exec: Exec, live: string): Promise<AuditChain[]> {
  const lines = await exec.all('SELECT chain, line FROM audit_entries ORDER BY chain, seq');
  const heads = await exec.all('SELECT chain, hash, count FROM audit_head');
  const byChain = new Map<string, string[]>([[live, []]]);
  for (const r of lines) {
    const c = String(r.chain);
    if (!byChain.has(c)) byChain.set(c, []);
    byChain.get(c)?.push(String(r.line));
  }
  for (const h of heads) if (!byChain.has(String(h.chain))) byChain.set(String(h.chain), []);
  const names = [...byChain.keys()].sort((a, b) => (a === live ? -1 : b === live ? 1 : a.localeCompare(b)));
  return names.map((name) => {
    const h = heads.find((x) => String(x.chain) === name);
    const ls = byChain.get(name) ?? [];
    return {
      name,
      text: ls.length ? `${ls.join('\n')}\n` : '',
      ...(h ? { head: { hash: String(h.hash), count: Number(h.count) } } : {}),
    };
  });
}
