/** The register's tables, migration by migration (db.ts applies them). */

/**
 * Migrations in order; `PRAGMA user_version` is the number applied. Append only: a shipped
 * migration is never edited, so every register on every machine reaches the same shape.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE handovers (
     id TEXT NOT NULL,
     direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
     type TEXT NOT NULL,
     sender_business_id TEXT NOT NULL,
     sender_name TEXT NOT NULL,
     recipient_business_id TEXT NOT NULL,
     recipient_name TEXT NOT NULL,
     created_at TEXT NOT NULL,
     event_at TEXT NOT NULL,
     sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
     status TEXT NOT NULL CHECK (status IN ('sent','acknowledged','rejected','received','accepted','withdrawn','superseded')),
     supersedes TEXT,
     superseded_by TEXT,
     receipt_id TEXT,
     rejection_codes TEXT NOT NULL DEFAULT '[]',
     file_name TEXT,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (id, direction)
   ) WITHOUT ROWID;
   CREATE INDEX handovers_status ON handovers (status, event_at);
   CREATE TABLE receipts (
     id TEXT PRIMARY KEY,
     direction TEXT NOT NULL CHECK (direction IN ('issued', 'received')),
     handover_id TEXT NOT NULL,
     handover_sha256 TEXT NOT NULL,
     received_at TEXT NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
     reasons TEXT NOT NULL DEFAULT '[]',
     receiver_business_id TEXT NOT NULL,
     sha256 TEXT,
     file_name TEXT,
     recorded_at TEXT NOT NULL
   );
   CREATE INDEX receipts_handover ON receipts (handover_id, direction);
   CREATE TABLE withdrawals (
     id TEXT PRIMARY KEY,
     direction TEXT NOT NULL CHECK (direction IN ('issued', 'received')),
     handover_id TEXT NOT NULL,
     withdrawn_at TEXT NOT NULL,
     sender_business_id TEXT NOT NULL,
     sha256 TEXT,
     file_name TEXT,
     recorded_at TEXT NOT NULL
   );
   CREATE INDEX withdrawals_handover ON withdrawals (handover_id, direction);`,
  // pending_files: receipts written under a temporary name whose row may or may not have
  // committed (SPEC §8, reconciled by the next command). audit_head: the last hash and count
  // of the audit chain, so that a truncated or deleted audit log is found (SPEC §8).
  `CREATE TABLE pending_files (
     temp_path TEXT PRIMARY KEY,
     target TEXT NOT NULL,
     receipt_id TEXT NOT NULL,
     pid INTEGER NOT NULL
   );
   CREATE TABLE audit_head (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     hash TEXT NOT NULL CHECK (length(hash) = 64),
     count INTEGER NOT NULL
   );
   CREATE TABLE audit_outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     entry TEXT NOT NULL,
     pid INTEGER NOT NULL
   );`,
  // reply_by: the day a sent handover asks its receiver to answer by (format 1.1), so that
  // `register pending` lists what is overdue by the letter's own date (SPEC §3).
  `ALTER TABLE handovers ADD COLUMN reply_by TEXT;`,
  // host: the machine whose disk holds a pending receipt (SPEC §11); the same row shape as the
  // office's PostgreSQL, where workers on several machines share one table.
  `ALTER TABLE pending_files ADD COLUMN host TEXT NOT NULL DEFAULT '';`,
  // awaiting-trust: a received handover whose signature is intact but whose signer is not yet
  // trusted (SPEC §3, §8). SQLite cannot change a CHECK in place: the table is rebuilt.
  `CREATE TABLE handovers_new (
     id TEXT NOT NULL,
     direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
     type TEXT NOT NULL,
     sender_business_id TEXT NOT NULL,
     sender_name TEXT NOT NULL,
     recipient_business_id TEXT NOT NULL,
     recipient_name TEXT NOT NULL,
     created_at TEXT NOT NULL,
     event_at TEXT NOT NULL,
     sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
     status TEXT NOT NULL CHECK (status IN ('sent','acknowledged','rejected','received','accepted','withdrawn','superseded','awaiting-trust')),
     supersedes TEXT,
     superseded_by TEXT,
     receipt_id TEXT,
     rejection_codes TEXT NOT NULL DEFAULT '[]',
     file_name TEXT,
     updated_at TEXT NOT NULL,
     reply_by TEXT,
     PRIMARY KEY (id, direction)
   ) WITHOUT ROWID;
   INSERT INTO handovers_new (id, direction, type, sender_business_id, sender_name, recipient_business_id,
     recipient_name, created_at, event_at, sha256, status, supersedes, superseded_by, receipt_id,
     rejection_codes, file_name, updated_at, reply_by)
   SELECT id, direction, type, sender_business_id, sender_name, recipient_business_id, recipient_name,
     created_at, event_at, sha256, status, supersedes, superseded_by, receipt_id, rejection_codes,
     file_name, updated_at, reply_by FROM handovers;
   DROP TABLE handovers;
   ALTER TABLE handovers_new RENAME TO handovers;
   CREATE INDEX handovers_status ON handovers (status, event_at);`,
];
