package vendor

import (
	"strings"
	"unicode/utf8"
)

// TestInput is what the test console asks for (section 5.6): the device serial always, and
// the value the auth type uses.
type TestInput struct {
	DeviceID   string `json:"deviceId"`
	UserKey    string `json:"userKey,omitempty"`    // FACE, FINGERPRINT, CLUE_QR
	CardNumber string `json:"cardNumber,omitempty"` // RF_CARD
	PIN        string `json:"pin,omitempty"`        // USER_PIN
	QRCode     string `json:"qrCode,omitempty"`     // CUSTOM_QR
}

// Validate checks the test values for a credential type (sections 5.6, 8 and 9.3 A).
func (in TestInput) Validate(t AuthType) Violations {
	var c checker
	if n := len(in.DeviceID); n < 9 || n > 12 || strings.Trim(in.DeviceID, "0123456789") != "" {
		c.add(RuleTestDeviceID, "test.deviceId", "the device ID must be a 9-12 digit number (the device serial), not %q", shorten(in.DeviceID))
	}
	switch t {
	case AuthFace, AuthFingerprint, AuthCLUeQR:
		n := utf8.RuneCountInString(in.UserKey)
		bad := strings.ContainsFunc(in.UserKey, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_@.", r))
		})
		if n < 1 || n > MaxUserKeyChars || bad {
			c.add(RuleTestUserKey, "test.userKey", "the user key must have 1-%d letters, digits, -, _, @ or . (got %q)", MaxUserKeyChars, shorten(in.UserKey))
		}
	case AuthRFCard:
		if strings.TrimSpace(in.CardNumber) == "" {
			c.add(RuleTestValue, "test.cardNumber", "an RF_CARD test needs the card number")
		}
	case AuthUserPIN:
		if strings.TrimSpace(in.PIN) == "" {
			c.add(RuleTestValue, "test.pin", "a USER_PIN test needs the PIN")
		}
	case AuthCustomQR:
		if strings.TrimSpace(in.QRCode) == "" {
			c.add(RuleTestValue, "test.qrCode", "a CUSTOM_QR test needs the QR payload")
		}
	}
	return c.out
}
