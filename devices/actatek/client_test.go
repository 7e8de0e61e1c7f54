package actatek_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestMain(m *testing.M) {
	// The push benchmark runs its client in a child process (this test binary again) so
	// the peak RSS it reports is the client's alone.
	if os.Getenv(pushChildEnv) != "" {
		os.Exit(runPushChild())
	}
	os.Exit(m.Run())
}

// clock is a settable time source for the simulator.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a simulator behind a real HTTPS server on loopback and a client pinned to
// its certificate.
type fixture struct {
	sim   *actateksim.Simulator
	srv   *httptest.Server
	c     *actatek.Client
	clock *clock
	logs  *bytes.Buffer
}

func newFixture(t testing.TB, opts actateksim.Options) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}, logs: &bytes.Buffer{}}
	if opts.Now == nil {
		opts.Now = f.clock.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	sim, err := actateksim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.sim = sim
	f.srv = httptest.NewUnstartedServer(sim)
	f.srv.TLS = sim.TLSConfig()
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected in tests
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	f.c = f.client(t, actatek.Options{PinSHA256: sim.Fingerprint()})
	return f
}

// client makes another client for the fixture's terminal.
func (f *fixture) client(t testing.TB, o actatek.Options) *actatek.Client {
	t.Helper()
	if o.Credentials.Username == "" {
		o.Credentials = f.sim.Credentials()
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(&syncWriter{w: f.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c, err := actatek.New(f.srv.URL, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// asError returns err as *actatek.Error, failing the test when it is not one.
func asError(t *testing.T, err error) *actatek.Error {
	t.Helper()
	var e *actatek.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *actatek.Error, got %T: %v", err, err)
	}
	return e
}

func TestNewChecksTrust(t *testing.T) {
	cases := []struct {
		url  string
		opts actatek.Options
		want string
	}{
		{"https://10.0.0.5", actatek.Options{}, "pinned certificate fingerprint or a CA"},
		{"https://10.0.0.5", actatek.Options{PinSHA256: strings.Repeat("ab", 32), CAPEM: []byte("x")}, "not both"},
		{"http://10.0.0.5", actatek.Options{PinSHA256: strings.Repeat("ab", 32)}, "plain http"},
		{"https://10.0.0.5", actatek.Options{PinSHA256: "abcd"}, "64 hex digits"},
		{"https://10.0.0.5", actatek.Options{CAPEM: []byte("not pem")}, "no PEM certificate"},
		{"ftp://10.0.0.5", actatek.Options{}, "https://"},
		{"https://", actatek.Options{}, "no host"},
	}
	for _, c := range cases {
		_, err := actatek.New(c.url, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: got %v, want an error containing %q", c.url, c.opts, err, c.want)
		}
	}
	if _, err := actatek.New("https://10.0.0.5", actatek.Options{}); !errors.Is(err, actatek.ErrNoTrust) {
		t.Errorf("want ErrNoTrust, got %v", err)
	}
	if _, err := actatek.New("http://10.0.0.5", actatek.Options{}); err != nil {
		t.Errorf("plain http with an http URL: %v", err)
	}
}

func TestRefusalCarriesMessageAndStatus(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	err := f.c.Users.Delete(ctxT(t), "nobody")
	e := asError(t, err)
	if e.Call != "deleteUser" || e.Status != http.StatusBadRequest || !strings.Contains(e.Message, "nobody") {
		t.Errorf("got %+v", e)
	}
	if !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("%v should match ErrNotFound", err)
	}
}

func TestMalformedAnswer(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	if _, err := f.c.Terminal.Status(ctxT(t)); err != nil { // log in while answers are sound
		t.Fatal(err)
	}
	f.sim.SetMalformedRate(1)
	for i := 0; i < 6; i++ { // the three kinds of corruption come in a seeded order
		_, err := f.c.Terminal.Status(ctxT(t))
		e := asError(t, err)
		if !errors.Is(err, actatek.ErrMalformed) || e.Call != "getTerminalStatus" {
			t.Fatalf("call %d: got %v", i, err)
		}
	}
	f.sim.SetMalformedRate(0)
	if _, err := f.c.Terminal.Status(ctxT(t)); err != nil {
		t.Fatalf("after the fault: %v", err)
	}
}

func TestDroppedConnectionAndServerError(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	f.sim.SetDropRate(1)
	_, err := f.c.Departments.List(ctxT(t), actatek.DepartmentFilter{})
	if !errors.Is(err, actatek.ErrUnreachable) || !strings.Contains(err.Error(), "login") {
		t.Errorf("dropped: got %v (the first call is the login)", err)
	}
	f.sim.SetDropRate(0)
	f.sim.SetErrorRate(1)
	_, err = f.c.Departments.List(ctxT(t), actatek.DepartmentFilter{})
	e := asError(t, err)
	if e.Status != http.StatusInternalServerError || !strings.Contains(e.Message, "simulated fault") {
		t.Errorf("500: got %+v", e)
	}
	f.sim.SetErrorRate(0)
	if _, err := f.c.Departments.List(ctxT(t), actatek.DepartmentFilter{}); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}

func TestDeadline(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	c := f.client(t, actatek.Options{PinSHA256: f.sim.Fingerprint(), Timeout: 100 * time.Millisecond})
	f.sim.SetLatency(2 * time.Second)
	start := time.Now()
	_, err := c.Terminal.APIVersion(context.Background())
	if !errors.Is(err, actatek.ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the call took %v; the client timeout is 100ms", d)
	}
}

func TestAnswerSizeLimit(t *testing.T) {
	f := newFixture(t, actateksim.Options{DemoUsers: 3})
	c := f.client(t, actatek.Options{PinSHA256: f.sim.Fingerprint(), MaxResponseBytes: 4096})
	_, err := c.Users.List(ctxT(t), actatek.UserFilter{})
	if !errors.Is(err, actatek.ErrMalformed) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v", err)
	}
}

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if _, err := f.c.Terminal.Status(ctx); err != nil {
		t.Fatal(err)
	}
	f.sim.SetDropRate(1)
	_, err := f.c.Terminal.Status(ctx)
	f.sim.SetDropRate(0)
	logs := f.logs.String()
	for _, secret := range []string{f.sim.Credentials().Password, "/cgi-bin/restapi/terminalstatus/"} {
		if strings.Contains(logs, secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("%q leaked: error %q, logs:\n%s", secret, err, logs)
		}
	}
	creds := f.sim.Credentials()
	for _, s := range []string{fmt.Sprint(creds), fmt.Sprintf("%+v", creds), fmt.Sprintf("%#v", creds), fmt.Sprintf("%v", actatek.Options{Credentials: creds})} {
		if strings.Contains(s, creds.Password) {
			t.Errorf("password printed: %s", s)
		}
	}
}

// TestCredentialsNeverShowThePassword: printed, logged or marshalled by mistake, the
// password stays out.
func TestCredentialsNeverShowThePassword(t *testing.T) {
	const pw = "s3cret-Pa55"
	c := actatek.Credentials{Username: "admin", Password: pw}
	opts := actatek.Options{Credentials: c}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"username":"admin","password":"<redacted>"}`; !jsonEqual(t, string(js), want) {
		t.Errorf("json.Marshal = %s, want %s", js, want)
	}
	optsJS, err := json.Marshal(opts)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "creds", c, "opts", opts.Credentials)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "creds", c)
	shown := []string{string(js), string(optsJS), logs.String(),
		fmt.Sprintf("%v %+v %s %q %x %d %#v", c, c, c, c, c, c, c), fmt.Sprintf("%v %+v", opts, opts),
		fmt.Sprint(c), fmt.Sprintf("%v", &c)}
	for _, s := range shown {
		if strings.Contains(s, pw) || strings.Contains(s, fmt.Sprintf("%x", pw)) {
			t.Errorf("the password shows in %s", s)
		}
		if !strings.Contains(s, "admin") && !strings.Contains(s, fmt.Sprintf("%x", "admin")) {
			t.Errorf("the account is not named in %s", s)
		}
	}
}
