package ef45sim

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

func TestCardReaderPresentsACardAfterTheDelay(t *testing.T) {
	read := func(seed int64) string {
		h := newHarness(t, Options{Seed: seed, CardDelay: 500 * time.Millisecond})
		h.takeLock()
		if r := h.result(http.MethodPost, "/1.0/control/card/start", nil); r.Success {
			t.Errorf("card stand-by in Recog mode: %+v", r)
		}
		h.setMode(ef45.ModeSlave)
		if r := h.result(http.MethodPost, "/1.0/control/card/start", nil); !r.Success {
			t.Fatalf("card start: %+v", r)
		}
		var c ef45.CardData
		h.call(http.MethodGet, h.url("/1.0/control/card/data"), nil, http.StatusOK, &c)
		if c.Card != "" {
			t.Errorf("card %q before the delay", c.Card)
		}
		h.clock.Advance(500 * time.Millisecond)
		h.call(http.MethodGet, h.url("/1.0/control/card/data"), nil, http.StatusOK, &c)
		if !regexp.MustCompile(`^[0-9A-F]{2}( [0-9A-F]{2}){3}$`).MatchString(c.Card) {
			t.Errorf("card %q, want four hex bytes like 65 D8 A1 BD", c.Card)
		}
		if r := h.result(http.MethodPost, "/1.0/control/card/stop", nil); !r.Success {
			t.Errorf("card stop: %+v", r)
		}
		var after ef45.CardData
		h.call(http.MethodGet, h.url("/1.0/control/card/data"), nil, http.StatusOK, &after)
		if after.Card != "" {
			t.Errorf("card %q after stop", after.Card)
		}
		return c.Card
	}
	a, b, c := read(1), read(1), read(2)
	if a != b || a == c {
		t.Errorf("cards %q %q (same seed) and %q (other seed)", a, b, c)
	}
}

func TestManualControlDrivesTheRelay(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	if r := h.result(http.MethodPost, "/1.0/control", true); !r.Success {
		t.Fatalf("control true: %+v", r)
	}
	var s ef45.DoorStatus
	h.call(http.MethodGet, h.url("/1.0/config/door-status"), nil, http.StatusOK, &s)
	if s.Relay != 1 {
		t.Error("door not opened")
	}
	h.clock.Advance(3 * time.Second) // RelayDuration default
	h.call(http.MethodGet, h.url("/1.0/config/door-status"), nil, http.StatusOK, &s)
	if s.Relay != 0 {
		t.Error("door still open after the relay duration")
	}
	h.callErr(http.MethodPost, h.url("/1.0/control"), raw(`"open"`), http.StatusBadRequest)
	h.call(http.MethodPut, h.url("/1.0/config/UseManualCommand/bool"), false, http.StatusNoContent, nil)
	if r := h.result(http.MethodPost, "/1.0/control", true); r.Success || r.Status == "" {
		t.Errorf("control with manual command disabled: %+v", r)
	}
}

func TestAntiPassbackClear(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	for _, id := range []string{"a", "b"} {
		h.call(http.MethodPost, h.url("/1.0/user-info"), ef45.UserInfo{UserUUID: id, APBStatus: 2}, http.StatusCreated, nil)
	}
	apb := func(id string) ef45.Int {
		var u ef45.UserInfo
		h.call(http.MethodGet, h.url("/1.0/user-info/uuid/"+id), nil, http.StatusOK, &u)
		return u.APBStatus
	}
	if r := h.result(http.MethodPost, "/1.0/control/apb/clear/a", nil); !r.Success {
		t.Errorf("clear a: %+v", r)
	}
	if apb("a") != apbClear || apb("b") != 2 {
		t.Errorf("after clearing a: a=%d b=%d", apb("a"), apb("b"))
	}
	h.callErr(http.MethodPost, h.url("/1.0/control/apb/clear/zz"), nil, http.StatusNotFound)
	h.result(http.MethodPost, "/1.0/control/apb/clearall", nil)
	if apb("b") != apbClear {
		t.Errorf("after clearing all: b=%d", apb("b"))
	}
}
