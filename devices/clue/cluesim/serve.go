package cluesim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/clue"
)

// maxRequestBytes bounds a request body: two 1 MiB images in base64 and some JSON.
const maxRequestBytes = 8 << 20

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
