-- Ids are UUIDs, case-insensitive (RFC 9562), and kept in one case, lower: a handover drafted
-- with an upper-case id must still find its receipt written in lower case (issue 22.15).
-- A row whose lower-case twin already exists is left as it is rather than failing the upgrade.
UPDATE handovers SET id = lower(id)
WHERE id <> lower(id)
  AND NOT EXISTS (SELECT 1 FROM handovers t WHERE t.id = lower(handovers.id) AND t.direction = handovers.direction);
UPDATE handovers SET supersedes = lower(supersedes), superseded_by = lower(superseded_by),
  receipt_id = lower(receipt_id);
UPDATE receipts SET handover_id = lower(handover_id);
UPDATE receipts SET id = lower(id)
WHERE id <> lower(id) AND NOT EXISTS (SELECT 1 FROM receipts t WHERE t.id = lower(receipts.id));
UPDATE withdrawals SET handover_id = lower(handover_id);
UPDATE withdrawals SET id = lower(id)
WHERE id <> lower(id) AND NOT EXISTS (SELECT 1 FROM withdrawals t WHERE t.id = lower(withdrawals.id));
UPDATE pending_files SET receipt_id = lower(receipt_id);
