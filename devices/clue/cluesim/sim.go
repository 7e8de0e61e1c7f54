// Package cluesim simulates the Suprema CLUe cloud (specs 000 and 001) and a vendor's
// authentication webhook (spec 002), for tests, demos and training.
//
// Server serves the place calls of the CLUe API under both path prefixes (/v1 and /v1/be)
// and the phone login, with expiring tokens, under /v1 only as spec 001 does; auths
// validated as the spec says, the events of each place (made by auth changes and by simulated door use), the 7-day rule of the events calls and 429 with
// Retry-After when calls to a place come closer than the spacing. It is deterministic given
// a seed and has fault knobs. A control surface lives under /_sim/, outside the vendor API.
package cluesim

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"enrollstation/devices/clue"
)

// Place is a simulated place: its doors and schedules.
type Place struct {
	ID        int64
	Name      string
	Doors     []Door
	Schedules []int64
}

// Door is a door of a place and the device that guards it.
type Door struct {
	ID       int64
	Name     string
	DeviceID int64
}

// Account is the phone account the simulator accepts (spec 001 "Login").
type Account struct {
	AccountID   int64
	CountryCode string
	Phone       string
	Password    string
	AccountType string
	Name        string
}

// DemoPlace is the place served when Options.Places is empty: the ids of the samples of
// spec 000 (place 178, doors 234-236, schedule 333).
func DemoPlace() Place {
	return Place{
		ID:   178,
		Name: "Demo store",
		Doors: []Door{
			{ID: 234, Name: "SmartLight", DeviceID: 1343},
			{ID: 235, Name: "Back office", DeviceID: 1344},
			{ID: 236, Name: "Warehouse", DeviceID: 1345},
		},
		Schedules: []int64{333},
	}
}

// DemoAccount is the account accepted when Options.Account is empty: the sample of spec 001.
func DemoAccount() Account {
	return Account{AccountID: 1, CountryCode: "kr", Phone: "0123456789", Password: "Pa$sw0rd",
		AccountType: clue.DefaultAccountType, Name: "diaz"}
}

// Options configure a Server.
type Options struct {
	// Seed makes ids, tokens, door use and faults repeatable.
	Seed int64
	// Places are the places served; DemoPlace when empty.
	Places []Place
	// APIKey is the fixed API key accepted; DemoAPIKey(Seed) when empty.
	APIKey string
	// Account is the phone account accepted; DemoAccount when empty.
	Account Account
	// TokenTTL is how long an access token lives; one hour when 0.
	TokenTTL time.Duration
	// Spacing is the least time between two calls to one place before 429; clue.MinSpacing
	// when 0, no limit when negative.
	Spacing time.Duration
	// Latency delays every answer.
	Latency time.Duration
	// MaxFaceBytes is the largest face image accepted; 1 MiB when 0.
	MaxFaceBytes int
	// Logger receives a line per call; nothing is logged when nil.
	Logger *slog.Logger
}

// DemoAPIKey is the API key a simulator with this seed accepts by default.
func DemoAPIKey(seed int64) string {
	r := rand.New(rand.NewPCG(uint64(seed), 0xa91))
	return fmt.Sprintf("clue-sim-%016x%016x", r.Uint64(), r.Uint64())
}

// maxPageSize caps the size parameter of the events calls.
const maxPageSize = 1000

// Server is the CLUe simulator. It is an http.Handler; its knobs are safe for concurrent use.
type Server struct {
	mux    *http.ServeMux
	log    *slog.Logger
	apiKey string

	mu         sync.Mutex
	rng        *rand.Rand
	account    Account
	places     map[int64]*placeState
	placeOrder []int64
	tokens     map[string]token
	tokenTTL   time.Duration
	spacing    time.Duration
	latency    time.Duration
	errorRate  float64
	malformed  float64
	dropRate   float64
	tableShape bool
	maxFace    int
	logins     int
	calls      int
	arrivals   map[int64][]time.Time
	lastCall   map[int64]time.Time
	auths      map[int64]*authRecord
	users      map[string]*userRecord // by place and key
	nextAuth   int64
	nextUser   int64
	nextLog    int64
	localLog   map[int64]int64 // per device
}

type placeState struct {
	Place
	events []event
}

type token struct {
	expires time.Time
	refresh bool
}

// New returns a simulator with the options' state and knobs.
func New(opts Options) *Server {
	s := &Server{
		log:      opts.Logger,
		apiKey:   opts.APIKey,
		rng:      rand.New(rand.NewPCG(uint64(opts.Seed), 0xc1e)),
		account:  opts.Account,
		places:   make(map[int64]*placeState),
		tokens:   make(map[string]token),
		tokenTTL: opts.TokenTTL,
		spacing:  opts.Spacing,
		latency:  opts.Latency,
		maxFace:  opts.MaxFaceBytes,
		arrivals: make(map[int64][]time.Time),
		lastCall: make(map[int64]time.Time),
		auths:    make(map[int64]*authRecord),
		users:    make(map[string]*userRecord),
		nextAuth: 118926,
		nextUser: 106569,
		nextLog:  12907900,
		localLog: make(map[int64]int64),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.apiKey == "" {
		s.apiKey = DemoAPIKey(opts.Seed)
	}
	if s.account.Phone == "" {
		s.account = DemoAccount()
	}
	if s.tokenTTL <= 0 {
		s.tokenTTL = time.Hour
	}
	if s.spacing == 0 {
		s.spacing = clue.MinSpacing
	}
	if s.maxFace <= 0 {
		s.maxFace = clue.DefaultMaxFaceBytes
	}
	places := opts.Places
	if len(places) == 0 {
		places = []Place{DemoPlace()}
	}
	for _, p := range places {
		s.places[p.ID] = &placeState{Place: p}
		s.placeOrder = append(s.placeOrder, p.ID)
	}
	s.routes()
	return s
}

// ServeHTTP serves the CLUe API and the control surface.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// APIKey returns the API key the simulator accepts.
func (s *Server) APIKey() string { return s.apiKey }

// Account returns the phone account the simulator accepts.
func (s *Server) Account() Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) { s.set(func() { s.latency = d }) }

// SetErrorRate makes a share p (0..1) of the calls fail with HTTP 500.
func (s *Server) SetErrorRate(p float64) { s.set(func() { s.errorRate = p }) }

// SetMalformedRate makes a share p (0..1) of the answers truncated, invalid JSON.
func (s *Server) SetMalformedRate(p float64) { s.set(func() { s.malformed = p }) }

// SetDropRate makes a share p (0..1) of the calls end with the connection closed, unanswered.
func (s *Server) SetDropRate(p float64) { s.set(func() { s.dropRate = p }) }

// SetTokenTTL sets the life of the access tokens given from now on.
func (s *Server) SetTokenTTL(d time.Duration) { s.set(func() { s.tokenTTL = d }) }

// SetSpacing sets the least time between two calls to one place; negative disables the check.
func (s *Server) SetSpacing(d time.Duration) { s.set(func() { s.spacing = d }) }

// SetFieldTableShape makes events use the field tables' shape (numeric userId, useName)
// instead of the samples' (userId as text, userName).
func (s *Server) SetFieldTableShape(on bool) { s.set(func() { s.tableShape = on }) }

// ExpireTokens ends the life of every access token given so far, as a server restart would.
func (s *Server) ExpireTokens() {
	s.set(func() {
		for k, t := range s.tokens {
			if !t.refresh {
				delete(s.tokens, k)
			}
		}
	})
}

// Logins returns how many phone logins succeeded.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Calls returns how many API calls arrived (the control surface not counted).
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Arrivals returns the arrival time of every call made to the place, in order, so that the
// spacing can be measured where CLUe measures it.
func (s *Server) Arrivals(place int64) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.arrivals[place]...)
}

func (s *Server) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}
