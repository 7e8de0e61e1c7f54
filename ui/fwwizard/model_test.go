package fwwizard

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/enroll/firmware"
	"enrollstation/ui/uitest"
)

const unit = 1 << 20 // the engine streams the file in 1 MiB units

// fastUpdater polls quickly, so that tests wait for the simulators' reboots only.
func fastUpdater(opts firmware.Options) *firmware.Updater {
	opts.CallTimeout, opts.PollInterval, opts.PollMax = 5*time.Second, 20*time.Millisecond, 100*time.Millisecond
	if opts.RebootTimeout == 0 {
		opts.RebootTimeout = 30 * time.Second
	}
	return firmware.NewUpdater(opts)
}

// imageFile writes a firmware file: the simulator's header naming version (none when
// version is empty), then payload random bytes.
func imageFile(t *testing.T, version string, payload int) string {
	t.Helper()
	name := "ef45-" + version + ".img"
	if version == "" {
		name = "vendor.bin"
	}
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if version != "" {
		if _, err := f.Write(ef45sim.FirmwareHeader(version)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.CopyN(f, rand.Reader, int64(payload)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// camera serves a simulated EF-45 with a short reboot on loopback.
func camera(t *testing.T, version string) (*ef45sim.Device, string) {
	t.Helper()
	d := ef45sim.New(ef45sim.Options{Version: version, RebootTime: 300 * time.Millisecond})
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return d, strings.TrimPrefix(srv.URL, "http://")
}

// closedAddrOf is a loopback address where nothing listens any more.
func closedAddrOf(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(nil)
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()
	return addr
}

// until waits for the model's state to satisfy cond and returns that state.
func until(t *testing.T, m *Model, what string, cond func(State) bool) State {
	t.Helper()
	changed := make(chan struct{}, 1)
	unsub := m.Subscribe(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer unsub()
	deadline := time.After(60 * time.Second)
	for {
		if s := m.State(); cond(s) {
			return s
		}
		select {
		case <-changed:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; state %+v", what, m.State())
		}
	}
}

func loaded(s State) bool { return !s.Loading && len(s.Units) > 0 }

// walk goes from the units to the running upload: select addrs, choose path, confirm.
func walk(t *testing.T, m *Model, path string, force bool, addrs ...string) {
	t.Helper()
	ctx := t.Context()
	until(t, m, "the units", loaded)
	for _, a := range addrs {
		if !m.Select(a, true) {
			t.Fatalf("%s cannot be selected: %+v", a, m.State().Units)
		}
	}
	if err := m.Next(ctx); err != nil {
		t.Fatalf("units → file: %v", err)
	}
	if err := m.Next(ctx); !errors.Is(err, ErrNotReady) {
		t.Fatalf("without a file, Next gave %v", err)
	}
	m.ChooseFile(ctx, path)
	until(t, m, "the file", func(s State) bool { return !s.FileReading })
	m.SetForce(force)
	if err := m.Next(ctx); err != nil {
		t.Fatalf("file → confirm: %v", err)
	}
	if err := m.Next(ctx); !errors.Is(err, ErrNotReady) {
		t.Fatalf("without the confirmation, Next gave %v", err)
	}
	m.SetConfirmed(true)
	if err := m.Next(ctx); err != nil {
		t.Fatalf("confirm → run: %v", err)
	}
}

func TestTwoDemoUnitsReachTheNewVersion(t *testing.T) {
	ctx := t.Context()
	d, err := demo.Start(ctx, demo.Options{People: -1, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	m := New(Config{Station: d.Station, Updater: fastUpdater(firmware.Options{Journal: d.Station.Store()}),
		Camera: d.Camera, Operator: "tech", Tick: 50 * time.Millisecond})
	m.Refresh(ctx)
	s := until(t, m, "the units", loaded)
	gate := s.Units[0].Addr
	wantUnits := []Unit{
		{Addr: gate, Name: demo.GateName, Target: s.Units[0].Target, Version: "1.2.34"},
		{Addr: d.Camera, Camera: true, Version: "1.2.34"},
	}
	if !reflect.DeepEqual(s.Units, wantUnits) || s.Step != StepUnits || s.CanNext || s.CanBack {
		t.Fatalf("units\n got %+v\nwant %+v (step %v, next %v, back %v)", s.Units, wantUnits, s.Step, s.CanNext, s.CanBack)
	}

	path := imageFile(t, "1.2.40", 2*unit+500)
	var mu sync.Mutex
	phases := map[string][]firmware.Phase{}
	var rebootWait time.Duration
	unsub := m.Subscribe(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, dv := range m.State().Devices {
			p := phases[dv.Addr]
			if dv.Phase != "" && (len(p) == 0 || p[len(p)-1] != dv.Phase) {
				phases[dv.Addr] = append(p, dv.Phase)
			}
			rebootWait = max(rebootWait, dv.RebootWait)
		}
	})
	defer unsub()
	walk(t, m, path, false, gate, d.Camera)
	if !m.Running() {
		t.Fatal("the upload does not say it runs")
	}
	if s := m.State(); s.File != (File{Path: path, Name: "ef45-1.2.40.img", Size: 2*unit + 500 + 64, Version: "1.2.40"}) || s.NotNewer != nil {
		t.Fatalf("file %+v, not newer %v", s.File, s.NotNewer)
	}

	s = until(t, m, "the results", func(s State) bool { return s.Step == StepResult })
	if m.Running() {
		t.Fatal("still running after the results")
	}
	size := int64(2*unit + 500 + 64)
	for i := range s.Devices {
		if s.Devices[i].RebootWait <= 0 {
			t.Errorf("%s: the restart was not timed", s.Devices[i].Name)
		}
		s.Devices[i].RebootWait = 0
	}
	want := []Device{
		{Addr: gate, Name: demo.GateName, Phase: firmware.PhaseResult, Sent: size, Total: size, OldVersion: "1.2.34", NewVersion: "1.2.40", Finished: true},
		{Addr: d.Camera, Camera: true, Phase: firmware.PhaseResult, Sent: size, Total: size, OldVersion: "1.2.34", NewVersion: "1.2.40", Finished: true},
	}
	if !reflect.DeepEqual(s.Devices, want) {
		t.Fatalf("results\n got %+v\nwant %+v", s.Devices, want)
	}
	allPhases := []firmware.Phase{firmware.PhaseVersion, firmware.PhaseStart, firmware.PhaseUnits, firmware.PhaseDone, firmware.PhaseReboot, firmware.PhaseResult}
	mu.Lock()
	for _, a := range []string{gate, d.Camera} {
		if !reflect.DeepEqual(phases[a], allPhases) {
			t.Errorf("%s went through %v, want %v", a, phases[a], allPhases)
		}
	}
	if rebootWait <= 0 {
		t.Error("the reboot wait was never shown while it ran")
	}
	mu.Unlock()
	for _, sim := range []*ef45sim.Device{d.Sims.Gate, d.Sims.Camera} {
		if v := sim.Version(); v != "1.2.40" {
			t.Errorf("a simulator runs %s", v)
		}
	}

	// Again: the versions read now are the new ones, the choices kept.
	if err := m.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	s = until(t, m, "the units again", func(s State) bool { return loaded(s) && !s.Units[0].Reading })
	if s.Step != StepUnits || s.Units[0].Version != "1.2.40" || s.Units[1].Version != "1.2.40" || !s.Units[0].Selected || s.Devices != nil {
		t.Fatalf("after Restart: %+v", s)
	}
}

func TestAFailureNamesItsPhaseAndTheStateLeft(t *testing.T) {
	simA, a := camera(t, "1.2.34")
	_, b := camera(t, "1.2.34")
	m := New(Config{Updater: fastUpdater(firmware.Options{}), Station: uitest.FirmwareTargets{List: []enroll.Target{
		{ID: 1, Kind: enroll.TargetEF45, Name: "Door A", Address: a},
		{ID: 2, Kind: enroll.TargetEF45, Name: "Door B", Address: b},
		{ID: 3, Kind: enroll.TargetACTAtek, Name: "Lobby", Address: "https://192.0.2.1"},
	}}})
	// A's connection drops once it has taken two units.
	m.Subscribe(func() {
		for _, d := range m.State().Devices {
			if d.Addr == a && d.Phase == firmware.PhaseUnits && d.Sent == 2*unit {
				simA.SetFaults(ef45sim.Faults{DropRate: 1})
			}
		}
	})
	m.Refresh(t.Context())
	walk(t, m, imageFile(t, "1.2.40", 4*unit), false, a, b)
	s := until(t, m, "the results", func(s State) bool { return s.Step == StepResult })

	f := s.Devices[0].Failure
	if f == nil {
		t.Fatalf("A did not fail: %+v", s.Devices[0])
	}
	if !strings.Contains(f.Details, "upload interrupted during units") {
		t.Errorf("details %q", f.Details)
	}
	f.Details = ""
	want := Failure{Phase: firmware.PhaseUnits, State: firmware.StateUnchanged, Cause: firmware.CauseNoAnswer,
		Version: "1.2.34", Sent: 2 * unit, Total: 4*unit + 64}
	if *f != want {
		t.Fatalf("A's failure\n got %+v\nwant %+v", *f, want)
	}
	if d := s.Devices[1]; d.Failure != nil || d.NewVersion != "1.2.40" {
		t.Fatalf("B: %+v", d)
	}
}

func TestAFileTheCameraRefusesFailsAtDone(t *testing.T) {
	_, a := camera(t, "1.2.34")
	m := New(Config{Updater: fastUpdater(firmware.Options{}), Camera: a})
	m.Refresh(t.Context())
	walk(t, m, imageFile(t, "", unit+10), false, a)
	if s := m.State(); s.File.Version != "" || s.File.Name != "vendor.bin" {
		t.Fatalf("a file without header: %+v", s.File)
	}
	s := until(t, m, "the results", func(s State) bool { return s.Step == StepResult })
	f := s.Devices[0].Failure
	if f == nil || f.Phase != firmware.PhaseDone || f.State != firmware.StateUnchanged || f.Cause != firmware.CauseRefused ||
		!strings.Contains(f.Details, ef45sim.ReasonNotFirmware) {
		t.Fatalf("failure %+v", f)
	}
}

func TestSameVersionIsFlaggedUnlessForced(t *testing.T) {
	_, a := camera(t, "1.2.34")
	m := New(Config{Updater: fastUpdater(firmware.Options{}), Camera: a})
	m.Refresh(t.Context())
	until(t, m, "the units", loaded)
	m.Select(a, true)
	m.ChooseFile(t.Context(), imageFile(t, "1.2.34", 100))
	s := until(t, m, "the file", func(s State) bool { return !s.FileReading })
	if !reflect.DeepEqual(s.NotNewer, []string{a}) {
		t.Fatalf("not newer %v", s.NotNewer)
	}
	m.SetForce(true)
	if s := m.State(); s.NotNewer != nil || !s.Force {
		t.Fatalf("forced: %+v", s)
	}
}

func TestAnUnreachableUnitSaysSoAndCannotBeChosen(t *testing.T) {
	gone := closedAddrOf(t)
	m := New(Config{Updater: fastUpdater(firmware.Options{}), Station: uitest.FirmwareTargets{Err: errors.New("journal closed")}, Camera: gone})
	m.Refresh(t.Context())
	s := until(t, m, "the units", loaded)
	if s.LoadErr == nil || len(s.Units) != 1 || s.Units[0].Err == nil || s.Units[0].Selectable() {
		t.Fatalf("state %+v", s)
	}
	if m.Select(gone, true) || m.Next(t.Context()) == nil {
		t.Fatal("an unreachable unit was chosen")
	}
	if m.ChooseFile(t.Context(), filepath.Join(t.TempDir(), "none.img")); until(t, m, "the file", func(s State) bool { return !s.FileReading }).FileErr == nil {
		t.Fatal("a missing file was taken")
	}
}

func TestCancelStopsTheUploadAndGuardsTheWindowUntilThen(t *testing.T) {
	sim, a := camera(t, "1.2.34")
	m := New(Config{Updater: fastUpdater(firmware.Options{}), Camera: a})
	var cancelled atomic.Bool
	seen := make(chan bool, 1)
	m.Subscribe(func() {
		s := m.State()
		// Cancel notifies again, so this runs once by a flag, not inside a sync.Once.
		if len(s.Devices) == 1 && s.Devices[0].Sent >= unit && cancelled.CompareAndSwap(false, true) {
			seen <- m.Running()
			m.Cancel()
		}
	})
	m.Refresh(t.Context())
	walk(t, m, imageFile(t, "1.2.40", 6*unit), false, a)
	if m.Back() {
		t.Fatal("Back while running")
	}
	if err := m.Restart(t.Context()); !errors.Is(err, ErrRunning) {
		t.Fatalf("Restart while running: %v", err)
	}
	if !<-seen {
		t.Fatal("Running() was false mid-upload")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := m.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	s := m.State()
	if m.Running() || s.Running || s.Step != StepResult {
		t.Fatalf("after the cancel: running %v, step %v", m.Running(), s.Step)
	}
	f := s.Devices[0].Failure
	if f == nil || f.Cause != firmware.CauseCancelled || f.Phase != firmware.PhaseUnits || f.State != firmware.StateUnchanged {
		t.Fatalf("failure %+v", f)
	}
	if sim.Version() != "1.2.34" || sim.LockHeld() {
		t.Fatalf("after the cancel the camera runs %s, lock held %v", sim.Version(), sim.LockHeld())
	}
}

func TestWaitEndsWithItsContextWhileAnUploadRuns(t *testing.T) {
	_, a := camera(t, "1.2.34")
	m := New(Config{Updater: fastUpdater(firmware.Options{}), Camera: a})
	m.Refresh(t.Context())
	walk(t, m, imageFile(t, "1.2.40", 3*unit), false, a)
	ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	if err := m.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) || !m.Running() {
		t.Fatalf("Wait gave %v, running %v", err, m.Running())
	}
	m.Cancel()
	if err := m.Wait(t.Context()); err != nil || m.Running() {
		t.Fatalf("after Cancel: %v, running %v", err, m.Running())
	}
}

func TestAForcedUploadReinstallsTheSameVersion(t *testing.T) {
	sim, a := camera(t, "1.2.34")
	m := New(Config{Updater: fastUpdater(firmware.Options{}), Camera: a})
	m.Refresh(t.Context())
	walk(t, m, imageFile(t, "1.2.34", unit), true, a)
	s := until(t, m, "the results", func(s State) bool { return s.Step == StepResult })
	d := s.Devices[0]
	if d.Failure != nil || !d.Forced || d.OldVersion != "1.2.34" || d.NewVersion != "1.2.34" {
		t.Fatalf("forced reinstall: %+v", d)
	}
	if rep := sim.LastFirmware(); !rep.Accepted || !rep.Forced {
		t.Fatalf("the simulator got %+v", rep)
	}
}
