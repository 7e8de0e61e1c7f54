package enroll

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/ef45"
	"enrollstation/store"
)

// DeviceEvent is one entry of a device's own log, as the technician reads it.
type DeviceEvent struct {
	At     time.Time
	Event  string // what happened (event type, trigger)
	Person string // the user the device names, if any
	Detail string
}

// TargetLogs reads the newest n entries (at most 500) of the device's own log, newest
// first: an EF-45's logs, an ACTAtek terminal's access log.
func (s *Station) TargetLogs(ctx context.Context, id TargetID, n int) ([]DeviceEvent, error) {
	n = min(max(n, 1), 500)
	t, err := s.st.Target(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []DeviceEvent
	switch t.Kind {
	case TargetEF45:
		c, _, err := s.ef45Client(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("read the log: %w", err)
		}
		err = ef45Locked(ctx, c, func(sess *ef45.Session) error {
			l, err := sess.Logs.List(ctx, &ef45.LogOptions{ListOptions: ef45.ListOptions{Page: 1, PageSize: n}, Newest: true})
			if err != nil {
				return err
			}
			for _, e := range l.Items {
				out = append(out, DeviceEvent{At: e.Timestamp.Time, Event: e.EventType, Person: e.UserUUID,
					Detail: strings.TrimSpace(e.Info + " " + e.AdditionalData)})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read the log of %s: %w", t.Name, err)
		}
	case TargetACTAtek:
		err := s.withACTAtek(ctx, t, func(c *actatek.Client) error {
			logs, err := c.Logs.List(ctx, actatek.LogFilter{})
			for _, l := range logs {
				out = append(out, DeviceEvent{At: l.Timestamp.Time, Event: l.Trigger, Person: fmt.Sprint(l.UserID)})
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("read the log of %s: %w", t.Name, err)
		}
	default:
		return nil, fmt.Errorf("read the log of %s: %w", t.Name, ErrNotSupported)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// withACTAtek runs fn with a client of terminal t, logged out afterwards.
func (s *Station) withACTAtek(ctx context.Context, t store.Target, fn func(*actatek.Client) error) error {
	if t.SecretRef == "" {
		return fmt.Errorf("no password is saved for %s", t.Name)
	}
	pw, err := s.sec.Get(ctx, t.SecretRef)
	if err != nil {
		return fmt.Errorf("the password of %s: %w", t.Name, err)
	}
	c, err := actatek.New(t.Address, actatek.Options{
		Credentials: actatek.Credentials{Username: t.Account, Password: pw.Reveal()},
		PinSHA256:   t.CertPin, Timeout: s.topts.Timeout})
	if err != nil {
		return err
	}
	defer func() {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.Logout(lctx) // the session also lapses by itself
		c.Close()
	}()
	return fn(c)
}
