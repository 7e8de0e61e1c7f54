package actatek

import (
	"context"
	"net/http"
)

// TimeService reads and sets the terminal's clock and NTP setting (spec 10).
type TimeService service

func pathNTP(sid string) string { return seg("ntp", sid) }

// NTP returns the NTP setting (get NTP Server setting, 10.1).
func (s *TimeService) NTP(ctx context.Context) (NTPSetting, error) {
	var out NTPSetting
	err := s.c.do(ctx, request{call: "getNTP", method: http.MethodGet, path: pathNTP}, &out)
	return out, err
}

// SetNTP changes the NTP setting (set NTP Server setting, 10.2).
func (s *TimeService) SetNTP(ctx context.Context, n NTPSetting) error {
	return s.c.writeOne(ctx, request{call: "setNTP", method: http.MethodPut, path: pathNTP, body: n})
}

// Get returns the terminal's clock (local time, no Z) and time zone (get Terminal
// DateTime Info, 10.3).
func (s *TimeService) Get(ctx context.Context) (TerminalTime, error) {
	var out TerminalTime
	err := s.c.do(ctx, request{call: "getTime", method: http.MethodGet, path: pathTime}, &out)
	return out, err
}

// Set sets the terminal's clock and time zone (set Terminal DateTime Info, 10.4). A UTC
// CurrentTime (UTC(t)) is unambiguous whatever the terminal's zone; a Local one is read in
// the zone being set.
func (s *TimeService) Set(ctx context.Context, t TerminalTime) error {
	if t.CurrentTime.IsZero() {
		return invalid("setTime", "the time to set is required")
	}
	return s.c.writeOne(ctx, request{call: "setTime", method: http.MethodPut, path: pathNTP, body: t})
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

// pathTime is the get of 10.3. Its set (10.4) repeats the NTP path line and example, so
// it is sent to /ntp/{sessionid} with the {currentTime, timezone} body, which does not
// overlap the NTP body (serveraddr, enable).
func pathTime(sid string) string { return seg("time", sid) }
