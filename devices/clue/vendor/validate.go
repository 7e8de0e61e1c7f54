package vendor

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Violation is one broken rule, naming the field.
type Violation struct {
	Rule    Rule   `json:"rule"`
	Field   string `json:"field"` // e.g. "headers[1].key"
	Message string `json:"message"`
}

// String reads "field: message".
func (v Violation) String() string { return v.Field + ": " + v.Message }

// Violations are the broken rules of a configuration; nil when it is valid.
type Violations []Violation

// Error lists the violations, one a line.
func (vs Violations) Error() string {
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = v.String()
	}
	return strings.Join(lines, "\n")
}

// Has reports whether a rule is broken.
func (vs Violations) Has(r Rule) bool {
	for _, v := range vs {
		if v.Rule == r {
			return true
		}
	}
	return false
}

type checker struct{ out Violations }

func (c *checker) add(r Rule, field, format string, a ...any) {
	c.out = append(c.out, Violation{Rule: r, Field: field, Message: fmt.Sprintf(format, a...)})
}

// Validate applies every rule that depends on the configuration alone.
func Validate(cfg Config) Violations {
	var c checker
	c.basics(cfg)
	c.headers(cfg.Headers)
	c.fields(cfg)
	c.judgment(cfg.Judgment)
	return c.out
}

// SaveState is what the place group holds when an API is saved.
type SaveState struct {
	// Registered are the other APIs of the place group (not the one being edited).
	Registered []Config
	// Original is the saved version of the API being edited; nil for a new one.
	Original *Config
	// LastTest is the latest test call of this configuration; nil when none was run.
	LastTest *TestResult
}

// ValidateSave applies every rule for saving: Validate's, the limit of APIs per auth type,
// the lock of the auth type, and the need for a successful test.
func ValidateSave(cfg Config, s SaveState) Violations {
	vs := Validate(cfg)
	vs = append(vs, registrationRules(cfg, s.Registered, s.Original)...)
	if s.LastTest == nil || !s.LastTest.Success {
		why := "no test was run"
		if s.LastTest != nil {
			why = "the last test got no JSON response (" + string(s.LastTest.Class) + ")"
		}
		vs = append(vs, Violation{Rule: RuleSaveTested, Field: "test",
			Message: "saving needs a test that received a response from the vendor: " + why})
	}
	return vs
}

// registrationRules are the rules that depend on the APIs already registered.
func registrationRules(cfg Config, registered []Config, original *Config) Violations {
	var c checker
	if original != nil && original.AuthType != cfg.AuthType {
		c.add(RuleAuthTypeLocked, "authType", "the auth type cannot be changed after saving (it was %s); register a new API instead", original.AuthType)
	}
	n := 0
	for _, r := range registered {
		if r.AuthType == cfg.AuthType {
			n++
		}
	}
	if n >= MaxAPIsPerType && cfg.AuthType != "" {
		c.add(RuleAuthTypeLimit, "authType", "%s already has %d APIs registered, the most a credential type can have", cfg.AuthType, n)
	}
	return c.out
}

func (c *checker) basics(cfg Config) {
	switch n := utf8.RuneCountInString(cfg.Name); {
	case strings.TrimSpace(cfg.Name) == "":
		c.add(RuleNameRequired, "name", "the name is required")
	case n > MaxNameLength:
		c.add(RuleNameLength, "name", "the name has %d characters, at most %d are allowed", n, MaxNameLength)
	}
	switch {
	case cfg.AuthType == "":
		c.add(RuleAuthTypeRequired, "authType", "the auth type is required")
	case !cfg.AuthType.Known():
		c.add(RuleAuthTypeKnown, "authType", "%q is not an auth type (one of FACE, FINGERPRINT, RF_CARD, USER_PIN, CLUE_QR, CUSTOM_QR)", cfg.AuthType)
	}
	u := cfg.WebhookURL
	switch {
	case strings.TrimSpace(u) == "":
		c.add(RuleURLRequired, "webhookUrl", "the webhook URL is required")
		return
	case !strings.HasPrefix(u, "https://"):
		c.add(RuleURLHTTPS, "webhookUrl", "the webhook URL must start with https:// (CLUe does not call http:// URLs)")
	}
	if n := utf8.RuneCountInString(u); n > MaxURLLength {
		c.add(RuleURLLength, "webhookUrl", "the webhook URL has %d characters, at most %d are allowed", n, MaxURLLength)
	}
	if p, err := url.Parse(u); err != nil || p.Host == "" || p.Hostname() == "" || p.User != nil {
		c.add(RuleURLFormat, "webhookUrl", "%q is not a URL with a host name", shorten(u))
	}
}

func (c *checker) headers(hs []Header) {
	if len(hs) > MaxHeaders {
		c.add(RuleHeadersCount, "headers", "%d custom headers, at most %d are allowed", len(hs), MaxHeaders)
	}
	seen := map[string]int{}
	for i, h := range hs {
		f := fmt.Sprintf("headers[%d].key", i)
		key := strings.TrimSpace(h.Key)
		if key == "" {
			c.add(RuleHeaderKeyRequired, f, "the header key is empty")
			continue
		}
		if !validHeaderName(key) {
			c.add(RuleHeaderKeyFormat, f, "%q is not a valid HTTP header name (letters, digits and !#$%%&'*+-.^_`|~ only)", shorten(key))
		}
		lower := strings.ToLower(key)
		if lower == "content-type" || lower == "accept" {
			c.add(RuleHeaderReserved, f, "%s is sent by CLUe as application/json and cannot be added", key)
		}
		if j, dup := seen[lower]; dup {
			c.add(RuleHeaderDuplicate, f, "%q repeats the key of headers[%d] (keys ignore case)", key, j)
		} else {
			seen[lower] = i
		}
		if strings.ContainsFunc(h.Value, func(r rune) bool { return (r < ' ' && r != '\t') || r == 0x7f }) {
			c.add(RuleHeaderValueFormat, fmt.Sprintf("headers[%d].value", i), "the value of %s has a line break or a control character", key)
		}
	}
}

// validHeaderName checks the token grammar of RFC 9110 5.6.2.
func validHeaderName(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("!#$%&'*+-.^_`|~", r):
		default:
			return false
		}
	}
	return s != ""
}

func (c *checker) fields(cfg Config) {
	keys := map[string]string{} // request key -> the field that has it
	count := 0
	placeholders := map[string]int{}
	for i, a := range cfg.AutoFields {
		f := fmt.Sprintf("autoFields[%d]", i)
		if _, ok := findPlaceholder(a.Placeholder); !ok {
			c.add(RuleAutoPlaceholder, f+".placeholder", "%q is not a placeholder (one of {{DEVICE_SERIAL}}, {{USER_KEY}}, {{CARD_NUMBER}}, {{UNIQUE_PIN}}, {{QR_CODE}})", shorten(a.Placeholder))
		} else if j, dup := placeholders[a.Placeholder]; dup {
			c.add(RuleAutoPlaceholderOnce, f+".placeholder", "%s is already the placeholder of autoFields[%d]", a.Placeholder, j)
		} else {
			placeholders[a.Placeholder] = i
		}
		if !a.Enabled {
			continue
		}
		count++
		if _, ok := findPlaceholder(a.Placeholder); ok && cfg.AuthType.Known() && !Available(cfg.AuthType, a.Placeholder) {
			c.add(RuleAutoAvailable, f+".placeholder", "%s is not available for %s", a.Placeholder, cfg.AuthType)
		}
		if strings.TrimSpace(a.Key) == "" {
			c.add(RuleAutoKeyRequired, f+".key", "the key of the %s field is empty", a.Placeholder)
			continue
		}
		if other, dup := keys[a.Key]; dup {
			c.add(RuleFieldDuplicate, f+".key", "%q is already the key of %s", a.Key, other)
		} else {
			keys[a.Key] = f
		}
	}
	for i, m := range cfg.ManualFields {
		f := fmt.Sprintf("manualFields[%d]", i)
		count++
		if strings.TrimSpace(m.Name) == "" {
			c.add(RuleManualNameRequired, f+".name", "the field name is empty")
		} else if other, dup := keys[m.Name]; dup {
			c.add(RuleFieldDuplicate, f+".name", "%q is already the key of %s", m.Name, other)
		} else {
			keys[m.Name] = f
		}
		if !m.Type.Known() {
			c.add(RuleManualType, f+".type", "%q is not STRING, NUMBER or BOOLEAN", m.Type)
		} else if _, err := typedValue(m.Type, string(m.Value)); err != nil {
			c.add(RuleManualValue, f+".value", "%v, so it cannot be sent as %s", err, m.Type)
		}
	}
	if count > MaxFields {
		c.add(RuleFieldsCount, "fields", "%d auto and manual fields, at most %d are allowed together", count, MaxFields)
	}
}

func (c *checker) judgment(j Judgment) {
	if len(j.StatusCodes) == 0 && j.SuccessResult == nil {
		c.add(RuleJudgmentRequired, "judgment", "give status codes, a success result, or both")
	}
	if len(j.StatusCodes) > MaxStatusCodes {
		c.add(RuleStatusCount, "judgment.statusCodes", "%d status codes, at most %d are allowed", len(j.StatusCodes), MaxStatusCodes)
	}
	seen := map[int]int{}
	for i, s := range j.StatusCodes {
		f := fmt.Sprintf("judgment.statusCodes[%d]", i)
		n, err := strconv.Atoi(s.String())
		if err != nil || n < 100 || n > 399 {
			c.add(RuleStatusRange, f, "%s is not an integer from 100 to 399 (4xx and 5xx cannot mean success)", s)
			continue
		}
		if k, dup := seen[n]; dup {
			c.add(RuleStatusDuplicate, f, "%d is already judgment.statusCodes[%d]", n, k)
		} else {
			seen[n] = i
		}
	}
	if r := j.SuccessResult; r != nil {
		var missing []string
		if strings.TrimSpace(r.Key) == "" {
			missing = append(missing, "key")
		}
		if r.Value == "" {
			missing = append(missing, "value")
		}
		if r.Type == "" {
			missing = append(missing, "data format")
		}
		if len(missing) > 0 {
			c.add(RuleResultComplete, "judgment.successResult", "the success result needs its %s", strings.Join(missing, " and "))
		}
		if r.Type != "" && !r.Type.Known() {
			c.add(RuleResultType, "judgment.successResult.type", "%q is not BOOLEAN, STRING or NUMBER", r.Type)
		} else if r.Type != "" && r.Value != "" {
			if _, err := typedValue(r.Type, string(r.Value)); err != nil {
				c.add(RuleResultValue, "judgment.successResult.value", "%v, so it can never equal a %s", err, r.Type)
			}
		}
		if r.Key != "" {
			c.path("judgment.successResult.key", r.Key)
		}
	}
	if j.SuccessMessage != "" {
		c.path("judgment.successMessage", j.SuccessMessage)
	}
	if j.FailureMessage != "" {
		c.path("judgment.failureMessage", j.FailureMessage)
	}
}

func (c *checker) path(field, p string) {
	if n := utf8.RuneCountInString(p); n > MaxPathLength {
		c.add(RulePathLength, field, "the JSONPath has %d characters, at most %d are allowed", n, MaxPathLength)
	}
	if !strings.HasPrefix(p, "$.") {
		c.add(RulePathFormat, field, "%q must start with $. (e.g. $.message)", shorten(p))
		return
	}
	if _, err := ParsePath(p); err != nil {
		c.add(RulePathFormat, field, "%q: %v", shorten(p), err)
	}
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		return string(r[:60]) + "…"
	}
	return s
}
