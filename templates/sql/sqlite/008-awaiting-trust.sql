-- awaiting-trust: a received handover whose signature is intact but whose signer is not yet
-- trusted (SPEC §3, §8): registered, no receipt, decided on the next import after `trust add`.
-- SQLite cannot change a CHECK in place: the table is rebuilt.
CREATE TABLE handovers_new (
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
CREATE INDEX handovers_status ON handovers (status, event_at);
