package cluesim

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

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
