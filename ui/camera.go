// Package ui holds the Fyne screens of Enroll Station and their view models. A view model
// is plain Go, tested without a window; a screen only shows its state and forwards taps.
package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll"
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
	// Capture takes the lock (force: takes it over), runs one capture and releases the lock.
	Capture(ctx context.Context, force bool, opts enroll.CaptureOptions) (*enroll.CaptureResult, error)
}

// sessionCloseTimeout bounds the unlock after a call, which runs even when the call's
// context has ended so that the lock is not left behind.
const sessionCloseTimeout = 5 * time.Second

// EF45Camera is the Camera of a real (or simulated) EF-45. It holds the lock only while it
// reads the serial number or captures, so other workstations can use the camera between
// enrollments.
type EF45Camera struct {
	client *ef45.Client
}

// NewEF45Camera returns the Camera for the client's device.
func NewEF45Camera(c *ef45.Client) *EF45Camera { return &EF45Camera{client: c} }

// Address is the device's host:port.
func (c *EF45Camera) Address() string { return c.client.Addr() }

// Info reads the version (no lock needed), then takes the lock to read the camera settings.
func (c *EF45Camera) Info(ctx context.Context, force bool) (CameraInfo, error) {
	var info CameraInfo
	v, err := c.client.Version(ctx)
	if err != nil {
		return info, fmt.Errorf("camera info: %w", err)
	}
	info.Version = v
	err = c.withSession(ctx, force, func(s *ef45.Session) error {
		settings, err := s.Camera.Get(ctx)
		if err != nil {
			return err
		}
		info.Serial, info.Mode = settings.SerialNumber, settings.CameraMode
		return nil
	})
	if err != nil {
		return info, fmt.Errorf("camera info: %w", err)
	}
	return info, nil
}

// Capture runs one capture under the lock.
func (c *EF45Camera) Capture(ctx context.Context, force bool, opts enroll.CaptureOptions) (*enroll.CaptureResult, error) {
	var res *enroll.CaptureResult
	err := c.withSession(ctx, force, func(s *ef45.Session) error {
		var err error
		res, err = enroll.Capture(ctx, s, opts)
		return err
	})
	return res, err
}

// withSession takes the lock, runs fn and releases the lock, even when ctx has ended. A
// lock that another workstation took meanwhile is not ours to release: that is not an error.
func (c *EF45Camera) withSession(ctx context.Context, force bool, fn func(*ef45.Session) error) error {
	s, err := c.client.Open(ctx, force)
	if err != nil {
		return err
	}
	err = fn(s)
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sessionCloseTimeout)
	defer cancel()
	if cerr := s.Close(closeCtx); cerr != nil && err == nil && !errors.Is(cerr, ef45.ErrLockLost) {
		return fmt.Errorf("release the camera: %w", cerr)
	}
	return err
}
