package ef45sim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestPaginate(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	for _, c := range []struct {
		q     string
		items []int
		page  int
		size  int
		more  bool
	}{
		{"", all, 1, defaultPageSize, false},
		{"page=1&page_size=2", []int{1, 2}, 1, 2, true},
		{"page=3&page_size=2", []int{5}, 3, 2, false},
		{"page=4&page_size=2", []int{}, 4, 2, false},
		{"page_size=3", all, 1, defaultPageSize, false},
	} {
		q, _ := url.ParseQuery(c.q)
		l, err := paginate(all, q)
		if err != nil || !slicesEqual(l.Items, c.items) || int(l.Page) != c.page || bool(l.HasMore) != c.more || l.Total != 5 {
			t.Errorf("%q: %+v %v", c.q, l, err)
		}
		if c.q != "" && c.q != "page_size=3" && int(l.PageSize) != c.size {
			t.Errorf("%q: page size %d", c.q, l.PageSize)
		}
	}
	for _, bad := range []string{"page=0", "page=-1", "page=a", "page_size=0", "page_size=5000"} {
		q, _ := url.ParseQuery(bad)
		if _, err := paginate(all, q); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDecodeBody(t *testing.T) {
	decode := func(body string, limit int64) error {
		var v map[string]int
		return decodeBody(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)), limit, &v)
	}
	if err := decode(`{"a":1} `, 100); err != nil {
		t.Errorf("valid body: %v", err)
	}
	for body, want := range map[string]string{
		``:                 "empty body",
		`{"a":1} {"b":2}`:  "after the JSON value",
		`{"a":`:            "malformed",
		`{"a":"x"}`:        "malformed",
		`{"a":1111111111}`: "larger than",
	} {
		if err := decode(body, 12); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
}

func TestQueryHelpers(t *testing.T) {
	q, _ := url.ParseQuery("a=true&b=0&c=maybe&min=3")
	if v, err := queryBool(q, "a"); !v || err != nil {
		t.Error("a=true")
	}
	if v, err := queryBool(q, "b"); v || err != nil {
		t.Error("b=0")
	}
	if v, err := queryBool(q, "missing"); v || err != nil {
		t.Error("missing flag")
	}
	if _, err := queryBool(q, "c"); err == nil {
		t.Error("c=maybe accepted")
	}
	if v, ok := firstQuery(q, "from_id", "min"); !ok || v != "3" {
		t.Errorf("firstQuery %q %v", v, ok)
	}
}

func TestBufferedWriterKeepsTheFirstStatus(t *testing.T) {
	w := newBufferedWriter()
	w.Write([]byte("ab"))
	w.WriteHeader(http.StatusTeapot)
	if w.status != http.StatusOK || w.body.String() != "ab" {
		t.Errorf("status %d body %q", w.status, w.body.String())
	}
}
