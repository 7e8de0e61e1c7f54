package actatek

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"enrollstation/devices/internal/lenient"
)

// DateTime is an xsd:datetime as the terminal uses it (spec 2.1 "from"): with a trailing
// Z it is UTC; without, it is the terminal's local wall-clock time, in whatever time zone
// the terminal is set to (10.3). The two forms are kept apart: Local records which one was
// read, and String writes the same form back. The zero DateTime is "not set" and is
// written as 0 (spec 3.1 expirydate: "0 to disable").
type DateTime struct {
	// Time is the instant for UTC values; for Local values only its wall clock (year to
	// second, read in Time's own location) is meaningful.
	Time time.Time
	// Local is true for a terminal-local wall-clock time (no Z on the wire).
	Local bool
}

const (
	layoutLocal = "2006-01-02T15:04:05"
	layoutUTC   = "2006-01-02T15:04:05Z"
)

// UTC is the DateTime of an instant, written with Z.
func UTC(t time.Time) DateTime { return DateTime{Time: t.UTC().Truncate(time.Second)} }

// Local is the DateTime of t's wall clock, written without a zone: the terminal reads it
// in its own time zone.
func Local(t time.Time) DateTime { return DateTime{Time: t.Truncate(time.Second), Local: true} }

// ParseDateTime reads an xsd:datetime: "2025-07-16T10:24:13Z" (UTC),
// "2025-07-16T10:24:13" (terminal-local), a numeric offset (converted to UTC), fractional
// seconds (dropped) and a space instead of T. "0" and "" are the zero DateTime.
func ParseDateTime(s string) (DateTime, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return DateTime{}, nil
	}
	norm := s
	if len(norm) > 10 && norm[10] == ' ' {
		norm = norm[:10] + "T" + norm[11:]
	}
	if t, err := time.Parse(time.RFC3339Nano, norm); err == nil {
		// An offset can carry a year-end time out of the four-digit years.
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return DateTime{}, fmt.Errorf("%s is out of the range of xsd:datetime years 0001 to 9999", lenient.Shorten(s))
		}
		return UTC(t), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, norm); err == nil {
			if d := Local(t); !d.IsZero() {
				return d, nil
			}
			return DateTime{}, nil // 0001-01-01T00:00:00 is Go's "unset" too
		}
	}
	return DateTime{}, fmt.Errorf("%s is not an xsd:datetime (expected e.g. 2025-07-16T10:24:13 or 2025-07-16T10:24:13Z)", lenient.Shorten(s))
}

// IsZero reports whether the DateTime is unset.
func (d DateTime) IsZero() bool { return d.Time.IsZero() }

// String is the wire form: Z for UTC, no zone for terminal-local, "" when unset.
func (d DateTime) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Local:
		return d.Time.Format(layoutLocal)
	default:
		return d.Time.UTC().Format(layoutUTC)
	}
}

// In returns the instant in loc: a UTC value converted, a local value's wall clock read
// as a time in loc (the terminal's time zone).
func (d DateTime) In(loc *time.Location) time.Time {
	if !d.Local {
		return d.Time.In(loc)
	}
	t := d.Time
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
}

// MarshalJSON writes the wire form, or 0 when unset (spec 3.1 expirydate).
func (d DateTime) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("0"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON accepts the forms of ParseDateTime, and 0 or null for unset.
func (d *DateTime) UnmarshalJSON(b []byte) error {
	var s Text
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	v, err := ParseDateTime(string(s))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
