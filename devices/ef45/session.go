package ef45

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// Session holds the device lock. Every call it makes carries the lock uid; a 403 means
// another workstation took the lock over (errors.Is(err, ErrLockLost)). Close releases it.
type Session struct {
	c       *Client
	uid     string
	version string

	closeOnce sync.Once

	Camera     *CameraService
	Biometrics *BiometricService
	Subjects   *SubjectService
	Users      *UserService
	Faces      *FaceService
	Config     *ConfigService
	MatchData  *MatchDataService
	Logs       *LogService
	Firmware   *FirmwareService
	Control    *ControlService
}

// service is the common shape of the typed services, as in go-github.
type service struct{ s *Session }

// The typed services of a Session, one per part of spec 003.
type (
	// CameraService: camera settings, time, start/stop, preview, match-template start.
	CameraService service
	// BiometricService: captured biometric data and image files.
	BiometricService service
	// SubjectService: enrolled subjects (iris templates), duplicate check, record version.
	SubjectService service
	// UserService: user-info records and whole-user batch create/delete.
	UserService service
	// FaceService: face records by sub id.
	FaceService service
	// ConfigService: configuration keys, door status, relay.
	ConfigService service
	// MatchDataService: recognition results of match-template captures.
	MatchDataService service
	// LogService: the device's event log.
	LogService service
	// FirmwareService: firmware upload.
	FirmwareService service
	// ControlService: manual control, card reader, anti-passback reset.
	ControlService service
)

func newSession(c *Client, uid, version string) *Session {
	s := &Session{c: c, uid: uid, version: version}
	base := service{s}
	s.Camera = (*CameraService)(&base)
	s.Biometrics = (*BiometricService)(&base)
	s.Subjects = (*SubjectService)(&base)
	s.Users = (*UserService)(&base)
	s.Faces = (*FaceService)(&base)
	s.Config = (*ConfigService)(&base)
	s.MatchData = (*MatchDataService)(&base)
	s.Logs = (*LogService)(&base)
	s.Firmware = (*FirmwareService)(&base)
	s.Control = (*ControlService)(&base)
	return s
}

// LockUID is the lock uid this session holds.
func (s *Session) LockUID() string { return s.uid }

// Version is the app version read when the session opened.
func (s *Session) Version() string { return s.version }

// Close releases the lock. It is safe to call more than once; after a lock loss or a
// reboot the device no longer knows the uid, which is not an error worth reporting.
func (s *Session) Close(ctx context.Context) error {
	var err error
	s.closeOnce.Do(func() {
		err = s.c.Unlock(ctx, s.uid)
		if isGone(err) {
			err = nil
		}
	})
	return err
}

func isGone(err error) bool {
	return errors.Is(err, ErrLockLost) || errors.Is(err, ErrNotFound)
}

// do sends a call with the lock uid added.
func (s *Session) do(ctx context.Context, cl call) error {
	if cl.query == nil {
		cl.query = url.Values{}
	}
	cl.query.Set("lock_uid", s.uid)
	return s.c.do(ctx, cl)
}

// get, post, put and del are the shapes most calls take.
func (s *Session) get(ctx context.Context, name, path string, q url.Values, out any, limit int64) error {
	return s.do(ctx, call{name: name, method: http.MethodGet, path: path, query: q, out: out, limit: limit})
}

func (s *Session) send(ctx context.Context, name, method, path string, q url.Values, body, out any) error {
	return s.do(ctx, call{name: name, method: method, path: path, query: q, body: body, out: out})
}

// ListOptions pages a list call. Page 0 asks for the whole list (spec 003: "Without the
// parameter, all the list will appear"); PageSize 0 means the device default (50).
type ListOptions struct {
	Page     int
	PageSize int
}

func (o *ListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PageSize > 0 {
		q.Set("page_size", strconv.Itoa(o.PageSize))
	}
	return q
}
