package actatek

import (
	"context"
	"net/http"
	"net/url"
)

// HolidayService manages the terminal's holidays (spec 13).
type HolidayService service

// List returns the holidays matching date (YYYY-MM-DD, 0 as a wildcard: "2025-0-0" is
// every holiday of 2025), or all of them when date is empty (get Holidays, 13.1).
func (s *HolidayService) List(ctx context.Context, date string) ([]string, error) {
	q := url.Values{}
	setIf(q, "date", date)
	var out Holidays
	err := s.c.do(ctx, request{call: "getHolidays", method: http.MethodGet, path: pathHoliday, query: q}, &out)
	return out.Dates, err
}

// Add adds holidays (set Holidays, 13.2). Dates the terminal refused are in the result's
// InvalidDates; that alone is not an error.
func (s *HolidayService) Add(ctx context.Context, dates ...string) (HolidayResult, error) {
	return s.write(ctx, "setHolidays", http.MethodPost, dates)
}

// Delete removes holidays (deleteHolidays, 13.3). Dates that were malformed or not
// holidays are in the result's InvalidDates.
func (s *HolidayService) Delete(ctx context.Context, dates ...string) (HolidayResult, error) {
	return s.write(ctx, "deleteHolidays", http.MethodDelete, dates)
}

func (s *HolidayService) write(ctx context.Context, call, method string, dates []string) (HolidayResult, error) {
	if len(dates) == 0 {
		return HolidayResult{}, invalid(call, "at least one date is required")
	}
	var out HolidayResult
	_, err := s.c.write(ctx, request{call: call, method: method, path: pathHoliday, body: Holidays{Dates: dates}}, 1, &out)
	return out, err
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

// pathHoliday is getHolidays, setHolidays and deleteHolidays (13.1 to 13.3). 13.1's path
// line, /holiday/{sessionid?date}, and example, /holiday/1805350299/date=2025-0-0, are
// garbled: the date is sent as the query parameter "date".
func pathHoliday(sid string) string { return seg("holiday", sid) }
