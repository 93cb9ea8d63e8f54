-- pending_files: receipts written under a temporary name whose row may or may not have
-- committed (SPEC §8, reconciled by the next command). audit_head: the last hash and count
-- of the audit chain, so that a truncated or deleted audit log is found (SPEC §8).
CREATE TABLE pending_files (
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
);
