-- Outbox rows of two operations: a push of a capture, and a delete of a person from a target
-- (erase everywhere). A delete must outlive the person's captures and the person row until
-- the last remote delete is done, so the references become optional (SET NULL) and the row
-- keeps the person's key and the remote id it deletes. A push of a capture to a target waits
-- at most once; a done or superseded one may be followed by a repair push of the same capture.
-- note tells the operator about a push that is done with a caveat (an id not recovered).

CREATE TABLE outbox_v4 (
    id              INTEGER PRIMARY KEY,
    op              TEXT NOT NULL DEFAULT 'push' CHECK (op IN ('push', 'delete')),
    capture_id      INTEGER REFERENCES captures(id) ON DELETE SET NULL,
    person_id       INTEGER REFERENCES people(id) ON DELETE SET NULL,
    person_key      TEXT NOT NULL,
    target_id       INTEGER NOT NULL REFERENCES targets(id) ON DELETE RESTRICT,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'superseded')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    remote_id       TEXT NOT NULL DEFAULT '',
    delete_ref      TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    done_at         INTEGER
) STRICT;

INSERT INTO outbox_v4 (id, op, capture_id, person_id, person_key, target_id, state, attempts, next_attempt_at,
        lease_owner, lease_until, last_error, remote_id, created_at, updated_at, done_at)
    SELECT o.id, 'push', o.capture_id, o.person_id, p.person_key, o.target_id, o.state, o.attempts, o.next_attempt_at,
        o.lease_owner, o.lease_until, o.last_error, o.remote_id, o.created_at, o.updated_at, o.done_at
    FROM outbox o JOIN people p ON p.id = o.person_id;

DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;

CREATE UNIQUE INDEX outbox_waiting_push ON outbox(capture_id, target_id)
    WHERE op = 'push' AND state IN ('pending', 'in_flight', 'failed');
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_lease ON outbox(lease_until) WHERE state = 'in_flight';
CREATE INDEX outbox_person ON outbox(person_id, target_id);
CREATE INDEX outbox_key ON outbox(person_key, target_id);
CREATE INDEX outbox_target ON outbox(target_id, state);
