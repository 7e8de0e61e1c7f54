package ef45_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

// testDevice is a simulator served over loopback HTTP, with a record of the paths asked.
type testDevice struct {
	*ef45sim.Device
	URL string

	mu    sync.Mutex
	paths []string
}

func (d *testDevice) asked(path string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, p := range d.paths {
		if p == path {
			n++
		}
	}
	return n
}

func newDevice(t testing.TB, opts ef45sim.Options) *testDevice {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.CaptureDuration == 0 {
		opts.CaptureDuration = 600 * time.Millisecond
	}
	if opts.RebootTime == 0 {
		opts.RebootTime = 300 * time.Millisecond
	}
	if opts.CardDelay == 0 {
		opts.CardDelay = 200 * time.Millisecond
	}
	d := &testDevice{Device: ef45sim.New(opts)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.paths = append(d.paths, r.Method+" "+r.URL.Path)
		d.mu.Unlock()
		d.Device.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	d.URL = srv.URL
	return d
}

func newClient(t testing.TB, d *testDevice, opts ...ef45.Option) *ef45.Client {
	t.Helper()
	// Generous: under -race on a busy machine the simulator's first 5 MB answer is slow.
	c, err := ef45.New(d.URL, append([]ef45.Option{ef45.WithTimeout(30 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func openSession(t testing.TB, c *ef45.Client) *ef45.Session {
	t.Helper()
	s, err := c.Open(context.Background(), false)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func TestNewAcceptsHostPortAndURLs(t *testing.T) {
	for _, in := range []string{"192.0.2.1:9980", "http://192.0.2.1:9980", "http://192.0.2.1:9980/1.0"} {
		c, err := ef45.New(in)
		if err != nil || c.Addr() != "192.0.2.1:9980" {
			t.Errorf("New(%q) = %v, %v", in, c, err)
		}
	}
	if _, err := ef45.New("http://"); err == nil {
		t.Error("an empty host was accepted")
	}
}

func TestVersionNeedsNoLock(t *testing.T) {
	d := newDevice(t, ef45sim.Options{Version: "1.2.40"})
	v, err := newClient(t, d).Version(context.Background())
	if err != nil || v != "1.2.40" {
		t.Fatalf("Version = %q, %v", v, err)
	}
}

func TestLockIsExclusiveAndForceTakesItOver(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	first := openSession(t, newClient(t, d))
	if len(first.LockUID()) != 36 {
		t.Fatalf("lock uid %q is not 8-4-4-4-12", first.LockUID())
	}

	other := newClient(t, d)
	_, err := other.Open(ctx, false)
	if !errors.Is(err, ef45.ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	var e *ef45.Error
	if !errors.As(err, &e) || e.Status != http.StatusConflict || !strings.Contains(e.OperatorMessage(), "another workstation") {
		t.Fatalf("409 not reported for the operator: %#v", err)
	}

	second, err := other.Open(ctx, true)
	if err != nil {
		t.Fatalf("force open: %v", err)
	}
	_, err = first.Camera.Get(ctx)
	if !errors.Is(err, ef45.ErrLockLost) {
		t.Fatalf("old holder's call: %v, want ErrLockLost", err)
	}
	if _, err := second.Camera.Get(ctx); err != nil {
		t.Fatalf("new holder's call: %v", err)
	}
	if err := second.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := second.Close(ctx); err != nil {
		t.Fatalf("second close: %v", err)
	}
	// Released: a third workstation gets the lock without force.
	openSession(t, newClient(t, d))
}

func TestCloseAfterLockLossIsQuiet(t *testing.T) {
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	d.StealLock()
	if _, err := s.Camera.Get(context.Background()); !errors.Is(err, ef45.ErrLockLost) {
		t.Fatalf("after StealLock: %v", err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("close of a lost lock: %v", err)
	}
}

func TestFaultsAreReportedAsTheirKind(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		faults ef45sim.Faults
		want   error
		status int
	}{
		{"server error", ef45sim.Faults{ErrorRate: 1}, nil, http.StatusInternalServerError},
		{"malformed JSON", ef45sim.Faults{MalformedRate: 1}, ef45.ErrMalformed, http.StatusOK},
		{"dropped connection", ef45sim.Faults{DropRate: 1}, ef45.ErrUnreachable, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newDevice(t, ef45sim.Options{})
			c := newClient(t, d)
			d.SetFaults(tc.faults)
			_, err := c.Version(ctx)
			var e *ef45.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *ef45.Error", err)
			}
			if e.Status != tc.status || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("got status %d, err %v; want status %d, %v", e.Status, err, tc.status, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "ef45 version: ") {
				t.Fatalf("error does not name the call: %q", err)
			}
			if e.OperatorMessage() == "" {
				t.Fatal("no operator message")
			}
		})
	}
}

func TestTimeoutNamesTheCall(t *testing.T) {
	d := newDevice(t, ef45sim.Options{})
	d.SetFaults(ef45sim.Faults{Latency: 500 * time.Millisecond})
	c := newClient(t, d, ef45.WithTimeout(50*time.Millisecond))
	_, err := c.Version(context.Background())
	var e *ef45.Error
	if !errors.As(err, &e) || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ef45.ErrTimeout) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if !strings.Contains(e.OperatorMessage(), "did not answer in time") {
		t.Fatalf("operator message %q", e.OperatorMessage())
	}
	if !e.Temporary() {
		t.Fatal("a timeout is not worth a retry")
	}
}

func TestUnreachableDevice(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, _ := ef45.New(url, ef45.WithTimeout(time.Second))
	_, err := c.Open(context.Background(), false)
	if !errors.Is(err, ef45.ErrUnreachable) {
		t.Fatalf("got %v, want ErrUnreachable", err)
	}
}

func TestRebootIsAStateToWaitOut(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	c := newClient(t, d)
	s := openSession(t, c)
	d.Reboot(400 * time.Millisecond)
	_, err := s.Camera.Get(ctx)
	if !errors.Is(err, ef45.ErrRebooting) && !errors.Is(err, ef45.ErrUnreachable) {
		t.Fatalf("during reboot: %v", err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, wentDown, err := c.AwaitRestart(waitCtx, s.Version(), 50*time.Millisecond)
	if err != nil || !wentDown || v != s.Version() {
		t.Fatalf("AwaitRestart = %q, %v, %v", v, wentDown, err)
	}
	// The restart dropped the lock: the old session is refused, a new one is granted.
	if _, err := s.Camera.Get(ctx); !errors.Is(err, ef45.ErrLockLost) {
		t.Fatalf("old session after restart: %v", err)
	}
	openSession(t, c)
}

func TestOversizedAnswersAreRefused(t *testing.T) {
	huge := `{"version":"` + strings.Repeat("9", 2<<20) + `"}`
	for _, chunked := range []bool{false, true} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !chunked {
				w.Header().Set("Content-Length", strconv.Itoa(len(huge)))
			}
			io.WriteString(w, huge)
		}))
		c, err := ef45.New(srv.URL, ef45.WithHTTPClient(srv.Client()))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Version(context.Background())
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Fatalf("chunked=%v: a 2 MB version answer gave %v", chunked, err)
		}
	}
}
