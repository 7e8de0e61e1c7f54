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
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
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

// maxRequestBytes bounds a request body: two 1 MiB images in base64 and some JSON.
const maxRequestBytes = 8 << 20

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

// reply is what a handler answers; the wrapper writes it, with faults applied.
type reply struct {
	status     int
	body       any
	retryAfter int // seconds, for 429
}

func okReply(body any) reply { return reply{status: http.StatusOK, body: body} }

// errorsReply is the error shape the C# samples read: {"errors":[{code,message}]}.
func errorsReply(status int, code, format string, a ...any) reply {
	type item struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	return reply{status: status, body: map[string]any{
		"errors": []item{{Code: code, Message: fmt.Sprintf(format, a...)}},
	}}
}

// envelopeReply is the {code,status,message} envelope with status false.
func envelopeReply(status int, format string, a ...any) reply {
	return reply{status: status, body: map[string]any{"code": status, "status": false, "message": fmt.Sprintf(format, a...)}}
}

// envelope wraps data in the success envelope of every answer.
func envelope(data any) map[string]any {
	return map[string]any{"code": 200, "status": true, "message": "OK", "data": data}
}

// api wraps an API handler: it records the arrival per place, applies the fault knobs, checks
// the token and the spacing, and writes the reply.
func (s *Server) api(name string, authed bool, placeOf func(*http.Request) int64, h func(*http.Request) reply) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		arrived := time.Now()
		place := int64(0)
		if placeOf != nil {
			place = placeOf(r)
		}
		s.mu.Lock()
		s.calls++
		if place != 0 {
			s.arrivals[place] = append(s.arrivals[place], arrived)
		}
		// The spacing is judged in the order of arrival, before any latency.
		rep := s.pace(place, arrived)
		latency := s.latency
		drop := s.dropRate > 0 && s.rng.Float64() < s.dropRate
		fail := s.errorRate > 0 && s.rng.Float64() < s.errorRate
		malformed := s.malformed > 0 && s.rng.Float64() < s.malformed
		s.mu.Unlock()

		if latency > 0 {
			t := time.NewTimer(latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if drop {
			s.log.Debug("clue sim: dropping the connection", "call", name)
			panic(http.ErrAbortHandler)
		}
		if rep.status == 0 {
			rep = s.authorize(r, authed)
		}
		if rep.status == 0 {
			if fail {
				rep = envelopeReply(http.StatusInternalServerError, "internal server error (simulated)")
			} else {
				r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
				rep = h(r)
			}
		}
		s.log.Info("clue sim", "call", name, "method", r.Method, "path", r.URL.Path, "place", place, "status", rep.status)
		s.write(w, rep, malformed)
	}
}

// pace refuses a call that arrives less than the spacing after the last call admitted to the
// same place; a zero reply lets the call through. Called with s.mu held.
func (s *Server) pace(place int64, arrived time.Time) reply {
	if place == 0 || s.spacing <= 0 {
		return reply{}
	}
	if last, ok := s.lastCall[place]; ok && arrived.Sub(last) < s.spacing {
		gap := arrived.Sub(last)
		rep := errorsReply(http.StatusTooManyRequests, "TOO_MANY_REQUESTS",
			"calls to place %d must be at least %s apart (this one came %s after the last)", place, s.spacing, gap.Round(time.Millisecond))
		// Retry-After counts whole seconds (RFC 9110), so it is at least 1.
		rep.retryAfter = int((s.spacing - gap + time.Second - 1) / time.Second)
		return rep
	}
	s.lastCall[place] = arrived
	return reply{}
}

// authorize checks the bearer token; a zero reply lets the call through.
func (s *Server) authorize(r *http.Request, authed bool) reply {
	if !authed {
		return reply{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := r.Header.Get("Authorization")
	tok, found := strings.CutPrefix(h, "Bearer ")
	if !found {
		// Some callers send the bare key (the samples mask it as ••••••).
		tok = h
	}
	tok = strings.TrimSpace(tok)
	switch {
	case tok == "":
		return errorsReply(http.StatusUnauthorized, "UNAUTHORIZED", "the Authorization header is missing")
	case tok == s.apiKey:
		return reply{}
	}
	t, known := s.tokens[tok]
	switch {
	case !known || t.refresh:
		return errorsReply(http.StatusUnauthorized, "INVALID_TOKEN", "the API key or access token is not valid")
	case time.Now().After(t.expires):
		delete(s.tokens, tok)
		return errorsReply(http.StatusUnauthorized, "TOKEN_EXPIRED", "the access token has expired")
	}
	return reply{}
}

func (s *Server) write(w http.ResponseWriter, rep reply, malformed bool) {
	b, err := json.Marshal(rep.body)
	if err != nil {
		rep.status, b = http.StatusInternalServerError, []byte(`{"code":500,"status":false,"message":"encode"}`)
	}
	if malformed {
		b = append(b[:len(b)/2:len(b)/2], []byte(`<!-- gateway -->`)...)
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(rep.retryAfter))
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(b)
}

// routes registers every call under both prefixes, and the control surface.
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	// The phone login is an account call: spec 001 serves it under /v1 only.
	s.mux.HandleFunc("POST "+clue.PathLoginPhone, s.api("phone login", false, nil, s.login))
	for _, p := range []string{clue.PrefixV1, clue.PrefixBE} {
		s.mux.HandleFunc("POST "+p+"/places/{placeId}/auths", s.api("register auth", true, s.pathPlace, s.register))
		s.mux.HandleFunc("PUT "+p+"/places/auths/{authId}", s.api("update auth", true, s.authPlace, s.update))
		s.mux.HandleFunc("DELETE "+p+"/places/auths/{authId}", s.api("delete auth", true, s.authPlace, s.remove))
		s.mux.HandleFunc("GET "+p+clue.PathEvents, s.api("list events", true, s.queryPlace, s.eventsByQuery))
		s.mux.HandleFunc("GET "+p+"/events/places/{placeId}", s.api("list place events", true, s.pathPlace, s.eventsByPlace))
	}
	s.controlRoutes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.write(w, errorsReply(http.StatusNotFound, "NOT_FOUND", "no such call: %s %s", r.Method, r.URL.Path), false)
	})
}

func (s *Server) pathPlace(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("placeId"), 10, 64)
	return id
}

func (s *Server) queryPlace(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get("placeId"), 10, 64)
	return id
}

func (s *Server) authPlace(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("authId"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.auths[id]; ok {
		return a.PlaceID
	}
	return 0
}

// login is spec 001 "Login".
func (s *Server) login(r *http.Request) reply {
	var in clue.LoginBody
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "the body is not JSON: %v", err)
	}
	for name, v := range map[string]string{"countryCode": in.CountryCode, "phone": in.Phone, "password": in.Password,
		"accountType": in.AccountType, "authDeviceType": in.AuthDeviceType} {
		if v == "" {
			return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "%s is required", name)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account
	if !strings.EqualFold(in.CountryCode, a.CountryCode) || in.Phone != a.Phone || in.Password != a.Password {
		return errorsReply(http.StatusUnauthorized, "LOGIN_FAILED", "the phone number or the password is wrong")
	}
	if in.AccountType != a.AccountType {
		return errorsReply(http.StatusUnauthorized, "LOGIN_FAILED", "the account is not of type %s", in.AccountType)
	}
	now := time.Now()
	access := s.newToken("ac", now, s.tokenTTL)
	refresh := s.newToken("re", now, 30*24*time.Hour)
	s.tokens[access] = token{expires: now.Add(s.tokenTTL)}
	s.tokens[refresh] = token{expires: now.Add(30 * 24 * time.Hour), refresh: true}
	s.logins++
	return okReply(envelope(clue.LoginData{
		AccountID:     clue.Int(a.AccountID),
		AccountType:   a.AccountType,
		AccountStatus: "ACTIVE",
		Name:          a.Name,
		CountryCode:   a.CountryCode,
		Phone:         a.Phone,
		AccessToken:   access,
		RefreshToken:  refresh,
	}))
}

// newToken makes a JWT-shaped token like the samples' (header.claims.signature); the
// signature part comes from the seeded generator. Called with s.mu held.
func (s *Server) newToken(kind string, now time.Time, ttl time.Duration) string {
	claims := fmt.Sprintf(`{"ttc":%q,"dtc":"ma","exp":%d,"ric":%d,"iat":%d}`, kind, now.Add(ttl).Unix(), s.account.AccountID, now.Unix())
	sig := make([]byte, 32)
	for i := range sig {
		sig[i] = byte(s.rng.Uint32())
	}
	return b64url([]byte(`{"typ":"JWT","alg":"HS256"}`)) + "." + b64url([]byte(claims)) + "." + b64url(sig)
}

// controlRoutes serves the control surface: state, door use, faults and arrivals.
func (s *Server) controlRoutes() {
	s.mux.HandleFunc("GET /_sim/state", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		state := map[string]any{"calls": s.calls, "logins": s.logins, "auths": len(s.auths),
			"spacingMs": s.spacing.Milliseconds(), "latencyMs": s.latency.Milliseconds(), "places": s.placeOrder}
		events := map[string]int{}
		for id, p := range s.places {
			events[strconv.FormatInt(id, 10)] = len(p.events)
		}
		state["events"] = events
		s.mu.Unlock()
		s.write(w, okReply(state), false)
	})
	s.mux.HandleFunc("POST /_sim/door", func(w http.ResponseWriter, r *http.Request) {
		place, _ := strconv.ParseInt(r.URL.Query().Get("place"), 10, 64)
		at := time.Now()
		if ms, err := strconv.ParseInt(r.URL.Query().Get("at"), 10, 64); err == nil {
			at = time.UnixMilli(ms)
		}
		evs, err := s.DoorUse(place, at)
		if err != nil {
			s.write(w, errorsReply(http.StatusNotFound, "PLACE_NOT_FOUND", "%v", err), false)
			return
		}
		s.write(w, okReply(evs), false)
	})
	s.mux.HandleFunc("POST /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var f struct {
			LatencyMs    *int64   `json:"latencyMs"`
			ErrorRate    *float64 `json:"errorRate"`
			Malformed    *float64 `json:"malformedRate"`
			DropRate     *float64 `json:"dropRate"`
			TokenTTLMs   *int64   `json:"tokenTtlMs"`
			SpacingMs    *int64   `json:"spacingMs"`
			ExpireTokens bool     `json:"expireTokens"`
			TableShape   *bool    `json:"fieldTableShape"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&f); err != nil {
			s.write(w, errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "the body is not JSON: %v", err), false)
			return
		}
		s.set(func() {
			if f.LatencyMs != nil {
				s.latency = time.Duration(*f.LatencyMs) * time.Millisecond
			}
			if f.ErrorRate != nil {
				s.errorRate = *f.ErrorRate
			}
			if f.Malformed != nil {
				s.malformed = *f.Malformed
			}
			if f.DropRate != nil {
				s.dropRate = *f.DropRate
			}
			if f.TokenTTLMs != nil {
				s.tokenTTL = time.Duration(*f.TokenTTLMs) * time.Millisecond
			}
			if f.SpacingMs != nil {
				s.spacing = time.Duration(*f.SpacingMs) * time.Millisecond
			}
			if f.TableShape != nil {
				s.tableShape = *f.TableShape
			}
		})
		if f.ExpireTokens {
			s.ExpireTokens()
		}
		s.write(w, okReply(map[string]any{"code": 200, "status": true, "message": "OK"}), false)
	})
	s.mux.HandleFunc("GET /_sim/arrivals", func(w http.ResponseWriter, r *http.Request) {
		place, _ := strconv.ParseInt(r.URL.Query().Get("place"), 10, 64)
		ms := []int64{}
		for _, t := range s.Arrivals(place) {
			ms = append(ms, t.UnixMilli())
		}
		s.write(w, okReply(ms), false)
	})
}

// StartDoorTicker simulates a person at a door of a random place every interval until ctx
// ends, so that a demo has live events.
func (s *Server) StartDoorTicker(ctx context.Context, every time.Duration) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				s.mu.Lock()
				place := s.placeOrder[s.rng.IntN(len(s.placeOrder))]
				s.mu.Unlock()
				_, _ = s.DoorUse(place, now)
			}
		}
	}()
}
