-- Push targets and the outbox: one row per capture and target.

CREATE TABLE targets (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('ef45', 'actatek', 'clue')),
    name       TEXT NOT NULL UNIQUE,
    address    TEXT NOT NULL DEFAULT '',
    account    TEXT NOT NULL DEFAULT '',
    secret_ref TEXT NOT NULL DEFAULT '',
    cert_pin   TEXT NOT NULL DEFAULT '',
    options    TEXT NOT NULL DEFAULT '{}',
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- person_id repeats the capture's person so per-person push state needs no join.
-- A target with outbox rows cannot be deleted (RESTRICT): disable it instead.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    capture_id      INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    target_id       INTEGER NOT NULL REFERENCES targets(id) ON DELETE RESTRICT,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'superseded')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    remote_id       TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    done_at         INTEGER,
    UNIQUE (capture_id, target_id)
) STRICT;

CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_lease ON outbox(lease_until) WHERE state = 'in_flight';
CREATE INDEX outbox_person ON outbox(person_id, target_id);
CREATE INDEX outbox_target ON outbox(target_id);

-- Push audit rows name their target; no foreign key, the trail outlives targets.
ALTER TABLE audit ADD COLUMN target_id INTEGER NOT NULL DEFAULT 0;
