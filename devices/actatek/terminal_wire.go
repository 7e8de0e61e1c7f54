package actatek

// APIVersion is the answer of apiversion (11.2), the one call without a session.
type APIVersion struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// TerminalStatus is the answer of terminalstatus (11.3).
type TerminalStatus struct {
	SerialNumber          string `json:"serialNumber"`
	FAMVersion            string `json:"FAMVersion"`
	Description           string `json:"description"`
	RegisteredUsers       Int    `json:"registeredUsers"`
	MaximumUsers          Int    `json:"maximumUsers"`
	AutomatchUsers        Int    `json:"automatchUsers"`
	MaximumAutomatchUsers Int    `json:"maximumAutomatchUsers"`
	CurrentStatus         string `json:"currentStatus"`
	FirmwareVersion       string `json:"firmwareVersion"`
}

// Relay identifiers and actions (11.4 to 11.6).
const (
	RelayOne   = "ONE"
	RelayTwo   = "TWO"
	RelayAll   = "ALL"
	RelayOpen  = "open"
	RelayClose = "close"
)

// RelaySetting is one door strike's setting (11.5, 11.6). Option is 'disable' or
// 'access_denied' for ONE; 'disable', 'access_granted', 'access_denied', 'doorbell' or
// 'bell_schedule' for TWO. Delay is 1 to 20 seconds (1 to 1800 with a door-open schedule).
type RelaySetting struct {
	ID     string `json:"id"`
	Option string `json:"option"`
	Delay  Int    `json:"delay"`
}

// AutoInOut is the auto IN/OUT setting (11.7, 11.8). Mode is 'disable', 'enable' or
// 'autoInOut', 'reject_repeat_login', 'anti_passback', 'lunch_break' or 'crowd_control'.
type AutoInOut struct {
	Mode                string `json:"mode"`
	AutoReset           Bool   `json:"auto_reset"`
	RejectRepeatTimeSec Int    `json:"rejectRepeat_time_sec"`
	LockoutTimeMin      Int    `json:"lockout_time_min"`
	CrowdLimitCount     Int    `json:"crowd_limit_count"`
	CrowdResetHHMM      string `json:"crowd_reset_hhmm"`
}

// enableAnswer is the answer of getLogUnauthorizedEvent (11.10).
type enableAnswer struct {
	Enable Bool `json:"enable"`
}

// photoAnswer is the answer of getCaptureFingerprint (11.11).
type photoAnswer struct {
	JPEGPhoto Base64 `json:"jpegPhoto"`
}

// RTPSetting is the video streaming setting (11.12, 11.13). Mode is 'disable', 'RTP' or
// 'SRTP'; FPS one of 5, 10, 15, 20, 25, 30. SDPFile and Status are only read.
type RTPSetting struct {
	Mode    string `json:"mode"`
	Key     string `json:"key,omitempty"`
	Target  string `json:"target,omitempty"`
	FPS     Int    `json:"fps"`
	STUN    string `json:"stun,omitempty"`
	SDPFile string `json:"sdpfile,omitempty"`
	Status  string `json:"status,omitempty"`
}

// Consent is the consent message setting (11.14, 11.15).
type Consent struct {
	Enable      Bool   `json:"enable"`
	DisplayName string `json:"display_name"`
}

// LogSetting is the log setting (11.16, 11.17).
type LogSetting struct {
	LogEvent                     string `json:"log_event"`
	LogSize                      Int    `json:"log_size"`
	LogUnauthEvent               Bool   `json:"log_unAuth_event"`
	LogAcceptNonRegisteredCard   Bool   `json:"log_Accept_nonRegistered_card"`
	LogPhotoAuthEvent            Bool   `json:"log_photo_Auth_event"`
	LogPhotoUnauthEvent          Bool   `json:"log_photo_unAuth_event"`
	LogAcceptNonRegisteredFacial Bool   `json:"log_Accept_nonRegistered_facial"`
	LogCaseEvent                 Bool   `json:"log_case_event"`
	LogEMOption                  string `json:"log_EM_Option"`
}

// pathAPIVersion is apiversion (11.2), the one path without a session id.
func pathAPIVersion() string { return APIPrefix + "apiversion" }

// pathRTP is get and set RTP setting (11.12, 11.13). 11.13's path line ends in {relayid},
// copied from 11.6; the RTP setting has no relay, so the path is /rtpsetting/{sessionid}.
func pathRTP(sid string) string { return seg("rtpsetting", sid) }
