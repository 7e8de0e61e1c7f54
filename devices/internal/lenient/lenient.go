// Package lenient holds the JSON scalars the three device packages decode leniently: vendor
// firmware quotes numbers in one answer and not in the next, sends 0/1 for booleans and
// numbers where the spec shows text. Each type decodes every form it accepts by one rule and
// encodes the documented one.
package lenient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Int is a JSON integer that also decodes from a numeric string, a whole float (12.0) and
// an exponent form (1e3). A fraction (12.7) is an error: a field the spec calls an integer
// that carries a fraction is not the field we think it is, and truncating it would hide that.
type Int int64

// UnmarshalJSON accepts 12, 12.0, "12", " 12 ", "", and null (0).
func (n *Int) UnmarshalJSON(b []byte) error {
	s, err := scalar(b)
	if err != nil {
		return err
	}
	if s == "" {
		*n = 0
		return nil
	}
	v, err := ParseInt(s)
	if err != nil {
		return err
	}
	*n = Int(v)
	return nil
}

// ParseInt reads s by Int's rule: decimal digits, or a float with no fraction within int64.
func ParseInt(s string) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("%s is not an integer", Shorten(s))
	}
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, fmt.Errorf("%s is not a whole number in range", Shorten(s))
	}
	return int64(f), nil
}

// Float is a JSON number that also decodes from a numeric string.
type Float float64

// UnmarshalJSON accepts 1.5, "1.5", "", and null (0). NaN and infinities are refused.
func (f *Float) UnmarshalJSON(b []byte) error {
	s, err := scalar(b)
	if err != nil {
		return err
	}
	if s == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return fmt.Errorf("%s is not a number", Shorten(s))
	}
	*f = Float(v)
	return nil
}

// Bool is a JSON boolean that also decodes from the words and digits devices use for one:
// "true"/"false", 1/0, "1"/"0", "enable"/"disable" (ACTAtek 11.9), "yes"/"no".
type Bool bool

// UnmarshalJSON accepts true, "true", 1, "1", "enable", "yes" and their opposites; null
// and "" are false.
func (v *Bool) UnmarshalJSON(b []byte) error {
	s, err := scalar(b)
	if err != nil {
		return err
	}
	switch strings.ToLower(s) {
	case "true", "1", "enable", "enabled", "yes", "on":
		*v = true
	case "false", "0", "disable", "disabled", "no", "off", "":
		*v = false
	default:
		return fmt.Errorf("%s is not true or false", Shorten(s))
	}
	return nil
}

// Text is a JSON string that also decodes from a number (kept as written: 0012 cannot be
// sent as a JSON number, so digits are never reformatted) or a boolean. It encodes as a
// string.
type Text string

// UnmarshalJSON accepts "text", 123, 1.5, true, and null ("").
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("empty value is not text")
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s is not text", Shorten(string(b)))
		}
		*t = Text(s)
	case string(b) == "null":
		*t = ""
	case string(b) == "true" || string(b) == "false":
		*t = Text(b)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("%s is not text or a number", Shorten(string(b)))
		}
		*t = Text(n.String())
	}
	return nil
}

// String returns the text.
func (t Text) String() string { return string(t) }

// scalar returns the text of a JSON scalar: a string's value (unescaped, trimmed), a
// number's or boolean's literal, "" for null. Objects and arrays are refused.
func scalar(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", fmt.Errorf("empty value")
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", fmt.Errorf("%s is not a valid string", Shorten(string(b)))
		}
		return strings.TrimSpace(s), nil
	case '{', '[':
		return "", fmt.Errorf("%s is not a single value", Shorten(string(b)))
	}
	if string(b) == "null" {
		return "", nil
	}
	return string(b), nil
}

// Shorten keeps an error message short when it quotes device data.
func Shorten(s string) string {
	const n = 40
	if len(s) <= n {
		return strconv.Quote(s)
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
