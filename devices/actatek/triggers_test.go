package actatek_test

import (
	"errors"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestTriggers(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	all, err := f.c.Triggers.List(ctx, "")
	if err != nil || len(all) != 42 || all[0].Type != "IN" || all[41].Type != "F40" {
		t.Fatalf("%d triggers, %v", len(all), err)
	}
	lunch := actatek.Trigger{Type: "F3", Name: "Lunch", Enable: true, FreeJobcode: true,
		TimeSpec: actatek.List[actatek.TimeSpec]{{Weekday: "FRIDAY", TimePattern: strings.Repeat("0", 24) + "11" + strings.Repeat("0", 22)}}}
	if err := f.c.Triggers.Update(ctx, lunch); err != nil {
		t.Fatal(err)
	}
	got, err := f.c.Triggers.List(ctx, "F3")
	if err != nil || len(got) != 1 || got[0].Name != "Lunch" || !bool(got[0].Enable) || len(got[0].TimeSpec) != 1 {
		t.Fatalf("%+v %v", got, err)
	}
	if err := f.c.Triggers.Update(ctx, actatek.Trigger{Type: "F30", FreeJobcode: true}); err == nil || !strings.Contains(err.Error(), "F1 to F10") {
		t.Errorf("freeJobcode on F30: %v", err)
	}
	if err := f.c.Triggers.Clear(ctx, "F3"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.c.Triggers.List(ctx, "F3"); len(got[0].TimeSpec) != 0 || got[0].Name != "Lunch" {
		t.Errorf("after clear: %+v", got)
	}
	if _, err := f.c.Triggers.List(ctx, "F41"); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("F41: %v", err)
	}
	if err := f.c.Triggers.Clear(ctx, ""); err == nil {
		t.Error("clear without a type was sent")
	}
}
