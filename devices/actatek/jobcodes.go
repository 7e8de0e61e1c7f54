package actatek

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"enrollstation/devices/internal/lenient"
)

// JobCodeService manages job code settings and job codes (spec 12).
type JobCodeService service

func pathJobCodeSetting(sid string) string { return seg("jobcodesetting", sid) }
func pathJobCode(sid string) string        { return seg("jobcode", sid) }

// Settings returns the three job code settings (get JobCode Settings, 12.1).
func (s *JobCodeService) Settings(ctx context.Context) ([]JobCodeSetting, error) {
	var out List[JobCodeSetting]
	err := s.c.do(ctx, request{call: "getJobCodeSettings", method: http.MethodGet, path: pathJobCodeSetting}, &out)
	return out, err
}

// UpdateSettings changes job code settings (update JobCode Settings, 12.2).
func (s *JobCodeService) UpdateSettings(ctx context.Context, js ...JobCodeSetting) error {
	return writeMany(ctx, s.c, "updateJobCodeSettings", http.MethodPut, pathJobCodeSetting, js)
}

// Add adds job codes (add JobCodes, 12.3).
func (s *JobCodeService) Add(ctx context.Context, js ...JobCode) error {
	return writeMany(ctx, s.c, "addJobCodes", http.MethodPost, pathJobCode, js)
}

// Update changes job codes (updateJobCodes, 12.4).
func (s *JobCodeService) Update(ctx context.Context, js ...JobCode) error {
	return writeMany(ctx, s.c, "updateJobCodes", http.MethodPut, pathJobCode, js)
}

// Delete removes the job code f names; 12.5 requires jobcode, id and name.
func (s *JobCodeService) Delete(ctx context.Context, f JobCodeFilter) error {
	if f.JobCode == 0 || f.ID == 0 || f.Name == "" {
		return invalid("deleteJobCodes", "job code setting, ID and name are all required")
	}
	f.Enable = ""
	return s.c.writeOne(ctx, request{call: "deleteJobCodes", method: http.MethodDelete, path: pathJobCode, query: f.Query()})
}

// List returns the job codes that match f (getJobCodes, 12.6, sent as GET).
func (s *JobCodeService) List(ctx context.Context, f JobCodeFilter) ([]JobCode, error) {
	if f.ID != 0 && f.JobCode == 0 {
		return nil, invalid("getJobCodes", "a job code ID needs its job code setting (1, 2 or 3)")
	}
	var out List[JobCode]
	err := s.c.do(ctx, request{call: "getJobCodes", method: http.MethodGet, path: pathJobCode, query: f.Query()}, &out)
	return out, err
}

// JobCodeSetting is one of the three job code settings (12.1, 12.2). Enable is typed
// integer but documented and shown as 'enable' or 'disable'; it is kept as that word.
type JobCodeSetting struct {
	JobCode Int        `json:"jobcode"`
	Name    string     `json:"name"`
	Enable  EnableWord `json:"enable"`
}

// JobCode is one job code under a setting (12.3 to 12.6); Enable is 'enable', 'disable'
// or 'default' (one default per setting).
type JobCode struct {
	JobCode Int        `json:"jobcode"`
	ID      Int        `json:"id"`
	Name    string     `json:"name"`
	Enable  EnableWord `json:"enable"`
}

// EnableWord is the enable member of 12.1 to 12.6: typed integer but documented and shown
// as 'enable', 'disable' or 'default'. A number or boolean is read as the word it stands
// for (1 or true 'enable', 0 or false 'disable'); another number is kept as its digits.
type EnableWord string

// UnmarshalJSON accepts a word, a number, a boolean or null ("").
func (e *EnableWord) UnmarshalJSON(b []byte) error {
	var t Text
	if err := t.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("enable: %w", err)
	}
	quoted := len(bytes.TrimSpace(b)) > 0 && bytes.TrimSpace(b)[0] == '"'
	switch {
	case quoted:
		*e = EnableWord(t)
	case t == "true":
		*e = "enable"
	case t == "false":
		*e = "disable"
	default:
		if n, err := lenient.ParseInt(string(t)); err == nil && (n == 0 || n == 1) {
			*e = map[bool]EnableWord{true: "enable", false: "disable"}[n == 1]
		} else {
			*e = EnableWord(t)
		}
	}
	return nil
}

// JobCodeFilter narrows getJobCodes (12.6; its method line says DELETE, which is 12.5's:
// getJobCodes is sent as GET) and names what deleteJobCodes removes (12.5). Zero fields are
// not sent.
type JobCodeFilter struct {
	JobCode int
	ID      int
	Name    string
	Enable  string
}

// Query is the filter's query string (12.5, 12.6 parameter names).
func (f JobCodeFilter) Query() url.Values {
	q := url.Values{}
	if f.JobCode != 0 {
		q.Set("jobcode", strconv.Itoa(f.JobCode))
	}
	if f.ID != 0 {
		q.Set("id", strconv.Itoa(f.ID))
	}
	setIf(q, "name", f.Name)
	setIf(q, "enable", f.Enable)
	return q
}
