package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// chained opens a journal whose trail holds n events written through the store, then
// closes it, and returns its path: the tests damage the file behind the store's back.
func chained(t *testing.T, n int) string {
	t.Helper()
	ctx := context.Background()
	s := openTest(t)
	t0 := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	for i := range n {
		if err := s.Audit(ctx, AuditEvent{At: t0.Add(time.Duration(i) * time.Minute), Operator: "op1",
			Action: ActionDuplicate, PersonKey: fmt.Sprint("k", i), Detail: fmt.Sprint("decision ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rawDB opens the journal at location (a file or a database) without the store.
func rawDB(t *testing.T, location string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if IsPostgres(location) {
		db, err = openPostgres(location, true)
	} else {
		db, err = sql.Open("sqlite", dsn(location, true))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tamper changes the journal file with query, as someone with the file but not the key could.
func tamper(t *testing.T, path, query string) {
	t.Helper()
	db := rawDB(t, path)
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

func verifyProblems(t *testing.T, path string) []string {
	t.Helper()
	s, err := Open(context.Background(), path, testKey())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep.Problems
}

func TestAuditChainWholeAfterEveryKindOfWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetACTAtek, "Lobby")
	_, err := s.SaveCapture(ctx, testPerson("ada", "Ada", "Lovelace"), testCapture("a"), []TargetID{tg})
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.ClaimDue(ctx, "w1", time.Now(), time.Minute, 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim: %v, %v", items, err)
	}
	if err := s.Complete(ctx, items[0].ID, "w1", "remote-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "capture.min_usable_iris_area", "75", "tech"); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, AuditEvent{Operator: "op1", Action: ActionDuplicate, PersonKey: "ada", Detail: "new person"}); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
	// target added, enroll, push, setting, decision
	if rep.Audit != 5 {
		t.Fatalf("verify walked %d audit rows, want 5", rep.Audit)
	}
}

func TestAuditChainFindsTampering(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, query, want string
	}{
		{"edited detail", `UPDATE audit SET detail = 'decision approved' WHERE id = 3`, "audit row 3 was changed"},
		{"edited operator", `UPDATE audit SET operator = 'someone else' WHERE id = 1`, "audit row 1 was changed"},
		{"row deleted in the middle", `DELETE FROM audit WHERE id = 3`, "audit rows between row 2 and row 4 were deleted"},
		{"first row deleted", `DELETE FROM audit WHERE id = 1`, "audit rows before row 2 were deleted"},
		{"rows cut off the end", `DELETE FROM audit WHERE id >= 4`, "audit rows after row 3 were deleted (the trail ended at row 5)"},
		{"row forged at the end", `INSERT INTO audit (id, at, operator, action, prev_hash, hash)
			SELECT 6, at, 'op1', 'erase', hash, hash FROM audit WHERE id = 5`, "audit row 6 was changed"},
		{"head removed", `DELETE FROM meta WHERE name = 'audit_head'`, "its sealed head is missing"},
		{"rows swapped", `UPDATE audit SET person_key = CASE id WHEN 2 THEN 'k3' ELSE 'k2' END WHERE id IN (2, 3)`, "audit row 2 was changed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			path := chained(t, 5)
			if p := verifyProblems(t, path); len(p) != 0 {
				t.Fatalf("a sound trail: %v", p)
			}
			tamper(t, path, c.query)
			p := verifyProblems(t, path)
			if !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, c.want) }) {
				t.Fatalf("problems %q, want one saying %q", p, c.want)
			}
		})
	}
}

// Rows cut off the end stay a gap once the trail goes on: the next row follows the row the
// head names, not the newest one left.
func TestAuditChainTruncationStaysVisible(t *testing.T) {
	t.Parallel()
	path := chained(t, 5)
	tamper(t, path, `DELETE FROM audit WHERE id >= 4`)
	s, err := Open(context.Background(), path, testKey())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Audit(context.Background(), AuditEvent{Operator: "op1", Action: ActionSetting, Detail: "later"}); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Problems, func(p string) bool { return strings.Contains(p, "between row 3 and row 6 were deleted") }) {
		t.Fatalf("problems %q", rep.Problems)
	}
}

// A chain mended by someone without the key (each hash recomputed with another key) is
// still found.
func TestAuditChainNeedsTheJournalKey(t *testing.T) {
	t.Parallel()
	path := chained(t, 3)
	other, err := newSealer([]byte(strings.Repeat("k", KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE audit SET detail = 'rewritten' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`DELETE FROM meta WHERE name = 'audit_head'`); err != nil {
		t.Fatal(err)
	}
	if err := chainAudit(ctx, tx, other); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	p := verifyProblems(t, path)
	for _, want := range []string{"audit row 1 was changed", "audit row 3 was changed", "sealed head does not open"} {
		if !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, want) }) {
			t.Fatalf("problems %q, want one saying %q", p, want)
		}
	}
}
