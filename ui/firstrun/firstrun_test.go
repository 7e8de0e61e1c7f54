package firstrun

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll/demo"
	"enrollstation/ui/uitest"
)

// On a station with targets but no camera: a wrong address is refused in words, the
// demo camera is checked and kept, and Start opens once both are there.
func TestFirstRunKeepsACameraThatAnswers(t *testing.T) {
	test.NewTempApp(t)
	d, err := demo.Start(context.Background(), demo.Options{People: -1, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	m := NewModel(d.Station, "tech")
	loop := uitest.NewLoop()
	started := false
	s := newScreen(m, widget.NewLabel("targets"), func() { started = true }, loop.Run)
	w := test.NewWindow(s.Content())
	defer w.Close()
	loop.PumpUntil(t, "the targets counted", func() bool { return m.State().Targets == 4 })

	test.Type(s.address, "127.0.0.1:1")
	s.address.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	loop.PumpUntil(t, "the refusal", func() bool { return m.State().Problem != nil && !s.check.Disabled() })
	if !s.start.Disabled() {
		t.Fatal("Start is open without a camera")
	}
	if a, _ := d.Station.CameraAddress(context.Background()); a == "127.0.0.1:1" {
		t.Fatalf("a camera that did not answer was kept: %q", a)
	}

	s.address.SetText(d.Camera)
	test.Tap(s.check)
	loop.PumpUntil(t, "the camera kept", func() bool { return m.State().Ready() && !s.start.Disabled() })
	if a, _ := d.Station.CameraAddress(context.Background()); a != d.Camera {
		t.Fatalf("camera kept %q, want %q", a, d.Camera)
	}
	if st := m.State(); st.Camera.Version == "" || st.Camera.Serial == "" {
		t.Fatalf("camera %+v", st.Camera)
	}
	test.Tap(s.start)
	if !started {
		t.Fatal("Start did nothing")
	}
}

// A count handed in by the screen that lists the targets replaces the page's own read.
func TestSetTargetsOpensStart(t *testing.T) {
	m := NewModel(nil, "tech")
	calls := 0
	m.Subscribe(func() { calls++ })
	m.SetTargets(2)
	m.SetTargets(2)
	if m.State().Targets != 2 || calls != 1 {
		t.Fatalf("targets %d after %d notifications", m.State().Targets, calls)
	}
}
