package enroll

import (
	"errors"
	"strings"
	"time"

	"enrollstation/store"
)

// PersonFields are a person's fields as text, as an operator types them in the Enroll form
// or an imported list holds them. CheckPersonFields is the one rule set both go through.
type PersonFields struct {
	Key        string // the id every target knows the person by
	GivenName  string
	FamilyName string
	CardNumber string // decimal digits: the journal's one form, each target converts it
	Department string
	// AccessGroup is the access group the person is put in on the ACTAtek terminals, by
	// name; empty: each terminal's own default.
	AccessGroup string
	ValidFrom   string // YYYY-MM-DD, empty: from now
	ValidUntil  string // YYYY-MM-DD, empty: no end
}

// Fields of a person, as FieldProblem names them.
const (
	FieldKey        = "key"
	FieldName       = "name"
	FieldCard       = "card"
	FieldValidFrom  = "valid_from"
	FieldValidUntil = "valid_until"
	FieldConsent    = "consent"
	FieldText       = "text"
)

// FieldProblem is what is wrong with one field: a translation key and its English text.
type FieldProblem struct {
	Field string
	Key   string
	Text  string
}

// DateLayout is how validity dates are written.
const DateLayout = "2006-01-02"

// maxKeyLen is the longest key every target takes (ACTAtek user IDs).
const maxKeyLen = 32

// CheckPersonFields lists what must be fixed before the person can be kept; none when the
// fields are complete. Consent is the caller's own check: an imported list never records it.
func CheckPersonFields(f PersonFields) []FieldProblem {
	var out []FieldProblem
	add := func(field, key, text string) { out = append(out, FieldProblem{field, key, text}) }
	if key := strings.TrimSpace(f.Key); CheckPersonKey(key) != nil || len(key) > maxKeyLen {
		add(FieldKey, "enroll.problem.key", "The key may hold only letters, digits, '-', '_' and '.', at most 32.")
	}
	if strings.TrimSpace(f.GivenName) == "" && strings.TrimSpace(f.FamilyName) == "" {
		add(FieldName, "enroll.problem.name", "Type the person's given or family name.")
	}
	if _, err := CanonicalCard(f.CardNumber); err != nil {
		add(FieldCard, "enroll.problem.card", "A card number is digits only.")
	}
	from, fromErr := ParseDate(f.ValidFrom)
	if fromErr != nil {
		add(FieldValidFrom, "enroll.problem.date", "Type the date as YYYY-MM-DD.")
	}
	until, untilErr := ParseDate(f.ValidUntil)
	if untilErr != nil {
		add(FieldValidUntil, "enroll.problem.date", "Type the date as YYYY-MM-DD.")
	}
	if fromErr == nil && untilErr == nil && !from.IsZero() && !until.IsZero() && !until.After(from) {
		add(FieldValidUntil, "enroll.problem.until", "The end of validity must come after its start.")
	}
	if len(out) == 0 {
		// What the journal refuses besides: control characters, overlong text.
		if err := store.CheckPerson(f.Person()); err != nil {
			add(FieldText, "enroll.problem.text", "A field holds a control character or is too long.")
		}
	}
	return out
}

// Person is the fields as the journal keeps them, without consent. Call it once
// CheckPersonFields finds nothing.
func (f PersonFields) Person() Person {
	from, _ := ParseDate(f.ValidFrom)
	until, _ := ParseDate(f.ValidUntil)
	if !until.IsZero() {
		until = until.Add(24*time.Hour - time.Second) // valid through the whole last day
	}
	card, _ := CanonicalCard(f.CardNumber) // "00042" and "42" are one card
	var groups []string
	if g := strings.TrimSpace(f.AccessGroup); g != "" {
		groups = []string{g}
	}
	return Person{
		Key:          strings.TrimSpace(f.Key),
		GivenName:    strings.TrimSpace(f.GivenName),
		FamilyName:   strings.TrimSpace(f.FamilyName),
		CardNumber:   card,
		Department:   strings.TrimSpace(f.Department),
		AccessGroups: groups,
		ValidFrom:    from, ValidUntil: until,
	}
}

// FieldsOf is p's fields as text, the inverse of PersonFields.Person: the last day of
// validity is the day it ends in.
func FieldsOf(p Person) PersonFields {
	f := PersonFields{Key: p.Key, GivenName: p.GivenName, FamilyName: p.FamilyName, CardNumber: p.CardNumber, Department: p.Department}
	if len(p.AccessGroups) > 0 {
		f.AccessGroup = p.AccessGroups[0]
	}
	if !p.ValidFrom.IsZero() {
		f.ValidFrom = p.ValidFrom.In(time.Local).Format(DateLayout)
	}
	if !p.ValidUntil.IsZero() {
		f.ValidUntil = p.ValidUntil.In(time.Local).Format(DateLayout)
	}
	return f
}

// ParseDate reads an optional YYYY-MM-DD date, in local time.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(DateLayout, s, time.Local)
	if err != nil {
		return time.Time{}, errors.New("not a YYYY-MM-DD date")
	}
	return t, nil
}
