package history

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/ui/uitest"
)

// screenFixture is a History screen in a test window over a demo station.
type screenFixture struct {
	t      *testing.T
	d      *demo.Demo
	model  *Model
	screen *Screen
	loop   *uitest.Loop
	win    fyne.Window
}

func newScreenFixture(t *testing.T, d *demo.Demo) *screenFixture {
	t.Helper()
	test.NewTempApp(t)
	loop := uitest.NewLoop()
	m := NewModelWith(FromStation(d.Station), "op1", Options{Debounce: 20 * time.Millisecond})
	win := test.NewTempWindow(t, nil)
	s := newScreen(m, win, loop.Run)
	win.SetContent(s.Content())
	win.Resize(fyne.NewSize(1100, 800))
	t.Cleanup(func() {
		s.Close()
		m.Close()
	})
	return &screenFixture{t: t, d: d, model: m, screen: s, loop: loop, win: win}
}

// until runs posted UI work on the test goroutine until cond holds.
func (f *screenFixture) until(what string, cond func() bool) {
	f.t.Helper()
	if !f.loop.Until(30*time.Second, cond) {
		f.t.Fatalf("timed out waiting for %s; model %+v", what, f.model.State())
	}
}

// selectRow selects the person with key in the list, as a click or the arrow keys do.
func (f *screenFixture) selectRow(key string) {
	f.t.Helper()
	for i, p := range f.screen.people {
		if p.Key == key {
			f.screen.list.Select(i)
			return
		}
	}
	f.t.Fatalf("%s is not in the list", key)
}

// buttonIn finds the button with text among objects, depth first.
func buttonIn(objs []fyne.CanvasObject, text string) *widget.Button {
	for _, o := range objs {
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				return w
			}
		case *fyne.Container:
			if b := buttonIn(w.Objects, text); b != nil {
				return b
			}
		}
	}
	return nil
}

func TestTypingSearchesAndSelectingShowsTheDetail(t *testing.T) {
	f := newScreenFixture(t, startDemo(t, 3))
	s := f.screen
	f.until("the first page", func() bool { return len(s.people) == 3 })
	if s.total.Text != "1–3 of 3" || !s.prev.Disabled() || !s.next.Disabled() {
		t.Errorf("total %q, prev disabled %v, next disabled %v", s.total.Text, s.prev.Disabled(), s.next.Disabled())
	}
	test.Type(s.search, "tana")
	if got := f.model.State().Filter.Text; got != "tana" {
		t.Fatalf("the model searches %q", got)
	}
	f.until("the typed search", func() bool { return len(s.people) == 1 && !f.model.State().Searching })
	if s.people[0].Key != "demo-0001" || s.total.Text != "1–1 of 1" {
		t.Fatalf("list %v, total %q", keysOf(s.people), s.total.Text)
	}
	if !s.detail.body.Hidden || s.detail.empty.Hidden {
		t.Error("a detail is shown before any selection")
	}
	f.selectRow("demo-0001")
	if f.model.State().Selected != "demo-0001" {
		t.Fatalf("the model shows %q", f.model.State().Selected)
	}
	f.until("the photo", func() bool { return s.detail.photoImg != nil && s.detail.photo.Image == s.detail.photoImg })
	if s.detail.name.Text != "Aiko Tanaka" || !strings.Contains(s.detail.fields.Text, "Key: demo-0001") ||
		!strings.Contains(s.detail.fields.Text, "Department: Front desk") {
		t.Errorf("detail %q / %q", s.detail.name.Text, s.detail.fields.Text)
	}
	if n := len(s.detail.pushes.Objects); n != 4 {
		t.Errorf("%d push rows, want one per target", n)
	}
	if b := s.detail.photo.Image.Bounds(); b.Dx() != 480 {
		t.Errorf("photo %v", b)
	}
	test.Tap(s.detail.close)
	f.until("the detail closed", func() bool { return s.detail.body.Hidden })
	if st := f.model.State(); st.Detail != nil || s.detail.photoImg != nil || s.detail.photo.Resource == nil {
		t.Error("the decrypted photo stays after the detail closed")
	}
}

func TestAFailedPushIsPushedAgainFromTheScreen(t *testing.T) {
	d := startDemo(t, 1)
	d.Sims.ACTAtek[0].SetMaxUsers(0)
	runOutbox(t, d)
	f := newScreenFixture(t, d)
	s := f.screen
	f.until("the first page", func() bool { return len(s.people) == 1 })
	f.selectRow("demo-0001")
	var again *widget.Button
	f.until("push again", func() bool {
		again = buttonIn(s.detail.pushes.Objects, "Push again")
		return again != nil
	})
	f.until("the device's message", func() bool {
		return strings.Contains(s.detail.fields.Text, "demo-0001") && labelWith(s.detail.pushes.Objects, "terminal full")
	})
	d.Sims.ACTAtek[0].SetMaxUsers(100)
	test.Tap(again)
	f.until("the push queued again", func() bool { return labelWith(s.detail.pushes.Objects, "pending") })
	runOutbox(t, d)
	f.until("every push done", func() bool {
		st := f.model.State()
		return st.Detail != nil && st.Detail.Person.PushState == enroll.PushDone && buttonIn(s.detail.pushes.Objects, "Push again") == nil
	})
}

// labelWith reports whether a label among objects holds text.
func labelWith(objs []fyne.CanvasObject, text string) bool {
	for _, o := range objs {
		switch w := o.(type) {
		case *widget.Label:
			if strings.Contains(w.Text, text) {
				return true
			}
		case *fyne.Container:
			if labelWith(w.Objects, text) {
				return true
			}
		}
	}
	return false
}

func TestEraseIsConfirmedAndFollowedOnTheScreen(t *testing.T) {
	d := startDemo(t, 2)
	runOutbox(t, d)
	f := newScreenFixture(t, d)
	s := f.screen
	f.until("the first page", func() bool { return len(s.people) == 2 })
	f.selectRow("demo-0001")
	f.until("the detail", func() bool { return !s.detail.erase.Disabled() })

	test.Tap(s.detail.erase)
	f.until("the confirmation", func() bool { return s.erase.confirmOpen && !s.erase.confirmBtn.Disabled() })
	plan := s.erase.planText.Text
	for _, want := range []string{"Aiko Tanaka (demo-0001)", demo.GateName, demo.LobbyName, demo.OfficeName, demo.CloudName,
		"journal: 1 captures with 5 biometric items"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the confirmation does not name %q:\n%s", want, plan)
		}
	}
	// Cancel first: nothing is erased.
	test.Tap(s.erase.cancelBtn)
	f.until("the confirmation closed", func() bool { return !s.erase.confirmOpen })
	if st := f.model.State(); st.ErasePlan != nil || st.Erase != nil {
		t.Fatalf("cancel left %+v %+v", st.ErasePlan, st.Erase)
	}

	test.Tap(s.detail.erase)
	f.until("the confirmation again", func() bool { return s.erase.confirmOpen && !s.erase.confirmBtn.Disabled() })
	test.Tap(s.erase.confirmBtn)
	if st := f.model.State(); st.Erase == nil || st.Erase.PersonKey != "demo-0001" {
		t.Fatalf("after confirm the model has %+v", st.Erase)
	}
	f.until("the progress with its steps", func() bool { return s.erase.progressOpen && len(s.erase.steps.Objects) == 4 })
	if s.erase.closeBtn.Text != "Continue in the background" {
		t.Errorf("close button %q while erasing", s.erase.closeBtn.Text)
	}
	runUntil(t, d)
	f.until("the erase done", func() bool {
		st := f.model.State()
		return st.Erase != nil && st.Erase.JournalErased && s.erase.bar.Value == 1
	})
	f.until("the screen's last refresh", func() bool { return s.erase.closeBtn.Text == "Close" })
	if !strings.Contains(s.erase.journal.Text, "erased") || !labelWith(s.erase.steps.Objects, "deleted") {
		t.Errorf("journal %q", s.erase.journal.Text)
	}
	f.until("the list without the person", func() bool { return len(s.people) == 1 && s.detail.body.Hidden })
	if s.people[0].Key != "demo-0002" || f.model.State().Selected != "" {
		t.Fatalf("after the erase: list %v, selected %q", keysOf(s.people), f.model.State().Selected)
	}
	test.Tap(s.erase.closeBtn)
	if f.model.State().Erase != nil || s.erase.progressOpen {
		t.Error("the finished erase stays after close")
	}
}

// Every key the screen shows is in the English translations.
func TestEveryShownKeyIsTranslated(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "translations", "history.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]string
	if err := json.Unmarshal(b, &en); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("screen*.go")
	key := regexp.MustCompile(`lang\.X\(\s*"([^"]+)",\s*"((?:[^"\\]|\\.)*)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			n++
			if got, ok := en[m[1]]; !ok || got != m[2] {
				t.Errorf("%s: key %s is %q in history.en.json, the code says %q", f, m[1], got, m[2])
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d keys found", n)
	}
}

func TestShortcutsReachTheSearchAndThePages(t *testing.T) {
	d := startDemo(t, -1)
	savePeople(t, d, 60)
	f := newScreenFixture(t, d)
	s := f.screen
	f.until("the first page", func() bool { return len(s.people) == PageSize && !s.next.Disabled() })
	// The test canvas does not dispatch shortcuts: run what each one is bound to.
	typed := func(sc fyne.Shortcut) {
		fn := s.keys[sc.ShortcutName()]
		if fn == nil {
			t.Fatalf("no shortcut %s", sc.ShortcutName())
		}
		fn()
	}
	ctrl := func(k fyne.KeyName) fyne.Shortcut {
		return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	typed(ctrl(fyne.KeyF))
	if f.win.Canvas().Focused() != s.search {
		t.Errorf("Ctrl+F focuses %v", f.win.Canvas().Focused())
	}
	typed(ctrl(fyne.KeyPageDown))
	f.until("the second page", func() bool { return len(s.people) == 10 && s.total.Text == "51–60 of 60" })
	typed(ctrl(fyne.KeyPageUp))
	f.until("the first page again", func() bool { return len(s.people) == PageSize && s.prev.Disabled() })
}

func TestExportShowsItsOutcome(t *testing.T) {
	f := newScreenFixture(t, startDemo(t, 3))
	s := f.screen
	f.until("the first page", func() bool { return len(s.people) == 3 })
	var out closingBuffer
	f.model.Export(&out)
	f.until("the export done", func() bool { return s.exportNote.Text == "Exported 3 people" })
	if s.export.Disabled() || !s.exportBar.Hidden || !s.exportProb.box.Hidden || !out.closed {
		t.Errorf("after the export: button disabled %v, bar hidden %v, problem hidden %v, closed %v",
			s.export.Disabled(), s.exportBar.Hidden, s.exportProb.box.Hidden, out.closed)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 4 {
		t.Errorf("%d lines exported", lines)
	}
}
