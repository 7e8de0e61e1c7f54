package store

import (
	"errors"

	"context"
	"github.com/jackc/pgx/v5/pgconn"
	"strings"
	"testing"
)

func TestVerifyCleanJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetCLUe, "HQ")
	for _, k := range []string{"a", "b", "c"} {
		if _, err := s.SaveCapture(ctx, testPerson(k, "P", k), testCapture(k), []TargetID{tg}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.People != 3 || rep.Captures != 3 || rep.Blobs != 9 || rep.Outbox != 3 {
		t.Fatalf("report %+v", rep)
	}
}

// Each kind of damage is found and named.
func TestVerifyFindsDamage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name, damage, want string
		pg                 string // the damage in PostgreSQL's words, where they differ
	}{
		{"altered blob", `UPDATE blobs SET sealed = CAST(substr(sealed, 1, 40) || zeroblob(length(sealed) - 40) AS BLOB) WHERE kind = 'eye_template'`, "cannot decrypt",
			`UPDATE blobs SET sealed = substring(sealed from 1 for 40) || decode(repeat('00', length(sealed) - 40), 'hex') WHERE kind = 'eye_template'`},
		{"wrong size", `UPDATE blobs SET size = 1 WHERE kind = 'face_image'`, "recorded as 1", ""},
		{"lease without flight", `UPDATE outbox SET lease_owner = 'w', lease_until = 5`, "holds a lease but is not in flight", ""},
		{"flight without lease", `UPDATE outbox SET state = 'in_flight'`, "in flight without a lease", ""},
		{"done without time", `UPDATE outbox SET state = 'done'`, "done time does not match", ""},
		{"stale push state", `UPDATE people SET push_state = 'done'`, "push state: k1 is done, outbox says pending", ""},
		{"no blobs", `DELETE FROM blobs`, "holds no biometric data", ""},
		{"missing key check", `DELETE FROM meta WHERE name = 'key_check'`, "key check: missing", ""},
		{"broken reference", `PRAGMA foreign_keys = OFF; UPDATE outbox SET target_id = 77; PRAGMA foreign_keys = ON`, "foreign key: outbox row", ""},
		{"two waiting", `INSERT INTO captures (capture_key, person_id, saved_at) SELECT 'cap-x', person_id, 0 FROM captures;
			INSERT INTO outbox (capture_id, person_id, person_key, target_id, state, next_attempt_at, created_at, updated_at)
			SELECT (SELECT id FROM captures WHERE capture_key = 'cap-x'), person_id, person_key, target_id, 'failed', 0, 0, 0 FROM outbox`,
			"more than one waiting push for k1 to target", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			tg := addTarget(t, s, TargetCLUe, "HQ")
			if _, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), []TargetID{tg}); err != nil {
				t.Fatal(err)
			}
			damage := tc.damage
			if onPostgres() && tc.pg != "" {
				damage = tc.pg
			}
			conn, err := s.w.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if onPostgres() && strings.HasPrefix(damage, "PRAGMA foreign_keys") {
				// The server keeps its foreign keys itself: the damage cannot be written.
				_, err := conn.ExecContext(ctx, `UPDATE outbox SET target_id = 77`)
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != "23503" {
					t.Fatalf("a broken reference was written: %v", err)
				}
				conn.Close()
				return
			}
			for _, stmt := range strings.Split(damage, ";") {
				if _, err := conn.ExecContext(ctx, stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			conn.Close()
			rep, err := s.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("verify found nothing")
			}
			if !strings.Contains(strings.Join(rep.Problems, "\n"), tc.want) {
				t.Fatalf("problems %q lack %q", rep.Problems, tc.want)
			}
		})
	}
}
