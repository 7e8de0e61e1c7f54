package firmware_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll/firmware"
)

// closedAddr is a loopback address where nothing listens any more.
func closedAddr(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(nil)
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()
	return addr
}

func TestVersionsReadsEachCameraAndSaysWhichDoNotAnswer(t *testing.T) {
	_, a := camera(t, ef45sim.Options{Version: "1.2.34"})
	_, b := camera(t, ef45sim.Options{Version: "1.2.30"})
	rebooting, c := camera(t, ef45sim.Options{Version: "1.2.30", RebootMode: ef45sim.RebootUnavailable})
	rebooting.Reboot(time.Hour)
	gone := closedAddr(t)

	got := firmware.NewUpdater(fastOptions()).Versions(t.Context(), []string{a, b, c, gone})
	if len(got) != 4 {
		t.Fatalf("%d answers for 4 cameras", len(got))
	}
	for i, want := range []firmware.DeviceVersion{{Addr: a, Version: "1.2.34"}, {Addr: b, Version: "1.2.30"}} {
		if got[i] != want {
			t.Errorf("camera %d: got %+v, want %+v", i, got[i], want)
		}
	}
	if !got[2].Restarting || got[2].Err == nil || got[2].Version != "" {
		t.Errorf("a rebooting camera reads %+v", got[2])
	}
	if got[3].Restarting || !errors.Is(got[3].Err, ef45.ErrUnreachable) || got[3].Addr != gone {
		t.Errorf("a camera that is gone reads %+v", got[3])
	}
}

func TestInspectReadsTheHeaderVersionWhenThereIsOne(t *testing.T) {
	img := image(t, "1.2.40", 100)
	info, err := firmware.Inspect(img.Path)
	want := firmware.ImageInfo{Image: img, Name: "ef45-1.2.40.img", Version: "1.2.40"}
	if err != nil || info != want {
		t.Fatalf("got %+v, %v; want %+v", info, err, want)
	}

	dir := t.TempDir()
	other := filepath.Join(dir, "vendor.bin")
	if err := os.WriteFile(other, []byte("not a header we know"), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err = firmware.Inspect(other)
	if err != nil || info.Version != "" || info.Size != 20 || info.Name != "vendor.bin" {
		t.Fatalf("a file without a known header: %+v, %v", info, err)
	}
	if _, err := firmware.Inspect(filepath.Join(dir, "missing.img")); err == nil {
		t.Fatal("a missing file was inspected")
	}
	if firmware.CompareVersions("1.2.100", "1.2.34") != 1 {
		t.Fatal("1.2.100 is not newer than 1.2.34")
	}
}

func TestCauseOfNamesWhyAnUploadFailed(t *testing.T) {
	ctx := t.Context()
	u := firmware.NewUpdater(fastOptions())
	img := image(t, "1.2.34", 1000)

	_, same := camera(t, ef45sim.Options{Version: "1.2.34"})
	_, refused := u.Upload(ctx, firmware.Device{Addr: same}, firmware.Job{Image: img})

	_, held := camera(t, ef45sim.Options{Version: "1.2.30"})
	c, err := ef45.New(held)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	_, inUse := u.Upload(ctx, firmware.Device{Addr: held}, firmware.Job{Image: img})

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, cancelled := u.Upload(cctx, firmware.Device{Addr: same}, firmware.Job{Image: img})
	_, gone := u.Upload(ctx, firmware.Device{Addr: closedAddr(t)}, firmware.Job{Image: img})

	for _, tc := range []struct {
		err  error
		want firmware.Cause
	}{
		{nil, ""}, {refused, firmware.CauseRefused}, {inUse, firmware.CauseInUse},
		{cancelled, firmware.CauseCancelled}, {gone, firmware.CauseNoAnswer},
		{&firmware.Error{Phase: firmware.PhaseResult}, firmware.CauseNotTaken},
		{&firmware.Error{Phase: firmware.PhaseReboot, Err: errors.New("last poll")}, firmware.CauseTimeout},
		{firmware.ErrRunning, firmware.CauseRunning}, {errors.New("odd"), firmware.CauseOther},
	} {
		if got := firmware.CauseOf(tc.err); got != tc.want {
			t.Errorf("CauseOf(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
