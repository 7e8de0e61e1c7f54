package vendor

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxPathLength is the longest JSONPath the portal takes (section 9.3 A: "max 128 characters").
const MaxPathLength = 128

// Path is a JSONPath of the subset the judgment criteria need: the portal builds paths by
// dragging a field of the response, which yields a chain of members and array indexes from
// the root. The grammar:
//
//	path    = "$" *step
//	step    = "." name / "[" index "]" / "[" quoted "]"
//	name    = 1*(any character but "." "[" "]")
//	index   = 1*DIGIT                     ; from 0
//	quoted  = "'" *char "'" / DQUOTE *char DQUOTE   ; \ escapes the quote and itself
//
// So $.valid, $.data.result, $.items[0].ok and $['user name'] are paths. Wildcards,
// recursive descent (..), slices, unions and filters are not: a path names one value.
type Path struct {
	text  string
	steps []step
}

// step is a member name or an array index.
type step struct {
	name  string
	index int
	isIdx bool
}

// ParsePath parses a path of the subset.
func ParsePath(s string) (Path, error) {
	if !strings.HasPrefix(s, "$") {
		return Path{}, fmt.Errorf("a JSONPath starts with $")
	}
	p := Path{text: s}
	i := 1
	for i < len(s) {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && s[j] != '.' && s[j] != '[' && s[j] != ']' {
				j++
			}
			if j == i+1 {
				if j < len(s) && s[j] == '.' {
					return Path{}, fmt.Errorf("recursive descent (..) at %d is not supported", i+1)
				}
				return Path{}, fmt.Errorf("a member name is missing after the dot at %d", i+1)
			}
			name := s[i+1 : j]
			if name == "*" {
				return Path{}, fmt.Errorf("the wildcard at %d is not supported: a path names one value", i+2)
			}
			p.steps = append(p.steps, step{name: name})
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

// parseBracket reads "[0]", "['name']" or "[\"name\"]" at the start of s and returns the
// step and the number of bytes read.
func parseBracket(s string) (step, int, error) {
	if len(s) < 3 {
		return step{}, 0, fmt.Errorf("unclosed [")
	}
	if q := s[1]; q == '\'' || q == '"' {
		var b strings.Builder
		for i := 2; i < len(s); i++ {
			switch c := s[i]; {
			case c == '\\' && i+1 < len(s) && (s[i+1] == q || s[i+1] == '\\'):
				b.WriteByte(s[i+1])
				i++
			case c == q:
				if i+1 >= len(s) || s[i+1] != ']' {
					return step{}, 0, fmt.Errorf("] expected after the quoted name")
				}
				return step{name: b.String()}, i + 2, nil
			default:
				b.WriteByte(c)
			}
		}
		return step{}, 0, fmt.Errorf("unclosed quote")
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return step{}, 0, fmt.Errorf("unclosed [")
	}
	inner := s[1:end]
	if inner == "" || strings.Trim(inner, "0123456789") != "" {
		return step{}, 0, fmt.Errorf("%q is not an array index (only 0, 1, 2 ... or a quoted name)", inner)
	}
	n, err := strconv.Atoi(inner)
	if err != nil {
		return step{}, 0, fmt.Errorf("array index %s is too large", inner)
	}
	return step{index: n, isIdx: true}, end + 1, nil
}

// String returns the path as written.
func (p Path) String() string { return p.text }

// Lookup finds the value the path names in a document decoded by encoding/json (objects as
// map[string]any, arrays as []any). It reports false when a step does not exist.
func (p Path) Lookup(doc any) (any, bool) {
	v := doc
	for _, st := range p.steps {
		if st.isIdx {
			arr, ok := v.([]any)
			if !ok || st.index >= len(arr) {
				return nil, false
			}
			v = arr[st.index]
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
