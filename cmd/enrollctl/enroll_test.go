package main

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/store"
)

func TestEnrollCapturesAndPushesEverywhere(t *testing.T) {
	mockKeyring(t)
	cam := ef45sim.New(ef45sim.Options{Seed: 41, FPS: 15, CaptureDuration: 6 * time.Second})
	camSrv := httptest.NewServer(cam)
	t.Cleanup(camSrv.Close)
	term, termSrv := actatekTerminal(t, actateksim.Options{Seed: 42})
	db := filepath.Join(t.TempDir(), "journal.db")
	camAddr := camSrv.Listener.Addr().String()
	// The capturing camera is a target too, so a second capture of the same person finds
	// the first among its subjects.
	if code, _, errOut := stationCtl(t, db, "", "targets", "add", "ef45", "desk-camera", "--addr", camAddr); code != 0 {
		t.Fatalf("targets add ef45: %s", errOut)
	}
	pw := term.Credentials().Password
	if code, _, errOut := stationCtl(t, db, pw, "targets", "add", "actatek", "front", "--url", termSrv.URL, "--user",
		term.Credentials().Username, "--password-stdin", "--pin-sha256", term.Fingerprint()); code != 0 {
		t.Fatalf("targets add actatek: %s", errOut)
	}

	if code, _, errOut := stationCtl(t, db, "", "enroll", "--ef45", camAddr, "--key", "ada", "--first", "Ada", "--last", "Lovelace"); code != 2 ||
		!strings.Contains(errOut, "--consent") {
		t.Fatalf("enroll without consent: exit %d %s", code, errOut)
	}
	code, out, errOut := stationCtl(t, db, "", "enroll", "--json", "--ef45", camAddr, "--key", "ada", "--first", "Ada", "--last", "Lovelace",
		"--card", "1001", "--consent")
	if code != 0 {
		t.Fatalf("enroll: exit %d\n%s\n%s", code, out, errOut)
	}
	var rep enrollReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Person != "ada" || len(rep.Pushes) != 2 || len(rep.Gates) == 0 {
		t.Fatalf("report: %+v", rep)
	}
	for _, p := range rep.Pushes {
		if p.State != store.OutboxDone {
			t.Errorf("push to %s: %s %s", p.TargetName, p.State, p.LastError)
		}
	}
	for _, want := range []string{"capturing: Hold still", "front", "desk-camera"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("progress lacks %q:\n%s", want, errOut)
		}
	}
	if u, ok := term.User("ada"); !ok || u.FirstName != "Ada" {
		t.Errorf("the terminal holds %+v, %v", u, ok)
	}
	if n := cam.State().Subjects; n != 1 {
		t.Errorf("the camera holds %d subjects, want 1", n)
	}
	if cam.State().LockHeld || cam.State().BiometricItems != 0 {
		t.Error("the camera still holds the lock or the captured item")
	}

	// The same eyes again under another key: refused as a possible duplicate, naming Ada.
	cam.SetNextPerson(1)
	code, _, errOut = stationCtl(t, db, "", "enroll", "--ef45", camAddr, "--key", "ada2", "--first", "Ada", "--last", "King", "--consent")
	if code != 1 || !strings.Contains(errOut, "may already be enrolled as ada") {
		t.Fatalf("duplicate: exit %d\n%s", code, errOut)
	}
	cam.SetNextPerson(1)
	if code, _, errOut := stationCtl(t, db, "", "enroll", "--ef45", camAddr, "--key", "ada2", "--first", "Ada", "--last", "King", "--consent",
		"--accept-duplicate", "--targets", "front"); code != 0 {
		t.Fatalf("duplicate accepted: exit %d\n%s", code, errOut)
	}
	if _, ok := term.User("ada2"); !ok {
		t.Error("the accepted duplicate is not on the terminal")
	}
	if n := cam.State().Subjects; n != 1 {
		t.Errorf("--targets front pushed to the camera too: %d subjects", n)
	}
}
