package capture

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/store"
)

// ErrInUse is ef45.ErrInUse: another workstation really holds the camera's lock; only a
// forced open takes it over.
var ErrInUse = ef45.ErrInUse

// LockMemory keeps the lock uid a station holds, so that after a crash the next start
// frees its own lock instead of asking to take it over from "another workstation".
// *store.Store satisfies it (settings "ef45.lock.HOST:PORT"; a lock uid is not a secret).
type LockMemory interface {
	Setting(ctx context.Context, name string) (string, error)
	SetSetting(ctx context.Context, name, value, operator string) error
}

// lockOperator names the station in the audit rows of its lock bookkeeping.
const lockOperator = "station"

// releaseTimeout bounds the unlock and the camera stop that run after a call's context
// has ended, so that the lock is not left behind.
const releaseTimeout = 5 * time.Second

// Camera is one EF-45 (an address and its client) and the memory of the lock this station
// holds on it. It is safe for concurrent use; the device itself admits one lock holder.
type Camera struct {
	client *ef45.Client
	mem    LockMemory
}

// NewCamera returns the Camera of the client's device. mem may be nil (no journal, as in a
// one-off CLI call): then a lock left by a crash expires on the device only.
func NewCamera(client *ef45.Client, mem LockMemory) *Camera {
	return &Camera{client: client, mem: mem}
}

// Address is the device's host:port.
func (c *Camera) Address() string { return c.client.Addr() }

// Client is the device's client, for calls outside the capture workflow.
func (c *Camera) Client() *ef45.Client { return c.client }

// LockSetting is the name of the setting that keeps this station's lock uid on the camera.
func (c *Camera) LockSetting() string { return "ef45.lock." + c.client.Addr() }

// Open takes the camera's lock (force: takes it over from another workstation). A lock
// this station still holds from before a crash is released first (DELETE /lock/{uid}) and
// the camera stopped, so only a lock someone else really holds is refused; that error
// wraps ErrInUse and says so. The uid is remembered until Release.
func (c *Camera) Open(ctx context.Context, force bool) (*ef45.Session, error) {
	freed, err := c.freeStaleLock(ctx)
	if err != nil {
		return nil, err
	}
	s, err := c.client.Open(ctx, force)
	if errors.Is(err, ef45.ErrInUse) {
		return nil, fmt.Errorf("the camera at %s is in use by another workstation; take it over only if nobody is enrolling there: %w", c.Address(), err)
	}
	if err != nil {
		return nil, fmt.Errorf("open the camera at %s: %w", c.Address(), err)
	}
	if err := c.remember(ctx, s.LockUID()); err != nil {
		c.closeSession(ctx, s)
		return nil, err
	}
	if freed {
		// The crashed capture may still run: a stopped camera refuses, which is fine.
		stopCamera(ctx, s)
	}
	return s, nil
}

// Release releases the lock (even when ctx has ended) and forgets it. A lock another
// workstation took meanwhile is not ours to release, and a restarting device (after a
// firmware upload) drops its lock: neither is an error.
func (c *Camera) Release(ctx context.Context, s *ef45.Session) error {
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := s.Close(closeCtx); err != nil && !errors.Is(err, ef45.ErrLockLost) && !errors.Is(err, ef45.ErrRebooting) {
		return fmt.Errorf("release the camera at %s: %w", c.Address(), err)
	}
	return c.remember(closeCtx, "")
}

// closeSession releases s after a failure, when the failure is what the caller reports.
func (c *Camera) closeSession(ctx context.Context, s *ef45.Session) {
	_ = c.Release(ctx, s) // best effort: the device drops an unused lock on restart
}

// WithSession runs fn holding the lock and always releases it; an error of fn wins over
// one of the release.
func (c *Camera) WithSession(ctx context.Context, force bool, fn func(*ef45.Session) error) error {
	s, err := c.Open(ctx, force)
	if err != nil {
		return err
	}
	err = fn(s)
	if rerr := c.Release(ctx, s); err == nil {
		err = rerr
	}
	return err
}

// freeStaleLock releases a lock uid this station remembers holding. It reports whether the
// device still knew it as the holder (then a capture may have been left running).
func (c *Camera) freeStaleLock(ctx context.Context) (bool, error) {
	if c.mem == nil {
		return false, nil
	}
	uid, err := c.mem.Setting(ctx, c.LockSetting())
	if errors.Is(err, store.ErrNotFound) || (err == nil && uid == "") {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read this station's camera lock from the journal: %w", err)
	}
	err = c.client.Unlock(ctx, uid)
	switch {
	case err == nil:
	case errors.Is(err, ef45.ErrLockLost), errors.Is(err, ef45.ErrNotFound):
		// The lock expired, the device restarted, or someone took it over: not ours now.
	default:
		return false, fmt.Errorf("free this station's earlier lock on the camera at %s: %w", c.Address(), err)
	}
	if ferr := c.remember(ctx, ""); ferr != nil {
		return false, ferr
	}
	return err == nil, nil
}

// remember keeps uid (or forgets it, when empty) in the journal.
func (c *Camera) remember(ctx context.Context, uid string) error {
	if c.mem == nil {
		return nil
	}
	if err := c.mem.SetSetting(ctx, c.LockSetting(), uid, lockOperator); err != nil {
		return fmt.Errorf("keep this station's camera lock in the journal: %w", err)
	}
	return nil
}

// Info is what a screen or a command shows about the camera.
type Info struct {
	Address       string `json:"address"`
	Version       string `json:"version"`
	RecordVersion int    `json:"record_version"`
	Serial        string `json:"serial_number"`
	Mode          string `json:"camera_mode"`
	Audio         bool   `json:"audio_enabled"`
}

// Info reads the version (no lock needed) while it takes the lock to read the camera
// settings and the record version, each at once: on a slow link the round trips are what
// the technician waits for. On error the version may still be set.
func (c *Camera) Info(ctx context.Context, force bool) (Info, error) {
	info := Info{Address: c.Address()}
	var versionErr error
	var wg sync.WaitGroup
	wg.Go(func() { info.Version, versionErr = c.client.Version(ctx) })
	err := c.WithSession(ctx, force, func(s *ef45.Session) error {
		var settingsErr, recordErr error
		var calls sync.WaitGroup
		calls.Go(func() {
			var settings ef45.CameraSettings
			settings, settingsErr = s.Camera.Get(ctx)
			info.Serial, info.Mode, info.Audio = settings.SerialNumber, settings.CameraMode, bool(settings.AudioEnabled)
		})
		calls.Go(func() { info.RecordVersion, recordErr = s.Subjects.RecordVersion(ctx) })
		calls.Wait()
		return cmp.Or(settingsErr, recordErr)
	})
	wg.Wait()
	if err = cmp.Or(versionErr, err); err != nil {
		return info, fmt.Errorf("camera info: %w", err)
	}
	return info, nil
}

// Capture takes the lock, runs one capture and releases the lock. The item stays in the
// camera's buffer (the next capture empties it); a workflow that keeps captures uses a
// Session, which releases the item only once the journal holds it.
func (c *Camera) Capture(ctx context.Context, force bool, opts Options) (*Result, error) {
	var res *Result
	err := c.WithSession(ctx, force, func(s *ef45.Session) error {
		var err error
		res, err = Capture(ctx, s, opts)
		return err
	})
	return res, err
}
