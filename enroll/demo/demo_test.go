package demo_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/store"
)

// Demo mode starts with its targets and people, and every first push reaches every
// simulator.
func TestDemoStartsWithTargetsAndPeoplePushedEverywhere(t *testing.T) {
	ctx := context.Background()
	d, err := demo.Start(ctx, demo.Options{People: 3, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := d.Close(); err != nil {
			t.Error(err)
		}
	}()
	targets, err := d.Station.Targets(ctx)
	if err != nil || len(targets) != 4 {
		t.Fatalf("targets: %+v, %v", targets, err)
	}
	page, err := d.Station.Store().SearchPeople(ctx, store.Query{})
	if err != nil || page.Total != 3 {
		t.Fatalf("people: %d, %v", page.Total, err)
	}
	run, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := d.Station.RunOnce(run); err != nil {
		t.Fatal(err)
	}
	counts, err := d.Station.Store().OutboxCounts(ctx)
	if err != nil || counts[enroll.OutboxDone] != 3*4 {
		t.Fatalf("outbox after the first pushes: %v, %v", counts, err)
	}
	if n := d.Sims.Gate.State().Subjects; n != 3 {
		t.Errorf("the gate holds %d subjects", n)
	}
	for i, a := range d.Sims.ACTAtek {
		if n := a.Stats().Users; n != 3 {
			t.Errorf("terminal %d holds %d users", i+1, n)
		}
	}
	// The camera answers.
	c, err := ef45.New(d.Camera)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c.Version(ctx); err != nil || v == "" {
		t.Fatalf("camera version %q, %v", v, err)
	}
}

// Close removes the temporary folder the demo made.
func TestCloseRemovesTheDemoFolder(t *testing.T) {
	d, err := demo.Start(context.Background(), demo.Options{People: -1, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	dir := d.Dir
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("demo folder still there: %v", err)
	}
}
