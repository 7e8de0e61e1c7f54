package ef45sim

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"enrollstation/devices/ef45"
)

// configEntry is one device setting: its type and value, and for numbers the allowed range.
type configEntry struct {
	typ      string
	b        bool
	f        float64
	i        int64
	s        string
	min, max float64
}

// defaultConfig is the simulator's share of the EF-45 SDK configuration table. Ranges
// follow the SDK where it gives them (minimum usable iris area 50–90 %, eye selection
// 1 left, 2 right, 3 both, 7 either).
func defaultConfig() map[string]*configEntry {
	num := func(typ string, v, lo, hi float64) *configEntry {
		e := &configEntry{typ: typ, min: lo, max: hi}
		if typ == ef45.ConfigInt {
			e.i = int64(v)
		} else {
			e.f = v
		}
		return e
	}
	return map[string]*configEntry{
		"IrisMinUsableArea":     num(ef45.ConfigInt, 70, 50, 90),
		"IrisMinQualityScore":   num(ef45.ConfigInt, 60, 0, 100),
		"EyeSelection":          num(ef45.ConfigInt, 3, 1, 7),
		"CaptureTimeout":        num(ef45.ConfigInt, 30, 5, 300),
		"AudioVolume":           num(ef45.ConfigInt, 5, 0, 10),
		"RelayDuration":         num(ef45.ConfigInt, 3, 1, 60),
		"ScreenTimeout":         num(ef45.ConfigInt, 60, 0, 3600),
		"FaceMatchThreshold":    num(ef45.ConfigFloat, 0.75, 0, 1),
		"IrisMatchThreshold":    num(ef45.ConfigFloat, matchThreshold, 0, 1),
		"FaceMinFrontalScore":   num(ef45.ConfigFloat, 0.8, 0, 1),
		"DuplicateCheckEnabled": {typ: ef45.ConfigBool, b: true},
		"FaceCaptureEnabled":    {typ: ef45.ConfigBool, b: true},
		"UseManualCommand":      {typ: ef45.ConfigBool, b: true},
		"APBEnabled":            {typ: ef45.ConfigBool},
		"DeviceName":            {typ: ef45.ConfigString, s: "EF-45"},
		"Language":              {typ: ef45.ConfigString, s: "English"},
		"ServerAddress":         {typ: ef45.ConfigString, s: "192.168.0.100"},
	}
}

// configLocked returns a setting the simulator itself reads; the keys are fixed above.
func (d *Device) configLocked(title string) configEntry {
	if e, ok := d.st.config[title]; ok {
		return *e
	}
	return configEntry{}
}

func (e *configEntry) value(title string) ef45.ConfigValue {
	return ef45.ConfigValue{Title: title, Bool: ef45.Bool(e.b), Float: ef45.Float(e.f), Int: ef45.Int(e.i), String: e.s}
}

func validConfigType(t string) bool {
	switch t {
	case ef45.ConfigBool, ef45.ConfigFloat, ef45.ConfigInt, ef45.ConfigString:
		return true
	}
	return false
}

// lookupConfigLocked finds title and checks that it has type typ.
func (d *Device) lookupConfigLocked(title, typ string) (*configEntry, int, string) {
	if !validConfigType(typ) {
		return nil, http.StatusBadRequest, "config type " + quote(typ) + " must be bool, float, int or string"
	}
	e, ok := d.st.config[title]
	if !ok {
		return nil, http.StatusNotFound, "no config setting " + quote(title)
	}
	if e.typ != typ {
		return nil, http.StatusBadRequest, "config setting " + quote(title) + " is a " + e.typ + ", not a " + typ
	}
	return e, 0, ""
}

func (d *Device) handleConfigGet(w http.ResponseWriter, r *http.Request) {
	title, typ := r.PathValue("title"), r.PathValue("type")
	d.mu.Lock()
	defer d.mu.Unlock()
	e, status, problem := d.lookupConfigLocked(title, typ)
	if e == nil {
		writeError(w, status, "read config: "+problem)
		return
	}
	writeJSON(w, http.StatusOK, e.value(title))
}

// handleConfigSet takes the bare JSON value of the setting's type (ef45-wire.md).
func (d *Device) handleConfigSet(w http.ResponseWriter, r *http.Request) {
	title, typ := r.PathValue("title"), r.PathValue("type")
	var raw json.RawMessage
	if err := decodeBody(w, r, maxJSONBody, &raw); err != nil {
		writeError(w, http.StatusBadRequest, "write config "+title+": "+err.Error())
		return
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	e, status, problem := d.lookupConfigLocked(title, typ)
	if e == nil {
		d.logEventLocked(now, "Config", "SetConfig", "Fail", "")
		writeError(w, status, "write config: "+problem)
		return
	}
	next := *e
	if problem := next.set(raw); problem != "" {
		d.logEventLocked(now, "Config", "SetConfig", "Fail", "")
		writeError(w, http.StatusBadRequest, "write config "+title+": "+problem)
		return
	}
	*e = next
	d.logEventLocked(now, "Config", "SetConfig", "Success", "")
	writeNoContent(w)
}

// set parses raw as the entry's type and checks its range.
func (e *configEntry) set(raw json.RawMessage) string {
	switch e.typ {
	case ef45.ConfigBool:
		var v bool
		if json.Unmarshal(raw, &v) != nil {
			return "the value must be true or false"
		}
		e.b = v
		return ""
	case ef45.ConfigString:
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return "the value must be a JSON string"
		}
		e.s = v
		return ""
	}
	var v float64
	if json.Unmarshal(raw, &v) != nil || math.IsNaN(v) {
		return "the value must be a number"
	}
	if v < e.min || v > e.max {
		return "the value " + strconv.FormatFloat(v, 'g', -1, 64) + " is outside " +
			strconv.FormatFloat(e.min, 'g', -1, 64) + "–" + strconv.FormatFloat(e.max, 'g', -1, 64)
	}
	if e.typ == ef45.ConfigInt {
		if v != math.Trunc(v) {
			return "the value must be a whole number"
		}
		e.i = int64(v)
		return ""
	}
	e.f = v
	return ""
}

// relayOnLocked says whether the door relay is energised now.
func (d *Device) relayOnLocked(now time.Time) bool {
	return d.st.relayLatched || now.Before(d.st.relayUntil)
}

// handleDoorStatus reports the door: the relay while a pulse lasts, and the door sensor
// open while the relay holds the lock released. Tamper and RTE stay quiet.
func (d *Device) handleDoorStatus(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	on := d.relayOnLocked(now)
	d.mu.Unlock()
	s := ef45.DoorStatus{}
	if on {
		s.Relay, s.DoorSensor = 1, 1
	}
	writeJSON(w, http.StatusOK, s)
}

// handleRelay drives the relay: forced=true with a duration pulses it for that many seconds,
// with duration 0 holds it until forced=false; forced=false releases it.
func (d *Device) handleRelay(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fs, ds := q.Get("forced"), q.Get("duration")
	forced, err := strconv.ParseBool(fs)
	if err != nil {
		writeError(w, http.StatusBadRequest, "relay: forced="+quote(fs)+" must be true or false")
		return
	}
	secs, err := strconv.Atoi(ds)
	if err != nil || secs < 0 || secs > 3600 {
		writeError(w, http.StatusBadRequest, "relay: duration="+quote(ds)+" must be 0 to 3600 seconds")
		return
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case !forced:
		d.st.relayLatched, d.st.relayUntil = false, time.Time{}
	case secs == 0:
		d.st.relayLatched = true
	default:
		d.st.relayLatched, d.st.relayUntil = false, now.Add(time.Duration(secs)*time.Second)
	}
	d.logEventLocked(now, "Control", "Relay", "Success", "")
	writeNoContent(w)
}
