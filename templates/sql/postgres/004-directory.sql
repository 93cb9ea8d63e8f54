-- The partner directory (SPEC §13), shared by the office's workers like the rest of the trust
-- store: the certificates trusted to sign directories (never handovers), and the directory last
-- imported, verbatim. Its sequence only ever grows: an import that is not newer changes nothing.

CREATE TABLE directory_signers (
  fingerprint256 TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  pem TEXT NOT NULL,
  business_id TEXT,
  added_at TEXT NOT NULL
);

CREATE TABLE office_directory (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sequence BIGINT NOT NULL,
  document TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
);
