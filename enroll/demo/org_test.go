package demo

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
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

	type placed struct {
		Card              string
		Department, Group []string
	}
	for i, name := range []string{LobbyName, OfficeName} {
		u, ok := d.Sims.ACTAtek[i].User(p.Key)
		if !ok {
			t.Fatalf("%s has no user %s", name, p.Key)
		}
		got := placed{Card: u.CardSN, Department: named(t, d, byName[name], u.DepartmentID, true), Group: named(t, d, byName[name], u.GroupID, false)}
		want := placed{Card: "65D8A1BD", Department: []string{"Engineering"}, Group: []string{"Night shift"}}
		if name == OfficeName {
			want.Group = []string{"General Staff"} // the terminal's default group 0
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

// named is the names of ids on the terminal, departments or groups.
func named(t *testing.T, d *Demo, tg store.Target, ids actatek.IDs, departments bool) []string {
	t.Helper()
	pw, err := d.Station.Secrets().Get(t.Context(), tg.SecretRef)
	if err != nil {
		t.Fatal(err)
	}
	c, err := actatek.New(tg.Address, actatek.Options{Credentials: actatek.Credentials{Username: tg.Account, Password: pw.Reveal()}, PinSHA256: tg.CertPin})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	names := map[int]string{}
	if departments {
		ds, err := c.Departments.List(t.Context(), actatek.DepartmentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ds {
			names[int(x.ID)] = x.Name
		}
	} else {
		gs, err := c.AccessGroups.List(t.Context(), actatek.AccessGroupFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range gs {
			names[int(x.ID)] = x.Name
		}
	}
	if len(ids) == 0 {
		ids = actatek.IDs{0}
	}
	var out []string
	for _, id := range ids {
		out = append(out, names[id])
	}
	return out
}
