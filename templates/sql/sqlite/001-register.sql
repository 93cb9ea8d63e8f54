-- The register (SPEC §8): handovers sent and received, receipts and withdrawals. Metadata only.
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
CREATE INDEX withdrawals_handover ON withdrawals (handover_id, direction);
