-- Search columns: normalised names in both orders and the key, each with an index so a
-- prefix search is a range scan; the push state per person kept up to date by every outbox
-- change, so filtering 100,000 people by it needs no join. Filled in by the Go step.

ALTER TABLE people ADD COLUMN name_fg TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN name_gf TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN key_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN push_state TEXT NOT NULL DEFAULT 'none'
    CHECK (push_state IN ('none', 'pending', 'failed', 'done'));

CREATE INDEX people_name_fg ON people(name_fg, id);
CREATE INDEX people_name_gf ON people(name_gf, id);
CREATE INDEX people_key_norm ON people(key_norm, id);
CREATE INDEX people_created ON people(created_at, id);
CREATE INDEX people_push_state ON people(push_state, name_fg, id);
