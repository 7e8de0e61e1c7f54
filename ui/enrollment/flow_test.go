package enrollment

import (
	"context"
	"image"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/demo"
)

// demoFlow is the flow on demo mode: every simulator, a journal with four targets, and
// the station's worker running.
func demoFlow(t testing.TB) (*Flow, *demo.Demo) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d, err := demo.Start(ctx, demo.Options{People: -1, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = d.Station.Run(ctx) }()
	cam, err := capture.OpenCamera(d.Camera, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := d.Station
	m := NewCaptureModel(NewEF45Camera(cam, st.Store()), CaptureModelOptions{
		Journal: capture.WithQueue(st.Store(), st), Operator: "op1", PreviewSize: image.Pt(170, 128)})
	f := NewFlow(m, NewPushList(st, "op1", nil), st, "op1")
	t.Cleanup(func() {
		f.Close()
		m.Close()
		cancel()
		<-done
		d.Close()
	})
	return f, d
}

// A person enrolled end to end in demo mode: the form, the capture, accept, and every
// target done, followed live.
func TestEnrollEndToEndInDemoMode(t *testing.T) {
	f, d := demoFlow(t)
	f.Capture.Connect()
	waitState(t, f.Capture, "connected", func(s CaptureState) bool { return s.Phase == PhaseReady })

	// An incomplete form does not start the camera, and says why.
	if f.Start() {
		t.Fatal("a capture started without a name or consent")
	}
	if got := fields(f.Problems()); !got[FieldName] || !got[FieldConsent] {
		t.Fatalf("problems %+v", f.Problems())
	}
	form := f.Form()
	form.GivenName, form.FamilyName, form.CardNumber, form.Consent = "Ada", "Lovelace", "4100999", true
	f.SetForm(form)
	if len(f.Problems()) != 0 {
		t.Fatalf("problems after fixing the form: %+v", f.Problems())
	}
	if !f.Start() {
		t.Fatal("the capture did not start")
	}
	st := waitState(t, f.Capture, "captured", func(s CaptureState) bool { return s.Phase == PhaseDone || s.Phase == PhaseFailed })
	if st.Phase != PhaseDone || len(st.Result.Gates) == 0 {
		t.Fatalf("capture: %+v", st)
	}
	f.Accept(capture.Decisions{AcceptFailedGates: !st.Result.Passed()})
	st = waitState(t, f.Capture, "saved", func(s CaptureState) bool { return s.Phase == PhaseSaved || s.Problem != nil })
	if st.Phase != PhaseSaved || st.Saved.PersonKey != form.Key || len(st.Saved.Outbox) != 4 {
		t.Fatalf("saved: %+v, problem %+v", st.Saved, st.Problem)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !f.Pushes.Done() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	rows := f.Pushes.Rows()
	if !f.Pushes.Done() {
		t.Fatalf("pushes not done: %+v", rows)
	}
	names := map[string]bool{}
	for _, r := range rows {
		names[r.Target] = r.State == enroll.OutboxDone
	}
	for _, n := range []string{demo.GateName, demo.LobbyName, demo.OfficeName, demo.CloudName} {
		if !names[n] {
			t.Errorf("%s: not done in %+v", n, rows)
		}
	}
	if _, ok := d.Sims.ACTAtek[0].User(form.Key); !ok {
		t.Error("the lobby terminal does not hold the person")
	}
	// The next person starts with an empty form and a new key.
	f.Next()
	if next := f.Form(); next.Key == form.Key || next.GivenName != "" {
		t.Fatalf("next form %+v", next)
	}
}

func fields(ps []FieldProblem) map[string]bool {
	out := map[string]bool{}
	for _, p := range ps {
		out[p.Field] = true
	}
	return out
}
