package clue

import (
	"encoding/json"
	"fmt"
	"time"

	"enrollstation/devices/internal/lenient"
)

// The CLUe wire model is the one place where the gaps and contradictions of specs 000 and
// 001 are settled (see specs/README.md, "CLUe"): this file holds the paths, the scalars and
// the frame every answer shares; auths_wire.go, events_wire.go and accounts_wire.go hold the
// records of each service. Decoding is lenient (numbers sent as strings, both field
// spellings, unknown fields ignored); encoding uses the shape the samples send. The simulator
// in cluesim serves and accepts exactly these shapes.

// Paths. The text of 000 says /v1/places/{placeId}/auths and /v1/events?placeId=, its samples
// send /v1/be/..., and 001 uses /v1/events/places/{placeId}: the prefix is a setting
// (PrefixV1 or PrefixBE) and everything after it is the same under both.
const (
	// PrefixV1 is the path prefix of the text of spec 000 and of spec 001.
	PrefixV1 = "/v1"
	// PrefixBE is the path prefix the curl samples of spec 000 send.
	PrefixBE = "/v1/be"
	// DefaultBaseURL is the CLUe cloud named by both specs.
	DefaultBaseURL = "https://api.moon.supremainc.com"

	// PathLoginPhone is spec 001 "Login", relative to the base URL: the account calls live
	// under /v1 whatever prefix the place calls take (001 and its C# sample never send /v1/be).
	PathLoginPhone = "/v1/accounts/login/phone"
	// PathPlaceAuths is spec 000 "Register User": POST {prefix}/places/{placeId}/auths.
	PathPlaceAuths = "/places/%d/auths"
	// PathAuth is spec 000 "Update User" (PUT) and "Delete User" (DELETE). The place is not
	// in the path: an authId is unique across places.
	PathAuth = "/places/auths/%d"
	// PathEvents is spec 000 "Retrieve Logs": GET {prefix}/events?...&placeId=N.
	PathEvents = "/events"
	// PathPlaceEvents is spec 001 "Retrieve Logs": GET {prefix}/events/places/{placeId}.
	PathPlaceEvents = "/events/places/%d"
)

// MaxEventWindow is the longest startTime..endTime range one events call may ask for
// (spec 000 "Retrieve Logs": startTime "must be within 7 days from the end date"). A range
// with endTime-startTime greater than this is refused; exactly 7 days is accepted.
const MaxEventWindow = 7 * 24 * time.Hour

// MaxFaceImages is the number of face images one auth may carry (spec 000 Register User,
// auth.credentials.faceImages: "maximum of 2 images").
const MaxFaceImages = 2

// MinFaceSide is the smallest width and height of a face image sent to CLUe
// (specs/README.md "Quality thresholds": at least 250×250 px).
const MinFaceSide = 250

// NoEnd is the endTime the Update User sample of spec 000 sends for an auth without an end
// (2038-01-16, just before the 32-bit epoch limit); we use it when no end is given.
const NoEnd int64 = 2147353200000

// Values of auth.activeStatus, auth.doorAccessType, auth.scheduleType (spec 000 Register User).
const (
	StatusActive     = "ACTIVE"
	StatusInactive   = "INACTIVE"
	DoorAccessAll    = "ALL_DOOR"
	DoorAccessSome   = "SPECIFIC"
	ScheduleAlways   = "ALWAYS"
	ScheduleSpecific = "SPECIFIC"
)

// CardFormatCSN is the card formatType the sample of spec 000 sends.
const CardFormatCSN = "CSN"

// Event types named by specs 000 and 001 ("Event Explanation" and the samples).
const (
	EventFaceAuthSuccess   = "DEV_FACE_AUTH_SUCCESS"
	EventFaceAuthFail      = "DEV_FACE_AUTH_FAIL"
	EventVendorAuthSuccess = "VENDOR_AUTH_SUCCESS"
	EventDoorRelayOn       = "DEV_DOOR_RELAY_ON"
	EventDoorRelayOff      = "DEV_DOOR_RELAY_OFF"
)

// Int is a JSON integer that also decodes from a numeric string, because the samples quote
// some numbers and not others (000: scheduleId "described as a string, sent as a number").
// A fraction is an error.
type Int = lenient.Int

// ID is an identifier that arrives as a number or as a string: events' logId is 12907987 in
// the sample of 001 and "XjIAM5ABcB2c2xupDI6m" in the sample of 000; userId is a number in
// the field tables and a string ("12345678", a UUID) in every sample. The text is kept as
// written.
type ID = lenient.Text

// Flag is a JSON boolean that also decodes from "true"/"false" and 1/0.
type Flag = lenient.Bool

// Envelope is the frame of every answer (000 and 001 "Response Body": code, status,
// message). A 2xx answer with status false is an error all the same.
type Envelope struct {
	Code    Int    `json:"code"`
	Status  *Flag  `json:"status"`
	Message string `json:"message"`
}

// Failed reports an envelope that says status false.
func (e Envelope) Failed() bool { return e.Status != nil && !bool(*e.Status) }

// errorBody is every error shape seen: the C# samples read {"errors":[{code,message}]}, the
// envelope carries {code,status,message}; some gateways answer {"error":"...","message":...}.
type errorBody struct {
	Errors []struct {
		Code    ID     `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
	Code    ID     `json:"code"`
	Status  any    `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error"`
}

// Headers. 000's tables ask for "Accept: */*", its samples and 001's send
// "Accept: application/json": we send application/json, and Content-Type: application/json
// on every call, GET included, as both tables list it as required. The token goes as
// "Authorization: Bearer <token>" (the 000 sample masks the header but the Update sample and
// 001 show Bearer).

// ParseError reads an error answer of any known shape and returns the code and message it
// carries; both are empty when the body says nothing readable (an HTML page, say).
func ParseError(b []byte) (code, message string) {
	var e errorBody
	if json.Unmarshal(b, &e) != nil {
		return "", ""
	}
	for _, item := range e.Errors {
		if item.Code != "" || item.Message != "" {
			return string(item.Code), item.Message
		}
	}
	msg := e.Message
	if msg == "" {
		msg = e.Error
	}
	return string(e.Code), msg
}

func decodeJSON(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("the answer is not the JSON expected (%s)", describeJSONError(err))
	}
	return nil
}

// describeJSONError keeps the decoder's words but never echoes large parts of the body.
func describeJSONError(err error) string {
	s := err.Error()
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
