package enroll

import (
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll/capture"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// Two desks share a journal, each with a camera of its own; the gate EF-45 is their target.
// A person enrolled at desk 1 and pushed to the gate is flagged when desk 2's camera sees
// the same eyes, by the gate's subjects check, and named from the shared journal. Desk 2's
// camera alone knows nothing of them.
func TestDuplicateCheckSeesOtherDesksPeople(t *testing.T) {
	ctx := t.Context()
	serve := func(d *ef45sim.Device) string {
		srv := httptest.NewServer(d)
		t.Cleanup(srv.Close)
		return srv.Listener.Addr().String()
	}
	var cams [2]*ef45sim.Device
	var addrs [2]string
	for i := range cams {
		cams[i] = ef45sim.New(ef45sim.Options{Seed: 7, CaptureDuration: 400 * time.Millisecond})
		addrs[i] = serve(cams[i])
	}
	cams[0].SetNextPerson(40)
	cams[1].SetNextPerson(900)
	gate := ef45sim.New(ef45sim.Options{Seed: 8})
	gateAddr := serve(gate)

	dir := t.TempDir()
	sec := secrets.NewFile(filepath.Join(dir, "secrets.json"))
	var desks [2]*Station
	for i := range desks {
		st, err := OpenStation(ctx, Config{JournalPath: filepath.Join(dir, "journal.db"), Secrets: sec, Operator: "desk"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.SetCameraAddress(ctx, addrs[i], "tech"); err != nil {
			t.Fatal(err)
		}
		desks[i] = st
	}
	tg, err := desks[0].AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: "Gate", Address: gateAddr, Enabled: true}, secrets.Value{}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	gates := capture.DefaultGates()
	gates.MinIrisRadiusPx, gates.MinDistanceMM, gates.MaxDistanceMM = 0, 0, 10000
	capt := func(desk int, elsewhere capture.Elsewhere) *capture.Result {
		t.Helper()
		c, err := ef45.New("http://"+addrs[desk], ef45.WithTimeout(10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		sess := capture.NewCamera(c, desks[desk].Store()).NewSession(capture.SessionOptions{
			Capture: capture.Options{Modes: ef45.StartModes{Face: true, BothEyes: true}, Timeout: 30 * time.Second},
			People:  desks[desk].Store(), Elsewhere: elsewhere, Gates: &gates})
		res, err := sess.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	res := capt(0, desks[0])
	if len(res.Duplicates) != 0 {
		t.Fatalf("a new person found as %+v", res.Duplicates)
	}
	p := store.Person{Key: "ada", GivenName: "Ada", FamilyName: "Lovelace", ConsentAt: time.Now(), ConsentBy: "desk"}
	if _, err := res.Accept(ctx, capture.WithQueue(desks[0].Store(), desks[0]), p, []store.TargetID{tg.ID},
		capture.Decisions{Operator: "desk", AcceptFailedGates: true}); err != nil {
		t.Fatal(err)
	}
	if err := desks[0].RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if !gate.HasSubject("ada") {
		t.Fatal("the gate does not hold ada")
	}

	cams[1].SetNextPerson(40) // ada comes to desk 2
	alone := capt(1, nil)
	if len(alone.Duplicates) != 0 {
		t.Fatalf("desk 2's camera alone found %+v: the check below would prove nothing", alone.Duplicates)
	}
	if err := alone.Discard(ctx, desks[1].Store(), "desk"); err != nil {
		t.Fatal(err)
	}
	cams[1].SetNextPerson(40)
	again := capt(1, desks[1])
	if len(again.Duplicates) != 1 {
		t.Fatalf("duplicates %+v, want ada", again.Duplicates)
	}
	d := again.Duplicates[0]
	if d.PersonKey != "ada" || d.Person == nil || d.Person.FamilyName != "Lovelace" || !slices.Contains(d.Sources, "subjects check on Gate") {
		t.Fatalf("duplicate %+v: want ada, named by the journal, found by the gate", d)
	}
	for _, g := range again.Gates {
		if strings.Contains(g.Name, "duplicate") {
			t.Errorf("gate %+v: the check ran", g)
		}
	}
	if err := again.Discard(ctx, desks[1].Store(), "desk"); err != nil {
		t.Fatal(err)
	}

	// A capture camera that is a target too is asked as the camera only: the capture holds
	// its lock, and a second session there would wait for it.
	if _, err := desks[0].AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: "Desk 2 camera", Address: "http://" + addrs[1] + "/",
		Enabled: true}, secrets.Value{}, "tech"); err != nil {
		t.Fatal(err)
	}
	for camera, want := range map[string][]string{addrs[1]: {"Gate"}, addrs[0]: {"Desk 2 camera", "Gate"}} {
		cs, err := desks[1].DuplicateCheckers(ctx, camera)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cs {
			names = append(names, c.Name())
		}
		slices.Sort(names)
		if !slices.Equal(names, want) {
			t.Errorf("checkers beside the camera at %s: %v, want %v", camera, names, want)
		}
	}
}
