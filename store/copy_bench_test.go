package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/google/uuid"

	"enrollstation/store/pgtest"
)

// seedStation fills s as a large station's journal, quickly: n people (SeedPeople), each
// with a capture of two small blobs, pushes to one target in the states the people's
// push states spread (half of the pending ones in flight), a superseded push for every
// eighth person and an audit row each. It checks that the journal verifies.
func seedStation(tb testing.TB, s *Store, n int) {
	tb.Helper()
	ctx := context.Background()
	target := addTarget(tb, s, TargetCLUe, "HQ")
	if err := s.SeedPeople(ctx, n, 7); err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UnixMilli()
	err := s.write(ctx, func(tx *sql.Tx) error {
		type person struct {
			id         int64
			key, state string
		}
		var people []person
		if err := eachRow(ctx, tx, `SELECT id, person_key, push_state FROM people ORDER BY id`, func(r *sql.Rows) error {
			var p person
			people = append(people, p)
			return r.Scan(&people[len(people)-1].id, &people[len(people)-1].key, &people[len(people)-1].state)
		}); err != nil {
			return err
		}
		capture, blob, outbox := prepared(ctx, tx, `INSERT INTO captures (capture_key, person_id, operator, saved_at, quality)
			VALUES (?, ?, 'op1', ?, '{}') RETURNING id`),
			prepared(ctx, tx, `INSERT INTO blobs (capture_id, kind, variant, size, sealed) VALUES (?, ?, ?, ?, ?)`),
			prepared(ctx, tx, `INSERT INTO outbox (capture_id, person_id, person_key, target_id, state, attempts, next_attempt_at,
				lease_owner, lease_until, remote_id, created_at, updated_at, done_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`)
		defer capture.Close()
		defer blob.Close()
		defer outbox.Close()
		var events []AuditEvent
		for i, p := range people {
			key := uuid.NewString()
			var id int64
			if err := capture.QueryRowContext(ctx, key, p.id, now).Scan(&id); err != nil {
				return err
			}
			for _, b := range []Blob{{Kind: EyeTemplate, Variant: "left", Data: pattern(key, 256)},
				{Kind: FaceFeature, Variant: "far_off", Data: pattern(key+"f", 512)}} {
				sealed, err := s.sealer.sealBlob(b.Data, blobRef{p.key, key, b.Kind, b.Variant})
				if err != nil {
					return err
				}
				if _, err := blob.ExecContext(ctx, id, string(b.Kind), b.Variant, len(b.Data), sealed); err != nil {
					return err
				}
			}
			push := func(state OutboxState, owner string, until int64, done any, created int64) error {
				_, err := outbox.ExecContext(ctx, id, p.id, p.key, int64(target), string(state), now, owner, until, "r-"+p.key, created, now, done)
				return err
			}
			var err error
			switch {
			case p.state == string(PushPending) && i%2 == 0:
				err = push(OutboxInFlight, "w1", now+3600_000, nil, now)
			case p.state == string(PushPending):
				err = push(OutboxPending, "", 0, nil, now)
			case p.state == string(PushFailed):
				err = push(OutboxFailed, "", 0, nil, now)
			case p.state == string(PushDone):
				err = push(OutboxDone, "", 0, now, now)
			}
			if err == nil && i%8 == 0 {
				err = push(OutboxSuperseded, "", 0, nil, now-1000)
			}
			if err != nil {
				return err
			}
			events = append(events, AuditEvent{At: time.UnixMilli(now), Operator: "op1", Action: ActionEnroll, PersonKey: p.key, Detail: "capture " + key})
		}
		ts := s.txStmts(tx)
		defer ts.close()
		return s.appendAudit(ctx, ts, events)
	})
	if err != nil {
		tb.Fatal(err)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		tb.Fatalf("the seeded journal does not verify: %v %v", rep.Problems[:min(5, len(rep.Problems))], err)
	}
}

// prepared prepares query in tx; a failure is left for its first use to report.
func prepared(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		panic(fmt.Sprintf("prepare %s: %v", query, err))
	}
	return st
}

func tableCounts(tb testing.TB, s *Store) map[string]int {
	tb.Helper()
	out := map[string]int{}
	for _, table := range []string{"people", "captures", "blobs", "outbox", "audit"} {
		out[table] = count(tb, s, table)
	}
	states, err := s.OutboxCounts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	for st, n := range states {
		out["outbox "+string(st)] = n
	}
	return out
}

func TestCopyToPostgresTenThousandPeople(t *testing.T) {
	t.Parallel()
	dst := openAt(t, pgtest.URL(t))
	src := openFile(t)
	seedStation(t, src, 10_000)
	start := time.Now()
	rep := copyOK(t, src, dst)
	t.Logf("copied 10,000 people in %v", time.Since(start).Round(time.Millisecond))
	want := tableCounts(t, src)
	if got := tableCounts(t, dst); !maps.Equal(got, want) {
		t.Fatalf("destination holds %v, source %v", got, want)
	}
	if rep.People.Copied != 10_000 || rep.Blobs.Copied != 20_000 || rep.Outbox.Copied != want["outbox"] ||
		rep.Check.Found.Blobs != 20_000 || !maps.Equal(rep.Check.Found.Outbox, rep.Check.Source.Outbox) {
		t.Errorf("copied %+v", rep)
	}
	start = time.Now()
	again := copyOK(t, src, dst)
	t.Logf("checked again in %v", time.Since(start).Round(time.Millisecond))
	if again.People.Copied+again.Captures.Copied+again.Blobs.Copied+again.Outbox.Copied+again.Audit.Copied+again.PeopleUpdated != 0 {
		t.Errorf("a second copy copied %+v", again)
	}
	if got := tableCounts(t, dst); !maps.Equal(got, want) {
		t.Fatalf("after a second copy the destination holds %v, source %v", got, want)
	}
}

// BenchmarkMigrate copies a station's journal of 3,000 people (a capture, two blobs and
// a push or two each, an audit row) from its file into a PostgreSQL journal, check
// included: people copied per second.
func BenchmarkMigrate(b *testing.B) {
	const n = 3000
	src := openFile(b)
	seedStation(b, src, n)
	ctx := context.Background()
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		dst := openAt(b, pgtest.URL(b))
		b.StartTimer()
		start := time.Now()
		rep, err := src.CopyTo(ctx, dst)
		took += time.Since(start)
		if err != nil || !rep.Check.OK() || rep.People.Copied != n {
			b.Fatalf("copy: %v %v", err, rep.Check.Problems)
		}
		b.StopTimer()
		dst.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/took.Seconds(), "people/s")
}
