package ef45_test

import (
	"context"
	"errors"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestLogsListRangeAndDelete(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	for i := 0; i < 5; i++ { // every operation appends a log entry
		if err := s.Camera.Set(ctx, ef45.ModeSlave, false); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Logs.List(ctx, nil)
	if err != nil || len(all.Items) < 5 {
		t.Fatalf("logs: %d, %v", len(all.Items), err)
	}
	first, last := int(all.Items[0].ID), int(all.Items[len(all.Items)-1].ID)
	newest, err := s.Logs.List(ctx, &ef45.LogOptions{ListOptions: ef45.ListOptions{Page: 1, PageSize: 2}, Newest: true})
	if err != nil || len(newest.Items) != 2 || newest.Items[0].ID < newest.Items[1].ID {
		t.Fatalf("newest first: %+v, %v", newest.Items, err)
	}

	r, err := s.Logs.Range(ctx, first+1, first+2, nil)
	if err != nil || len(r.Items) != 2 || int(r.Items[0].ID) != first+1 {
		t.Fatalf("range: %+v, %v", r.Items, err)
	}
	one, err := s.Logs.Get(ctx, first)
	if err != nil || int(one.ID) != first || one.EventType == "" {
		t.Fatalf("get: %+v, %v", one, err)
	}
	if err := s.Logs.Delete(ctx, first); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Logs.Get(ctx, first); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("deleted log: %v", err)
	}
	if err := s.Logs.DeleteRange(ctx, first+1, first+2); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Logs.Range(ctx, first, first+2, nil); len(r.Items) != 0 {
		t.Fatalf("range left after delete: %+v", r.Items)
	}
	if err := s.Logs.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := s.Logs.Range(ctx, first, last, nil)
	if err != nil || len(after.Items) != 0 {
		t.Fatalf("after delete all: %d old entries, %v", len(after.Items), err)
	}
}
