package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/store/pgtest"
)

// BenchmarkOutboxStations is the outbox's bookkeeping as a site runs it: claim due rows
// (with their people and captures, as the push worker does) and record each as done,
// until none is left. One worker on a SQLite journal, then three stations' workers at once
// on one PostgreSQL journal, on the same rows; rows/s for each and their ratio (the goal:
// three PostgreSQL workers at least 3 times one SQLite worker). Where the machine can tell
// (Linux), it also reports the CPU time each row took, over every process: the database
// server's too. The ratio cannot pass the machine's cores times the SQLite worker's CPU per
// row over PostgreSQL's.
func BenchmarkOutboxStations(b *testing.B) {
	const rows = 3000
	var lite, pg, liteCPU, pgCPU time.Duration
	measured := true
	// timed runs fn, and adds its time and the machine's CPU time to wall and cpu.
	timed := func(wall, cpu *time.Duration, fn func()) {
		b.StartTimer()
		c0, ok0 := machineBusy()
		t0 := time.Now()
		fn()
		*wall += time.Since(t0)
		c1, ok1 := machineBusy()
		*cpu += c1 - c0
		measured = measured && ok0 && ok1
		b.StopTimer()
	}
	for b.Loop() {
		b.StopTimer()
		// Each backend is filled just before it is drained, so that neither is timed while
		// the other is still writing out what it was given.
		file := openAt(b, filepath.Join(b.TempDir(), "journal.db"))
		liteTarget := fillOutbox(b, file, rows)
		timed(&lite, &liteCPU, func() {
			if n := drainOutbox(b, file, "desk", liteTarget); n != rows {
				b.Fatalf("SQLite: %d rows done, want %d", n, rows)
			}
		})
		file.Close()

		url := pgtest.URL(b)
		site := openAt(b, url)
		siteTarget := fillOutbox(b, site, rows)
		stations := []*Store{site, openAt(b, url), openAt(b, url)}
		done := make([]int, len(stations))
		timed(&pg, &pgCPU, func() {
			var wg sync.WaitGroup
			for i, s := range stations {
				wg.Go(func() { done[i] = drainOutbox(b, s, fmt.Sprint("desk-", i), siteTarget) })
			}
			wg.Wait()
		})
		if n := done[0] + done[1] + done[2]; n != rows {
			b.Fatalf("PostgreSQL: %d rows done, want %d", n, rows)
		}
		for _, s := range stations {
			s.Close()
		}
		b.StartTimer()
	}
	n := float64(b.N * rows)
	b.ReportMetric(n/lite.Seconds(), "sqlite-1-rows/s")
	b.ReportMetric(n/pg.Seconds(), "pg-3-rows/s")
	b.ReportMetric(lite.Seconds()/pg.Seconds(), "ratio-pg3-to-sqlite1")
	if measured {
		b.ReportMetric(float64(liteCPU.Microseconds())/n, "sqlite-1-cpu-µs/row")
		b.ReportMetric(float64(pgCPU.Microseconds())/n, "pg-3-cpu-µs/row")
		b.ReportMetric(float64(runtime.NumCPU())*float64(liteCPU)/float64(pgCPU), "ratio-bound-on-these-cores")
	}
}

// machineBusy is the CPU time every process of the machine has used since it started, from
// /proc/stat (user, nice, system, irq and softirq); false where there is none.
func machineBusy() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, false
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7} {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, false
		}
		ticks += v
	}
	const userHZ = 100 // the kernel's USER_HZ on every Linux architecture Go builds for
	return time.Duration(ticks) * time.Second / userHZ, true
}

// fillOutbox adds a target and n people, each with a capture waiting to be pushed to it.
func fillOutbox(b testing.TB, s *Store, n int) TargetID {
	b.Helper()
	tg := addTarget(b, s, TargetCLUe, "HQ")
	addWaiting(b, s, tg, n)
	// A site's database has its statistics (autovacuum keeps them); rows just loaded do not.
	if _, err := s.w.ExecContext(context.Background(), `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return tg
}

// addWaiting adds n people, each with a capture (no blobs) waiting to be pushed to tg, in
// one transaction.
func addWaiting(b testing.TB, s *Store, tg TargetID, n int) {
	b.Helper()
	ctx := context.Background()
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := time.Now().Add(-time.Second)
		for range n {
			pid, err := upsertPerson(ctx, tx, Person{Key: NewPersonKey(), GivenName: "Out", FamilyName: "Box", ConsentAt: now, ConsentBy: "op1"}, now)
			if err != nil {
				return err
			}
			var cid int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO captures (capture_key, person_id, saved_at) VALUES (?, ?, ?) RETURNING id`,
				NewPersonKey(), pid, now.UnixMilli()).Scan(&cid); err != nil {
				return err
			}
			if _, err := addOutbox(ctx, tx, pid, cid, tg, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// drainOutbox claims the target's due rows 32 at a time and records each as done, until
// none is due; it returns how many it did.
func drainOutbox(b *testing.B, s *Store, worker string, tg TargetID) int {
	ctx := context.Background()
	done := 0
	for {
		c, err := s.ClaimDueTargets(ctx, worker, ClaimRequest{Want: map[TargetID]int{tg: 32}, Now: time.Now(), Lease: time.Minute})
		if err != nil {
			b.Error(err)
			return done
		}
		if c.Len() == 0 {
			return done
		}
		outs := make([]Outcome, 0, c.Len())
		for _, it := range c.Items[tg] {
			outs = append(outs, Outcome{Item: it, State: OutboxDone, RemoteID: "auth-" + it.PersonKey})
		}
		if _, _, err := s.Finish(ctx, worker, outs); err != nil {
			b.Error(err)
			return done
		}
		done += len(outs)
	}
}
