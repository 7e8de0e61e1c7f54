-- Search columns: normalised names in both orders and the key, each with an index so a
-- prefix search is a range scan; and the push state per person, kept up to date by every
-- outbox change, so filtering 100,000 people by it needs no join. Filled in by the Go step.

ALTER TABLE people ADD COLUMN name_fg TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN name_gf TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN key_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN push_state TEXT NOT NULL DEFAULT 'none'
    CHECK (push_state IN ('none', 'pending', 'failed', 'done'));

-- Each index carries the columns a search sorts and filters on, in sort order with the id
-- as the last sort key, so counting and choosing a page of results (even a deep one) reads
-- indexes only; the table is read for the page's rows alone.
CREATE INDEX people_name_fg ON people(name_fg, created_at, id, push_state);
CREATE INDEX people_name_gf ON people(name_gf, name_fg, created_at, push_state);
CREATE INDEX people_key_norm ON people(key_norm, name_fg, name_gf, created_at, push_state);
CREATE INDEX people_created ON people(created_at, id, name_fg, push_state);
CREATE INDEX people_state_name ON people(push_state, name_fg, created_at, id);
CREATE INDEX people_state_created ON people(push_state, created_at, id, name_fg);
