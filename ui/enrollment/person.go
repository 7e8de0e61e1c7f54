package enrollment

import (
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

// Fields of the form, as FieldProblem names them.
const (
	FieldKey        = enroll.FieldKey
	FieldName       = enroll.FieldName
	FieldCard       = enroll.FieldCard
	FieldValidFrom  = enroll.FieldValidFrom
	FieldValidUntil = enroll.FieldValidUntil
	FieldConsent    = enroll.FieldConsent
	FieldText       = enroll.FieldText
)

// FieldProblem is what is wrong with one field: a translation key and its English text.
type FieldProblem = enroll.FieldProblem

// fields is the form's person fields, without consent.
func (f PersonForm) fields() enroll.PersonFields {
	return enroll.PersonFields{Key: f.Key, GivenName: f.GivenName, FamilyName: f.FamilyName, CardNumber: f.CardNumber,
		Department: f.Department, AccessGroup: f.AccessGroup, ValidFrom: f.ValidFrom, ValidUntil: f.ValidUntil}
}

// Problems lists what must be fixed before the person can be saved; none when the form is
// complete. The fields go through the engine's one rule set, shared with imported lists.
func (f PersonForm) Problems() []FieldProblem {
	out := enroll.CheckPersonFields(f.fields())
	if !f.Consent {
		out = append(out, FieldProblem{Field: FieldConsent, Key: "enroll.problem.consent", Text: "The person must agree to biometric capture before it starts."})
	}
	return out
}

// Person is the form as the journal keeps it, consent recorded at now by operator. Call
// it once Problems is empty.
func (f PersonForm) Person(operator string, now time.Time) enroll.Person {
	p := f.fields().Person()
	p.ConsentAt, p.ConsentBy = now, operator
	return p
}

// FormOf is the form filled with p's fields, consent not given yet: the operator asks.
func FormOf(p enroll.Person) PersonForm {
	v := enroll.FieldsOf(p)
	return PersonForm{Key: v.Key, GivenName: v.GivenName, FamilyName: v.FamilyName, CardNumber: v.CardNumber,
		Department: v.Department, AccessGroup: v.AccessGroup, ValidFrom: v.ValidFrom, ValidUntil: v.ValidUntil}
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
