package enroll_test

import (
	"reflect"
	"testing"
	"time"

	"enrollstation/enroll"
)

func problemFields(ps []enroll.FieldProblem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

func TestCheckPersonFields(t *testing.T) {
	t.Parallel()
	ok := enroll.PersonFields{Key: "k-1", GivenName: "Hanako", CardNumber: "42", ValidFrom: "2026-04-01", ValidUntil: "2027-03-31"}
	for _, tc := range []struct {
		name string
		edit func(*enroll.PersonFields)
		want []string
	}{
		{"complete", func(*enroll.PersonFields) {}, nil},
		{"no name", func(f *enroll.PersonFields) { f.GivenName = " " }, []string{enroll.FieldName}},
		{"bad key", func(f *enroll.PersonFields) { f.Key = "a b" }, []string{enroll.FieldKey}},
		{"card letters", func(f *enroll.PersonFields) { f.CardNumber = "x1" }, []string{enroll.FieldCard}},
		{"bad date", func(f *enroll.PersonFields) { f.ValidFrom = "2026-13-01" }, []string{enroll.FieldValidFrom}},
		{"ends first", func(f *enroll.PersonFields) { f.ValidUntil = "2026-01-01" }, []string{enroll.FieldValidUntil}},
		{"control character", func(f *enroll.PersonFields) { f.Department = "Lab\x07" }, []string{enroll.FieldText}},
	} {
		f := ok
		tc.edit(&f)
		if got := problemFields(enroll.CheckPersonFields(f)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: problems %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFieldsOfRoundTrips(t *testing.T) {
	t.Parallel()
	in := enroll.PersonFields{Key: "k-1", GivenName: "Hanako", FamilyName: "山田", CardNumber: "42", Department: "Lab",
		AccessGroup: "Lobby", ValidFrom: "2026-04-01", ValidUntil: "2027-03-31"}
	p := in.Person()
	if want := time.Date(2027, 3, 31, 23, 59, 59, 0, time.Local); !p.ValidUntil.Equal(want) {
		t.Fatalf("valid until %v, want %v", p.ValidUntil, want)
	}
	if got := enroll.FieldsOf(p); got != in {
		t.Fatalf("round trip %+v, want %+v", got, in)
	}
}
