package demo

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll"
	"enrollstation/store"
)

// A person enrolled with a department, an access group and a card reaches each ACTAtek
// terminal in the department and group of that name there, with the card in the
// terminal's form; a terminal without the group says so in the push's note. Reconcile
// then finds every target in sync: the card is compared in one form, not as each device
// writes it.
func TestPushPlacesTheUserAndReconcileAgreesOnTheCard(t *testing.T) {
	ctx := t.Context()
	d, err := Start(ctx, Options{People: -1, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	targets, err := d.Station.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []store.TargetID
	byName := map[string]store.Target{}
	for _, tg := range targets {
		ids = append(ids, tg.ID)
		byName[tg.Name] = tg
	}
	p := store.Person{Key: "placed-1", GivenName: "Grace", FamilyName: "Hopper", CardNumber: "1708695997",
		Department: "engineering", AccessGroups: []string{"Night shift"}, ConsentAt: time.Now(), ConsentBy: "test"}
	c, err := demoCapture(7, d.Sims.Camera.Serial())
	if err != nil {
		t.Fatal(err)
	}
	saved, err := d.Station.Store().SaveCapture(ctx, p, c, ids)
	if err != nil {
		t.Fatal(err)
	}
	d.Station.Queued(ctx, saved.Outbox...)
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Station.Store().Outbox(ctx, p.Key)
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	for _, r := range rows {
		if r.State != store.OutboxDone {
			t.Fatalf("push to %s: %s, %s", r.TargetName, r.State, r.LastError)
		}
		notes[r.TargetName] = r.Note
	}
	if notes[LobbyName] != "" || !strings.Contains(notes[OfficeName], `access group "Night shift"`) {
		t.Errorf("notes: %q", notes)
	}

	for i, name := range []string{LobbyName, OfficeName} {
		got, ok, err := d.TerminalUser(ctx, i, p.Key)
		if err != nil || !ok {
			t.Fatalf("%s: user %s: %v, %v", name, p.Key, ok, err)
		}
		want := TerminalUser{CardSN: "65D8A1BD", Departments: []string{"Engineering"}, Groups: []string{"Night shift"}}
		if name == OfficeName {
			want.Groups = []string{"General Staff"} // the terminal's default group 0
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: user %+v, want %+v", name, got, want)
		}
	}
	gate, err := ef45.New("http://" + byName[GateName].Address)
	if err != nil {
		t.Fatal(err)
	}
	se, err := gate.Open(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	info, err := se.Users.Get(ctx, p.Key)
	if cerr := se.Close(ctx); err != nil || cerr != nil || info.Card != "65 D8 A1 BD" {
		t.Errorf("gate user info %+v, %v, %v", info, err, cerr)
	}

	for _, tg := range targets {
		rep, err := d.Station.Reconcile(ctx, tg.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if n := rep.Count(enroll.FindingDifferent); n != 0 {
			t.Errorf("%s: %d different: %+v", tg.Name, n, rep.Findings)
		}
	}
}
