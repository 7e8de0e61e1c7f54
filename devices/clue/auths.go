package clue

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"enrollstation/devices/internal/fault"
)

// Access is what an auth grants: when, where, with what (spec 000 "Register User", auth).
type Access struct {
	// Inactive registers the auth as INACTIVE; the zero value is ACTIVE.
	Inactive bool
	// Start and End bound the validity window (sent as epoch ms). A zero Start is now; a zero
	// End is NoEnd.
	Start, End time.Time
	// DoorIDs are the doors opened (SPECIFIC). When empty, the client's door ids are used, and
	// when the client has none either, every door (ALL_DOOR).
	DoorIDs []int64
	// AllDoors opens every door even when the client has door ids.
	AllDoors bool
	// ScheduleID limits access to a schedule (SPECIFIC); 0 means ALWAYS.
	ScheduleID int64
	// Cards are the person's cards; FormatType defaults to CSN.
	Cards []Card
	// Faces are face image files, JPEG or PNG, at most MaxFaceImages. On update, nil keeps
	// the faces already registered.
	Faces [][]byte
}

// Registration is a person to give access to.
type Registration struct {
	Key  string // the person's unique key, chosen by us (user.key)
	Name string // user.name
	Access
}

// AuthUpdate is the new state of an existing auth. Update sends every field, as the sample
// of spec 000 does, except faces when Faces is nil.
type AuthUpdate struct {
	Name string // credentials.name; left as it is when empty
	Access
}

// Auth is CLUe's record of an access, as a Register or Update answer describes it.
type Auth struct {
	AuthID             int64     `json:"authId"`
	LastModifiedAt     time.Time `json:"lastModifiedAt"`
	UserID             string    `json:"userId"`
	Key                string    `json:"key"`
	Name               string    `json:"name"`
	RealNameAuthStatus string    `json:"realNameAuthStatusType,omitempty"`
	ActiveStatus       string    `json:"activeStatus"`
	Start              time.Time `json:"startTime"`
	End                time.Time `json:"endTime"`
	DoorAccessType     string    `json:"doorAccessType"`
	Doors              []Door    `json:"doors,omitempty"`
	ScheduleType       string    `json:"scheduleType"`
	ScheduleID         int64     `json:"scheduleId,omitempty"`
	Modes              []string  `json:"modes,omitempty"`
	FaceImages         int       `json:"faceImages"`
}

// AuthsService registers, updates and deletes auths (spec 000).
type AuthsService struct {
	c *Client
	// prepare checks a registration and encodes its request (prepareRegister); a seam that
	// lets tests stand in for slow image preparation.
	prepare func(Registration) ([]byte, error)
}

// Register checks and prepares the face images, then registers the person at the place.
func (s *AuthsService) Register(ctx context.Context, r Registration) (*Auth, error) {
	body, err := s.prepare(r)
	if err != nil {
		return nil, err
	}
	return s.sendRegister(ctx, body)
}

// Update replaces the state of the auth authID.
func (s *AuthsService) Update(ctx context.Context, authID int64, u AuthUpdate) (*Auth, error) {
	const name = "update auth"
	if authID <= 0 {
		return nil, fault.Local(fault.CLUe, name, fmt.Errorf("auth id %d is not valid", authID))
	}
	a, faces, err := s.access(u.Access)
	if err != nil {
		return nil, fault.Local(fault.CLUe, fmt.Sprintf("%s %d", name, authID), err)
	}
	body := UpdateBody{
		ActiveStatus:   a.ActiveStatus,
		StartTime:      a.StartTime,
		EndTime:        a.EndTime,
		DoorAccessType: a.DoorAccessType,
		ScheduleType:   a.ScheduleType,
		ScheduleID:     a.ScheduleID,
		DoorIDs:        a.DoorIDs,
		Credentials:    CredentialsBody{Cards: a.Credentials.Cards, FaceImages: faces, Name: u.Name},
	}
	var out *Auth
	err = s.c.do(ctx, call{name: name, method: http.MethodPut, path: fmt.Sprintf(PathAuth, authID), in: body, place: true},
		func(b []byte) error {
			answer, err := DecodeAuth(b)
			if err == nil {
				out = answer.Data.auth()
			}
			return err
		})
	return out, err
}

// Delete removes the auth authID; CLUe keeps the user and its key for a later registration.
func (s *AuthsService) Delete(ctx context.Context, authID int64) error {
	if authID <= 0 {
		return fault.Local(fault.CLUe, "delete auth", fmt.Errorf("auth id %d is not valid", authID))
	}
	return s.c.do(ctx, call{name: "delete auth", method: http.MethodDelete, path: fmt.Sprintf(PathAuth, authID), place: true}, nil)
}

// Result is the outcome of one registration of a RegisterMany.
type Result struct {
	Index int   // position in the list given
	Auth  *Auth // the registered auth, nil on error
	Err   error
}

// pipelineDepth is how many prepared requests may wait for their turn: enough that the
// request after the current one is always ready, little enough to bound memory (a prepared
// request with two photos is about 3 MB).
const pipelineDepth = 3

// prepareWorkers is how many registrations are prepared side by side: every processor but
// one, so that a call whose turn has come never waits for a processor busy decoding images
// (a late send pushes every later call back).
func prepareWorkers() int { return min(4, max(1, runtime.GOMAXPROCS(0)-1)) }

// RegisterMany registers every person in order, one call at a time as the pacer allows. The
// face images of the next people are decoded, scaled and encoded while the current call waits
// for its turn, so a bulk run takes the pacing and little more. A person whose data is refused
// before sending, or whose call fails, gets an error in its Result and the run goes on; the
// run stops early only when ctx ends.
func (s *AuthsService) RegisterMany(ctx context.Context, regs []Registration) []Result {
	type prepared struct {
		body []byte
		err  error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	futures := make(chan chan prepared, pipelineDepth)
	go func() {
		defer close(futures)
		workers := make(chan struct{}, prepareWorkers())
		for _, r := range regs {
			f := make(chan prepared, 1)
			select {
			case futures <- f:
			case <-ctx.Done():
				return
			}
			select {
			case workers <- struct{}{}:
			case <-ctx.Done():
				f <- prepared{err: ctx.Err()}
				return
			}
			go func() {
				defer func() { <-workers }()
				body, err := s.prepare(r)
				f <- prepared{body, err}
			}()
		}
	}()

	results := make([]Result, len(regs))
	for i := range results {
		results[i] = Result{Index: i, Err: &Error{Device: fault.CLUe, Call: fmt.Sprintf("register auth for key %q", regs[i].Key),
			Err: fmt.Errorf("not attempted: %w", context.Canceled)}}
	}
	i := 0
	for f := range futures {
		var p prepared
		select {
		case p = <-f:
		case <-ctx.Done():
			return results
		}
		results[i].Err = p.err
		if p.err == nil {
			results[i].Auth, results[i].Err = s.sendRegister(ctx, p.body)
			if results[i].Err != nil {
				results[i].Err = fmt.Errorf("%w (key %q)", results[i].Err, regs[i].Key)
			}
		}
		i++
		if ctx.Err() != nil {
			break
		}
	}
	return results
}

// prepareRegister checks a registration and encodes its request, images included.
func (s *AuthsService) prepareRegister(r Registration) ([]byte, error) {
	what := fmt.Sprintf("register auth for key %q", r.Key)
	switch {
	case strings.TrimSpace(r.Key) == "":
		return nil, fault.Local(fault.CLUe, "register auth", errors.New("the user key is empty"))
	case strings.TrimSpace(r.Name) == "":
		return nil, fault.Local(fault.CLUe, what, errors.New("the user name is empty"))
	}
	a, faces, err := s.access(r.Access)
	if err != nil {
		return nil, fault.Local(fault.CLUe, what, err)
	}
	a.Credentials.FaceImages = faces
	body, err := json.Marshal(RegisterBody{User: UserBody{Key: r.Key, Name: r.Name}, Auth: a})
	if err != nil {
		return nil, fault.Local(fault.CLUe, what, fmt.Errorf("encode the request: %w", err))
	}
	return body, nil
}

func (s *AuthsService) sendRegister(ctx context.Context, body []byte) (*Auth, error) {
	var out *Auth
	err := s.c.do(ctx, call{name: "register auth", method: http.MethodPost, path: fmt.Sprintf(PathPlaceAuths, s.c.place), body: body, place: true},
		func(b []byte) error {
			answer, err := DecodeAuth(b)
			if err == nil {
				out = answer.Data.auth()
			}
			return err
		})
	return out, err
}

// access checks an Access and turns it into the wire shape, faces prepared and base64-encoded
// (nil when a.Faces is nil).
func (s *AuthsService) access(a Access) (AuthBody, []string, error) {
	start, end := a.Start, a.End
	if start.IsZero() {
		start = time.Now()
	}
	endMS := NoEnd
	if !end.IsZero() {
		endMS = end.UnixMilli()
	}
	if endMS <= start.UnixMilli() {
		return AuthBody{}, nil, fmt.Errorf("the validity ends (%s) before it starts (%s)",
			time.UnixMilli(endMS).Format(time.RFC3339), start.Format(time.RFC3339))
	}
	body := AuthBody{
		ActiveStatus:   StatusActive,
		StartTime:      start.UnixMilli(),
		EndTime:        endMS,
		DoorAccessType: DoorAccessAll,
		ScheduleType:   ScheduleAlways,
		Credentials:    CredentialsBody{Cards: []Card{}},
	}
	if a.Inactive {
		body.ActiveStatus = StatusInactive
	}
	doors := a.DoorIDs
	if len(doors) == 0 && !a.AllDoors {
		doors = s.c.doors
	}
	if len(doors) > 0 && !a.AllDoors {
		for _, d := range doors {
			if d <= 0 {
				return AuthBody{}, nil, fmt.Errorf("door id %d is not valid", d)
			}
		}
		body.DoorAccessType = DoorAccessSome
		body.DoorIDs = append([]int64(nil), doors...)
	}
	if a.ScheduleID < 0 {
		return AuthBody{}, nil, fmt.Errorf("schedule id %d is not valid", a.ScheduleID)
	}
	if a.ScheduleID > 0 {
		id := Int(a.ScheduleID)
		body.ScheduleType, body.ScheduleID = ScheduleSpecific, &id
	}
	for i, c := range a.Cards {
		if c.CardNumber == "" || strings.Trim(c.CardNumber, "0123456789") != "" {
			return AuthBody{}, nil, fmt.Errorf("card %d: %q is not a decimal card number", i+1, c.CardNumber)
		}
		if c.FormatType == "" {
			c.FormatType = CardFormatCSN
		}
		body.Credentials.Cards = append(body.Credentials.Cards, c)
	}
	if len(a.Faces) > MaxFaceImages {
		return AuthBody{}, nil, fmt.Errorf("%d face images given, CLUe takes at most %d", len(a.Faces), MaxFaceImages)
	}
	var faces []string
	if a.Faces != nil {
		faces = make([]string, 0, len(a.Faces))
	}
	for i, f := range a.Faces {
		img, err := PrepareFace(f, s.c.maxFace)
		if err != nil {
			return AuthBody{}, nil, fmt.Errorf("face image %d: %w", i+1, err)
		}
		faces = append(faces, base64.StdEncoding.EncodeToString(img))
	}
	return body, faces, nil
}

// auth converts the answer's data.
func (d *AuthData) auth() *Auth {
	a := &Auth{
		AuthID:             int64(d.AuthID),
		LastModifiedAt:     time.UnixMilli(int64(d.LastModifiedAt)),
		UserID:             string(d.User.UserID),
		Key:                d.User.Key,
		Name:               d.User.Name,
		RealNameAuthStatus: d.User.RealNameAuthStatusType,
		ActiveStatus:       d.Auth.ActiveStatus,
		Start:              time.UnixMilli(int64(d.Auth.StartTime)),
		End:                time.UnixMilli(int64(d.Auth.EndTime)),
		DoorAccessType:     d.Auth.DoorAccessType,
		Doors:              d.Auth.Doors,
		ScheduleType:       d.Auth.ScheduleType,
		Modes:              d.Auth.Credentials.Modes,
		FaceImages:         len(d.Auth.Credentials.FaceImages),
	}
	if d.Auth.ScheduleID != nil {
		a.ScheduleID = int64(*d.Auth.ScheduleID)
	}
	if a.Name == "" {
		a.Name = d.Auth.Credentials.Name
	}
	return a
}
