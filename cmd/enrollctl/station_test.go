package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
	"enrollstation/devices/clue/cluesim"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// stationSims are one EF-45, one ACTAtek terminal (TLS, pinned) and one CLUe place.
type stationSims struct {
	ef45    *ef45sim.Device
	ef45Srv *httptest.Server
	term    *actateksim.Simulator
	termSrv *httptest.Server
	clue    *cluesim.Server
	clueSrv *httptest.Server
}

func startStationSims(t *testing.T) *stationSims {
	t.Helper()
	s := &stationSims{ef45: ef45sim.New(ef45sim.Options{Seed: 3})}
	s.ef45Srv = httptest.NewServer(s.ef45)
	t.Cleanup(s.ef45Srv.Close)
	s.term, s.termSrv = actatekTerminal(t, actateksim.Options{Seed: 4})
	s.clue, s.clueSrv = clueCloud(t)
	return s
}

// stationCtl runs enrollctl with --db and stdin, and never lets a secret show.
func stationCtl(t *testing.T, db, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runSecret(t, stdin, append(args[:1:1], append([]string{"--db", db}, args[1:]...)...)...)
}

// seed saves n people with a capture each for every target, as an accepted capture does.
func seed(t *testing.T, db string, n int) []string {
	t.Helper()
	var people []store.Person
	for i := range n {
		people = append(people, store.Person{Key: fmt.Sprintf("ctl-%d", i), GivenName: "Ada", FamilyName: fmt.Sprint("Lovelace", i),
			ConsentAt: time.Now(), ConsentBy: "op"})
	}
	return seedPeople(t, db, people)
}

// seedPeople saves each person with a capture for every target.
func seedPeople(t *testing.T, db string, people []store.Person) []string {
	t.Helper()
	ctx := context.Background()
	sec, err := secrets.Open(ctx, secrets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := enroll.OpenStation(ctx, enroll.Config{JournalPath: db, Secrets: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ts, err := st.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []store.TargetID
	for _, tg := range ts {
		ids = append(ids, tg.ID)
	}
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	for y := range 300 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var face bytes.Buffer
	if err := jpeg.Encode(&face, img, nil); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for i, p := range people {
		tpl := bytes.Repeat([]byte{byte(i + 1)}, 96)
		c := store.Capture{DeviceSerial: "EF45-SIM", Operator: "op", Blobs: []store.Blob{
			{Kind: store.EyeTemplate, Variant: "left", Data: tpl},
			{Kind: store.EyeTemplate, Variant: "right", Data: tpl},
			{Kind: store.FaceImage, Variant: "far_off", MediaType: "image/jpeg", Data: face.Bytes()},
			{Kind: store.FaceFeature, Variant: "far_off", Data: tpl},
			{Kind: store.Photo, MediaType: "image/jpeg", Data: face.Bytes()},
		}}
		if _, err := st.Store().SaveCapture(ctx, p, c, ids); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, p.Key)
	}
	return keys
}

func TestStationCommandsEndToEnd(t *testing.T) {
	mockKeyring(t)
	s := startStationSims(t)
	db := filepath.Join(t.TempDir(), "site", "journal.db")

	// Before any target there is no journal, and only `targets add` makes one.
	if code, _, errOut := stationCtl(t, db, "", "outbox", "status"); code != 1 || !strings.Contains(errOut, "add a target first") {
		t.Fatalf("outbox status on no journal: exit %d %s", code, errOut)
	}
	if code, out, errOut := stationCtl(t, db, "", "targets", "add", "ef45", "gate", "--addr", s.ef45Srv.Listener.Addr().String()); code != 0 ||
		!strings.Contains(out, "added ef45 target gate") {
		t.Fatalf("targets add ef45: exit %d %s %s", code, out, errOut)
	}
	// An unpinned terminal is refused with its fingerprint; nothing is added, no password read.
	pw := s.term.Credentials().Password
	code, _, errOut := stationCtl(t, db, pw, "targets", "add", "actatek", "front", "--url", s.termSrv.URL, "--user", s.term.Credentials().Username, "--password-stdin")
	if code == 0 || !strings.Contains(errOut, "--pin-sha256 "+s.term.Fingerprint()) {
		t.Fatalf("unpinned terminal: exit %d %s", code, errOut)
	}
	if code, out, errOut := stationCtl(t, db, pw, "targets", "add", "actatek", "front", "--url", s.termSrv.URL, "--user", s.term.Credentials().Username,
		"--password-stdin", "--pin-sha256", s.term.Fingerprint()); code != 0 {
		t.Fatalf("targets add actatek: exit %d %s %s", code, out, errOut)
	}
	if code, out, errOut := stationCtl(t, db, s.clue.APIKey(), "targets", "add", "clue", "hq", "--base-url", s.clueSrv.URL,
		"--place", fmt.Sprint(cluesim.DemoPlace().ID), "--api-key-stdin"); code != 0 {
		t.Fatalf("targets add clue: exit %d %s %s", code, out, errOut)
	}

	code, out, errOut := stationCtl(t, db, "", "targets", "list", "--json")
	if code != 0 {
		t.Fatalf("targets list: exit %d %s", code, errOut)
	}
	var listed []struct {
		Name   string
		Kind   store.TargetKind
		Health struct{ Reachable bool }
	}
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 3 {
		t.Fatalf("targets list: %+v", listed)
	}
	for _, l := range listed {
		if !l.Health.Reachable {
			t.Errorf("target %s (%s) is not reachable: %s", l.Name, l.Kind, out)
		}
	}

	keys := seed(t, db, 3)
	if code, out, errOut := stationCtl(t, db, "", "outbox", "run"); code != 0 || !strings.Contains(out, "9 done, 0 failed, 0 waiting") {
		t.Fatalf("outbox run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = stationCtl(t, db, "", "outbox", "status", "--json")
	var status outboxStatus
	if err := json.Unmarshal([]byte(out), &status); code != 0 || err != nil {
		t.Fatalf("outbox status: exit %d %v %s", code, err, out)
	}
	for _, tc := range status.Targets {
		if tc.Counts[store.OutboxDone] != 3 || len(tc.Counts) != 1 {
			t.Errorf("target %s: counts %v, want 3 done", tc.Name, tc.Counts)
		}
	}
	if len(status.Failed) != 0 {
		t.Errorf("failed rows: %+v", status.Failed)
	}

	// A user deleted on the terminal by hand is found missing, and repaired.
	c, err := actatek.New(s.termSrv.URL, actatek.Options{Credentials: s.term.Credentials(), PinSHA256: s.term.Fingerprint()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Users.Delete(t.Context(), keys[1]); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = stationCtl(t, db, "", "reconcile", "--target", "front")
	if code != 0 || !strings.Contains(out, "1 missing") || !strings.Contains(out, keys[1]) || !strings.Contains(out, "--repair") {
		t.Fatalf("reconcile: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := stationCtl(t, db, "", "reconcile", "--target", "front", "--repair"); code != 0 || !strings.Contains(out, "queued again") {
		t.Fatalf("reconcile --repair: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := stationCtl(t, db, "", "outbox", "run"); code != 0 || !strings.Contains(out, "1 done") {
		t.Fatalf("outbox run after repair: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, ok := s.term.User(keys[1]); !ok {
		t.Fatalf("the repair did not put %s back on the terminal", keys[1])
	}
	if code, out, _ := stationCtl(t, db, "", "reconcile", "--target", "front"); code != 0 || !strings.Contains(out, "0 missing, 0 different") {
		t.Fatalf("reconcile after repair:\n%s", out)
	}

	// Erase everywhere: a wrong confirmation erases nothing; --yes erases from every target
	// and the journal.
	if code, _, errOut := stationCtl(t, db, "nope", "erase", "--key", keys[0]); code != 1 || !strings.Contains(errOut, "nothing erased") {
		t.Fatalf("erase with a wrong confirmation: exit %d %s", code, errOut)
	}
	code, out, errOut = stationCtl(t, db, "", "erase", "--key", keys[0], "--yes")
	if code != 0 || !strings.Contains(out, "journal  erased") {
		t.Fatalf("erase: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, ok := s.term.User(keys[0]); ok {
		t.Error("the terminal still holds the erased person")
	}
	for _, a := range s.clue.Auths(cluesim.DemoPlace().ID) {
		if a.Key == keys[0] {
			t.Error("CLUe still holds the erased person")
		}
	}
	if n := s.ef45.State().Subjects; n != 2 {
		t.Errorf("the camera holds %d subjects, want the 2 not erased", n)
	}
	if code, _, errOut := stationCtl(t, db, "", "erase", "--key", keys[0], "--yes"); code != 1 || !strings.Contains(errOut, "no person with key") {
		t.Errorf("erase twice: exit %d %s", code, errOut)
	}

	// A target with push history is disabled, one without is removed.
	if code, out, _ := stationCtl(t, db, "", "targets", "remove", "gate"); code != 0 || !strings.Contains(out, "disabled rather than removed") {
		t.Errorf("targets remove of a target with history:\n%s", out)
	}
	if code, _, errOut := stationCtl(t, db, "", "targets", "add", "ef45", "spare", "--addr", "127.0.0.1:1"); code != 0 {
		t.Fatalf("targets add spare: %s", errOut)
	}
	if code, out, _ := stationCtl(t, db, "", "targets", "remove", "spare"); code != 0 || !strings.Contains(out, "removed target spare") {
		t.Errorf("targets remove of a target without history:\n%s", out)
	}
	code, out, _ = stationCtl(t, db, "", "targets", "list", "--no-health")
	if code != 0 || strings.Contains(out, "spare") || !strings.Contains(out, "disabled") {
		t.Errorf("targets list after removals:\n%s", out)
	}
}

func TestStationCommandsUsage(t *testing.T) {
	mockKeyring(t)
	db := filepath.Join(t.TempDir(), "journal.db")
	for _, args := range [][]string{
		{"targets"}, {"targets", "add"}, {"targets", "add", "fax", "x"}, {"targets", "add", "ef45", "gate"},
		{"targets", "add", "clue", "hq", "--base-url", "http://127.0.0.1:1", "--place", "north", "--api-key-stdin"},
		{"outbox", "retry", "abc"}, {"outbox"}, {"erase"},
	} {
		if code, _, errOut := stationCtl(t, db, "s3cret-usage-7", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d %q", args, code, errOut)
		}
	}
}
