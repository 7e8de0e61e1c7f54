package clue_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

// testSpacing is the pacing of tests that are not about the 300 ms itself.
const testSpacing = 15 * time.Millisecond

// env is a simulator on loopback and what a client needs to reach it.
type env struct {
	t     testing.TB
	sim   *cluesim.Server
	srv   *httptest.Server
	pacer *clue.Pacer
}

func newEnv(t testing.TB, opts cluesim.Options) *env {
	t.Helper()
	if opts.Spacing == 0 {
		opts.Spacing = testSpacing
	}
	sim := cluesim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &env{t: t, sim: sim, srv: srv, pacer: clue.NewTestPacer(max(opts.Spacing, 0))}
}

// client makes a client with the simulator's API key; mod adjusts the options.
func (e *env) client(mod func(*clue.Options)) *clue.Client {
	e.t.Helper()
	o := clue.Options{BaseURL: e.srv.URL, PlaceID: 178, APIKey: clue.Secret(e.sim.APIKey()), Pacer: e.pacer, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&o)
	}
	c, err := clue.NewClient(o)
	if err != nil {
		e.t.Fatalf("NewClient: %v", err)
	}
	return c
}

func photo(t testing.TB, seed int64, w, h int) []byte {
	t.Helper()
	b, err := cluesim.FacePhoto(seed, w, h, 85)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func asError(t *testing.T, err error) *clue.Error {
	t.Helper()
	var ce *clue.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is not a *clue.Error", err, err)
	}
	return ce
}

func TestNewClientChecksOptions(t *testing.T) {
	key := clue.Secret("k")
	phone := &clue.PhoneLogin{CountryCode: "kr", Phone: "1", Password: "p"}
	for name, o := range map[string]clue.Options{
		"bad scheme":       {BaseURL: "ftp://x", PlaceID: 1, APIKey: key},
		"no host":          {BaseURL: "https://", PlaceID: 1, APIKey: key},
		"relative prefix":  {Prefix: "v1", PlaceID: 1, APIKey: key},
		"no place":         {APIKey: key},
		"bad door":         {PlaceID: 1, APIKey: key, DoorIDs: []int64{0}},
		"no credentials":   {PlaceID: 1},
		"both credentials": {PlaceID: 1, APIKey: key, Phone: phone},
		"phone no pass":    {PlaceID: 1, Phone: &clue.PhoneLogin{CountryCode: "kr", Phone: "1"}},
	} {
		if _, err := clue.NewClient(o); err == nil {
			t.Errorf("%s: NewClient accepted %+v", name, o)
		}
	}
	c, err := clue.NewClient(clue.Options{PlaceID: 7, APIKey: key})
	if err != nil || c.PlaceID() != 7 {
		t.Fatalf("NewClient with defaults: %v", err)
	}
}

// TestCallsCarryHeadersUnderBothPrefixes checks the path, the bearer token and the JSON
// headers of a call, under /v1 and /v1/be.
func TestCallsCarryHeadersUnderBothPrefixes(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	for _, prefix := range []string{clue.PrefixV1, clue.PrefixBE} {
		var mu sync.Mutex
		var seen []*http.Request
		spy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen = append(seen, r.Clone(context.Background()))
			mu.Unlock()
			e.sim.ServeHTTP(w, r)
		}))
		c := e.client(func(o *clue.Options) { o.BaseURL, o.Prefix = spy.URL+"/", prefix })
		if _, err := c.Events.List(context.Background(), clue.EventQuery{}); err != nil {
			t.Fatalf("%s: %v", prefix, err)
		}
		spy.Close()
		r := seen[0]
		if r.URL.Path != prefix+"/events" || r.URL.Query().Get("placeId") != "178" {
			t.Errorf("%s: asked %s", prefix, r.URL)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+e.sim.APIKey() {
			t.Errorf("%s: Authorization %q", prefix, got)
		}
		if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Accept") != "application/json" {
			t.Errorf("%s: headers %v", prefix, r.Header)
		}
	}
}

func TestErrorShapesSurfaceCodeAndMessage(t *testing.T) {
	cases := []struct {
		name          string
		status        int
		body          string
		code, message string
		kind          error
	}{
		{"errors list", 400, `{"errors":[{"code":"INVALID_PARAMETER","message":"user.key is required"}]}`, "INVALID_PARAMETER", "user.key is required", clue.ErrRejected},
		{"envelope", 400, `{"code":400,"status":false,"message":"startTime must be within 7 days of endTime"}`, "400", "startTime must be within 7 days of endTime", clue.ErrRejected},
		{"envelope on 200", 200, `{"code":4001,"status":false,"message":"place is locked"}`, "4001", "place is locked", clue.ErrRejected},
		{"envelope 404 on 200", 200, `{"code":404,"status":false,"message":"no such auth"}`, "404", "no such auth", clue.ErrNotFound},
		{"html", 502, `<html><body>Bad gateway</body></html>`, "", "", clue.ErrUnavailable},
		{"unauthorized", 401, `{"errors":[{"code":"INVALID_TOKEN","message":"the API key is not valid"}]}`, "INVALID_TOKEN", "the API key is not valid", clue.ErrSessionExpired},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			fmt.Fprint(w, tc.body)
		}))
		c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 1, APIKey: "k", Pacer: clue.NewTestPacer(0)})
		if err != nil {
			t.Fatal(err)
		}
		err = c.Auths.Delete(context.Background(), 5)
		srv.Close()
		ce := asError(t, err)
		if ce.Status != tc.status || ce.Code != tc.code || ce.Message != tc.message || ce.Call != "delete auth" {
			t.Errorf("%s: got %+v", tc.name, ce)
		}
		if !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v is not %v", tc.name, err, tc.kind)
		}
		if !strings.HasPrefix(err.Error(), "clue delete auth: ") {
			t.Errorf("%s: message %q does not name the call", tc.name, err)
		}
	}
}

func TestAnswerSizeIsLimited(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"code":200,"status":true,"total":0,"data":[],"pad":%q}`, strings.Repeat("x", 5000))
	}))
	defer srv.Close()
	c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 1, APIKey: "k", Pacer: clue.NewTestPacer(0), MaxAnswerBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Events.List(context.Background(), clue.EventQuery{})
	if err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Fatalf("got %v", err)
	}
}

func TestFaultsBecomeErrorsNamingTheCall(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, cluesim.Options{})
	c := e.client(func(o *clue.Options) { o.Timeout = 150 * time.Millisecond })

	e.sim.SetMalformedRate(1)
	_, err := c.Events.List(ctx, clue.EventQuery{})
	if err == nil || !errors.Is(err, clue.ErrMalformed) || !strings.Contains(err.Error(), "clue list events: the answer is not the JSON expected") {
		t.Errorf("malformed: %v", err)
	}
	e.sim.SetMalformedRate(0)

	e.sim.SetDropRate(1)
	_, err = c.Events.List(ctx, clue.EventQuery{})
	if err == nil || !errors.Is(err, clue.ErrUnreachable) || !strings.Contains(err.Error(), "clue list events: cannot reach") {
		t.Errorf("dropped: %v", err)
	}
	e.sim.SetDropRate(0)

	e.sim.SetErrorRate(1)
	_, err = c.Events.List(ctx, clue.EventQuery{})
	if ce := asError(t, err); ce.Status != 500 || !strings.Contains(ce.Message, "internal server error") {
		t.Errorf("error rate: %+v", ce)
	}
	e.sim.SetErrorRate(0)

	e.sim.SetLatency(time.Second)
	_, err = c.Events.List(ctx, clue.EventQuery{})
	if err == nil || !errors.Is(err, clue.ErrTimeout) || !strings.Contains(err.Error(), "no answer from") {
		t.Errorf("latency: %v", err)
	}
	e.sim.SetLatency(0)

	if _, err := c.Events.List(ctx, clue.EventQuery{}); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}

// TestThrottledCallWaitsOut checks that a 429 is waited out (Retry-After) and the call then
// succeeds, when the simulator's spacing is wider than the client's.
func TestThrottledCallWaitsOut(t *testing.T) {
	e := newEnv(t, cluesim.Options{Spacing: 200 * time.Millisecond})
	c := e.client(func(o *clue.Options) { o.Pacer = clue.NewTestPacer(0) })
	ctx := context.Background()
	start := time.Now()
	for range 2 {
		if _, err := c.Events.List(ctx, clue.EventQuery{}); err != nil {
			t.Fatal(err)
		}
	}
	arr := e.sim.Arrivals(178)
	if len(arr) != 3 {
		t.Fatalf("want 3 arrivals (the second call refused once), got %d", len(arr))
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("the refused call did not wait out Retry-After: %s", d)
	}
}

func TestThrottledTooLongIsReported(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"errors":[{"code":"TOO_MANY_REQUESTS","message":"slow down"}]}`)
	}))
	defer srv.Close()
	c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 1, APIKey: "k", Pacer: clue.NewTestPacer(0)})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Auths.Delete(context.Background(), 3)
	if ce := asError(t, err); ce.Status != 429 || ce.RetryAfter != 2*time.Minute || !strings.Contains(err.Error(), "retry after 2m0s") {
		t.Fatalf("got %v", err)
	}
}

func TestSecretsDoNotPrint(t *testing.T) {
	o := clue.Options{APIKey: "key-123", Phone: &clue.PhoneLogin{Phone: "0123", Password: "pw-456"}}
	s := clue.Session{AccessToken: "tok-789", RefreshToken: "ref-000"}
	for _, out := range []string{fmt.Sprintf("%v %+v %#v", o, *o.Phone, *o.Phone), fmt.Sprintf("%v %+v", s, s)} {
		for _, secret := range []string{"key-123", "pw-456", "tok-789", "ref-000"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q leaks in %s", secret, out)
			}
		}
	}
}
