package actatek

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"enrollstation/devices/internal/lenient"
)

// This file holds the ACTAtek wire model's shared pieces; each service's records sit beside
// it (users_wire.go, logs.go, ...). Together they are where the gaps and contradictions of
// spec 004 (ACTAtek REST API 0.1) are settled; see specs/README.md, "ACTAtek (004)".
// Decoding is lenient (numbers as strings, a single object where an array is documented,
// trailing commas as in the spec's own examples); encoding uses the documented shape.
// The simulator (actateksim) serves exactly these shapes.

// APIPrefix is the path every endpoint lives under (spec 004, every "Path" line).
const APIPrefix = "/cgi-bin/restapi/"

// Messages the simulator uses for the refusals the client must recognise. Spec 14 gives a
// single error shape and no wording; the client matches these leniently (see
// sessionRefused, alreadyExists, terminalFull) so a real terminal's wording also fits.
const (
	MsgSessionExpired = "invalid or expired session id"
	MsgExists         = "already exists"
	MsgTerminalFull   = "terminal full"
	MsgNotFound       = "not found"
)

// Status values of a Result (spec 004, every write answer and section 14).
const (
	StatusSuccess = "success"
	StatusError   = "error"
)

// The lenient scalars the device packages share (one rule for every vendor: an integer
// field with a fraction is an error). "departmentid": "0" (6.2) is an Int; 'enable' and
// 'disable' (11.9) are a Bool.
type (
	Int  = lenient.Int
	Bool = lenient.Bool
	Text = lenient.Text
)

// IDs is an "integer or array of integer" field (spec 3.1 groupID and departmentID, 6.1
// accessrightid). It decodes either form and always encodes as an array.
type IDs []int

// UnmarshalJSON accepts 3, "3", [1,2], ["1"] and null.
func (ids *IDs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*ids = nil
		return nil
	}
	if b[0] == '[' {
		var raw []Int
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make(IDs, len(raw))
		for i, v := range raw {
			out[i] = int(v)
		}
		*ids = out
		return nil
	}
	var one Int
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*ids = IDs{int(one)}
	return nil
}

// MarshalJSON writes the documented array form; nil is [].
func (ids IDs) MarshalJSON() ([]byte, error) {
	if ids == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]int(ids))
}

// List is a "single or array" field (spec 3.1 keyrecords and facialrecords) or an answer
// documented as "or in array" (4.3, 6.2, 12.6). It decodes either form and always encodes
// as an array.
type List[T any] []T

// UnmarshalJSON accepts an object, an array of them, or null.
func (l *List[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*l = nil
		return nil
	}
	if b[0] == '[' {
		var many []T
		if err := json.Unmarshal(b, &many); err != nil {
			return err
		}
		*l = many
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*l = List[T]{one}
	return nil
}

// MarshalJSON writes the array form; nil is [].
func (l List[T]) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]T(l))
}

// Base64 is binary data sent as a base64 string (templates, JPEG photos). It decodes the
// standard and URL alphabets, padded or not, ignoring line breaks and a data: URI prefix,
// and encodes standard padded base64.
type Base64 []byte

// MarshalJSON writes standard padded base64.
func (b Base64) MarshalJSON() ([]byte, error) {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b))+2)
	out[0] = '"'
	base64.StdEncoding.Encode(out[1:], b)
	out[len(out)-1] = '"'
	return out, nil
}

// UnmarshalJSON accepts a base64 string or null.
func (b *Base64) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*b = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("base64 data must be a string, not %s", lenient.Shorten(string(data)))
	}
	v, err := DecodeBase64(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// DecodeBase64 decodes base64 the way the terminal's fields are decoded: either alphabet,
// with or without padding, whitespace and a data: URI prefix ignored.
func DecodeBase64(s string) ([]byte, error) {
	if i := strings.Index(s, ";base64,"); i >= 0 && strings.HasPrefix(s, "data:") {
		s = s[i+len(";base64,"):]
	}
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, s)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if v, err := enc.DecodeString(s); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("%s is not base64 data", lenient.Shorten(s))
}

// Result is the answer of a write: {"status":"success","message":"..."}; the same shape
// with "error" is the common error answer (spec 14).
type Result struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// OK reports whether the terminal accepted the write: status "success" (spec 14 and every
// write's example). Another word ("failed", "error") or no status at all is not an
// acceptance: a terminal that did not say it wrote the record may not have.
func (r Result) OK() bool { return strings.EqualFold(strings.TrimSpace(r.Status), StatusSuccess) }

// err is the failure a result reports, nil when it is a success.
func (r Result) err(call string) *Error {
	switch {
	case r.OK():
		return nil
	case strings.TrimSpace(r.Status) == "":
		return malformed(call, http.StatusOK, "the answer has no status")
	}
	e := answerError(call, http.StatusOK, r.Message)
	if r.Message == "" {
		e.Err = fmt.Errorf("the terminal answered status %s without a message", lenient.Shorten(r.Status))
	}
	return e
}

// Endpoint paths sit beside their services. Each follows the spec's Path line where it and the Example URI differ
// (deleteUser's example shows /deleteLogs/, UserCount's, UserBatch's and UserAPITOTP's show
// /UserMessage/, getMyself's shows /user/); sid is escaped as a path segment.

// seg joins escaped path segments under APIPrefix. Some Path lines end in a slash (8.1,
// 11.5, 11.8, 11.10, 11.11, 11.12) where the matching call of the same resource does not;
// paths are sent without it, and the simulator accepts both.
func seg(parts ...string) string {
	var b strings.Builder
	b.WriteString(APIPrefix)
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

// encodeQuery writes q with %20 for spaces: the spec's examples send "trigger=REMOTE DOOR
// OPEN", and a CGI that does not map '+' to a space would see a different trigger.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

// decodeJSON decodes a terminal answer into out. The spec's examples end objects with a
// trailing comma (2.3, 2.4, 2.5, 3.7, 11.5 and more); if the body is not valid JSON, it is
// decoded again with trailing commas removed before giving up.
func decodeJSON(body []byte, out any) error {
	err := json.Unmarshal(body, out)
	if err == nil {
		return nil
	}
	if _, ok := err.(*json.SyntaxError); !ok {
		return err
	}
	fixed, changed := stripTrailingCommas(body)
	if !changed {
		return err
	}
	if err2 := json.Unmarshal(fixed, out); err2 != nil {
		return err
	}
	return nil
}

// stripTrailingCommas removes commas that directly precede } or ] outside strings.
func stripTrailingCommas(b []byte) ([]byte, bool) {
	out := make([]byte, 0, len(b))
	inString, escaped, changed := false, false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == ',' {
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				changed = true
				continue
			}
		}
		out = append(out, c)
	}
	return out, changed
}
