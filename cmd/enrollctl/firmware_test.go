package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/store"
)

func writeFirmware(t *testing.T, version string, payload int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fw.bin")
	if err := os.WriteFile(path, append(ef45sim.FirmwareHeader(version), make([]byte, payload)...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFirmwareToTwoCamerasAtOnce(t *testing.T) {
	devA, addrA := simAddr(t, ef45sim.Options{Version: "1.2.34"})
	devB, addrB := simAddr(t, ef45sim.Options{Version: "1.2.30", Seed: 9})
	path := writeFirmware(t, "1.2.50", 3<<20)
	db := testJournal(t)

	code, out, errOut := ctl(t, "", "--json", "firmware", "--file", path, "--db", db, addrA, addrB)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []firmwareReport
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for i := range got {
		if got[i].UploadMS < 0 || got[i].RestartMS <= 0 {
			t.Errorf("%s: upload %d ms, restart %d ms", got[i].Address, got[i].UploadMS, got[i].RestartMS)
		}
		got[i].UploadMS, got[i].RestartMS = 0, 0
	}
	size := int64(ef45sim.FirmwareHeaderSize + 3<<20)
	want := []firmwareReport{
		{Address: addrA, File: path, Bytes: size, OldVersion: "1.2.34", NewVersion: "1.2.50"},
		{Address: addrB, File: path, Bytes: size, OldVersion: "1.2.30", NewVersion: "1.2.50"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("reports\n got %+v\nwant %+v", got, want)
	}
	for _, s := range []string{addrA + ": uploaded 3.0 MiB of 3.0 MiB (100%)", addrB + ": upload complete; waiting for the camera to restart"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("progress lacks %q:\n%s", s, errOut)
		}
	}
	if devA.Version() != "1.2.50" || devB.Version() != "1.2.50" {
		t.Fatalf("simulators run %s and %s", devA.Version(), devB.Version())
	}

	ctx := context.Background()
	st := openWithStationKey(t, db, false)
	rows, err := st.AuditLog(ctx, store.AuditQuery{Action: store.ActionFirmware})
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d firmware audit rows (%v), want a start and an end per camera", len(rows), err)
	}
}

func TestFirmwareFailureNamesPhaseAndState(t *testing.T) {
	_, good := simAddr(t, ef45sim.Options{Version: "1.2.30"})
	_, same := simAddr(t, ef45sim.Options{Version: "1.2.50", Seed: 3})
	path := writeFirmware(t, "1.2.50", 4096)

	code, out, errOut := ctl(t, "", "firmware", "--file", path, good, same)
	if code != 1 {
		t.Fatalf("exit %d: %s\n%s", code, out, errOut)
	}
	for _, s := range []string{
		good + ": firmware updated: 1.2.30 -> 1.2.50",
		same + ": FAILED: ef45 " + same + ": the camera refused the file at done: the camera keeps its old firmware 1.2.50; start again",
		ef45sim.ReasonNotNewer,
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if !strings.Contains(errOut, "the upload failed on 1 of 2 cameras") {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestFirmwareUsage(t *testing.T) {
	path := writeFirmware(t, "1.2.50", 10)
	for _, args := range [][]string{
		{"firmware", "127.0.0.1:1"},
		{"firmware", "--file", path},
	} {
		if code, _, errOut := ctl(t, "", args...); code != 2 || !strings.Contains(errOut, "usage: enrollctl firmware --file F") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	if code, _, errOut := ctl(t, "", "firmware", "--file", filepath.Join(t.TempDir(), "none"), "127.0.0.1:1"); code != 1 || !strings.Contains(errOut, "firmware file") {
		t.Errorf("a missing file: exit %d, %q", code, errOut)
	}
}
