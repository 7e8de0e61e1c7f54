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

func TestTargetCameraMode(t *testing.T) {
	d := startDemo(t)
	all := statusByName(t, d)
	gate := all[demo.GateName].Target.ID
	ctx := t.Context()
	if mode, err := d.Station.TargetCameraMode(ctx, gate); err != nil || mode != enroll.CameraRecog {
		t.Fatalf("gate mode %q, %v; want Recog", mode, err)
	}
	if err := d.Station.SetTargetCameraMode(ctx, gate, enroll.CameraMaster); err != nil {
		t.Fatal(err)
	}
	if mode, err := d.Station.TargetCameraMode(ctx, gate); err != nil || mode != enroll.CameraMaster {
		t.Errorf("gate mode %q, %v; want Master", mode, err)
	}
	if err := d.Station.SetTargetCameraMode(ctx, gate, "Sleep"); err == nil {
		t.Error("set an unknown mode")
	}
	if _, err := d.Station.TargetCameraMode(ctx, all[demo.LobbyName].Target.ID); !errors.Is(err, enroll.ErrNotSupported) {
		t.Errorf("lobby mode: %v, want ErrNotSupported", err)
	}
}

func TestReadCardPutsTheModeBack(t *testing.T) {
	d := startDemo(t)
	gate := statusByName(t, d)[demo.GateName].Target.ID
	if _, err := d.Station.ReadCard(t.Context(), gate); err != nil {
		t.Fatal(err)
	}
	if mode, err := d.Station.TargetCameraMode(t.Context(), gate); err != nil || mode != enroll.CameraRecog {
		t.Errorf("gate mode after a card read %q, %v; want Recog again", mode, err)
	}
}

func TestTargetLogs(t *testing.T) {
	d := startDemo(t)
	all := statusByName(t, d)
	ctx := t.Context()
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{demo.GateName, demo.LobbyName} {
		if !all[name].Logs {
			t.Errorf("%s offers no log", name)
		}
		events, err := d.Station.TargetLogs(ctx, all[name].Target.ID, 5)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(events) == 0 || len(events) > 5 {
			t.Errorf("%s: %d events, want 1 to 5", name, len(events))
		}
		for i := 1; i < len(events); i++ {
			if events[i].At.After(events[i-1].At) {
				t.Errorf("%s: events not newest first: %v after %v", name, events[i].At, events[i-1].At)
			}
		}
	}
	if _, err := d.Station.TargetLogs(ctx, all[demo.CloudName].Target.ID, 5); !errors.Is(err, enroll.ErrNotSupported) {
		t.Errorf("cloud log: %v, want ErrNotSupported", err)
	}
}
