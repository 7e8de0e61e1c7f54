package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"enrollstation/store/pgtest"
)

// The store's SQLite spellings become PostgreSQL's, and nothing else changes.
func TestPgSQL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE x = ? AND y = ?`, `SELECT a FROM t WHERE x = $1 AND y = $2`},
		{`UPDATE t SET a = ?1 WHERE b = ?2 OR c = ?1`, `UPDATE t SET a = $1 WHERE b = $2 OR c = $1`},
		{`SELECT '?' || x FROM t WHERE y = ?`, `SELECT '?' || x FROM t WHERE y = $1`},
		{`SELECT 'it''s?' FROM t WHERE y = ?`, `SELECT 'it''s?' FROM t WHERE y = $1`},
		{`WHERE id IN (SELECT value FROM json_each(?1))`,
			`WHERE id = ANY(CAST(translate($1, '[]', '{}') AS BIGINT[]))`},
		{`FROM json_each(?3) j WHERE outbox.id = CAST(j.value->>0 AS BIGINT)`,
			`FROM json_array_elements(CAST($3 AS json)) j WHERE outbox.id = CAST(j.value->>0 AS BIGINT)`},
		{`SELECT unhex(j.value->>7), unhex(j.value->>8)`, `SELECT decode(j.value->>7, 'hex'), decode(j.value->>8, 'hex')`},
	} {
		if got := pgSQL(c.in); got != c.want {
			t.Errorf("pgSQL(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestPrefixEnd(t *testing.T) {
	for in, want := range map[string]string{"ma": "mb", "z": "{", "é": "ê", "a\U0010FFFF": "b", "\ud7ff": "\ue000"} {
		if got := prefixEnd(in); got != want {
			t.Errorf("prefixEnd(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://enroll:s3cret@db.site/journal":                "postgres://enroll:xxxxx@db.site/journal",
		"postgres://db.site/journal?password=s3cret&user=x":       "postgres://db.site/journal?password=xxxxx&user=x",
		"postgresql://enroll@db.site/journal?sslmode=verify-full": "postgresql://enroll@db.site/journal?sslmode=verify-full",
		"/var/lib/journal.db":                                     "/var/lib/journal.db",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// A database across the network is opened only with a verified certificate; a socket or
// this machine needs none.
func TestPostgresOverTheNetworkNeedsVerifiedTLS(t *testing.T) {
	ctx := context.Background()
	for _, location := range []string{"postgres://desk@db.site.example/enroll", "postgres://desk@10.0.0.9/enroll?sslmode=require",
		"postgres://desk@10.0.0.9/enroll?sslmode=prefer"} {
		_, err := Open(ctx, location, testKey())
		if err == nil || !strings.Contains(err.Error(), "sslmode=verify-full") {
			t.Errorf("%s: %v", location, err)
		}
	}
	for _, location := range []string{"postgres://desk@/enroll?host=/run/postgresql", "postgres://desk@localhost/enroll",
		"postgres://desk@127.0.0.1/enroll", "postgres://desk@[::1]/enroll",
		"postgres://desk@db.site.example/enroll?sslmode=verify-full&sslrootcert=system",
		"postgres://desk@db.site.example/enroll?sslmode=verify-ca&sslrootcert=system"} {
		cfg, err := pgx.ParseConfig(location)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkTLS(cfg); err != nil {
			t.Errorf("%s: %v", location, err)
		}
	}
}

// Stations sharing one database claim at once; every row is claimed by exactly one of
// them, and none waits for another's claim.
func TestStationsClaimEachRowOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	first := openAt(t, url)
	tg := addTarget(t, first, TargetACTAtek, "door")
	const people = 60
	for i := range people {
		if _, err := first.SaveCapture(ctx, testPerson(fmt.Sprint("p", i), "Ada", fmt.Sprint(i)), testCapture(fmt.Sprint(i)), []TargetID{tg}); err != nil {
			t.Fatal(err)
		}
	}
	stations := []*Store{first, openAt(t, url), openAt(t, url)}
	var mu sync.Mutex
	owner := map[int64]string{}
	var wg sync.WaitGroup
	for i, s := range stations {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprint("station-", i)
			for {
				c, err := s.ClaimDueTargets(ctx, name, ClaimRequest{Want: map[TargetID]int{tg: 4}, Now: time.Now(), Lease: time.Minute})
				if err != nil {
					t.Error(err)
					return
				}
				if c.Len() == 0 {
					return
				}
				mu.Lock()
				for _, it := range c.Items[tg] {
					if prev, ok := owner[it.ID]; ok {
						t.Errorf("row %d claimed by %s and %s", it.ID, prev, name)
					}
					owner[it.ID] = name
					if _, ok := c.Captures[it.CaptureID]; !ok {
						t.Errorf("row %d claimed without its capture", it.ID)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(owner) != people {
		t.Fatalf("%d rows claimed, want %d", len(owner), people)
	}
	shares := map[string]int{}
	for _, name := range owner {
		shares[name]++
	}
	t.Logf("rows claimed per station: %v", shares)
}

// Stations record outcomes at the same time: two of them finish the pushes of the same
// people to two targets, batch by batch, while a third saves captures. Nobody waits for
// ever, every person ends up done, and Verify finds the push states and the audit chain
// whole.
func TestStationsRecordOutcomesAtOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	first := openAt(t, url)
	a, b := addTarget(t, first, TargetACTAtek, "door"), addTarget(t, first, TargetCLUe, "hq")
	const people = 48
	for i := range people {
		if _, err := first.SaveCapture(ctx, testPerson(fmt.Sprint("p", i), "Ada", fmt.Sprint(i)), testCapture(fmt.Sprint(i)), []TargetID{a, b}); err != nil {
			t.Fatal(err)
		}
	}
	stations := []*Store{first, openAt(t, url), openAt(t, url)}
	finish := func(s *Store, name string, tg TargetID, backwards bool) {
		for {
			c, err := s.ClaimDueTargets(ctx, name, ClaimRequest{Want: map[TargetID]int{tg: 4}, Now: time.Now(), Lease: time.Minute})
			if err != nil || c.Len() == 0 {
				if err != nil {
					t.Error(err)
				}
				return
			}
			var outs []Outcome
			for _, it := range c.Items[tg] {
				outs = append(outs, Outcome{Item: it, State: OutboxDone, RemoteID: "r-" + it.PersonKey})
			}
			if backwards {
				slices.Reverse(outs)
			}
			if _, errs, err := s.Finish(ctx, name, outs); err != nil || errors.Join(errs...) != nil {
				t.Errorf("%s: %v %v", name, err, errs)
				return
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { finish(stations[0], "station-0", a, false) })
	wg.Go(func() { finish(stations[1], "station-1", b, true) })
	wg.Go(func() {
		for i := range 10 {
			if _, err := stations[2].SaveCapture(ctx, testPerson(fmt.Sprint("late", i), "Bo", fmt.Sprint(i)), testCapture(fmt.Sprint("late", i)), nil); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	for i := range people {
		p, err := first.Person(ctx, fmt.Sprint("p", i))
		if err != nil {
			t.Fatal(err)
		}
		if p.PushState != PushDone {
			t.Errorf("%s: push state %s, want done", p.Key, p.PushState)
		}
	}
	r, err := first.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Errorf("verify: %v", r.Problems)
	}
	events, err := first.AuditLog(ctx, AuditQuery{Action: ActionPush, Limit: 1000})
	if err != nil || len(events) != 2*people {
		t.Errorf("push audit rows: %d (%v), want %d", len(events), err, 2*people)
	}
}

// Each kind of write holds the journal's lock as it should, and commits synced or not:
// outcomes shared and unsynced, claims with no lock and unsynced (both on generic plans),
// every other write exclusive and synced.
func TestWritesHoldTheJournalLockAsTheyShould(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, pgtest.URL(t))
	seen := func(tx *sql.Tx) (sync, locks string) {
		var plans string
		if err := tx.QueryRowContext(ctx, `SELECT current_setting('synchronous_commit'), current_setting('plan_cache_mode')`).Scan(&sync, &plans); err != nil {
			t.Fatal(err)
		}
		sync += "/" + plans
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(string_agg(mode, ','), 'none') FROM pg_locks
			WHERE locktype = 'advisory' AND pid = pg_backend_pid()`).Scan(&locks); err != nil {
			t.Fatal(err)
		}
		return sync, locks
	}
	for _, c := range []struct {
		name        string
		write       func(context.Context, func(*sql.Tx) error) error
		sync, locks string
	}{
		{"outcomes", s.writeOutcomes, "off/force_generic_plan", "ShareLock"},
		{"claim", s.writeClaim, "off/force_generic_plan", "none"},
		{"write", s.write, "on/auto", "ExclusiveLock"},
	} {
		var sync, locks string
		if err := c.write(ctx, func(tx *sql.Tx) error { sync, locks = seen(tx); return nil }); err != nil {
			t.Fatal(err)
		}
		if sync != c.sync || locks != c.locks {
			t.Errorf("%s: synchronous_commit/plan_cache_mode %s, locks %s; want %s, %s", c.name, sync, locks, c.sync, c.locks)
		}
	}
}

// CheckKey reads a site's journal as it reads a file: its own key opens it, another is
// named wrong, and Exists tells an empty database from a journal.
func TestCheckKeyOnPostgres(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	if ok, err := Exists(ctx, url); err != nil || ok {
		t.Fatalf("an empty schema: exists %v, %v", ok, err)
	}
	openAt(t, url).Close()
	if ok, err := Exists(ctx, url); err != nil || !ok {
		t.Fatalf("a journal: exists %v, %v", ok, err)
	}
	if err := CheckKey(ctx, url, testKey()); err != nil {
		t.Fatalf("its own key: %v", err)
	}
	if err := CheckKey(ctx, url, otherKey()); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("another key: %v", err)
	}
}

// A site database made before the search walk (schema 1) is brought up to date when a
// station opens it: its people are kept, the new indexes are there, and searches walk them.
func TestPostgresJournalUpgradesFromSchemaOne(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	old, err := locate(url)
	if err != nil {
		t.Fatal(err)
	}
	if old.sealer, err = newSealer(testKey()); err != nil {
		t.Fatal(err)
	}
	old.now = time.Now
	if old.w, err = old.connect(true); err != nil {
		t.Fatal(err)
	}
	old.w.SetMaxOpenConns(1)
	if err := old.migrateTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := old.ensureKeyCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if err := old.SeedPeople(ctx, 2000, 9); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s := openAt(t, url)
	if v, err := pgVersion(ctx, s.w); err != nil || v != latest(pgMigrations()) {
		t.Fatalf("schema after opening: %d (%v), want %d", v, err, latest(pgMigrations()))
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'people'
		AND indexname = 'people_state_gf'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("people_state_gf after the upgrade: %d (%v)", n, err)
	}
	s.walkFrom = 50
	want, total := plainSearch(t, s, Query{Text: "m"}, 50)
	page, err := s.SearchPeople(ctx, Query{Text: "m"})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, p := range page.People {
		got = append(got, p.Key)
	}
	if page.Total != total || !slices.Equal(got, want) {
		t.Fatalf("search after the upgrade: total %d, %d people; want %d, %d", page.Total, len(got), total, len(want))
	}
}
