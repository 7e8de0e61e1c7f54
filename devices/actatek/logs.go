package actatek

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// LogService reads and writes the terminal's event log (spec 2).
type LogService service

// List returns the events that match f (getLogs, 2.1).
func (s *LogService) List(ctx context.Context, f LogFilter) ([]Log, error) {
	var out List[Log]
	err := s.c.do(ctx, request{call: "getLogs", method: http.MethodGet, path: pathGetLogs, query: f.Query()}, &out)
	return out, err
}

// ListFull returns at most limit events that match f, with user and department names and
// the event photo when there is one (getFullLogs, 2.2). limit must be positive: without it
// the call would be getLogs.
func (s *LogService) ListFull(ctx context.Context, f LogFilter, limit int) ([]FullLog, error) {
	if limit <= 0 {
		return nil, invalid("getFullLogs", "limit must be at least 1, not %d", limit)
	}
	var out List[FullLog]
	err := s.c.do(ctx, request{call: "getFullLogs", method: http.MethodGet,
		path: func(sid string) string { return pathFullLogs(sid, limit) }, query: f.Query()}, &out)
	return out, err
}

// Photo returns the JPEG photo of the event at ts (getLogPhoto, 2.3). terminalSN may be
// empty for the terminal's own events.
func (s *LogService) Photo(ctx context.Context, ts DateTime, terminalSN string) ([]byte, error) {
	if ts.IsZero() {
		return nil, invalid("getLogPhoto", "a timestamp is required")
	}
	q := url.Values{}
	setIf(q, "terminalSN", terminalSN)
	var out logPhotoAnswer
	err := s.c.do(ctx, request{call: "getLogPhoto", method: http.MethodGet,
		path: func(sid string) string { return pathLogPhoto(sid, ts) }, query: q}, &out)
	if err != nil {
		return nil, err
	}
	if len(out.JPEGPhoto) == 0 {
		return nil, malformed("getLogPhoto", http.StatusOK, "the answer has no photo")
	}
	return out.JPEGPhoto, nil
}

// Add records one event (addLog, 2.4).
func (s *LogService) Add(ctx context.Context, ts DateTime, userID, trigger string) error {
	if ts.IsZero() || userID == "" || trigger == "" {
		return invalid("addLog", "timestamp, user ID and trigger are all required")
	}
	return s.c.writeOne(ctx, request{call: "addLog", method: http.MethodPost,
		path: func(sid string) string { return pathAddLog(sid, ts, userID, trigger) }})
}

// DeleteBefore deletes the events older than the last daysToKeep days (deleteLogs, 2.5).
func (s *LogService) DeleteBefore(ctx context.Context, daysToKeep int) error {
	if daysToKeep < 0 {
		return invalid("deleteLogs", "days to keep must not be negative, not %d", daysToKeep)
	}
	return s.c.writeOne(ctx, request{call: "deleteLogs", method: http.MethodDelete,
		path: func(sid string) string { return seg("deleteLogs", sid, strconv.Itoa(daysToKeep)) }})
}

// Reset deletes every event (resetLog, 2.6).
func (s *LogService) Reset(ctx context.Context) error {
	return s.c.writeOne(ctx, request{call: "resetLog", method: http.MethodDelete,
		path: func(sid string) string { return seg("resetLog", sid) }})
}

// Log is one event of getLogs (2.1).
type Log struct {
	LogID      Int      `json:"logID"`
	UserID     Text     `json:"userID"` // a number on some terminals
	Timestamp  DateTime `json:"timestamp"`
	Trigger    string   `json:"trigger"`
	TerminalSN string   `json:"terminalSN"`
}

// FullLog is one event of getFullLogs (2.2). JPEGPhoto is absent when the event has no
// photo.
type FullLog struct {
	LogID          Int      `json:"logID"`
	UserID         Text     `json:"userID"` // a number on some terminals
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

// pathGetLogs is getLogs (2.1).
func pathGetLogs(sid string) string { return seg("getLogs", sid) }

// pathAddLog is addLog (2.4): every value is a path segment.
func pathAddLog(sid string, ts DateTime, userID, trigger string) string {
	return seg("addLog", sid, ts.String(), userID, trigger)
}

// pathFullLogs is getFullLogs (2.2): getLogs with a limit segment. Without the limit the
// path is getLogs (2.1), so a full-log query always carries one.
func pathFullLogs(sid string, limit int) string { return seg("getLogs", sid, strconv.Itoa(limit)) }

// pathLogPhoto is getLogPhoto (2.3); the timestamp is a path segment.
func pathLogPhoto(sid string, ts DateTime) string { return seg("getLogPhoto", sid, ts.String()) }
