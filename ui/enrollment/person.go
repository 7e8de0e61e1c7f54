package enrollment

import (
	"time"

	"enrollstation/enroll"
)

// PersonForm is who is being enrolled, as the operator types it: the person's fields (the
// key a new UUID unless typed) and the consent the form adds.
type PersonForm struct {
	enroll.PersonFields
	Consent bool // the person agreed to biometric capture
}

// NewPersonForm is an empty form with a new key.
func NewPersonForm() PersonForm {
	return PersonForm{PersonFields: enroll.PersonFields{Key: enroll.NewPersonKey()}}
}

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

// Problems lists what must be fixed before the person can be saved; none when the form is
// complete. The fields go through the engine's one rule set, shared with imported lists.
func (f PersonForm) Problems() []FieldProblem {
	out := enroll.CheckPersonFields(f.PersonFields)
	if !f.Consent {
		out = append(out, FieldProblem{Field: FieldConsent, Key: "enroll.problem.consent", Text: "The person must agree to biometric capture before it starts."})
	}
	return out
}

// Person is the form as the journal keeps it, consent recorded at now by operator. Call
// it once Problems is empty.
func (f PersonForm) Person(operator string, now time.Time) enroll.Person {
	p := f.PersonFields.Person()
	p.ConsentAt, p.ConsentBy = now, operator
	return p
}

// FormOf is the form filled with p's fields, consent not given yet: the operator asks.
func FormOf(p enroll.Person) PersonForm {
	return PersonForm{PersonFields: enroll.FieldsOf(p)}
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
