// Copying settings and the waiting list (see CopyTo).

package store

import (
	"context"
	"database/sql"
	"fmt"
)

func (c *copier) copySettings(ctx context.Context) error {
	type setting struct {
		name, value string
		at          int64
	}
	var all []setting
	if err := eachRow(ctx, c.tx, `SELECT name, value, updated_at FROM settings ORDER BY name`, func(rows *sql.Rows) error {
		var st setting
		if err := rows.Scan(&st.name, &st.value, &st.at); err != nil {
			return err
		}
		all = append(all, st)
		return nil
	}); err != nil {
		return err
	}
	return c.apply(ctx, func(tx *sql.Tx, probe bool) error {
		c.rep.Settings = CopyCount{}
		have := map[string]bool{}
		if err := eachRow(ctx, tx, `SELECT name FROM settings`, func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			have[n] = true
			return err
		}); err != nil {
			return err
		}
		for _, st := range all {
			if have[st.name] {
				c.rep.Settings.Skipped++
				continue
			}
			if probe {
				return errMustWrite
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (name) DO NOTHING`, st.name, st.value, st.at)
			if err != nil {
				return fmt.Errorf("setting %s: %w", st.name, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				c.rep.Settings.Copied++
			} else {
				c.rep.Settings.Skipped++
			}
		}
		return nil
	})
}

func (c *copier) copyWaiting(ctx context.Context) error {
	var rows [][]any
	if err := eachRow(ctx, c.tx, `SELECT person_key, given_name, family_name, card_number, department, access_groups,
		valid_from, valid_until, added_at, updated_at FROM waiting ORDER BY position`, func(r *sql.Rows) error {
		var key, given, family, card, dept, groups string
		var from, until sql.NullInt64
		var added, updated int64
		if err := r.Scan(&key, &given, &family, &card, &dept, &groups, &from, &until, &added, &updated); err != nil {
			return err
		}
		rows = append(rows, []any{key, given, family, card, dept, groups, nullable(from), nullable(until), added, updated})
		return nil
	}); err != nil {
		return err
	}
	for start := 0; start < len(rows); start += copyRowsBatch {
		batch := rows[start:min(start+copyRowsBatch, len(rows))]
		if err := c.apply(ctx, func(tx *sql.Tx, probe bool) error { return c.writeWaiting(ctx, tx, batch, probe) }); err != nil {
			return err
		}
	}
	return nil
}

// writeWaiting adds the waiting people dst knows nothing of at the end of its list.
func (c *copier) writeWaiting(ctx context.Context, tx *sql.Tx, batch [][]any, probe bool) error {
	keys := make([]string, len(batch))
	for i, r := range batch {
		keys[i] = r[0].(string)
	}
	known := map[string]bool{}
	for _, q := range []string{`SELECT person_key FROM people WHERE ` + inKeys("person_key"),
		`SELECT person_key FROM waiting WHERE ` + inKeys("person_key")} {
		if err := eachKey(ctx, tx, q, keysJSON(keys), func(k string) { known[k] = true }); err != nil {
			return err
		}
	}
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) FROM waiting`).Scan(&last); err != nil {
		return err
	}
	var add [][]any
	for _, r := range batch {
		if known[r[0].(string)] {
			c.rep.Waiting.Skipped++
			continue
		}
		last++
		add = append(add, append([]any{last}, r...))
	}
	if probe && len(add) > 0 {
		return errMustWrite
	}
	c.rep.Waiting.Copied += len(add)
	return execRows(ctx, tx, `INSERT INTO waiting (position, person_key, given_name, family_name, card_number, department,
			access_groups, valid_from, valid_until, added_at, updated_at)
		SELECT CAST(j.value->>0 AS BIGINT), j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6,
			CAST(j.value->>7 AS BIGINT), CAST(j.value->>8 AS BIGINT), CAST(j.value->>9 AS BIGINT), CAST(j.value->>10 AS BIGINT)
		FROM json_each(?1) j`, add)
}
