package vendor_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"enrollstation/devices/clue/vendor"
)

func TestParsePathAndLookup(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"valid":true,"data":{"items":[{"ok":"yes"},{"ok":"no"}],"a.b":1,"it's":2,"q\"uote":3},"":4}`), &doc); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]any{
		"$":                     doc,
		"$.valid":               true,
		"$.data.items[1].ok":    "no",
		"$['data']['a.b']":      float64(1),
		`$.data["it's"]`:        float64(2),
		`$.data['it\'s']`:       float64(2),
		`$.data["q\"uote"]`:     float64(3),
		"$['']":                 float64(4),
		"$.data.items[0]['ok']": "yes",
	} {
		p, err := vendor.ParsePath(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		got, ok := p.Lookup(doc)
		if !ok {
			t.Errorf("%s: not found", path)
			continue
		}
		if path != "$" && got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
		if p.String() != path {
			t.Errorf("String() = %q", p.String())
		}
	}
	for _, path := range []string{"$.missing", "$.data.items[2]", "$.valid.x", "$.data.items.ok", "$[0]"} {
		p, err := vendor.ParsePath(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if v, ok := p.Lookup(doc); ok {
			t.Errorf("%s found %v", path, v)
		}
	}
}

func TestParsePathRefuses(t *testing.T) {
	for path, want := range map[string]string{
		"valid":                   "starts with $",
		"$.":                      "member name is missing",
		"$..a":                    "descendant segment",
		"$.*":                     "wildcard",
		"$[*]":                    "wildcard",
		"$[1:2]":                  "slices",
		"$[?(@.a)]":               "filters",
		"$['a','b']":              "lists of selectors",
		"$['a":                    "unclosed quote",
		"$['a'x]":                 "] expected",
		"$[0":                     "unclosed",
		"$a":                      `unexpected 'a'`,
		"$.a]":                    `unexpected ']'`,
		"$[99999999999999999999]": "too large",
		"$[9007199254740992]":     "too large",
	} {
		_, err := vendor.ParsePath(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", path, err, want)
		}
	}
}

// TestParsePathFollowsRFC9535 holds cases of each rule of RFC 9535's grammar that the subset
// shares: the name each valid path reads, and the refusal of each invalid one.
func TestParsePathFollowsRFC9535(t *testing.T) {
	valid := []struct{ path, normalized string }{
		// member-name-shorthand: name-first = ALPHA / "_" / non-ASCII; then digits too.
		{"$.a", "$['a']"},
		{"$._x9", "$['_x9']"},
		{"$.a1b", "$['a1b']"},
		{"$.☺", "$['☺']"},
		{"$.Ω_1", "$['Ω_1']"},
		// whitespace (S) is allowed before a segment and inside brackets.
		{"$ .a", "$['a']"},
		{"$\t['a']", "$['a']"},
		{"$[ 'a' ]", "$['a']"},
		{"$[\n0\r]", "$[0]"},
		{"$.a .b", "$['a']['b']"},
		// int: 0, negative, no leading zero, within I-JSON.
		{"$[0]", "$[0]"},
		{"$[-1]", "$[-1]"},
		{"$[9007199254740991]", "$[9007199254740991]"},
		{"$[-9007199254740991]", "$[-9007199254740991]"},
		// string-literal escapes, both quotes.
		{`$["a\"b"]`, `$['a"b']`},
		{`$['a\'b']`, `$['a\'b']`},
		{`$["a'b"]`, `$['a\'b']`},
		{`$['a"b']`, `$['a"b']`},
		{`$['\b\f\n\r\t']`, `$['\b\f\n\r\t']`},
		{`$['\/']`, `$['/']`},
		{`$['\\']`, `$['\\']`},
		{`$['\u263A']`, `$['☺']`},
		{`$['\u263a']`, `$['☺']`},
		{`$['\uD834\uDD1E']`, `$['𝄞']`},
		{`$['\ud834\udd1e']`, `$['𝄞']`},
		{`$['\u0001']`, `$['\u0001']`},
		{`$['']`, `$['']`},
		{`$['a.b']`, `$['a.b']`},
	}
	for _, tc := range valid {
		p, err := vendor.ParsePath(tc.path)
		if err != nil {
			t.Errorf("%q: %v", tc.path, err)
			continue
		}
		if p.Normalized() != tc.normalized {
			t.Errorf("%q normalizes to %q, want %q", tc.path, p.Normalized(), tc.normalized)
		}
	}
	invalid := []string{
		// whitespace after the dot, before the root, at the end.
		"$. a", " $.a", "$.a ", "$\t",
		// member-name-shorthand may not start with a digit or hold punctuation.
		"$.1a", "$.a-b", "$.a b", "$.@", "$.a\u007f",
		// control characters unescaped in a quoted name.
		"$['\u0000']", "$['a\nb']", "$['\u001f']", "$[\"\t\"]",
		// unknown escapes, the other quote escaped, bad \u.
		`$['\a']`, `$['\x41']`, `$['\"']`, `$["\'"]`, `$['\u26']`, `$['\u12G4']`, `$['\u+123']`,
		// lone or misordered surrogates.
		`$['\uD834']`, `$['\uD834x']`, `$['\uDD1E']`, `$['\uD834\u0041']`,
		// int rules: leading zeros, minus zero, out of I-JSON range.
		"$[01]", "$[-0]", "$[-01]", "$[9007199254740992]", "$[1e2]", "$[+1]",
		// a value written into the path.
		"$.valid = true", "$.valid==true",
	}
	for _, path := range invalid {
		if p, err := vendor.ParsePath(path); err == nil {
			t.Errorf("%q accepted as %s", path, p.Normalized())
		}
	}
}

// FuzzParsePath: any text parses or is refused; a parsed path re-serialised in normalized
// form parses back to the same path, finding the same value in any document.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"$.valid", "$.data.items[0]['ok']", `$["a\"b"]`, "$..x", "$[", "$['", "$[-1]",
		`$['\uD834\uDD1E']`, "$ [ 'a' ]", `$['\u0007']`, "$.☺"} {
		f.Add(s, `{"valid":true,"data":{"items":[{"ok":1}]}}`)
	}
	f.Fuzz(func(t *testing.T, path, body string) {
		p, err := vendor.ParsePath(path)
		if err != nil {
			return
		}
		if p.String() != path {
			t.Fatalf("String() = %q for %q", p.String(), path)
		}
		n := p.Normalized()
		q, err := vendor.ParsePath(n)
		if err != nil {
			t.Fatalf("%q normalizes to %q, which is refused: %v", path, n, err)
		}
		if q.Normalized() != n {
			t.Fatalf("%q -> %q -> %q", path, n, q.Normalized())
		}
		var doc any
		if json.Unmarshal([]byte(body), &doc) == nil {
			v1, ok1 := p.Lookup(doc)
			v2, ok2 := q.Lookup(doc)
			if ok1 != ok2 || !reflect.DeepEqual(v1, v2) {
				t.Fatalf("%q finds %v %v, %q finds %v %v", path, v1, ok1, n, v2, ok2)
			}
		}
	})
}
