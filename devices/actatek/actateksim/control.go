package actateksim

import (
	"encoding/json"
	"net/http"
	"time"
)

// ControlPrefix is where the simulator's own control surface lives, outside the vendor
// API: GET state, POST expire-sessions, PUT faults.
const ControlPrefix = "/simulator/"

// FaultSettings is the body of PUT /simulator/faults; absent members keep their value.
type FaultSettings struct {
	LatencyMS     *int     `json:"latency_ms,omitempty"`
	ErrorRate     *float64 `json:"error_rate,omitempty"`
	MalformedRate *float64 `json:"malformed_rate,omitempty"`
	DropRate      *float64 `json:"drop_rate,omitempty"`
	MaxUsers      *int     `json:"max_users,omitempty"`
	IdleExpiryS   *int     `json:"idle_expiry_s,omitempty"`
}

// ControlState is the answer of GET /simulator/state.
type ControlState struct {
	Stats
	SerialNumber string `json:"serial_number"`
	Fingerprint  string `json:"sha256"`
}

func (s *Simulator) serveControl(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path[len(ControlPrefix):] {
	case "state":
		if r.Method != http.MethodGet {
			break
		}
		writeJSON(w, http.StatusOK, ControlState{Stats: s.Stats(), SerialNumber: s.opts.SerialNumber, Fingerprint: s.Fingerprint()})
		return
	case "expire-sessions":
		if r.Method != http.MethodPost {
			break
		}
		s.ExpireSessions()
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return
	case "faults":
		if r.Method != http.MethodPut {
			break
		}
		var f FaultSettings
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&f); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"status": "error", "message": "faults: " + err.Error()})
			return
		}
		s.applyFaults(f)
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "error", "message": "unknown control path"})
		return
	}
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"status": "error", "message": "method not allowed"})
}

func (s *Simulator) applyFaults(f FaultSettings) {
	if f.LatencyMS != nil {
		s.SetLatency(time.Duration(*f.LatencyMS) * time.Millisecond)
	}
	if f.ErrorRate != nil {
		s.SetErrorRate(*f.ErrorRate)
	}
	if f.MalformedRate != nil {
		s.SetMalformedRate(*f.MalformedRate)
	}
	if f.DropRate != nil {
		s.SetDropRate(*f.DropRate)
	}
	if f.MaxUsers != nil {
		s.SetMaxUsers(*f.MaxUsers)
	}
	if f.IdleExpiryS != nil {
		s.SetIdleExpiry(time.Duration(*f.IdleExpiryS) * time.Second)
	}
}
