package ef45sim

import (
	"net/http"
	"strings"
	"testing"

	"enrollstation/devices/ef45"
)

func TestLockIsExclusive(t *testing.T) {
	h := newHarness(t, Options{})
	first := h.takeLock()

	h.lock = ""
	if r := h.callErr(http.MethodPost, h.url("/1.0/lock"), nil, http.StatusConflict); !strings.Contains(r, "locked") {
		t.Errorf("409 reason %q", r)
	}
	h.lock = first
	h.call(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusOK, nil)
	if !hasLog(h.logs(), "Lock", "Connect", "Fail") {
		t.Error("refused lock not logged")
	}
}

func TestCallsNeedTheHoldersLockUID(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	for _, c := range []struct{ uid, reason string }{
		{"", "missing"},
		{"not-a-uuid", "not a lock uid"},
		{"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", "does not hold"},
	} {
		u := h.srv.URL + "/1.0/camera"
		if c.uid != "" {
			u += "?lock_uid=" + c.uid
		}
		if r := h.callErr(http.MethodGet, u, nil, http.StatusForbidden); !strings.Contains(r, c.reason) {
			t.Errorf("lock_uid %q: reason %q, want it to say %q", c.uid, r, c.reason)
		}
	}
	// GET /version needs no lock.
	var v ef45.Version
	h.call(http.MethodGet, h.srv.URL+"/1.0/version", nil, http.StatusOK, &v)
	if v.Version != DefaultVersion {
		t.Errorf("version %q", v.Version)
	}
}

func TestForceConnectionTakesTheLockOver(t *testing.T) {
	h := newHarness(t, Options{})
	old := h.takeLock()
	var l ef45.Lock
	h.call(http.MethodPut, h.srv.URL+"/1.0/lock", nil, http.StatusOK, &l)
	if !bool(l.Locked) || l.LockUID == old || !validUUID(l.LockUID) {
		t.Fatalf("force answer %+v (old %s)", l, old)
	}
	if r := h.callErr(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusForbidden); !strings.Contains(r, "took over") {
		t.Errorf("old holder's reason %q, want it to say the lock was taken over", r)
	}
	h.lock = l.LockUID
	h.call(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusOK, nil)
}

func TestUnlockReleasesTheLock(t *testing.T) {
	h := newHarness(t, Options{})
	uid := h.takeLock()
	h.lock = ""
	h.callErr(http.MethodDelete, h.url("/1.0/lock/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"), nil, http.StatusForbidden)
	var l ef45.Lock
	h.call(http.MethodDelete, h.url("/1.0/lock/"+uid), nil, http.StatusOK, &l)
	if bool(l.Locked) || l.LockUID != uid {
		t.Errorf("unlock answer %+v", l)
	}
	if h.dev.LockHeld() {
		t.Error("lock still held after unlock")
	}
	if r := h.callErr(http.MethodGet, h.srv.URL+"/1.0/camera?lock_uid="+uid, nil, http.StatusForbidden); !strings.Contains(r, "released") {
		t.Errorf("released uid reason %q", r)
	}
	h.takeLock()
}

func TestStealAndExpireLockKnobs(t *testing.T) {
	h := newHarness(t, Options{})
	mine := h.takeLock()
	h.dev.StealLock()
	if r := h.callErr(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusForbidden); !strings.Contains(r, "another workstation") {
		t.Errorf("reason after steal %q", r)
	}
	h.lock = ""
	h.callErr(http.MethodPost, h.url("/1.0/lock"), nil, http.StatusConflict)
	if !h.dev.LockHeld() {
		t.Fatal("stolen lock not held")
	}
	h.dev.ExpireLock()
	if h.dev.LockHeld() {
		t.Fatal("lock held after expiry")
	}
	if h.takeLock() == mine {
		t.Error("new lock reuses the old uid")
	}
	h.dev.ExpireLock()
	if r := h.callErr(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusForbidden); !strings.Contains(r, "expired") {
		t.Errorf("reason after expiry %q", r)
	}
}
