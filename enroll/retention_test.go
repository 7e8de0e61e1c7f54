package enroll_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/store"
)

// People past the schedule are erased from every simulator and the journal, and nobody else.
func TestRetentionSweepErasesOnlyThePeoplePastTheSchedule(t *testing.T) {
	d, err := demo.Start(t.Context(), demo.Options{People: 3, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ctx, st := t.Context(), d.Station.Store()
	now := time.Now()
	// Someone valid for a long while yet, with the eyes of a demo person.
	caps, err := st.Captures(ctx, "demo-0003")
	if err != nil || len(caps) != 1 {
		t.Fatalf("captures: %v, %v", caps, err)
	}
	keeper := store.Person{Key: "keeper", GivenName: "Kept", FamilyName: "Long", ValidUntil: now.AddDate(1, 0, 0),
		ConsentAt: now, ConsentBy: "op1"}
	eyes, err := st.Capture(ctx, caps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := d.Station.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var all []store.TargetID
	for _, tg := range targets {
		all = append(all, tg.ID)
	}
	if _, err := st.SaveCapture(ctx, keeper, store.Capture{DeviceSerial: "EF45", Operator: "op1", Blobs: eyes.Blobs}, all); err != nil {
		t.Fatal(err)
	}
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	everywhere := []string{demo.GateName, demo.LobbyName, demo.OfficeName, demo.CloudName}
	for _, k := range []string{"demo-0001", "demo-0002", "demo-0003", "keeper"} {
		if got := d.Holders(k); len(got) != len(everywhere) {
			t.Fatalf("before the sweep %s is on %v", k, got)
		}
	}

	// No schedule: a sweep erases nobody.
	if erased, err := d.Station.SweepRetention(ctx, now.AddDate(0, 0, 400), "retention"); err != nil || len(erased) != 0 {
		t.Fatalf("sweep without a schedule: %v, %v", erased, err)
	}
	for _, bad := range []int{-1, enroll.MaxRetentionDays + 1} {
		if err := d.Station.SetRetentionDays(ctx, bad, "tech"); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("a schedule of %d days: %v", bad, err)
		}
	}
	if err := d.Station.SetRetentionDays(ctx, 30, "tech"); err != nil {
		t.Fatal(err)
	}
	later := now.AddDate(0, 0, 40) // the demo people enrolled 40 days before, with no end of validity
	rep, err := d.Station.Retention(ctx, later, 10)
	if err != nil || rep.AfterDays != 30 || len(rep.Due) != 3 || len(rep.Next) != 1 || rep.Next[0].PersonKey != "keeper" {
		t.Fatalf("report %+v, %v", rep, err)
	}
	if want := keeper.ValidUntil.AddDate(0, 0, 30); rep.Next[0].Due.Sub(want).Abs() > time.Second || !rep.Next[0].ValidityEnd {
		t.Fatalf("keeper due %v, want %v", rep.Next[0].Due, want)
	}

	erased, err := d.Station.SweepRetention(ctx, later, "retention")
	if err != nil || len(erased) != 3 {
		t.Fatalf("sweep: %v, %v", erased, err)
	}
	// A second sweep before the erases are done queues nothing again.
	if again, err := d.Station.SweepRetention(ctx, later, "retention"); err != nil || len(again) != 0 {
		t.Fatalf("second sweep: %v, %v", again, err)
	}
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"demo-0001", "demo-0002", "demo-0003"} {
		if got := d.Holders(k); len(got) != 0 {
			t.Errorf("after the sweep %s is still on %v", k, got)
		}
		if _, err := st.Person(ctx, k); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after the sweep %s is still in the journal: %v", k, err)
		}
	}
	if got := d.Holders("keeper"); !slices.Equal(got, everywhere) {
		t.Errorf("the person still valid is on %v only", got)
	}
	if _, err := st.Person(ctx, "keeper"); err != nil {
		t.Errorf("the person still valid left the journal: %v", err)
	}
	rep, err = d.Station.Retention(ctx, later, 10)
	if err != nil || rep.LastErased != 0 || rep.LastSweep.IsZero() || len(rep.Due) != 0 {
		t.Fatalf("report after: %+v, %v", rep, err)
	}
	ev, err := st.AuditLog(ctx, store.AuditQuery{Action: store.ActionRetention})
	if err != nil || len(ev) != 2 || ev[1].Detail != "retention sweep (30 days): 3 people queued for erase everywhere" {
		t.Fatalf("audit: %+v, %v", ev, err)
	}
	if r, err := st.Verify(ctx); err != nil || !r.OK() {
		t.Fatalf("verify: %v %v", err, r.Problems)
	}
}

// A running station sweeps at start: a person whose validity ended before the schedule's
// days is erased without anyone asking.
func TestRunningStationSweepsTheSchedule(t *testing.T) {
	d, err := demo.Start(t.Context(), demo.Options{People: 1, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ctx, st := t.Context(), d.Station.Store()
	caps, err := st.Captures(ctx, "demo-0001")
	if err != nil || len(caps) != 1 {
		t.Fatalf("captures: %v, %v", caps, err)
	}
	eyes, err := st.Capture(ctx, caps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	gone := store.Person{Key: "left-in-march", GivenName: "Gone", ValidUntil: time.Now().AddDate(0, 0, -3), ConsentAt: time.Now(), ConsentBy: "op1"}
	if _, err := st.SaveCapture(ctx, gone, store.Capture{Operator: "op1", Blobs: eyes.Blobs}, nil); err != nil {
		t.Fatal(err)
	}
	if err := d.Station.SetRetentionDays(ctx, 2, "tech"); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Station.Run(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := st.Person(ctx, "left-in-march")
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running station did not sweep: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if _, err := st.Person(ctx, "demo-0001"); err != nil {
		t.Fatalf("the person enrolled today was erased too: %v", err)
	}
}
