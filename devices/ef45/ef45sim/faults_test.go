package ef45sim

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func TestFaultErrorRateAnswers500(t *testing.T) {
	h := newHarness(t, Options{})
	h.dev.SetFaults(Faults{ErrorRate: 1})
	for range 3 {
		h.callErr(http.MethodGet, h.url("/1.0/version"), nil, http.StatusInternalServerError)
	}
	if s := h.dev.Stats(); s.InjectedErrors != 3 {
		t.Errorf("injected errors %d, want 3", s.InjectedErrors)
	}
	// An injected error happens before the operation: the lock was not taken.
	h.call(http.MethodPost, h.url("/1.0/lock"), nil, http.StatusInternalServerError, nil)
	if h.dev.LockHeld() {
		t.Error("a 500 answer took the lock")
	}
	h.dev.SetFaults(Faults{})
	h.call(http.MethodGet, h.url("/1.0/version"), nil, http.StatusOK, nil)
}

func TestFaultMalformedRateBreaksJSON(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	h.dev.SetFaults(Faults{MalformedRate: 1})
	for _, p := range []string{"/1.0/version", "/1.0/camera", "/1.0/logs", "/1.0/preview"} {
		data := h.call(http.MethodGet, h.url(p), nil, http.StatusOK, nil)
		if json.Valid(data) {
			t.Errorf("%s: body %q is valid JSON", p, data)
		}
	}
	// Rates above 1 are clamped, not rejected.
	h.dev.SetFaults(Faults{MalformedRate: 7})
	if f := h.dev.Faults(); f.MalformedRate != 1 {
		t.Errorf("malformed rate %v, want clamped to 1", f.MalformedRate)
	}
}

func TestFaultDropRateClosesConnection(t *testing.T) {
	h := newHarness(t, Options{})
	h.dev.SetFaults(Faults{DropRate: 1})
	if _, _, err := h.send(http.MethodGet, h.url("/1.0/version"), nil); err == nil {
		t.Fatal("request succeeded with drop rate 1")
	}
	if s := h.dev.Stats(); s.InjectedDrops != 1 {
		t.Errorf("drops %d, want 1", s.InjectedDrops)
	}
	// The control surface is not subject to faults.
	h.call(http.MethodGet, h.srv.URL+"/sim/state", nil, http.StatusOK, nil)
}

func TestFaultLatencyDelaysAnswers(t *testing.T) {
	h := newHarness(t, Options{Latency: 20 * time.Millisecond})
	h.dev.SetFaults(Faults{Latency: 30 * time.Millisecond})
	start := time.Now()
	h.call(http.MethodGet, h.url("/1.0/version"), nil, http.StatusOK, nil)
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Errorf("answer after %v, want at least 50ms", el)
	}
}

func TestFaultSequenceDependsOnlyOnSeed(t *testing.T) {
	statuses := func(seed int64) []int {
		h := newHarness(t, Options{Seed: seed})
		h.dev.SetFaults(Faults{ErrorRate: 0.3, MalformedRate: 0.3})
		var out []int
		for range 40 {
			resp, data, err := h.send(http.MethodGet, h.url("/1.0/version"), nil)
			if err != nil {
				t.Fatal(err)
			}
			code := resp.StatusCode
			if code == http.StatusOK && !json.Valid(data) {
				code = -1
			}
			out = append(out, code)
		}
		return out
	}
	a, b, c := statuses(5), statuses(5), statuses(6)
	if !slicesEqual(a, b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if slicesEqual(a, c) {
		t.Errorf("different seeds gave the same 40 faults: %v", a)
	}
	seen := map[int]bool{}
	for _, s := range a {
		seen[s] = true
	}
	if !seen[http.StatusOK] || !seen[http.StatusInternalServerError] || !seen[-1] {
		t.Errorf("40 requests at 30%% rates did not show every outcome: %v", a)
	}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaultsJSON(t *testing.T) {
	f := Faults{Latency: 250 * time.Millisecond, ErrorRate: 0.1, DropRate: 0.2}
	b, err := json.Marshal(f)
	if err != nil || string(b) != `{"latency":"250ms","error_rate":0.1,"malformed_rate":0,"drop_rate":0.2}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var back Faults
	if err := json.Unmarshal(b, &back); err != nil || back != f {
		t.Errorf("round trip %+v %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"latency":"soon"}`), &back); err == nil {
		t.Error("bad latency accepted")
	}
}
