-- A worker claims per target, oldest due first, a few dozen rows at a time. These indexes
-- hand it exactly those rows; with the due and lease indexes alone each claim read and
-- sorted every due row of every target. Those two go: every claim and outcome had to keep
-- them too, and the next due time is found per target as well.

CREATE INDEX outbox_target_due ON outbox(target_id, next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_target_lease ON outbox(target_id, lease_until) WHERE state = 'in_flight';
DROP INDEX outbox_due;
DROP INDEX outbox_lease;
