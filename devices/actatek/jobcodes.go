package actatek

import (
	"context"
	"errors"
	"net/http"
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
		return &Error{Call: "deleteJobCodes", Err: errors.New("job code setting, ID and name are all required")}
	}
	f.Enable = ""
	return s.c.do(ctx, request{call: "deleteJobCodes", method: http.MethodDelete, path: pathJobCode, query: f.Query()}, nil)
}

// List returns the job codes that match f (getJobCodes, 12.6, sent as GET).
func (s *JobCodeService) List(ctx context.Context, f JobCodeFilter) ([]JobCode, error) {
	if f.ID != 0 && f.JobCode == 0 {
		return nil, &Error{Call: "getJobCodes", Err: errors.New("a job code ID needs its job code setting (1, 2 or 3)")}
	}
	var out List[JobCode]
	err := s.c.do(ctx, request{call: "getJobCodes", method: http.MethodGet, path: pathJobCode, query: f.Query()}, &out)
	return out, err
}
