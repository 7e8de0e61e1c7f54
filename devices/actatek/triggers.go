package actatek

import (
	"context"
	"errors"
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
		return &Error{Call: "updateTrigger", Err: errors.New("a trigger type (IN, OUT, F1 to F40) is required")}
	}
	var ans Result
	return s.c.do(ctx, request{call: "updateTrigger", method: http.MethodPut,
		path: func(sid string) string { return seg("trigger", sid) }, body: t}, &ans)
}

// Clear removes a trigger's schedule (clearTrigger, 7.3).
func (s *TriggerService) Clear(ctx context.Context, triggerType string) error {
	if triggerType == "" {
		return &Error{Call: "clearTrigger", Err: errors.New("a trigger type (IN, OUT, F1 to F40) is required")}
	}
	return s.c.do(ctx, request{call: "clearTrigger", method: http.MethodDelete,
		path: func(sid string) string { return seg("trigger", sid, triggerType) }}, nil)
}
