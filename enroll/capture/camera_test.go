package capture

import (
	"errors"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestStaleLockOfACrashedStationIsFreed(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{CaptureDuration: 1 << 40})
	// The station dies mid-capture: the lock is held, the camera runs, nothing is closed.
	dead, err := r.camera().Open(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := dead.Camera.Set(ctx, ef45.ModeSlave, false); err != nil {
		t.Fatal(err)
	}
	if err := dead.Camera.Start(ctx, ef45.StartModes{BothEyes: true}); err != nil {
		t.Fatal(err)
	}
	// The next start opens without force.
	s, err := r.camera().Open(ctx, false)
	if err != nil {
		t.Fatalf("open after a crash: %v", err)
	}
	st := r.dev.State()
	if !st.LockHeld || st.CameraRunning {
		t.Fatalf("after recovery: lock held %v, camera running %v; want the new lock and the camera stopped", st.LockHeld, st.CameraRunning)
	}
	if _, err := dead.Camera.Get(ctx); !errors.Is(err, ef45.ErrLockLost) {
		t.Errorf("the dead station's uid still works: %v", err)
	}
	if v, _ := r.journal.Setting(ctx, r.camera().LockSetting()); v != s.LockUID() {
		t.Errorf("journal remembers %q, want the new uid %q", v, s.LockUID())
	}
	if err := r.camera().Release(ctx, s); err != nil {
		t.Fatal(err)
	}
	if r.dev.State().LockHeld {
		t.Error("the lock is held after release")
	}
}

func TestLockHeldByAnotherWorkstationStillNeedsForce(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{})
	// This station crashed holding a lock, then another workstation took the camera over.
	if _, err := r.camera().Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	r.dev.StealLock()
	_, err := r.camera().Open(ctx, false)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("open: %v, want ErrInUse", err)
	}
	if !r.dev.State().LockHeld {
		t.Fatal("the other workstation's lock was released")
	}
	s, err := r.camera().Open(ctx, true)
	if err != nil {
		t.Fatalf("forced open: %v", err)
	}
	if err := r.camera().Release(ctx, s); err != nil {
		t.Fatal(err)
	}
}

func TestCameraWithoutJournalOpensAndReleases(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{Version: "1.2.40"})
	cam := NewCamera(r.client, nil)
	info, err := cam.Info(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	want := Info{Address: cam.Address(), Version: "1.2.40", RecordVersion: ef45sim.DefaultRecordVersion,
		Serial: r.dev.Serial(), Mode: ef45.ModeRecog, Audio: true}
	if info != want {
		t.Errorf("info %+v, want %+v", info, want)
	}
	if r.dev.State().LockHeld {
		t.Error("Info left the lock held")
	}
}
