package ef45sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"enrollstation/devices/ef45"
)

// Body size limits. A batch user carries up to six face JPEGs; a saved file may be a
// full-size image; a firmware unit is 1 MiB of file bytes in base64.
const (
	maxJSONBody     = 16 << 20
	maxFileBody     = 24 << 20
	maxFirmwareBody = 2 << 20
	defaultPageSize = 50
	maxPageSize     = 1000
)

// statusBody is the {status_code, reason_phrase} body of errors and of successful calls
// that spec 003 documents without a body of their own.
type statusBody struct {
	StatusCode   int    `json:"status_code"`
	ReasonPhrase string `json:"reason_phrase"`
}

// pageBody is the answer of save-8bmp and save-24bmp: the list envelope without items, as
// spec 003 shows it.
type pageBody struct {
	StatusCode   int    `json:"status_code"`
	ReasonPhrase string `json:"reason_phrase"`
	Page         int    `json:"page"`
	PageSize     int    `json:"page_size"`
	HasMore      bool   `json:"has_more"`
	Total        int    `json:"total"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encode answer: "+err.Error())
		return
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, reason string) {
	b, _ := json.Marshal(statusBody{StatusCode: status, ReasonPhrase: reason})
	writeRaw(w, status, b)
}

func writeOK(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, statusBody{StatusCode: http.StatusOK, ReasonPhrase: "OK"})
}

func writeCreated(w http.ResponseWriter) {
	writeJSON(w, http.StatusCreated, statusBody{StatusCode: http.StatusCreated, ReasonPhrase: "Created"})
}

func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

func writeResult(w http.ResponseWriter, ok bool, status string) {
	writeJSON(w, http.StatusOK, ef45.Result{Success: ef45.Bool(ok), Status: status})
}

// decodeBody reads one JSON value of at most limit bytes into v. Unknown fields are
// accepted, as the device does; trailing data is not.
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return fmt.Errorf("body larger than %d bytes", limit)
		case errors.Is(err, io.EOF):
			return errors.New("empty body, a JSON value was expected")
		}
		return fmt.Errorf("malformed JSON body: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("malformed JSON body: data after the JSON value")
	}
	return nil
}

// paginate cuts a list answer the way spec 003 describes: without page, every item;
// with page (from 1), page_size items (default 50).
func paginate[T any](all []T, q url.Values) (ef45.List[T], error) {
	l := ef45.List[T]{StatusCode: http.StatusOK, ReasonPhrase: "OK", Total: ef45.Int(len(all))}
	size := defaultPageSize
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			return l, fmt.Errorf("page_size %q must be a number from 1 to %d", s, maxPageSize)
		}
		size = n
	}
	p := q.Get("page")
	if p == "" {
		l.Items = append(make([]T, 0, len(all)), all...)
		l.Page, l.PageSize = 1, ef45.Int(max(len(all), size))
		return l, nil
	}
	page, err := strconv.Atoi(p)
	if err != nil || page < 1 {
		return l, fmt.Errorf("page %q must be a number from 1", p)
	}
	start := min((page-1)*size, len(all))
	end := min(start+size, len(all))
	l.Items = append(make([]T, 0, end-start), all[start:end]...)
	l.Page, l.PageSize = ef45.Int(page), ef45.Int(size)
	l.HasMore = ef45.Bool(end < len(all))
	return l, nil
}

// queryBool reads an optional boolean query flag; absent is false.
func queryBool(q url.Values, name string) (bool, error) {
	s := q.Get(name)
	if s == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("%s=%q is not a boolean", name, s)
	}
	return v, nil
}

// firstQuery returns the first non-empty value among the given parameter spellings.
func firstQuery(q url.Values, names ...string) (string, bool) {
	for _, n := range names {
		if v := q.Get(n); v != "" {
			return v, true
		}
	}
	return "", false
}

// bufferedWriter records an answer so that a fault can corrupt it before it leaves.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedWriter() *bufferedWriter { return &bufferedWriter{header: http.Header{}} }

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
