package enroll_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

func startDemo(t *testing.T) *demo.Demo {
	t.Helper()
	d, err := demo.Start(t.Context(), demo.Options{People: 2, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func statusByName(t *testing.T, d *demo.Demo) map[string]enroll.TargetStatus {
	t.Helper()
	all, err := d.Station.TargetsHealth(t.Context(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]enroll.TargetStatus{}
	for _, s := range all {
		out[s.Target.Name] = s
	}
	return out
}

func TestTargetsHealthAsksEveryTarget(t *testing.T) {
	d := startDemo(t)
	got := statusByName(t, d)
	if len(got) != 4 {
		t.Fatalf("got %d targets, want 4", len(got))
	}
	for name, s := range got {
		if !s.Checked || !s.Health.Reachable || s.Health.Err != "" {
			t.Errorf("%s: %+v, want reachable", name, s)
		}
	}
	if g := got[demo.GateName]; !g.DoorTest || !g.CardRead || g.Health.Version == "" {
		t.Errorf("gate: %+v", g)
	}
	if c := got[demo.CloudName]; c.DoorTest || c.CardRead {
		t.Errorf("cloud claims a door or card test: %+v", c)
	}
}

func TestSaveTargetKeepsTheSecretUnlessGiven(t *testing.T) {
	d := startDemo(t)
	ctx := t.Context()
	lobby := statusByName(t, d)[demo.LobbyName].Target
	lobby.Options = map[string]string{"facial_template_type": "1"}
	saved, err := d.Station.SaveTarget(ctx, lobby, "", "tech")
	if err != nil {
		t.Fatal(err)
	}
	if saved.SecretRef != lobby.SecretRef || saved.Options["facial_template_type"] != "1" {
		t.Errorf("saved %+v", saved)
	}
	if h := statusByName(t, d)[demo.LobbyName].Health; !h.Reachable {
		t.Errorf("lobby after an edit without password: %+v", h)
	}
	if _, err := d.Station.SaveTarget(ctx, lobby, "wrong password", "tech"); err != nil {
		t.Fatal(err)
	}
	if h := statusByName(t, d)[demo.LobbyName].Health; h.Reachable || h.Err == "" {
		t.Errorf("lobby with a wrong password: %+v", h)
	}
}

func TestReadTerminalCertificateShowsThePinnedFingerprint(t *testing.T) {
	d := startDemo(t)
	lobby := statusByName(t, d)[demo.LobbyName].Target
	c, err := d.Station.ReadTerminalCertificate(t.Context(), lobby.Address)
	if err != nil {
		t.Fatal(err)
	}
	if c.Fingerprint != d.Sims.ACTAtek[0].Fingerprint() || c.Display == "" {
		t.Errorf("certificate %+v, want fingerprint %s", c, d.Sims.ACTAtek[0].Fingerprint())
	}
}

func TestDoorAndCardTests(t *testing.T) {
	d := startDemo(t)
	all := statusByName(t, d)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	for _, name := range []string{demo.GateName, demo.LobbyName} {
		if err := d.Station.TestDoor(ctx, all[name].Target.ID); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := d.Station.TestDoor(ctx, all[demo.CloudName].Target.ID); !errors.Is(err, enroll.ErrNotSupported) {
		t.Errorf("cloud door test: %v, want ErrNotSupported", err)
	}
	card, err := d.Station.ReadCard(ctx, all[demo.GateName].Target.ID)
	if err != nil || card == "" {
		t.Errorf("gate card: %q, %v", card, err)
	}
	if _, err := d.Station.ReadCard(ctx, all[demo.LobbyName].Target.ID); !errors.Is(err, enroll.ErrNotSupported) {
		t.Errorf("lobby card read: %v, want ErrNotSupported", err)
	}
}
