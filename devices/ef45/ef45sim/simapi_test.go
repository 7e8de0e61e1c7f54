package ef45sim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestControlSurface(t *testing.T) {
	h := newHarness(t, Options{Seed: 3})
	sim := func(method, path string, body any, want int) State {
		t.Helper()
		var s State
		h.call(method, h.srv.URL+path, body, want, &s)
		return s
	}
	s := sim(http.MethodGet, "/sim/state", nil, http.StatusOK)
	if s.Version != DefaultVersion || s.Serial != h.dev.Serial() || s.LockHeld || s.CameraMode != "Recog" || s.NextPerson != 1 {
		t.Errorf("initial state %+v", s)
	}

	h.takeLock()
	if s := sim(http.MethodPost, "/sim/steal-lock", nil, http.StatusOK); !s.LockHeld {
		t.Error("no holder after steal")
	}
	h.callErr(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusForbidden)
	if s := sim(http.MethodPost, "/sim/expire-lock", nil, http.StatusOK); s.LockHeld {
		t.Error("lock held after expiry")
	}

	s = sim(http.MethodPost, "/sim/faults", raw(`{"error_rate":1,"latency":"1ms"}`), http.StatusOK)
	if s.Faults.ErrorRate != 1 || s.Faults.Latency != time.Millisecond {
		t.Errorf("faults %+v", s.Faults)
	}
	h.call(http.MethodGet, h.url("/1.0/version"), nil, http.StatusInternalServerError, nil)
	sim(http.MethodPost, "/sim/faults", raw(`{}`), http.StatusOK)
	h.callErr(http.MethodPost, h.srv.URL+"/sim/faults", raw(`{"latency":"later"}`), http.StatusBadRequest)

	if s := sim(http.MethodPost, "/sim/version?v=1.2.33", nil, http.StatusOK); s.Version != "1.2.33" {
		t.Errorf("version %q", s.Version)
	}
	h.callErr(http.MethodPost, h.srv.URL+"/sim/version?v=latest", nil, http.StatusBadRequest)
	if s := sim(http.MethodPost, "/sim/person?n=4", nil, http.StatusOK); s.NextPerson != 4 {
		t.Errorf("next person %d", s.NextPerson)
	}
	h.callErr(http.MethodPost, h.srv.URL+"/sim/person?n=0", nil, http.StatusBadRequest)

	if s := sim(http.MethodPost, "/sim/reboot?for=2s", nil, http.StatusOK); !s.Rebooting {
		t.Error("not rebooting")
	}
	resp, _, err := h.send(http.MethodGet, h.url("/1.0/version"), nil)
	if err == nil && resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("during a reboot: %d", resp.StatusCode)
	}
	h.clock.Advance(2 * time.Second)
	h.call(http.MethodGet, h.url("/1.0/version"), nil, http.StatusOK, nil)
	h.callErr(http.MethodPost, h.srv.URL+"/sim/reboot?for=-1s", nil, http.StatusBadRequest)
	if r := h.callErr(http.MethodGet, h.srv.URL+"/sim/nothing", nil, http.StatusNotFound); !strings.Contains(r, "no such control") {
		t.Errorf("unknown control: %q", r)
	}
	if s := sim(http.MethodGet, "/sim/state", nil, http.StatusOK); s.Stats.Requests == 0 || s.Stats.RebootRefused == 0 || s.Stats.InjectedErrors != 1 {
		t.Errorf("stats %+v", s.Stats)
	}
}
