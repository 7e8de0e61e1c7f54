package vendor_test

import (
	"encoding/json"
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
		"$..a":                    "recursive descent",
		"$.*":                     "wildcard",
		"$[*]":                    "not an array index",
		"$[-1]":                   "not an array index",
		"$[1:2]":                  "not an array index",
		"$[?(@.a)]":               "not an array index",
		"$['a":                    "unclosed quote",
		"$['a'x]":                 "] expected",
		"$[0":                     "unclosed",
		"$a":                      `unexpected 'a'`,
		"$.a]":                    `unexpected ']'`,
		"$[99999999999999999999]": "too large",
	} {
		_, err := vendor.ParsePath(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", path, err, want)
		}
	}
}

// FuzzParsePath: any text parses or is refused, and a parsed path looks up without a panic.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"$.valid", "$.data.items[0]['ok']", `$["a\"b"]`, "$..x", "$[", "$['"} {
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
		var doc any
		if json.Unmarshal([]byte(body), &doc) == nil {
			_, _ = p.Lookup(doc)
		}
	})
}
