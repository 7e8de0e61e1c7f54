package actateksim

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// handleGetJobSettings is GET jobcodesetting/{sessionid} (12.1).
func handleGetJobSettings(s *Simulator, c *call) reply {
	return ok(slices.Clone(s.st.jobSettings))
}

// handleUpdateJobSettings is PUT jobcodesetting/{sessionid} (12.2).
func handleUpdateJobSettings(s *Simulator, c *call) reply {
	return perItem(c, "jobcode setting is not valid", func(j actatek.JobCodeSetting) actatek.Result {
		switch {
		case j.JobCode < 1 || j.JobCode > 3:
			return errResult("jobcode setting %d is not 1, 2 or 3", j.JobCode)
		case j.Enable != "enable" && j.Enable != "disable":
			return errResult("jobcode setting %d: enable must be enable or disable", j.JobCode)
		default:
			if j.Name == "" {
				j.Name = s.st.jobSettings[j.JobCode-1].Name
			}
			s.st.jobSettings[j.JobCode-1] = j
			return okResult("jobcode setting %d updated", j.JobCode)
		}
	})
}

func (s *Simulator) jobIndex(jobcode, id actatek.Int) int {
	return slices.IndexFunc(s.st.jobCodes, func(j actatek.JobCode) bool { return j.JobCode == jobcode && j.ID == id })
}

func (s *Simulator) checkJobCode(j actatek.JobCode, self int) string {
	switch {
	case j.JobCode < 1 || j.JobCode > 3:
		return "jobcode " + strconv.Itoa(int(j.JobCode)) + " is not 1, 2 or 3"
	case j.ID < 1 || j.ID > 999999:
		return "id must be from 1 to 999999"
	case !slices.Contains([]actatek.EnableWord{"enable", "disable", "default"}, j.Enable):
		return "enable must be enable, disable or default"
	}
	if j.Enable == "default" {
		for i, o := range s.st.jobCodes {
			if i != self && o.JobCode == j.JobCode && o.Enable == "default" {
				return "jobcode " + strconv.Itoa(int(j.JobCode)) + " already has a default (id " + strconv.Itoa(int(o.ID)) + ")"
			}
		}
	}
	return ""
}

// handleAddJobCodes is POST jobcode/{sessionid} (12.3).
func handleAddJobCodes(s *Simulator, c *call) reply {
	return perItem(c, "jobcode data is not valid", func(j actatek.JobCode) actatek.Result {
		switch {
		case j.Name == "":
			return errResult("jobcode %d id %d: name is required", j.JobCode, j.ID)
		case s.jobIndex(j.JobCode, j.ID) >= 0:
			return errResult("jobcode %d id %d %s", j.JobCode, j.ID, actatek.MsgExists)
		default:
			if msg := s.checkJobCode(j, -1); msg != "" {
				return errResult("%s", msg)
			}
			s.st.jobCodes = append(s.st.jobCodes, j)
			return okResult("jobcode %d id %d added", j.JobCode, j.ID)
		}
	})
}

// handleUpdateJobCodes is PUT jobcode/{sessionid} (12.4).
func handleUpdateJobCodes(s *Simulator, c *call) reply {
	return perItem(c, "jobcode data is not valid", func(j actatek.JobCode) actatek.Result {
		k := s.jobIndex(j.JobCode, j.ID)
		if k < 0 {
			return errResult("jobcode %d id %d %s", j.JobCode, j.ID, actatek.MsgNotFound)
		}
		if j.Name == "" {
			j.Name = s.st.jobCodes[k].Name
		}
		if j.Enable == "" {
			j.Enable = s.st.jobCodes[k].Enable
		}
		if msg := s.checkJobCode(j, k); msg != "" {
			return errResult("%s", msg)
		}
		s.st.jobCodes[k] = j
		return okResult("jobcode %d id %d updated", j.JobCode, j.ID)
	})
}

// handleDeleteJobCodes is DELETE jobcode/{sessionid}?jobcode&id&name (12.5).
func handleDeleteJobCodes(s *Simulator, c *call) reply {
	q := c.query
	jc, err1 := strconv.Atoi(q.Get("jobcode"))
	id, err2 := strconv.Atoi(q.Get("id"))
	if err1 != nil || err2 != nil || q.Get("name") == "" {
		return refuse("deleteJobCodes needs jobcode, id and name")
	}
	k := s.jobIndex(actatek.Int(jc), actatek.Int(id))
	if k < 0 || s.st.jobCodes[k].Name != q.Get("name") {
		return refuse("jobcode %d id %d named %q %s", jc, id, q.Get("name"), actatek.MsgNotFound)
	}
	s.st.jobCodes = slices.Delete(s.st.jobCodes, k, k+1)
	return success("jobcode %d id %d deleted", jc, id)
}

// handleGetJobCodes is GET jobcode/{sessionid}?jobcode&id&name&enable (12.6).
func handleGetJobCodes(s *Simulator, c *call) reply {
	q := c.query
	if q.Get("id") != "" && q.Get("jobcode") == "" {
		return refuse("jobcode is required when id is given")
	}
	out := []actatek.JobCode{}
	for _, j := range s.st.jobCodes {
		if v := q.Get("jobcode"); v != "" && strconv.Itoa(int(j.JobCode)) != v {
			continue
		}
		if v := q.Get("id"); v != "" && strconv.Itoa(int(j.ID)) != v {
			continue
		}
		if v := q.Get("name"); v != "" && j.Name != v {
			continue
		}
		if v := q.Get("enable"); v != "" && string(j.Enable) != v {
			continue
		}
		out = append(out, j)
	}
	return ok(out)
}

// holidayDates reads a holiday body: {"dates": [...]} (our reading of 13.2), or a bare
// array or single date.
func holidayDates(body []byte) ([]string, bool) {
	var h actatek.Holidays
	if err := json.Unmarshal(body, &h); err == nil && len(h.Dates) > 0 {
		return h.Dates, true
	}
	var l actatek.List[string]
	if err := json.Unmarshal(body, &l); err == nil && len(l) > 0 {
		return l, true
	}
	return nil, false
}

func validDate(d string) bool {
	_, err := time.Parse("2006-01-02", d)
	return err == nil
}

// handleGetHolidays is GET holiday/{sessionid}?date (13.1); 0 in a part of the date is a
// wildcard. The garbled form holiday/{sessionid}/date=... is accepted too.
func handleGetHolidays(s *Simulator, c *call) reply {
	pattern := c.query.Get("date")
	if a := c.arg(1); pattern == "" && strings.HasPrefix(a, "date=") {
		pattern = strings.TrimPrefix(a, "date=")
	}
	var want []int
	if pattern != "" {
		parts := strings.Split(pattern, "-")
		if len(parts) != 3 {
			return refuse("date %q is not YYYY-MM-DD", pattern)
		}
		for _, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil {
				return refuse("date %q is not YYYY-MM-DD", pattern)
			}
			want = append(want, n)
		}
	}
	out := []string{}
	for d := range s.st.holidays {
		t, _ := time.Parse("2006-01-02", d)
		if want != nil && ((want[0] != 0 && t.Year() != want[0]) || (want[1] != 0 && int(t.Month()) != want[1]) || (want[2] != 0 && t.Day() != want[2])) {
			continue
		}
		out = append(out, d)
	}
	slices.Sort(out)
	return ok(map[string][]string{"dates": out})
}

// handleAddHolidays is POST holiday/{sessionid} (13.2).
func handleAddHolidays(s *Simulator, c *call) reply {
	dates, found := holidayDates(c.body)
	if !found {
		return refuse(`the body must be {"dates": ["YYYY-MM-DD", ...]}`)
	}
	invalid := []string{}
	added := 0
	for _, d := range dates {
		if !validDate(d) {
			invalid = append(invalid, d)
			continue
		}
		if !s.st.holidays[d] {
			s.st.holidays[d] = true
			added++
		}
	}
	msg := "all holidays added"
	if len(invalid) > 0 {
		msg = "some holiday added"
	}
	return ok(actatek.HolidayResult{Status: actatek.StatusSuccess, Message: msg, InvalidDates: invalid})
}

// handleDeleteHolidays is DELETE holiday/{sessionid} (13.3).
func handleDeleteHolidays(s *Simulator, c *call) reply {
	dates, found := holidayDates(c.body)
	if !found {
		return refuse(`the body must be {"dates": ["YYYY-MM-DD", ...]}`)
	}
	invalid := []string{}
	deleted := 0
	for _, d := range dates {
		if !s.st.holidays[d] {
			invalid = append(invalid, d)
			continue
		}
		delete(s.st.holidays, d)
		deleted++
	}
	return ok(actatek.HolidayResult{Status: actatek.StatusSuccess, Message: strconv.Itoa(deleted) + " holiday deleted", InvalidDates: invalid})
}
