package actatek_test

import (
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestTimeAndNTP(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	tt, err := f.c.Time.Get(ctx)
	if err != nil || tt.Timezone != "UTC" || !tt.CurrentTime.Local || tt.CurrentTime.String() != "2026-03-10T09:00:00" {
		t.Fatalf("%+v %v", tt, err)
	}
	// Set by a UTC instant and a new zone: the terminal shows its local wall clock.
	want := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	if err := f.c.Time.Set(ctx, actatek.TerminalTime{CurrentTime: actatek.UTC(want), Timezone: "Asia/Hong_Kong"}); err != nil {
		t.Fatal(err)
	}
	tt, _ = f.c.Time.Get(ctx)
	if tt.Timezone != "Asia/Hong_Kong" || tt.CurrentTime.String() != "2026-03-10T20:00:00" {
		t.Errorf("after set: %+v", tt)
	}
	// A local time is read in the terminal's zone.
	if err := f.c.Time.Set(ctx, actatek.TerminalTime{CurrentTime: actatek.Local(time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC))}); err != nil {
		t.Fatal(err)
	}
	tt, _ = f.c.Time.Get(ctx)
	if tt.CurrentTime.String() != "2026-03-10T08:00:00" {
		t.Errorf("after local set: %+v", tt)
	}
	if err := f.c.Time.Set(ctx, actatek.TerminalTime{CurrentTime: actatek.UTC(want), Timezone: "Mars/Olympus"}); err == nil {
		t.Error("an unknown time zone was accepted")
	}
	if err := f.c.Time.Set(ctx, actatek.TerminalTime{}); err == nil {
		t.Error("an empty time was sent")
	}

	ntp, err := f.c.Time.NTP(ctx)
	if err != nil || ntp.Enable || ntp.ServerAddr == "" {
		t.Fatalf("%+v %v", ntp, err)
	}
	if err := f.c.Time.SetNTP(ctx, actatek.NTPSetting{ServerAddr: "0.arch.pool.ntp.org 1.arch.pool.ntp.org", Enable: true}); err != nil {
		t.Fatal(err)
	}
	if ntp, _ := f.c.Time.NTP(ctx); !bool(ntp.Enable) || ntp.ServerAddr != "0.arch.pool.ntp.org 1.arch.pool.ntp.org" {
		t.Errorf("after set: %+v", ntp)
	}
	// Setting the time went to the same path and did not touch the NTP setting.
	if tt, _ := f.c.Time.Get(ctx); tt.Timezone != "Asia/Hong_Kong" {
		t.Errorf("NTP set changed the time zone: %+v", tt)
	}
}
