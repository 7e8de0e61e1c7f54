package capture

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/store"
)

// rig is a simulated camera on loopback and a temporary journal.
type rig struct {
	dev     *ef45sim.Device
	client  *ef45.Client
	journal *store.Store
}

func newRig(t testing.TB, opts ef45sim.Options) *rig {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 5
	}
	if opts.CaptureDuration == 0 {
		opts.CaptureDuration = 300 * time.Millisecond
	}
	dev := ef45sim.New(opts)
	srv := httptest.NewServer(dev)
	t.Cleanup(srv.Close)
	c, err := ef45.New(srv.URL, ef45.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	j, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "journal.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return &rig{dev: dev, client: c, journal: j}
}

func (r *rig) camera() *Camera { return NewCamera(r.client, r.journal) }

func (r *rig) session(opts SessionOptions) *Session {
	if !opts.Capture.Modes.Any() {
		opts.Capture.Modes = ef45.StartModes{Face: true, BothEyes: true}
	}
	if opts.People == nil {
		opts.People = r.journal
	}
	return r.camera().NewSession(opts)
}

func person(key string) store.Person {
	return store.Person{Key: key, GivenName: "Ada", FamilyName: "Lovelace", ConsentAt: time.Now(), ConsentBy: "desk"}
}

// lenient accepts every capture of the simulator (its last frame may sit at the edge).
func lenient() *Gates {
	g := DefaultGates()
	g.MinIrisRadiusPx, g.MinDistanceMM, g.MaxDistanceMM = 0, 0, 10000
	return &g
}

// recorder keeps every state a subscriber saw.
type recorder struct {
	mu     sync.Mutex
	states []State
}

func (r *recorder) see(u Update) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.states); n == 0 || r.states[n-1] != u.State {
		r.states = append(r.states, u.State)
	}
}

func (r *recorder) seen() []State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]State(nil), r.states...)
}

func TestSessionAcceptSavesThenReleases(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{CaptureDuration: 3 * time.Second})
	target, err := r.journal.AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: "door", Address: "192.0.2.1:9980", Enabled: true}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	s := r.session(SessionOptions{Gates: lenient()})
	var rec recorder
	unsubscribe := s.Subscribe(rec.see)
	res, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unsubscribe()
	got := rec.seen()
	if got[0] != Idle || got[1] != Connecting || got[2] != WaitingForPerson || got[len(got)-1] != Captured {
		t.Errorf("states %v: want idle, connecting, waiting for the person first and captured last", got)
	}
	if !contains(got, Adjusting) {
		t.Errorf("states %v never showed adjusting", got)
	}
	if len(res.Gates) == 0 || len(res.FailedGates()) != 0 || len(res.Duplicates) != 0 {
		t.Fatalf("gates %v, duplicates %v", res.Gates, res.Duplicates)
	}
	if st := r.dev.State(); !st.LockHeld || st.BiometricItems != 1 {
		t.Fatalf("before accept: lock held %v, items %d; want the lock and the item kept", st.LockHeld, st.BiometricItems)
	}
	saved, err := res.Accept(ctx, r.journal, person("p-1"), []store.TargetID{target.ID}, Decisions{Operator: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	if st := r.dev.State(); st.LockHeld || st.BiometricItems != 0 {
		t.Fatalf("after accept: lock held %v, items %d", st.LockHeld, st.BiometricItems)
	}
	c, err := r.journal.Capture(ctx, saved.CaptureID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"eye_image/left": true, "eye_image/right": true, "eye_template/left": true, "eye_template/right": true,
		"face_image/far_off": true, "face_feature/far_off": true, "photo/": true}
	have := map[string]bool{}
	for _, b := range c.Blobs {
		have[string(b.Kind)+"/"+b.Variant] = true
	}
	for k := range want {
		if !have[k] {
			t.Errorf("journal capture lacks blob %s (has %v)", k, have)
		}
	}
	if c.EncounterID != res.Data.EncounterID || c.Operator != "desk" || c.Quality.DistanceMM == 0 {
		t.Errorf("capture %+v", c)
	}
	if len(saved.Outbox) != 1 {
		t.Errorf("outbox rows %v, want one for the one target", saved.Outbox)
	}
	if v, _ := r.journal.Setting(ctx, r.camera().LockSetting()); v != "" {
		t.Errorf("lock uid %q still remembered after release", v)
	}
}

func contains(states []State, s State) bool {
	for _, x := range states {
		if x == s {
			return true
		}
	}
	return false
}

// failingJournal refuses to save.
type failingJournal struct{ *store.Store }

func (failingJournal) SaveCapture(context.Context, store.Person, store.Capture, []store.TargetID) (store.Saved, error) {
	return store.Saved{}, errors.New("disk full")
}

func TestFailedSaveKeepsTheItemInTheCamera(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{})
	s := r.session(SessionOptions{Gates: lenient()})
	res, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.Accept(ctx, failingJournal{r.journal}, person("p-2"), nil, Decisions{Operator: "desk"}); err == nil {
		t.Fatal("accept succeeded with a journal that cannot save")
	}
	if st := r.dev.State(); st.BiometricItems != 1 || !st.LockHeld {
		t.Fatalf("after a failed save: items %d, lock held %v; want the item and the lock kept", st.BiometricItems, st.LockHeld)
	}
	// The operator tries again once the journal can save.
	if _, err := res.Accept(ctx, r.journal, person("p-2"), nil, Decisions{Operator: "desk"}); err != nil {
		t.Fatal(err)
	}
	if st := r.dev.State(); st.BiometricItems != 0 || st.LockHeld {
		t.Fatalf("after the retried save: items %d, lock held %v", st.BiometricItems, st.LockHeld)
	}
}

func TestCancelMidCaptureStopsTheCameraWithinASecond(t *testing.T) {
	r := newRig(t, ef45sim.Options{CaptureDuration: time.Hour})
	s := r.session(SessionOptions{})
	running := make(chan struct{})
	var once sync.Once
	s.Subscribe(func(u Update) {
		if u.Frames > 0 {
			once.Do(func() { close(running) })
		}
	})
	done := make(chan error, 1)
	go func() {
		_, err := s.Run(t.Context())
		done <- err
	}()
	select {
	case <-running:
	case <-time.After(10 * time.Second):
		t.Fatal("no preview frame within 10 s")
	}
	if !r.dev.State().CameraRunning {
		t.Fatal("the camera is not running mid-capture")
	}
	cancelled := time.Now()
	s.Cancel()
	for r.dev.State().CameraRunning {
		if time.Since(cancelled) > time.Second {
			t.Fatal("the camera still runs 1 s after cancel")
		}
		time.Sleep(5 * time.Millisecond)
	}
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if u := s.Update(); u.State != Cancelled {
		t.Errorf("state %v, want cancelled", u.State)
	}
	if r.dev.State().LockHeld {
		t.Error("the lock is still held after cancel")
	}
}

func TestGateFailureRetakeOrAccept(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{})
	strict := DefaultGates()
	strict.MinUsableIrisArea = 101 // no eye passes
	s := r.session(SessionOptions{Gates: &strict})
	res, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	failed := res.FailedGates()
	if len(failed) < 2 || failed[0].Name != "left iris usable area" || failed[0].Limit != "at least 101 %" {
		t.Fatalf("failed gates %v", failed)
	}
	if _, err := res.Accept(ctx, r.journal, person("p-3"), nil, Decisions{Operator: "desk"}); !errors.Is(err, ErrGatesFailed) {
		t.Fatalf("accept without override: %v, want ErrGatesFailed", err)
	}
	if err := res.Retake(ctx, r.journal, "desk"); err != nil {
		t.Fatal(err)
	}
	if st := r.dev.State(); st.BiometricItems != 0 || !st.LockHeld {
		t.Fatalf("after retake: items %d, lock held %v; want the item gone and the lock kept", st.BiometricItems, st.LockHeld)
	}
	res, err = s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := res.Accept(ctx, r.journal, person("p-3"), nil, Decisions{Operator: "desk", AcceptFailedGates: true})
	if err != nil {
		t.Fatal(err)
	}
	log, err := r.journal.AuditLog(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []store.Action
	for _, e := range log {
		if e.Action == ActionRetake || e.Action == ActionGateOverride {
			actions = append(actions, e.Action)
			if e.Action == ActionGateOverride && e.PersonKey != saved.PersonKey {
				t.Errorf("override row names %q, want %q", e.PersonKey, saved.PersonKey)
			}
		}
	}
	if len(actions) != 2 {
		t.Errorf("audit actions %v, want one retake and one gate override", actions)
	}
}
