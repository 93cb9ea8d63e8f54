-- awaiting-trust: a received handover whose signature is intact but whose signer is not yet
-- trusted (SPEC §3, §8): registered, no receipt, decided on the next import after `trust add`.
-- The same change as the SQLite register's migration 008.
ALTER TABLE handovers DROP CONSTRAINT IF EXISTS handovers_status_check;
ALTER TABLE handovers ADD CONSTRAINT handovers_status_check
  CHECK (status IN ('sent','acknowledged','rejected','received','accepted','withdrawn','superseded','awaiting-trust'));
