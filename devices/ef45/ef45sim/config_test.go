package ef45sim

import (
	"net/http"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

func TestConfigValues(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	get := func(title, typ string) ef45.ConfigValue {
		t.Helper()
		var v ef45.ConfigValue
		h.call(http.MethodGet, h.url("/1.0/config/"+title+"/"+typ), nil, http.StatusOK, &v)
		if v.Title != title {
			t.Errorf("title %q, want %q", v.Title, title)
		}
		return v
	}
	if v := get("IrisMinUsableArea", ef45.ConfigInt); v.Int != 70 {
		t.Errorf("IrisMinUsableArea default %d, want 70", v.Int)
	}
	h.call(http.MethodPut, h.url("/1.0/config/IrisMinUsableArea/int"), 80, http.StatusNoContent, nil)
	if v := get("IrisMinUsableArea", ef45.ConfigInt); v.Int != 80 {
		t.Errorf("after PUT 80: %d", v.Int)
	}
	h.call(http.MethodPut, h.url("/1.0/config/FaceMatchThreshold/float"), 0.5, http.StatusNoContent, nil)
	if v := get("FaceMatchThreshold", ef45.ConfigFloat); v.Float != 0.5 {
		t.Errorf("float %v", v.Float)
	}
	h.call(http.MethodPut, h.url("/1.0/config/APBEnabled/bool"), true, http.StatusNoContent, nil)
	if v := get("APBEnabled", ef45.ConfigBool); !v.Bool {
		t.Error("bool not kept")
	}
	h.call(http.MethodPut, h.url("/1.0/config/DeviceName/string"), "Front desk", http.StatusNoContent, nil)
	if v := get("DeviceName", ef45.ConfigString); v.String != "Front desk" {
		t.Errorf("string %q", v.String)
	}

	for _, c := range []struct {
		path string
		body any
		want int
	}{
		{"IrisMinUsableArea/int", 95, http.StatusBadRequest},   // outside 50–90
		{"IrisMinUsableArea/int", 75.5, http.StatusBadRequest}, // not whole
		{"IrisMinUsableArea/int", "75", http.StatusBadRequest}, // not a number
		{"IrisMinUsableArea/bool", true, http.StatusBadRequest},
		{"IrisMinUsableArea/double", 1, http.StatusBadRequest},
		{"NoSuchSetting/int", 1, http.StatusNotFound},
		{"APBEnabled/bool", raw(`yes`), http.StatusBadRequest},
	} {
		h.callErr(http.MethodPut, h.url("/1.0/config/"+c.path), c.body, c.want)
	}
	h.callErr(http.MethodGet, h.url("/1.0/config/NoSuchSetting/int"), nil, http.StatusNotFound)
	h.callErr(http.MethodGet, h.url("/1.0/config/DeviceName/int"), nil, http.StatusBadRequest)
	if v := get("IrisMinUsableArea", ef45.ConfigInt); v.Int != 80 {
		t.Errorf("a refused PUT changed the value to %d", v.Int)
	}
	if !hasLog(h.logs(), "Config", "SetConfig", "Fail") || !hasLog(h.logs(), "Config", "SetConfig", "Success") {
		t.Error("config changes not logged")
	}
}

func testMinUsableArea(t *testing.T, h *harness) {
	h.call(http.MethodPut, h.url("/1.0/config/IrisMinUsableArea/int"), 90, http.StatusNoContent, nil)
	defer h.call(http.MethodPut, h.url("/1.0/config/IrisMinUsableArea/int"), 70, http.StatusNoContent, nil)
	var notOK int
	for range 4 {
		it := h.capture("both_eye_mode", "true")
		for _, e := range []ef45.Eye{it.Left, it.Right} {
			if bool(e.QualityOK) != (e.UsableIrisArea >= 90) {
				t.Errorf("usable area %d with minimum 90: quality ok %v", e.UsableIrisArea, e.QualityOK)
			}
			if !e.QualityOK {
				notOK++
			}
		}
	}
	if notOK == 0 {
		t.Error("no eye failed a 90% minimum usable area in 4 captures")
	}
}

func TestRelayAndDoorStatus(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	door := func() ef45.DoorStatus {
		var s ef45.DoorStatus
		h.call(http.MethodGet, h.url("/1.0/config/door-status"), nil, http.StatusOK, &s)
		return s
	}
	if s := door(); s != (ef45.DoorStatus{}) {
		t.Errorf("door at rest %+v", s)
	}
	h.call(http.MethodPut, h.url("/1.0/config/relay", "forced", "true", "duration", "2"), nil, http.StatusNoContent, nil)
	if s := door(); s.Relay != 1 || s.DoorSensor != 1 {
		t.Errorf("during a pulse %+v", s)
	}
	h.clock.Advance(2 * time.Second)
	if s := door(); s.Relay != 0 {
		t.Errorf("after the pulse %+v", s)
	}
	h.call(http.MethodPut, h.url("/1.0/config/relay", "forced", "true", "duration", "0"), nil, http.StatusNoContent, nil)
	h.clock.Advance(time.Hour)
	if s := door(); s.Relay != 1 {
		t.Error("a held relay let go")
	}
	h.call(http.MethodPut, h.url("/1.0/config/relay", "forced", "false", "duration", "0"), nil, http.StatusNoContent, nil)
	if s := door(); s.Relay != 0 {
		t.Error("forced=false did not release the relay")
	}
	for _, q := range [][]string{{"duration", "2"}, {"forced", "true"}, {"forced", "maybe", "duration", "1"}, {"forced", "true", "duration", "-1"}} {
		h.callErr(http.MethodPut, h.url("/1.0/config/relay", q...), nil, http.StatusBadRequest)
	}
}
