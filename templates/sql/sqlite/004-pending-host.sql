-- host: the machine whose disk holds a pending receipt (SPEC §11); the same row shape as the
-- office's PostgreSQL, where workers on several machines share one table.
ALTER TABLE pending_files ADD COLUMN host TEXT NOT NULL DEFAULT '';
