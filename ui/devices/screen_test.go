package devices

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll/demo"
)

func newTestScreen(t *testing.T) (*Screen, *uiGoroutine, *demo.Demo) {
	t.Helper()
	test.NewTempApp(t)
	d := startDemo(t)
	if err := d.Station.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	ui := newUIGoroutine(t)
	var s *Screen
	ui.do(func() {
		w := test.NewWindow(nil)
		t.Cleanup(func() { ui.do(w.Close) })
		s = newScreen(ctx, NewModel(d.Station, "tech"), w, ui.run)
		w.SetContent(s.Content())
		w.Resize(fyne.NewSize(1100, 800))
	})
	return s, ui, d
}

// uiGoroutine stands in for Fyne's UI goroutine, which the test driver does not have: every
// widget change and read of a test runs on it.
type uiGoroutine struct{ fns chan func() }

func newUIGoroutine(t *testing.T) *uiGoroutine {
	u := &uiGoroutine{fns: make(chan func(), 64)}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case fn := <-u.fns:
				fn()
			case <-done:
				return
			}
		}
	}()
	t.Cleanup(func() { close(done) })
	return u
}

// run queues fn without waiting (fyne.Do); it may be called on the UI goroutine itself.
func (u *uiGoroutine) run(fn func()) { go func() { u.fns <- fn }() }

// do runs fn on the UI goroutine and waits for it.
func (u *uiGoroutine) do(fn func()) {
	ok := make(chan struct{})
	u.fns <- func() { fn(); close(ok) }
	<-ok
}

// eventually waits for cond, read on the UI goroutine.
func eventually(t *testing.T, ui *uiGoroutine, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for {
		var ok bool
		ui.do(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func listTexts(s *Screen) []string {
	var out []string
	for i := range s.state.Rows {
		out = append(out, s.state.Rows[i].Target.Name+": "+rowLine(s.state.Rows[i]))
	}
	return out
}

func TestScreenListsTheTargets(t *testing.T) {
	s, ui, _ := newTestScreen(t)
	eventually(t, ui, "four reachable targets", func() bool {
		return len(s.state.Rows) == 4 && !s.state.Refreshing && s.list.Length() == 4
	})
	lines := strings.Join(listTexts(s), "\n")
	for _, name := range []string{demo.GateName, demo.LobbyName, demo.OfficeName, demo.CloudName} {
		if !strings.Contains(lines, name+": Reachable") {
			t.Errorf("the list lacks %s reachable:\n%s", name, lines)
		}
	}
	if !strings.Contains(s.title.Text, s.state.Rows[0].Target.Name) {
		t.Errorf("detail title %q, want the first target", s.title.Text)
	}
}

func TestScreenAddFormShowsValidation(t *testing.T) {
	s, ui, _ := newTestScreen(t)
	ui.do(func() { test.Tap(s.adds[0]) }) // EF-45
	eventually(t, ui, "the form", func() bool { return s.form.content.Visible() })
	ui.do(func() { test.Type(s.form.name.entry, "Gate 3") })
	ui.do(func() { test.Type(s.form.address.entry, "10.0.0.9") })
	ui.do(func() { test.Tap(s.form.save) })
	eventually(t, ui, "the address problem", func() bool { return s.form.address.problem.Visible() })
	if got := s.form.address.problem.Text; !strings.Contains(got, "HOST:PORT") {
		t.Errorf("address problem %q", got)
	}
	if s.form.name.problem.Visible() {
		t.Errorf("name problem shown for a name: %q", s.form.name.problem.Text)
	}
	ui.do(func() { test.Type(s.form.address.entry, ":8080") })
	eventually(t, ui, "the problem gone", func() bool { return !s.form.address.problem.Visible() })
	ui.do(func() { s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	eventually(t, ui, "the form closed", func() bool { return !s.form.content.Visible() && s.state.Form == nil })
}

func TestScreenEditNeverShowsTheSecret(t *testing.T) {
	s, ui, d := newTestScreen(t)
	eventually(t, ui, "the list", func() bool { return len(s.state.Rows) == 4 })
	lobby := rowNamed(t, s.state, demo.LobbyName).Target
	ui.do(func() { s.m.Select(lobby.ID) })
	eventually(t, ui, "the lobby selected", func() bool { return s.state.Selected == lobby.ID && !s.edit.Disabled() })
	ui.do(func() { test.Tap(s.edit) })
	eventually(t, ui, "the edit form", func() bool { return s.form.content.Visible() && s.form.name.entry.Text == lobby.Name })
	password := d.Sims.ACTAtek[0].Credentials().Password
	for _, f := range s.form.fields() {
		if strings.Contains(f.entry.Text, password) {
			t.Errorf("the form shows the password in %q", f.label.Text)
		}
	}
	if s.form.secret.entry.Text != "" || s.form.secret.entry.PlaceHolder != "unchanged unless typed" {
		t.Errorf("secret entry %q, hint %q", s.form.secret.entry.Text, s.form.secret.entry.PlaceHolder)
	}
	if s.form.pin.entry.Text != lobby.CertPin || !s.form.confirm.Checked {
		t.Errorf("pin %q confirmed %v, want the saved pin", s.form.pin.entry.Text, s.form.confirm.Checked)
	}
	ui.do(func() { test.Type(s.form.secret.entry, "typed") })
	ui.do(func() { test.Tap(s.form.close) })
	eventually(t, ui, "the form closed", func() bool { return !s.form.content.Visible() })
	if s.form.secret.entry.Text != "" {
		t.Error("the typed password stays in the closed form")
	}
}

func TestScreenReconcileShowsFindings(t *testing.T) {
	s, ui, d := newTestScreen(t)
	eventually(t, ui, "the list", func() bool { return len(s.state.Rows) == 4 })
	office := rowNamed(t, s.state, demo.OfficeName).Target
	rows, err := d.Station.Store().TargetOutbox(t.Context(), office.ID)
	if err != nil || len(rows) == 0 {
		t.Fatalf("office pushes: %d, %v", len(rows), err)
	}
	deleteOnDevice(t, d, office.ID, rows[0].PersonKey)
	ui.do(func() {
		for i, r := range s.state.Rows {
			if r.Target.ID == office.ID {
				s.list.Select(widget.ListItemID(i))
			}
		}
	})
	eventually(t, ui, "the office selected", func() bool { return s.state.Selected == office.ID && !s.check.Disabled() })
	ui.do(func() { test.Tap(s.check) })
	eventually(t, ui, "the findings", func() bool { return strings.Contains(s.findings.Text, "Missing:") })
	if !strings.Contains(s.findings.Text, rows[0].PersonKey) || !strings.Contains(s.findings.Text, "1 missing") {
		t.Errorf("findings:\n%s", s.findings.Text)
	}
	if !strings.Contains(strings.Join(listTexts(s), "\n"), "last reconcile: 1 missing") {
		t.Errorf("the list does not show the drift:\n%s", strings.Join(listTexts(s), "\n"))
	}
	ui.do(func() { test.Tap(s.repair) })
	eventually(t, ui, "the repair", func() bool { return strings.Contains(s.findings.Text, "queued again") })
}

func TestScreenCardReaderTestShowsTheCard(t *testing.T) {
	s, ui, _ := newTestScreen(t)
	eventually(t, ui, "the gate selected", func() bool {
		r, ok := s.state.Row(s.state.Selected)
		return ok && r.Target.Name == demo.GateName && !s.card.Disabled()
	})
	ui.do(func() { test.Tap(s.card) })
	eventually(t, ui, "waiting for a card", func() bool { return s.cancel.Visible() && strings.Contains(s.result.Text, "Hold a card") })
	eventually(t, ui, "the card", func() bool { return strings.HasPrefix(s.result.Text, "Card read: ") && !s.cancel.Visible() })
	if s.result.Text == "Card read: " {
		t.Error("no card number shown")
	}
}

func TestScreenShowsAnUnreachableDeviceInWords(t *testing.T) {
	s, ui, d := newTestScreen(t)
	eventually(t, ui, "the list", func() bool { return len(s.state.Rows) == 4 && !s.state.Refreshing })
	d.Sims.Gate.Reboot(time.Minute) // the gate stops answering while it restarts
	ui.do(func() { s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5}) })
	eventually(t, ui, "the gate unreachable", func() bool {
		r, ok := s.state.Row(s.state.Selected)
		return ok && !s.state.Refreshing && r.Target.Name == demo.GateName && !r.Health.Reachable
	})
	line := strings.Join(listTexts(s), "\n")
	if !strings.Contains(line, demo.GateName+": Not reachable: ") {
		t.Errorf("list:\n%s", line)
	}
	t.Logf("%s", line)
}
