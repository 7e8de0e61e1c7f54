package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// The schema is a numbered series of SQL files, each optionally followed by a Go step (for
// work SQL cannot do the same way as the program, such as Unicode-aware lowercasing). The
// journal's version is PRAGMA user_version, changed in the same transaction as the step.
// PostgreSQL journals have a series of their own (migrations_pg), which starts where
// SQLite's had come when the first site database was made; their version is the one row
// of journal_schema.
//
//go:embed migrations/*.sql migrations_pg/*.sql
var migrationFiles embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
	post    func(ctx context.Context, tx *sql.Tx, sl *sealer) error
}

// goSteps are the Go parts of migrations, by version; they get the journal's sealer for
// steps that need its key (the journal's key is checked before any step runs).
func goSteps() map[int]func(context.Context, *sql.Tx, *sealer) error {
	return map[int]func(context.Context, *sql.Tx, *sealer) error{
		3: func(ctx context.Context, tx *sql.Tx, _ *sealer) error { return backfillSearch(ctx, tx) },
		6: chainAudit,
	}
}

// migrations returns every step in order. File names are NNNN_name.sql and must number
// 1, 2, 3... without gaps; anything else is a build mistake and fails every Open.
func migrations() ([]migration, error) { return series("migrations", goSteps()) }

// pgMigrations are the PostgreSQL journal's steps.
func pgMigrations() ([]migration, error) { return series("migrations_pg", nil) }

func series(dir string, steps map[int]func(context.Context, *sql.Tx, *sealer) error) ([]migration, error) {
	names, err := fs.Glob(migrationFiles, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for i, path := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(path, dir+"/"), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("migration file %s: want number %04d", path, i+1)
		}
		body, err := migrationFiles.ReadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body), post: steps[v]})
	}
	return out, nil
}

// SchemaVersion is the newest journal schema this program knows.
func SchemaVersion() int { return latest(migrations()) }

func latest(ms []migration, err error) int {
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// querier is what reads a schema version: the pool, a connection or a transaction.
type querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// pgVersion reads a PostgreSQL journal's schema version: 0 before its first step.
func pgVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRowContext(ctx, `SELECT to_regclass('journal_schema') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := q.QueryRowContext(ctx, `SELECT version FROM journal_schema`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// version reads the journal's schema version on its engine.
func (s *Store) version(ctx context.Context, q querier) (int, error) {
	if s.pg {
		return pgVersion(ctx, q)
	}
	return userVersion(ctx, q)
}

// schema is the journal's series of steps on its engine.
func (s *Store) schema() ([]migration, error) {
	if s.pg {
		return pgMigrations()
	}
	return migrations()
}

// migrateTo brings the journal up to version upTo, one transaction per step.
func (s *Store) migrateTo(ctx context.Context, upTo int) error {
	if !s.pg {
		return migrate(ctx, s.w, upTo, s.sealer)
	}
	ms, err := pgMigrations()
	if err != nil {
		return err
	}
	return applySteps(ms, upTo, func(m migration) error { return s.applyPG(ctx, m) })
}

// applyPG applies one step under the journal's write lock, so that stations starting at
// once apply it exactly once.
func (s *Store) applyPG(ctx context.Context, m migration) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		v, err := pgVersion(ctx, tx)
		if err != nil || v >= m.version {
			return err
		}
		if v != m.version-1 {
			return fmt.Errorf("journal is at version %d, cannot apply step %d", v, m.version)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		if v == 0 {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE journal_schema (version INTEGER NOT NULL);
				INSERT INTO journal_schema VALUES (0)`); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE journal_schema SET version = ?`, m.version)
		return err
	})
}

// userVersion reads the journal's schema version.
func userVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// migrate brings db up to version upTo, one transaction per step. Each step re-reads the
// version inside its transaction (taken with BEGIN IMMEDIATE), so two programs opening the
// same journal at once apply each step exactly once.
func migrate(ctx context.Context, db *sql.DB, upTo int, sl *sealer) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return applySteps(ms, upTo, func(m migration) error { return applyMigration(ctx, db, m, sl) })
}

// applySteps applies the steps of ms up to version upTo in order, each with apply.
func applySteps(ms []migration, upTo int, apply func(migration) error) error {
	for _, m := range ms {
		if m.version > upTo {
			break
		}
		if err := apply(m); err != nil {
			return fmt.Errorf("migrate journal to version %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration, sl *sealer) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	v, err := userVersion(ctx, tx)
	if err != nil {
		return err
	}
	if v >= m.version {
		return nil
	}
	if v != m.version-1 {
		return fmt.Errorf("journal is at version %d, cannot apply step %d", v, m.version)
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if m.post != nil {
		if err := m.post(ctx, tx, sl); err != nil {
			return err
		}
	}
	// PRAGMA takes no parameters; the version is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

// backfillSearch fills the search columns added by migration 3 with the same normalisation
// the program applies on every save, and computes each person's push state.
func backfillSearch(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, person_key, given_name, family_name FROM people`)
	if err != nil {
		return err
	}
	type norm struct {
		id           int64
		fg, gf, keyN string
	}
	var all []norm
	for rows.Next() {
		var id int64
		var key, given, family string
		if err := rows.Scan(&id, &key, &given, &family); err != nil {
			rows.Close()
			return err
		}
		fg, gf := nameNorms(given, family)
		all = append(all, norm{id, fg, gf, normalize(key)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE people SET name_fg = ?, name_gf = ?, key_norm = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, n := range all {
		if _, err := upd.ExecContext(ctx, n.fg, n.gf, n.keyN, n.id); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE people SET push_state = `+pushStateExpr)
	return err
}
