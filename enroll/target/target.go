// Package target is one Target per kind of place a person is pushed to (EF-45, ACTAtek,
// CLUe): create or update, delete, read back what the place holds, and health. Targets are
// built from the journal's row and the secrets store (Open); what only some kinds can do is
// a small capability interface (DoorTester, CardReader).
package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// Target is one place a person is pushed to.
type Target interface {
	// Info is the journal's row of the target.
	Info() store.Target
	// Push creates the person's record, or updates it when the target has it; pushing the
	// same record twice changes nothing. It returns the id the target knows it by.
	Push(ctx context.Context, rec Record) (remoteID string, err error)
	// Delete removes the person's record; a record that is gone already is a success.
	Delete(ctx context.Context, ref Ref) error
	// Inventory reads what the target holds.
	Inventory(ctx context.Context) (Inventory, error)
	// Health says whether the target answers, and what it is.
	Health(ctx context.Context) Health
	// Close releases the client's connections.
	Close() error
}

// DoorTester is a target that can open its door on request (a technician's test).
type DoorTester interface {
	TestDoor(ctx context.Context) error
}

// CardReader is a target that can read a card held to it; the card comes in the journal's
// form (decimal, see CanonicalCard).
type CardReader interface {
	ReadCard(ctx context.Context) (string, error)
}

// Record is everything a push needs, built from the journal.
type Record struct {
	Person    store.Person
	CaptureID string
	// Blobs are the capture's biometric data, decrypted.
	Blobs []store.Blob
	// PriorRemoteID is the id an earlier push to this target was given (CLUe authId).
	PriorRemoteID string
}

// Blob returns the data of the capture's blob of that kind and variant.
func (r Record) Blob(kind store.BlobKind, variant string) ([]byte, bool) {
	for _, b := range r.Blobs {
		if b.Kind == kind && b.Variant == variant {
			return b.Data, true
		}
	}
	return nil, false
}

// colourFace is the colour face without glasses: the Photo blob, else the far_off image.
func (r Record) colourFace() ([]byte, bool) {
	if b, ok := r.Blob(store.Photo, ""); ok {
		return b, true
	}
	for _, b := range r.Blobs {
		if b.Kind == store.Photo {
			return b.Data, true
		}
	}
	return r.Blob(store.FaceImage, "far_off")
}

// Ref names a record on a target: the person's key and the target's own id for it.
type Ref struct {
	PersonKey string
	RemoteID  string
}

// NoteEventsOnly is the note of an inventory rebuilt from a target's events (CLUe lists
// no auths): a person whose entry neither changed nor was used in NoteDays is not checked.
const NoteEventsOnly = "events_only"

// Inventory is what a target holds, by person key.
type Inventory struct {
	// Complete is true when the target listed everything it holds; false when its API
	// cannot list, and Entries is what could be learnt.
	Complete bool
	// Note says plainly what the inventory could not see, for logs and the CLI; NoteCode
	// names it for a screen to word (NoteEventsOnly), over the last NoteDays days.
	Note     string
	NoteCode string
	NoteDays int
	Entries  map[string]Entry
	// Gone are keys the target is known to no longer hold (an incomplete inventory's
	// evidence of absence).
	Gone map[string]bool
}

// Entry is one record on a target, in the fields reconcile compares (see Expected).
type Entry struct {
	Key      string
	RemoteID string
	Fields   map[string]string
}

// Health is what a health check found.
type Health struct {
	Reachable bool
	Version   string
	Serial    string
	Users     int // -1 when the target does not say
	// Code is why the check failed (empty when it did not); Err the failure in the
	// device's or the client's own words, for the detail and the logs.
	Code FailureCode
	Err  string
}

// Expected is what a target of kind should hold for p, in the fields its Inventory
// reports. Only fields both sides carry are compared. Cards are in the journal's form on
// both sides: each Inventory converts what its target holds (card.go).
func Expected(kind store.TargetKind, p store.Person) map[string]string {
	name := strings.TrimSpace(p.GivenName + " " + p.FamilyName)
	switch kind {
	case store.TargetEF45, store.TargetACTAtek:
		return map[string]string{"name": name, "card": journalCard(p.CardNumber), "biometrics": "yes"}
	case store.TargetCLUe:
		return map[string]string{"name": p.Name()}
	}
	return nil
}

// Options are what Open shares between targets of one process.
type Options struct {
	// CLUePacer spaces calls to CLUe places; one per process. Nil: each target its own.
	CLUePacer *clue.Pacer
	// Timeout bounds each device call; 0 takes each client's default.
	Timeout time.Duration
	// HTTPClient is used by the EF-45 and CLUe clients (tests, a proxy-free transport).
	HTTPClient *http.Client
}

// Open builds the client of t, with its secret from sec.
func Open(ctx context.Context, t store.Target, sec secrets.Store) (Target, error) {
	return OpenWith(ctx, t, sec, Options{})
}

// OpenWith is Open with shared options.
func OpenWith(ctx context.Context, t store.Target, sec secrets.Store, o Options) (Target, error) {
	var (
		tg  Target
		err error
	)
	switch t.Kind {
	case store.TargetEF45:
		tg, err = openEF45(t, o)
	case store.TargetACTAtek:
		tg, err = openACTAtek(ctx, t, sec, o)
	case store.TargetCLUe:
		tg, err = openCLUe(ctx, t, sec, o)
	default:
		err = fmt.Errorf("unknown kind %q", t.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("open target %q: %w", t.Name, err)
	}
	return tg, nil
}

// secret reads the target's secret.
func secret(ctx context.Context, t store.Target, sec secrets.Store, what string) (secrets.Value, error) {
	if t.SecretRef == "" {
		return secrets.Value{}, fmt.Errorf("no %s secret is named for this target", what)
	}
	if sec == nil {
		return secrets.Value{}, fmt.Errorf("no secrets store to read the %s from", what)
	}
	v, err := sec.Get(ctx, t.SecretRef)
	if err != nil {
		return secrets.Value{}, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// intOption reads a whole-number option; def when absent.
func intOption(t store.Target, name string, def int64) (int64, error) {
	v, ok := t.Options[name]
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("option %s = %q is not a whole number", name, v)
	}
	return n, nil
}

// ErrIncomplete reports a capture that lacks what the target needs (no iris templates, no
// face): retrying does not help; the person must be captured again.
var ErrIncomplete = errors.New("the capture lacks what this target needs")
