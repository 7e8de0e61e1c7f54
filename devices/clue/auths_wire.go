package clue

import (
	"bytes"
	"encoding/json"
	"fmt"
)

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

// Doors is auth.doors of a Register/Update answer. The field tables of spec 000 type it as an
// Object (auth.doors.doorId), the samples send an array of objects: both decode, and null is
// no door. It encodes as the samples' array.
type Doors []Door

// UnmarshalJSON accepts [{"doorId":..}, ..], a single {"doorId":..} and null.
func (d *Doors) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("doors: empty value")
	case b[0] == '{':
		var one Door
		if err := json.Unmarshal(b, &one); err != nil {
			return fmt.Errorf("doors: %w", err)
		}
		*d = Doors{one}
		return nil
	case bytes.Equal(b, []byte("null")):
		*d = nil
		return nil
	}
	var many []Door
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("doors: %w", err)
	}
	*d = many
	return nil
}

// StringList is a list of strings that also decodes from a single string. Spec 000 types
// auth.credentials.faceImages as an Array in the Register answer and as a String in the
// Update answer; both samples send an array. An empty string and null are no item.
type StringList []string

// UnmarshalJSON accepts ["a","b"], "a", "" and null.
func (l *StringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("empty value is not a list of strings")
	case b[0] == '"':
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return fmt.Errorf("not a string: %w", err)
		}
		*l = nil
		if one != "" {
			*l = StringList{one}
		}
		return nil
	case bytes.Equal(b, []byte("null")):
		*l = nil
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("not a list of strings: %w", err)
	}
	*l = many
	return nil
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
	Doors          Doors  `json:"doors"`
	Credentials    struct {
		Modes      StringList `json:"modes"`
		FaceImages StringList `json:"faceImages"`
		Name       string     `json:"name"`
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
