package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enrollstation/store"
)

func TestRetentionCommands(t *testing.T) {
	mockKeyring(t)
	s := startStationSims(t)
	db := filepath.Join(t.TempDir(), "journal.db")
	pw := s.term.Credentials().Password
	if code, out, errOut := stationCtl(t, db, pw, "targets", "add", "actatek", "front", "--url", s.termSrv.URL, "--user", s.term.Credentials().Username,
		"--password-stdin", "--pin-sha256", s.term.Fingerprint()); code != 0 {
		t.Fatalf("targets add actatek: exit %d %s %s", code, out, errOut)
	}
	if code, out, errOut := stationCtl(t, db, "", "targets", "add", "ef45", "gate", "--addr", s.ef45Srv.Listener.Addr().String()); code != 0 {
		t.Fatalf("targets add ef45: exit %d %s %s", code, out, errOut)
	}
	now := time.Now()
	seedPeople(t, db, []store.Person{
		{Key: "left-in-june", GivenName: "Ada", FamilyName: "Gone", ValidUntil: now.AddDate(0, 0, -10), ConsentAt: now, ConsentBy: "op"},
		{Key: "stays", GivenName: "Alan", FamilyName: "Here", ValidUntil: now.AddDate(0, 0, 100), ConsentAt: now, ConsentBy: "op"},
	})
	if code, out, errOut := stationCtl(t, db, "", "outbox", "run", "--quiet"); code != 0 {
		t.Fatalf("outbox run: exit %d %s %s", code, out, errOut)
	}

	if code, out, _ := stationCtl(t, db, "", "retention", "show"); code != 0 || !strings.Contains(out, "no retention schedule") {
		t.Fatalf("show without a schedule: exit %d\n%s", code, out)
	}
	if code, out, _ := stationCtl(t, db, "", "retention", "run"); code != 0 || !strings.Contains(out, "0 people erased") {
		t.Fatalf("run without a schedule: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{{"set"}, {"set", "--after-days", "-3"}, {"set", "--after-days", "99999999"}, {"later"}} {
		if code, _, errOut := stationCtl(t, db, "", append([]string{"retention"}, bad...)...); code != 2 || errOut == "" {
			t.Errorf("retention %v: exit %d %q", bad, code, errOut)
		}
	}
	code, out, errOut := stationCtl(t, db, "", "retention", "set", "--after-days", "5")
	if code != 0 || !strings.Contains(out, "erase everywhere 5 days after") || !strings.Contains(out, "due now (the next sweep erases them): 1") ||
		!strings.Contains(out, "left-in-june") || !strings.Contains(out, "next: 1") || !strings.Contains(out, "erase on "+now.AddDate(0, 0, 105).Format(time.DateOnly)) {
		t.Fatalf("set: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = stationCtl(t, db, "", "retention", "run", "--json")
	var res struct {
		Erased []store.RetentionEntry `json:"erased"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res.Erased) != 1 || res.Erased[0].PersonKey != "left-in-june" {
		t.Fatalf("run: exit %d %v\n%s%s", code, err, out, errOut)
	}
	if _, ok := s.term.User("left-in-june"); ok {
		t.Error("the terminal still holds the person past the schedule")
	}
	if s.ef45.HasSubject("left-in-june") {
		t.Error("the camera still holds the person past the schedule")
	}
	if _, ok := s.term.User("stays"); !ok || !s.ef45.HasSubject("stays") {
		t.Error("the person still valid was erased from a device")
	}
	if code, out, _ := stationCtl(t, db, "", "retention", "show"); code != 0 || !strings.Contains(out, "1 people queued for erase") ||
		!strings.Contains(out, "due now (the next sweep erases them): 0") {
		t.Fatalf("show after the run: exit %d\n%s", code, out)
	}
	if code, out, _ := stationCtl(t, db, "", "journal", "verify"); code != 0 {
		t.Fatalf("verify after the sweep: exit %d\n%s", code, out)
	}
}
