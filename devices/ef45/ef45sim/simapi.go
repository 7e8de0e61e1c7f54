package ef45sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// State is the simulator's state as GET /sim/state shows it.
type State struct {
	Version        string         `json:"version"`
	Serial         string         `json:"serial"`
	LockHeld       bool           `json:"lock_held"`
	CameraMode     string         `json:"camera_mode"`
	CameraRunning  bool           `json:"camera_running"`
	Rebooting      bool           `json:"rebooting"`
	BiometricItems int            `json:"biometric_items"`
	MatchItems     int            `json:"match_items"`
	Subjects       int            `json:"subjects"`
	NextPerson     int            `json:"next_person"`
	FramesServed   int64          `json:"frames_served"`
	Faults         Faults         `json:"faults"`
	LastFirmware   FirmwareReport `json:"last_firmware"`
	Stats          Stats          `json:"stats"`
}

// State returns a snapshot of the simulator's state.
func (d *Device) State() State {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settleLocked(now)
	return State{
		Version:        d.st.version,
		Serial:         d.opts.Serial,
		LockHeld:       d.st.lockUID != "",
		CameraMode:     d.st.cameraMode,
		CameraRunning:  d.st.camera != nil,
		Rebooting:      now.Before(d.st.rebootUntil),
		BiometricItems: len(d.st.bio),
		MatchItems:     len(d.st.matches),
		Subjects:       len(d.st.subjects.m),
		NextPerson:     d.st.nextPerson,
		FramesServed:   d.st.stats.PreviewFrames,
		Faults:         d.st.faults,
		LastFirmware:   d.st.lastFirmware,
		Stats:          d.st.stats,
	}
}

// faultsWire is Faults on the control surface, with the latency as a duration string.
type faultsWire struct {
	Latency       string  `json:"latency"`
	ErrorRate     float64 `json:"error_rate"`
	MalformedRate float64 `json:"malformed_rate"`
	DropRate      float64 `json:"drop_rate"`
}

// MarshalJSON writes the latency as a duration string ("250ms").
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsWire{f.Latency.String(), f.ErrorRate, f.MalformedRate, f.DropRate})
}

// UnmarshalJSON reads the latency as a duration string; missing fields are zero.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var w faultsWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var lat time.Duration
	if w.Latency != "" {
		var err error
		if lat, err = time.ParseDuration(w.Latency); err != nil {
			return fmt.Errorf("latency: %w", err)
		}
	}
	*f = Faults{Latency: lat, ErrorRate: w.ErrorRate, MalformedRate: w.MalformedRate, DropRate: w.DropRate}
	return nil
}

func (d *Device) simRoutes() {
	m := d.sim
	m.HandleFunc("/sim/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such control: "+r.Method+" "+r.URL.Path)
	})
	m.HandleFunc("GET /sim/state", d.simState)
	m.HandleFunc("POST /sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if err := decodeBody(w, r, maxJSONBody, &f); err != nil {
			writeError(w, http.StatusBadRequest, "faults: "+err.Error())
			return
		}
		d.SetFaults(f)
		d.simState(w, r)
	})
	m.HandleFunc("POST /sim/steal-lock", func(w http.ResponseWriter, r *http.Request) {
		d.StealLock()
		d.simState(w, r)
	})
	m.HandleFunc("POST /sim/expire-lock", func(w http.ResponseWriter, r *http.Request) {
		d.ExpireLock()
		d.simState(w, r)
	})
	m.HandleFunc("POST /sim/reboot", func(w http.ResponseWriter, r *http.Request) {
		var dur time.Duration
		if s := r.URL.Query().Get("for"); s != "" {
			var err error
			if dur, err = time.ParseDuration(s); err != nil || dur <= 0 {
				writeError(w, http.StatusBadRequest, "reboot: for="+quote(s)+" must be a positive duration such as 2s")
				return
			}
		}
		d.Reboot(dur)
		d.simState(w, r)
	})
	m.HandleFunc("POST /sim/version", func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query().Get("v")
		if !validVersion(v) {
			writeError(w, http.StatusBadRequest, "version: v="+quote(v)+" must be dotted numbers such as 1.2.33")
			return
		}
		d.SetVersion(v)
		d.simState(w, r)
	})
	m.HandleFunc("POST /sim/person", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "person: n must be a number from 1")
			return
		}
		d.SetNextPerson(n)
		d.simState(w, r)
	})
}

func (d *Device) simState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, d.State())
}

// HasSubject reports whether the device holds a subject for the user uuid.
func (d *Device) HasSubject(userUUID string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.st.subjects.get(userUUID)
	return ok
}
