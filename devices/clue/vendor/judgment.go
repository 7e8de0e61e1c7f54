package vendor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Mode is the judgment mode, set by which criteria are filled in (section 5.7).
type Mode int

// The judgment modes.
const (
	// ModeNone: neither status codes nor a success result; the configuration cannot be saved.
	ModeNone Mode = iota
	// ModeStatusCode (mode 1): granted when the status code is one of the list.
	ModeStatusCode
	// ModeBody (mode 2): granted when the body's key equals the value, whatever the status.
	ModeBody
	// ModeCombined (mode 3): granted when the status matches and then the body condition holds.
	ModeCombined
)

// String names the mode as section 5.7 does.
func (m Mode) String() string {
	switch m {
	case ModeStatusCode:
		return "1 (response code verification)"
	case ModeBody:
		return "2 (response body verification)"
	case ModeCombined:
		return "3 (combined verification)"
	}
	return "none"
}

// Mode returns the judgment mode the criteria select.
func (j Judgment) Mode() Mode {
	codes, result := len(j.StatusCodes) > 0, j.SuccessResult != nil
	switch {
	case codes && result:
		return ModeCombined
	case codes:
		return ModeStatusCode
	case result:
		return ModeBody
	}
	return ModeNone
}

// Decision is the outcome of the judgment of one response.
type Decision struct {
	Mode    Mode   `json:"mode"`
	Granted bool   `json:"granted"`
	Message string `json:"message,omitempty"` // shown on the device; empty when none applies
	Reason  string `json:"reason"`            // why, in the technician's words
}

// Evaluate judges a response: status is its HTTP status, body its raw body. The body
// condition compares typed values (section 9.3 C: "true" the string is not true the
// boolean; NUMBER compares decimal values exactly, so 1 equals 1.0). The message comes from
// the success or failure message path and only from a JSON string (section 9.5). Criteria
// that do not validate never grant.
func (j Judgment) Evaluate(status int, body []byte) Decision {
	d := Decision{Mode: j.Mode()}
	doc, docErr := decodeBody(body)
	var reasons []string
	switch d.Mode {
	case ModeNone:
		reasons = append(reasons, "no judgment criteria: neither status codes nor a success result")
	case ModeStatusCode:
		d.Granted, reasons = j.statusMatches(status, reasons)
	case ModeBody:
		d.Granted, reasons = j.SuccessResult.holds(doc, docErr, reasons)
	case ModeCombined:
		if d.Granted, reasons = j.statusMatches(status, reasons); d.Granted {
			d.Granted, reasons = j.SuccessResult.holds(doc, docErr, reasons)
		} else {
			reasons = append(reasons, "the body is not evaluated")
		}
	}
	msgPath := j.FailureMessage
	if d.Granted {
		msgPath = j.SuccessMessage
	}
	if msgPath != "" {
		var note string
		d.Message, note = message(msgPath, doc, docErr)
		if note != "" {
			reasons = append(reasons, note)
		}
	}
	d.Reason = strings.Join(reasons, "; ")
	return d
}

func (j Judgment) statusMatches(status int, reasons []string) (bool, []string) {
	list := make([]string, len(j.StatusCodes))
	match := false
	for i, c := range j.StatusCodes {
		list[i] = c.String()
		if n, err := strconv.Atoi(c.String()); err == nil && n == status && n >= 100 && n <= 399 {
			match = true
		}
	}
	verb := "is not one of"
	if match {
		verb = "is one of"
	}
	return match, append(reasons, fmt.Sprintf("status %d %s %s", status, verb, strings.Join(list, ", ")))
}

// holds checks the body condition.
func (r *SuccessResult) holds(doc any, docErr error, reasons []string) (bool, []string) {
	if docErr != nil {
		return false, append(reasons, fmt.Sprintf("the body is not JSON (%v), so %s cannot be read", docErr, r.Key))
	}
	p, err := ParsePath(r.Key)
	if err != nil {
		return false, append(reasons, fmt.Sprintf("success result key %q: %v", r.Key, err))
	}
	got, ok := p.Lookup(doc)
	if !ok {
		return false, append(reasons, fmt.Sprintf("%s is not in the body", r.Key))
	}
	want, err := typedValue(r.Type, string(r.Value))
	if err != nil {
		return false, append(reasons, fmt.Sprintf("success result value: %v", err))
	}
	if equal(got, want) {
		return true, append(reasons, fmt.Sprintf("%s is %s (%s)", r.Key, render(got), r.Type))
	}
	return false, append(reasons, fmt.Sprintf("%s is %s, not %s (%s)", r.Key, render(got), render(want), r.Type))
}

// message reads the value at a message path; only a string is a message.
func message(path string, doc any, docErr error) (string, string) {
	if docErr != nil {
		return "", ""
	}
	p, err := ParsePath(path)
	if err != nil {
		return "", fmt.Sprintf("message path %q: %v", path, err)
	}
	v, ok := p.Lookup(doc)
	if !ok {
		return "", fmt.Sprintf("no message: %s is not in the body", path)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Sprintf("no message: %s is %s, not a string", path, render(v))
	}
	return s, ""
}

// decodeBody reads a response body with numbers kept as written.
func decodeBody(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s", shortErr(err))
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// typedValue converts a form value to the JSON value it stands for: a string, a json.Number
// or a bool.
func typedValue(t FieldType, s string) (any, error) {
	switch t {
	case TypeString:
		return s, nil
	case TypeNumber:
		s = strings.TrimSpace(s)
		if !isJSONNumber(s) {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return json.Number(s), nil
	case TypeBoolean:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false", s)
	}
	return nil, fmt.Errorf("type %q is not STRING, NUMBER or BOOLEAN", t)
}

// equal compares two decoded JSON values of the same kind; values of different kinds differ.
func equal(got, want any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		return ok && g == w
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return false
		}
		a, okA := canonicalNumber(g.String())
		b, okB := canonicalNumber(w.String())
		return okA && okB && a == b
	}
	return false
}

// render shows a decoded JSON value with its kind visible ("true" vs true).
func render(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}

// canonicalNumber writes a JSON number as sign, significant digits and exponent, so that
// equal values compare equal as text (1, 1.0, 10e-1 and 0.1e1 are all "+1e0"). It does not
// compute with the value, so a huge exponent costs nothing.
func canonicalNumber(s string) (string, bool) {
	if !isJSONNumber(s) {
		return "", false
	}
	sign := "+"
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	mant, exp := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.ParseInt(strings.TrimPrefix(s[i+1:], "+"), 10, 32)
		if err != nil {
			return "", false
		}
		mant, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	exp -= int64(len(frac))
	trimmed := strings.TrimRight(digits, "0")
	exp += int64(len(digits) - len(trimmed))
	if trimmed == "" {
		return "0", true // -0 equals 0
	}
	return sign + trimmed + "e" + strconv.FormatInt(exp, 10), true
}
