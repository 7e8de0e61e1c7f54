package settings

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/ui/fonts"
	"enrollstation/ui/uitest"
)

func demoModel(t *testing.T, onSaved func(enroll.Preferences)) (*Model, *demo.Demo) {
	t.Helper()
	return demoModelWith(t, -1, onSaved)
}

// demoModelWith is demoModel on a demo with people enrolled (-1: none).
func demoModelWith(t *testing.T, people int, onSaved func(enroll.Preferences)) (*Model, *demo.Demo) {
	t.Helper()
	d, err := demo.Start(context.Background(), demo.Options{People: people, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return NewModel(d.Station, "tech", d.Dir, onSaved, nil), d
}

// openScreen shows m in a test window, with the UI goroutine's stand-in, and returns the
// screen and a wait that pumps that goroutine.
func openScreen(t *testing.T, m *Model) (*Screen, func(what string, cond func() bool)) {
	t.Helper()
	loop := uitest.NewLoop()
	s := newScreen(m, loop.Run)
	w := test.NewWindow(s.Content())
	t.Cleanup(w.Close)
	return s, func(what string, cond func() bool) { t.Helper(); loop.PumpUntil(t, what, cond) }
}

func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The preferences load with their defaults; a wrong gate is named and blocks the save;
// a good edit is saved, read back, and handed to the shell.
func TestSettingsModelEditsAndSaves(t *testing.T) {
	saved := make(chan enroll.Preferences, 1)
	m, d := demoModel(t, func(p enroll.Preferences) { saved <- p })
	m.Load()
	until(t, "loaded", func() bool { return m.State().Loaded })
	st := m.State()
	if len(st.Targets) != 4 || st.Prefs.Gates.MinUsableIrisArea != 70 || len(st.Problems) != 0 {
		t.Fatalf("loaded %+v", st)
	}
	m.Edit(func(p *enroll.Preferences) { p.Gates.MinUsableIrisArea = 150 })
	if m.State().Problems["min_usable_iris_area"] == "" {
		t.Fatalf("problems %v", m.State().Problems)
	}
	m.Save() // refused: nothing is saved
	m.Edit(func(p *enroll.Preferences) {
		p.Gates.MinUsableIrisArea, p.Language, p.Targets = 80, "ja", []enroll.TargetID{st.Targets[1].ID}
	})
	m.Save()
	select {
	case p := <-saved:
		if p.Gates.MinUsableIrisArea != 80 || p.Language != "ja" {
			t.Fatalf("saved %+v", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not saved")
	}
	got, err := d.Station.Preferences(context.Background())
	if err != nil || got.Gates.MinUsableIrisArea != 80 || len(got.Targets) != 1 {
		t.Fatalf("in the journal: %+v, %v", got, err)
	}
	if ids, _ := d.Station.EnrollTargets(context.Background()); len(ids) != 1 || ids[0] != st.Targets[1].ID {
		t.Fatalf("enrollment targets %v", ids)
	}
}

// On screen: a wrong figure shows its message beside the field and disables Save.
func TestSettingsScreenShowsProblemsBesideFields(t *testing.T) {
	test.NewTempApp(t)
	m, _ := demoModel(t, nil)
	s, until := openScreen(t, m)
	until("the targets shown", func() bool { return len(s.targets.Options) == 4 })
	if s.area.Text != "70" || s.save.Disabled() {
		t.Fatalf("area %q, save disabled %v", s.area.Text, s.save.Disabled())
	}
	s.area.SetText("")
	test.Type(s.area, "101")
	until("the message", func() bool { return s.problems["min_usable_iris_area"].Visible() && s.save.Disabled() })
	s.area.SetText("75")
	until("the message gone", func() bool { return !s.problems["min_usable_iris_area"].Visible() && !s.save.Disabled() })
	test.Tap(s.save)
	until("saved", func() bool {
		return m.State().Saved && m.State().Prefs.Gates.MinUsableIrisArea == 75 && s.status.Text == "Saved."
	})
}

// The retention schedule is set on the screen; its summary says who the sweep erases next.
func TestSettingsScreenSetsTheRetentionSchedule(t *testing.T) {
	test.NewTempApp(t)
	m, d := demoModelWith(t, 2, nil)
	s, until := openScreen(t, m)
	until("loaded", func() bool { return len(s.targets.Options) == 4 })
	if s.retention.Text != "0" || s.schedule.Text != "No schedule: biometrics are kept until erased by hand." {
		t.Fatalf("no schedule: %q, %q", s.retention.Text, s.schedule.Text)
	}
	s.retention.SetText("40000")
	until("the message", func() bool { return s.problems["retention_days"].Visible() && s.save.Disabled() })
	s.retention.SetText("30")
	until("the message gone", func() bool { return !s.problems["retention_days"].Visible() && !s.save.Disabled() })
	test.Tap(s.save)
	until("saved", func() bool { return m.State().Saved && m.State().Retention.AfterDays == 30 })
	next := m.State().Retention.Next
	if len(next) != 1 || next[0].Due.Sub(time.Now().AddDate(0, 0, 30)).Abs() > time.Minute {
		t.Fatalf("next %+v", next)
	}
	want := "The next daily sweep erases 0 people. After them: Aiko Tanaka on " + next[0].Due.Local().Format(time.DateOnly) + "."
	until("the summary", func() bool { return s.schedule.Text == want })
	if days, err := d.Station.RetentionDays(context.Background()); err != nil || days != 30 {
		t.Fatalf("in the journal: %d, %v", days, err)
	}
}

// The Journal card says whether the journal is this station's file or the site's shared
// database, and never shows the database's password.
func TestSettingsScreenSaysWhereTheJournalIs(t *testing.T) {
	test.NewTempApp(t)
	for location, want := range map[string]string{
		"/home/op/.local/share/enrollstation/journal.db": "This station's file /home/op/.local/share/enrollstation/journal.db",
		"postgres://desk:s3cret@db.site.example/enroll":  "Shared with the site's other stations, in the PostgreSQL database postgres://desk:xxxxx@db.site.example/enroll",
	} {
		d, err := demo.Start(context.Background(), demo.Options{People: -1, DoorEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		s, until := openScreen(t, NewModel(d.Station, "tech", location, nil, nil))
		until("the journal shown", func() bool { return s.journal.Text == want })
		d.Close()
	}
}

// Choosing Japanese where no font has its letters (Fyne's Latin font alone) shows the
// warning, and it goes with English; with the system's fonts (set up with a Japanese
// one) Japanese shows none. Saving is not blocked: the choice is the technician's.
func TestSettingsScreenWarnsOfALanguageNoFontDraws(t *testing.T) {
	test.NewTempApp(t)
	for _, c := range []struct {
		name  string
		fonts *fonts.Check
		warn  bool
	}{
		{"a Latin font alone", fonts.Of(theme.DefaultTextFont()), true},
		{"the system's fonts", fonts.System(), false},
	} {
		m, _ := demoModel(t, nil)
		m.UseFonts(c.fonts)
		s, until := openScreen(t, m)
		until("loaded", func() bool { return len(s.targets.Options) == 4 })
		s.language.SetSelected("日本語")
		until(c.name+": checked", func() bool { return m.State().FontChecked == "ja" })
		if got := m.State().NoFont; got != c.warn {
			t.Errorf("%s: no font %v, want %v", c.name, got, c.warn)
		}
		until(c.name+": shown", func() bool { return s.noFont.Visible() == c.warn })
		if s.save.Disabled() {
			t.Errorf("%s: Save disabled by the font warning", c.name)
		}
		s.language.SetSelected("English")
		until(c.name+": English, no warning", func() bool {
			return m.State().FontChecked == "en" && !m.State().NoFont && !s.noFont.Visible()
		})
	}
}
