-- reply_by: the day a sent handover asks its receiver to answer by (format 1.1), so that
-- `register pending` lists what is overdue by the letter's own date (SPEC §3).
ALTER TABLE handovers ADD COLUMN reply_by TEXT;
