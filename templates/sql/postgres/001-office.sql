-- The office's shared state (SPEC §11): the register, the audit chain, the trust store and the
-- organisation's profile. The register's tables have the shape of the embedded SQLite
-- register after its fourth migration, so that one set of row statements serves both.
-- Timestamps are ISO 8601 text in UTC, as in SQLite: they sort as they read.

CREATE TABLE handovers (
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
  reply_by TEXT,
  PRIMARY KEY (id, direction)
);
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
CREATE INDEX withdrawals_handover ON withdrawals (handover_id, direction);

-- Receipts written under a temporary name on a worker's machine whose row may or may not have
-- committed; only that machine (host) can settle them (SPEC §8).
CREATE TABLE pending_files (
  temp_path TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  receipt_id TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL DEFAULT ''
);

-- The audit chains: `office` is the live one, appended under an advisory lock so that it never
-- forks; a worker's log copied by `register migrate` keeps a chain of its own. Each line is the
-- JSON text of one entry, exactly as a worker's audit.log holds it.
CREATE TABLE audit_entries (
  chain TEXT NOT NULL,
  seq BIGINT NOT NULL,
  line TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  PRIMARY KEY (chain, seq)
);
CREATE TABLE audit_head (
  chain TEXT PRIMARY KEY,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  count BIGINT NOT NULL
);

-- The trust store: partner certificates (with a business-ID binding for a certificate that
-- names none) and CRLs.
CREATE TABLE trust_certificates (
  fingerprint256 TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  pem TEXT NOT NULL,
  business_id TEXT,
  added_at TEXT NOT NULL
);
CREATE TABLE trust_crls (
  sha256 TEXT PRIMARY KEY,
  der BYTEA NOT NULL,
  added_at TEXT NOT NULL
);

-- The organisation's profile shared by its workers: organization.*, billing.*, signatory.*,
-- ombudsman.* and the catalogue additions (services), one JSON document.
CREATE TABLE org_profile (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  profile TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
