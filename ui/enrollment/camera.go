// Package enrollment is the Enroll screen: the person, the capture with its live preview
// and guidance, the review, and the pushes to every target. Its view models are plain Go,
// tested without a window; the screen only shows their state and forwards taps.
package enrollment

import (
	"context"
	"sync"

	"enrollstation/enroll/capture"
)

// CameraInfo is what the capture screen shows about the camera.
type CameraInfo struct {
	Version string
	Serial  string
	Mode    string
}

// Camera is what the capture screen needs of an EF-45. It is safe for concurrent use.
type Camera interface {
	// Address names the camera for the operator, e.g. "192.0.2.10:9980".
	Address() string
	// Info reads the version and serial number; force takes the lock over from another
	// workstation. On error the version may still be set (it needs no lock).
	Info(ctx context.Context, force bool) (CameraInfo, error)
	// Capture takes the lock (force: takes it over) and runs one capture. A result that can
	// be accepted into the journal keeps the lock until it is settled.
	Capture(ctx context.Context, force bool, opts capture.Options) (*capture.Result, error)
}

// EF45Camera is the Camera of a real (or simulated) EF-45, through the engine's capture
// workflow (lock, stale-lock recovery, gates, duplicate check, release). It holds the lock
// while it reads the serial number, and from a capture until its result is accepted,
// retaken or discarded, so other workstations can use the camera between enrollments.
type EF45Camera struct {
	cam       *capture.Camera
	people    capture.People
	elsewhere capture.Elsewhere

	mu    sync.Mutex
	gates *capture.Gates // nil: the defaults
}

// CheckElsewhere makes the duplicate check of the next captures also ask e's devices (the
// journal's EF-45 targets, which hold the people other desks enrolled).
func (c *EF45Camera) CheckElsewhere(e capture.Elsewhere) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.elsewhere = e
}

// SetGates makes the next captures judged by g (the station's preferences).
func (c *EF45Camera) SetGates(g capture.Gates) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gates = &g
}

// NewEF45Camera returns the Camera for the engine's camera; people is the journal the
// duplicate check names people from (nil: none).
func NewEF45Camera(c *capture.Camera, people capture.People) *EF45Camera {
	return &EF45Camera{cam: c, people: people}
}

// Address is the device's host:port.
func (c *EF45Camera) Address() string { return c.cam.Address() }

// Info reads the version (no lock needed), then takes the lock to read the camera settings.
func (c *EF45Camera) Info(ctx context.Context, force bool) (CameraInfo, error) {
	info, err := c.cam.Info(ctx, force)
	return CameraInfo{Version: info.Version, Serial: info.Serial, Mode: info.Mode}, err
}

// Capture runs one capture in a session of its own: the result carries the gates and the
// possible duplicates, and holds the lock until it is settled.
func (c *EF45Camera) Capture(ctx context.Context, force bool, opts capture.Options) (*capture.Result, error) {
	c.mu.Lock()
	gates, elsewhere := c.gates, c.elsewhere
	c.mu.Unlock()
	s := c.cam.NewSession(capture.SessionOptions{Capture: opts, Force: force, People: c.people, Elsewhere: elsewhere, Gates: gates})
	return s.Run(ctx)
}
