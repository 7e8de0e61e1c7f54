package actatek

import (
	"context"
	"errors"
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
		return HolidayResult{}, &Error{Call: call, Err: errors.New("at least one date is required")}
	}
	var out HolidayResult
	err := s.c.do(ctx, request{call: call, method: method, path: pathHoliday, body: Holidays{Dates: dates}}, &out)
	return out, err
}
