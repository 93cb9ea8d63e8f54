-- The audit chain moves into the register, as in the office's database (SPEC §10): each line is
-- the JSON text of one entry, `seq` its place in the chain. Appended in the register's own
-- write transaction, so that rows and their entries commit together and no writer appends
-- without the lock. The head (hash and number of the last entry) is the reference an append
-- chains from, never the last row, so that a cut or rewritten tail stays reported.
-- The head of the old audit.log is kept as audit_file_head until the program has copied that
-- file in (the copy drops it).
CREATE TABLE audit_entries (
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  line TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
ALTER TABLE audit_head RENAME TO audit_file_head;
CREATE TABLE audit_head (
  chain TEXT PRIMARY KEY,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  count INTEGER NOT NULL
);
