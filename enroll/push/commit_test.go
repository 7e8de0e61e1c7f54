package push

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"enrollstation/enroll/target"
	"enrollstation/store"
)

// Outcomes recorded at once share commits, and each caller gets its own row back only
// once it is in the journal.
func TestCommitterGroups(t *testing.T) {
	const n = 40
	st, items := claimedRows(t, n)
	c := &committer{st: st, worker: "w"}
	got := recordAll(t, c, items)
	if commits := commitsOf(got); commits >= n {
		t.Fatalf("%d rows took %d commits", n, commits)
	}
}

// A commit waits for the outcomes still to come, and no longer once every row the worker
// holds has queued its own: the last rows of a batch are not held back a window.
func TestCommitterWaitsOnlyForOutcomesToCome(t *testing.T) {
	const n = 3
	st, items := claimedRows(t, n)
	// Every outcome is in as soon as the third is queued: a window of an hour is not waited.
	c := &committer{st: st, worker: "w", outstanding: func() int { return n }, window: time.Hour}
	done := make(chan []store.OutboxItem)
	go func() { done <- recordAll(t, c, items) }()
	select {
	case got := <-done:
		if commits := commitsOf(got); commits != 1 {
			t.Fatalf("%d outcomes took %d commits, want 1", n, commits)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the commit waited out its window although every outcome was queued")
	}

	// A fourth row still held: the commit waits its window for it, then commits the three.
	st, items = claimedRows(t, n)
	const window = time.Second
	c = &committer{st: st, worker: "w", outstanding: func() int { return n + 1 }, window: window}
	start := time.Now()
	got := recordAll(t, c, items)
	if waited := time.Since(start); waited < window {
		t.Fatalf("committed after %v, before its %v window", waited, window)
	}
	if commits := commitsOf(got); commits != 1 {
		t.Fatalf("%d outcomes took %d commits, want 1", n, commits)
	}
}

// A leader that goes on to a second commit does not wait for the rows it has committed,
// its own among them: they are settled before it gathers again. Two rows commit at once;
// two more queue while that commit is made, and they too commit at once, though the window
// is an hour.
func TestCommitterLeadsOnWithoutWaitingForRowsItCommitted(t *testing.T) {
	st, items := claimedRows(t, 4)
	var mu sync.Mutex
	held := map[int64]bool{items[0].ID: true, items[1].ID: true} // the worker's rows not recorded yet
	c := &committer{st: st, worker: "w", window: time.Hour,
		outstanding: func() int { mu.Lock(); defer mu.Unlock(); return len(held) }}
	second := make(chan []store.OutboxItem, 1)
	settles := 0
	c.settled = func(ids ...int64) {
		mu.Lock()
		for _, id := range ids {
			delete(held, id)
		}
		settles++
		first := settles == 1
		if first {
			held[items[2].ID], held[items[3].ID] = true, true
		}
		mu.Unlock()
		if !first {
			return
		}
		// The calls of two more rows end while the first commit is made.
		go func() { second <- recordAll(t, c, items[2:]) }()
		for queued := 0; queued < 2; time.Sleep(time.Millisecond) {
			c.mu.Lock()
			queued = len(c.queue)
			c.mu.Unlock()
		}
	}
	first := make(chan []store.OutboxItem, 1)
	go func() { first <- recordAll(t, c, items[:2]) }()
	var got []store.OutboxItem
	for _, ch := range []chan []store.OutboxItem{first, second} {
		select {
		case rows := <-ch:
			got = append(got, rows...)
		case <-time.After(20 * time.Second):
			t.Fatal("a commit waited out its window for rows already committed")
		}
	}
	if commits := commitsOf(got); commits != 2 {
		t.Fatalf("4 outcomes took %d commits, want 2", commits)
	}
}

// claimedRows is a journal with n people for one target, their rows claimed by "w".
func claimedRows(t *testing.T, n int) (*store.Store, []store.OutboxItem) {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "journal.db"), make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tg, err := st.AddTarget(ctx, store.Target{Kind: store.TargetACTAtek, Name: "door", Address: "https://door", Enabled: true}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		p := store.Person{Key: fmt.Sprintf("k%02d", i), GivenName: "Ada", FamilyName: fmt.Sprint(i),
			ConsentAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), ConsentBy: "op1"}
		c := store.Capture{DeviceSerial: "EF45", Operator: "op1", Blobs: []store.Blob{{Kind: store.Photo, MediaType: "image/jpeg", Data: []byte{byte(i)}}}}
		if _, err := st.SaveCapture(ctx, p, c, []store.TargetID{tg.ID}); err != nil {
			t.Fatal(err)
		}
	}
	items, err := st.ClaimDue(ctx, "w", time.Now(), time.Minute, n)
	if err != nil || len(items) != n {
		t.Fatalf("claimed %d rows, %v", len(items), err)
	}
	return st, items
}

// recordAll records every row as done through c at once, and checks that each caller is
// told only once its row reads as recorded.
func recordAll(t *testing.T, c *committer, items []store.OutboxItem) []store.OutboxItem {
	t.Helper()
	ctx := t.Context()
	var wg sync.WaitGroup
	got := make([]store.OutboxItem, len(items))
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Go(func() {
			got[i], errs[i] = c.record(ctx, store.Outcome{Item: it, State: store.OutboxDone, RemoteID: it.PersonKey})
			if errs[i] != nil {
				return
			}
			// Told only after the commit: the row already reads as recorded.
			now, err := c.st.OutboxItem(ctx, it.ID)
			if err != nil || now != got[i] {
				errs[i] = fmt.Errorf("row %d reads %+v, %v; recorded %+v", it.ID, now, err, got[i])
			}
		})
	}
	wg.Wait()
	for i := range items {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if got[i].State != store.OutboxDone || got[i].RemoteID != items[i].PersonKey {
			t.Fatalf("row %d = %+v", items[i].ID, got[i])
		}
	}
	return got
}

// commitsOf counts the commits that recorded rows: rows committed together carry the same
// time.
func commitsOf(rows []store.OutboxItem) int {
	commits := map[time.Time]bool{}
	for _, it := range rows {
		commits[it.UpdatedAt] = true
	}
	return len(commits)
}

// A record a claim read for some kinds of target serves their rows; a row for another
// kind reads the whole capture from the journal.
func TestRecordsServeTheKindsTheyWereReadFor(t *testing.T) {
	st, items := claimedRows(t, 1)
	it := items[0]
	r := &records{st: st, entries: map[string]*recordEntry{}}
	r.hold(it.CaptureID)
	r.put(target.Record{CaptureID: it.CaptureID}, []store.TargetKind{store.TargetACTAtek}) // no blob read
	if !r.has(it.CaptureID, []store.TargetKind{store.TargetACTAtek}) || r.has(it.CaptureID, []store.TargetKind{store.TargetACTAtek, store.TargetEF45}) {
		t.Fatal("has does not follow the kinds the record was read for")
	}
	for kind, blobs := range map[store.TargetKind]int{store.TargetACTAtek: 0, store.TargetEF45: 1} {
		it.TargetKind = kind
		rec, err := r.get(t.Context(), it)
		if err != nil || len(rec.Blobs) != blobs {
			t.Errorf("a row for %s got %d blobs (%v), want %d", kind, len(rec.Blobs), err, blobs)
		}
	}
}

// The worker tells its committer how many outcomes are still out: the last rows of a run
// commit at once, though the commit window here is an hour.
func TestWorkerCommitsItsLastOutcomesAtOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	st, items := claimedRows(t, 3)
	if _, err := st.ReleaseLeases(ctx, "w", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	w, err := New(Config{Store: st, Open: func(_ context.Context, t store.Target) (target.Target, error) { return taking{t}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	w.commit.window = time.Hour
	ran := make(chan error, 1)
	go func() { ran <- w.RunOnce(ctx) }()
	select {
	case err := <-ran:
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done(): // the worker is left running: closing it would wait for the hour

		t.Fatal("the last outcomes waited out the commit window")
	}
	for _, it := range items {
		row, err := st.OutboxItem(ctx, it.ID)
		if err != nil || row.State != store.OutboxDone {
			t.Errorf("row %d: %s, %v", it.ID, row.State, err)
		}
	}
}

// taking is a target that takes every push at once.
type taking struct{ t store.Target }

func (a taking) Info() store.Target { return a.t }
func (taking) Push(_ context.Context, rec target.Record) (string, error) {
	return rec.Person.Key, nil
}
func (taking) Delete(context.Context, target.Ref) error            { return nil }
func (taking) Inventory(context.Context) (target.Inventory, error) { return target.Inventory{}, nil }
func (taking) Health(context.Context) target.Health                { return target.Health{Reachable: true} }
func (taking) Close() error                                        { return nil }
