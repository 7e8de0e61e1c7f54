package push

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"enrollstation/store"
)

// Outcomes recorded at once share commits, and each caller gets its own row back only
// once it is in the journal.
func TestCommitterGroups(t *testing.T) {
	ctx := t.Context()
	key := make([]byte, 32)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "journal.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tg, err := st.AddTarget(ctx, store.Target{Kind: store.TargetACTAtek, Name: "door", Address: "https://door", Enabled: true}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
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
	c := &committer{st: st, worker: "w"}
	var wg sync.WaitGroup
	got := make([]store.OutboxItem, n)
	errs := make([]error, n)
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = c.record(ctx, store.Outcome{Item: it, State: store.OutboxDone, RemoteID: it.PersonKey})
			if errs[i] != nil {
				return
			}
			// Told only after the commit: the row already reads as recorded.
			now, err := st.OutboxItem(ctx, it.ID)
			if err != nil || now != got[i] {
				errs[i] = fmt.Errorf("row %d reads %+v, %v; recorded %+v", it.ID, now, err, got[i])
			}
		}()
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
	// Rows that were committed together carry the same time; fewer commits than rows.
	commits := map[time.Time]bool{}
	for _, it := range got {
		commits[it.UpdatedAt] = true
	}
	if len(commits) >= n {
		t.Fatalf("%d rows took %d commits", n, len(commits))
	}
}
