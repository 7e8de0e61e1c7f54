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
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"math/rand/v2"
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
