package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// authDeleted is the event CLUe's simulator reports when an auth is removed; the specs
// name no event for auth changes, so on the real service only door events name an auth.
const authDeleted = "AUTH_DELETED"

// DefaultEventDays is how far back the CLUe target reads the place's events to learn auth
// ids (option "event_days").
const DefaultEventDays = 7

// clueTarget registers people as access auths at one CLUe place.
type clueTarget struct {
	info store.Target
	c    *clue.Client
	days int64
}

func openCLUe(ctx context.Context, t store.Target, sec secrets.Store, o Options) (*clueTarget, error) {
	key, err := secret(ctx, t, sec, "CLUe API key")
	if err != nil {
		return nil, err
	}
	place, err := intOption(t, "place", 0)
	if err != nil {
		return nil, err
	}
	if place == 0 {
		if place, err = strconv.ParseInt(strings.TrimSpace(t.Account), 10, 64); err != nil {
			return nil, fmt.Errorf("the CLUe place id %q is not a number", t.Account)
		}
	}
	days, err := intOption(t, "event_days", DefaultEventDays)
	if err != nil {
		return nil, err
	}
	var doors []int64
	for _, d := range strings.FieldsFunc(t.Options["doors"], func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("door id %q is not a number", d)
		}
		doors = append(doors, n)
	}
	base := t.Address
	if b := t.Options["base_url"]; b != "" {
		base = b
	}
	c, err := clue.NewClient(clue.Options{BaseURL: base, Prefix: t.Options["prefix"], PlaceID: place, DoorIDs: doors,
		APIKey: clue.Secret(key.Reveal()), Pacer: o.CLUePacer, HTTPClient: o.HTTPClient, Timeout: o.Timeout})
	if err != nil {
		return nil, err
	}
	return &clueTarget{info: t, c: c, days: max(days, 1)}, nil
}

func (c *clueTarget) Info() store.Target { return c.info }
func (c *clueTarget) Close() error       { return nil }

// access is what the person's auth grants: validity and at most two face images, the
// colour face without glasses first.
func access(rec Record) (clue.Access, error) {
	p := rec.Person
	a := clue.Access{Start: p.ValidFrom, End: p.ValidUntil}
	if f, ok := rec.colourFace(); ok {
		a.Faces = append(a.Faces, f)
	}
	if f, ok := rec.Blob(store.FaceImage, "near_off"); ok && len(a.Faces) < 2 {
		a.Faces = append(a.Faces, f)
	}
	if len(a.Faces) == 0 {
		return clue.Access{}, fmt.Errorf("%w: no face image in capture %s", ErrIncomplete, rec.CaptureID)
	}
	if p.CardNumber != "" {
		a.Cards = []clue.Card{{CardNumber: p.CardNumber}}
	}
	return a, nil
}

// Push updates the auth of an earlier push, or registers one. A register refused because
// the key already has an auth (an earlier answer was lost) recovers the authId from the
// place's events and updates it; when no event names it, the push is done with a Caveat
// that says so: never a second auth, never a row that fails forever.
func (c *clueTarget) Push(ctx context.Context, rec Record) (string, error) {
	a, err := access(rec)
	if err != nil {
		return "", err
	}
	name := rec.Person.Name()
	if id, _ := strconv.ParseInt(rec.PriorRemoteID, 10, 64); id > 0 {
		_, err := c.c.Auths.Update(ctx, id, clue.AuthUpdate{Name: name, Access: a})
		if err == nil {
			return rec.PriorRemoteID, nil
		}
		if !errors.Is(err, clue.ErrNotFound) && !isStatus(err, http.StatusNotFound) {
			return "", err
		}
		// The auth was deleted at the place: register the person again.
	}
	auth, err := c.c.Auths.Register(ctx, clue.Registration{Key: rec.Person.Key, Name: name, Access: a})
	if err == nil {
		return strconv.FormatInt(auth.AuthID, 10), nil
	}
	if !errors.Is(err, clue.ErrConflict) && !isStatus(err, http.StatusConflict) {
		return "", err
	}
	id, found, ferr := c.findAuth(ctx, rec.Person.Key)
	if ferr != nil {
		return "", fmt.Errorf("CLUe already has an auth for %s; reading events to find it: %w", rec.Person.Key, ferr)
	}
	if !found {
		return "", &Caveat{Note: fmt.Sprintf("CLUe already has an auth for %s (%s), and no event of the last %d days names its authId: "+
			"it was left as it is; to update or delete it, find the auth in the CLUe console", rec.Person.Key, OperatorMessage(err), c.days)}
	}
	if _, err := c.c.Auths.Update(ctx, id, clue.AuthUpdate{Name: name, Access: a}); err != nil {
		return "", err
	}
	return strconv.FormatInt(id, 10), nil
}

// Delete removes the auth. Without an authId there is nothing CLUe lets us address; the
// events may still name it.
func (c *clueTarget) Delete(ctx context.Context, ref Ref) error {
	id, _ := strconv.ParseInt(ref.RemoteID, 10, 64)
	if id <= 0 {
		found := false
		var err error
		if id, found, err = c.findAuth(ctx, ref.PersonKey); err != nil {
			return fmt.Errorf("find the auth of %s in the events: %w", ref.PersonKey, err)
		}
		if !found {
			return nil
		}
	}
	err := c.c.Auths.Delete(ctx, id)
	if errors.Is(err, clue.ErrNotFound) || isStatus(err, http.StatusNotFound) {
		return nil
	}
	return err
}

// events replays the place's events of the last days: the newest auth per user key, and
// the keys whose auth was deleted since.
func (c *clueTarget) events(ctx context.Context) (map[string]clue.Event, map[string]bool, error) {
	now := time.Now()
	evs, err := c.c.Events.All(ctx, clue.EventQuery{From: now.Add(-time.Duration(c.days) * 24 * time.Hour), To: now})
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].EventAt.Before(evs[j].EventAt) })
	auths, gone := map[string]clue.Event{}, map[string]bool{}
	for _, e := range evs {
		if e.UserID == "" || e.AuthID == 0 {
			continue
		}
		if e.Type == authDeleted {
			delete(auths, e.UserID)
			gone[e.UserID] = true
			continue
		}
		auths[e.UserID] = e
		delete(gone, e.UserID)
	}
	return auths, gone, nil
}

// findAuth is the authId the newest event for key names.
func (c *clueTarget) findAuth(ctx context.Context, key string) (int64, bool, error) {
	auths, _, err := c.events(ctx)
	if err != nil {
		return 0, false, err
	}
	e, ok := auths[key]
	return e.AuthID, ok, nil
}

// Inventory is what the events show: CLUe has no call that lists or reads auths.
func (c *clueTarget) Inventory(ctx context.Context) (Inventory, error) {
	auths, gone, err := c.events(ctx)
	if err != nil {
		return Inventory{}, fmt.Errorf("inventory of %s: %w", c.info.Name, err)
	}
	inv := Inventory{Entries: map[string]Entry{}, Gone: gone,
		Note: fmt.Sprintf("CLUe has no call that lists or reads auths: this is rebuilt from the place's events of the last %d days, "+
			"so a person whose auth neither changed nor opened a door in that time is not checked", c.days),
		NoteCode: NoteEventsOnly, NoteDays: int(c.days)}
	for k, e := range auths {
		f := map[string]string{}
		if e.UserName != "" {
			f["name"] = e.UserName
		}
		inv.Entries[k] = Entry{Key: k, RemoteID: strconv.FormatInt(e.AuthID, 10), Fields: f}
	}
	return inv, nil
}

// Health asks for one page of today's events: the only read CLUe offers.
func (c *clueTarget) Health(ctx context.Context) Health {
	now := time.Now()
	if _, err := c.c.Events.List(ctx, clue.EventQuery{From: now.Add(-time.Hour), To: now, Size: 1}); err != nil {
		return failedHealth(err)
	}
	return Health{Reachable: true, Users: -1}
}
