package actatek

import (
	"context"
	"fmt"
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
		return nil, &Error{Call: "getFullLogs", Err: fmt.Errorf("limit must be at least 1, not %d", limit)}
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
		return nil, &Error{Call: "getLogPhoto", Err: fmt.Errorf("a timestamp is required")}
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
		return nil, &Error{Call: "getLogPhoto", StatusCode: http.StatusOK, Err: fmt.Errorf("%w: the answer has no photo", ErrMalformed)}
	}
	return out.JPEGPhoto, nil
}

// Add records one event (addLog, 2.4).
func (s *LogService) Add(ctx context.Context, ts DateTime, userID, trigger string) error {
	if ts.IsZero() || userID == "" || trigger == "" {
		return &Error{Call: "addLog", Err: fmt.Errorf("timestamp, user ID and trigger are all required")}
	}
	return s.c.do(ctx, request{call: "addLog", method: http.MethodPost,
		path: func(sid string) string { return pathAddLog(sid, ts, userID, trigger) }}, nil)
}

// DeleteBefore deletes the events older than the last daysToKeep days (deleteLogs, 2.5).
func (s *LogService) DeleteBefore(ctx context.Context, daysToKeep int) error {
	if daysToKeep < 0 {
		return &Error{Call: "deleteLogs", Err: fmt.Errorf("days to keep must not be negative, not %d", daysToKeep)}
	}
	return s.c.do(ctx, request{call: "deleteLogs", method: http.MethodDelete,
		path: func(sid string) string { return seg("deleteLogs", sid, strconv.Itoa(daysToKeep)) }}, nil)
}

// Reset deletes every event (resetLog, 2.6).
func (s *LogService) Reset(ctx context.Context) error {
	return s.c.do(ctx, request{call: "resetLog", method: http.MethodDelete,
		path: func(sid string) string { return seg("resetLog", sid) }}, nil)
}
