package actatek

import (
	"context"
	"net/http"
	"net/url"
)

// TriggerService manages triggers and their schedules (spec 7).
type TriggerService service

// List returns the trigger of this type (IN, OUT, F1 to F40), or every trigger when
// triggerType is empty (getTriggers, 7.1).
func (s *TriggerService) List(ctx context.Context, triggerType string) ([]Trigger, error) {
	q := url.Values{}
	setIf(q, "type", triggerType)
	var out List[Trigger]
	err := s.c.do(ctx, request{call: "getTriggers", method: http.MethodGet,
		path: func(sid string) string { return seg("trigger", sid) }, query: q}, &out)
	return out, err
}

// Update changes a trigger's name, state and schedule (updateTrigger, 7.2).
func (s *TriggerService) Update(ctx context.Context, t Trigger) error {
	if t.Type == "" {
		return invalid("updateTrigger", "a trigger type (IN, OUT, F1 to F40) is required")
	}
	return s.c.writeOne(ctx, request{call: "updateTrigger", method: http.MethodPut,
		path: func(sid string) string { return seg("trigger", sid) }, body: t})
}

// Clear removes a trigger's schedule (clearTrigger, 7.3).
func (s *TriggerService) Clear(ctx context.Context, triggerType string) error {
	if triggerType == "" {
		return invalid("clearTrigger", "a trigger type (IN, OUT, F1 to F40) is required")
	}
	return s.c.writeOne(ctx, request{call: "clearTrigger", method: http.MethodDelete,
		path: func(sid string) string { return seg("trigger", sid, triggerType) }})
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
