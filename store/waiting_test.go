package store

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func waitingKeys(t *testing.T, s *Store) []string {
	t.Helper()
	list, err := s.Waiting(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range list {
		keys = append(keys, p.Key+":"+p.GivenName)
	}
	return keys
}

func TestWaitingListKeepsOrderAndFields(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	if _, err := s.NextWaiting(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("next of an empty list: %v", err)
	}
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	want := Person{Key: "w-1", GivenName: "Hanako", FamilyName: "山田", CardNumber: "42", Department: "Lab",
		AccessGroups: []string{"Lobby"}, ValidFrom: from, ValidUntil: from.AddDate(1, 0, 0)}
	out, err := s.AddWaiting(ctx, []Person{want, {Key: "w-2", GivenName: "Ada"}}, false)
	if err != nil || !reflect.DeepEqual(out, []WaitingOutcome{WaitingAdded, WaitingAdded}) {
		t.Fatalf("add: %v, %v", out, err)
	}
	if _, err := s.AddWaiting(ctx, []Person{{Key: "w-3", GivenName: "Alan"}}, false); err != nil {
		t.Fatal(err)
	}
	if got := waitingKeys(t, s); !reflect.DeepEqual(got, []string{"w-1:Hanako", "w-2:Ada", "w-3:Alan"}) {
		t.Fatalf("list %v", got)
	}
	next, err := s.NextWaiting(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next.CreatedAt, next.UpdatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(next, want) {
		t.Fatalf("next %+v, want %+v", next, want)
	}
	if err := s.RemoveWaiting(ctx, "w-2"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveWaiting(ctx, "w-2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
	if got := waitingKeys(t, s); !reflect.DeepEqual(got, []string{"w-1:Hanako", "w-3:Alan"}) {
		t.Fatalf("list after remove %v", got)
	}
}

func TestWaitingKeepOrOverwriteKnownKeys(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	if _, err := s.SaveCapture(ctx, testPerson("done-1", "Ada", "Lovelace"), testCapture("a"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddWaiting(ctx, []Person{{Key: "w-1", GivenName: "Old"}}, false); err != nil {
		t.Fatal(err)
	}
	batch := []Person{{Key: "w-1", GivenName: "New"}, {Key: "done-1", GivenName: "Augusta"}, {Key: "w-2", GivenName: "Alan"}}
	out, err := s.AddWaiting(ctx, batch, false)
	if err != nil || !reflect.DeepEqual(out, []WaitingOutcome{WaitingKept, WaitingKept, WaitingAdded}) {
		t.Fatalf("keep: %v, %v", out, err)
	}
	if got := waitingKeys(t, s); !reflect.DeepEqual(got, []string{"w-1:Old", "w-2:Alan"}) {
		t.Fatalf("list after keep %v", got)
	}
	out, err = s.AddWaiting(ctx, batch, true)
	if err != nil || !reflect.DeepEqual(out, []WaitingOutcome{WaitingOverwritten, WaitingOverwritten, WaitingOverwritten}) {
		t.Fatalf("overwrite: %v, %v", out, err)
	}
	// An overwritten row keeps its place; a person enrolled before joins at the end.
	if got := waitingKeys(t, s); !reflect.DeepEqual(got, []string{"w-1:New", "w-2:Alan", "done-1:Augusta"}) {
		t.Fatalf("list after overwrite %v", got)
	}
	if p, err := s.Person(ctx, "done-1"); err != nil || p.GivenName != "Ada" {
		t.Fatalf("the enrolled person changed: %+v, %v", p, err)
	}
}

func TestWaitingRefusesInvalidPeopleWhole(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	_, err := s.AddWaiting(ctx, []Person{{Key: "ok-1", GivenName: "A"}, {Key: "bad key", GivenName: "B"}}, false)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid key: %v", err)
	}
	if got := waitingKeys(t, s); len(got) != 0 {
		t.Fatalf("a refused batch left %v", got)
	}
}

func TestEnrollingOrErasingTakesOffTheWaitingList(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	if _, err := s.AddWaiting(ctx, []Person{{Key: "w-1", GivenName: "Ada"}, {Key: "w-2", GivenName: "Alan"}, {Key: "w-3", GivenName: "Grace"}}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCapture(ctx, testPerson("w-1", "Ada", "Lovelace"), testCapture("a"), nil); err != nil {
		t.Fatal(err)
	}
	if got := waitingKeys(t, s); !reflect.DeepEqual(got, []string{"w-2:Alan", "w-3:Grace"}) {
		t.Fatalf("list after enrolling w-1: %v", got)
	}
	if _, err := s.SaveCapture(ctx, testPerson("w-3", "Grace", "Hopper"), testCapture("g"), nil); err != nil {
		t.Fatal(err)
	}
	// w-3 was enrolled, then imported again with overwrite, then erased.
	if _, err := s.AddWaiting(ctx, []Person{{Key: "w-3", GivenName: "Grace"}}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx, "w-3", "op1"); err != nil {
		t.Fatal(err)
	}
	if got := waitingKeys(t, s); !reflect.DeepEqual(got, []string{"w-2:Alan"}) {
		t.Fatalf("list after erasing w-3: %v", got)
	}
}
