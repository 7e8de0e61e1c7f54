package push_test

import (
	"errors"
	"reflect"
	"testing"

	"enrollstation/store"
)

// One RunOnce finishes an erase: when it returns, every target has deleted the person and
// the journal has forgotten them. (The last delete to end used to be able to slip past
// the pass that would erase the journal's copy, leaving it for the next run.)
func TestOneRunOnceFinishesEachErase(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := startSims(t)
	e := newEnv(t, s, fastPush())
	keys := e.enrollN(t, 1, 12)
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if err := e.station.Erase(ctx, k, "op1"); err != nil {
			t.Fatal(err)
		}
		if err := e.station.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.st.Person(ctx, k); !errors.Is(err, store.ErrNotFound) {
			rows, _ := e.st.Outbox(ctx, k)
			t.Fatalf("erase %d of %d: after RunOnce %s is still in the journal (%v); rows %+v", i+1, len(keys), k, err, rows)
		}
	}
	if got := e.holdings(t, keys); !reflect.DeepEqual(got, want(0)) {
		t.Fatalf("holdings after every erase: %v", got)
	}
}
