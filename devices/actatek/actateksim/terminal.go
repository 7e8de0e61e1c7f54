package actateksim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// handleGetNTP is GET ntp/{sessionid} (10.1).
func handleGetNTP(s *Simulator, c *call) reply { return ok(s.st.ntp) }

// handlePutNTP is PUT ntp/{sessionid}: set NTP (10.2), or set the terminal's time (10.4,
// whose path line repeats the NTP path) when the body carries currentTime.
func handlePutNTP(s *Simulator, c *call) reply {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(c.body, &probe); err != nil {
		return refuse("the body is not a JSON object: %v", err)
	}
	if _, isTime := probe["currentTime"]; isTime {
		return handleSetTime(s, c)
	}
	var n actatek.NTPSetting
	if err := json.Unmarshal(c.body, &n); err != nil {
		return refuse("NTP setting is not valid: %v", err)
	}
	if _, has := probe["serveraddr"]; !has {
		n.ServerAddr = s.st.ntp.ServerAddr
	}
	if n.Enable && strings.TrimSpace(n.ServerAddr) == "" {
		return refuse("NTP needs at least one server to be enabled")
	}
	s.st.ntp = n
	return success("NTP Server setting updated")
}

// handleGetTime is GET time/{sessionid} (10.3): local time without Z.
func handleGetTime(s *Simulator, c *call) reply {
	return ok(actatek.TerminalTime{CurrentTime: actatek.Local(s.terminalNow().In(s.st.loc)), Timezone: s.st.tzName})
}

// handleSetTime sets the clock and time zone (10.4). A local currentTime is read in the
// time zone being set.
func handleSetTime(s *Simulator, c *call) reply {
	var t actatek.TerminalTime
	if err := json.Unmarshal(c.body, &t); err != nil {
		return refuse("time setting is not valid: %v", err)
	}
	loc, name := s.st.loc, s.st.tzName
	if t.Timezone != "" {
		l, err := time.LoadLocation(t.Timezone)
		if err != nil {
			return refuse("timezone %q is not a TZ identifier", t.Timezone)
		}
		loc, name = l, t.Timezone
	}
	if !t.CurrentTime.IsZero() {
		s.st.clockOffset = t.CurrentTime.In(loc).Sub(s.opts.Now())
	}
	s.st.loc, s.st.tzName = loc, name
	return success("Time setting updated")
}

// handleOpenDoor is POST opendoor/{sessionid} (11.1); the event is logged with a
// snapshot when photo logging is on.
func handleOpenDoor(s *Simulator, c *call) reply {
	var photo []byte
	if s.st.logSetting.LogPhotoAuthEvent {
		photo = FacePhoto(s.opts.Seed^int64(s.st.nextLogID)<<8, 240, 320)
	}
	s.addLog(c.sess.user, "REMOTE DOOR OPEN", "REMOTE", photo)
	return success("Main door opened")
}

// handleAPIVersion is GET apiversion (11.2).
func handleAPIVersion(s *Simulator, c *call) reply {
	return ok(actatek.APIVersion{Name: "A4 REST API", Version: "0.1"})
}

// handleTerminalStatus is GET terminalstatus/{sessionid} (11.3).
func handleTerminalStatus(s *Simulator, c *call) reply {
	auto := 0
	for _, u := range s.st.users {
		if u.Status != nil && actatek.On(u.Status.AutoMatch) && len(u.Fingerprints) > 0 {
			auto++
		}
	}
	return ok(actatek.TerminalStatus{
		SerialNumber: s.opts.SerialNumber, FAMVersion: "NO FAM", Description: "ACTAtek",
		RegisteredUsers: actatek.Int(len(s.st.userOrder)), MaximumUsers: actatek.Int(s.opts.MaxUsers),
		AutomatchUsers: actatek.Int(auto), MaximumAutomatchUsers: 0,
		CurrentStatus: "Online", FirmwareVersion: "actateksim-0.1",
	})
}

// handleRelay is POST relay/{sessionid}/{relayaction}/{relayid} (11.4).
func handleRelay(s *Simulator, c *call) reply {
	action, id := strings.ToLower(c.arg(1)), strings.ToUpper(c.arg(2))
	if action != actatek.RelayOpen && action != actatek.RelayClose {
		return refuse("relay action %q is not open or close", c.arg(1))
	}
	ids := []string{id}
	switch id {
	case actatek.RelayOne, actatek.RelayTwo:
	case actatek.RelayAll:
		ids = []string{actatek.RelayOne, actatek.RelayTwo}
	default:
		return refuse("relay %q is not ONE, TWO or ALL", c.arg(2))
	}
	for _, r := range ids {
		s.st.relayOpen[r] = action == actatek.RelayOpen
	}
	verb := "closed"
	if action == actatek.RelayOpen {
		verb = "opened"
		s.addLog(c.sess.user, "REMOTE RELAY "+id+" OPEN", "REMOTE", nil)
	}
	return success("Relay %s %s", id, verb)
}

// relayOptions are the options each relay accepts (11.5).
func relayOptions(id string) []string {
	if id == actatek.RelayOne {
		return []string{"disable", "access_denied"}
	}
	return []string{"disable", "access_granted", "access_denied", "doorbell", "bell_schedule"}
}

// handleSetRelaySetting is PUT relaysetting/{sessionid} (11.5).
func handleSetRelaySetting(s *Simulator, c *call) reply {
	var r actatek.RelaySetting
	if err := json.Unmarshal(c.body, &r); err != nil {
		return refuse("relay setting is not valid: %v", err)
	}
	r.ID = strings.ToUpper(r.ID)
	if r.ID != actatek.RelayOne && r.ID != actatek.RelayTwo {
		return refuse("relay %q is not ONE or TWO", r.ID)
	}
	if !slices.Contains(relayOptions(r.ID), r.Option) {
		return refuse("option %q is not one of %s for relay %s", r.Option, strings.Join(relayOptions(r.ID), ", "), r.ID)
	}
	// The simulated terminal has no door-open schedule, so the 1 to 20 second range applies.
	if r.Delay < 1 || r.Delay > 20 {
		return refuse("delay must be between 1 and 20 seconds when the door open schedule is disabled")
	}
	s.st.relays[r.ID] = r
	return success("relay setting %s updated", r.ID)
}

// handleGetRelaySetting is GET relaysetting/{sessionid}/{relayid} (11.6): an object, or
// both in an array for ALL.
func handleGetRelaySetting(s *Simulator, c *call) reply {
	switch id := strings.ToUpper(c.arg(1)); id {
	case actatek.RelayOne, actatek.RelayTwo:
		return ok(s.st.relays[id])
	case actatek.RelayAll, "":
		return ok([]actatek.RelaySetting{s.st.relays[actatek.RelayOne], s.st.relays[actatek.RelayTwo]})
	}
	return refuse("relay %q is not ONE, TWO or ALL", c.arg(1))
}

// isHHMM reports whether v is a time of day written HH:MM.
func isHHMM(v string) bool {
	_, err := time.Parse("15:04", v)
	return err == nil && len(v) == 5
}

// handleSetAutoInOut is PUT autoInOut/{sessionid} (11.7).
func handleSetAutoInOut(s *Simulator, c *call) reply {
	var a actatek.AutoInOut
	if err := json.Unmarshal(c.body, &a); err != nil {
		return refuse("autoInOut setting is not valid: %v", err)
	}
	modes := []string{"disable", "enable", "autoInOut", "reject_repeat_login", "anti_passback", "lunch_break", "crowd_control"}
	switch {
	case !slices.Contains(modes, a.Mode):
		return refuse("mode %q is not one of %s", a.Mode, strings.Join(modes, ", "))
	case a.RejectRepeatTimeSec != 0 && (a.RejectRepeatTimeSec < 1 || a.RejectRepeatTimeSec > 86400):
		return refuse("rejectRepeat_time_sec must be from 1 to 86400")
	case a.LockoutTimeMin != 0 && (a.LockoutTimeMin < 1 || a.LockoutTimeMin > 120):
		return refuse("lockout_time_min must be from 1 to 120")
	case a.CrowdLimitCount != 0 && (a.CrowdLimitCount < 1 || a.CrowdLimitCount > 65535):
		return refuse("crowd_limit_count must be from 1 to 65535")
	case a.CrowdResetHHMM != "" && !isHHMM(a.CrowdResetHHMM):
		return refuse("crowd_reset_hhmm must be HH:MM")
	}
	s.st.autoInOut = a
	return success("autoInOut option updated")
}

// handleGetAutoInOut is GET autoInOut/{sessionid} (11.8).
func handleGetAutoInOut(s *Simulator, c *call) reply { return ok(s.st.autoInOut) }

// handleSetLogUnauth is PUT logUnauthorizedEvent/{sessionid}/{enable} (11.9).
func handleSetLogUnauth(s *Simulator, c *call) reply {
	var b actatek.Bool
	if err := b.UnmarshalJSON([]byte(c.arg(1))); err != nil || c.arg(1) == "" {
		return refuse("enable %q is not enable/1/true or disable/0/false", c.arg(1))
	}
	s.st.logUnauth = bool(b)
	return success("logUnauthorizedEvent set %t", s.st.logUnauth)
}

// handleGetLogUnauth is GET logUnauthorizedEvent/{sessionid} (11.10).
func handleGetLogUnauth(s *Simulator, c *call) reply {
	return ok(map[string]bool{"enable": s.st.logUnauth})
}

// handleCaptureFingerprint is GET getCaptureFingerprint/{sessionid} (11.11).
func handleCaptureFingerprint(s *Simulator, c *call) reply {
	return ok(map[string]actatek.Base64{"jpegPhoto": FingerprintImage(s.opts.Seed + int64(s.stats.Calls))})
}

// handleSetRTP is PUT rtpsetting/{sessionid} (11.12).
func handleSetRTP(s *Simulator, c *call) reply {
	var r actatek.RTPSetting
	if err := json.Unmarshal(c.body, &r); err != nil {
		return refuse("RTP setting is not valid: %v", err)
	}
	if !slices.Contains([]string{"disable", "RTP", "SRTP"}, r.Mode) {
		return refuse("mode %q is not disable, RTP or SRTP", r.Mode)
	}
	if !slices.Contains([]actatek.Int{5, 10, 15, 20, 25, 30}, r.FPS) {
		return refuse("fps must be 5, 10, 15, 20, 25 or 30")
	}
	if r.Mode == "SRTP" && r.Key == "" {
		return refuse("SRTP needs a key")
	}
	r.Status = "Terminated"
	r.SDPFile = ""
	if r.Mode != "disable" {
		r.Status = "Running"
		r.SDPFile = fmt.Sprintf("https://%s/A4.sdp", c.host)
	}
	s.st.rtp = r
	return success("rtp setting updated, wait few second to get latest status")
}

// handleGetRTP is GET rtpsetting/{sessionid} (11.13).
func handleGetRTP(s *Simulator, c *call) reply { return ok(s.st.rtp) }

// handleSetConsent is PUT consent/{sessionid}/{enable}/{display_name} (11.14).
func handleSetConsent(s *Simulator, c *call) reply {
	mode := strings.ToLower(c.arg(1))
	if mode != "enable" && mode != "disable" {
		return refuse("consent mode %q is not enable or disable", c.arg(1))
	}
	s.st.consent = actatek.Consent{Enable: mode == "enable", DisplayName: c.arg(2)}
	return success("Consent is %s", mode)
}

// handleGetConsent is GET consent/{sessionid} (11.15).
func handleGetConsent(s *Simulator, c *call) reply {
	return ok(map[string]any{"status": actatek.StatusSuccess, "enable": s.st.consent.Enable, "display_name": s.st.consent.DisplayName})
}

// handleSetLogSetting is PUT logsetting/{sessionid} (11.16).
func handleSetLogSetting(s *Simulator, c *call) reply {
	var l actatek.LogSetting
	if err := json.Unmarshal(c.body, &l); err != nil {
		return refuse("log setting is not valid: %v", err)
	}
	switch {
	case !slices.Contains([]string{"disable", "user_event", "audit_event", "user_audit_event"}, l.LogEvent):
		return refuse("log_event %q is not disable, user_event, audit_event or user_audit_event", l.LogEvent)
	case !slices.Contains([]actatek.Int{10000, 75000, 100000, 500000, 1000000}, l.LogSize):
		return refuse("log_size must be 10000, 75000, 100000, 500000 or 1000000")
	case !slices.Contains([]string{"FullSN", "ID", "FC_ID"}, l.LogEMOption):
		return refuse("log_EM_Option %q is not FullSN, ID or FC_ID", l.LogEMOption)
	}
	s.st.logSetting = l
	return success("log setting updated")
}

// handleGetLogSetting is GET logsetting/{sessionid} (11.17).
func handleGetLogSetting(s *Simulator, c *call) reply { return ok(s.st.logSetting) }
