package push_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/enroll/push"
	"enrollstation/enroll/target"
	"enrollstation/store"
)

// BenchmarkOutboxToTwoACTAtek pushes 1,000 people through the outbox to two ACTAtek
// simulators and compares the rate with the client's raw rate (addUser with the same
// concurrency, no journal) measured in the same run. Five rounds of each alternate and the
// medians are compared, so a machine that slows down for a moment shifts both alike.
func BenchmarkOutboxToTwoACTAtek(b *testing.B) {
	const people, rounds = 1000, 5
	var outbox, raw, outboxCPU, rawCPU []float64
	for b.Loop() {
		outbox, raw, outboxCPU, rawCPU = outbox[:0], raw[:0], outboxCPU[:0], rawCPU[:0]
		for range rounds {
			r := inRound(b, rawRound, people)
			raw, rawCPU = append(raw, r.rate), append(rawCPU, r.cpu)
			r = inRound(b, outboxRound, people)
			outbox, outboxCPU = append(outbox, r.rate), append(outboxCPU, r.cpu)
		}
	}
	o, r := median(outbox), median(raw)
	b.ReportMetric(o, "people/s")
	b.ReportMetric(r, "raw-people/s")
	b.ReportMetric(o/r, "ratio-to-raw")
	// The CPU both spend per person (simulators included) tells whether the machine's cores
	// or the pipeline's waits set the pace.
	if c := median(outboxCPU); c > 0 {
		b.ReportMetric(c, "cpu-µs/person")
		b.ReportMetric(median(rawCPU), "raw-cpu-µs/person")
	}
}

// round is one timed run: items (people, rows) per second, and CPU microseconds per item
// (0 where the system does not say).
type round struct{ rate, cpu float64 }

// roundScope is b for one round: what the round starts is closed when the round ends, so
// a round does not carry the simulators and journals of the rounds before it (their heap
// would make each round slower than the last).
type roundScope struct {
	testing.TB
	cleanups []func()
}

func (r *roundScope) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// inRound runs one round of fn in a scope of its own.
func inRound(b *testing.B, fn func(testing.TB, int) round, people int) round {
	r := &roundScope{TB: b}
	defer func() {
		for i := len(r.cleanups) - 1; i >= 0; i-- {
			r.cleanups[i]()
		}
	}()
	return fn(r, people)
}

// timed measures fn, which handles n items, from a collected heap: the garbage of what
// ran before is not fn's to collect.
func timed(n int, fn func()) round {
	runtime.GC()
	start, cpu := time.Now(), processCPU()
	fn()
	used := processCPU() - cpu
	return round{rate: float64(n) / time.Since(start).Seconds(), cpu: float64(used.Microseconds()) / float64(n)}
}

// outboxRound saves people for the two terminals and returns the rate at which the
// outbox pushes them.
func outboxRound(b testing.TB, people int) round {
	ctx := context.Background()
	s := startSims(b)
	e := newEnv(b, s, push.Config{})
	// Only the two terminals: disable the other targets.
	for i, id := range e.ids {
		if s.targets[i].Kind != store.TargetACTAtek {
			tg, _ := e.st.Target(ctx, id)
			tg.Enabled = false
			if err := e.st.UpdateTarget(ctx, tg, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	}
	face := faceJPEG(b, 1)
	for i := range people {
		if _, err := e.st.SaveCapture(ctx, person(i), capture(b, face, i), []store.TargetID{e.ids[2], e.ids[3]}); err != nil {
			b.Fatal(err)
		}
	}
	r := timed(people, func() {
		if err := e.station.RunOnce(ctx); err != nil {
			b.Fatal(err)
		}
	})
	if got := e.states(b)[store.OutboxDone]; got != 2*people {
		b.Fatalf("%d rows done, want %d", got, 2*people)
	}
	return r
}

// rawRound adds the same users to two fresh terminals straight through the client and
// returns the rate: the outbox's users, with the template and photo of the same captures.
func rawRound(b testing.TB, people int) round {
	ctx := context.Background()
	s := startSims(b)
	face := faceJPEG(b, 1)
	templates := make([][]byte, people) // made before the clock starts, as the outbox's are saved
	for i := range templates {
		templates[i] = faceFeature(b, face, i)
	}
	return timed(people, func() {
		var wg sync.WaitGroup
		for ti := range 2 {
			sim := s.actatek[ti]
			tg := s.targets[2+ti]
			c, err := actatek.New(tg.Address, actatek.Options{Credentials: sim.Credentials(), PinSHA256: tg.CertPin})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { c.Close() })
			jobs := make(chan int)
			for range push.DefaultConcurrency(store.TargetACTAtek) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range jobs {
						p := person(i)
						u := actatek.User{UserID: p.Key, FirstName: p.GivenName, LastName: p.FamilyName,
							FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: target.DefaultFacialTemplateType,
								Template: templates[i], Photo: face}}}
						if _, err := c.Users.Add(ctx, u); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			go func() {
				for i := range people {
					jobs <- i
				}
				close(jobs)
			}()
		}
		wg.Wait()
	})
}

// faceFeature is the face template of capture i, which a push to a terminal sends.
func faceFeature(b testing.TB, face []byte, i int) []byte {
	for _, bl := range capture(b, face, i).Blobs {
		if bl.Kind == store.FaceFeature {
			return bl.Data
		}
	}
	b.Fatal("the capture has no face template")
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkRestartToClaim is the time from a new worker starting on a journal whose rows a
// killed process left in flight (long leases) to its first claimed row.
func BenchmarkRestartToClaim(b *testing.B) {
	ctx := context.Background()
	s := startSims(b)
	e := newEnv(b, s, push.Config{})
	e.enrollN(b, 1, 20)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		b.Fatal(err)
	}
	host, _, _ := splitName(push.DefaultName())
	var total time.Duration
	for b.Loop() {
		owner := fmt.Sprintf("%s:%d:dead", host, dead.Process.Pid)
		if _, err := e.st.ClaimDue(ctx, owner, time.Now(), time.Hour, 100); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		w, err := push.New(push.Config{Store: e.st, Open: nilOpener})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Recover(ctx); err != nil {
			b.Fatal(err)
		}
		items, err := e.st.ClaimDue(ctx, w.Name(), time.Now(), time.Minute, 1)
		if err != nil || len(items) != 1 {
			b.Fatalf("claim after restart: %d rows, %v", len(items), err)
		}
		total += time.Since(start)
		// Put the row back for the next round.
		if _, err := e.st.ReleaseLeases(ctx, w.Name(), time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-restart-to-claim")
}

// BenchmarkOutboxBookkeeping is the worker's own cost: 1,000 people for two targets that
// answer at once, so the figures are the journal's claims, reads and commits per row, in
// time and in CPU (where the system reports it).
func BenchmarkOutboxBookkeeping(b *testing.B) {
	const people = 1000
	ctx := context.Background()
	var perRow, cpuPerRow float64 // summed over the runs
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "journal.db"), bytes.Repeat([]byte{7}, 32))
		if err != nil {
			b.Fatal(err)
		}
		var ids []store.TargetID
		for i := range 2 {
			tg, err := st.AddTarget(ctx, store.Target{Kind: store.TargetACTAtek, Name: fmt.Sprint("T", i), Address: fmt.Sprintf("https://t%d", i), Enabled: true}, "bench")
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, tg.ID)
		}
		face := faceJPEG(b, 1)
		for i := range people {
			if _, err := st.SaveCapture(ctx, person(i), capture(b, face, i), ids); err != nil {
				b.Fatal(err)
			}
		}
		w, err := push.New(push.Config{Store: st, Open: func(_ context.Context, t store.Target) (target.Target, error) { return instant{t}, nil }})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r := timed(2*people, func() {
			if err := w.RunOnce(ctx); err != nil {
				b.Fatal(err)
			}
		})
		perRow, cpuPerRow = perRow+1e6/r.rate, cpuPerRow+r.cpu
		b.StopTimer()
		w.Close()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(perRow/float64(b.N), "µs/row")
	if cpuPerRow > 0 {
		b.ReportMetric(cpuPerRow/float64(b.N), "cpu-µs/row")
	}
}

// instant is a target that takes every push at once.
type instant struct{ t store.Target }

func (i instant) Info() store.Target { return i.t }
func (i instant) Push(_ context.Context, rec target.Record) (string, error) {
	return rec.Person.Key, nil
}
func (instant) Delete(context.Context, target.Ref) error            { return nil }
func (instant) Inventory(context.Context) (target.Inventory, error) { return target.Inventory{}, nil }
func (instant) Health(context.Context) target.Health                { return target.Health{Reachable: true} }
func (instant) Close() error                                        { return nil }
