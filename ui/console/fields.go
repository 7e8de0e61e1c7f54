package console

import (
	"fmt"
	"strings"

	"enrollstation/enroll"
)

// The fields of the form, named as the engine's violations name them, so that a message
// lands beside the input it is about.
const (
	FieldName           = "name"
	FieldAuthType       = "authType"
	FieldURL            = "webhookUrl"
	FieldHeaders        = "headers" // the count of headers
	FieldFields         = "fields"  // the count of auto and manual fields together
	FieldJudgment       = "judgment"
	FieldStatusCodes    = "judgment.statusCodes" // every status code's message too
	FieldResult         = "judgment.successResult"
	FieldResultKey      = "judgment.successResult.key"
	FieldResultValue    = "judgment.successResult.value"
	FieldResultType     = "judgment.successResult.type"
	FieldSuccessMessage = "judgment.successMessage"
	FieldFailureMessage = "judgment.failureMessage"
	FieldDeviceID       = "test.deviceId"
	FieldUserKey        = "test.userKey"
	FieldCardNumber     = "test.cardNumber"
	FieldPIN            = "test.pin"
	FieldQRCode         = "test.qrCode"
)

// HeaderKey names the key of the i-th custom header.
func HeaderKey(i int) string { return fmt.Sprintf("headers[%d].key", i) }

// HeaderValue names the value of the i-th custom header.
func HeaderValue(i int) string { return fmt.Sprintf("headers[%d].value", i) }

// AutoKey names the key of the i-th auto field.
func AutoKey(i int) string { return fmt.Sprintf("autoFields[%d].key", i) }

// AutoPlaceholder names the placeholder of the i-th auto field.
func AutoPlaceholder(i int) string { return fmt.Sprintf("autoFields[%d].placeholder", i) }

// ManualName names the name of the i-th manual field.
func ManualName(i int) string { return fmt.Sprintf("manualFields[%d].name", i) }

// ManualType names the type of the i-th manual field.
func ManualType(i int) string { return fmt.Sprintf("manualFields[%d].type", i) }

// ManualValue names the value of the i-th manual field.
func ManualValue(i int) string { return fmt.Sprintf("manualFields[%d].value", i) }

// fieldKey is the input a violation's field belongs to: every status code is one entry.
func fieldKey(f string) string {
	if strings.HasPrefix(f, FieldStatusCodes+"[") {
		return FieldStatusCodes
	}
	return f
}

// InputField names the test value an auth type asks for (spec 002, 5.6).
func InputField(t enroll.VendorAuthType) string {
	switch t {
	case enroll.VendorAuthRFCard:
		return FieldCardNumber
	case enroll.VendorAuthUserPIN:
		return FieldPIN
	case enroll.VendorAuthCustomQR:
		return FieldQRCode
	}
	return FieldUserKey
}

// inputValue is the test value an auth type uses.
func inputValue(in enroll.VendorTestInput, t enroll.VendorAuthType) string {
	switch InputField(t) {
	case FieldCardNumber:
		return in.CardNumber
	case FieldPIN:
		return in.PIN
	case FieldQRCode:
		return in.QRCode
	}
	return in.UserKey
}

// setInputValue sets the test value an auth type uses.
func setInputValue(in *enroll.VendorTestInput, t enroll.VendorAuthType, v string) {
	switch InputField(t) {
	case FieldCardNumber:
		in.CardNumber = v
	case FieldPIN:
		in.PIN = v
	case FieldQRCode:
		in.QRCode = v
	default:
		in.UserKey = v
	}
}

// parseStatusCodes splits the status code entry ("200, 201") into codes as written, so
// that the validator can say which one is not an integer.
func parseStatusCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\t' })
}

// cloneConfig copies a configuration deeply, so a snapshot shares nothing with the model.
func cloneConfig(c enroll.VendorConfig) enroll.VendorConfig {
	c.Headers = append([]enroll.VendorHeader(nil), c.Headers...)
	c.AutoFields = append([]enroll.VendorAutoField(nil), c.AutoFields...)
	c.ManualFields = append([]enroll.VendorManualField(nil), c.ManualFields...)
	c.Judgment.StatusCodes = append(c.Judgment.StatusCodes[:0:0], c.Judgment.StatusCodes...)
	if r := c.Judgment.SuccessResult; r != nil {
		cp := *r
		c.Judgment.SuccessResult = &cp
	}
	return c
}
