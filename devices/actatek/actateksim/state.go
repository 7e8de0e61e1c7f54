package actateksim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// state is everything the terminal keeps.
type state struct {
	sessions map[string]*session

	users     map[string]*actatek.User
	userOrder []string // insertion order, for UserBatch paging

	departments map[int]actatek.Department
	rights      map[int]actatek.AccessRight
	groups      map[int]actatek.AccessGroup
	triggers    map[string]actatek.Trigger
	agents      []actatek.Agent

	ntp         actatek.NTPSetting
	clockOffset time.Duration // terminal clock minus the simulator's clock
	loc         *time.Location
	tzName      string

	relays      map[string]actatek.RelaySetting
	relayOpen   map[string]bool
	autoInOut   actatek.AutoInOut
	logUnauth   bool
	rtp         actatek.RTPSetting
	consent     actatek.Consent
	logSetting  actatek.LogSetting
	jobSettings []actatek.JobCodeSetting
	jobCodes    []actatek.JobCode
	holidays    map[string]bool

	logs      []logEntry
	nextLogID int

	expireAfter int // user writes left before every session expires; < 0: disarmed
	expireMode  BatchExpiry
}

// logEntry is one event of the terminal's log.
type logEntry struct {
	id             int
	at             time.Time // the instant
	userID         string
	userName       string
	departmentName string
	trigger        string
	terminalSN     string
	accessMethod   string
	remarks        string
	photo          []byte
}

func newState(opts Options, loc *time.Location) state {
	st := state{
		sessions:    map[string]*session{},
		users:       map[string]*actatek.User{},
		departments: map[int]actatek.Department{0: {ID: 0, Name: "General", Description: "General"}},
		rights: map[int]actatek.AccessRight{0: {ID: 0, Name: "Always",
			TimeSpec: alwaysOn()}},
		groups:   map[int]actatek.AccessGroup{0: {ID: 0, Name: "General Staff", DepartmentID: 0, AccessRightID: actatek.IDs{0}}},
		triggers: map[string]actatek.Trigger{},
		ntp:      actatek.NTPSetting{ServerAddr: "0.pool.ntp.org 1.pool.ntp.org", Enable: false},
		loc:      loc,
		tzName:   opts.TimeZone,
		relays: map[string]actatek.RelaySetting{
			actatek.RelayOne: {ID: actatek.RelayOne, Option: "disable", Delay: 5},
			actatek.RelayTwo: {ID: actatek.RelayTwo, Option: "access_granted", Delay: 5},
		},
		relayOpen: map[string]bool{},
		autoInOut: actatek.AutoInOut{Mode: "disable", AutoReset: true, RejectRepeatTimeSec: 8, LockoutTimeMin: 20, CrowdLimitCount: 100, CrowdResetHHMM: "00:00"},
		logUnauth: true,
		rtp:       actatek.RTPSetting{Mode: "disable", FPS: 10, STUN: "stun:stun1.l.google.com:3478", Status: "Terminated"},
		consent:   actatek.Consent{Enable: false, DisplayName: "ACTAtek"},
		logSetting: actatek.LogSetting{LogEvent: "user_audit_event", LogSize: 75000, LogUnauthEvent: true,
			LogPhotoAuthEvent: true, LogPhotoUnauthEvent: true, LogCaseEvent: true, LogEMOption: "FullSN"},
		jobSettings: []actatek.JobCodeSetting{
			{JobCode: 1, Name: "Job", Enable: "disable"},
			{JobCode: 2, Name: "Occupation", Enable: "disable"},
			{JobCode: 3, Name: "Customise", Enable: "disable"},
		},
		holidays:    map[string]bool{},
		nextLogID:   1,
		expireAfter: -1,
	}
	for _, t := range triggerTypes() {
		st.triggers[t] = actatek.Trigger{Type: t, Name: t, Enable: t == "IN" || t == "OUT"}
	}
	return st
}

func alwaysOn() actatek.List[actatek.TimeSpec] {
	var ts actatek.List[actatek.TimeSpec]
	for _, d := range actatek.Weekdays() {
		ts = append(ts, actatek.TimeSpec{Weekday: d, TimePattern: actatek.AlwaysOn})
	}
	return ts
}

// triggerTypes are IN, OUT and F1 to F40 (7.2).
func triggerTypes() []string {
	t := []string{"IN", "OUT"}
	for i := 1; i <= 40; i++ {
		t = append(t, fmt.Sprintf("F%d", i))
	}
	return t
}

// terminalNow is the terminal's clock.
func (s *Simulator) terminalNow() time.Time {
	return s.opts.Now().Add(s.st.clockOffset)
}

// instant turns a DateTime from a request into an instant, reading local values in the
// terminal's time zone.
func (s *Simulator) instant(d actatek.DateTime) time.Time {
	return d.In(s.st.loc)
}

// addLog appends an event stamped with the terminal's clock.
func (s *Simulator) addLog(userID, trigger, method string, photo []byte) {
	s.addLogAt(s.terminalNow(), userID, trigger, method, photo)
}

func (s *Simulator) addLogAt(at time.Time, userID, trigger, method string, photo []byte) {
	e := logEntry{
		id: s.st.nextLogID, at: at.Truncate(time.Second), userID: userID, trigger: trigger,
		terminalSN: s.opts.SerialNumber, accessMethod: method, photo: photo,
	}
	if method != "" {
		e.remarks = "#" + method + "#"
	}
	if u := s.st.users[userID]; u != nil {
		e.userName = strings.TrimSpace(u.FirstName + " " + u.LastName)
		if len(u.DepartmentID) > 0 {
			e.departmentName = s.st.departments[u.DepartmentID[0]].Name
		} else {
			e.departmentName = s.st.departments[0].Name
		}
	} else if userID == s.opts.Username {
		e.userName = "Administrator"
	}
	s.st.nextLogID++
	s.st.logs = append(s.st.logs, e)
}

func levelOf(l string) string {
	switch l = strings.ToUpper(strings.TrimSpace(l)); l {
	case actatek.NetworkAdmin, actatek.UserAdmin, actatek.SuperAdmin:
		return l
	}
	return actatek.PersonalUser
}

// seedDemo creates n made-up users, each with a photo, and a few days of their IN/OUT
// events, deterministically from the seed.
func (s *Simulator) seedDemo(n int) {
	first := []string{"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Mei", "Noor", "Omar", "Priya"}
	last := []string{"Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Haddad", "Novak", "Chen", "Walsh", "Kowalski", "Ibrahim", "Rossi"}
	now := s.terminalNow()
	for i := 0; i < n && i < s.opts.MaxUsers; i++ {
		id := fmt.Sprintf("D%04d", i+1)
		photo := FacePhoto(s.opts.Seed+int64(i), 240, 320)
		u := &actatek.User{
			UserID: id, FirstName: first[s.rng.IntN(len(first))], LastName: last[s.rng.IntN(len(last))],
			AdminLevel: actatek.PersonalUser, GroupID: actatek.IDs{0}, DepartmentID: actatek.IDs{0},
			Status:        wholeStatus(actatek.UserStatus{Active: actatek.Flag(true), Facial: actatek.Flag(true), FacialAutoMatch: actatek.Flag(true)}),
			FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: extractTemplate(photo), Photo: photo}},
		}
		s.st.users[id] = u
		s.st.userOrder = append(s.st.userOrder, id)
	}
	// Three working days of IN (08:00 to 09:00) and OUT (17:00 to 18:00), terminal time.
	local := now.In(s.st.loc)
	for day := 3; day >= 1; day-- {
		d := local.AddDate(0, 0, -day)
		type ev struct {
			at      time.Time
			id, trg string
		}
		var evs []ev
		for _, id := range s.st.userOrder {
			in := time.Date(d.Year(), d.Month(), d.Day(), 8, 0, s.rng.IntN(3600), 0, s.st.loc)
			out := time.Date(d.Year(), d.Month(), d.Day(), 17, 0, s.rng.IntN(3600), 0, s.st.loc)
			evs = append(evs, ev{in, id, "IN"}, ev{out, id, "OUT"})
		}
		slices.SortStableFunc(evs, func(a, b ev) int { return a.at.Compare(b.at) })
		for _, e := range evs {
			s.addLogAt(e.at, e.id, e.trg, "FACE", s.st.users[e.id].FacialRecords[0].Photo)
		}
	}
}

// routeTable maps each endpoint (the first path segment after the API prefix) and method
// to its handler. Paths follow the spec's Path lines (see the wire model).
func routeTable() map[string]map[string]handler {
	return map[string]map[string]handler{
		"login":                 {http.MethodPost: handleLogin},
		"logout":                {http.MethodDelete: handleLogout},
		"getLogs":               {http.MethodGet: handleGetLogs},
		"getLogPhoto":           {http.MethodGet: handleGetLogPhoto},
		"addLog":                {http.MethodPost: handleAddLog},
		"deleteLogs":            {http.MethodDelete: handleDeleteLogs},
		"resetLog":              {http.MethodDelete: handleResetLog},
		"user":                  {http.MethodPost: handleAddUsers, http.MethodGet: handleGetUsers, http.MethodPut: handleUpdateUsers, http.MethodDelete: handleDeleteUser},
		"activateUser":          {http.MethodPost: handleActivate, http.MethodDelete: handleDeactivate},
		"UserMessage":           {http.MethodGet: handleGetMessage, http.MethodPost: handleSetMessage, http.MethodDelete: handleDeleteMessage},
		"UserCount":             {http.MethodGet: handleUserCount},
		"UserBatch":             {http.MethodGet: handleUserBatch},
		"UserAPITOTP":           {http.MethodGet: handleTOTP},
		"department":            {http.MethodPost: handleAddDepartments, http.MethodPut: handleUpdateDepartments, http.MethodGet: handleGetDepartments, http.MethodDelete: handleDeleteDepartments},
		"accessright":           {http.MethodPost: handleAddRights, http.MethodPut: handleUpdateRights, http.MethodGet: handleGetRights, http.MethodDelete: handleDeleteRight},
		"accessgroup":           {http.MethodPost: handleAddGroups, http.MethodPut: handleUpdateGroups, http.MethodGet: handleGetGroups, http.MethodDelete: handleDeleteGroup},
		"trigger":               {http.MethodGet: handleGetTriggers, http.MethodPut: handleUpdateTrigger, http.MethodDelete: handleClearTrigger},
		"myself":                {http.MethodGet: handleGetMyself, http.MethodPut: handleUpdateMyself},
		"agent":                 {http.MethodPost: handleRegisterAgent, http.MethodDelete: handleUnregisterAgent, http.MethodGet: handleGetAgents},
		"ntp":                   {http.MethodGet: handleGetNTP, http.MethodPut: handlePutNTP},
		"time":                  {http.MethodGet: handleGetTime, http.MethodPut: handleSetTime},
		"opendoor":              {http.MethodPost: handleOpenDoor},
		"apiversion":            {http.MethodGet: handleAPIVersion},
		"terminalstatus":        {http.MethodGet: handleTerminalStatus},
		"relay":                 {http.MethodPost: handleRelay},
		"relaysetting":          {http.MethodGet: handleGetRelaySetting, http.MethodPut: handleSetRelaySetting},
		"autoInOut":             {http.MethodGet: handleGetAutoInOut, http.MethodPut: handleSetAutoInOut},
		"logUnauthorizedEvent":  {http.MethodGet: handleGetLogUnauth, http.MethodPut: handleSetLogUnauth},
		"getCaptureFingerprint": {http.MethodGet: handleCaptureFingerprint},
		"rtpsetting":            {http.MethodGet: handleGetRTP, http.MethodPut: handleSetRTP},
		"consent":               {http.MethodGet: handleGetConsent, http.MethodPut: handleSetConsent},
		"logsetting":            {http.MethodGet: handleGetLogSetting, http.MethodPut: handleSetLogSetting},
		"jobcodesetting":        {http.MethodGet: handleGetJobSettings, http.MethodPut: handleUpdateJobSettings},
		"jobcode":               {http.MethodPost: handleAddJobCodes, http.MethodPut: handleUpdateJobCodes, http.MethodGet: handleGetJobCodes, http.MethodDelete: handleDeleteJobCodes},
		"holiday":               {http.MethodGet: handleGetHolidays, http.MethodPost: handleAddHolidays, http.MethodDelete: handleDeleteHolidays},
	}
}
