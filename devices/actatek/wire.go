package actatek

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// This file is the ACTAtek wire model: the one place where the gaps and contradictions of
// spec 004 (ACTAtek REST API 0.1) are settled; see specs/README.md, "ACTAtek (004)".
// Decoding is lenient (numbers as strings, a single object where an array is documented,
// trailing commas as in the spec's own examples); encoding uses the documented shape.
// The simulator (actateksim) serves exactly these shapes.

// APIPrefix is the path every endpoint lives under (spec 004, every "Path" line).
const APIPrefix = "/cgi-bin/restapi/"

// Messages the simulator uses for the refusals the client must recognise. Spec 14 gives a
// single error shape and no wording; the client matches these leniently (see
// sessionRefused, alreadyExists, terminalFull) so a real terminal's wording also fits.
const (
	MsgSessionExpired = "invalid or expired session id"
	MsgExists         = "already exists"
	MsgTerminalFull   = "terminal full"
	MsgNotFound       = "not found"
)

// Status values of a Result (spec 004, every write answer and section 14).
const (
	StatusSuccess = "success"
	StatusError   = "error"
)

// Int is a JSON integer that also decodes from a numeric string ("departmentid": "0" in
// spec 6.2) or a whole float.
type Int int

// UnmarshalJSON accepts 12, 12.0, "12", "", and null (0).
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
		return fmt.Errorf("%q is not an integer", s)
	}
	*n = Int(f)
	return nil
}

// Bool is a JSON boolean that also decodes from the words the terminal uses in its paths
// (spec 11.9: 'enable'/'1'/'true' and 'disable'/'0'/'false').
type Bool bool

// UnmarshalJSON accepts true, "true", 1, "1", "enable" and their opposites; null is false.
func (v *Bool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(unquote(b)) {
	case "true", "1", "enable", "enabled", "yes":
		*v = true
	case "false", "0", "disable", "disabled", "no", "":
		*v = false
	default:
		return fmt.Errorf("%s is not a boolean", truncate(string(b), 40))
	}
	return nil
}

// IDs is an "integer or array of integer" field (spec 3.1 groupID and departmentID, 6.1
// accessrightid). It decodes either form and always encodes as an array.
type IDs []int

// UnmarshalJSON accepts 3, "3", [1,2], ["1"] and null.
func (ids *IDs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*ids = nil
		return nil
	}
	if b[0] == '[' {
		var raw []Int
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make(IDs, len(raw))
		for i, v := range raw {
			out[i] = int(v)
		}
		*ids = out
		return nil
	}
	var one Int
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*ids = IDs{int(one)}
	return nil
}

// MarshalJSON writes the documented array form; nil is [].
func (ids IDs) MarshalJSON() ([]byte, error) {
	if ids == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]int(ids))
}

// List is a "single or array" field (spec 3.1 keyrecords and facialrecords) or an answer
// documented as "or in array" (4.3, 6.2, 12.6). It decodes either form and always encodes
// as an array.
type List[T any] []T

// UnmarshalJSON accepts an object, an array of them, or null.
func (l *List[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*l = nil
		return nil
	}
	if b[0] == '[' {
		var many []T
		if err := json.Unmarshal(b, &many); err != nil {
			return err
		}
		*l = many
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*l = List[T]{one}
	return nil
}

// MarshalJSON writes the array form; nil is [].
func (l List[T]) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]T(l))
}

// Base64 is binary data sent as a base64 string (templates, JPEG photos). It decodes the
// standard and URL alphabets, padded or not, ignoring line breaks and a data: URI prefix,
// and encodes standard padded base64.
type Base64 []byte

// MarshalJSON writes standard padded base64.
func (b Base64) MarshalJSON() ([]byte, error) {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b))+2)
	out[0] = '"'
	base64.StdEncoding.Encode(out[1:], b)
	out[len(out)-1] = '"'
	return out, nil
}

// UnmarshalJSON accepts a base64 string or null.
func (b *Base64) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*b = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("base64 data must be a string, not %s", truncate(string(data), 40))
	}
	v, err := DecodeBase64(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// DecodeBase64 decodes base64 the way the terminal's fields are decoded: either alphabet,
// with or without padding, whitespace and a data: URI prefix ignored.
func DecodeBase64(s string) ([]byte, error) {
	if i := strings.Index(s, ";base64,"); i >= 0 && strings.HasPrefix(s, "data:") {
		s = s[i+len(";base64,"):]
	}
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, s)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if v, err := enc.DecodeString(s); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("%q is not base64 data", truncate(s, 24))
}

// DateTime is an xsd:datetime as the terminal uses it (spec 2.1 "from"): with a trailing
// Z it is UTC; without, it is the terminal's local wall-clock time, in whatever time zone
// the terminal is set to (10.3). The two forms are kept apart: Local records which one was
// read, and String writes the same form back. The zero DateTime is "not set" and is
// written as 0 (spec 3.1 expirydate: "0 to disable").
type DateTime struct {
	// Time is the instant for UTC values; for Local values only its wall clock (year to
	// second, read in Time's own location) is meaningful.
	Time time.Time
	// Local is true for a terminal-local wall-clock time (no Z on the wire).
	Local bool
}

const (
	layoutLocal = "2006-01-02T15:04:05"
	layoutUTC   = "2006-01-02T15:04:05Z"
)

// UTC is the DateTime of an instant, written with Z.
func UTC(t time.Time) DateTime { return DateTime{Time: t.UTC().Truncate(time.Second)} }

// Local is the DateTime of t's wall clock, written without a zone: the terminal reads it
// in its own time zone.
func Local(t time.Time) DateTime { return DateTime{Time: t.Truncate(time.Second), Local: true} }

// ParseDateTime reads an xsd:datetime: "2025-07-16T10:24:13Z" (UTC),
// "2025-07-16T10:24:13" (terminal-local), a numeric offset (converted to UTC), fractional
// seconds (dropped) and a space instead of T. "0" and "" are the zero DateTime.
func ParseDateTime(s string) (DateTime, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return DateTime{}, nil
	}
	norm := s
	if len(norm) > 10 && norm[10] == ' ' {
		norm = norm[:10] + "T" + norm[11:]
	}
	if t, err := time.Parse(time.RFC3339Nano, norm); err == nil {
		// An offset can carry a year-end time out of the four-digit years.
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return DateTime{}, fmt.Errorf("%q is out of the range of xsd:datetime years 0001 to 9999", truncate(s, 40))
		}
		return UTC(t), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, norm); err == nil {
			if d := Local(t); !d.IsZero() {
				return d, nil
			}
			return DateTime{}, nil // 0001-01-01T00:00:00 is Go's "unset" too
		}
	}
	return DateTime{}, fmt.Errorf("%q is not an xsd:datetime (expected e.g. 2025-07-16T10:24:13 or 2025-07-16T10:24:13Z)", truncate(s, 40))
}

// IsZero reports whether the DateTime is unset.
func (d DateTime) IsZero() bool { return d.Time.IsZero() }

// String is the wire form: Z for UTC, no zone for terminal-local, "" when unset.
func (d DateTime) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Local:
		return d.Time.Format(layoutLocal)
	default:
		return d.Time.UTC().Format(layoutUTC)
	}
}

// In returns the instant in loc: a UTC value converted, a local value's wall clock read
// as a time in loc (the terminal's time zone).
func (d DateTime) In(loc *time.Location) time.Time {
	if !d.Local {
		return d.Time.In(loc)
	}
	t := d.Time
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
}

// MarshalJSON writes the wire form, or 0 when unset (spec 3.1 expirydate).
func (d DateTime) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("0"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON accepts the forms of ParseDateTime, and 0 or null for unset.
func (d *DateTime) UnmarshalJSON(b []byte) error {
	s := unquote(b)
	v, err := ParseDateTime(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Result is the answer of a write: {"status":"success","message":"..."}; the same shape
// with "error" is the common error answer (spec 14).
type Result struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// OK reports whether the terminal accepted the write. A missing status counts as success:
// several examples (2.4, 3.7) show nothing but the status, and a terminal that answers 200
// with no status has not refused.
func (r Result) OK() bool { return !strings.EqualFold(strings.TrimSpace(r.Status), StatusError) }

// sessionRefused reports whether a refusal means "this session id is no longer valid, log
// in again". Spec 1.1 says only that a session times out after 30 minutes without a call,
// and 14 gives one error shape for every failure, so the decision is ours: 401 or 403, or a
// 4xx/5xx (or per-item) error whose message speaks of the session.
func sessionRefused(status int, msg string) bool {
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return true
	}
	return strings.Contains(strings.ToLower(msg), "session")
}

// alreadyExists reports whether a refusal says the record is already on the terminal.
func alreadyExists(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "already exist") || strings.Contains(m, "duplicate")
}

// terminalFull reports whether a refusal says the terminal has no room for another user
// (11.3: registeredUsers against maximumUsers).
func terminalFull(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "full") || strings.Contains(m, "maximum")
}

// notFound reports whether a refusal says the record does not exist.
func notFound(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "not found") || strings.Contains(m, "not exist") || strings.Contains(m, "no such")
}

// loginRequest is the body of POST login (1.1).
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// loginAnswer is the answer of POST login. sessionid is documented as long but shown as a
// string (1.1); it is kept as an opaque string either way.
type loginAnswer struct {
	Status    string    `json:"status"`
	Message   string    `json:"message"`
	SessionID opaqueStr `json:"sessionid"`
}

// opaqueStr decodes a JSON string or number into its text.
type opaqueStr string

// UnmarshalJSON keeps a string's value or a number's digits.
func (o *opaqueStr) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*o = opaqueStr(s)
		return nil
	}
	if string(b) == "null" {
		*o = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("session id %s is neither a string nor a number", truncate(string(b), 40))
	}
	*o = opaqueStr(n.String())
	return nil
}

// Log is one event of getLogs (2.1).
type Log struct {
	LogID      Int      `json:"logID"`
	UserID     string   `json:"userID"`
	Timestamp  DateTime `json:"timestamp"`
	Trigger    string   `json:"trigger"`
	TerminalSN string   `json:"terminalSN"`
}

// FullLog is one event of getFullLogs (2.2). JPEGPhoto is absent when the event has no
// photo.
type FullLog struct {
	LogID          Int      `json:"logID"`
	UserID         string   `json:"userID"`
	UserName       string   `json:"userName"`
	DepartmentName string   `json:"departmentName"`
	Timestamp      DateTime `json:"timestamp"`
	Trigger        string   `json:"trigger"`
	TerminalSN     string   `json:"terminalSN"`
	TerminalName   string   `json:"terminalName"`
	JPEGPhoto      Base64   `json:"jpegPhoto,omitempty"`
	AccessMethod   string   `json:"accessMethod"`
	Remarks        string   `json:"remarks"`
}

// LogFilter narrows getLogs and getFullLogs (2.1, 2.2). Zero fields are not sent. When
// From and To are both UTC the terminal answers in UTC, otherwise in its local time.
type LogFilter struct {
	From         DateTime
	To           DateTime
	EmployeeName string
	EmployeeID   string
	// DepartmentID is documented as an integer (the example sends a name); nil is "any".
	DepartmentID *int
	Trigger      string
	TerminalSN   string
}

// Query is the filter's query string (2.1 parameter names).
func (f LogFilter) Query() url.Values {
	q := url.Values{}
	setIf(q, "from", f.From.String())
	setIf(q, "to", f.To.String())
	setIf(q, "employeeName", f.EmployeeName)
	setIf(q, "employeeID", f.EmployeeID)
	if f.DepartmentID != nil {
		q.Set("departmentID", strconv.Itoa(*f.DepartmentID))
	}
	setIf(q, "trigger", f.Trigger)
	setIf(q, "terminalSN", f.TerminalSN)
	return q
}

// logPhotoAnswer is the answer of getLogPhoto (2.3).
type logPhotoAnswer struct {
	Status    string `json:"status"`
	JPEGPhoto Base64 `json:"jpegPhoto"`
}

// Admin levels of a user (3.1). An absent or unknown level is PERSONALUSER.
const (
	PersonalUser = "PERSONALUSER"
	NetworkAdmin = "NETWORKADMIN"
	UserAdmin    = "USERADMIN"
	SuperAdmin   = "SUPERADMIN"
)

// User is the user structure of addUser, getUsers, updateUser and getMyself (3.1, 3.3,
// 3.4, 8.1).
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
	// ScoreThreshold is always sent, as in the 3.1 example (0: the terminal's default).
	ScoreThreshold Int      `json:"ScoreThreshold"`
	ExpiryDate     DateTime `json:"expirydate,omitzero"`
	Message        string   `json:"message,omitempty"`
}

// UserStatus is the status object of a user (3.1); every field is required on add.
type UserStatus struct {
	Active          Bool `json:"active"`
	AutoMatch       Bool `json:"autoMatch"`
	SmartCard       Bool `json:"smartCard"`
	Fingerprint     Bool `json:"fingerprint"`
	Password        Bool `json:"password"`
	Facial          Bool `json:"facial"`
	FacialAutoMatch Bool `json:"facialAutoMatch"`
}

// KeyRecord is one key of a user (3.1 keyrecords).
type KeyRecord struct {
	KeyType    Int    `json:"keytype"`
	KeyString  string `json:"keystring"`
	KeyID      string `json:"keyid"`
	KeyEnabled Bool   `json:"keyenabled"`
}

// FacialRecord is one face of a user (3.1 facialrecords). getUsers may leave the photo out
// (3.3 example). 3.1 marks type, template and photo as required; a record with a photo and
// no template is still sent when the caller has no template (the simulator then derives
// one; a terminal that cannot will refuse the record with its own message).
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

// Image decodes Data for the image formats (QR_PNG, QR_SVG, QR_ANSI).
func (t TOTP) Image() ([]byte, error) {
	switch t.Format {
	case TOTPPlainText, TOTPPasscode:
		return nil, fmt.Errorf("TOTP format %s carries text, not an image", t.Format)
	}
	return DecodeBase64(t.Data)
}

// Department is a department (4.1 to 4.4).
type Department struct {
	ID          Int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// DepartmentFilter narrows getDepartments and names what deleteDepartment removes (4.3,
// 4.4). Zero fields are not sent; ID is a pointer because department 0 exists.
type DepartmentFilter struct {
	ID          *int
	Name        string
	Description string
}

// Query is the filter's query string (4.3 parameter names).
func (f DepartmentFilter) Query() url.Values {
	q := url.Values{}
	if f.ID != nil {
		q.Set("id", strconv.Itoa(*f.ID))
	}
	setIf(q, "name", f.Name)
	setIf(q, "description", f.Description)
	return q
}

// Weekdays are the days of a timespec (5.1, 7.2): the seven days and HOLIDAY.
func Weekdays() []string {
	return []string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "HOLIDAY"}
}

// TimeSpec is one day of a schedule (5.1, 7.2): TimePattern is 48 characters of '0' or '1',
// one per half hour from 00:00.
type TimeSpec struct {
	Weekday     string `json:"weekday"`
	TimePattern string `json:"timePattern"`
}

// AlwaysOn is the TimePattern of a day with every half hour on.
const AlwaysOn = "111111111111111111111111111111111111111111111111"

// AccessRight is an access right (5.1 to 5.4). Sections 5.1 to 5.3 lost most of their
// text; what survives is the timespec table (weekday, timePattern, "only need if the
// weekday have any slot enabled") and the answers ("access right ID 14 Added"). The shape
// below follows the access group (6.1): an id, a name, and the timespec days, single or
// array. Bodies are sent to /accessright/{sessionid}, as 5.4's path shows.
type AccessRight struct {
	ID       Int            `json:"id"`
	Name     string         `json:"name"`
	TimeSpec List[TimeSpec] `json:"timespec,omitempty"`
}

// AccessGroup is an access group (6.1 to 6.4). departmentid is shown as a string in 6.2.
type AccessGroup struct {
	ID            Int    `json:"id"`
	Name          string `json:"name"`
	DepartmentID  Int    `json:"departmentid"`
	AccessRightID IDs    `json:"accessrightid"`
}

// AccessGroupFilter narrows getAccessGroups (6.2); nil is "any".
type AccessGroupFilter struct {
	GroupID      *int
	DepartmentID *int
}

// Query is the filter's query string (6.2 parameter names groupid and deptid).
func (f AccessGroupFilter) Query() url.Values {
	q := url.Values{}
	if f.GroupID != nil {
		q.Set("groupid", strconv.Itoa(*f.GroupID))
	}
	if f.DepartmentID != nil {
		q.Set("deptid", strconv.Itoa(*f.DepartmentID))
	}
	return q
}

// Trigger is a trigger and its schedule (7.1 to 7.3). 7.1's answer and most of 7.2 were
// lost; the fields are those of the surviving 7.2 table (type IN, OUT, F1 to F40, name,
// enable, freeJobcode for F1 to F10, timespec). getTriggers answers with one or an array.
type Trigger struct {
	Type        string         `json:"type"`
	Name        string         `json:"name,omitempty"`
	Enable      Bool           `json:"enable"`
	FreeJobcode Bool           `json:"freeJobcode"`
	TimeSpec    List[TimeSpec] `json:"timespec,omitempty"`
}

// MyselfUpdate is the body of updateMyself (8.2): only names, card and password can change,
// and UserID must be the logged-in user's.
type MyselfUpdate struct {
	UserID    string `json:"userID"`
	LastName  string `json:"lastName,omitempty"`
	FirstName string `json:"firstName,omitempty"`
	OtherName string `json:"otherName,omitempty"`
	Password  string `json:"password,omitempty"`
	CardSN    string `json:"cardsn,omitempty"`
}

// AgentRegistration is the body of registerAgent (9.1).
type AgentRegistration struct {
	URL          string `json:"url"`
	AgentVersion string `json:"agentVersion,omitempty"`
	Magic        string `json:"magic,omitempty"`
	InitSync     bool   `json:"initSync"`
}

// Agent is one registered agent (9.3).
type Agent struct {
	URL              string   `json:"url"`
	RegistrationTime DateTime `json:"registrationTime"`
	LastUpdate       DateTime `json:"lastUpdate"`
	LastCheck        DateTime `json:"lastCheck"`
	LastCheckStatus  Bool     `json:"lastCheckStatus"`
	Active           Bool     `json:"active"`
}

// NTPSetting is the NTP setting (10.1, 10.2); ServerAddr may hold several servers
// separated by spaces.
type NTPSetting struct {
	ServerAddr string `json:"serveraddr"`
	Enable     Bool   `json:"enable"`
}

// TerminalTime is the terminal's clock and time zone (10.3, 10.4). The terminal reports
// CurrentTime without Z (its local time); a UTC value may be sent to set it.
type TerminalTime struct {
	CurrentTime DateTime `json:"currentTime"`
	Timezone    string   `json:"timezone,omitempty"`
}

// APIVersion is the answer of apiversion (11.2), the one call without a session.
type APIVersion struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// TerminalStatus is the answer of terminalstatus (11.3).
type TerminalStatus struct {
	SerialNumber          string `json:"serialNumber"`
	FAMVersion            string `json:"FAMVersion"`
	Description           string `json:"description"`
	RegisteredUsers       Int    `json:"registeredUsers"`
	MaximumUsers          Int    `json:"maximumUsers"`
	AutomatchUsers        Int    `json:"automatchUsers"`
	MaximumAutomatchUsers Int    `json:"maximumAutomatchUsers"`
	CurrentStatus         string `json:"currentStatus"`
	FirmwareVersion       string `json:"firmwareVersion"`
}

// Relay identifiers and actions (11.4 to 11.6).
const (
	RelayOne   = "ONE"
	RelayTwo   = "TWO"
	RelayAll   = "ALL"
	RelayOpen  = "open"
	RelayClose = "close"
)

// RelaySetting is one door strike's setting (11.5, 11.6). Option is 'disable' or
// 'access_denied' for ONE; 'disable', 'access_granted', 'access_denied', 'doorbell' or
// 'bell_schedule' for TWO. Delay is 1 to 20 seconds (1 to 1800 with a door-open schedule).
type RelaySetting struct {
	ID     string `json:"id"`
	Option string `json:"option"`
	Delay  Int    `json:"delay"`
}

// AutoInOut is the auto IN/OUT setting (11.7, 11.8). Mode is 'disable', 'enable' or
// 'autoInOut', 'reject_repeat_login', 'anti_passback', 'lunch_break' or 'crowd_control'.
type AutoInOut struct {
	Mode                string `json:"mode"`
	AutoReset           Bool   `json:"auto_reset"`
	RejectRepeatTimeSec Int    `json:"rejectRepeat_time_sec"`
	LockoutTimeMin      Int    `json:"lockout_time_min"`
	CrowdLimitCount     Int    `json:"crowd_limit_count"`
	CrowdResetHHMM      string `json:"crowd_reset_hhmm"`
}

// enableAnswer is the answer of getLogUnauthorizedEvent (11.10).
type enableAnswer struct {
	Enable Bool `json:"enable"`
}

// photoAnswer is the answer of getCaptureFingerprint (11.11).
type photoAnswer struct {
	JPEGPhoto Base64 `json:"jpegPhoto"`
}

// RTPSetting is the video streaming setting (11.12, 11.13). Mode is 'disable', 'RTP' or
// 'SRTP'; FPS one of 5, 10, 15, 20, 25, 30. SDPFile and Status are only read.
type RTPSetting struct {
	Mode    string `json:"mode"`
	Key     string `json:"key,omitempty"`
	Target  string `json:"target,omitempty"`
	FPS     Int    `json:"fps"`
	STUN    string `json:"stun,omitempty"`
	SDPFile string `json:"sdpfile,omitempty"`
	Status  string `json:"status,omitempty"`
}

// Consent is the consent message setting (11.14, 11.15).
type Consent struct {
	Enable      Bool   `json:"enable"`
	DisplayName string `json:"display_name"`
}

// LogSetting is the log setting (11.16, 11.17).
type LogSetting struct {
	LogEvent                     string `json:"log_event"`
	LogSize                      Int    `json:"log_size"`
	LogUnauthEvent               Bool   `json:"log_unAuth_event"`
	LogAcceptNonRegisteredCard   Bool   `json:"log_Accept_nonRegistered_card"`
	LogPhotoAuthEvent            Bool   `json:"log_photo_Auth_event"`
	LogPhotoUnauthEvent          Bool   `json:"log_photo_unAuth_event"`
	LogAcceptNonRegisteredFacial Bool   `json:"log_Accept_nonRegistered_facial"`
	LogCaseEvent                 Bool   `json:"log_case_event"`
	LogEMOption                  string `json:"log_EM_Option"`
}

// JobCodeSetting is one of the three job code settings (12.1, 12.2). Enable is typed
// integer but documented and shown as 'enable' or 'disable'; it is kept as that word.
type JobCodeSetting struct {
	JobCode Int    `json:"jobcode"`
	Name    string `json:"name"`
	Enable  string `json:"enable"`
}

// JobCode is one job code under a setting (12.3 to 12.6); Enable is 'enable', 'disable'
// or 'default' (one default per setting).
type JobCode struct {
	JobCode Int    `json:"jobcode"`
	ID      Int    `json:"id"`
	Name    string `json:"name"`
	Enable  string `json:"enable"`
}

// JobCodeFilter narrows getJobCodes (12.6; its method line says DELETE, which is 12.5's:
// getJobCodes is sent as GET) and names what deleteJobCodes removes (12.5). Zero fields are
// not sent.
type JobCodeFilter struct {
	JobCode int
	ID      int
	Name    string
	Enable  string
}

// Query is the filter's query string (12.5, 12.6 parameter names).
func (f JobCodeFilter) Query() url.Values {
	q := url.Values{}
	if f.JobCode != 0 {
		q.Set("jobcode", strconv.Itoa(f.JobCode))
	}
	if f.ID != 0 {
		q.Set("id", strconv.Itoa(f.ID))
	}
	setIf(q, "name", f.Name)
	setIf(q, "enable", f.Enable)
	return q
}

// Holidays is the body of setHolidays and deleteHolidays and the answer of getHolidays
// (13.1 to 13.3). The request examples, `{ ["2026-10-12", "2025-13-01"] }`, are not JSON;
// the field table names the member "dates", so the body is {"dates":[...]}. Dates are
// YYYY-MM-DD; the terminal reports the ones it refused.
type Holidays struct {
	Dates List[string] `json:"dates"`
}

// HolidayResult is the answer of setHolidays and deleteHolidays (13.2, 13.3).
type HolidayResult struct {
	Status       string       `json:"status"`
	Message      string       `json:"message"`
	InvalidDates List[string] `json:"invalid_dates,omitempty"`
}

// Endpoint paths. Each follows the spec's Path line where it and the Example URI differ
// (deleteUser's example shows /deleteLogs/, UserCount's, UserBatch's and UserAPITOTP's show
// /UserMessage/, getMyself's shows /user/); sid is escaped as a path segment.
func pathLogin() string             { return APIPrefix + "login" }
func pathLogout(sid string) string  { return seg("logout", sid) }
func pathAPIVersion() string        { return APIPrefix + "apiversion" }
func pathGetLogs(sid string) string { return seg("getLogs", sid) }
func pathAddLog(sid string, ts DateTime, userID, trigger string) string {
	return seg("addLog", sid, ts.String(), userID, trigger)
}
func pathUser(sid string) string           { return seg("user", sid) }
func pathUserID(sid, userID string) string { return seg("user", sid, userID) }

// pathFullLogs is getFullLogs (2.2): getLogs with a limit segment. Without the limit the
// path is getLogs (2.1), so a full-log query always carries one.
func pathFullLogs(sid string, limit int) string { return seg("getLogs", sid, strconv.Itoa(limit)) }

// pathLogPhoto is getLogPhoto (2.3); the timestamp is a path segment.
func pathLogPhoto(sid string, ts DateTime) string { return seg("getLogPhoto", sid, ts.String()) }

// pathTime is the get of 10.3. Its set (10.4) repeats the NTP path line and example, so
// it is sent to /ntp/{sessionid} with the {currentTime, timezone} body, which does not
// overlap the NTP body (serveraddr, enable).
func pathTime(sid string) string { return seg("time", sid) }

// pathHoliday is getHolidays, setHolidays and deleteHolidays (13.1 to 13.3). 13.1's path
// line, /holiday/{sessionid?date}, and example, /holiday/1805350299/date=2025-0-0, are
// garbled: the date is sent as the query parameter "date".
func pathHoliday(sid string) string { return seg("holiday", sid) }

// pathRTP is get and set RTP setting (11.12, 11.13). 11.13's path line ends in {relayid},
// copied from 11.6; the RTP setting has no relay, so the path is /rtpsetting/{sessionid}.
func pathRTP(sid string) string { return seg("rtpsetting", sid) }

// seg joins escaped path segments under APIPrefix. Some Path lines end in a slash (8.1,
// 11.5, 11.8, 11.10, 11.11, 11.12) where the matching call of the same resource does not;
// paths are sent without it, and the simulator accepts both.
func seg(parts ...string) string {
	var b strings.Builder
	b.WriteString(APIPrefix)
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

// encodeQuery writes q with %20 for spaces: the spec's examples send "trigger=REMOTE DOOR
// OPEN", and a CGI that does not map '+' to a space would see a different trigger.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

// decodeJSON decodes a terminal answer into out. The spec's examples end objects with a
// trailing comma (2.3, 2.4, 2.5, 3.7, 11.5 and more); if the body is not valid JSON, it is
// decoded again with trailing commas removed before giving up.
func decodeJSON(body []byte, out any) error {
	err := json.Unmarshal(body, out)
	if err == nil {
		return nil
	}
	if _, ok := err.(*json.SyntaxError); !ok {
		return err
	}
	fixed, changed := stripTrailingCommas(body)
	if !changed {
		return err
	}
	if err2 := json.Unmarshal(fixed, out); err2 != nil {
		return err
	}
	return nil
}

// stripTrailingCommas removes commas that directly precede } or ] outside strings.
func stripTrailingCommas(b []byte) ([]byte, bool) {
	out := make([]byte, 0, len(b))
	inString, escaped, changed := false, false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == ',' {
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				changed = true
				continue
			}
		}
		out = append(out, c)
	}
	return out, changed
}

func unquote(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return ""
	}
	if len(s) >= 2 && s[0] == '"' {
		var v string
		if err := json.Unmarshal([]byte(s), &v); err == nil {
			return strings.TrimSpace(v)
		}
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
