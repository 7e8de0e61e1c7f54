-- People, their captures and encrypted biometric blobs, the audit trail and settings.
-- Times are Unix milliseconds, UTC.

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    person_key    TEXT NOT NULL UNIQUE,
    given_name    TEXT NOT NULL DEFAULT '',
    family_name   TEXT NOT NULL DEFAULT '',
    card_number   TEXT NOT NULL DEFAULT '',
    department    TEXT NOT NULL DEFAULT '',
    access_groups TEXT NOT NULL DEFAULT '[]',
    valid_from    INTEGER,
    valid_until   INTEGER,
    consent_at    INTEGER,
    consent_by    TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE captures (
    id             INTEGER PRIMARY KEY,
    capture_key    TEXT NOT NULL UNIQUE,
    person_id      INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    device_serial  TEXT NOT NULL DEFAULT '',
    record_version TEXT NOT NULL DEFAULT '',
    encounter_id   TEXT NOT NULL DEFAULT '',
    operator       TEXT NOT NULL DEFAULT '',
    started_at     INTEGER,
    captured_at    INTEGER,
    saved_at       INTEGER NOT NULL,
    quality        TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX captures_person ON captures(person_id);

-- sealed is AES-256-GCM: format byte, 12-byte nonce, ciphertext and tag. The associated
-- data binds it to its person and kind, so a row moved elsewhere does not decrypt.
CREATE TABLE blobs (
    id         INTEGER PRIMARY KEY,
    capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    variant    TEXT NOT NULL DEFAULT '',
    media_type TEXT NOT NULL DEFAULT '',
    size       INTEGER NOT NULL,
    sealed     BLOB NOT NULL,
    UNIQUE (capture_id, kind, variant)
) STRICT;

-- The audit trail names people by key only and outlives them.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    operator   TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    person_key TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_person ON audit(person_key, at);

CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
