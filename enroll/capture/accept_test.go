package capture

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"

	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/store"
)

// queueSpy records the rows it is told of and what the camera held at that moment.
type queueSpy struct {
	dev  *ef45sim.Device
	mu   sync.Mutex
	ids  []int64
	seen ef45sim.State
}

func (q *queueSpy) Queued(_ context.Context, ids ...int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, ids...)
	q.seen = q.dev.State()
}

func TestAcceptTellsTheQueueBeforeTheCameraIsReleased(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{})
	var targets []store.TargetID
	for _, name := range []string{"door", "gate"} {
		tg, err := r.journal.AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: name, Address: "192.0.2.1:9980", Enabled: true}, "tech")
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg.ID)
	}
	res, err := r.session(SessionOptions{Gates: lenient()}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q := &queueSpy{dev: r.dev}
	// AcceptFailedGates: on a loaded machine the short capture may end before a preview frame.
	saved, err := res.Accept(ctx, WithQueue(r.journal, q), person("p-q"), targets, Decisions{Operator: "desk", AcceptFailedGates: true})
	if err != nil {
		t.Fatal(err)
	}
	type told struct {
		IDs      []int64
		LockHeld bool
		Items    int
	}
	want := told{IDs: saved.Outbox, LockHeld: true, Items: 1}
	got := told{IDs: q.ids, LockHeld: q.seen.LockHeld, Items: q.seen.BiometricItems}
	if len(saved.Outbox) != 2 || !reflect.DeepEqual(got, want) {
		t.Errorf("queue told %+v, want %+v (the rows, while the camera still holds the item and the lock)", got, want)
	}
	if st := r.dev.State(); st.LockHeld || st.BiometricItems != 0 {
		t.Errorf("after accept: lock held %v, items %d", st.LockHeld, st.BiometricItems)
	}
}

func TestAcceptKeepsGatesAndDecisionsInTheQuality(t *testing.T) {
	const key = "6f1f0c1e-6a43-4a8e-9a57-0c2f1d7e2a10"
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{})
	enrolOnCamera(t, r, key)
	strict := *lenient()
	strict.MinUsableIrisArea = 101 // no eye reaches it
	res, err := r.session(SessionOptions{Gates: &strict}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	area := 0
	for _, g := range res.FailedGates() {
		if strings.HasSuffix(g.Name, "usable area") {
			area++
		}
	}
	if area != 2 || len(res.Duplicates) != 1 {
		t.Fatalf("failed gates %v, duplicates %v: want both eyes' area and one duplicate", res.FailedGates(), res.Duplicates)
	}
	saved, err := res.Accept(ctx, r.journal, person("p-new"), nil,
		Decisions{Operator: "desk", AcceptFailedGates: true, Duplicate: NewPerson})
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.journal.Capture(ctx, saved.CaptureID)
	if err != nil {
		t.Fatal(err)
	}
	want := &store.Review{Operator: "desk", GatesOverridden: true, Duplicates: []string{key}, DuplicateDecision: NewPerson.String()}
	for _, g := range res.Gates {
		want.Gates = append(want.Gates, store.GateCheck{Name: g.Name, Figure: g.Figure, Limit: g.Limit, Pass: g.Pass})
	}
	if !reflect.DeepEqual(c.Quality.Review, want) {
		t.Errorf("review kept with the capture:\n got %+v\nwant %+v", c.Quality.Review, want)
	}
	rows, err := r.journal.AuditLog(ctx, store.AuditQuery{Action: ActionGateOverride})
	if err != nil {
		t.Fatal(err)
	}
	// The first enrollment may have had its own override on a loaded machine (enrolOnCamera);
	// this acceptance makes exactly one for its person.
	mine := 0
	for _, row := range rows {
		if row.PersonKey == saved.PersonKey {
			mine++
		}
	}
	if mine != 1 {
		t.Errorf("gate override audit rows %+v, want one for %s", rows, saved.PersonKey)
	}
}
