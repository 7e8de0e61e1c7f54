package store

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateFixtures = flag.Bool("update-fixtures", false, "rewrite testdata/journal-vN.db from the migrations")

// Fixture people. The first has names whose lower case only Go gets right (SQLite's lower()
// is ASCII-only), to prove the search backfill runs in Go.
const (
	fixtureKey1 = "fixture-1"
	fixtureKey2 = "fixture-2"
)

var fixtureTime = time.Date(2025, 11, 20, 8, 30, 0, 0, time.UTC)

func fixtureImage() []byte { return pattern("fixture face image", 3000) }

// createFixture writes a journal at schema version k holding the data each version can hold.
func createFixture(t *testing.T, path string, k int) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	sl, err := newSealer(testKey())
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, k, sl); err != nil {
		t.Fatal(err)
	}
	check, _ := sl.seal([]byte(keyCheckPlain), []byte(keyCheckAD))
	at := fixtureTime.UnixMilli()
	// Blobs of these schema versions were sealed in format 1.
	sealed, _ := sl.seal(fixtureImage(), blobADv1(blobRef{fixtureKey1, "cap-1", FaceImage, "far_off"}))
	sealed[0] = sealFormatV1
	stmts := []struct {
		from  int
		to    int // last version the statement fits; 0 for every later one
		query string
		args  []any
	}{
		{1, 0, `INSERT INTO meta (name, value) VALUES ('key_check', ?)`, []any{check}},
		{1, 0, `INSERT INTO people (id, person_key, given_name, family_name, card_number, access_groups, consent_at, consent_by, created_at, updated_at)
			VALUES (1, ?, 'Łukasz', 'Ærøskøbing', '1234', '["Lobby"]', ?, 'op1', ?, ?)`, []any{fixtureKey1, at, at, at}},
		{1, 0, `INSERT INTO people (id, person_key, given_name, family_name, consent_at, consent_by, created_at, updated_at)
			VALUES (2, ?, 'Ada', 'Lovelace', ?, 'op1', ?, ?)`, []any{fixtureKey2, at, at + 1000, at + 1000}},
		{1, 0, `INSERT INTO captures (id, capture_key, person_id, device_serial, operator, saved_at, quality)
			VALUES (1, 'cap-1', 1, 'EF45-1', 'op1', ?, '{"distance_mm":410}')`, []any{at}},
		{1, 0, `INSERT INTO blobs (capture_id, kind, variant, media_type, size, sealed) VALUES (1, 'face_image', 'far_off', 'image/jpeg', ?, ?)`,
			[]any{len(fixtureImage()), sealed}},
		{1, 0, `INSERT INTO audit (at, operator, action, person_key, detail) VALUES (?, 'op1', 'enroll', ?, 'capture cap-1')`, []any{at, fixtureKey1}},
		{1, 0, `INSERT INTO settings (name, value, updated_at) VALUES ('capture.min_usable_iris_area', '70', ?)`, []any{at}},
		{2, 0, `INSERT INTO targets (id, kind, name, address, enabled, created_at, updated_at) VALUES (1, 'clue', 'HQ', 'https://api', 1, ?, ?)`, []any{at, at}},
		{2, 3, `INSERT INTO outbox (capture_id, person_id, target_id, state, attempts, next_attempt_at, last_error, created_at, updated_at)
			VALUES (1, 1, 1, 'pending', 2, ?, 'HTTP 503 from CLUe', ?, ?)`, []any{at, at, at}},
		{4, 0, `INSERT INTO outbox (capture_id, person_id, person_key, target_id, state, attempts, next_attempt_at, last_error, created_at, updated_at)
			VALUES (1, 1, ?, 1, 'pending', 2, ?, 'HTTP 503 from CLUe', ?, ?)`, []any{fixtureKey1, at, at, at}},
	}
	for _, st := range stmts {
		if st.from > k || (st.to != 0 && st.to < k) {
			continue
		}
		if _, err := db.ExecContext(ctx, st.query, st.args...); err != nil {
			t.Fatalf("seed v%d: %v", k, err)
		}
	}
	if k >= 3 { // from version 3 the program fills the search columns on every save
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := backfillSearch(ctx, tx); err != nil {
			t.Fatal(err)
		}
		if k >= 6 { // from version 6 every audit row is chained as it is written
			if err := chainAudit(ctx, tx, sl); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatalf("%v (run go test -run TestMigrate ./store/ -update-fixtures to create it)", err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}

// checkMigrated opens a journal made at version k and checks that its data came through.
func checkMigrated(t *testing.T, path string, k int) {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	v, err := userVersion(ctx, raw)
	raw.Close()
	if err != nil || v != k {
		t.Fatalf("fixture is at version %d (%v), want %d", v, err, k)
	}

	s := openAt(t, path)
	if v, _ := userVersion(ctx, s.w); v != SchemaVersion() {
		t.Fatalf("migrated to %d, want %d", v, SchemaVersion())
	}
	p, err := s.Person(ctx, fixtureKey1)
	if err != nil || p.GivenName != "Łukasz" || p.FamilyName != "Ærøskøbing" || p.CardNumber != "1234" ||
		len(p.AccessGroups) != 1 || !p.CreatedAt.Equal(fixtureTime) {
		t.Fatalf("person after migration: %+v, %v", p, err)
	}
	c, err := s.Capture(ctx, "cap-1")
	if err != nil || len(c.Blobs) != 1 || string(c.Blobs[0].Data) != string(fixtureImage()) || c.Quality.DistanceMM != 410 {
		t.Fatalf("capture after migration: %v", err)
	}
	for _, q := range []string{"ærø", "ŁUKASZ", "łukasz ær", "fixture-1"} {
		page, err := s.SearchPeople(ctx, Query{Text: q})
		if err != nil || page.Total != 1 || page.People[0].Key != fixtureKey1 {
			t.Fatalf("search %q after migration: %+v, %v", q, page, err)
		}
	}
	wantState := PushNone
	if k >= 2 {
		wantState = PushPending
		items, err := s.Outbox(ctx, fixtureKey1)
		if err != nil || len(items) != 1 || items[0].Attempts != 2 || items[0].LastError != "HTTP 503 from CLUe" {
			t.Fatalf("outbox after migration: %+v, %v", items, err)
		}
	}
	if p.PushState != wantState {
		t.Fatalf("push state after migration %q, want %q", p.PushState, wantState)
	}
	if v, err := s.Setting(ctx, "capture.min_usable_iris_area"); err != nil || v != "70" {
		t.Fatalf("setting after migration: %q, %v", v, err)
	}
	if ev, err := s.AuditLog(ctx, AuditQuery{PersonKey: fixtureKey1}); err != nil || len(ev) != 1 {
		t.Fatalf("audit after migration: %+v, %v", ev, err)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify after migration: %v %v", err, rep.Problems)
	}
	// And the migrated journal takes new work.
	tg := addTarget(t, s, TargetACTAtek, "Lobby")
	if out, err := s.AddWaiting(ctx, []Person{{Key: "waiting-1", GivenName: "Grace"}, {Key: fixtureKey1, GivenName: "Again"}}, false); err != nil ||
		fmt.Sprint(out) != "[added kept]" {
		t.Fatalf("waiting list after migration: %v, %v", out, err)
	}
	if next, err := s.NextWaiting(ctx); err != nil || next.Key != "waiting-1" || next.GivenName != "Grace" {
		t.Fatalf("next waiting after migration: %+v, %v", next, err)
	}
	if _, err := s.SaveCapture(ctx, testPerson(fixtureKey2, "Ada", "Lovelace"), testCapture("m"), []TargetID{tg}); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	s := openAt(t, path)
	var tables []string
	rows, err := s.r.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if got := strings.Join(tables, " "); got != "audit blobs captures meta outbox people settings targets waiting" {
		t.Fatalf("tables: %s", got)
	}
	s.Close()
	// Opening again applies nothing twice.
	s = openAt(t, path)
	if v, _ := userVersion(ctx, s.w); v != SchemaVersion() {
		t.Fatalf("version after reopen %d", v)
	}
}

func TestMigrateFromEveryEarlierVersion(t *testing.T) {
	t.Parallel()
	if SchemaVersion() < 2 {
		t.Fatal("expected more than one migration")
	}
	for k := 1; k < SchemaVersion(); k++ {
		fixture := filepath.Join("testdata", fmt.Sprintf("journal-v%d.db", k))
		if *updateFixtures {
			os.Remove(fixture)
			createFixture(t, fixture, k)
		}
		t.Run(fmt.Sprintf("kept fixture v%d", k), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.db")
			copyFile(t, fixture, path)
			checkMigrated(t, path, k)
		})
		t.Run(fmt.Sprintf("fresh v%d", k), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.db")
			createFixture(t, path, k)
			checkMigrated(t, path, k)
		})
	}
}

// A step that fails leaves the journal at the version before it, with nothing of the step.
func TestMigrationStepIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	createFixture(t, path, 1)
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad := migration{version: 2, name: "broken", sql: `CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);`}
	if err := applyMigration(ctx, db, bad, nil); err == nil {
		t.Fatal("a broken step succeeded")
	}
	if v, _ := userVersion(ctx, db); v != 1 {
		t.Fatalf("version after a failed step: %d", v)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'`).Scan(&n)
	if n != 0 {
		t.Fatal("a failed step left a table behind")
	}
	skip := migration{version: 4, name: "gap", sql: `SELECT 1`}
	if err := applyMigration(ctx, db, skip, nil); err == nil {
		t.Fatal("a step was applied out of order")
	}
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	t.Parallel()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.version != i+1 || m.name == "" || strings.TrimSpace(m.sql) == "" {
			t.Fatalf("migration %d: %+v", i, m)
		}
	}
	if SchemaVersion() != len(ms) {
		t.Fatalf("SchemaVersion %d with %d migrations", SchemaVersion(), len(ms))
	}
}
