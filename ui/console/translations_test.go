package console

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"enrollstation/assets"
	"enrollstation/enroll"
)

// Every string the screen shows has its key in the English file, with the same text as
// the fallback in the code, so that the Japanese file (checked by assets) covers it.
func TestEveryShownStringIsTranslated(t *testing.T) {
	en, err := assets.Translations("en")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`lang\.X\("([^"]+)", "([^"]*)"`)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			n++
			if got, ok := en[m[1]]; !ok || got != m[2] {
				t.Errorf("%s: key %s is %q in console.en.json, %q in the code", f, m[1], got, m[2])
			}
		}
		if c := strings.Count(string(b), "lang.X("); c != len(call.FindAllString(string(b), -1)) {
			t.Errorf("%s: %d lang.X calls, %d with a literal key and fallback", f, c, len(call.FindAllString(string(b), -1)))
		}
	}
	if n == 0 {
		t.Error("no lang.X calls found")
	}
}

// Every rule of the validator is worded in every language, by its code: its English is
// the rule's own text.
func TestEveryRuleIsWorded(t *testing.T) {
	rules := enroll.VendorRules()
	if len(rules) == 0 {
		t.Fatal("no rules")
	}
	for _, l := range assets.Languages {
		tr, err := assets.Translations(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			got, ok := tr["console.rule."+string(r.Rule)]
			if !ok || strings.TrimSpace(got) == "" {
				t.Errorf("%s: rule %s is not worded", l, r.Rule)
			}
			if l == "en" && got != r.Text {
				t.Errorf("rule %s is %q in English, %q in the validator", r.Rule, got, r.Text)
			}
		}
	}
}
