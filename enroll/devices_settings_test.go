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
