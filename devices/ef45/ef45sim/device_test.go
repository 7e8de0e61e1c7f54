package ef45sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

// fakeClock is the device clock in tests: it moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is a simulator behind a real loopback HTTP server, with a fake clock unless the
// test brings its own Now.
type harness struct {
	t      *testing.T
	dev    *Device
	srv    *httptest.Server
	client *http.Client
	clock  *fakeClock
	lock   string
}

func newHarness(t *testing.T, o Options) *harness {
	t.Helper()
	h := &harness{t: t}
	if o.Now == nil {
		h.clock = newFakeClock()
		o.Now = h.clock.Now
	}
	h.dev = New(o)
	h.srv = httptest.NewServer(h.dev)
	t.Cleanup(h.srv.Close)
	h.client = h.srv.Client()
	h.client.Timeout = 30 * time.Second
	return h
}

// with is the harness for a subtest: same device, server and lock, the subtest's t.
func (h *harness) with(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}

// capture runs one capture with the given start flags to its end and returns its item,
// leaving the buffer empty.
func (h *harness) capture(query ...string) ef45.BiometricData {
	h.t.Helper()
	if r := h.start(query...); !r.Success {
		h.t.Fatalf("start %v: %+v", query, r)
	}
	h.clock.Advance(h.dev.opts.CaptureDuration + 100*time.Millisecond)
	l := h.biometric("/1.0/biometric-data/ver1")
	if len(l.Items) != 1 {
		h.t.Fatalf("buffer holds %d items after one capture", len(l.Items))
	}
	it := l.Items[0]
	h.call(http.MethodDelete, h.url("/1.0/biometric-data/"+it.EncounterID), nil, http.StatusOK, nil)
	return it
}

// url builds an API URL; query is name, value pairs, and lock_uid is added when held.
func (h *harness) url(path string, query ...string) string {
	q := url.Values{}
	if h.lock != "" {
		q.Set("lock_uid", h.lock)
	}
	for i := 0; i+1 < len(query); i += 2 {
		q.Set(query[i], query[i+1])
	}
	u := h.srv.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// raw is a request body sent as it is; any other body is JSON-encoded.
type raw string

// send makes one request; body is JSON-encoded unless it is raw or nil.
func (h *harness) send(method, u string, body any) (*http.Response, []byte, error) {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case raw:
		rd = strings.NewReader(string(b))
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			h.t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

// call makes a request that must answer want; the body is decoded into out when out is
// not nil.
func (h *harness) call(method, u string, body any, want int, out any) []byte {
	h.t.Helper()
	resp, data, err := h.send(method, u, body)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, u, err)
	}
	if resp.StatusCode != want {
		h.t.Fatalf("%s %s: status %d, want %d; body %.300s", method, u, resp.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			h.t.Fatalf("%s %s: decode %.200s: %v", method, u, data, err)
		}
	}
	return data
}

// callErr makes a request that must fail with want and returns the reason phrase.
func (h *harness) callErr(method, u string, body any, want int) string {
	h.t.Helper()
	var e statusBody
	h.call(method, u, body, want, &e)
	if e.StatusCode != want || e.ReasonPhrase == "" {
		h.t.Fatalf("%s %s: error body %+v, want status_code %d and a reason", method, u, e, want)
	}
	return e.ReasonPhrase
}

// takeLock takes the lock and keeps its uid for later calls.
func (h *harness) takeLock() string {
	h.t.Helper()
	h.lock = ""
	var l ef45.Lock
	h.call(http.MethodPost, h.url("/1.0/lock"), nil, http.StatusOK, &l)
	// Granted: the device was not held (a client reads locked true as "in use").
	if bool(l.Locked) || !validUUID(l.LockUID) {
		h.t.Fatalf("lock answer %+v", l)
	}
	h.lock = l.LockUID
	return h.lock
}

// result makes a call answering an ef45.Result.
func (h *harness) result(method, path string, body any, query ...string) ef45.Result {
	h.t.Helper()
	var r ef45.Result
	h.call(method, h.url(path, query...), body, http.StatusOK, &r)
	return r
}

func (h *harness) setMode(mode string) {
	h.t.Helper()
	r := h.result(http.MethodPost, "/1.0/camera", ef45.CameraSettings{CameraMode: mode, AudioEnabled: true})
	if !r.Success {
		h.t.Fatalf("set camera mode %s: %+v", mode, r)
	}
}

func (h *harness) start(query ...string) ef45.Result {
	h.t.Helper()
	return h.result(http.MethodPost, "/1.0/camera/control/start", nil, query...)
}

func (h *harness) biometric(path string) ef45.List[ef45.BiometricData] {
	h.t.Helper()
	var l ef45.List[ef45.BiometricData]
	h.call(http.MethodGet, h.url(path), nil, http.StatusOK, &l)
	return l
}

func (h *harness) logs(query ...string) []ef45.LogEntry {
	h.t.Helper()
	var l ef45.List[ef45.LogEntry]
	h.call(http.MethodGet, h.url("/1.0/logs", query...), nil, http.StatusOK, &l)
	return l.Items
}

// hasLog reports whether a log entry with this event type, info and result exists.
func hasLog(entries []ef45.LogEntry, eventType, info, result string) bool {
	for _, e := range entries {
		if e.EventType == eventType && e.Info == info && e.AdditionalData == result {
			return true
		}
	}
	return false
}

func TestNewAppliesDefaults(t *testing.T) {
	d := New(Options{Seed: 41})
	if d.Version() != DefaultVersion {
		t.Errorf("version %q, want %q", d.Version(), DefaultVersion)
	}
	if s := d.Serial(); s != "EF45-SIM-000042" {
		t.Errorf("serial %q, want EF45-SIM-000042", s)
	}
	o := New(Options{FPS: 500}).opts
	if o.FPS != MaxFPS || o.CaptureDuration != DefaultCaptureDuration || o.RecordVersion != DefaultRecordVersion {
		t.Errorf("defaults not applied: %+v", o)
	}
	if New(Options{Serial: "X1", Version: "1.2.3"}).Serial() != "X1" {
		t.Error("explicit serial not kept")
	}
}

func TestUnknownEndpointAnswersJSON404(t *testing.T) {
	h := newHarness(t, Options{})
	for _, p := range []string{"/1.0/nothing", "/", "/2.0/version"} {
		if r := h.callErr(http.MethodGet, h.url(p), nil, http.StatusNotFound); !strings.Contains(r, "no such endpoint") {
			t.Errorf("%s: reason %q", p, r)
		}
	}
	// A known path with a method the API does not have.
	h.callErr(http.MethodDelete, h.url("/1.0/version"), nil, http.StatusNotFound)
}

func TestStatsCountRequests(t *testing.T) {
	h := newHarness(t, Options{})
	for range 4 {
		h.call(http.MethodGet, h.url("/1.0/version"), nil, http.StatusOK, nil)
	}
	h.call(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusForbidden, nil)
	s := h.dev.Stats()
	if s.Requests != 5 || s.LockRejected != 1 {
		t.Errorf("stats %+v, want 5 requests and 1 lock rejection", s)
	}
}

// FuzzRequests sends arbitrary methods, paths and bodies: the device never panics, and
// every answer but a 204 or a path-cleaning redirect is JSON.
func FuzzRequests(f *testing.F) {
	f.Add(uint8(0), "version", []byte(nil))
	f.Add(uint8(1), "camera/control/start?face_mode=true", []byte(nil))
	f.Add(uint8(1), "camera", []byte(`{"camera_mode":"Slave"}`))
	f.Add(uint8(2), "config/IrisMinUsableArea/int", []byte(`75`))
	f.Add(uint8(2), "update/continous", []byte(`"QUJD"`))
	f.Add(uint8(1), "user", []byte(`{"user_uuid":"1","faces":[{"sub_id":9}]}`))
	f.Add(uint8(3), "logs?min=1&max=x", []byte(nil))
	f.Add(uint8(0), "user-info/card/65%20D8", []byte(nil))
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete}
	f.Fuzz(func(t *testing.T, m uint8, path string, body []byte) {
		clock := newFakeClock()
		d := New(Options{Now: clock.Now})
		d.mu.Lock()
		uid := d.takeLockLocked("")
		d.mu.Unlock()
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		req, err := http.NewRequest(methods[int(m)%len(methods)], "http://ef45/1.0/"+path+sep+"lock_uid="+uid, bytes.NewReader(body))
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		d.ServeHTTP(w, req)
		switch {
		case w.Code == http.StatusNoContent:
			if w.Body.Len() != 0 {
				t.Errorf("204 with a body %q", w.Body.Bytes())
			}
		case w.Code == http.StatusMovedPermanently || w.Code == http.StatusTemporaryRedirect:
		case !json.Valid(w.Body.Bytes()):
			t.Errorf("%s %s: status %d, body %.200q is not JSON", req.Method, req.URL, w.Code, w.Body.Bytes())
		}
	})
}
