package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Report is the result of Verify: what was checked and every problem found.
type Report struct {
	People   int      `json:"people"`
	Captures int      `json:"captures"`
	Blobs    int      `json:"blobs"`
	Outbox   int      `json:"outbox"`
	Audit    int      `json:"audit"`
	Problems []string `json:"problems"`
}

// OK reports whether Verify found nothing wrong.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// maxProblems keeps a badly damaged journal from producing an endless report.
const maxProblems = 1000

func (r *Report) add(format string, a ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
	}
}

// Verify checks the journal without changing it: SQLite's integrity and foreign key
// checks, that every blob decrypts with this key and has its recorded size, and that the
// outbox is consistent (leases, done times, people's push states, one waiting push per
// person and target), and that the audit trail's hash chain is whole. Problems are listed in the report; the error is for failures to check.
func (s *Store) Verify(ctx context.Context) (Report, error) {
	r := Report{Problems: []string{}}
	tx, err := s.readTx(ctx)
	if err != nil {
		return r, fmt.Errorf("verify: %w", err)
	}
	defer tx.Rollback()
	for _, c := range []struct {
		name string
		n    *int
	}{{"people", &r.People}, {"captures", &r.Captures}, {"blobs", &r.Blobs}, {"outbox", &r.Outbox}} {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+c.name).Scan(c.n); err != nil {
			return r, fmt.Errorf("verify: count %s: %w", c.name, err)
		}
	}
	if err := s.verifyFile(ctx, tx, &r); err != nil {
		return r, err
	}
	var sealed []byte
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'key_check'`).Scan(&sealed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r.add("key check: missing from meta")
	case err != nil:
		return r, fmt.Errorf("verify: key check: %w", err)
	default:
		if plain, err := s.sealer.open(sealed, []byte(keyCheckAD)); err != nil || string(plain) != keyCheckPlain {
			r.add("key check: does not open with this key")
		}
	}
	if err := eachRow(ctx, tx, `SELECT b.id, c.capture_key, p.person_key, b.kind, b.variant, b.size, b.sealed
		FROM blobs b JOIN captures c ON c.id = b.capture_id JOIN people p ON p.id = c.person_id ORDER BY b.id`,
		func(rows *sql.Rows) error {
			var id int64
			var capture, person, variant string
			var kind BlobKind
			var size int
			var sealed []byte
			if err := rows.Scan(&id, &capture, &person, &kind, &variant, &size, &sealed); err != nil {
				return err
			}
			plain, err := s.sealer.openBlob(sealed, blobRef{person, capture, kind, variant})
			if err != nil {
				r.add("blob %d (%s/%s of capture %s, person %s): %v", id, kind, variant, capture, person, err)
			} else if len(plain) != size {
				r.add("blob %d (%s/%s of capture %s, person %s): %d bytes, recorded as %d", id, kind, variant, capture, person, len(plain), size)
			}
			return nil
		}); err != nil {
		return r, fmt.Errorf("verify: blobs: %w", err)
	}
	for _, c := range []struct{ query, problem string }{
		{`SELECT c.capture_key FROM captures c WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.capture_id = c.id)`,
			"capture %s holds no biometric data"},
		{`SELECT id FROM outbox WHERE state = 'in_flight' AND (lease_owner = '' OR lease_until = 0)`,
			"outbox %s is in flight without a lease"},
		{`SELECT id FROM outbox WHERE state <> 'in_flight' AND (lease_owner <> '' OR lease_until <> 0)`,
			"outbox %s holds a lease but is not in flight"},
		{`SELECT id FROM outbox WHERE (state = 'done') <> (done_at IS NOT NULL)`,
			"outbox %s: done time does not match its state"},
		{`SELECT o.id FROM outbox o JOIN captures c ON c.id = o.capture_id WHERE o.person_id <> c.person_id`,
			"outbox %s names a different person than its capture"},
		{`SELECT person_key || ' is ' || push_state || ', outbox says ' || ` + pushStateExpr + ` FROM people
			WHERE push_state <> ` + pushStateExpr,
			"push state: %s"},
		{`SELECT p.person_key || ' to target ' || o.target_id FROM outbox o JOIN people p ON p.id = o.person_id
			WHERE o.state IN ('pending', 'failed') GROUP BY o.person_id, o.target_id, p.person_key HAVING count(*) > 1`,
			"outbox: more than one waiting push for %s"},
	} {
		if err := eachRow(ctx, tx, c.query, func(rows *sql.Rows) error {
			var what string
			if err := rows.Scan(&what); err != nil {
				return err
			}
			r.add(c.problem, what)
			return nil
		}); err != nil {
			return r, fmt.Errorf("verify: outbox: %w", err)
		}
	}
	if err := s.verifyAudit(ctx, tx, &r); err != nil {
		return r, fmt.Errorf("verify: audit: %w", err)
	}
	return r, nil
}

// eachRow runs query in tx and calls fn for each row.
func eachRow(ctx context.Context, tx *sql.Tx, query string, fn func(*sql.Rows) error) error {
	return eachRowOf(ctx, tx, query, nil, fn)
}

// verifyFile checks a journal file's pages and foreign keys. A PostgreSQL server keeps its
// own foreign keys at every write and checks its pages as it reads them.
func (s *Store) verifyFile(ctx context.Context, tx *sql.Tx, r *Report) error {
	if s.pg {
		return nil
	}
	if err := eachRow(ctx, tx, `PRAGMA integrity_check`, func(rows *sql.Rows) error {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return err
		}
		if msg != "ok" {
			r.add("integrity: %s", msg)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("verify: integrity check: %w", err)
	}
	if err := eachRow(ctx, tx, `PRAGMA foreign_key_check`, func(rows *sql.Rows) error {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		r.add("foreign key: %s row %d points at a missing %s row", table, rowid.Int64, parent)
		return nil
	}); err != nil {
		return fmt.Errorf("verify: foreign key check: %w", err)
	}
	return nil
}
