package actateksim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// ServeHTTP serves the vendor API under actatek.APIPrefix and the control surface under
// ControlPrefix.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, ControlPrefix) {
		s.serveControl(w, r)
		return
	}
	if !strings.HasPrefix(r.URL.Path, actatek.APIPrefix) {
		writeJSON(w, http.StatusNotFound, actatek.Result{Status: actatek.StatusError, Message: "not an ACTAtek REST API path"})
		return
	}
	s.mu.Lock()
	s.stats.Calls++
	s.mu.Unlock()
	s.fmu.Lock()
	f := s.faults
	drop := f.dropRate > 0 && s.frng.Float64() < f.dropRate
	fail := f.errorRate > 0 && s.frng.Float64() < f.errorRate
	malformed := f.malformedRate > 0 && s.frng.Float64() < f.malformedRate
	kind := s.frng.IntN(3)
	s.fmu.Unlock()

	if f.latency > 0 {
		t := time.NewTimer(f.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			dropConnection(w) // the caller is gone; never answer with an empty 200
			return
		}
	}
	switch {
	case drop:
		dropConnection(w)
	case fail:
		writeJSON(w, http.StatusInternalServerError, actatek.Result{Status: actatek.StatusError, Message: "internal error (simulated fault)"})
	case malformed:
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		s.serveAPI(rec, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(corrupt(rec.body.Bytes(), kind))
	default:
		s.serveAPI(w, r)
	}
}

// call is one API request as the handlers see it.
type call struct {
	method string
	args   []string // path segments after the endpoint name, unescaped; args[0] is the session id
	query  url.Values
	body   []byte
	sess   *session
	host   string
}

// reply is a handler's answer: a status and a value to encode as JSON.
type reply struct {
	status int
	body   any
}

func ok(v any) reply { return reply{http.StatusOK, v} }

func success(format string, a ...any) reply {
	return ok(actatek.Result{Status: actatek.StatusSuccess, Message: fmt.Sprintf(format, a...)})
}

func refuse(format string, a ...any) reply {
	return reply{http.StatusBadRequest, actatek.Result{Status: actatek.StatusError, Message: fmt.Sprintf(format, a...)}}
}

// handler answers one endpoint and method; it runs with s.mu held.
type handler func(s *Simulator, c *call) reply

// isPublic reports whether an endpoint takes no session (1.1 login, 11.2 apiversion).
func isPublic(name string) bool { return name == "login" || name == "apiversion" }

// route finds the handler of an endpoint and method; known is false for an unknown
// endpoint, h is nil for a known endpoint that does not take this method.
func (s *Simulator) route(name, method string) (h handler, known bool) {
	m, known := s.routes[name]
	if !known {
		return nil, false
	}
	return m[method], true
}

func (s *Simulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	segs, err := splitPath(strings.TrimPrefix(r.URL.EscapedPath(), actatek.APIPrefix))
	if err != nil || len(segs) == 0 {
		writeJSON(w, http.StatusNotFound, actatek.Result{Status: actatek.StatusError, Message: "unknown API path"})
		return
	}
	h, known := s.route(segs[0], r.Method)
	if !known {
		writeJSON(w, http.StatusNotFound, actatek.Result{Status: actatek.StatusError, Message: "unknown API call " + segs[0]})
		return
	}
	if h == nil {
		writeJSON(w, http.StatusMethodNotAllowed, actatek.Result{Status: actatek.StatusError, Message: fmt.Sprintf("%s does not take %s", segs[0], r.Method)})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, actatek.Result{Status: actatek.StatusError, Message: "request body too large or unreadable"})
		return
	}
	c := &call{method: r.Method, args: segs[1:], query: r.URL.Query(), body: body, host: r.Host}

	s.mu.Lock()
	var rep reply
	if !isPublic(segs[0]) {
		rep = s.checkSession(c)
	}
	if rep.status == 0 {
		rep = h(s, c)
	}
	s.mu.Unlock()
	writeJSON(w, rep.status, rep.body)
}

// splitPath unescapes each segment and drops a trailing slash (the spec writes some paths
// with one and some without).
func splitPath(p string) ([]string, error) {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return nil, nil
	}
	parts := strings.Split(p, "/")
	for i, part := range parts {
		v, err := url.PathUnescape(part)
		if err != nil {
			return nil, err
		}
		parts[i] = v
	}
	return parts, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"status":"error","message":"simulator could not encode its answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// arg returns args[i] or "".
func (c *call) arg(i int) string {
	if i < len(c.args) {
		return c.args[i]
	}
	return ""
}

// decodeOneOrMany reads a body that is one object or an array of them; many reports
// which, so the answer can take the same form.
func decodeOneOrMany[T any](body []byte) (items []T, many bool, err error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, false, errors.New("the request body is empty")
	}
	if body[0] == '[' {
		err = json.Unmarshal(body, &items)
		return items, true, err
	}
	var one T
	err = json.Unmarshal(body, &one)
	return []T{one}, false, err
}

// perItem answers a call whose body is one item or an array of them (spec 004's batch
// calls): fn handles each item, and the answer is its result, or the array of results.
// refusal names the data of a body that does not decode.
func perItem[T any](c *call, refusal string, fn func(T) actatek.Result) reply {
	items, many, err := decodeOneOrMany[T](c.body)
	if err != nil {
		return refuse("%s: %v", refusal, err)
	}
	results := make([]actatek.Result, len(items))
	for i, it := range items {
		results[i] = fn(it)
	}
	return answerMany(results, many)
}

// answerMany answers in the form the request came in.
func answerMany(results []actatek.Result, many bool) reply {
	if many {
		return ok(results)
	}
	if !results[0].OK() {
		return reply{http.StatusBadRequest, results[0]}
	}
	return ok(results[0])
}

func okResult(format string, a ...any) actatek.Result {
	return actatek.Result{Status: actatek.StatusSuccess, Message: fmt.Sprintf(format, a...)}
}

func errResult(format string, a ...any) actatek.Result {
	return actatek.Result{Status: actatek.StatusError, Message: fmt.Sprintf(format, a...)}
}
