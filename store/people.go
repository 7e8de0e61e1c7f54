package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// PushState sums up a person's pushes over all targets.
type PushState string

// Push states, worst first: one permanent failure makes the person "failed".
const (
	PushNone    PushState = "none"    // nothing to push (no targets chosen)
	PushPending PushState = "pending" // some push waiting or in flight
	PushFailed  PushState = "failed"  // some push failed for good
	PushDone    PushState = "done"    // every push made
)

// pushStateExpr computes people.push_state from the outbox, for the row being updated.
const pushStateExpr = `(CASE
	WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.person_id = people.id AND o.state = 'failed') THEN 'failed'
	WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.person_id = people.id AND o.state IN ('pending', 'in_flight')) THEN 'pending'
	WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.person_id = people.id AND o.state = 'done') THEN 'done'
	ELSE 'none' END)`

// Person is someone enrolled. Key is the id sent to every target.
type Person struct {
	// Key is the id every target knows the person by; SaveCapture makes a UUID when empty.
	Key          string    `json:"key"`
	GivenName    string    `json:"given_name"`
	FamilyName   string    `json:"family_name"`
	CardNumber   string    `json:"card_number,omitempty"`
	Department   string    `json:"department,omitempty"`
	AccessGroups []string  `json:"access_groups,omitempty"`
	ValidFrom    time.Time `json:"valid_from,omitzero"`  // zero: valid from now
	ValidUntil   time.Time `json:"valid_until,omitzero"` // zero: no end
	ConsentAt    time.Time `json:"consent_at,omitzero"`  // when the person agreed to biometric capture
	ConsentBy    string    `json:"consent_by,omitempty"` // the operator who recorded it
	Notes        string    `json:"notes,omitempty"`
	// Set by the store.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	PushState PushState `json:"push_state,omitempty"`
}

// Name is "Given Family", or the key when both are empty.
func (p Person) Name() string {
	n := strings.TrimSpace(p.GivenName + " " + p.FamilyName)
	if n == "" {
		return p.Key
	}
	return n
}

// maxKeyLen bounds person keys: a UUID is 36, and every target accepts 64.
const maxKeyLen = 64

// CheckPersonKey reports whether key can be sent to every target as the person's id:
// 1 to 64 letters, digits, '-', '_' or '.', and not "." or "..", which a target or a folder
// of exported files would take for a path step rather than a name.
func CheckPersonKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("%w: person key %q must be 1 to %d characters", ErrInvalid, key, maxKeyLen)
	}
	if key == "." || key == ".." {
		return fmt.Errorf("%w: person key %q is not a name; use letters or digits", ErrInvalid, key)
	}
	for _, r := range key {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.')) {
			return fmt.Errorf("%w: person key %q may hold only letters, digits, '-', '_' and '.'", ErrInvalid, key)
		}
	}
	return nil
}

// NewPersonKey returns a fresh person key: a random UUID in its 32 hex digits, without the
// hyphens, because ACTAtek terminals take user IDs of at most 32 characters (their "User
// ID restriction") and every other target takes that form too.
func NewPersonKey() string { return strings.ReplaceAll(uuid.NewString(), "-", "") }

// checkText refuses control characters and overlong values in a person's fields.
func checkText(field, v string, max int) error {
	if len(v) > max {
		return fmt.Errorf("%w: %s is longer than %d bytes", ErrInvalid, field, max)
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: %s is not valid text", ErrInvalid, field)
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(field == "notes" && (r == '\n' || r == '\t')) {
			return fmt.Errorf("%w: %s holds a control character", ErrInvalid, field)
		}
	}
	return nil
}

// checkPerson validates p before a save; the key must already be set.
func checkPerson(p Person) error {
	if err := CheckPersonKey(p.Key); err != nil {
		return err
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"given name", p.GivenName, 200}, {"family name", p.FamilyName, 200},
		{"card number", p.CardNumber, 64}, {"department", p.Department, 200},
		{"consent operator", p.ConsentBy, 200}, {"notes", p.Notes, 8000},
	} {
		if err := checkText(f.name, f.v, f.max); err != nil {
			return err
		}
	}
	for _, g := range p.AccessGroups {
		if err := checkText("access group", g, 200); err != nil {
			return err
		}
	}
	if !p.ValidFrom.IsZero() && !p.ValidUntil.IsZero() && !p.ValidUntil.After(p.ValidFrom) {
		return fmt.Errorf("%w: validity ends (%s) before it starts (%s)", ErrInvalid,
			p.ValidUntil.Format(time.DateOnly), p.ValidFrom.Format(time.DateOnly))
	}
	return nil
}

// normalize is how names and keys are compared in search: lower case, single spaces.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// nameNorms returns the normalised name in both orders, "family given" and "given family",
// so a prefix of either name, or of the full name typed either way, is one range scan.
func nameNorms(given, family string) (fg, gf string) {
	g, f := normalize(given), normalize(family)
	return strings.TrimSpace(f + " " + g), strings.TrimSpace(g + " " + f)
}

// upsertPerson inserts p or updates the person with its key, returning the row id. The
// creation time is kept on update.
func upsertPerson(ctx context.Context, tx *sql.Tx, p Person, now time.Time) (int64, error) {
	groups, err := json.Marshal(nonNil(p.AccessGroups))
	if err != nil {
		return 0, err
	}
	fg, gf := nameNorms(p.GivenName, p.FamilyName)
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO people (person_key, given_name, family_name, card_number, department, access_groups,
			valid_from, valid_until, consent_at, consent_by, notes, created_at, updated_at, name_fg, name_gf, key_norm)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_key) DO UPDATE SET
			given_name = excluded.given_name, family_name = excluded.family_name,
			card_number = excluded.card_number, department = excluded.department,
			access_groups = excluded.access_groups, valid_from = excluded.valid_from,
			valid_until = excluded.valid_until, consent_at = excluded.consent_at,
			consent_by = excluded.consent_by, notes = excluded.notes, updated_at = excluded.updated_at,
			name_fg = excluded.name_fg, name_gf = excluded.name_gf
		RETURNING id`,
		p.Key, p.GivenName, p.FamilyName, p.CardNumber, p.Department, string(groups),
		ms(p.ValidFrom), ms(p.ValidUntil), ms(p.ConsentAt), p.ConsentBy, p.Notes,
		now.UnixMilli(), now.UnixMilli(), fg, gf, normalize(p.Key)).Scan(&id)
	return id, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// personColumns are read by scanPerson, in order.
const personColumns = `p.person_key, p.given_name, p.family_name, p.card_number, p.department, p.access_groups,
	p.valid_from, p.valid_until, p.consent_at, p.consent_by, p.notes, p.created_at, p.updated_at, p.push_state`

type scanner interface{ Scan(dest ...any) error }

func scanPerson(row scanner) (Person, error) {
	var p Person
	var groups string
	var validFrom, validUntil, consentAt sql.NullInt64
	var created, updated int64
	var state string
	if err := row.Scan(&p.Key, &p.GivenName, &p.FamilyName, &p.CardNumber, &p.Department, &groups,
		&validFrom, &validUntil, &consentAt, &p.ConsentBy, &p.Notes, &created, &updated, &state); err != nil {
		return Person{}, err
	}
	if err := json.Unmarshal([]byte(groups), &p.AccessGroups); err != nil {
		return Person{}, fmt.Errorf("person %s: access groups are damaged: %w", p.Key, err)
	}
	if len(p.AccessGroups) == 0 {
		p.AccessGroups = nil
	}
	p.ValidFrom, p.ValidUntil, p.ConsentAt = fromMS(validFrom), fromMS(validUntil), fromMS(consentAt)
	p.CreatedAt, p.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	p.PushState = PushState(state)
	return p, nil
}

// personByKey is Person's read, prepared once: every push reads its person.
const personByKey = `SELECT ` + personColumns + ` FROM people p WHERE p.person_key = ?`

// Person returns the person with key.
func (s *Store) Person(ctx context.Context, key string) (Person, error) {
	st, err := s.reader(ctx, personByKey)
	if err != nil {
		return Person{}, fmt.Errorf("person %s: %w", key, err)
	}
	p, err := scanPerson(st.QueryRowContext(ctx, key))
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, fmt.Errorf("person %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return Person{}, fmt.Errorf("person %s: %w", key, err)
	}
	return p, nil
}

// CheckPerson reports what keeps p from being saved as it is (key, text fields, validity),
// the same check every save makes, for callers that check many people before one save.
func CheckPerson(p Person) error { return checkPerson(p) }
