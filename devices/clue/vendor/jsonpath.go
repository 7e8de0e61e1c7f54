package vendor

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxPathLength is the longest JSONPath the portal takes (section 9.3 A: "max 128 characters").
const MaxPathLength = 128

// Path is a JSONPath (RFC 9535) of the subset the judgment criteria need: the portal builds
// paths by dragging a field of the response, which yields a chain of child segments from the
// root, each one member name or one array index. Within that subset the syntax is RFC 9535's,
// whitespace and escapes included:
//
//	path      = "$" *(S segment)              ; no whitespace before $ or after the end
//	segment   = "." shorthand / "[" S selector S "]"
//	shorthand = name-first *(name-first / DIGIT)
//	name-first= ALPHA / "_" / %x80-D7FF / %xE000-10FFFF
//	selector  = string-literal / int          ; int: "0" / ["-"] DIGIT1 *DIGIT, in I-JSON range
//	S         = *(SP / HTAB / LF / CR)
//
// A string literal is single- or double-quoted; it holds no control character, and its
// escapes are \b \f \n \r \t \/ \\, the quote that delimits it, and \uXXXX (a surrogate
// pair as two). So $.valid, $.data.result, $.items[0].ok, $.items[-1] and $['user name']
// are paths. Wildcards, descendant segments (..), slices, unions and filters are valid
// JSONPath but refused here: a path names one value.
type Path struct {
	text  string
	steps []step
}

// step is a member name or an array index (negative counts from the end, RFC 9535 2.3.3).
type step struct {
	name  string
	index int64
	isIdx bool
}

// maxIndex is the I-JSON bound of an index (RFC 9535 2.1: 2^53-1).
const maxIndex = 1<<53 - 1

// ParsePath parses a path of the subset. A path written with its expected value, such as
// "$.valid = true", is refused with a word on where the value goes.
func ParsePath(s string) (Path, error) {
	if !utf8.ValidString(s) {
		return Path{}, fmt.Errorf("the JSONPath is not valid UTF-8 text")
	}
	if !strings.HasPrefix(s, "$") {
		return Path{}, fmt.Errorf("a JSONPath starts with $")
	}
	p := Path{text: s}
	i := 1
	for i < len(s) {
		j := skipSpace(s, i)
		if j == len(s) {
			return Path{}, fmt.Errorf("whitespace at the end (at %d) is not allowed", i+1)
		}
		if s[j] == '=' || s[j] == '!' || s[j] == '<' || s[j] == '>' {
			return Path{}, valueInPath(s[:i], s[j:])
		}
		i = j
		switch s[i] {
		case '.':
			if i+1 < len(s) && s[i+1] == '.' {
				return Path{}, fmt.Errorf("the descendant segment (..) at %d is not supported: a path names one value", i+1)
			}
			if i+1 < len(s) && s[i+1] == '*' {
				return Path{}, fmt.Errorf("the wildcard at %d is not supported: a path names one value", i+2)
			}
			j := i + 1
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !nameFirst(r) && !(j > i+1 && r >= '0' && r <= '9') {
					break
				}
				j += n
			}
			if j == i+1 {
				if j == len(s) {
					return Path{}, fmt.Errorf("a member name is missing after the dot at %d", i+1)
				}
				return Path{}, fmt.Errorf("a member name after a dot starts with a letter or _ (at %d); write other names quoted, as ['name']", j+1)
			}
			p.steps = append(p.steps, step{name: s[i+1 : j]})
			i = j
		case '[':
			st, n, err := parseBracket(s[i:])
			if err != nil {
				return Path{}, fmt.Errorf("at %d: %w", i+1, err)
			}
			p.steps = append(p.steps, st)
			i += n
		default:
			return Path{}, fmt.Errorf("unexpected %q at %d", s[i], i+1)
		}
	}
	return p, nil
}

// valueInPath explains a key written with its value ("$.valid = true").
func valueInPath(key, rest string) error {
	value := strings.TrimSpace(strings.TrimLeft(rest, "=!<>"))
	if value == "" {
		value = "the expected value"
	}
	return fmt.Errorf("a JSONPath names the key only: write the key as %s and the value %s in its own field (with its data format)", key, value)
}

// nameFirst is RFC 9535's name-first: a letter, _ or any character from U+0080 (surrogates
// cannot occur in valid UTF-8).
func nameFirst(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r >= 0x80 && r != utf8.RuneError
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// parseBracket reads a bracketed selection ("[0]", "[ -1 ]", "['name']") at the start of s
// and returns the step and the number of bytes read.
func parseBracket(s string) (step, int, error) {
	i := skipSpace(s, 1)
	if i >= len(s) {
		return step{}, 0, fmt.Errorf("unclosed [")
	}
	var st step
	switch c := s[i]; {
	case c == '\'' || c == '"':
		name, n, err := parseString(s[i:])
		if err != nil {
			return step{}, 0, err
		}
		st, i = step{name: name}, i+n
	case c == '-' || c >= '0' && c <= '9':
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		digits := s[i:j]
		switch {
		case digits == "-" || digits == "-0" || (len(digits) > 1 && digits[0] == '0') || strings.HasPrefix(digits, "-0"):
			return step{}, 0, fmt.Errorf("%q is not an array index (0, 1, 2 ... or -1 from the end, no leading zero)", digits)
		}
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || n > maxIndex || n < -maxIndex {
			return step{}, 0, fmt.Errorf("array index %s is too large", digits)
		}
		st, i = step{index: n, isIdx: true}, j
	case c == '*':
		return step{}, 0, fmt.Errorf("the wildcard is not supported: a path names one value")
	case c == '?':
		return step{}, 0, fmt.Errorf("filters are not supported: a path names one value")
	case c == ':':
		return step{}, 0, fmt.Errorf("slices are not supported: a path names one value")
	default:
		return step{}, 0, fmt.Errorf("%q does not start an array index or a quoted name", c)
	}
	i = skipSpace(s, i)
	switch {
	case i >= len(s):
		return step{}, 0, fmt.Errorf("unclosed [")
	case s[i] == ',':
		return step{}, 0, fmt.Errorf("lists of selectors are not supported: a path names one value")
	case s[i] == ':' && st.isIdx:
		return step{}, 0, fmt.Errorf("slices are not supported: a path names one value")
	case s[i] != ']':
		return step{}, 0, fmt.Errorf("] expected, not %q", s[i])
	}
	return st, i + 1, nil
}

// parseString reads a string literal of RFC 9535 (2.3.1.1) at the start of s and returns
// its value and the number of bytes read.
func parseString(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i + 1, nil
		case c < 0x20:
			return "", 0, fmt.Errorf("a control character (U+%04X) in a quoted name must be escaped, as \\n or \\u%04x", c, c)
		case c != '\\':
			r, n := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += n
			continue
		}
		if i+1 >= len(s) {
			break
		}
		e := s[i+1]
		i += 2
		switch e {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '/', '\\':
			b.WriteByte(e)
		case q:
			b.WriteByte(q)
		case 'u':
			r, n, err := parseUnicode(s[i-2:])
			if err != nil {
				return "", 0, err
			}
			b.WriteRune(r)
			i += n - 2
		default:
			return "", 0, fmt.Errorf("\\%c is not an escape of a quoted name (\\b \\f \\n \\r \\t \\/ \\\\ \\%c \\uXXXX)", e, q)
		}
	}
	return "", 0, fmt.Errorf("unclosed quote")
}

// parseUnicode reads \uXXXX, or a surrogate pair \uD83D\uDE00, at the start of s.
func parseUnicode(s string) (rune, int, error) {
	hi, ok := hex4(s)
	switch {
	case !ok:
		return 0, 0, fmt.Errorf("\\u takes four hexadecimal digits")
	case hi >= 0xDC00 && hi <= 0xDFFF:
		return 0, 0, fmt.Errorf("\\u%04X is the second half of a surrogate pair without its first", hi)
	case hi < 0xD800 || hi > 0xDBFF:
		return hi, 6, nil
	}
	lo, ok := hex4(s[6:])
	if !ok || lo < 0xDC00 || lo > 0xDFFF {
		return 0, 0, fmt.Errorf("\\u%04X must be followed by the second half of its surrogate pair (\\uDC00-\\uDFFF)", hi)
	}
	return 0x10000 + (hi-0xD800)<<10 + (lo - 0xDC00), 12, nil
}

// hex4 reads "\uXXXX" at the start of s.
func hex4(s string) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	v, err := strconv.ParseUint(s[2:6], 16, 32)
	if err != nil || strings.ContainsAny(s[2:6], "+-") {
		return 0, false
	}
	return rune(v), true
}

// String returns the path as written.
func (p Path) String() string { return p.text }

// Normalized returns the path in RFC 9535's normalized form (2.7): $['name'][0], names
// single-quoted with the least escaping. It parses back to the same steps.
func (p Path) Normalized() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, st := range p.steps {
		if st.isIdx {
			fmt.Fprintf(&b, "[%d]", st.index)
			continue
		}
		b.WriteString("['")
		for _, r := range st.name {
			switch r {
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			case '\'':
				b.WriteString(`\'`)
			case '\\':
				b.WriteString(`\\`)
			default:
				if r < 0x20 {
					fmt.Fprintf(&b, `\u%04x`, r)
				} else {
					b.WriteRune(r)
				}
			}
		}
		b.WriteString("']")
	}
	return b.String()
}

// Lookup finds the value the path names in a document decoded by encoding/json (objects as
// map[string]any, arrays as []any). It reports false when a step does not exist.
func (p Path) Lookup(doc any) (any, bool) {
	v := doc
	for _, st := range p.steps {
		if st.isIdx {
			arr, ok := v.([]any)
			if !ok {
				return nil, false
			}
			i := st.index
			if i < 0 {
				i += int64(len(arr))
			}
			if i < 0 || i >= int64(len(arr)) {
				return nil, false
			}
			v = arr[i]
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[st.name]; !ok {
			return nil, false
		}
	}
	return v, true
}
