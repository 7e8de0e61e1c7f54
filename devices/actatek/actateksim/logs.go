package actateksim

import (
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// handleGetLogs is GET getLogs/{sessionid} (2.1) and getLogs/{sessionid}/{limit} (2.2,
// getFullLogs, with names and photos).
func handleGetLogs(s *Simulator, c *call) reply {
	full := len(c.args) > 1
	limit := 0
	if full {
		n, err := strconv.Atoi(c.arg(1))
		if err != nil || n < 0 {
			return refuse("limit %q is not a count", c.arg(1))
		}
		limit = n
	}
	q := c.query
	from, err := actatek.ParseDateTime(q.Get("from"))
	if err != nil {
		return refuse("from: %v", err)
	}
	to, err := actatek.ParseDateTime(q.Get("to"))
	if err != nil {
		return refuse("to: %v", err)
	}
	var dept *int
	if v := q.Get("departmentID"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return refuse("departmentID %q is not a department ID", v)
		}
		dept = &n
	}
	// 2.1: "if both from and to is UTC time, the output event logs will use UTC time".
	utc := (!from.IsZero() || !to.IsZero()) && (from.IsZero() || !from.Local) && (to.IsZero() || !to.Local)
	var logs []actatek.Log
	var fulls []actatek.FullLog
	for _, e := range s.st.logs {
		if !from.IsZero() && e.at.Before(s.instant(from)) {
			continue
		}
		if !to.IsZero() && e.at.After(s.instant(to)) {
			continue
		}
		if v := q.Get("employeeName"); v != "" && !strings.Contains(strings.ToLower(e.userName), strings.ToLower(v)) {
			continue
		}
		if v := q.Get("employeeID"); v != "" && e.userID != v {
			continue
		}
		if v := q.Get("trigger"); v != "" && !strings.EqualFold(e.trigger, v) {
			continue
		}
		if v := q.Get("terminalSN"); v != "" && e.terminalSN != v {
			continue
		}
		if dept != nil && !s.inDepartment(e.userID, *dept) {
			continue
		}
		ts := s.stamp(e.at, utc)
		if !full {
			logs = append(logs, actatek.Log{LogID: actatek.Int(e.id), UserID: actatek.Text(e.userID), Timestamp: ts, Trigger: e.trigger, TerminalSN: e.terminalSN})
			continue
		}
		fulls = append(fulls, actatek.FullLog{
			LogID: actatek.Int(e.id), UserID: actatek.Text(e.userID), UserName: e.userName, DepartmentName: e.departmentName,
			Timestamp: ts, Trigger: e.trigger, TerminalSN: e.terminalSN, TerminalName: "ACTAtek",
			JPEGPhoto: e.photo, AccessMethod: e.accessMethod, Remarks: e.remarks,
		})
		if limit > 0 && len(fulls) == limit {
			break
		}
	}
	if full {
		if fulls == nil {
			fulls = []actatek.FullLog{}
		}
		return ok(fulls)
	}
	if logs == nil {
		logs = []actatek.Log{}
	}
	return ok(logs)
}

func (s *Simulator) inDepartment(userID string, dept int) bool {
	u := s.st.users[userID]
	if u == nil {
		return false
	}
	for _, d := range u.DepartmentID {
		if d == dept {
			return true
		}
	}
	return false
}

// stamp writes an instant as the terminal does: UTC with Z, or its local time without.
func (s *Simulator) stamp(t time.Time, utc bool) actatek.DateTime {
	if utc {
		return actatek.UTC(t)
	}
	return actatek.Local(t.In(s.st.loc))
}

// handleGetLogPhoto is GET getLogPhoto/{sessionid}/{timestamp}?terminalSN (2.3).
func handleGetLogPhoto(s *Simulator, c *call) reply {
	ts, err := actatek.ParseDateTime(c.arg(1))
	if err != nil || ts.IsZero() {
		return refuse("timestamp %q is not an xsd:datetime", c.arg(1))
	}
	at := s.instant(ts)
	sn := c.query.Get("terminalSN")
	if sn == "" {
		sn = s.opts.SerialNumber
	}
	for _, e := range s.st.logs {
		if e.at.Equal(at) && e.terminalSN == sn && len(e.photo) > 0 {
			return ok(map[string]any{"status": actatek.StatusSuccess, "jpegPhoto": actatek.Base64(e.photo)})
		}
	}
	return refuse("photo %s for the event at %s", actatek.MsgNotFound, ts)
}

// handleAddLog is POST addLog/{sessionid}/{timestamp}/{employeeID}/{trigger} (2.4).
func handleAddLog(s *Simulator, c *call) reply {
	ts, err := actatek.ParseDateTime(c.arg(1))
	if err != nil || ts.IsZero() {
		return refuse("timestamp %q is not an xsd:datetime", c.arg(1))
	}
	if c.arg(2) == "" || c.arg(3) == "" {
		return refuse("addLog needs a timestamp, an employee ID and a trigger in the path")
	}
	s.addLogAt(s.instant(ts), c.arg(2), c.arg(3), "", nil)
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// handleDeleteLogs is DELETE deleteLogs/{sessionid}/{daysToKeep} (2.5).
func handleDeleteLogs(s *Simulator, c *call) reply {
	days, err := strconv.Atoi(c.arg(1))
	if err != nil || days < 0 {
		return refuse("daysToKeep %q is not a number of days", c.arg(1))
	}
	cut := s.terminalNow().Add(-time.Duration(days) * 24 * time.Hour)
	kept := s.st.logs[:0]
	for _, e := range s.st.logs {
		if !e.at.Before(cut) {
			kept = append(kept, e)
		}
	}
	s.st.logs = kept
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// handleResetLog is DELETE resetLog/{sessionid} (2.6).
func handleResetLog(s *Simulator, c *call) reply {
	s.st.logs = nil
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}
