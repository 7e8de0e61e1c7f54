package ef45

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"enrollstation/devices/internal/lenient"
)

// The EF-45 wire model settles the gaps and contradictions of spec 003 (see
// specs/README.md and specs/ef45-wire.md). Each service's records sit beside it
// (camera.go, biometric.go, subjects.go, ...); this file holds what they share: the
// lenient scalars, the envelopes and the client's own records. Decoding is lenient
// (unknown fields, missing fields, numbers sent as strings, text sent as numbers);
// encoding uses the documented shape. The simulator serves exactly these shapes.

// Int is a JSON integer that also decodes from a numeric string (ef45-wire.md: the
// firmware is not consistent about quoting numbers). A fraction is an error.
type Int = lenient.Int

// Float is a JSON number that also decodes from a numeric string.
type Float = lenient.Float

// Bool is a JSON boolean that also decodes from "true"/"false" strings and 0/1.
type Bool = lenient.Bool

// Text is a JSON string that also decodes from a number: the firmware sends ids, cards,
// PINs and versions unquoted when they are all digits. The records keep such fields as
// string and decode them through Text.
type Text = lenient.Text

// Timestamp is a device time. Spec 003 shows RFC 3339 with Z ("2018-05-28T14:26:26Z");
// values without a zone are taken as UTC, and an unparseable value decodes to the zero
// time rather than failing a whole list (the raw text is kept in Raw).
type Timestamp struct {
	time.Time
	Raw string
}

var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// UnmarshalJSON parses the layouts the device is seen to send.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		s = string(bytes.Trim(b, `"`))
	}
	*t = Timestamp{Raw: s}
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			break
		}
	}
	return nil
}

// MarshalJSON writes RFC 3339 in UTC, or the raw text when the time did not parse.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.Time.IsZero() {
		return json.Marshal(t.Raw)
	}
	return json.Marshal(t.Time.UTC().Format(time.RFC3339))
}

// List is the envelope of every list answer (ef45-wire.md "Envelopes").
type List[T any] struct {
	StatusCode   Int    `json:"status_code"`
	ReasonPhrase string `json:"reason_phrase"`
	Items        []T    `json:"items"`
	Page         Int    `json:"page"`
	PageSize     Int    `json:"page_size"`
	HasMore      Bool   `json:"has_more"`
	Total        Int    `json:"total"`
}

// Result is the answer of camera control and control calls (ef45-wire.md "Envelopes").
// On failure Status carries the SDK code when there is one ("-200" already started); the
// firmware may send the code as a number (-200), which keeps its text.
type Result struct {
	Success Bool   `json:"success"`
	Status  string `json:"status"`
}

// UnmarshalJSON decodes status as text or number.
func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	w := struct {
		*plain
		Status Text `json:"status"`
	}{(*plain)(r), Text(r.Status)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	r.Status = string(w.Status)
	return nil
}

// errorBody is the body of a 4xx/5xx answer.
type errorBody struct {
	StatusCode   Int  `json:"status_code"`
	ReasonPhrase Text `json:"reason_phrase"`
}

// Lock is the answer of POST/PUT /lock. specs/README.md: the lock object is
// {locked, lock_uid}; spec 003 shows only lock_uid. Locked true on POST means the device
// was already held: the answer did not give us the lock.
type Lock struct {
	Locked  Bool   `json:"locked"`
	LockUID string `json:"lock_uid"`
}

// UnmarshalJSON decodes lock_uid as text or number.
func (l *Lock) UnmarshalJSON(b []byte) error {
	type plain Lock
	w := struct {
		*plain
		LockUID Text `json:"lock_uid"`
	}{(*plain)(l), Text(l.LockUID)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	l.LockUID = string(w.LockUID)
	return nil
}

// Version is the answer of GET /version.
type Version struct {
	Version string `json:"version"`
}

// UnmarshalJSON decodes version as text or number (1.3).
func (v *Version) UnmarshalJSON(b []byte) error {
	var w struct {
		Version Text `json:"version"`
	}
	w.Version = Text(v.Version)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Version = string(w.Version)
	return nil
}

// unmarshal decodes device JSON, wrapping a failure as ErrMalformed.
func unmarshal(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return nil
}
