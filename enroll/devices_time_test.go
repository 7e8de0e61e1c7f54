package enroll_test

import (
	"errors"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

func TestSetTargetTime(t *testing.T) {
	d := startDemo(t)
	all := statusByName(t, d)
	now := time.Now()
	for _, name := range []string{demo.GateName, demo.LobbyName, demo.OfficeName} {
		if !all[name].SetTime {
			t.Errorf("%s does not offer to set its time", name)
		}
		if err := d.Station.SetTargetTime(t.Context(), all[name].Target.ID, now); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := d.Station.SetTargetTime(t.Context(), all[demo.CloudName].Target.ID, now); !errors.Is(err, enroll.ErrNotSupported) {
		t.Errorf("cloud: %v, want ErrNotSupported", err)
	}
}
