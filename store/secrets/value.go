package secrets

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
)

// redacted is what a Value shows of itself anywhere it could be printed.
const redacted = "[redacted]"

// Value is a secret's content. It formats, logs and marshals as "[redacted]", so a secret
// passed to fmt, slog or encoding/json by mistake does not leak; Reveal and Bytes are the
// only ways to read it.
type Value struct {
	b []byte
}

// NewValue returns a Value holding a copy of b.
func NewValue(b []byte) Value {
	return Value{b: append([]byte(nil), b...)}
}

// StringValue returns a Value holding s, for passwords and tokens.
func StringValue(s string) Value {
	return Value{b: []byte(s)}
}

// Reveal returns the secret as text, to hand to the one call that needs it.
func (v Value) Reveal() string { return string(v.b) }

// Bytes returns a copy of the secret.
func (v Value) Bytes() []byte { return append([]byte(nil), v.b...) }

// Len is the secret's length in bytes.
func (v Value) Len() int { return len(v.b) }

// IsZero reports whether the value is empty.
func (v Value) IsZero() bool { return len(v.b) == 0 }

// Equal compares two secrets in constant time.
func (v Value) Equal(o Value) bool { return subtle.ConstantTimeCompare(v.b, o.b) == 1 }

// String returns "[redacted]".
func (Value) String() string { return redacted }

// GoString returns "[redacted]", for %#v.
func (Value) GoString() string { return redacted }

// Format writes "[redacted]" for every verb, so %x or %q do not bypass String.
func (Value) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue returns "[redacted]" for slog.
func (Value) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON returns "[redacted]" as a JSON string.
func (Value) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[redacted]", for encoders that use encoding.TextMarshaler.
func (Value) MarshalText() ([]byte, error) { return []byte(redacted), nil }
