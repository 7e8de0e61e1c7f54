package devices

import (
	"context"
	"net"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/enroll/target"
)

func startDemo(t *testing.T) *demo.Demo {
	t.Helper()
	d, err := demo.Start(t.Context(), demo.Options{People: 3, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// waitFor waits until cond holds of the model's state, failing after a while.
func waitFor(t *testing.T, m *Model, what string, cond func(State) bool) State {
	t.Helper()
	changed := make(chan struct{}, 1)
	stop := m.Subscribe(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer stop()
	deadline := time.After(40 * time.Second)
	for {
		s := m.State()
		if cond(s) {
			return s
		}
		select {
		case <-changed:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("waiting for %s: state %+v", what, s)
		}
	}
}

func refreshed(t *testing.T, m *Model) State {
	t.Helper()
	m.Refresh(t.Context())
	return waitFor(t, m, "refresh", func(s State) bool { return !s.Refreshing && !s.RefreshedAt.IsZero() })
}

func rowNamed(t *testing.T, s State, name string) Row {
	t.Helper()
	for _, r := range s.Rows {
		if r.Target.Name == name {
			return r
		}
	}
	t.Fatalf("no row %q in %+v", name, s.Rows)
	return Row{}
}

func actionDone(t *testing.T, m *Model, kind ActionKind) Action {
	t.Helper()
	return waitFor(t, m, string(kind), func(s State) bool { return s.Action.Kind == kind && !s.Action.Running }).Action
}

func TestHealthOfEveryTarget(t *testing.T) {
	d := startDemo(t)
	m := NewModel(d.Station, "tech")
	s := refreshed(t, m)
	if len(s.Rows) != 4 {
		t.Fatalf("%d rows, want 4", len(s.Rows))
	}
	for _, r := range s.Rows {
		if !r.Health.Reachable || r.Health.Err != "" {
			t.Errorf("%s: %+v, want reachable", r.Target.Name, r.Health)
		}
		if r.Target.Kind != enroll.TargetCLUe && r.Health.Version == "" { // a CLUe place has no firmware
			t.Errorf("%s: no version", r.Target.Name)
		}
	}
	if lobby := rowNamed(t, s, demo.LobbyName); lobby.Health.Serial == "" || lobby.Health.Users < 0 {
		t.Errorf("lobby health %+v lacks serial or user count", lobby.Health)
	}
	if s.Selected == 0 {
		t.Error("no target selected after the first refresh")
	}
}

func TestAddAndRemoveATarget(t *testing.T) {
	d := startDemo(t)
	m := NewModel(d.Station, "tech")
	refreshed(t, m)
	m.NewForm(enroll.TargetCLUe)
	m.SetForm(Form{Kind: enroll.TargetCLUe, Name: "Branch cloud", Address: "not a url", Account: "x", Enabled: true})
	m.Save(t.Context())
	s := m.State()
	want := map[Field]string{FieldAddress: "baseurl", FieldAccount: "place", FieldSecret: "apikey"}
	for f, code := range want {
		if p, ok := s.Form.Problem(f); !ok || p.Code != code {
			t.Errorf("problem of %s: %+v, want code %s", f, p, code)
		}
	}
	cloud := rowNamed(t, s, demo.CloudName).Target
	m.SetForm(Form{Kind: enroll.TargetCLUe, Name: "Branch cloud", Address: cloud.Address, Account: cloud.Account,
		Secret: d.Sims.CLUe.APIKey(), Prefix: "/v1", Enabled: true})
	if p := m.State().Form.Problems; len(p) != 0 {
		t.Errorf("problems after fixing the form: %+v", p)
	}
	m.Save(t.Context())
	s = waitFor(t, m, "the new target", func(s State) bool {
		_, ok := s.Row(s.Selected)
		return s.Form == nil && len(s.Rows) == 5 && ok && !s.Refreshing
	})
	added := rowNamed(t, s, "Branch cloud")
	if !added.Health.Reachable || added.Target.SecretRef == "" {
		t.Errorf("added %+v", added)
	}
	m.Remove(t.Context(), added.Target.ID)
	if a := actionDone(t, m, ActionRemove); !a.Err.IsZero() {
		t.Fatalf("remove: %+v", a)
	}
	waitFor(t, m, "the target gone", func(s State) bool { return len(s.Rows) == 4 && !s.Refreshing })
}

func TestUnreachableTargetSaysWhy(t *testing.T) {
	d := startDemo(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close() // nothing listens there any more
	if _, err := d.Station.SaveTarget(t.Context(), enroll.Target{Kind: enroll.TargetEF45, Name: "Gate 9", Address: dead, Enabled: true}, "", "tech"); err != nil {
		t.Fatal(err)
	}
	m := NewModel(d.Station, "tech")
	r := rowNamed(t, refreshed(t, m), "Gate 9")
	if r.Health.Reachable || r.Health.Err == "" {
		t.Fatalf("dead gate: %+v", r.Health)
	}
	t.Logf("dead gate says: %s", r.Health.Err)
}

func TestReconcileFindsDriftAndRepairBringsItBack(t *testing.T) {
	d := startDemo(t)
	ctx := t.Context()
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	m := NewModel(d.Station, "tech")
	office := rowNamed(t, refreshed(t, m), demo.OfficeName).Target
	rows, err := d.Station.Store().TargetOutbox(ctx, office.ID)
	if err != nil || len(rows) == 0 {
		t.Fatalf("the office terminal's pushes: %d, %v", len(rows), err)
	}
	gone := rows[0].PersonKey
	deleteOnDevice(t, d, office.ID, gone)

	m.Reconcile(ctx, office.ID, false)
	a := actionDone(t, m, ActionReconcile)
	if !a.Err.IsZero() || a.Report == nil {
		t.Fatalf("reconcile: %+v", a)
	}
	if a.Report.Count(enroll.FindingMissing) != 1 || a.Report.Findings[0].PersonKey != gone {
		t.Fatalf("findings %+v, want %s missing", a.Report.Findings, gone)
	}
	if r, _ := m.State().Row(office.ID); r.Drift == nil || r.Drift.Count(enroll.FindingMissing) != 1 {
		t.Errorf("row drift %+v", r.Drift)
	}

	m.Reconcile(ctx, office.ID, true)
	a = actionDone(t, m, ActionRepair)
	if !a.Err.IsZero() || a.Report.Findings[0].Requeued == 0 {
		t.Fatalf("repair: %+v", a)
	}
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Sims.ACTAtek[1].User(gone); !ok {
		t.Fatalf("%s is still missing on the terminal after the repair", gone)
	}
	m.Reconcile(ctx, office.ID, false)
	if a := actionDone(t, m, ActionReconcile); !a.Err.IsZero() || len(a.Report.Findings) != 0 {
		t.Errorf("after the repair: %+v", a.Report)
	}
}

// deleteOnDevice deletes a person on the target itself, behind the journal's back.
func deleteOnDevice(t *testing.T, d *demo.Demo, id enroll.TargetID, key string) {
	t.Helper()
	tg, err := d.Station.OpenTarget(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if err := tg.Delete(t.Context(), target.Ref{PersonKey: key, RemoteID: key}); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Sims.ACTAtek[1].User(key); ok {
		t.Fatalf("%s still on the terminal", key)
	}
}

func TestDeviceActions(t *testing.T) {
	d := startDemo(t)
	m := NewModel(d.Station, "tech")
	s := refreshed(t, m)
	gate, lobby := rowNamed(t, s, demo.GateName), rowNamed(t, s, demo.LobbyName)
	if !gate.DoorTest || !gate.CardRead || !lobby.DoorTest || lobby.CardRead {
		t.Fatalf("capabilities: gate %+v, lobby %+v", gate.TargetStatus, lobby.TargetStatus)
	}
	for _, r := range []Row{gate, lobby} {
		m.TestDoor(t.Context(), r.Target.ID)
		if a := actionDone(t, m, ActionDoor); !a.Err.IsZero() {
			t.Errorf("%s door: %+v", r.Target.Name, a)
		}
	}
	for _, r := range []Row{gate, lobby} {
		m.SetTime(t.Context(), r.Target.ID)
		if a := actionDone(t, m, ActionTime); !a.Err.IsZero() {
			t.Errorf("%s time: %+v", r.Target.Name, a)
		}
	}
	m.SetCameraMode(t.Context(), gate.Target.ID, enroll.CameraMaster)
	if a := actionDone(t, m, ActionSetMode); !a.Err.IsZero() {
		t.Errorf("set mode: %+v", a)
	}
	m.ReadCameraMode(t.Context(), gate.Target.ID)
	if a := actionDone(t, m, ActionMode); !a.Err.IsZero() || a.Mode != enroll.CameraMaster {
		t.Errorf("read mode: %+v", a)
	}
	m.ReadLog(t.Context(), gate.Target.ID)
	if a := actionDone(t, m, ActionLogs); !a.Err.IsZero() || len(a.Events) == 0 {
		t.Errorf("gate log: %+v", a)
	}
	if m.WriteConfig(t.Context(), gate.Target.ID, "RelayDuration", enroll.ConfigInt, "five") {
		t.Error("wrote a value that is not a number")
	}
	if a := m.State().Action; a.Err.Key != "config.value" {
		t.Errorf("bad value: %+v", a)
	}
	m.WriteConfig(t.Context(), gate.Target.ID, "RelayDuration", enroll.ConfigInt, "7")
	if a := actionDone(t, m, ActionSetConfig); !a.Err.IsZero() {
		t.Errorf("write config: %+v", a)
	}
	m.ReadConfig(t.Context(), gate.Target.ID, "RelayDuration", enroll.ConfigInt)
	if a := actionDone(t, m, ActionConfig); !a.Err.IsZero() || a.ConfigValue != "7" {
		t.Errorf("read config: %+v", a)
	}
	m.ReadCard(t.Context(), gate.Target.ID)
	if a := actionDone(t, m, ActionCard); !a.Err.IsZero() || a.Card == "" {
		t.Errorf("card read: %+v", a)
	}
}

func TestCardReadCanBeCanceled(t *testing.T) {
	eng := &blockingEngine{}
	m := NewModel(eng, "tech")
	if !m.ReadCard(context.Background(), 7) {
		t.Fatal("card read did not start")
	}
	if m.ReadCard(context.Background(), 7) {
		t.Error("a second action started while one runs")
	}
	m.Cancel()
	a := actionDone(t, m, ActionCard)
	if !a.Canceled || a.Err.Key != "stopped" || a.Card != "" {
		t.Errorf("canceled read: %+v", a)
	}
}

// blockingEngine waits on every device call until its context ends.
type blockingEngine struct{ Engine }

func (blockingEngine) ReadCard(ctx context.Context, _ enroll.TargetID) (string, error) {
	<-ctx.Done()
	return "", ctx.Err()
}

func TestAddACTAtekConfirmsTheCertificate(t *testing.T) {
	d := startDemo(t)
	m := NewModel(d.Station, "tech")
	lobby := rowNamed(t, refreshed(t, m), demo.LobbyName).Target
	creds := d.Sims.ACTAtek[0].Credentials()
	m.NewForm(enroll.TargetACTAtek)
	f := Form{Kind: enroll.TargetACTAtek, Name: "Lobby again", Address: "http://" + lobby.Address[len("https://"):],
		Account: creds.Username, Secret: creds.Password, Enabled: true}
	m.SetForm(f)
	m.Save(t.Context())
	s := m.State()
	for field, code := range map[Field]string{FieldAddress: "https", FieldPin: "pin"} {
		if p, ok := s.Form.Problem(field); !ok || p.Code != code {
			t.Errorf("problem of %s: %+v, want %s", field, p, code)
		}
	}
	f.Address = lobby.Address
	m.SetForm(f)
	m.ReadCertificate(t.Context())
	s = waitFor(t, m, "the certificate", func(s State) bool { return s.Form.Cert != nil || !s.Form.Err.IsZero() })
	if s.Form.Cert == nil || s.Form.Form.Pin != d.Sims.ACTAtek[0].Fingerprint() || s.Form.Form.PinConfirmed {
		t.Fatalf("after reading the certificate: %+v", s.Form)
	}
	m.Save(t.Context())
	if p, ok := m.State().Form.Problem(FieldPin); !ok || p.Code != "confirm" {
		t.Fatalf("saved an unconfirmed fingerprint: %+v", m.State().Form)
	}
	f = m.State().Form.Form
	f.PinConfirmed = true
	m.SetForm(f)
	m.Save(t.Context())
	s = waitFor(t, m, "the terminal added", func(s State) bool { return s.Form == nil && len(s.Rows) == 5 && !s.Refreshing })
	added := rowNamed(t, s, "Lobby again")
	if !added.Health.Reachable || added.Target.CertPin != d.Sims.ACTAtek[0].Fingerprint() {
		t.Errorf("added %+v", added)
	}

	// An edit starts without the password and keeps it.
	m.EditForm(added.Target.ID)
	if s := m.State(); s.Form.Form.Secret != "" || s.Form.Form.Pin != added.Target.CertPin {
		t.Fatalf("edit form %+v", s.Form.Form)
	}
	f = m.State().Form.Form
	f.Name = "Lobby, second"
	m.SetForm(f)
	m.Save(t.Context())
	s = waitFor(t, m, "the rename", func(s State) bool { return s.Form == nil && !s.Refreshing })
	if r, _ := s.Row(added.Target.ID); r.Target.Name != "Lobby, second" || !r.Health.Reachable {
		t.Errorf("after the edit: %+v", r)
	}
}
