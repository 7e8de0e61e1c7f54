// Copying people, their captures and blobs (see CopyTo).

package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// srcPerson is a source person as the copy writes it.
type srcPerson struct {
	id, updated int64
	key         string
	row         []any // the values of copyPersonInsert's JSON row
}

// The people's statements read JSON rows of [key, given, family, card, department, groups,
// valid from, valid until, consent at, consent by, notes, created, updated, name_fg,
// name_gf, key_norm, push state].
const (
	copyPersonInsert = `INSERT INTO people (person_key, given_name, family_name, card_number, department, access_groups,
			valid_from, valid_until, consent_at, consent_by, notes, created_at, updated_at, name_fg, name_gf, key_norm, push_state)
		SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5,
			CAST(j.value->>6 AS BIGINT), CAST(j.value->>7 AS BIGINT), CAST(j.value->>8 AS BIGINT), j.value->>9, j.value->>10,
			CAST(j.value->>11 AS BIGINT), CAST(j.value->>12 AS BIGINT), j.value->>13, j.value->>14, j.value->>15, j.value->>16
		FROM json_each(?1) j RETURNING id, person_key`
	copyPersonUpdate = `UPDATE people SET given_name = j.value->>1, family_name = j.value->>2, card_number = j.value->>3,
			department = j.value->>4, access_groups = j.value->>5, valid_from = CAST(j.value->>6 AS BIGINT),
			valid_until = CAST(j.value->>7 AS BIGINT), consent_at = CAST(j.value->>8 AS BIGINT), consent_by = j.value->>9,
			notes = j.value->>10, updated_at = CAST(j.value->>12 AS BIGINT), name_fg = j.value->>13, name_gf = j.value->>14
		FROM json_each(?1) j WHERE people.person_key = j.value->>0`
)

// copyPeople copies people a batch at a time, each batch followed by its captures.
func (c *copier) copyPeople(ctx context.Context) error {
	var after int64
	for {
		people, err := c.readPeople(ctx, after)
		if err != nil || len(people) == 0 {
			return err
		}
		after = people[len(people)-1].id
		if err := c.apply(ctx, func(tx *sql.Tx, probe bool) error { return c.writePeople(ctx, tx, people, probe) }); err != nil {
			return err
		}
		if err := c.copyCaptures(ctx, people); err != nil {
			return err
		}
	}
}

func (c *copier) readPeople(ctx context.Context, after int64) ([]srcPerson, error) {
	rows, err := c.tx.QueryContext(ctx, `SELECT id, person_key, given_name, family_name, card_number, department,
		access_groups, valid_from, valid_until, consent_at, consent_by, notes, created_at, updated_at, push_state
		FROM people WHERE id > ? ORDER BY id LIMIT ?`, after, copyPeopleBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []srcPerson
	for rows.Next() {
		var p srcPerson
		var given, family, card, dept, groups, consentBy, notes, state string
		var from, until, consent sql.NullInt64
		var created int64
		if err := rows.Scan(&p.id, &p.key, &given, &family, &card, &dept, &groups, &from, &until, &consent,
			&consentBy, &notes, &created, &p.updated, &state); err != nil {
			return nil, err
		}
		// The search columns as this program computes them.
		fg, gf := nameNorms(given, family)
		p.row = []any{p.key, given, family, card, dept, groups, nullable(from), nullable(until), nullable(consent),
			consentBy, notes, created, p.updated, fg, gf, normalize(p.key), state}
		out = append(out, p)
	}
	return out, rows.Err()
}

// writePeople adds the people dst lacks and updates those whose source record is newer.
func (c *copier) writePeople(ctx context.Context, tx *sql.Tx, people []srcPerson, probe bool) error {
	keys := make([]string, len(people))
	for i, p := range people {
		keys[i] = p.key
	}
	type held struct{ id, updated int64 }
	have := map[string]held{}
	rows, err := tx.QueryContext(ctx, `SELECT id, person_key, updated_at FROM people WHERE `+inKeys("person_key"), keysJSON(keys))
	if err != nil {
		return err
	}
	for rows.Next() {
		var h held
		var k string
		if err := rows.Scan(&h.id, &k, &h.updated); err != nil {
			rows.Close()
			return err
		}
		have[k] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var add, update [][]any
	var added []string
	for _, p := range people {
		h, ok := have[p.key]
		switch {
		case !ok:
			add = append(add, p.row)
			added = append(added, p.key)
			continue
		case p.updated > h.updated:
			update = append(update, p.row)
			c.rep.PeopleUpdated++
		}
		c.people[p.key] = h.id
		c.peopleIDs = append(c.peopleIDs, h.id)
		c.rep.People.Skipped++
	}
	if probe && len(add)+len(update) > 0 {
		return errMustWrite
	}
	if err := execRows(ctx, tx, copyPersonUpdate, update); err != nil {
		return fmt.Errorf("update people: %w", err)
	}
	if len(add) == 0 {
		return nil
	}
	if err := insertReturning(ctx, tx, copyPersonInsert, add, func(id int64, key string) {
		c.people[key] = id
		c.peopleIDs = append(c.peopleIDs, id)
		c.rep.People.Copied++
	}); err != nil {
		return fmt.Errorf("add people: %w", err)
	}
	// Enrolled here: off dst's waiting list, as a save takes them off it.
	_, err = tx.ExecContext(ctx, `DELETE FROM waiting WHERE `+inKeys("person_key"), keysJSON(added))
	return err
}

// insertReturning runs an insert of JSON rows returning (id, key) and hands each to fn.
func insertReturning(ctx context.Context, tx *sql.Tx, query string, rows [][]any, fn func(int64, string)) error {
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	r, err := tx.QueryContext(ctx, query, string(b))
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		var id int64
		var key string
		if err := r.Scan(&id, &key); err != nil {
			return err
		}
		fn(id, key)
	}
	return r.Err()
}

// srcCapture is a source capture as the copy writes it, without its blobs.
type srcCapture struct {
	id    int64
	key   string
	bytes int64 // its blobs' size
	blobs int
	row   []any // copyCaptureInsert's JSON row, the destination's person id second
}

const (
	copyCaptureInsert = `INSERT INTO captures (capture_key, person_id, device_serial, record_version, encounter_id, operator,
			started_at, captured_at, saved_at, quality)
		SELECT j.value->>0, CAST(j.value->>1 AS BIGINT), j.value->>2, j.value->>3, j.value->>4, j.value->>5,
			CAST(j.value->>6 AS BIGINT), CAST(j.value->>7 AS BIGINT), CAST(j.value->>8 AS BIGINT), j.value->>9
		FROM json_each(?1) j RETURNING id, capture_key`
	copyBlobInsert = `INSERT INTO blobs (capture_id, kind, variant, media_type, size, sealed)
		SELECT CAST(j.value->>0 AS BIGINT), j.value->>1, j.value->>2, j.value->>3, CAST(j.value->>4 AS BIGINT), unhex(j.value->>5)
		FROM json_each(?1) j`
)

// copyCaptures copies the captures of people, a few megabytes of blobs per write.
func (c *copier) copyCaptures(ctx context.Context, people []srcPerson) error {
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.id
	}
	list, _ := json.Marshal(ids)
	rows, err := c.tx.QueryContext(ctx, `SELECT c.id, c.capture_key, p.person_key, c.device_serial, c.record_version,
			c.encounter_id, c.operator, c.started_at, c.captured_at, c.saved_at, c.quality,
			(SELECT coalesce(sum(b.size), 0) FROM blobs b WHERE b.capture_id = c.id),
			(SELECT count(*) FROM blobs b WHERE b.capture_id = c.id)
		FROM captures c JOIN people p ON p.id = c.person_id
		WHERE c.person_id IN (SELECT value FROM json_each(?1)) ORDER BY c.id`, string(list))
	if err != nil {
		return err
	}
	var all []srcCapture
	for rows.Next() {
		var sc srcCapture
		var person, serial, version, encounter, operator, quality string
		var started, captured sql.NullInt64
		var saved int64
		if err := rows.Scan(&sc.id, &sc.key, &person, &serial, &version, &encounter, &operator, &started, &captured,
			&saved, &quality, &sc.bytes, &sc.blobs); err != nil {
			rows.Close()
			return err
		}
		sc.row = []any{sc.key, c.people[person], serial, version, encounter, operator, nullable(started), nullable(captured), saved, quality}
		all = append(all, sc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for start := 0; start < len(all); {
		end, bytes := start, int64(0)
		for end < len(all) && end-start < copyRowsBatch && (end == start || bytes+all[end].bytes <= copyBlobBytes) {
			bytes += all[end].bytes
			end++
		}
		chunk := all[start:end]
		if err := c.apply(ctx, func(tx *sql.Tx, probe bool) error { return c.writeCaptures(ctx, tx, chunk, probe) }); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// writeCaptures adds the captures dst lacks with their blobs, read from the source only
// for those.
func (c *copier) writeCaptures(ctx context.Context, tx *sql.Tx, chunk []srcCapture, probe bool) error {
	keys := make([]string, len(chunk))
	for i, sc := range chunk {
		keys[i] = sc.key
	}
	have := map[string]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT id, capture_key FROM captures WHERE `+inKeys("capture_key"), keysJSON(keys))
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			rows.Close()
			return err
		}
		have[k] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var add [][]any
	var srcIDs []int64
	for _, sc := range chunk {
		if id, ok := have[sc.key]; ok {
			c.captures[sc.key] = id
			c.rep.Captures.Skipped++
			c.rep.Blobs.Skipped += sc.blobs
			continue
		}
		add = append(add, sc.row)
		srcIDs = append(srcIDs, sc.id)
	}
	if len(add) == 0 {
		return nil
	}
	if probe {
		return errMustWrite
	}
	bySrc := map[int64]string{}
	for _, sc := range chunk {
		bySrc[sc.id] = sc.key
	}
	if err := insertReturning(ctx, tx, copyCaptureInsert, add, func(id int64, key string) {
		c.captures[key] = id
		c.rep.Captures.Copied++
	}); err != nil {
		return fmt.Errorf("add captures: %w", err)
	}
	list, _ := json.Marshal(srcIDs)
	var blobs [][]any
	if err := eachRowOf(ctx, c.tx, `SELECT capture_id, kind, variant, media_type, size, sealed FROM blobs
		WHERE capture_id IN (SELECT value FROM json_each(?1)) ORDER BY id`, []any{string(list)}, func(r *sql.Rows) error {
		var capture, size int64
		var kind, variant, media string
		var sealed []byte
		if err := r.Scan(&capture, &kind, &variant, &media, &size, &sealed); err != nil {
			return err
		}
		blobs = append(blobs, []any{c.captures[bySrc[capture]], kind, variant, media, size, hex.EncodeToString(sealed)})
		return nil
	}); err != nil {
		return fmt.Errorf("read blobs: %w", err)
	}
	c.rep.Blobs.Copied += len(blobs)
	if err := execRows(ctx, tx, copyBlobInsert, blobs); err != nil {
		return fmt.Errorf("add blobs: %w", err)
	}
	return nil
}
