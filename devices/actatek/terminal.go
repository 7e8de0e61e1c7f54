package actatek

import (
	"context"
	"net/http"
	"strconv"
)

// TerminalService drives the terminal itself: door, relays, status and settings (spec 11).
type TerminalService service

// OpenDoor opens the door strike and returns the terminal's message (open Door, 11.1).
func (s *TerminalService) OpenDoor(ctx context.Context) (string, error) {
	res, err := s.c.write(ctx, request{call: "openDoor", method: http.MethodPost,
		path: func(sid string) string { return seg("opendoor", sid) }}, 1, nil)
	return firstMessage(res), err
}

// APIVersion returns the API name and version (get APIVersion, 11.2); it needs no session.
func (s *TerminalService) APIVersion(ctx context.Context) (APIVersion, error) {
	var out APIVersion
	err := s.c.do(ctx, request{call: "getAPIVersion", method: http.MethodGet,
		path: func(string) string { return pathAPIVersion() }, public: true}, &out)
	return out, err
}

// Status returns the serial number, firmware and user counts (get Terminal Status, 11.3).
func (s *TerminalService) Status(ctx context.Context) (TerminalStatus, error) {
	var out TerminalStatus
	err := s.c.do(ctx, request{call: "getTerminalStatus", method: http.MethodGet,
		path: func(sid string) string { return seg("terminalstatus", sid) }}, &out)
	return out, err
}

// Relay opens or closes a relay (Relay action, 11.4): action RelayOpen or RelayClose,
// relayID RelayOne, RelayTwo or RelayAll. It returns the terminal's message.
func (s *TerminalService) Relay(ctx context.Context, action, relayID string) (string, error) {
	if action == "" || relayID == "" {
		return "", invalid("relayAction", "a relay action (open, close) and a relay (ONE, TWO, ALL) are required")
	}
	res, err := s.c.write(ctx, request{call: "relayAction", method: http.MethodPost,
		path: func(sid string) string { return seg("relay", sid, action, relayID) }}, 1, nil)
	return firstMessage(res), err
}

// RelaySettings returns the setting of relay ONE or TWO, or both for ALL (get Relay
// Setting, 11.6).
func (s *TerminalService) RelaySettings(ctx context.Context, relayID string) ([]RelaySetting, error) {
	var out List[RelaySetting]
	err := s.c.do(ctx, request{call: "getRelaySetting", method: http.MethodGet,
		path: func(sid string) string { return seg("relaysetting", sid, relayID) }}, &out)
	return out, err
}

// SetRelay changes one relay's setting (set Relay Setting, 11.5).
func (s *TerminalService) SetRelay(ctx context.Context, r RelaySetting) error {
	return s.c.writeOne(ctx, request{call: "setRelaySetting", method: http.MethodPut,
		path: func(sid string) string { return seg("relaysetting", sid) }, body: r})
}

// AutoInOut returns the auto IN/OUT setting (getAutoInOut, 11.8).
func (s *TerminalService) AutoInOut(ctx context.Context) (AutoInOut, error) {
	var out AutoInOut
	err := s.c.do(ctx, request{call: "getAutoInOut", method: http.MethodGet,
		path: func(sid string) string { return seg("autoInOut", sid) }}, &out)
	return out, err
}

// SetAutoInOut changes the auto IN/OUT setting (setAutoInOut, 11.7).
func (s *TerminalService) SetAutoInOut(ctx context.Context, a AutoInOut) error {
	return s.c.writeOne(ctx, request{call: "setAutoInOut", method: http.MethodPut,
		path: func(sid string) string { return seg("autoInOut", sid) }, body: a})
}

// LogUnauthorizedEvent reports whether unauthorised events are logged
// (getLogUnauthorizedEvent, 11.10).
func (s *TerminalService) LogUnauthorizedEvent(ctx context.Context) (bool, error) {
	var out enableAnswer
	err := s.c.do(ctx, request{call: "getLogUnauthorizedEvent", method: http.MethodGet,
		path: func(sid string) string { return seg("logUnauthorizedEvent", sid) }}, &out)
	return bool(out.Enable), err
}

// SetLogUnauthorizedEvent turns logging of unauthorised events on or off
// (set LogUnauthorizedEvent, 11.9).
func (s *TerminalService) SetLogUnauthorizedEvent(ctx context.Context, enable bool) error {
	return s.c.writeOne(ctx, request{call: "setLogUnauthorizedEvent", method: http.MethodPut,
		path: func(sid string) string { return seg("logUnauthorizedEvent", sid, strconv.FormatBool(enable)) }})
}

// CaptureFingerprint returns the last captured fingerprint image, JPEG
// (getCaptureFingerprint, 11.11).
func (s *TerminalService) CaptureFingerprint(ctx context.Context) ([]byte, error) {
	var out photoAnswer
	err := s.c.do(ctx, request{call: "getCaptureFingerprint", method: http.MethodGet,
		path: func(sid string) string { return seg("getCaptureFingerprint", sid) }}, &out)
	return out.JPEGPhoto, err
}

// RTP returns the video streaming setting and state (get RTP Setting, 11.13).
func (s *TerminalService) RTP(ctx context.Context) (RTPSetting, error) {
	var out RTPSetting
	err := s.c.do(ctx, request{call: "getRTPSetting", method: http.MethodGet, path: pathRTP}, &out)
	return out, err
}

// SetRTP changes the video streaming setting (set RTP Setting, 11.12); SDPFile and
// Status are not sent.
func (s *TerminalService) SetRTP(ctx context.Context, r RTPSetting) error {
	r.SDPFile, r.Status = "", ""
	return s.c.writeOne(ctx, request{call: "setRTPSetting", method: http.MethodPut, path: pathRTP, body: r})
}

// Consent returns the consent message setting (get Consent message Setting, 11.15).
func (s *TerminalService) Consent(ctx context.Context) (Consent, error) {
	var out Consent
	err := s.c.do(ctx, request{call: "getConsent", method: http.MethodGet,
		path: func(sid string) string { return seg("consent", sid) }}, &out)
	return out, err
}

// SetConsent changes the consent message setting (set Consent message Setting, 11.14);
// both values travel in the path.
func (s *TerminalService) SetConsent(ctx context.Context, c Consent) error {
	mode := "disable"
	if c.Enable {
		mode = "enable"
	}
	return s.c.writeOne(ctx, request{call: "setConsent", method: http.MethodPut,
		path: func(sid string) string { return seg("consent", sid, mode, c.DisplayName) }})
}

// LogSetting returns the log setting (get Log Setting, 11.17).
func (s *TerminalService) LogSetting(ctx context.Context) (LogSetting, error) {
	var out LogSetting
	err := s.c.do(ctx, request{call: "getLogSetting", method: http.MethodGet,
		path: func(sid string) string { return seg("logsetting", sid) }}, &out)
	return out, err
}

// SetLogSetting changes the log setting (set Log Setting, 11.16).
func (s *TerminalService) SetLogSetting(ctx context.Context, l LogSetting) error {
	return s.c.writeOne(ctx, request{call: "setLogSetting", method: http.MethodPut,
		path: func(sid string) string { return seg("logsetting", sid) }, body: l})
}

// firstMessage is the terminal's message in a write's first result, "" when none.
func firstMessage(res []Result) string {
	if len(res) == 0 {
		return ""
	}
	return res[0].Message
}
