package ef45sim

import (
	"net/http"
	"time"
)

// Faults are the fault knobs. Each API request draws from the seeded generator: with
// probability DropRate the connection is closed without an answer, else with ErrorRate it
// gets 500, else with MalformedRate a 200 answer whose body is cut short or garbage.
type Faults struct {
	Latency       time.Duration `json:"latency"`
	ErrorRate     float64       `json:"error_rate"`
	MalformedRate float64       `json:"malformed_rate"`
	DropRate      float64       `json:"drop_rate"`
}

func (f Faults) clamped() Faults {
	clamp := func(v float64) float64 { return min(max(v, 0), 1) }
	f.ErrorRate, f.MalformedRate, f.DropRate = clamp(f.ErrorRate), clamp(f.MalformedRate), clamp(f.DropRate)
	f.Latency = max(f.Latency, 0)
	return f
}

// sleepCtx waits d, or less if the client goes away; it reports whether to go on.
func sleepCtx(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dropConnection closes the connection without an answer, as a device that lost power or
// crashed mid-request would.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
		return
	}
	// HTTP/2 and recorders cannot be hijacked; aborting the handler resets the stream.
	panic(http.ErrAbortHandler)
}

// writeGarbled sends a 200 whose JSON is broken: the real answer cut in half, or a torn
// object when the answer was empty.
func writeGarbled(w http.ResponseWriter, bw *bufferedWriter) {
	body := bw.body.Bytes()
	if len(body) < 4 {
		body = []byte(`{"status_code":200,"reason_phrase":"O`)
	} else {
		body = body[:len(body)/2]
	}
	writeRaw(w, http.StatusOK, body)
}
