// Package vendor is the technician's console for a CLUe Customer API Integration (spec 002):
// a vendor webhook that CLUe calls when someone presents a credential, and whose answer
// grants or denies access. It holds the configuration as the portal's form has it, a
// validator for every input rule of sections 5 and 8-9, the request builder, the test call
// (classified as section 9.3's A, B or C) and the judgment evaluator, so that a webhook can
// be checked before anything is saved in CLUe.
package vendor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// AuthType is the credential an API is registered for (section 2.2). It cannot be changed
// once the API is saved.
type AuthType string

// The six credential types.
const (
	AuthFace        AuthType = "FACE"
	AuthFingerprint AuthType = "FINGERPRINT"
	AuthRFCard      AuthType = "RF_CARD"
	AuthUserPIN     AuthType = "USER_PIN"
	AuthCLUeQR      AuthType = "CLUE_QR"
	AuthCustomQR    AuthType = "CUSTOM_QR"
)

// AuthTypes lists the credential types in the portal's order.
func AuthTypes() []AuthType {
	return []AuthType{AuthFace, AuthFingerprint, AuthRFCard, AuthUserPIN, AuthCLUeQR, AuthCustomQR}
}

// Known reports whether t is one of the six credential types.
func (t AuthType) Known() bool {
	for _, k := range AuthTypes() {
		if t == k {
			return true
		}
	}
	return false
}

// FieldType is the data format of a manual field or of the success result value.
type FieldType string

// The three data formats (sections 5.5 and 5.7).
const (
	TypeString  FieldType = "STRING"
	TypeNumber  FieldType = "NUMBER"
	TypeBoolean FieldType = "BOOLEAN"
)

// Known reports whether t is STRING, NUMBER or BOOLEAN.
func (t FieldType) Known() bool { return t == TypeString || t == TypeNumber || t == TypeBoolean }

// The five placeholders of auto fields (section 5.4); no others exist.
const (
	PlaceholderDeviceSerial = "{{DEVICE_SERIAL}}"
	PlaceholderUserKey      = "{{USER_KEY}}"
	PlaceholderCardNumber   = "{{CARD_NUMBER}}"
	PlaceholderUniquePIN    = "{{UNIQUE_PIN}}"
	PlaceholderQRCode       = "{{QR_CODE}}"
)

// placeholder is a row of the table of section 5.4.
type placeholder struct {
	value      string
	defaultKey string
	types      []AuthType // nil: every type
}

func placeholders() []placeholder {
	return []placeholder{
		{PlaceholderDeviceSerial, "deviceId", nil},
		{PlaceholderUserKey, "userKey", []AuthType{AuthFace, AuthFingerprint, AuthCLUeQR}},
		{PlaceholderCardNumber, "rfCard", []AuthType{AuthRFCard}},
		{PlaceholderUniquePIN, "uniquePin", []AuthType{AuthUserPIN}},
		{PlaceholderQRCode, "qrCode", []AuthType{AuthCustomQR}},
	}
}

func findPlaceholder(v string) (placeholder, bool) {
	for _, p := range placeholders() {
		if p.value == v {
			return p, true
		}
	}
	return placeholder{}, false
}

// Available reports whether an auto field's placeholder exists for the credential type
// (section 5.4, "Availability").
func Available(t AuthType, ph string) bool {
	p, ok := findPlaceholder(ph)
	if !ok {
		return false
	}
	if p.types == nil {
		return true
	}
	for _, a := range p.types {
		if a == t {
			return true
		}
	}
	return false
}

// DefaultAutoFields returns the auto fields the portal offers for a credential type, with
// their default keys, all enabled.
func DefaultAutoFields(t AuthType) []AutoField {
	var out []AutoField
	for _, p := range placeholders() {
		if Available(t, p.value) {
			out = append(out, AutoField{Key: p.defaultKey, Placeholder: p.value, Enabled: true})
		}
	}
	return out
}

// Config is one vendor API as the portal's form has it; its JSON mirrors the form.
type Config struct {
	Name         string        `json:"name"`
	AuthType     AuthType      `json:"authType"`
	WebhookURL   string        `json:"webhookUrl"`
	Headers      []Header      `json:"headers"`
	AutoFields   []AutoField   `json:"autoFields"`
	ManualFields []ManualField `json:"manualFields"`
	Judgment     Judgment      `json:"judgment"`
}

// Header is a custom request header (section 5.3). The value may be a credential of the
// vendor's: it is sent, never shown (see Request.Redacted).
type Header struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// AutoField is a request field the system fills (section 5.4): the key is editable, the
// placeholder is fixed, and only enabled fields are sent.
type AutoField struct {
	Key         string `json:"key"`
	Placeholder string `json:"placeholder"`
	Enabled     bool   `json:"enabled"`
}

// ManualField is a fixed request field (section 5.5); Value is converted to Type when sent.
type ManualField struct {
	Name  string    `json:"name"`
	Type  FieldType `json:"type"`
	Value Text      `json:"value"`
}

// Judgment is how a response is read as granted or denied (section 5.7). StatusCodes are
// kept as written so that the validator can say which one is not an integer.
type Judgment struct {
	StatusCodes    []json.Number  `json:"statusCodes,omitempty"`
	SuccessResult  *SuccessResult `json:"successResult,omitempty"`
	SuccessMessage string         `json:"successMessage,omitempty"`
	FailureMessage string         `json:"failureMessage,omitempty"`
}

// SuccessResult is the one body condition of modes 2 and 3: the value at Key, of Type, equals
// Value.
type SuccessResult struct {
	Key   string    `json:"key"`
	Value Text      `json:"value"`
	Type  FieldType `json:"type"`
}

// Text is a form value: the portal's inputs are text, but a hand-written file may say
// "value": 123 or true, which is read as the text "123" or "true".
type Text string

// UnmarshalJSON accepts a string, a number or a boolean; null is empty.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")), isJSONNumber(string(b)):
		*t = Text(b)
	default:
		return fmt.Errorf("%s is not a text, number or boolean", b)
	}
	return nil
}

// ParseConfig reads a configuration file. Unknown fields are refused, so that a misspelt key
// ("webhookURL") is reported rather than silently ignored.
func ParseConfig(b []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("read the vendor API configuration: %w", err)
	}
	if dec.More() {
		return Config{}, fmt.Errorf("read the vendor API configuration: more than one JSON value")
	}
	return c, nil
}

// isJSONNumber reports whether s is a JSON number literal (no sign but "-", no leading
// zeros, no NaN or Inf), which is what a NUMBER field is sent as.
func isJSONNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	if !json.Valid([]byte(s)) {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}
