package vendor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Request is the call CLUe makes to the webhook: always POST with JSON (section 5.2).
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte // a JSON object, fields in the configuration's order
}

// MarshalJSON shows the request with credential headers redacted, so that a marshalled
// TestResult never carries the vendor's token.
func (r *Request) MarshalJSON() ([]byte, error) {
	red := r.Redacted()
	body := json.RawMessage(red.Body)
	if !json.Valid(body) {
		body = json.RawMessage("null")
	}
	return json.Marshal(struct {
		Method string          `json:"method"`
		URL    string          `json:"url"`
		Header http.Header     `json:"header"`
		Body   json.RawMessage `json:"body"`
	}{red.Method, red.URL, red.Header, body})
}

// BuildRequest makes the request of a configuration for the given test values: the custom
// headers plus the fixed Content-Type and Accept, and a body of the enabled auto fields
// (placeholders replaced, as strings) followed by the manual fields (converted to their
// type). The configuration should have passed Validate; a manual value that does not convert
// is an error.
func BuildRequest(cfg Config, in TestInput) (*Request, error) {
	h := http.Header{}
	for _, x := range cfg.Headers {
		h.Add(strings.TrimSpace(x.Key), x.Value)
	}
	// Fixed by CLUe (section 5.3), whatever the custom headers say.
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")

	var body bytes.Buffer
	body.WriteByte('{')
	n := 0
	field := func(key string, value any) error {
		k, err := json.Marshal(key)
		if err != nil {
			return err
		}
		v, err := json.Marshal(value)
		if err != nil {
			return err
		}
		if n > 0 {
			body.WriteByte(',')
		}
		n++
		body.Write(k)
		body.WriteByte(':')
		body.Write(v)
		return nil
	}
	for _, a := range cfg.AutoFields {
		if !a.Enabled {
			continue
		}
		if err := field(a.Key, placeholderValue(a.Placeholder, in)); err != nil {
			return nil, fmt.Errorf("auto field %s: %w", a.Key, err)
		}
	}
	for _, m := range cfg.ManualFields {
		v, err := typedValue(m.Type, string(m.Value))
		if err != nil {
			return nil, fmt.Errorf("manual field %s: %w", m.Name, err)
		}
		if err := field(m.Name, v); err != nil {
			return nil, fmt.Errorf("manual field %s: %w", m.Name, err)
		}
	}
	body.WriteByte('}')
	return &Request{Method: http.MethodPost, URL: cfg.WebhookURL, Header: h, Body: body.Bytes()}, nil
}

// placeholderValue is what a placeholder stands for in a test (section 5.6).
func placeholderValue(ph string, in TestInput) string {
	switch ph {
	case PlaceholderDeviceSerial:
		return in.DeviceID
	case PlaceholderUserKey:
		return in.UserKey
	case PlaceholderCardNumber:
		return in.CardNumber
	case PlaceholderUniquePIN:
		return in.PIN
	case PlaceholderQRCode:
		return in.QRCode
	}
	return ""
}

// Redacted returns a copy whose credential-like header values (Authorization, cookies, and
// any header whose name speaks of a key, token, secret, password, signature or session) are
// replaced by a mark, so the request can be shown or logged.
func (r *Request) Redacted() *Request {
	c := *r
	c.Header = r.Header.Clone()
	for k, vs := range c.Header {
		if sensitiveHeader(k) {
			for i := range vs {
				vs[i] = fmt.Sprintf("[redacted, %d characters]", len(vs[i]))
			}
		}
	}
	return &c
}

func sensitiveHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"auth", "cookie", "key", "token", "secret", "pass", "signature", "session", "credential"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
