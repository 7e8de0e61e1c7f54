package actatek_test

import (
	"slices"
	"testing"

	"enrollstation/devices/actatek/actateksim"
)

func TestHolidays(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	res, err := f.c.Holidays.Add(ctx, "2026-10-12", "2025-13-01", "2027-10-15", "2026-05-10")
	if err != nil || !slices.Equal(res.InvalidDates, []string{"2025-13-01"}) {
		t.Fatalf("%+v %v", res, err)
	}
	all, err := f.c.Holidays.List(ctx, "")
	if err != nil || !slices.Equal(all, []string{"2026-05-10", "2026-10-12", "2027-10-15"}) {
		t.Errorf("%v %v", all, err)
	}
	y2026, _ := f.c.Holidays.List(ctx, "2026-0-0")
	october, _ := f.c.Holidays.List(ctx, "0-10-0")
	if !slices.Equal(y2026, []string{"2026-05-10", "2026-10-12"}) || len(october) != 2 {
		t.Errorf("wildcards: %v %v", y2026, october)
	}
	res, err = f.c.Holidays.Delete(ctx, "2026-10-12", "2027-10-125")
	if err != nil || !slices.Equal(res.InvalidDates, []string{"2027-10-125"}) || res.Message != "1 holiday deleted" {
		t.Errorf("%+v %v", res, err)
	}
	if _, err := f.c.Holidays.Add(ctx); err == nil {
		t.Error("an empty holiday list was sent")
	}
}
