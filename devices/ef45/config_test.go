package ef45_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestConfigTypedGetAndSet(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	if err := s.Config.Set(ctx, "APBEnabled", true); err != nil {
		t.Fatal(err)
	}
	if err := s.Config.Set(ctx, "IrisMinUsableArea", 80); err != nil {
		t.Fatal(err)
	}
	if err := s.Config.Set(ctx, "FaceMatchThreshold", 0.5); err != nil {
		t.Fatal(err)
	}
	if err := s.Config.Set(ctx, "DeviceName", "front desk"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Config.Bool(ctx, "APBEnabled"); err != nil || !v {
		t.Fatalf("bool = %v, %v", v, err)
	}
	if v, err := s.Config.Int(ctx, "IrisMinUsableArea"); err != nil || v != 80 {
		t.Fatalf("int = %v, %v", v, err)
	}
	if v, err := s.Config.Float(ctx, "FaceMatchThreshold"); err != nil || v != 0.5 {
		t.Fatalf("float = %v, %v", v, err)
	}
	if v, err := s.Config.String(ctx, "DeviceName"); err != nil || v != "front desk" {
		t.Fatalf("string = %q, %v", v, err)
	}
	if err := s.Config.Set(ctx, "x", []int{1}); err == nil {
		t.Fatal("an unsupported value type was sent")
	}
	// The device refuses a value out of its range and a value of the wrong type.
	var e *ef45.Error
	if err := s.Config.Set(ctx, "IrisMinUsableArea", 20); !errors.As(err, &e) || e.Status != 400 {
		t.Fatalf("out of range: %v", err)
	}
	if _, err := s.Config.Bool(ctx, "DeviceName"); !errors.As(err, &e) || e.Status != 400 {
		t.Fatalf("wrong type: %v", err)
	}
	if _, err := s.Config.Int(ctx, "NoSuchKey"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestRelayShowsInDoorStatus(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	before, err := s.Config.DoorStatus(ctx)
	if err != nil || before.Relay != 0 {
		t.Fatalf("door before: %+v, %v", before, err)
	}
	if err := s.Config.Relay(ctx, true, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	during, err := s.Config.DoorStatus(ctx)
	if err != nil || during.Relay != 1 {
		t.Fatalf("door while the relay is on: %+v, %v", during, err)
	}
}
