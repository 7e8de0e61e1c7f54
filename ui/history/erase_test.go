package history

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

// runUntil works the outbox in the background until the test ends.
func runUntil(t *testing.T, d *demo.Demo) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Station.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("outbox worker: %v", err)
		}
	})
}

func TestEraseEverywhereIsConfirmedAndFollowedToTheEnd(t *testing.T) {
	d := startDemo(t, 2)
	runOutbox(t, d)
	if where := d.Holders("demo-0001"); len(where) != 4 {
		t.Fatalf("before the erase the person is on %v", where)
	}
	gateBefore := d.Sims.Gate.State().Subjects
	m := newTestModel(t, FromStation(d.Station))
	waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 2 })
	m.Select("demo-0001")
	waitFor(t, m, "the detail", func(s State) bool { return s.Detail != nil && !s.Detail.Loading })

	m.PrepareErase()
	st := waitFor(t, m, "the erase plan", func(s State) bool { return s.ErasePlan != nil && !s.ErasePlan.Loading })
	plan := st.ErasePlan
	var names []string
	for _, tg := range plan.Targets {
		names = append(names, tg.Name)
	}
	slices.Sort(names)
	want := []string{demo.GateName, demo.CloudName, demo.LobbyName, demo.OfficeName}
	slices.Sort(want)
	if !slices.Equal(names, want) || plan.Captures != 1 || plan.Blobs != 5 || plan.Name != "Aiko Tanaka" || plan.Problem != nil {
		t.Fatalf("plan %+v, targets %v", plan, names)
	}
	// Cancelling erases nothing.
	m.CancelErase()
	if st := m.State(); st.ErasePlan != nil || st.Erase != nil {
		t.Fatalf("after cancel: %+v %+v", st.ErasePlan, st.Erase)
	}
	m.PrepareErase()
	waitFor(t, m, "the erase plan again", func(s State) bool { return s.ErasePlan != nil && !s.ErasePlan.Loading })

	// Every state a step passes through, as the screen sees it.
	var mu sync.Mutex
	var seen []enroll.OutboxState
	unsub := m.Subscribe(func() {
		mu.Lock()
		defer mu.Unlock()
		if e := m.State().Erase; e != nil {
			for _, s := range e.Steps {
				if len(seen) == 0 || seen[len(seen)-1] != s.State {
					seen = append(seen, s.State)
				}
			}
		}
	})
	defer unsub()
	m.ConfirmErase()
	if st := m.State(); st.Erase == nil || st.Erase.PersonKey != "demo-0001" || st.ErasePlan != nil {
		t.Fatalf("right after confirm: %+v", st.Erase)
	}
	waitFor(t, m, "the deletes queued", func(s State) bool { return s.Erase.Queued && len(s.Erase.Steps) == 4 })
	if f := m.State().Erase.Fraction(); f != 0 {
		t.Errorf("fraction %v before any delete", f)
	}
	runUntil(t, d)
	st = waitFor(t, m, "the journal erased", func(s State) bool { return s.Erase.JournalErased })
	for _, s := range st.Erase.Steps {
		if s.State != enroll.OutboxDone || s.Op != "delete" {
			t.Errorf("step on %s: %s %s %q", s.TargetName, s.Op, s.State, s.LastError)
		}
	}
	if f := st.Erase.Fraction(); f != 1 || st.Erase.Problem != nil {
		t.Errorf("fraction %v, problem %+v", f, st.Erase.Problem)
	}
	mu.Lock()
	if !slices.Contains(seen, enroll.OutboxPending) {
		t.Errorf("steps seen %v", seen)
	}
	mu.Unlock()
	st = waitFor(t, m, "the page without the person", func(s State) bool { return settled(s) && s.Total == 1 && s.Detail == nil })
	if st.Selected != "" || st.People[0].Key != "demo-0002" {
		t.Fatalf("after the erase: selected %q, people %v", st.Selected, keysOf(st.People))
	}
	page, err := d.Station.Store().SearchPeople(t.Context(), enroll.Query{Text: "demo-0001"})
	if err != nil || page.Total != 0 {
		t.Fatalf("journal still finds the person: %d, %v", page.Total, err)
	}
	if where := d.Holders("demo-0001"); len(where) != 0 {
		t.Errorf("after the erase the person is still on %v", where)
	}
	if n := d.Sims.Gate.State().Subjects; n != gateBefore-1 {
		t.Errorf("the gate holds %d subjects, had %d", n, gateBefore)
	}
	if where := d.Holders("demo-0002"); len(where) != 4 {
		t.Errorf("the other person is only on %v", where)
	}
	m.DismissErase()
	if m.State().Erase != nil {
		t.Error("the erase stays after dismiss")
	}
}
