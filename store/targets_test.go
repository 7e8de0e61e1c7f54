package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestTargetsCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	in := Target{Kind: TargetCLUe, Name: "HQ", Address: "https://api.moon.supremainc.com", Account: "place-12",
		SecretRef: "clue/place-12/api-key", CertPin: "sha256:ab12", Options: map[string]string{"path_prefix": "/v1/be"}, Enabled: true}
	added, err := s.AddTarget(ctx, in, "tech")
	if err != nil {
		t.Fatal(err)
	}
	if added.ID == 0 || added.CreatedAt.IsZero() {
		t.Fatalf("added = %+v", added)
	}
	got, err := s.Target(ctx, added.ID)
	if err != nil {
		t.Fatal(err)
	}
	in.ID, in.CreatedAt, in.UpdatedAt = added.ID, got.CreatedAt, got.UpdatedAt
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("read back %+v, want %+v", got, in)
	}
	if _, err := s.AddTarget(ctx, Target{Kind: TargetEF45, Name: "HQ"}, "tech"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("duplicate name: %v", err)
	}
	for _, bad := range []Target{{Kind: "door", Name: "x"}, {Kind: TargetEF45}, {Kind: TargetEF45, Name: "x\n"}} {
		if _, err := s.AddTarget(ctx, bad, "tech"); !errors.Is(err, ErrInvalid) {
			t.Errorf("AddTarget(%+v): %v", bad, err)
		}
	}
	got.Enabled = false
	got.Address = "https://eu.api"
	if err := s.UpdateTarget(ctx, got, "tech"); err != nil {
		t.Fatal(err)
	}
	if g, _ := s.Target(ctx, got.ID); g.Enabled || g.Address != "https://eu.api" {
		t.Fatalf("after update %+v", g)
	}
	if err := s.UpdateTarget(ctx, Target{ID: 99, Kind: TargetEF45, Name: "x"}, "tech"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of a missing target: %v", err)
	}
	gate := addTarget(t, s, TargetEF45, "Gate")
	list, err := s.Targets(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "Gate" || list[1].Name != "HQ" {
		t.Fatalf("Targets = %+v, %v", list, err)
	}
	// A target with pushes keeps its history.
	if _, err := s.SaveCapture(ctx, testPerson("k1", "A", "B"), testCapture("1"), []TargetID{gate}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTarget(ctx, gate, "tech"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("delete of a target with pushes: %v", err)
	}
	if err := s.DeleteTarget(ctx, got.ID, "tech"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Target(ctx, got.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Target after delete: %v", err)
	}
	if err := s.DeleteTarget(ctx, got.ID, "tech"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	ev, _ := s.AuditLog(ctx, AuditQuery{Action: ActionTarget})
	if len(ev) != 4 || ev[0].Detail != `deleted target "HQ"` || ev[0].Target != got.ID {
		t.Fatalf("target audit: %+v", ev)
	}
}
