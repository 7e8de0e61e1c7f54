package enroll

import (
	"context"
	"fmt"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/ef45"
)

// SetTargetTime sets the device's clock to now: an EF-45 (setDeviceTime, under its lock)
// or an ACTAtek terminal (sent as UTC). A CLUe place keeps its own time.
func (s *Station) SetTargetTime(ctx context.Context, id TargetID, now time.Time) error {
	t, err := s.st.Target(ctx, id)
	if err != nil {
		return err
	}
	switch t.Kind {
	case TargetEF45:
		c, err := ef45.New(ef45URL(t.Address))
		if err != nil {
			return fmt.Errorf("set the time of %s: %w", t.Name, err)
		}
		err = ef45Locked(ctx, c, func(sess *ef45.Session) error { return sess.Camera.SetTime(ctx, now) })
		if err != nil {
			return fmt.Errorf("set the time of %s: %w", t.Name, err)
		}
		return nil
	case TargetACTAtek:
		if t.SecretRef == "" {
			return fmt.Errorf("set the time of %s: no password is saved for it", t.Name)
		}
		pw, err := s.sec.Get(ctx, t.SecretRef)
		if err != nil {
			return fmt.Errorf("set the time of %s: its password: %w", t.Name, err)
		}
		c, err := actatek.New(t.Address, actatek.Options{
			Credentials: actatek.Credentials{Username: t.Account, Password: pw.Reveal()},
			PinSHA256:   t.CertPin, Timeout: s.topts.Timeout})
		if err != nil {
			return fmt.Errorf("set the time of %s: %w", t.Name, err)
		}
		defer func() {
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = c.Logout(lctx) // the session also lapses by itself
			c.Close()
		}()
		if err := c.Time.Set(ctx, actatek.TerminalTime{CurrentTime: actatek.UTC(now)}); err != nil {
			return fmt.Errorf("set the time of %s: %w", t.Name, err)
		}
		return nil
	}
	return fmt.Errorf("set the time of %s: %w", t.Name, ErrNotSupported)
}
