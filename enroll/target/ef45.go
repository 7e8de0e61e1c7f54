package target

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/store"
)

// ef45Target pushes subjects (iris templates), user info and faces to another EF-45. Every
// call holds the device lock for its length only, so run one call at a time per device.
type ef45Target struct {
	info store.Target
	c    *ef45.Client
	wait time.Duration // lockWait; shorter in tests
}

func openEF45(t store.Target, o Options) (*ef45Target, error) {
	addr := strings.TrimSpace(t.Address)
	if addr == "" {
		return nil, errors.New("the EF-45 has no address (host:port)")
	}
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	var opts []ef45.Option
	if o.HTTPClient != nil {
		opts = append(opts, ef45.WithHTTPClient(o.HTTPClient))
	}
	if o.Timeout > 0 {
		opts = append(opts, ef45.WithTimeout(o.Timeout))
	}
	c, err := ef45.New(addr, opts...)
	if err != nil {
		return nil, err
	}
	return &ef45Target{info: t, c: c, wait: lockWait}, nil
}

func (e *ef45Target) Info() store.Target { return e.info }
func (e *ef45Target) Close() error       { return nil }

// lockWait is how long a call waits for a lock another pusher holds before taking it
// over: well over one call, so the stations of a site pushing to one unit take turns; a
// lock held longer is one a pusher killed mid-call left behind.
const lockWait = 10 * time.Second

// session runs fn under the device lock, and releases it whatever fn did.
func (e *ef45Target) session(ctx context.Context, fn func(*ef45.Session) error) error {
	s, err := e.c.Open(ctx, false)
	if errors.Is(err, ef45.ErrInUse) {
		// A unit pushed to is a door unit no operator works at: a lock held there is a
		// pusher's, this station's or another's. Wait for a live one to end its call, then
		// take a stale one over; a live pusher that loses it retries.
		s, err = e.awaitLock(ctx)
	}
	if err != nil {
		return err
	}
	ferr := fn(s)
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if cerr := s.Close(cctx); ferr == nil && cerr != nil {
		return fmt.Errorf("release the camera: %w", cerr)
	}
	return ferr
}

// awaitLock takes the lock once its holder gives it back, polling, or takes it over when
// the holder keeps it past e.wait.
func (e *ef45Target) awaitLock(ctx context.Context) (*ef45.Session, error) {
	deadline := time.Now().Add(e.wait)
	poll := 10 * time.Millisecond
	for time.Now().Before(deadline) {
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		s, err := e.c.Open(ctx, false)
		if !errors.Is(err, ef45.ErrInUse) {
			return s, err
		}
		poll = min(2*poll, 50*time.Millisecond) // the unit is free again a moment after a call
	}
	return e.c.Open(ctx, true)
}

// ef45Card is the journal's card as the EF-45 writes it (hex bytes, see card.go); "" when
// there is none.
func ef45Card(card string) string {
	c, _ := CardToEF45(journalCard(card)) // a canonical card always converts
	return c
}

// faceSubs maps the capture's face variants to the EF-45's face sub ids.
var faceSubs = []struct {
	variant string
	sub     int
}{
	{"far_off", ef45.SubColourFace}, {"near_off", ef45.SubBWFace},
	{"far_on", ef45.SubColourGlasses}, {"near_on", ef45.SubBWGlasses},
}

func (e *ef45Target) batch(rec Record) (*ef45.BatchUser, error) {
	p := rec.Person
	left, lok := rec.Blob(store.EyeTemplate, "left")
	right, rok := rec.Blob(store.EyeTemplate, "right")
	if !lok && !rok {
		return nil, fmt.Errorf("%w: no iris template in capture %s", ErrIncomplete, rec.CaptureID)
	}
	b := &ef45.BatchUser{
		Subject: ef45.Subject{UserUUID: p.Key, FirstName: p.GivenName, LastName: p.FamilyName,
			AccessAllowed: true, LeftEyeTemplate: left, RightEyeTemplate: right},
		UserInfo: &ef45.UserInfo{UserUUID: p.Key, Card: ef45Card(p.CardNumber)},
	}
	for _, fs := range faceSubs {
		img, iok := rec.Blob(store.FaceImage, fs.variant)
		feat, fok := rec.Blob(store.FaceFeature, fs.variant)
		if !iok && !fok {
			continue
		}
		b.Faces = append(b.Faces, ef45.FaceRecord{UserUUID: p.Key, SubID: ef45.Int(fs.sub), Image: img, Feature: feat,
			FeatureSize: ef45.Int(len(feat))})
	}
	return b, nil
}

// Push sends the whole user (POST /user). A device that refuses because the user exists
// gets each part updated in place instead.
func (e *ef45Target) Push(ctx context.Context, rec Record) (string, error) {
	b, err := e.batch(rec)
	if err != nil {
		return "", err
	}
	err = e.session(ctx, func(s *ef45.Session) error {
		err := s.Users.CreateBatch(ctx, b)
		if err == nil || !isStatus(err, 409) {
			return err
		}
		return e.update(ctx, s, b)
	})
	if err != nil {
		return "", err
	}
	return rec.Person.Key, nil
}

// update replaces subject, user info and faces one by one, creating what is missing.
func (e *ef45Target) update(ctx context.Context, s *ef45.Session, b *ef45.BatchUser) error {
	if err := s.Subjects.Update(ctx, &b.Subject); errors.Is(err, ef45.ErrNotFound) {
		err = s.Subjects.Create(ctx, &b.Subject)
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if err := s.Users.Update(ctx, b.UserInfo); errors.Is(err, ef45.ErrNotFound) {
		if err := s.Users.Create(ctx, b.UserInfo); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	for i := range b.Faces {
		if err := s.Faces.Update(ctx, &b.Faces[i]); errors.Is(err, ef45.ErrNotFound) {
			if err := s.Faces.Create(ctx, &b.Faces[i]); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	return nil
}

// Delete removes subject, user info and faces (DELETE /user/{uuid}).
func (e *ef45Target) Delete(ctx context.Context, ref Ref) error {
	return e.session(ctx, func(s *ef45.Session) error {
		err := s.Users.DeleteBatch(ctx, ref.PersonKey)
		if errors.Is(err, ef45.ErrNotFound) {
			return nil
		}
		return err
	})
}

// Inventory lists subjects and user info.
func (e *ef45Target) Inventory(ctx context.Context) (Inventory, error) {
	inv := Inventory{Complete: true, Entries: map[string]Entry{}}
	err := e.session(ctx, func(s *ef45.Session) error {
		subs, err := s.Subjects.List(ctx, nil)
		if err != nil {
			return err
		}
		users, err := s.Users.List(ctx, nil)
		if err != nil {
			return err
		}
		cards := map[string]string{}
		for _, u := range users.Items {
			cards[u.UserUUID] = inventoryCard(u.Card, CardFromEF45)
		}
		for _, sb := range subs.Items {
			bio := "no"
			if len(sb.LeftEyeTemplate) > 0 || len(sb.RightEyeTemplate) > 0 {
				bio = "yes"
			}
			inv.Entries[sb.UserUUID] = Entry{Key: sb.UserUUID, RemoteID: sb.UserUUID, Fields: map[string]string{
				"name": strings.TrimSpace(sb.FirstName + " " + sb.LastName), "card": cards[sb.UserUUID], "biometrics": bio}}
		}
		for id, card := range cards {
			if _, ok := inv.Entries[id]; !ok { // user info without a subject: no iris
				inv.Entries[id] = Entry{Key: id, RemoteID: id, Fields: map[string]string{"card": card, "biometrics": "no"}}
			}
		}
		return nil
	})
	if err != nil {
		return Inventory{}, fmt.Errorf("inventory of %s: %w", e.info.Name, err)
	}
	return inv, nil
}

// Health reads the version without the lock, and the subject count with it when free.
func (e *ef45Target) Health(ctx context.Context) Health {
	h := Health{Users: -1}
	v, err := e.c.Version(ctx)
	if err != nil {
		return failedHealth(err)
	}
	h.Reachable, h.Version = true, v
	_ = e.session(ctx, func(s *ef45.Session) error {
		l, err := s.Subjects.List(ctx, &ef45.ListOptions{Page: 1, PageSize: 1})
		if err == nil {
			h.Users = int(l.Total)
		}
		return err
	})
	return h
}

// TestDoor pulses the relay for a second.
func (e *ef45Target) TestDoor(ctx context.Context) error {
	return e.session(ctx, func(s *ef45.Session) error { return s.Config.Relay(ctx, false, time.Second) })
}

// ReadCard waits for a card at the device's reader, and returns it in the journal's form.
func (e *ef45Target) ReadCard(ctx context.Context) (string, error) {
	var card string
	err := e.session(ctx, func(s *ef45.Session) error {
		var err error
		card, err = s.Control.ReadCard(ctx, 200*time.Millisecond)
		return err
	})
	if err != nil {
		return "", err
	}
	return CardFromEF45(card)
}
