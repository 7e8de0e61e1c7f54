package ef45

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// LogOptions pages a log list; Newest asks for the most recent first (order=desc).
type LogOptions struct {
	ListOptions
	Newest bool
}

func (o *LogOptions) values() url.Values {
	if o == nil {
		return url.Values{}
	}
	q := o.ListOptions.values()
	if o.Newest {
		q.Set("order", "desc")
	}
	return q
}

// List returns log entries (GET /logs).
func (l *LogService) List(ctx context.Context, opts *LogOptions) (*List[LogEntry], error) {
	var v List[LogEntry]
	if err := l.s.get(ctx, "list logs", "logs", opts.values(), &v, limitLarge); err != nil {
		return nil, err
	}
	return &v, nil
}

// Range returns the entries with ids from..to (GET /logs/from/to).
func (l *LogService) Range(ctx context.Context, from, to int, opts *LogOptions) (*List[LogEntry], error) {
	q := opts.values()
	setRange(q, from, to)
	var v List[LogEntry]
	if err := l.s.get(ctx, "list logs by id", "logs/from/to", q, &v, limitLarge); err != nil {
		return nil, err
	}
	return &v, nil
}

// setRange sends both spellings of the id range: spec 003 names the parameters
// from_id/to_id while its URL examples send min/max (specs/README.md). A device reads the
// pair it knows and ignores the other.
func setRange(q url.Values, from, to int) {
	q.Set("from_id", strconv.Itoa(from))
	q.Set("to_id", strconv.Itoa(to))
	q.Set("min", strconv.Itoa(from))
	q.Set("max", strconv.Itoa(to))
}

// Get returns one entry (GET /logs/{id}).
func (l *LogService) Get(ctx context.Context, id int) (*LogEntry, error) {
	var v LogEntry
	if err := l.s.get(ctx, "read log", "logs/"+strconv.Itoa(id), nil, &v, limitLarge); err != nil {
		return nil, err
	}
	return &v, nil
}

// DeleteRange deletes the entries with ids from..to (DELETE /logs).
func (l *LogService) DeleteRange(ctx context.Context, from, to int) error {
	q := url.Values{}
	setRange(q, from, to)
	return l.s.send(ctx, "delete logs by id", http.MethodDelete, "logs", q, nil, nil)
}

// Delete deletes one entry (DELETE /logs/{id}).
func (l *LogService) Delete(ctx context.Context, id int) error {
	return l.s.send(ctx, "delete log", http.MethodDelete, "logs/"+strconv.Itoa(id), nil, nil, nil)
}

// DeleteAll empties the log (DELETE /logs/db).
func (l *LogService) DeleteAll(ctx context.Context) error {
	return l.s.send(ctx, "delete all logs", http.MethodDelete, "logs/db", nil, nil, nil)
}

// LogEntry is an item of GET /logs (the object spec 003 shows).
type LogEntry struct {
	ID                   Int       `json:"id"`
	EventType            string    `json:"event_type"`
	Timestamp            Timestamp `json:"timestamp"`
	UserUUID             string    `json:"user_uuid"`
	Info                 string    `json:"info"`
	AdditionalData       string    `json:"additional_data"`
	MatchedFaceImageData []byte    `json:"matched_faceimage_data"`
}

// UnmarshalJSON decodes user_uuid as text or number.
func (v *LogEntry) UnmarshalJSON(b []byte) error {
	type plain LogEntry
	w := struct {
		*plain
		UserUUID Text `json:"user_uuid"`
	}{(*plain)(v), Text(v.UserUUID)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.UserUUID = string(w.UserUUID)
	return nil
}
