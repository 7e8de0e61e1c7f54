package clue

import "time"

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
