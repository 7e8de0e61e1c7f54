package cluesim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/clue"
)

// event is one stored event; the wire shape is chosen when it is served.
type event struct {
	logID      int64
	at         time.Time
	place      int64
	device     int64
	door       int64
	doorName   string
	authID     int64
	userKey    string
	userID     int64
	userName   string
	localLogID int64
	typ        string
}

// addAuthEvent records an auth change. Called with s.mu held.
func (s *Server) addAuthEvent(p *placeState, rec *authRecord, typ string) {
	s.addEvent(p, event{at: time.Now(), place: p.ID, authID: rec.AuthID, userKey: rec.Key,
		userID: rec.UserID, userName: rec.Name, typ: typ})
}

// addEvent gives the event its ids and stores it. Called with s.mu held.
func (s *Server) addEvent(p *placeState, e event) event {
	e.logID = s.nextLog
	s.nextLog++
	if e.device != 0 {
		s.localLog[e.device]++
		e.localLogID = 25270 + s.localLog[e.device]
	}
	p.events = append(p.events, e)
	return e
}

// DoorUse simulates a person at a door of the place at the given time and returns the events
// it made, in the shape of spec 001. Most of the time it is someone with an auth: granted
// (DEV_FACE_AUTH_SUCCESS, then the relay on and, three seconds later, off) when the auth is
// active, within its window and allows the door; otherwise, or for a stranger,
// DEV_FACE_AUTH_FAIL.
func (s *Server) DoorUse(place int64, at time.Time) ([]clue.EventWire, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.places[place]
	if !ok {
		return nil, fmt.Errorf("place %d does not exist", place)
	}
	if len(p.Doors) == 0 {
		return nil, fmt.Errorf("place %d has no doors", place)
	}
	var auths []*authRecord
	for _, a := range s.auths {
		if a.PlaceID == place {
			auths = append(auths, a)
		}
	}
	slices.SortFunc(auths, func(a, b *authRecord) int { return int(a.AuthID - b.AuthID) })
	door := p.Doors[s.rng.IntN(len(p.Doors))]
	var made []event
	if len(auths) == 0 || s.rng.Float64() < 0.2 {
		made = append(made, s.addEvent(p, event{at: at, place: place, device: door.DeviceID, door: door.ID, typ: clue.EventFaceAuthFail}))
		return s.wire(made, false), nil
	}
	a := auths[s.rng.IntN(len(auths))]
	if a.DoorAccessType == clue.DoorAccessSome {
		door = *p.door(a.DoorIDs[s.rng.IntN(len(a.DoorIDs))])
	}
	if a.ActiveStatus != clue.StatusActive || at.Before(a.Start) || at.After(a.End) {
		made = append(made, s.addEvent(p, event{at: at, place: place, device: door.DeviceID, door: door.ID, typ: clue.EventFaceAuthFail}))
		return s.wire(made, false), nil
	}
	base := event{place: place, device: door.DeviceID, door: door.ID}
	ok1 := base
	ok1.at, ok1.typ, ok1.doorName = at, clue.EventFaceAuthSuccess, door.Name
	ok1.authID, ok1.userKey, ok1.userID, ok1.userName = a.AuthID, a.Key, a.UserID, a.Name
	on, off := base, base
	on.at, on.typ = at.Add(40*time.Millisecond), clue.EventDoorRelayOn
	off.at, off.typ = at.Add(3*time.Second), clue.EventDoorRelayOff
	for _, e := range []event{ok1, on, off} {
		made = append(made, s.addEvent(p, e))
	}
	return s.wire(made, false), nil
}

// eventOut is one event as served. logId and userId are any so that each takes the shape
// of the sample being followed: the clue wire model only decodes them.
type eventOut struct {
	LogID      any    `json:"logId"`
	EventAt    int64  `json:"eventAt"`
	PlaceID    int64  `json:"placeId"`
	DeviceID   int64  `json:"deviceId,omitempty"`
	DoorID     int64  `json:"doorId,omitempty"`
	DoorName   string `json:"doorName,omitempty"`
	AuthID     int64  `json:"authId,omitempty"`
	UserID     any    `json:"userId,omitempty"`
	UserName   string `json:"userName,omitempty"`
	UseName    string `json:"useName,omitempty"`
	LocalLogID int64  `json:"localLogId"`
	EventType  string `json:"eventType"`
}

// serve turns stored events into the answer's items: text logIds under the 000 endpoint
// (its sample), numbers under the 001 endpoint; userId as text and userName (both
// samples), or a numeric userId and useName (the field tables) when that shape is on.
// Called with s.mu held.
func (s *Server) serve(events []event, stringIDs bool) []eventOut {
	out := make([]eventOut, 0, len(events))
	for _, e := range events {
		o := eventOut{LogID: e.logID, EventAt: e.at.UnixMilli(), PlaceID: e.place, DeviceID: e.device, DoorID: e.door,
			DoorName: e.doorName, AuthID: e.authID, LocalLogID: e.localLogID, EventType: e.typ}
		if stringIDs {
			o.LogID = s.textID(e.logID)
		}
		if e.userKey != "" {
			if s.tableShape {
				o.UserID, o.UseName = e.userID, e.userName
			} else {
				o.UserID, o.UserName = e.userKey, e.userName
			}
		}
		out = append(out, o)
	}
	return out
}

// wire turns stored events into the answer's shape. stringIDs gives logIds as text (the
// sample of 000); otherwise numbers (the sample of 001). userId and userName follow the
// samples unless the field-table shape is on. Called with s.mu held.
func (s *Server) wire(events []event, stringIDs bool) []clue.EventWire {
	out := make([]clue.EventWire, 0, len(events))
	for _, e := range events {
		w := clue.EventWire{
			LogID:      clue.ID(strconv.FormatInt(e.logID, 10)),
			EventAt:    clue.Int(e.at.UnixMilli()),
			PlaceID:    clue.Int(e.place),
			DeviceID:   clue.Int(e.device),
			DoorID:     clue.Int(e.door),
			DoorName:   e.doorName,
			AuthID:     clue.Int(e.authID),
			LocalLogID: clue.Int(e.localLogID),
			EventType:  e.typ,
		}
		if stringIDs {
			w.LogID = clue.ID(s.textID(e.logID))
		}
		if e.userKey != "" {
			if s.tableShape {
				w.UserID, w.UseName = clue.ID(strconv.FormatInt(e.userID, 10)), e.userName
			} else {
				w.UserID, w.UserName = clue.ID(e.userKey), e.userName
			}
		}
		out = append(out, w)
	}
	return out
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// textID derives a 20-character id like "XjIAM5ABcB2c2xupDI6m" from a numeric one.
func (s *Server) textID(id int64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(id))
	sum := sha256.Sum256(append([]byte(s.apiKey), b[:]...))
	return base64.RawURLEncoding.EncodeToString(sum[:15])
}

// eventsByQuery is spec 000 "Retrieve Logs": GET /events?...&placeId=N, logIds as text.
func (s *Server) eventsByQuery(r *http.Request) reply {
	return s.events(r, s.queryPlace(r), true)
}

// eventsByPlace is spec 001 "Retrieve Logs": GET /events/places/{placeId}, numeric logIds.
func (s *Server) eventsByPlace(r *http.Request) reply {
	return s.events(r, s.pathPlace(r), false)
}

// events filters, sorts and pages the events of a place. startTime must be within 7 days of
// endTime (endTime is now when only startTime is given).
func (s *Server) events(r *http.Request, place int64, stringIDs bool) reply {
	q := r.URL.Query()
	num := func(name string) (int64, bool, error) {
		v := q.Get(name)
		if v == "" {
			return 0, false, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, false, fmt.Errorf("%s %q is not a number", name, v)
		}
		return n, true, nil
	}
	start, hasStart, err1 := num("startTime")
	end, hasEnd, err2 := num("endTime")
	page, _, err3 := num("page")
	size, hasSize, err4 := num("size")
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "%v", err)
		}
	}
	if hasStart && !hasEnd {
		end, hasEnd = time.Now().UnixMilli(), true
	}
	if hasStart && end < start {
		return envelopeReply(http.StatusBadRequest, "endTime must not be before startTime")
	}
	if hasStart && end-start > clue.MaxEventWindow.Milliseconds() {
		return envelopeReply(http.StatusBadRequest, "startTime must be within 7 days of endTime")
	}
	desc := false
	switch sort := q.Get("sort"); sort {
	case "", "id,asc", "id":
	case "id,desc":
		desc = true
	default:
		return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "sort %q is not id,asc or id,desc", sort)
	}
	var types []string
	if f := q.Get("filterEvents"); f != "" {
		types = strings.Split(f, ",")
	}
	text := strings.ToLower(q.Get("q"))

	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.places[place]
	if !ok {
		return errorsReply(http.StatusNotFound, "PLACE_NOT_FOUND", "place %d does not exist", place)
	}
	var match []event
	for _, e := range p.events {
		at := e.at.UnixMilli()
		switch {
		case hasStart && at < start, hasEnd && at > end:
			continue
		case len(types) > 0 && !slices.Contains(types, e.typ):
			continue
		case text != "" && !strings.Contains(strings.ToLower(e.userName+" "+e.doorName+" "+e.userKey), text):
			continue
		}
		match = append(match, e)
	}
	slices.SortFunc(match, func(a, b event) int {
		if desc {
			return int(b.logID - a.logID)
		}
		return int(a.logID - b.logID)
	})
	total := len(match)
	// Without size every event comes in one page (000: "if not specified, displayed in 1
	// page only"); a size is capped at maxPageSize.
	if !hasSize || size > maxPageSize {
		size = maxPageSize
		if !hasSize {
			size = int64(max(total, 1))
		}
	}
	if size == 0 {
		size = 1
	}
	from := int64(total)
	if page <= int64(total)/size {
		from = page * size
	}
	to := min(int64(total), from+size)
	return okReply(map[string]any{"code": 200, "status": true, "message": "OK", "total": total,
		"data": s.serve(match[from:to], stringIDs)})
}
