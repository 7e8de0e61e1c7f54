package enrollment

import (
	"strings"
	"time"

	"enrollstation/enroll"
)

// PersonForm is who is being enrolled, as the operator types it.
type PersonForm struct {
	Key        string // the id every target knows the person by; a new UUID unless typed
	GivenName  string
	FamilyName string
	CardNumber string // decimal digits: the journal's one form, each target converts it
	Department string
	// AccessGroup is the access group the person is put in on the ACTAtek terminals, by
	// name; empty: each terminal's own default.
	AccessGroup string
	ValidFrom   string // YYYY-MM-DD, empty: from now
	ValidUntil  string // YYYY-MM-DD, empty: no end
	Consent     bool   // the person agreed to biometric capture
}

// NewPersonForm is an empty form with a new key.
func NewPersonForm() PersonForm { return PersonForm{Key: enroll.NewPersonKey()} }

// maxKeyLen is the longest key every target takes (ACTAtek user IDs).
const maxKeyLen = 32

// Fields of the form, as FieldProblem names them.
const (
	FieldKey        = "key"
	FieldName       = "name"
	FieldCard       = "card"
	FieldValidFrom  = "valid_from"
	FieldValidUntil = "valid_until"
	FieldConsent    = "consent"
)

// FieldProblem is what is wrong with one field: a translation key and its English text.
type FieldProblem struct {
	Field string
	Key   string
	Text  string
}

// dateLayout is how validity dates are typed.
const dateLayout = "2006-01-02"

// Problems lists what must be fixed before the person can be saved; none when the form is
// complete.
func (f PersonForm) Problems() []FieldProblem {
	var out []FieldProblem
	add := func(field, key, text string) { out = append(out, FieldProblem{field, key, text}) }
	if key := strings.TrimSpace(f.Key); enroll.CheckPersonKey(key) != nil || len(key) > maxKeyLen {
		add(FieldKey, "enroll.problem.key", "The key may hold only letters, digits, '-', '_' and '.', at most 32.")
	}
	if strings.TrimSpace(f.GivenName) == "" && strings.TrimSpace(f.FamilyName) == "" {
		add(FieldName, "enroll.problem.name", "Type the person's given or family name.")
	}
	if _, err := enroll.CanonicalCard(f.CardNumber); err != nil {
		add(FieldCard, "enroll.problem.card", "A card number is digits only.")
	}
	from, fromErr := parseDate(f.ValidFrom)
	if fromErr != nil {
		add(FieldValidFrom, "enroll.problem.date", "Type the date as YYYY-MM-DD.")
	}
	until, untilErr := parseDate(f.ValidUntil)
	if untilErr != nil {
		add(FieldValidUntil, "enroll.problem.date", "Type the date as YYYY-MM-DD.")
	}
	if fromErr == nil && untilErr == nil && !from.IsZero() && !until.IsZero() && !until.After(from) {
		add(FieldValidUntil, "enroll.problem.until", "The end of validity must come after its start.")
	}
	if !f.Consent {
		add(FieldConsent, "enroll.problem.consent", "The person must agree to biometric capture before it starts.")
	}
	return out
}

// Person is the form as the journal keeps it, consent recorded at now by operator. Call
// it once Problems is empty.
func (f PersonForm) Person(operator string, now time.Time) enroll.Person {
	from, _ := parseDate(f.ValidFrom)
	until, _ := parseDate(f.ValidUntil)
	if !until.IsZero() {
		until = until.Add(24*time.Hour - time.Second) // valid through the whole last day
	}
	card, _ := enroll.CanonicalCard(f.CardNumber) // "00042" and "42" are one card
	var groups []string
	if g := strings.TrimSpace(f.AccessGroup); g != "" {
		groups = []string{g}
	}
	return enroll.Person{
		Key:          strings.TrimSpace(f.Key),
		GivenName:    strings.TrimSpace(f.GivenName),
		FamilyName:   strings.TrimSpace(f.FamilyName),
		CardNumber:   card,
		Department:   strings.TrimSpace(f.Department),
		AccessGroups: groups,
		ValidFrom:    from, ValidUntil: until,
		ConsentAt: now, ConsentBy: operator,
	}
}

// SetCard puts a card read at the desk in the form, keeping what else was typed.
func (f *Flow) SetCard(card string) {
	f.mu.Lock()
	f.form.CardNumber = card
	if f.problems != nil {
		f.problems = f.form.Problems()
	}
	f.mu.Unlock()
	f.Notify()
}

// parseDate reads an optional YYYY-MM-DD date, in local time.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation(dateLayout, s, time.Local)
}
