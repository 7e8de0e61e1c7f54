package ef45sim

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

// seedLogs makes n logged operations and returns the log ids.
func seedLogs(t *testing.T, h *harness, n int) []int64 {
	t.Helper()
	base := len(h.logs())
	for i := range n {
		h.call(http.MethodPost, h.url("/1.0/subjects"), ef45.Subject{UserUUID: "s" + strconv.Itoa(base+i)}, http.StatusCreated, nil)
	}
	var ids []int64
	for _, e := range h.logs() {
		ids = append(ids, int64(e.ID))
	}
	return ids
}

func logIDs(entries []ef45.LogEntry) []int64 {
	out := make([]int64, len(entries))
	for i, e := range entries {
		out[i] = int64(e.ID)
	}
	return out
}

func TestLogsListAndOrder(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	h.clock.Advance(time.Minute)
	ids := seedLogs(t, h, 5) // the lock and five subjects
	if len(ids) != 6 || ids[0] != 1 || ids[5] != 6 {
		t.Fatalf("log ids %v", ids)
	}
	all := h.logs()
	if e := all[0]; e.EventType != "Lock" || e.Info != "Connect" || e.AdditionalData != "Success" || !e.Timestamp.Equal(newFakeClock().Now()) {
		t.Errorf("first entry %+v", e)
	}
	if e := all[1]; e.EventType != "UserData" || e.Info != "AddUser" || e.UserUUID != "s1" || !e.Timestamp.Equal(newFakeClock().Now().Add(time.Minute)) {
		t.Errorf("second entry %+v", e)
	}
	if got := logIDs(h.logs("page", "1", "page_size", "2", "order", "desc")); !slicesEqual(got, []int64{6, 5}) {
		t.Errorf("newest two %v", got)
	}
	h.callErr(http.MethodGet, h.url("/1.0/logs", "order", "sideways"), nil, http.StatusBadRequest)

	var one ef45.LogEntry
	h.call(http.MethodGet, h.url("/1.0/logs/3"), nil, http.StatusOK, &one)
	if one.ID != 3 || one.UserUUID != "s2" {
		t.Errorf("log 3: %+v", one)
	}
	h.callErr(http.MethodGet, h.url("/1.0/logs/99"), nil, http.StatusNotFound)
	h.callErr(http.MethodGet, h.url("/1.0/logs/abc"), nil, http.StatusBadRequest)
}

func TestLogRangeAcceptsBothSpellings(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	seedLogs(t, h, 6)
	for _, q := range [][]string{{"min", "2", "max", "4"}, {"from_id", "2", "to_id", "4"}} {
		var l ef45.List[ef45.LogEntry]
		h.call(http.MethodGet, h.url("/1.0/logs/from/to", q...), nil, http.StatusOK, &l)
		if got := logIDs(l.Items); !slicesEqual(got, []int64{2, 3, 4}) {
			t.Errorf("range %v: ids %v", q, got)
		}
	}
	var l ef45.List[ef45.LogEntry]
	h.call(http.MethodGet, h.url("/1.0/logs/from/to", "min", "1", "max", "7", "page", "2", "page_size", "3"), nil, http.StatusOK, &l)
	if got := logIDs(l.Items); !slicesEqual(got, []int64{4, 5, 6}) || !bool(l.HasMore) {
		t.Errorf("paged range: ids %v more %v", got, l.HasMore)
	}
	for _, q := range [][]string{{"min", "2"}, {"max", "2"}, {"min", "x", "max", "3"}, {"min", "5", "max", "2"}} {
		h.callErr(http.MethodGet, h.url("/1.0/logs/from/to", q...), nil, http.StatusBadRequest)
	}
}

func TestDeletingLogs(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	seedLogs(t, h, 7) // ids 1..8
	h.call(http.MethodDelete, h.url("/1.0/logs", "min", "2", "max", "3"), nil, http.StatusNoContent, nil)
	h.call(http.MethodDelete, h.url("/1.0/logs", "from_id", "5", "to_id", "6"), nil, http.StatusNoContent, nil)
	h.call(http.MethodDelete, h.url("/1.0/logs/8"), nil, http.StatusNoContent, nil)
	if got := logIDs(h.logs()); !slicesEqual(got, []int64{1, 4, 7}) {
		t.Errorf("after deletes: ids %v", got)
	}
	h.callErr(http.MethodDelete, h.url("/1.0/logs/8"), nil, http.StatusNotFound)
	h.callErr(http.MethodDelete, h.url("/1.0/logs"), nil, http.StatusBadRequest)
	h.call(http.MethodDelete, h.url("/1.0/logs/db"), nil, http.StatusNoContent, nil)
	if got := h.logs(); len(got) != 0 {
		t.Errorf("%d entries after deleting all", len(got))
	}
	// Ids keep counting after a purge, like a database sequence.
	seedLogs(t, h, 1)
	if got := logIDs(h.logs()); !slicesEqual(got, []int64{9}) {
		t.Errorf("new entry ids %v", got)
	}
}
