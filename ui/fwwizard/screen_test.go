package fwwizard

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"enrollstation/assets"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll"
	"enrollstation/enroll/firmware"
	"enrollstation/ui/uitest"
)

type fixture struct {
	t      *testing.T
	screen *Screen
	model  *Model
	win    fyne.Window
	loop   *uitest.Loop
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	test.NewTempApp(t)
	if err := assets.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	loop := uitest.NewLoop()
	m := New(cfg)
	win := test.NewTempWindow(t, nil)
	s := newScreen(t.Context(), m, win, loop.Run)
	win.SetContent(s.Content())
	win.Resize(fyne.NewSize(800, 600))
	t.Cleanup(func() {
		m.Cancel()
		stop := make(chan struct{})
		go func() { _ = m.Wait(t.Context()); close(stop) }()
		loop.DrainUntilClosed(stop)
	})
	return &fixture{t: t, screen: s, model: m, win: win, loop: loop}
}

func (f *fixture) until(what string, cond func() bool) {
	f.t.Helper()
	f.loop.PumpUntil(f.t, what, cond)
}

// next waits for Next to be enabled, as an operator would, and taps it.
func (f *fixture) next() {
	f.t.Helper()
	f.until("Next enabled", func() bool { return !f.screen.next.Disabled() })
	test.Tap(f.screen.next)
}

// choose gives the screen the file as the file open dialog would.
func (f *fixture) choose(path string) {
	f.t.Helper()
	r, err := storage.Reader(storage.NewFileURI(path))
	if err != nil {
		f.t.Fatal(err)
	}
	f.screen.fileChosen(r, nil)
}

// button finds the visible button labelled text in the window's top overlay.
func (f *fixture) overlayButton(text string) *widget.Button {
	f.t.Helper()
	top := f.win.Canvas().Overlays().Top()
	if top == nil {
		f.t.Fatal("no dialog is shown")
	}
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				found = w
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.TempWidgetRenderer(f.t, w).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	if found == nil {
		f.t.Fatalf("the dialog has no button %q", text)
	}
	return found
}

func twoDoors(t *testing.T, latency time.Duration) (a, b string, cfg Config) {
	simA, a := camera(t, "1.2.34")
	simB, b := camera(t, "1.2.30")
	simA.SetFaults(ef45sim.Faults{Latency: latency})
	simB.SetFaults(ef45sim.Faults{Latency: latency})
	cfg = Config{Updater: fastUpdater(firmware.Options{}), Tick: 20 * time.Millisecond,
		Station: uitest.FirmwareTargets{List: []enroll.Target{{ID: 1, Kind: enroll.TargetEF45, Name: "Door A", Address: a}}}, Camera: b}
	return a, b, cfg
}

func TestTheScreenWalksTheStepsToTheNewVersions(t *testing.T) {
	a, b, cfg := twoDoors(t, 30*time.Millisecond)
	f := newFixture(t, cfg)
	s := f.screen
	if !strings.Contains(s.title.Text, "step 1 of 5: Choose the EF-45 units") {
		t.Fatalf("title %q", s.title.Text)
	}
	f.until("the versions", func() bool {
		return len(s.unitRows) == 2 && s.unitRows[1].status.Text == "Version 1.2.30" && s.unitRows[0].status.Text == "Version 1.2.34"
	})
	if got := s.unitRows[0].check.Text; got != "Door A — "+a {
		t.Errorf("row 0 reads %q", got)
	}
	if got := s.unitRows[1].check.Text; got != "Capture camera — "+b {
		t.Errorf("row 1 reads %q", got)
	}
	if !s.next.Disabled() || s.back.Visible() && !s.back.Disabled() {
		t.Fatal("Next or Back enabled before a unit is chosen")
	}
	test.Tap(s.unitRows[0].check)
	test.Tap(s.unitRows[1].check)
	f.until("Next enabled", func() bool { return !s.next.Disabled() })
	// Alt+N is Next from the keyboard.
	// (The test canvas cannot type a shortcut: the action it was registered with is run.)
	s.keys[fyne.KeyN]()
	f.until("the file step", func() bool { return strings.Contains(s.title.Text, "step 2 of 5") })

	test.Tap(s.choose)
	if f.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Choose file shows no dialog")
	}
	f.win.Canvas().Overlays().Top().Hide()
	f.win.Canvas().Overlays().Remove(f.win.Canvas().Overlays().Top())
	f.choose(imageFile(t, "1.2.40", 3*unit))
	f.until("the file", func() bool { return s.fileVer.Text == "Version in the file: 1.2.40" })
	if s.fileName.Text != "File: ef45-1.2.40.img" || s.fileSize.Text != "Size: 3.0 MiB" || s.notNewer.Text != "" {
		t.Fatalf("file %q, %q, not newer %q", s.fileName.Text, s.fileSize.Text, s.notNewer.Text)
	}
	s.mode.SetSelected(s.mode.Options[1])
	f.until("forced", func() bool { return f.model.State().Force })
	s.mode.SetSelected(s.mode.Options[0])
	f.until("normal", func() bool { return !f.model.State().Force })
	test.Tap(s.next)
	f.until("the confirmation", func() bool { return strings.Contains(s.title.Text, "step 3 of 5") })

	if s.next.Text != "Start the upload" || !s.next.Disabled() {
		t.Fatalf("before the confirmation Next reads %q, disabled %v", s.next.Text, s.next.Disabled())
	}
	if want := "Upload ef45-1.2.40.img (normal) to: Door A, Capture camera"; s.summary.Text != want {
		t.Errorf("summary %q, want %q", s.summary.Text, want)
	}
	if !strings.Contains(s.warning.Text, "Do not switch the cameras off or unplug them") {
		t.Errorf("warning %q", s.warning.Text)
	}
	test.Tap(s.confirm)
	f.until("Start enabled", func() bool { return !s.next.Disabled() })
	test.Tap(s.next)

	// While it runs, closing the window asks first and does not close.
	closed := false
	s.CloseIntercept(func() { closed = true })()
	if closed {
		t.Fatal("the window closed while the upload ran")
	}
	f.overlayButton("Keep it open")
	test.Tap(f.overlayButton("Keep it open"))
	f.until("the run step", func() bool { return strings.Contains(s.title.Text, "step 4 of 5") && len(s.runRows) == 2 })
	if !s.cancel.Visible() || s.next.Visible() || s.back.Visible() {
		t.Fatal("the run step does not offer Cancel alone")
	}
	sawProgress, sawReboot := false, false
	f.until("the results", func() bool {
		for _, r := range s.runRows {
			sawProgress = sawProgress || r.bar.Value > 0 && r.bar.Value < r.bar.Max
			sawReboot = sawReboot || strings.HasPrefix(r.phase.Text, "Waiting for the camera to restart")
		}
		return strings.Contains(s.title.Text, "step 5 of 5")
	})
	if !sawProgress || !sawReboot {
		t.Errorf("progress shown %v, reboot wait shown %v", sawProgress, sawReboot)
	}
	got := []string{s.resultRows[0].outcome.Text, s.resultRows[1].outcome.Text}
	if got[0] != "Updated from 1.2.34 to 1.2.40" || got[1] != "Updated from 1.2.30 to 1.2.40" {
		t.Fatalf("results %q", got)
	}
	if n := s.resultRows[1].name.Text; n != "Capture camera" {
		t.Fatalf("the capture camera's result is named %q", n)
	}
	if s.resultRows[0].failure.box.Visible() || !s.again.Visible() {
		t.Fatal("a success shows a failure, or no Upload again")
	}
	s.CloseIntercept(func() { closed = true })()
	if !closed {
		t.Fatal("after the upload the window does not close")
	}
}

func TestAFailureReadsInOperatorWordsWithDetailsOneClickAway(t *testing.T) {
	_, _, cfg := twoDoors(t, 0)
	cfg.Camera = ""
	f := newFixture(t, cfg)
	s := f.screen
	f.until("the units", func() bool { return len(s.unitRows) == 1 && s.unitRows[0].status.Text == "Version 1.2.34" })
	test.Tap(s.unitRows[0].check)
	f.next()
	f.choose(imageFile(t, "", unit+10))
	f.until("the file", func() bool { return s.fileSize.Text != "" })
	if s.fileVer.Text != "The file does not say its version; the camera checks it" {
		t.Errorf("version line %q", s.fileVer.Text)
	}
	f.next()
	test.Tap(s.confirm)
	f.next()
	f.until("the results", func() bool { return strings.Contains(s.title.Text, "step 5 of 5") })

	r := s.resultRows[0]
	want := "The camera refused the upload at the last part, when the camera checks the file. The camera keeps its firmware 1.2.34; you can start again."
	if r.outcome.Text != "Not updated" || r.failure.msg.Text != want {
		t.Fatalf("result %q / %q\nwant %q", r.outcome.Text, r.failure.msg.Text, want)
	}
	if r.failure.text.Visible() {
		t.Fatal("the details show before they are asked for")
	}
	test.Tap(r.failure.more)
	if !r.failure.text.Visible() || !strings.Contains(r.failure.text.Text, ef45sim.ReasonNotFirmware) {
		t.Fatalf("details %q, shown %v", r.failure.text.Text, r.failure.text.Visible())
	}
}

func TestClosingDuringTheUploadStopsItOnlyWhenAsked(t *testing.T) {
	_, _, cfg := twoDoors(t, 50*time.Millisecond)
	f := newFixture(t, cfg)
	s := f.screen
	f.until("the units", func() bool { return len(s.unitRows) == 2 && s.unitRows[0].status.Text == "Version 1.2.34" })
	test.Tap(s.unitRows[0].check)
	f.next()
	f.choose(imageFile(t, "1.2.40", 8*unit))
	f.until("the file", func() bool { return s.fileVer.Text != "" })
	f.next()
	test.Tap(s.confirm)
	f.next()

	closed := false
	s.CloseIntercept(func() { closed = true })()
	test.Tap(f.overlayButton("Stop and close"))
	f.until("the window closed", func() bool { return closed })
	if f.model.Running() {
		t.Fatal("the window closed with the upload running")
	}
	st := f.model.State()
	if fl := st.Devices[0].Failure; fl == nil || fl.Cause != firmware.CauseCancelled {
		t.Fatalf("after Stop and close: %+v", st.Devices[0])
	}
}

func TestAnUnreachableUnitSaysSoOnTheScreen(t *testing.T) {
	_, _, cfg := twoDoors(t, 0)
	cfg.Camera = closedAddrOf(t)
	f := newFixture(t, cfg)
	s := f.screen
	// What the screen shows, not the model: the model is done before its last change is
	// drawn. Reread is enabled only once the versions are all in.
	f.until("the versions", func() bool { return len(s.unitRows) == 2 && !s.reread.Disabled() })
	r := s.unitRows[1]
	if r.status.Text != "Not reachable: check that it is switched on and connected" || !r.check.Disabled() {
		t.Fatalf("an unreachable unit reads %q, check disabled %v", r.status.Text, r.check.Disabled())
	}
	if r.err.text.Visible() {
		t.Fatal("its details show before they are asked for")
	}
	test.Tap(r.err.more)
	if !r.err.text.Visible() || !strings.Contains(r.err.text.Text, cfg.Camera) {
		t.Fatalf("details %q", r.err.text.Text)
	}
	if s.loading.Visible() || s.reread.Disabled() {
		t.Fatal("the versions still read as loading")
	}
}
