package ef45sim

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"enrollstation/devices/ef45"
)

// Logs. Deleting logs is the one operation that is not itself logged, so that deleting
// everything leaves an empty log.

// logIDRange reads the id range. Spec 003 names the parameters from_id/to_id while its
// URL examples send min/max (specs/README.md); both spellings are accepted.
func logIDRange(q url.Values) (from, to int64, problem string) {
	fs, okF := firstQuery(q, "from_id", "min")
	ts, okT := firstQuery(q, "to_id", "max")
	if !okF || !okT {
		return 0, 0, "the id range is required: min and max (or from_id and to_id)"
	}
	from, errF := strconv.ParseInt(fs, 10, 64)
	to, errT := strconv.ParseInt(ts, 10, 64)
	switch {
	case errF != nil:
		return 0, 0, "min " + quote(fs) + " is not a log id"
	case errT != nil:
		return 0, 0, "max " + quote(ts) + " is not a log id"
	case from > to:
		return 0, 0, "min " + fs + " is greater than max " + ts
	}
	return from, to, ""
}

// orderLogs applies ?order=desc (newest first); asc or nothing keeps id order.
func orderLogs(entries []ef45.LogEntry, q url.Values) ([]ef45.LogEntry, string) {
	switch o := q.Get("order"); o {
	case "", "asc":
		return entries, ""
	case "desc":
		slices.Reverse(entries)
		return entries, ""
	default:
		return nil, "order " + quote(o) + " must be asc or desc"
	}
}

func (d *Device) serveLogs(w http.ResponseWriter, r *http.Request, keep func(ef45.LogEntry) bool) {
	d.mu.Lock()
	var entries []ef45.LogEntry
	for _, e := range d.st.logs {
		if keep(e) {
			entries = append(entries, e)
		}
	}
	d.mu.Unlock()
	q := r.URL.Query()
	entries, problem := orderLogs(entries, q)
	if problem != "" {
		writeError(w, http.StatusBadRequest, "logs: "+problem)
		return
	}
	l, err := paginate(entries, q)
	if err != nil {
		writeError(w, http.StatusBadRequest, "logs: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (d *Device) handleLogList(w http.ResponseWriter, r *http.Request) {
	d.serveLogs(w, r, func(ef45.LogEntry) bool { return true })
}

func (d *Device) handleLogRange(w http.ResponseWriter, r *http.Request) {
	from, to, problem := logIDRange(r.URL.Query())
	if problem != "" {
		writeError(w, http.StatusBadRequest, "logs by id range: "+problem)
		return
	}
	d.serveLogs(w, r, func(e ef45.LogEntry) bool { return int64(e.ID) >= from && int64(e.ID) <= to })
}

func logID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil
}

func (d *Device) handleLogGet(w http.ResponseWriter, r *http.Request) {
	id, ok := logID(r)
	if !ok {
		writeError(w, http.StatusBadRequest, "log: id "+quote(r.PathValue("id"))+" is not a log id")
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, e := range d.st.logs {
		if int64(e.ID) == id {
			writeJSON(w, http.StatusOK, e)
			return
		}
	}
	writeError(w, http.StatusNotFound, "no log with id "+strconv.FormatInt(id, 10))
}

// deleteLogsLocked removes the entries for which gone holds and says how many went.
func (d *Device) deleteLogsLocked(gone func(ef45.LogEntry) bool) int {
	before := len(d.st.logs)
	d.st.logs = slices.DeleteFunc(d.st.logs, gone)
	return before - len(d.st.logs)
}

func (d *Device) handleLogDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := logID(r)
	if !ok {
		writeError(w, http.StatusBadRequest, "delete log: id "+quote(r.PathValue("id"))+" is not a log id")
		return
	}
	d.mu.Lock()
	n := d.deleteLogsLocked(func(e ef45.LogEntry) bool { return int64(e.ID) == id })
	d.mu.Unlock()
	if n == 0 {
		writeError(w, http.StatusNotFound, "delete log: no log with id "+strconv.FormatInt(id, 10))
		return
	}
	writeNoContent(w)
}

func (d *Device) handleLogDeleteRange(w http.ResponseWriter, r *http.Request) {
	from, to, problem := logIDRange(r.URL.Query())
	if problem != "" {
		writeError(w, http.StatusBadRequest, "delete logs: "+problem+" (DELETE /1.0/logs/db deletes all)")
		return
	}
	d.mu.Lock()
	d.deleteLogsLocked(func(e ef45.LogEntry) bool { return int64(e.ID) >= from && int64(e.ID) <= to })
	d.mu.Unlock()
	writeNoContent(w)
}

func (d *Device) handleLogDeleteAll(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.st.logs = nil
	d.mu.Unlock()
	writeNoContent(w)
}
