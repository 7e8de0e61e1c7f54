package actatek

import (
	"encoding/json"
	"fmt"
	"net/url"
)

// Admin levels of a user (3.1). An absent or unknown level is PERSONALUSER.
const (
	PersonalUser = "PERSONALUSER"
	NetworkAdmin = "NETWORKADMIN"
	UserAdmin    = "USERADMIN"
	SuperAdmin   = "SUPERADMIN"
)

// User is the user structure of addUser, getUsers, updateUser and getMyself (3.1, 3.3,
// 3.4, 8.1). A zero field is not sent, so an update changes only what the caller set:
// Status nil keeps the terminal's status, ScoreThreshold nil keeps its threshold,
// ExpiryDate nil keeps its expiry (ClearExpiry sends 0, "no expiry"). userID and cardsn
// are strings but decode from numbers too.
type User struct {
	UserID        string             `json:"userID"`
	LastName      string             `json:"lastName,omitempty"`
	FirstName     string             `json:"firstName,omitempty"`
	OtherName     string             `json:"otherName,omitempty"`
	AdminLevel    string             `json:"adminLevel,omitempty"`
	Password      string             `json:"password,omitempty"`
	GroupID       IDs                `json:"groupID,omitempty"`
	DepartmentID  IDs                `json:"departmentID,omitempty"`
	Status        *UserStatus        `json:"status,omitempty"`
	Fingerprints  Base64             `json:"fingerprints,omitempty"`
	KeyRecords    List[KeyRecord]    `json:"keyrecords,omitempty"`
	FacialRecords List[FacialRecord] `json:"facialrecords,omitempty"`
	CardSN        string             `json:"cardsn,omitempty"`
	// ScoreThreshold is the user's own facial score (3.1); nil is not sent (the terminal
	// keeps its value, or its default on add).
	ScoreThreshold *Int `json:"ScoreThreshold,omitempty"`
	// ExpiryDate: nil is not sent; a zero DateTime is sent as 0, which clears the expiry
	// ("0 to disable", 3.1).
	ExpiryDate *DateTime `json:"expirydate,omitempty"`
	Message    string    `json:"message,omitempty"`
}

// UnmarshalJSON decodes a user, taking userID and cardsn as text or number.
func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	w := struct {
		*plain
		UserID Text `json:"userID"`
		CardSN Text `json:"cardsn"`
	}{plain: (*plain)(u)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	u.UserID, u.CardSN = string(w.UserID), string(w.CardSN)
	return nil
}

// Score is a ScoreThreshold to send.
func Score(n int) *Int { v := Int(n); return &v }

// Expires is an ExpiryDate to send.
func Expires(d DateTime) *DateTime { return &d }

// ClearExpiry is the ExpiryDate that removes a user's expiry: it is sent as 0.
func ClearExpiry() *DateTime { return &DateTime{} }

// UserStatus is the status object of a user (3.1). The terminal takes it whole (every
// member is required), so a member left nil is filled before sending: on add with the
// default (active, facial matching when the user has faces, everything else off), on
// update with the terminal's current value, read back first.
type UserStatus struct {
	Active          *Bool `json:"active,omitempty"`
	AutoMatch       *Bool `json:"autoMatch,omitempty"`
	SmartCard       *Bool `json:"smartCard,omitempty"`
	Fingerprint     *Bool `json:"fingerprint,omitempty"`
	Password        *Bool `json:"password,omitempty"`
	Facial          *Bool `json:"facial,omitempty"`
	FacialAutoMatch *Bool `json:"facialAutoMatch,omitempty"`
}

// Flag is a status member to send.
func Flag(b bool) *Bool { v := Bool(b); return &v }

// On reports whether a status member is set and true.
func On(b *Bool) bool { return b != nil && bool(*b) }

// fields lists the members in spec order, for filling and merging.
func (s *UserStatus) fields() []**Bool {
	return []**Bool{&s.Active, &s.AutoMatch, &s.SmartCard, &s.Fingerprint, &s.Password, &s.Facial, &s.FacialAutoMatch}
}

// Complete reports whether every member is set, so the object can be sent as it is.
func (s UserStatus) Complete() bool {
	for _, f := range s.fields() {
		if *f == nil {
			return false
		}
	}
	return true
}

// merged fills the members s leaves unset from base; a member unset in both is false.
func (s UserStatus) merged(base *UserStatus) *UserStatus {
	out := s
	var b UserStatus
	if base != nil {
		b = *base
	}
	bf := b.fields()
	for i, f := range out.fields() {
		switch {
		case *f != nil:
			*f = Flag(bool(**f))
		case *bf[i] != nil:
			*f = Flag(bool(**bf[i]))
		default:
			*f = Flag(false)
		}
	}
	return &out
}

// KeyRecord is one key of a user (3.1 keyrecords).
type KeyRecord struct {
	KeyType    Int    `json:"keytype"`
	KeyString  string `json:"keystring"`
	KeyID      string `json:"keyid"`
	KeyEnabled Bool   `json:"keyenabled"`
}

// FacialRecord is one face of a user (3.1 facialrecords). getUsers may leave the photo out
// (3.3 example). 3.1 marks type, template and photo as required: a record without a
// template is refused before sending, since a terminal that cannot derive one would store
// a face that never matches.
type FacialRecord struct {
	TemplateType Int    `json:"FacialTemplateType"`
	Template     Base64 `json:"FacialTemplate,omitempty"`
	Photo        Base64 `json:"FacialPhoto,omitempty"`
}

// UserFilter narrows getUsers (3.3). Zero fields are not sent; no field lists every user.
type UserFilter struct {
	UserID        string
	PartialUserID string
	LastName      string
	FirstName     string
	OtherName     string
}

// Query is the filter's query string (3.3 parameter names).
func (f UserFilter) Query() url.Values {
	q := url.Values{}
	setIf(q, "userID", f.UserID)
	setIf(q, "partialUserID", f.PartialUserID)
	setIf(q, "lastName", f.LastName)
	setIf(q, "firstName", f.FirstName)
	setIf(q, "otherName", f.OtherName)
	return q
}

// userMessage is the body and answer of UserMessage (3.9, 3.10).
type userMessage struct {
	UserMessage string `json:"usermessage"`
}

// userCount is the answer of UserCount (3.12).
type userCount struct {
	UserCount Int `json:"usercount"`
}

// TOTP formats of UserAPITOTP (3.14); the terminal treats anything else as QR_PNG.
const (
	TOTPPNG       = "QR_PNG"
	TOTPSVG       = "QR_SVG"
	TOTPANSI      = "QR_ANSI"
	TOTPPlainText = "QR_PLAINTEXT"
	TOTPPasscode  = "OTP_PASSCODE"
)

// TOTP is the answer of UserAPITOTP (3.14). Data is the base64 image for the QR_ formats
// but plain text for QR_PLAINTEXT and OTP_PASSCODE, so it is kept as sent.
type TOTP struct {
	Format string   `json:"format"`
	Expiry DateTime `json:"expiry"`
	Data   string   `json:"data"`
}

// UnmarshalJSON decodes a TOTP answer, taking data as text or number (an OTP_PASSCODE is
// digits, and a terminal may send them as a number).
func (t *TOTP) UnmarshalJSON(b []byte) error {
	type plain TOTP
	w := struct {
		*plain
		Data Text `json:"data"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	t.Data = string(w.Data)
	return nil
}

// Image decodes Data for the image formats (QR_PNG, QR_SVG, QR_ANSI).
func (t TOTP) Image() ([]byte, error) {
	switch t.Format {
	case TOTPPlainText, TOTPPasscode:
		return nil, fmt.Errorf("TOTP format %s carries text, not an image", t.Format)
	}
	return DecodeBase64(t.Data)
}

// Paths of the user calls (3.1 to 3.6); deleteUser's example shows /deleteLogs/, its Path line
// /user/.
func pathUser(sid string) string           { return seg("user", sid) }
func pathUserID(sid, userID string) string { return seg("user", sid, userID) }
