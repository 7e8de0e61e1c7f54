-- The indexes of the two sort orders also carry the given-first name and the key, so a
-- search arm with many matches can walk the sort's index, filter on it alone and stop when
-- its page is full, instead of reading and sorting every match (see walkFrom).
DROP INDEX people_name_fg;
CREATE INDEX people_name_fg ON people(name_fg, created_at, id, push_state, name_gf, key_norm);
DROP INDEX people_created;
CREATE INDEX people_created ON people(created_at, id, name_fg, push_state, name_gf, key_norm);
-- A given-name prefix with a push state is a range of its own, as a family-name one is
-- (people_state_name): through people_name_gf it read four entries for each match.
CREATE INDEX people_state_gf ON people(push_state, name_gf, name_fg, created_at, id);
