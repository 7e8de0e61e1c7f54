// Package actateksim simulates an ACTAtek terminal's REST API (spec 004) for demos,
// training and tests: sessions with idle expiry, users with facial records, departments,
// access rights and groups, triggers, agents, an event log with photos, time and NTP,
// relays and the other terminal settings, job codes and holidays. It serves the shapes of
// the actatek wire model over HTTPS with its own certificate (or plain HTTP), is
// deterministic given a seed, and has fault knobs: latency, error rate, malformed bodies,
// dropped connections, session expiry (now, or in the middle of a batch) and a full
// terminal.
package actateksim

import (
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // terminal time zones work on hosts without a zoneinfo database

	"enrollstation/devices/actatek"
)

// DemoPassword is the password of the simulator's built-in "admin" account when Options
// does not set one. It protects nothing: the simulator holds only made-up data.
const DemoPassword = "actatek-demo"

// Defaults for Options.
const (
	DefaultMaxUsers     = 1000
	DefaultIdleExpiry   = 30 * time.Minute
	DefaultMaxBodyBytes = 32 << 20
)

// Options configure a Simulator. Zero values take the defaults.
type Options struct {
	Seed     int64
	Username string // the built-in account; default "admin"
	Password string // default DemoPassword
	// MaxUsers is the terminal's capacity (terminal status maximumUsers); default 1000.
	MaxUsers int
	// IdleExpiry is how long a session lives without a call; default 30 minutes.
	IdleExpiry time.Duration
	// TimeZone is the terminal's time zone (a tz database name); default "UTC".
	TimeZone     string
	SerialNumber string // default derived from the seed
	// DemoUsers is how many made-up users (with photos and some IN/OUT events) exist at
	// start; default none.
	DemoUsers int
	// Now is the simulator's clock; default time.Now. Tests pass a fake one.
	Now func() time.Time
	// Hosts are extra DNS names or IP addresses for the certificate, besides localhost,
	// 127.0.0.1 and ::1.
	Hosts []string
	// MaxBodyBytes bounds a request body; default 32 MiB.
	MaxBodyBytes int64
}

// BatchExpiry chooses how a session expiry armed by ExpireSessionsAfterWrites shows in
// the batch being written when it strikes.
type BatchExpiry int

const (
	// ExpiryPerItem answers the rest of the batch item by item with the session error.
	ExpiryPerItem BatchExpiry = iota
	// ExpiryWholeCall answers the whole call with the session error (HTTP 400), although
	// the users before the expiry were written.
	ExpiryWholeCall
)

// Stats are counters for tests and the control surface.
type Stats struct {
	Logins   int `json:"logins"`
	Calls    int `json:"calls"` // API requests received, faulted ones included
	Sessions int `json:"sessions"`
	Users    int `json:"users"`
	Logs     int `json:"logs"`
}

// Simulator is one simulated terminal; it is an http.Handler. Knobs are safe for
// concurrent use.
type Simulator struct {
	opts    Options
	routes  map[string]map[string]handler
	cert    tls.Certificate
	leaf    *x509.Certificate
	certPEM []byte

	mu    sync.Mutex // guards the terminal state below
	st    state
	rng   *rand.Rand
	stats Stats

	fmu    sync.Mutex // guards the fault knobs below
	frng   *rand.Rand
	faults faults
}

type faults struct {
	latency       time.Duration
	errorRate     float64
	malformedRate float64
	dropRate      float64
}

// New makes a simulator. It fails only if the certificate cannot be made.
func New(opts Options) (*Simulator, error) {
	if opts.Username == "" {
		opts.Username = "admin"
	}
	if opts.Password == "" {
		opts.Password = DemoPassword
	}
	if opts.MaxUsers <= 0 {
		opts.MaxUsers = DefaultMaxUsers
	}
	if opts.IdleExpiry <= 0 {
		opts.IdleExpiry = DefaultIdleExpiry
	}
	if opts.TimeZone == "" {
		opts.TimeZone = "UTC"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	seed := uint64(opts.Seed)
	if opts.SerialNumber == "" {
		opts.SerialNumber = fmt.Sprintf("00111D%06X", seed*2654435761%0xFFFFFF)
	}
	loc, err := time.LoadLocation(opts.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("actateksim: time zone %q: %w", opts.TimeZone, err)
	}
	s := &Simulator{
		opts: opts,
		rng:  rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		frng: rand.New(rand.NewPCG(seed^0x5bd1e995, seed)),
	}
	if s.cert, s.leaf, s.certPEM, err = newCertificate(opts.Seed, opts.SerialNumber, opts.Hosts); err != nil {
		return nil, err
	}
	s.routes = routeTable()
	s.st = newState(opts, loc)
	s.seedDemo(opts.DemoUsers)
	return s, nil
}

// TLSConfig is a server TLS configuration presenting the simulator's certificate.
func (s *Simulator) TLSConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12}
}

// Certificate is the simulator's self-signed certificate.
func (s *Simulator) Certificate() *x509.Certificate { return s.leaf }

// CertificatePEM is the certificate in PEM, usable as a CA file.
func (s *Simulator) CertificatePEM() []byte { return bytes.Clone(s.certPEM) }

// Fingerprint is the SHA-256 fingerprint of the certificate, in hex: the value to pin.
func (s *Simulator) Fingerprint() string { return actatek.Fingerprint(s.leaf.Raw) }

// SerialNumber is the terminal's serial number.
func (s *Simulator) SerialNumber() string { return s.opts.SerialNumber }

// Credentials are the built-in account's username and password.
func (s *Simulator) Credentials() actatek.Credentials {
	s.mu.Lock() // updateMyself may change the password
	defer s.mu.Unlock()
	return actatek.Credentials{Username: s.opts.Username, Password: s.opts.Password}
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

// Stats returns the counters.
func (s *Simulator) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Sessions = len(s.st.sessions)
	st.Users = len(s.st.userOrder)
	st.Logs = len(s.st.logs)
	return st
}

// ServeHTTP serves the vendor API under actatek.APIPrefix and the control surface under
// ControlPrefix.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, ControlPrefix) {
		s.serveControl(w, r)
		return
	}
	if !strings.HasPrefix(r.URL.Path, actatek.APIPrefix) {
		writeJSON(w, http.StatusNotFound, actatek.Result{Status: actatek.StatusError, Message: "not an ACTAtek REST API path"})
		return
	}
	s.mu.Lock()
	s.stats.Calls++
	s.mu.Unlock()
	s.fmu.Lock()
	f := s.faults
	drop := f.dropRate > 0 && s.frng.Float64() < f.dropRate
	fail := f.errorRate > 0 && s.frng.Float64() < f.errorRate
	malformed := f.malformedRate > 0 && s.frng.Float64() < f.malformedRate
	kind := s.frng.IntN(3)
	s.fmu.Unlock()

	if f.latency > 0 {
		t := time.NewTimer(f.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			dropConnection(w) // the caller is gone; never answer with an empty 200
			return
		}
	}
	switch {
	case drop:
		dropConnection(w)
	case fail:
		writeJSON(w, http.StatusInternalServerError, actatek.Result{Status: actatek.StatusError, Message: "internal error (simulated fault)"})
	case malformed:
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		s.serveAPI(rec, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(corrupt(rec.body.Bytes(), kind))
	default:
		s.serveAPI(w, r)
	}
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

// call is one API request as the handlers see it.
type call struct {
	method string
	args   []string // path segments after the endpoint name, unescaped; args[0] is the session id
	query  url.Values
	body   []byte
	sess   *session
	host   string
}

// reply is a handler's answer: a status and a value to encode as JSON.
type reply struct {
	status int
	body   any
}

func ok(v any) reply { return reply{http.StatusOK, v} }

func success(format string, a ...any) reply {
	return ok(actatek.Result{Status: actatek.StatusSuccess, Message: fmt.Sprintf(format, a...)})
}

func refuse(format string, a ...any) reply {
	return reply{http.StatusBadRequest, actatek.Result{Status: actatek.StatusError, Message: fmt.Sprintf(format, a...)}}
}

// handler answers one endpoint and method; it runs with s.mu held.
type handler func(s *Simulator, c *call) reply

// isPublic reports whether an endpoint takes no session (1.1 login, 11.2 apiversion).
func isPublic(name string) bool { return name == "login" || name == "apiversion" }

// route finds the handler of an endpoint and method; known is false for an unknown
// endpoint, h is nil for a known endpoint that does not take this method.
func (s *Simulator) route(name, method string) (h handler, known bool) {
	m, known := s.routes[name]
	if !known {
		return nil, false
	}
	return m[method], true
}

func (s *Simulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	segs, err := splitPath(strings.TrimPrefix(r.URL.EscapedPath(), actatek.APIPrefix))
	if err != nil || len(segs) == 0 {
		writeJSON(w, http.StatusNotFound, actatek.Result{Status: actatek.StatusError, Message: "unknown API path"})
		return
	}
	h, known := s.route(segs[0], r.Method)
	if !known {
		writeJSON(w, http.StatusNotFound, actatek.Result{Status: actatek.StatusError, Message: "unknown API call " + segs[0]})
		return
	}
	if h == nil {
		writeJSON(w, http.StatusMethodNotAllowed, actatek.Result{Status: actatek.StatusError, Message: fmt.Sprintf("%s does not take %s", segs[0], r.Method)})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, actatek.Result{Status: actatek.StatusError, Message: "request body too large or unreadable"})
		return
	}
	c := &call{method: r.Method, args: segs[1:], query: r.URL.Query(), body: body, host: r.Host}

	s.mu.Lock()
	var rep reply
	if !isPublic(segs[0]) {
		rep = s.checkSession(c)
	}
	if rep.status == 0 {
		rep = h(s, c)
	}
	s.mu.Unlock()
	writeJSON(w, rep.status, rep.body)
}

// splitPath unescapes each segment and drops a trailing slash (the spec writes some paths
// with one and some without).
func splitPath(p string) ([]string, error) {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return nil, nil
	}
	parts := strings.Split(p, "/")
	for i, part := range parts {
		v, err := url.PathUnescape(part)
		if err != nil {
			return nil, err
		}
		parts[i] = v
	}
	return parts, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"status":"error","message":"simulator could not encode its answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// session is one login.
type session struct {
	id       string
	user     string // the account or user ID logged in
	lastUsed time.Time
}

// checkSession validates args[0] as a live session and touches it; a zero reply means
// the call may go on.
func (s *Simulator) checkSession(c *call) reply {
	if len(c.args) == 0 || c.args[0] == "" {
		return refuse("%s: session id missing", actatek.MsgSessionExpired)
	}
	sess := s.st.sessions[c.args[0]]
	now := s.opts.Now()
	if sess == nil || now.Sub(sess.lastUsed) > s.opts.IdleExpiry {
		delete(s.st.sessions, c.args[0])
		return refuse("%s", actatek.MsgSessionExpired)
	}
	sess.lastUsed = now
	c.sess = sess
	return reply{}
}

// handleLogin is POST login (1.1): the built-in account, or a user with an admin level
// and a password.
func handleLogin(s *Simulator, c *call) reply {
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil || req.Username == "" {
		return refuse("login needs a JSON body with username and password")
	}
	if !s.passwordOK(req.Username, req.Password) {
		return refuse("invalid username or password")
	}
	id := ""
	for id == "" || s.st.sessions[id] != nil {
		id = strconv.FormatUint(1_000_000_000+s.rng.Uint64N(1_000_000_000), 10)
	}
	s.st.sessions[id] = &session{id: id, user: req.Username, lastUsed: s.opts.Now()}
	s.stats.Logins++
	return ok(map[string]string{"status": actatek.StatusSuccess, "sessionid": id})
}

func (s *Simulator) passwordOK(user, password string) bool {
	if user == s.opts.Username {
		return subtle.ConstantTimeCompare([]byte(password), []byte(s.opts.Password)) == 1
	}
	u := s.st.users[user]
	if u == nil || u.Password == "" || levelOf(u.AdminLevel) == actatek.PersonalUser {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(password), []byte(u.Password)) == 1
}

// handleLogout is DELETE logout/{sessionid} (1.2).
func handleLogout(s *Simulator, c *call) reply {
	delete(s.st.sessions, c.args[0])
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// arg returns args[i] or "".
func (c *call) arg(i int) string {
	if i < len(c.args) {
		return c.args[i]
	}
	return ""
}

// decodeOneOrMany reads a body that is one object or an array of them; many reports
// which, so the answer can take the same form.
func decodeOneOrMany[T any](body []byte) (items []T, many bool, err error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, false, errors.New("the request body is empty")
	}
	if body[0] == '[' {
		err = json.Unmarshal(body, &items)
		return items, true, err
	}
	var one T
	err = json.Unmarshal(body, &one)
	return []T{one}, false, err
}

// answerMany answers in the form the request came in.
// perItem answers a call whose body is one item or an array of them (spec 004's batch
// calls): fn handles each item, and the answer is its result, or the array of results.
// refusal names the data of a body that does not decode.
func perItem[T any](c *call, refusal string, fn func(T) actatek.Result) reply {
	items, many, err := decodeOneOrMany[T](c.body)
	if err != nil {
		return refuse("%s: %v", refusal, err)
	}
	results := make([]actatek.Result, len(items))
	for i, it := range items {
		results[i] = fn(it)
	}
	return answerMany(results, many)
}

func answerMany(results []actatek.Result, many bool) reply {
	if many {
		return ok(results)
	}
	if !results[0].OK() {
		return reply{http.StatusBadRequest, results[0]}
	}
	return ok(results[0])
}

func okResult(format string, a ...any) actatek.Result {
	return actatek.Result{Status: actatek.StatusSuccess, Message: fmt.Sprintf(format, a...)}
}

func errResult(format string, a ...any) actatek.Result {
	return actatek.Result{Status: actatek.StatusError, Message: fmt.Sprintf(format, a...)}
}
