package enroll_test

import (
	"errors"
	"testing"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

func TestTargetConfig(t *testing.T) {
	d := startDemo(t)
	all := statusByName(t, d)
	gate := all[demo.GateName].Target.ID
	ctx := t.Context()
	if v, err := d.Station.TargetConfig(ctx, gate, "RelayDuration", enroll.ConfigInt); err != nil || v != "3" {
		t.Fatalf("RelayDuration %q, %v; want 3", v, err)
	}
	for _, c := range []struct{ key, typ, value string }{
		{"RelayDuration", enroll.ConfigInt, "5"},
		{"APBEnabled", enroll.ConfigBool, "true"},
		{"FaceMatchThreshold", enroll.ConfigFloat, "0.8"},
		{"DeviceName", enroll.ConfigString, "Gate 2"},
	} {
		if err := d.Station.SetTargetConfig(ctx, gate, c.key, c.typ, c.value); err != nil {
			t.Errorf("set %s: %v", c.key, err)
			continue
		}
		if v, err := d.Station.TargetConfig(ctx, gate, c.key, c.typ); err != nil || v != c.value {
			t.Errorf("%s = %q, %v; want %q", c.key, v, err, c.value)
		}
	}
	if err := d.Station.SetTargetConfig(ctx, gate, "RelayDuration", enroll.ConfigInt, "five"); err == nil {
		t.Error("wrote a value that is not a number")
	}
	if _, err := d.Station.TargetConfig(ctx, all[demo.LobbyName].Target.ID, "RelayDuration", enroll.ConfigInt); !errors.Is(err, enroll.ErrNotSupported) {
		t.Errorf("lobby config: %v, want ErrNotSupported", err)
	}
}
