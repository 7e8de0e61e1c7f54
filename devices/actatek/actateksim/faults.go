package actateksim

import (
	"bytes"
	"net/http"
	"time"
)

type faults struct {
	latency       time.Duration
	errorRate     float64
	malformedRate float64
	dropRate      float64
}

// SetLatency delays every API answer by d.
func (s *Simulator) SetLatency(d time.Duration) {
	s.fmu.Lock()
	s.faults.latency = d
	s.fmu.Unlock()
}

// SetErrorRate makes a fraction p (0 to 1) of API calls fail with HTTP 500 and the error
// shape, without touching the state.
func (s *Simulator) SetErrorRate(p float64) {
	s.fmu.Lock()
	s.faults.errorRate = p
	s.fmu.Unlock()
}

// SetMalformedRate makes a fraction p of API answers arrive malformed (truncated JSON,
// an HTML page or binary noise, with status 200). The call itself takes effect.
func (s *Simulator) SetMalformedRate(p float64) {
	s.fmu.Lock()
	s.faults.malformedRate = p
	s.fmu.Unlock()
}

// SetDropRate makes a fraction p of API calls end with the connection closed and no
// answer, before the call takes effect.
func (s *Simulator) SetDropRate(p float64) {
	s.fmu.Lock()
	s.faults.dropRate = p
	s.fmu.Unlock()
}

// ExpireSessions expires every session now, as 30 idle minutes or a restart would.
func (s *Simulator) ExpireSessions() {
	s.mu.Lock()
	clear(s.st.sessions)
	s.mu.Unlock()
}

// ExpireSessionsAfterWrites arms a session expiry that strikes after n more user writes
// (addUser, addUsers, updateUser, updateUsers items); mode chooses how the batch in flight
// then answers. n < 0 disarms it.
func (s *Simulator) ExpireSessionsAfterWrites(n int, mode BatchExpiry) {
	s.mu.Lock()
	s.st.expireAfter, s.st.expireMode = n, mode
	s.mu.Unlock()
}

// SetIdleExpiry changes how long a session lives without a call.
func (s *Simulator) SetIdleExpiry(d time.Duration) {
	s.mu.Lock()
	s.opts.IdleExpiry = d
	s.mu.Unlock()
}

// SetMaxUsers changes the terminal's capacity; users beyond it stay, new ones are refused.
func (s *Simulator) SetMaxUsers(n int) {
	s.mu.Lock()
	s.opts.MaxUsers = n
	s.mu.Unlock()
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // the server's own way to abort a response without logging
}

// corrupt spoils a body in one of three ways a broken terminal or proxy produces.
func corrupt(body []byte, kind int) []byte {
	switch kind {
	case 0:
		if len(body) < 2 {
			return []byte("{")
		}
		return body[:len(body)/2]
	case 1:
		return []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")
	}
	return []byte{0x00, 0xff, 0x7b, 0x22, 0xfe}
}

// recorder keeps an answer for corrupt.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
