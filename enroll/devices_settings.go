package enroll

import (
	"context"
	"fmt"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/ef45"
)

// The device settings of the devices screen: clock and camera mode.

// SetTargetTime sets the device's clock to now: an EF-45 (setDeviceTime, under its lock)
// or an ACTAtek terminal (sent as UTC). A CLUe place keeps its own time.
func (s *Station) SetTargetTime(ctx context.Context, id TargetID, now time.Time) error {
	t, err := s.st.Target(ctx, id)
	if err != nil {
		return err
	}
	switch t.Kind {
	case TargetEF45:
		c, _, err := s.ef45Client(ctx, id)
		if err != nil {
			return fmt.Errorf("set the time: %w", err)
		}
		err = ef45Locked(ctx, c, func(sess *ef45.Session) error { return sess.Camera.SetTime(ctx, now) })
		if err != nil {
			return fmt.Errorf("set the time of %s: %w", t.Name, err)
		}
		return nil
	case TargetACTAtek:
		err := s.withACTAtek(ctx, t, func(c *actatek.Client) error {
			return c.Time.Set(ctx, actatek.TerminalTime{CurrentTime: actatek.UTC(now)})
		})
		if err != nil {
			return fmt.Errorf("set the time of %s: %w", t.Name, err)
		}
		return nil
	}
	return fmt.Errorf("set the time of %s: %w", t.Name, ErrNotSupported)
}

// Camera modes of an EF-45 (spec 003): Slave is driven by a station, Recog recognizes
// people at a door by itself, Master enrolls on its own.
const (
	CameraSlave  = ef45.ModeSlave
	CameraRecog  = ef45.ModeRecog
	CameraMaster = ef45.ModeMaster
)

// TargetCameraMode reads an EF-45's camera mode.
func (s *Station) TargetCameraMode(ctx context.Context, id TargetID) (string, error) {
	c, name, err := s.ef45Client(ctx, id)
	if err != nil {
		return "", fmt.Errorf("read the camera mode: %w", err)
	}
	var mode string
	err = ef45Locked(ctx, c, func(sess *ef45.Session) error {
		cs, err := sess.Camera.Get(ctx)
		mode = cs.CameraMode
		return err
	})
	if err != nil {
		return "", fmt.Errorf("read the camera mode of %s: %w", name, err)
	}
	return mode, nil
}

// SetTargetCameraMode sets an EF-45's camera mode, keeping its audio setting.
func (s *Station) SetTargetCameraMode(ctx context.Context, id TargetID, mode string) error {
	switch mode {
	case CameraSlave, CameraRecog, CameraMaster:
	default:
		return fmt.Errorf("set the camera mode: %q is not Slave, Recog or Master", mode)
	}
	c, name, err := s.ef45Client(ctx, id)
	if err != nil {
		return fmt.Errorf("set the camera mode: %w", err)
	}
	err = ef45Locked(ctx, c, func(sess *ef45.Session) error {
		cs, err := sess.Camera.Get(ctx)
		if err != nil {
			return err
		}
		return sess.Camera.Set(ctx, mode, bool(cs.AudioEnabled))
	})
	if err != nil {
		return fmt.Errorf("set the camera mode of %s: %w", name, err)
	}
	return nil
}

// ef45Client is the client of target id, which must be an EF-45.
func (s *Station) ef45Client(ctx context.Context, id TargetID) (*ef45.Client, string, error) {
	t, err := s.st.Target(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if t.Kind != TargetEF45 {
		return nil, t.Name, fmt.Errorf("%s: %w", t.Name, ErrNotSupported)
	}
	c, err := ef45.New(ef45URL(t.Address))
	if err != nil {
		return nil, t.Name, fmt.Errorf("%s: %w", t.Name, err)
	}
	return c, t.Name, nil
}
