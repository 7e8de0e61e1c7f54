-- The waiting list: people imported from a list, not enrolled yet, in the order they are
-- called. Their fields are the people table's, kept as plainly as there (the journal file
-- is private to its user); a row goes when the person is enrolled or erased.
CREATE TABLE waiting (
    id            INTEGER PRIMARY KEY,
    position      INTEGER NOT NULL UNIQUE,
    person_key    TEXT NOT NULL UNIQUE,
    given_name    TEXT NOT NULL DEFAULT '',
    family_name   TEXT NOT NULL DEFAULT '',
    card_number   TEXT NOT NULL DEFAULT '',
    department    TEXT NOT NULL DEFAULT '',
    access_groups TEXT NOT NULL DEFAULT '[]',
    valid_from    INTEGER,
    valid_until   INTEGER,
    added_at      INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
