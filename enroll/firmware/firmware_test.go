package firmware_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll/firmware"
	"enrollstation/store"
)

var _ firmware.Journal = (*store.Store)(nil)

// camera starts a simulated EF-45 on loopback and returns it with its address.
func camera(t *testing.T, opts ef45sim.Options) (*ef45sim.Device, string) {
	t.Helper()
	d := ef45sim.New(opts)
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return d, strings.TrimPrefix(srv.URL, "http://")
}

// image writes a firmware file for the simulator: its header naming version, then payload
// random bytes.
func image(t *testing.T, version string, payload int) firmware.Image {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ef45-"+version+".img")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(ef45sim.FirmwareHeader(version)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, int64(payload)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	img, err := firmware.OpenImage(path)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// fastOptions poll quickly so that tests wait for the simulator's short reboots only.
func fastOptions() firmware.Options {
	return firmware.Options{CallTimeout: 5 * time.Second, RebootTimeout: 10 * time.Second,
		PollInterval: 20 * time.Millisecond, PollMax: 100 * time.Millisecond}
}

// recorder keeps every progress report, by address.
type recorder struct {
	mu     sync.Mutex
	phases map[string][]firmware.Phase
	last   map[string]firmware.Progress
}

func newRecorder() *recorder {
	return &recorder{phases: map[string][]firmware.Phase{}, last: map[string]firmware.Progress{}}
}

func (r *recorder) progress(p firmware.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ph := r.phases[p.Addr]
	if len(ph) == 0 || ph[len(ph)-1] != p.Phase {
		r.phases[p.Addr] = append(ph, p.Phase)
	}
	r.last[p.Addr] = p
}

// failure returns err's *firmware.Error without its cause, to be compared whole.
func failure(t *testing.T, err error) firmware.Error {
	t.Helper()
	var fe *firmware.Error
	if !errors.As(err, &fe) {
		t.Fatalf("want a *firmware.Error, got %v", err)
	}
	e := *fe
	e.Err = nil
	return e
}

func TestTwoCamerasInParallelReachTheNewVersion(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "journal.db"), make([]byte, store.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	simA, addrA := camera(t, ef45sim.Options{Seed: 1, Version: "1.2.34", RebootTime: 200 * time.Millisecond})
	simB, addrB := camera(t, ef45sim.Options{Seed: 2, Version: "1.2.30", RebootTime: 300 * time.Millisecond})
	img := image(t, "1.2.40", 3*ef45.FirmwareUnitSize+1234)
	opts := fastOptions()
	opts.Journal = st
	u := firmware.NewUpdater(opts)
	rec := newRecorder()

	outs := u.UploadAll(ctx, []firmware.Device{{Addr: addrA, Target: 7}, {Addr: addrB}},
		firmware.Job{Image: img, Operator: "tech", Progress: rec.progress})

	want := []firmware.Outcome{
		{Device: firmware.Device{Addr: addrA, Target: 7}, Result: firmware.Result{Addr: addrA, OldVersion: "1.2.34", NewVersion: "1.2.40", Bytes: img.Size, File: "ef45-1.2.40.img"}},
		{Device: firmware.Device{Addr: addrB}, Result: firmware.Result{Addr: addrB, OldVersion: "1.2.30", NewVersion: "1.2.40", Bytes: img.Size, File: "ef45-1.2.40.img"}},
	}
	for i := range outs {
		if outs[i].Result.Upload <= 0 || outs[i].Result.Restart <= 0 {
			t.Errorf("%s: upload %s, restart %s: both must be measured", outs[i].Device.Addr, outs[i].Result.Upload, outs[i].Result.Restart)
		}
		outs[i].Result.Upload, outs[i].Result.Restart = 0, 0
	}
	if !reflect.DeepEqual(outs, want) {
		t.Fatalf("outcomes\n got %+v\nwant %+v", outs, want)
	}
	for _, d := range []*ef45sim.Device{simA, simB} {
		if v := d.Version(); v != "1.2.40" {
			t.Errorf("simulator runs %s after the upgrade", v)
		}
	}
	phases := []firmware.Phase{firmware.PhaseVersion, firmware.PhaseStart, firmware.PhaseUnits, firmware.PhaseDone, firmware.PhaseReboot, firmware.PhaseResult}
	for _, addr := range []string{addrA, addrB} {
		if got := rec.phases[addr]; !reflect.DeepEqual(got, phases) {
			t.Errorf("%s phases %v, want %v", addr, got, phases)
		}
		if got, want := rec.last[addr], (firmware.Progress{Addr: addr, Phase: firmware.PhaseResult, Sent: img.Size, Total: img.Size, Version: "1.2.40"}); got != want {
			t.Errorf("last progress %+v, want %+v", got, want)
		}
	}

	rows, err := st.AuditLog(ctx, store.AuditQuery{Action: store.ActionFirmware})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		target store.TargetID
		start  bool
		addr   string
	}
	var got []row
	for _, r := range rows {
		if r.Operator != "tech" {
			t.Errorf("audit row by %q", r.Operator)
		}
		addr := addrA
		if strings.Contains(r.Detail, addrB) {
			addr = addrB
		}
		got = append(got, row{r.Target, strings.HasPrefix(r.Detail, "start normal upload of ef45-1.2.40.img"), addr})
		if !strings.HasPrefix(r.Detail, "start") && !strings.Contains(r.Detail, "-> 1.2.40") {
			t.Errorf("end row %q does not name the new version", r.Detail)
		}
	}
	wantRows := map[row]int{{7, true, addrA}: 1, {7, false, addrA}: 1, {0, true, addrB}: 1, {0, false, addrB}: 1}
	gotRows := map[row]int{}
	for _, r := range got {
		gotRows[r]++
	}
	if !reflect.DeepEqual(gotRows, wantRows) {
		t.Fatalf("audit rows %v, want %v", gotRows, wantRows)
	}
}

func TestSameVersionNeedsForce(t *testing.T) {
	ctx := t.Context()
	sim, addr := camera(t, ef45sim.Options{Version: "1.2.34", RebootTime: 100 * time.Millisecond})
	img := image(t, "1.2.34", 5000)
	u := firmware.NewUpdater(fastOptions())

	_, err := u.Upload(ctx, firmware.Device{Addr: addr}, firmware.Job{Image: img})
	want := firmware.Error{Addr: addr, Phase: firmware.PhaseDone, State: firmware.StateUnchanged, Version: "1.2.34", Sent: 0, Total: img.Size}
	if got := failure(t, err); got != want {
		t.Fatalf("normal upload of the same version\n got %+v\nwant %+v", got, want)
	}
	for _, s := range []string{"refused the file at done", ef45sim.ReasonNotNewer, "keeps its old firmware 1.2.34; start again"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not say %q", err, s)
		}
	}

	res, err := u.Upload(ctx, firmware.Device{Addr: addr}, firmware.Job{Image: img, Force: true})
	if err != nil {
		t.Fatalf("forced upload: %v", err)
	}
	res.Upload, res.Restart = 0, 0
	wantRes := firmware.Result{Addr: addr, OldVersion: "1.2.34", NewVersion: "1.2.34", Forced: true, Bytes: img.Size, File: "ef45-1.2.34.img"}
	if res != wantRes {
		t.Fatalf("forced upload\n got %+v\nwant %+v", res, wantRes)
	}
	if rep := sim.LastFirmware(); !rep.Accepted || !rep.Forced {
		t.Fatalf("simulator report %+v", rep)
	}
}

func TestARebootThatNeverEndsNamesThePhaseAndState(t *testing.T) {
	_, addr := camera(t, ef45sim.Options{Version: "1.2.34", RebootTime: time.Hour, RebootMode: ef45sim.RebootMixed})
	img := image(t, "1.2.40", ef45.FirmwareUnitSize+10)
	opts := fastOptions()
	opts.RebootTimeout = 400 * time.Millisecond
	u := firmware.NewUpdater(opts)

	_, err := u.Upload(t.Context(), firmware.Device{Addr: addr}, firmware.Job{Image: img})
	want := firmware.Error{Addr: addr, Phase: firmware.PhaseReboot, State: firmware.StateInstalling, Sent: img.Size, Total: img.Size, Wait: 400 * time.Millisecond}
	if got := failure(t, err); got != want {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if s := "did not come back within 400ms after done: it may still be installing; do not power it off"; !strings.Contains(err.Error(), s) {
		t.Fatalf("%q does not say %q", err, s)
	}
}

func TestAConnectionDroppedMidUploadNamesTheUnitsPhase(t *testing.T) {
	sim, addr := camera(t, ef45sim.Options{Version: "1.2.34"})
	img := image(t, "1.2.40", 4*ef45.FirmwareUnitSize)
	u := firmware.NewUpdater(fastOptions())
	job := firmware.Job{Image: img, Progress: func(p firmware.Progress) {
		if p.Phase == firmware.PhaseUnits && p.Sent == 2*ef45.FirmwareUnitSize {
			sim.SetFaults(ef45sim.Faults{DropRate: 1})
		}
	}}

	_, err := u.Upload(t.Context(), firmware.Device{Addr: addr}, job)
	want := firmware.Error{Addr: addr, Phase: firmware.PhaseUnits, State: firmware.StateUnchanged, Version: "1.2.34", Sent: 2 * ef45.FirmwareUnitSize, Total: img.Size}
	if got := failure(t, err); got != want {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if !errors.Is(err, ef45.ErrUnreachable) {
		t.Errorf("the cause is not a camera that stopped answering: %v", err)
	}
	if s := "upload interrupted during units (2.0 MiB of 4.0 MiB sent): the camera keeps its old firmware 1.2.34; start again"; !strings.Contains(err.Error(), s) {
		t.Fatalf("%q does not say %q", err, s)
	}
	sim.SetFaults(ef45sim.Faults{})
	if rep := sim.LastFirmware(); rep.Accepted || sim.Version() != "1.2.34" {
		t.Fatalf("after the drop the simulator holds %+v, version %s", rep, sim.Version())
	}
}

func TestASecondUploadToTheSameCameraIsRefused(t *testing.T) {
	ctx := t.Context()
	sim, addr := camera(t, ef45sim.Options{Version: "1.2.34", RebootTime: 100 * time.Millisecond})
	img := image(t, "1.2.40", 2*ef45.FirmwareUnitSize)
	u := firmware.NewUpdater(fastOptions())
	var second error
	var running bool
	job := firmware.Job{Image: img, Progress: func(p firmware.Progress) {
		if p.Phase == firmware.PhaseUnits && second == nil {
			running = u.Running(addr)
			// The same camera by another spelling of its address.
			_, second = u.Upload(ctx, firmware.Device{Addr: "http://" + addr}, firmware.Job{Image: img, Force: true})
		}
	}}

	if _, err := u.Upload(ctx, firmware.Device{Addr: addr}, job); err != nil {
		t.Fatalf("first upload: %v", err)
	}
	if !running || !errors.Is(second, firmware.ErrRunning) {
		t.Fatalf("while running (%v), a second upload got %v", running, second)
	}
	if want := fmt.Sprintf("ef45 %s: %s; wait for it to finish", addr, firmware.ErrRunning); second.Error() != want {
		t.Errorf("got %q, want %q", second, want)
	}
	if rep := sim.LastFirmware(); rep.Forced || rep.Size != img.Size {
		t.Fatalf("the second upload reached the camera: %+v", rep)
	}
	if u.Running(addr) {
		t.Fatal("the camera stays marked busy after its upload")
	}

	// Listed twice at once: one upload runs, the other is refused.
	outs := u.UploadAll(ctx, []firmware.Device{{Addr: addr}, {Addr: addr}}, firmware.Job{Image: img, Force: true})
	refused := 0
	for _, o := range outs {
		switch {
		case errors.Is(o.Err, firmware.ErrRunning):
			refused++
		case o.Err != nil:
			t.Errorf("upload: %v", o.Err)
		}
	}
	if refused != 1 {
		t.Fatalf("%d of two uploads to one camera refused, want 1", refused)
	}
}

func TestCancelMidUpload(t *testing.T) {
	sim, addr := camera(t, ef45sim.Options{Version: "1.2.34", RebootTime: 100 * time.Millisecond})
	img := image(t, "1.2.40", 5*ef45.FirmwareUnitSize)
	u := firmware.NewUpdater(fastOptions())
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	job := firmware.Job{Image: img, Progress: func(p firmware.Progress) {
		if p.Sent == ef45.FirmwareUnitSize {
			cancel()
		}
	}}

	start := time.Now()
	_, err := u.Upload(ctx, firmware.Device{Addr: addr}, job)
	want := firmware.Error{Addr: addr, Phase: firmware.PhaseUnits, State: firmware.StateUnchanged, Version: "1.2.34", Sent: ef45.FirmwareUnitSize, Total: img.Size}
	if got := failure(t, err); got != want {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "upload cancelled during units") {
		t.Fatalf("a cancel reads %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the cancel took %s", d)
	}
	if sim.LockHeld() || sim.LastFirmware().Accepted {
		t.Fatalf("after a cancel: lock held %v, firmware %+v", sim.LockHeld(), sim.LastFirmware())
	}
	// Started again, the upload goes through.
	res, err := u.Upload(t.Context(), firmware.Device{Addr: addr}, firmware.Job{Image: img})
	if err != nil || res.NewVersion != "1.2.40" {
		t.Fatalf("started again after a cancel: %+v, %v", res, err)
	}
}

func TestNoAnswerToDoneLeavesTheStateUnknown(t *testing.T) {
	sim, addr := camera(t, ef45sim.Options{Version: "1.2.34"})
	img := image(t, "1.2.40", 2*ef45.FirmwareUnitSize)
	u := firmware.NewUpdater(fastOptions())
	job := firmware.Job{Image: img, Progress: func(p firmware.Progress) {
		if p.Phase == firmware.PhaseDone {
			sim.SetFaults(ef45sim.Faults{DropRate: 1})
		}
	}}

	_, err := u.Upload(t.Context(), firmware.Device{Addr: addr}, job)
	want := firmware.Error{Addr: addr, Phase: firmware.PhaseDone, State: firmware.StateUnknown, Sent: 2 * ef45.FirmwareUnitSize, Total: img.Size}
	if got := failure(t, err); got != want {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if s := "no answer to done: it may be installing the new firmware; do not power it off"; !strings.Contains(err.Error(), s) {
		t.Fatalf("%q does not say %q", err, s)
	}
}

func TestTheFileIsCheckedBeforeAnythingIsSent(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.img")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{empty, dir, filepath.Join(dir, "missing.img")} {
		if _, err := firmware.OpenImage(path); err == nil {
			t.Errorf("OpenImage(%s) accepted it", path)
		}
	}

	sim, addr := camera(t, ef45sim.Options{Version: "1.2.34"})
	img := image(t, "1.2.40", 1000)
	if err := os.WriteFile(img.Path, []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := firmware.NewUpdater(fastOptions()).Upload(t.Context(), firmware.Device{Addr: addr}, firmware.Job{Image: img})
	want := firmware.Error{Addr: addr, Phase: firmware.PhaseVersion, State: firmware.StateUnchanged, Version: "1.2.34", Total: img.Size}
	if got := failure(t, err); got != want || !strings.Contains(err.Error(), "the firmware file cannot be used; nothing was sent: the camera keeps its old firmware 1.2.34; start again: firmware file ef45-1.2.40.img changed since it was chosen") {
		t.Fatalf("a file changed after it was chosen: %v\n got %+v\nwant %+v", err, got, want)
	}
	if n := sim.Stats().FirmwareUnits; n != 0 || sim.LockHeld() {
		t.Fatalf("%d units sent, lock held %v", n, sim.LockHeld())
	}
}
