package clue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file is the CLUe wire model: the one place where the gaps and contradictions of
// specs 000 and 001 are settled (see specs/README.md, "CLUe"). Decoding is lenient (numbers
// sent as strings, both field spellings, unknown fields ignored); encoding uses the shape
// the samples send. The simulator in cluesim serves and accepts exactly these shapes.

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

	// PathLoginPhone is spec 001 "Login", relative to the prefix.
	PathLoginPhone = "/accounts/login/phone"
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
type Int int64

// UnmarshalJSON accepts 12, "12", 12.0, "" and null.
func (n *Int) UnmarshalJSON(b []byte) error {
	s := unquote(b)
	if s == "" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return fmt.Errorf("%s is not an integer", shorten(b))
	}
	*n = Int(f)
	return nil
}

// ID is an identifier that arrives as a number or as a string: events' logId is 12907987 in
// the sample of 001 and "XjIAM5ABcB2c2xupDI6m" in the sample of 000; userId is a number in
// the field tables and a string ("12345678", a UUID) in every sample. We keep the text.
type ID string

// UnmarshalJSON accepts a string, a number (kept as written) or null (empty).
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*id = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s is not an identifier", shorten(b))
		}
		*id = ID(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("%s is not an identifier", shorten(b))
		}
		*id = ID(n.String())
	}
	return nil
}

// Envelope is the frame of every answer (000 and 001 "Response Body": code, status,
// message). A 2xx answer with status false is an error all the same.
type Envelope struct {
	Code    Int    `json:"code"`
	Status  *Flag  `json:"status"`
	Message string `json:"message"`
}

// Failed reports an envelope that says status false.
func (e Envelope) Failed() bool { return e.Status != nil && !bool(*e.Status) }

// Flag is a JSON boolean that also decodes from "true"/"false" and 1/0.
type Flag bool

// UnmarshalJSON accepts true, "true", 1 and their opposites; null is false.
func (f *Flag) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(unquote(b)) {
	case "true", "1":
		*f = true
	case "false", "0", "":
		*f = false
	default:
		return fmt.Errorf("%s is not true or false", shorten(b))
	}
	return nil
}

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

// Card is one entry of auth.credentials.cards. 000 describes the list as decimal card ids
// but the sample sends objects {"cardNumber":"12345","formatType":"CSN"}; we send objects and
// decode either shape.
type Card struct {
	CardNumber string `json:"cardNumber"`
	FormatType string `json:"formatType"`
}

// UnmarshalJSON accepts {"cardNumber":..,"formatType":..}, a bare number or a bare string.
func (c *Card) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var w struct {
			CardNumber ID     `json:"cardNumber"`
			FormatType string `json:"formatType"`
		}
		if err := json.Unmarshal(b, &w); err != nil {
			return fmt.Errorf("card: %w", err)
		}
		*c = Card{CardNumber: string(w.CardNumber), FormatType: w.FormatType}
		return nil
	}
	var id ID
	if err := id.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("card: %w", err)
	}
	*c = Card{CardNumber: string(id), FormatType: CardFormatCSN}
	return nil
}

// UserBody is "user" of Register User.
type UserBody struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// CredentialsBody is auth.credentials. Name is sent by the Update User sample
// (credentials.name); the Update table lists a "name" too, which we read as this one.
type CredentialsBody struct {
	Cards      []Card   `json:"cards"`
	FaceImages []string `json:"faceImages,omitempty"`
	Name       string   `json:"name,omitempty"`
}

// AuthBody is "auth" of Register User. ScheduleID is a number: the table says String, the
// sample sends 333; we send a number (null when the schedule is ALWAYS) and read both.
type AuthBody struct {
	ActiveStatus   string          `json:"activeStatus"`
	StartTime      int64           `json:"startTime"`
	EndTime        int64           `json:"endTime"`
	DoorAccessType string          `json:"doorAccessType"`
	DoorIDs        []int64         `json:"doorIds"`
	ScheduleType   string          `json:"scheduleType"`
	ScheduleID     *Int            `json:"scheduleId"`
	Credentials    CredentialsBody `json:"credentials"`
}

// RegisterBody is the request of Register User (spec 000).
type RegisterBody struct {
	User UserBody `json:"user"`
	Auth AuthBody `json:"auth"`
}

// UpdateBody is the request of Update User (spec 000): the auth fields at the top level, as
// the sample sends them. FaceImages left out (omitempty) keeps the faces already registered,
// so a change of validity window does not have to resend photos; an empty list would not be
// sent, so removing every face is done by deleting the auth.
type UpdateBody struct {
	ActiveStatus   string          `json:"activeStatus"`
	StartTime      int64           `json:"startTime"`
	EndTime        int64           `json:"endTime"`
	DoorAccessType string          `json:"doorAccessType"`
	ScheduleType   string          `json:"scheduleType"`
	ScheduleID     *Int            `json:"scheduleId"`
	DoorIDs        []int64         `json:"doorIds"`
	Credentials    CredentialsBody `json:"credentials"`
}

// Door is one of auth.doors in an answer. 000 types doorId as String in the table and a
// number in the sample; Int reads both.
type Door struct {
	DoorID   Int    `json:"doorId"`
	DoorName string `json:"doorName"`
}

// AuthUser is data.user of a Register/Update answer.
type AuthUser struct {
	UserID                 ID     `json:"userId"`
	Key                    string `json:"key"`
	Name                   string `json:"name"`
	RealNameAuthStatusType string `json:"realNameAuthStatusType"`
}

// AuthState is data.auth of a Register/Update answer.
type AuthState struct {
	StartTime      Int    `json:"startTime"`
	EndTime        Int    `json:"endTime"`
	DoorAccessType string `json:"doorAccessType"`
	ScheduleType   string `json:"scheduleType"`
	ScheduleID     *Int   `json:"scheduleId"`
	Doors          []Door `json:"doors"`
	Credentials    struct {
		Modes      []string `json:"modes"`
		FaceImages []string `json:"faceImages"`
		Name       string   `json:"name"`
	} `json:"credentials"`
	ActiveStatus string `json:"activeStatus"`
}

// AuthData is "data" of a Register/Update answer. The field tables list user and auth at the
// top level; the samples nest them in data, which is what we read.
type AuthData struct {
	AuthID         Int       `json:"authId"`
	LastModifiedAt Int       `json:"lastModifiedAt"`
	User           AuthUser  `json:"user"`
	Auth           AuthState `json:"auth"`
}

// AuthAnswer is the answer of Register User and Update User.
type AuthAnswer struct {
	Envelope
	Data *AuthData `json:"data"`
}

// Headers. 000's tables ask for "Accept: */*", its samples and 001's send
// "Accept: application/json": we send application/json, and Content-Type: application/json
// on every call, GET included, as both tables list it as required. The token goes as
// "Authorization: Bearer <token>" (the 000 sample masks the header but the Update sample and
// 001 show Bearer).

// LoginBody is the request of the phone login (spec 001 "Login"). 001 returns a refresh
// token but documents no call that takes it, so a refused access token is renewed by logging
// in again (auth.go); the refresh token is kept for callers.
type LoginBody struct {
	CountryCode    string `json:"countryCode"`
	Phone          string `json:"phone"`
	Password       string `json:"password"`
	AccountType    string `json:"accountType"`
	AuthDeviceType string `json:"authDeviceType"`
}

// LoginData is "data" of the phone login answer.
type LoginData struct {
	AccountID     Int    `json:"accountId"`
	AccountType   string `json:"accountType"`
	AccountStatus string `json:"accountStatus"`
	Name          string `json:"name"`
	CountryCode   string `json:"countryCode"`
	Phone         string `json:"phone"`
	AccessToken   string `json:"accessToken"`
	RefreshToken  string `json:"refreshToken"`
}

// LoginAnswer is the answer of the phone login.
type LoginAnswer struct {
	Envelope
	Data *LoginData `json:"data"`
}

// EventWire is one item of an events answer. The field tables say useName, the samples say
// userName: both are read (userName wins). logId and userId are number or string (ID).
type EventWire struct {
	LogID      ID     `json:"logId"`
	EventAt    Int    `json:"eventAt"`
	PlaceID    Int    `json:"placeId"`
	DeviceID   Int    `json:"deviceId"`
	DoorID     Int    `json:"doorId"`
	DoorName   string `json:"doorName,omitempty"`
	AuthID     Int    `json:"authId,omitempty"`
	UserID     ID     `json:"userId,omitempty"`
	UserName   string `json:"userName,omitempty"`
	UseName    string `json:"useName,omitempty"`
	LocalLogID Int    `json:"localLogId"`
	EventType  string `json:"eventType"`
}

// EventsAnswer is the answer of both events endpoints. total counts every event matching the
// query, not only this page (000 and 001: "total number of retrieved logs").
type EventsAnswer struct {
	Envelope
	Total Int         `json:"total"`
	Data  []EventWire `json:"data"`
}

// Event is one CLUe event, with the spelling differences settled.
type Event struct {
	LogID      string    `json:"logId"`
	EventAt    time.Time `json:"eventAt"`
	PlaceID    int64     `json:"placeId"`
	DeviceID   int64     `json:"deviceId,omitempty"`
	DoorID     int64     `json:"doorId,omitempty"`
	DoorName   string    `json:"doorName,omitempty"`
	AuthID     int64     `json:"authId,omitempty"`
	UserID     string    `json:"userId,omitempty"`
	UserName   string    `json:"userName,omitempty"`
	LocalLogID int64     `json:"localLogId"`
	Type       string    `json:"eventType"`
}

// Event converts the wire item.
func (w EventWire) Event() Event {
	name := w.UserName
	if name == "" {
		name = w.UseName
	}
	return Event{
		LogID:      string(w.LogID),
		EventAt:    time.UnixMilli(int64(w.EventAt)),
		PlaceID:    int64(w.PlaceID),
		DeviceID:   int64(w.DeviceID),
		DoorID:     int64(w.DoorID),
		DoorName:   w.DoorName,
		AuthID:     int64(w.AuthID),
		UserID:     string(w.UserID),
		UserName:   name,
		LocalLogID: int64(w.LocalLogID),
		Type:       w.EventType,
	}
}

// DecodeEvents reads an events answer.
func DecodeEvents(b []byte) (*EventsAnswer, error) {
	var a EventsAnswer
	if err := decodeJSON(b, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// DecodeAuth reads a Register/Update answer; it is an error when data or data.authId is
// missing, because the caller needs the authId to update or delete later.
func DecodeAuth(b []byte) (*AuthAnswer, error) {
	var a AuthAnswer
	if err := decodeJSON(b, &a); err != nil {
		return nil, err
	}
	if a.Data == nil || a.Data.AuthID == 0 {
		return nil, fmt.Errorf("the answer carries no authId")
	}
	return &a, nil
}

// DecodeLogin reads a phone login answer; it is an error when there is no access token.
func DecodeLogin(b []byte) (*LoginAnswer, error) {
	var a LoginAnswer
	if err := decodeJSON(b, &a); err != nil {
		return nil, err
	}
	if a.Data == nil || a.Data.AccessToken == "" {
		return nil, fmt.Errorf("the answer carries no access token")
	}
	return &a, nil
}

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

func unquote(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return ""
	}
	return strings.TrimSpace(strings.Trim(s, `"`))
}

func shorten(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
