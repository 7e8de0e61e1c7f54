package cluesim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // face images are JPEG...
	_ "image/png"  // ...or PNG (spec 000)
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/clue"
)

// Event types of auth changes. The specs name no event for them; the simulator reports them
// under these names so that a demo's event list shows what the station did.
const (
	EventAuthRegistered = "AUTH_REGISTERED"
	EventAuthUpdated    = "AUTH_UPDATED"
	EventAuthDeleted    = "AUTH_DELETED"
)

// Face describes a face image the simulator accepted (the pixels are not kept).
type Face struct {
	Format        string // "jpeg" or "png"
	Width, Height int
	Bytes         int
}

// AuthRecord is the simulator's state of one auth, for tests and the control surface.
type AuthRecord struct {
	AuthID         int64
	PlaceID        int64
	UserID         int64
	Key            string
	Name           string
	ActiveStatus   string
	Start, End     time.Time
	DoorAccessType string
	DoorIDs        []int64
	ScheduleType   string
	ScheduleID     int64
	Cards          []clue.Card
	Faces          []Face
	LastModified   time.Time
}

type authRecord struct {
	AuthRecord
	user *userRecord
}

// userRecord outlives its auth: spec 000 "Delete User" keeps the user and its key.
type userRecord struct {
	id     int64
	key    string
	name   string
	place  int64
	authID int64 // 0 when the user has no auth
}

// Auth returns the state of an auth, if it exists.
func (s *Server) Auth(authID int64) (AuthRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.auths[authID]
	if !ok {
		return AuthRecord{}, false
	}
	return a.copy(), true
}

// Auths returns the auths of a place, by auth id.
func (s *Server) Auths(place int64) []AuthRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []AuthRecord
	for _, a := range s.auths {
		if a.PlaceID == place {
			out = append(out, a.copy())
		}
	}
	slices.SortFunc(out, func(a, b AuthRecord) int { return int(a.AuthID - b.AuthID) })
	return out
}

func (a *authRecord) copy() AuthRecord {
	c := a.AuthRecord
	c.DoorIDs = slices.Clone(c.DoorIDs)
	c.Cards = slices.Clone(c.Cards)
	c.Faces = slices.Clone(c.Faces)
	return c
}

// authIn is the auth part of Register User and the body of Update User, read leniently:
// scheduleId and doorIds as numbers or strings, cards as objects or bare numbers, and the
// Update table's top-level name.
type authIn struct {
	ActiveStatus   string     `json:"activeStatus"`
	StartTime      clue.Int   `json:"startTime"`
	EndTime        clue.Int   `json:"endTime"`
	DoorAccessType string     `json:"doorAccessType"`
	DoorIDs        []clue.Int `json:"doorIds"`
	ScheduleType   string     `json:"scheduleType"`
	ScheduleID     *clue.Int  `json:"scheduleId"`
	Credentials    struct {
		Cards      []clue.Card `json:"cards"`
		FaceImages []string    `json:"faceImages"`
		Name       string      `json:"name"`
	} `json:"credentials"`
	Name string `json:"name"`
}

// register is spec 000 "Register User".
func (s *Server) register(r *http.Request) reply {
	place := s.pathPlace(r)
	var in struct {
		User clue.UserBody `json:"user"`
		Auth authIn        `json:"auth"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return bodyError(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.places[place]
	if !ok {
		return errorsReply(http.StatusNotFound, "PLACE_NOT_FOUND", "place %d does not exist", place)
	}
	var problems []string
	if strings.TrimSpace(in.User.Key) == "" {
		problems = append(problems, "user.key is required")
	}
	if strings.TrimSpace(in.User.Name) == "" {
		problems = append(problems, "user.name is required")
	}
	rec := &authRecord{}
	problems = append(problems, s.applyAuth(p, &rec.AuthRecord, in.Auth, "auth.", true)...)
	if len(problems) > 0 {
		return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "%s", strings.Join(problems, "; "))
	}
	ukey := userKey(place, in.User.Key)
	u := s.users[ukey]
	if u != nil && u.authID != 0 {
		return errorsReply(http.StatusConflict, "DUPLICATE_USER_KEY", "user key %q already has auth %d at place %d", in.User.Key, u.authID, place)
	}
	if u == nil {
		u = &userRecord{id: s.nextUser, key: in.User.Key, place: place}
		s.nextUser++
		s.users[ukey] = u
	}
	u.name = in.User.Name
	rec.AuthID, rec.PlaceID, rec.UserID = s.nextAuth, place, u.id
	rec.Key, rec.Name = u.key, u.name
	rec.LastModified = time.Now()
	rec.user = u
	s.nextAuth++
	u.authID = rec.AuthID
	s.auths[rec.AuthID] = rec
	s.addAuthEvent(p, rec, EventAuthRegistered)
	return okReply(envelope(s.authData(p, rec)))
}

// update is spec 000 "Update User". Every field is checked as for a registration; faceImages
// left out keeps the faces (clue wire model, UpdateBody).
func (s *Server) update(r *http.Request) reply {
	id, _ := strconv.ParseInt(r.PathValue("authId"), 10, 64)
	var in authIn
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return bodyError(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.auths[id]
	if !ok {
		return errorsReply(http.StatusNotFound, "AUTH_NOT_FOUND", "auth %d does not exist", id)
	}
	p := s.places[rec.PlaceID]
	next := rec.AuthRecord
	if problems := s.applyAuth(p, &next, in, "", in.Credentials.FaceImages != nil); len(problems) > 0 {
		return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "%s", strings.Join(problems, "; "))
	}
	name := in.Credentials.Name
	if name == "" {
		name = in.Name
	}
	if name != "" {
		next.Name = name
		rec.user.name = name
	}
	next.LastModified = time.Now()
	rec.AuthRecord = next
	s.addAuthEvent(p, rec, EventAuthUpdated)
	return okReply(envelope(s.authData(p, rec)))
}

// remove is spec 000 "Delete User": the auth goes, the user and its key stay.
func (s *Server) remove(r *http.Request) reply {
	id, _ := strconv.ParseInt(r.PathValue("authId"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.auths[id]
	if !ok {
		return errorsReply(http.StatusNotFound, "AUTH_NOT_FOUND", "auth %d does not exist", id)
	}
	delete(s.auths, id)
	rec.user.authID = 0
	s.addAuthEvent(s.places[rec.PlaceID], rec, EventAuthDeleted)
	return okReply(map[string]any{"code": 200, "status": true, "message": "OK", "data": map[string]any{"authId": id}})
}

// applyAuth checks an auth against the place and the rules of spec 000 and writes it into
// rec; it returns every problem found, each naming its field. faces says whether the face
// images are given (on update they may be left out).
func (s *Server) applyAuth(p *placeState, rec *AuthRecord, in authIn, prefix string, faces bool) []string {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, prefix+fmt.Sprintf(format, a...)) }
	switch in.ActiveStatus {
	case clue.StatusActive, clue.StatusInactive:
		rec.ActiveStatus = in.ActiveStatus
	case "":
		bad("activeStatus is required (ACTIVE or INACTIVE)")
	default:
		bad("activeStatus %q is not ACTIVE or INACTIVE", in.ActiveStatus)
	}
	switch {
	case in.StartTime <= 0:
		bad("startTime is required (epoch milliseconds)")
	case in.EndTime <= 0:
		bad("endTime is required (epoch milliseconds)")
	case in.EndTime <= in.StartTime:
		bad("endTime must be after startTime")
	default:
		rec.Start, rec.End = time.UnixMilli(int64(in.StartTime)), time.UnixMilli(int64(in.EndTime))
	}
	switch in.DoorAccessType {
	case clue.DoorAccessAll:
		rec.DoorAccessType, rec.DoorIDs = in.DoorAccessType, nil
	case clue.DoorAccessSome:
		if len(in.DoorIDs) == 0 {
			bad("doorIds must list the doors when doorAccessType is SPECIFIC")
			break
		}
		var ids []int64
		for _, d := range in.DoorIDs {
			if p.door(int64(d)) == nil {
				bad("doorIds: door %d is not a door of place %d", d, p.ID)
			}
			ids = append(ids, int64(d))
		}
		rec.DoorAccessType, rec.DoorIDs = in.DoorAccessType, ids
	case "":
		bad("doorAccessType is required (ALL_DOOR or SPECIFIC)")
	default:
		bad("doorAccessType %q is not ALL_DOOR or SPECIFIC", in.DoorAccessType)
	}
	switch in.ScheduleType {
	case clue.ScheduleAlways:
		rec.ScheduleType, rec.ScheduleID = in.ScheduleType, 0
	case clue.ScheduleSpecific:
		if in.ScheduleID == nil || *in.ScheduleID == 0 {
			bad("scheduleId is required when scheduleType is SPECIFIC")
		} else if !slices.Contains(p.Schedules, int64(*in.ScheduleID)) {
			bad("scheduleId: schedule %d is not a schedule of place %d", *in.ScheduleID, p.ID)
		} else {
			rec.ScheduleType, rec.ScheduleID = in.ScheduleType, int64(*in.ScheduleID)
		}
	case "":
		bad("scheduleType is required (ALWAYS or SPECIFIC)")
	default:
		bad("scheduleType %q is not ALWAYS or SPECIFIC", in.ScheduleType)
	}
	var cards []clue.Card
	for i, c := range in.Credentials.Cards {
		if c.CardNumber == "" || strings.Trim(c.CardNumber, "0123456789") != "" {
			bad("credentials.cards[%d]: cardNumber %q is not a decimal number", i, c.CardNumber)
		}
		cards = append(cards, c)
	}
	rec.Cards = cards
	if faces {
		if len(in.Credentials.FaceImages) > clue.MaxFaceImages {
			bad("credentials.faceImages: %d images, at most %d", len(in.Credentials.FaceImages), clue.MaxFaceImages)
		}
		var got []Face
		for i, f := range in.Credentials.FaceImages {
			face, err := s.checkFace(f)
			if err != nil {
				bad("credentials.faceImages[%d]: %v", i, err)
				continue
			}
			got = append(got, face)
		}
		rec.Faces = got
	}
	return problems
}

// checkFace decodes a base64 face image and checks its format, size and dimensions.
func (s *Server) checkFace(b64 string) (Face, error) {
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return Face{}, fmt.Errorf("not base64: %w", err)
	}
	if len(data) > s.maxFace {
		return Face{}, fmt.Errorf("%d bytes, more than the %d allowed", len(data), s.maxFace)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") {
		return Face{}, fmt.Errorf("not a JPEG or PNG image")
	}
	if cfg.Width < clue.MinFaceSide || cfg.Height < clue.MinFaceSide {
		return Face{}, fmt.Errorf("%dx%d is smaller than %dx%d", cfg.Width, cfg.Height, clue.MinFaceSide, clue.MinFaceSide)
	}
	return Face{Format: format, Width: cfg.Width, Height: cfg.Height, Bytes: len(data)}, nil
}

// authData is "data" of a Register/Update answer, in the samples' shape. The images are
// named rather than echoed: the answer of a bulk run would otherwise double the traffic.
func (s *Server) authData(p *placeState, rec *authRecord) clue.AuthData {
	d := clue.AuthData{
		AuthID:         clue.Int(rec.AuthID),
		LastModifiedAt: clue.Int(rec.LastModified.UnixMilli()),
		User: clue.AuthUser{
			UserID:                 clue.ID(strconv.FormatInt(rec.UserID, 10)),
			Key:                    rec.Key,
			Name:                   rec.Name,
			RealNameAuthStatusType: "REAL_NAME_AUTH_BEFORE",
		},
	}
	a := &d.Auth
	a.StartTime, a.EndTime = clue.Int(rec.Start.UnixMilli()), clue.Int(rec.End.UnixMilli())
	a.DoorAccessType, a.ScheduleType, a.ActiveStatus = rec.DoorAccessType, rec.ScheduleType, rec.ActiveStatus
	if rec.ScheduleID != 0 {
		id := clue.Int(rec.ScheduleID)
		a.ScheduleID = &id
	}
	for _, id := range rec.DoorIDs {
		if door := p.door(id); door != nil {
			a.Doors = append(a.Doors, clue.Door{DoorID: clue.Int(id), DoorName: door.Name})
		}
	}
	if len(rec.Faces) > 0 {
		a.Credentials.Modes = append(a.Credentials.Modes, "FACE")
	}
	if len(rec.Cards) > 0 {
		a.Credentials.Modes = append(a.Credentials.Modes, "CARD")
	}
	for i := range rec.Faces {
		a.Credentials.FaceImages = append(a.Credentials.FaceImages, fmt.Sprintf("face-%d-%d.%s", rec.AuthID, i, rec.Faces[i].Format))
	}
	a.Credentials.Name = rec.Name
	return d
}

func (p *placeState) door(id int64) *Door {
	for i := range p.Doors {
		if p.Doors[i].ID == id {
			return &p.Doors[i]
		}
	}
	return nil
}

func userKey(place int64, key string) string { return strconv.FormatInt(place, 10) + "/" + key }

func bodyError(err error) reply {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errorsReply(http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "the request is larger than %d bytes", maxRequestBytes)
	}
	return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "the body is not the JSON expected: %v", err)
}
