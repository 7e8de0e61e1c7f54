-- The audit trail becomes a hash chain: each row carries the link of the row before it and
-- its own, an HMAC over both and its fields under a key derived from the journal key, so an
-- edited or deleted row breaks the chain where it was. The newest link is also kept sealed
-- in meta ('audit_head'), so rows cut off the end are found too. Rows already there are
-- chained by the Go step of this migration.
ALTER TABLE audit ADD COLUMN prev_hash BLOB NOT NULL DEFAULT x'';
ALTER TABLE audit ADD COLUMN hash BLOB NOT NULL DEFAULT x'';
