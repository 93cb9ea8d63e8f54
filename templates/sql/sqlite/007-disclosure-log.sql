-- The log of use and disclosure (act 703/2023 10 §, SPEC §12): every handover sent, receipt and
-- withdrawal, letter or copy made, `show`, and `register disclosures` look-up, with its type
-- (disclosure or use), time, worker and purpose; for a disclosure the receiver, the categories
-- (the file's consent scope), the basis and the document (id and SHA-256). The youth is keyed by
-- HMAC-SHA-256 under an organisation secret (youth_key), never by the identity code or an
-- unkeyed hash of it; key_id names the secret, so that a rotated one still finds old events.
CREATE TABLE disclosure_log (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('disclosure', 'use')),
  action TEXT NOT NULL,
  worker TEXT NOT NULL,
  purpose TEXT NOT NULL,
  youth_key TEXT,
  key_id TEXT,
  receiver_name TEXT,
  receiver_business_id TEXT,
  categories TEXT NOT NULL DEFAULT '[]',
  basis TEXT,
  document_id TEXT,
  sha256 TEXT
);
CREATE INDEX disclosure_log_youth ON disclosure_log (youth_key, key_id);
CREATE INDEX disclosure_log_document ON disclosure_log (document_id);
CREATE INDEX disclosure_log_at ON disclosure_log (at);
