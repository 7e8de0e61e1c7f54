// Package ef45 is a typed client for the CMITech EF-45 iris + face camera REST API 1.0.0
// (spec 003). A Client makes the calls that need no lock (version, lock); a Session holds
// the device lock and reaches everything else through typed services:
//
//	c, _ := ef45.New("http://192.0.2.10:9980")
//	s, err := c.Open(ctx, false) // errors.Is(err, ef45.ErrInUse): offer force takeover
//	defer s.Close(ctx)
//	settings, err := s.Camera.Get(ctx)
//
// The wire model sits beside each service (camera.go, biometric.go, ...); wire.go holds
// what they share. Both settle the spec's gaps, naming its sections.
package ef45

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"enrollstation/devices/internal/fault"
)

// Answer size limits. Biometric data is ~5 MB a poll; lists may carry images; the rest is tiny.
const (
	limitSmall     = 1 << 20
	limitPreview   = 8 << 20
	limitLarge     = 64 << 20
	defaultTimeout = 10 * time.Second
)

// Client talks to one EF-45. It is safe for concurrent use.
type Client struct {
	base    *url.URL // http://host:port/1.0/
	hc      *http.Client
	timeout time.Duration

	locks lockGate
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (transport, TLS, proxies).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithTimeout sets the deadline given to calls whose context has none (default 10 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// New returns a client for the device at baseURL ("http://host:9980" or "host:9980").
func New(baseURL string, opts ...Option) (*Client, error) {
	if !strings.Contains(baseURL, "://") {
		baseURL = "http://" + baseURL
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("ef45: %q is not a device address (expected host:port)", baseURL)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/1.0/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	c := &Client{base: u, hc: &http.Client{}, timeout: defaultTimeout}
	for _, o := range opts {
		o(c)
	}
	// A redirect is never followed: the device does not send one, and following it sent a
	// DELETE somewhere else. The 3xx is then an error answer of the call.
	hc := *c.hc
	hc.CheckRedirect = noRedirect
	c.hc = &hc
	return c, nil
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Addr is the device address the client talks to.
func (c *Client) Addr() string { return c.base.Host }

// call describes one request. Every call of the package goes through Client.do.
type call struct {
	name   string // for errors: "start camera"
	method string
	path   string // below /1.0/
	query  url.Values
	body   any                // JSON-encoded when non-nil
	raw    io.Reader          // a pre-encoded JSON body, used instead of body
	out    any                // decoded from a 2xx answer when non-nil
	decode func([]byte) error // decodes a 2xx answer instead of out
	limit  int64              // answer size limit; limitSmall when 0
}

// do sends the call and decodes the answer, or returns an *Error.
func (c *Client) do(ctx context.Context, cl call) error {
	if _, ok := ctx.Deadline(); !ok && c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	u := *c.base
	u.Path += cl.path
	u.RawPath = ""
	if strings.Contains(cl.path, "%") {
		// A path segment was escaped by the caller (a card "65 D8 A1 BD"); keep it so.
		u.RawPath = c.base.Path + cl.path
		u.Path, _ = url.PathUnescape(u.RawPath)
	}
	u.RawQuery = cl.query.Encode()

	body := cl.raw
	if body == nil && cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return local(cl.name, fmt.Errorf("encode request: %w", err))
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return local(cl.name, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fault.Transport(ctx, fault.EF45, cl.name, err)
	}
	defer resp.Body.Close()

	limit := cl.limit
	if limit == 0 {
		limit = limitSmall
	}
	data, err := readLimited(resp, limit)
	if errors.Is(err, errTooLarge) {
		return malformed(cl.name, resp.StatusCode, err)
	}
	if err != nil {
		// The answer broke off: as good as no answer.
		return fault.Transport(ctx, fault.EF45, cl.name, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(cl, resp.StatusCode, resp.Header, reasonOf(resp.StatusCode, data))
	}
	if cl.decode != nil {
		if err := cl.decode(data); err != nil {
			return malformed(cl.name, resp.StatusCode, err)
		}
		return nil
	}
	if cl.out == nil {
		return checkAnswer(cl, resp, data)
	}
	r, isResult := cl.out.(*Result)
	if len(bytes.TrimSpace(data)) == 0 {
		if isResult {
			// A control call says whether it worked; silence is not success.
			return malformed(cl.name, resp.StatusCode, errors.New("empty answer"))
		}
		return nil
	}
	if err := json.Unmarshal(data, cl.out); err != nil {
		return malformed(cl.name, resp.StatusCode, err)
	}
	if isResult && !bool(r.Success) {
		return refused(cl.name, resp.StatusCode, r.Status)
	}
	return nil
}

// checkAnswer reads the answer of a call whose spec documents no body (most writes):
// none, or a JSON status object. An HTML page, an error object under a 2xx status or a
// {"success":false} is a failure, never a success.
func checkAnswer(cl call, resp *http.Response, data []byte) error {
	name, status := cl.name, resp.StatusCode
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if !json.Valid(data) {
		return malformed(name, status, errors.New("the answer is not JSON"))
	}
	var probe struct {
		Success      *Bool `json:"success"`
		Status       Text  `json:"status"`
		StatusCode   Int   `json:"status_code"`
		ReasonPhrase Text  `json:"reason_phrase"`
	}
	if data = bytes.TrimSpace(data); data[0] != '{' || json.Unmarshal(data, &probe) != nil {
		return nil // a bare value (a file name, true): nothing that says it failed
	}
	switch {
	case probe.Success != nil && !bool(*probe.Success):
		return refused(name, status, string(probe.Status))
	case probe.StatusCode >= 400 && probe.StatusCode <= 599:
		return statusError(cl, int(probe.StatusCode), resp.Header, string(probe.ReasonPhrase))
	}
	return nil
}

// errTooLarge is an answer over the call's size limit.
var errTooLarge = errors.New("answer is larger than allowed")

// readLimited reads the whole answer, refusing one larger than limit. It sizes the buffer
// from Content-Length so a 5 MB answer is read without regrowing.
func readLimited(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes, %d allowed", errTooLarge, resp.ContentLength, limit)
	}
	if resp.ContentLength >= 0 {
		buf := make([]byte, resp.ContentLength)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("read answer: %w", err)
		}
		return buf, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", errTooLarge, limit)
	}
	return data, nil
}

// reasonOf is the device's reason in an error answer: its reason_phrase, a short plain
// text, or the status's name.
func reasonOf(status int, data []byte) string {
	var eb errorBody
	if json.Unmarshal(data, &eb) == nil && eb.ReasonPhrase != "" {
		return string(eb.ReasonPhrase)
	}
	if s := strings.TrimSpace(string(data)); s != "" && len(s) < 200 && !strings.ContainsAny(s, "<{") {
		return s
	}
	return http.StatusText(status)
}

// Version returns the device application version (GET /version; no lock needed).
func (c *Client) Version(ctx context.Context) (string, error) {
	var v Version
	if err := c.do(ctx, call{name: "version", method: http.MethodGet, path: "version", out: &v}); err != nil {
		return "", err
	}
	if v.Version == "" {
		return "", malformed("version", http.StatusOK, errors.New("no version in the answer"))
	}
	return string(v.Version), nil
}

// AwaitRestart waits for a device that is about to reboot (after a firmware upload) to
// come back, polling GET /version every poll. "Upgrade in progress" answers and refused
// connections are states to wait out (specs/README.md). It returns the version the device
// reports once it answers with a version other than old, or once it has been seen down and
// answers again (then the version may equal old: the upgrade did not take).
func (c *Client) AwaitRestart(ctx context.Context, old string, poll time.Duration) (version string, wentDown bool, err error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		callCtx, cancel := context.WithTimeout(ctx, max(poll, 2*time.Second))
		v, err := c.Version(callCtx)
		cancel()
		switch {
		case err == nil && (v != old || wentDown):
			return v, wentDown, nil
		case err != nil && ctx.Err() == nil:
			wentDown = true
		}
		select {
		case <-ctx.Done():
			return "", wentDown, fmt.Errorf("ef45 wait for restart: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// CompareVersions compares dotted version numbers (1.2.100 > 1.2.34); a prefix before the
// first digit ("v1.2.40", "ver 1.2") is ignored, and a missing or non-numeric part counts
// as 0.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(versionNumbers(a), "."), strings.Split(versionNumbers(b), ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x = leadingInt(pa[i])
		}
		if i < len(pb) {
			y = leadingInt(pb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// versionNumbers drops what precedes the first digit.
func versionNumbers(v string) string {
	if i := strings.IndexAny(v, "0123456789"); i > 0 {
		return v[i:]
	}
	return v
}

func leadingInt(s string) int {
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if r < '0' || r > '9' || n > 1e8 {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// Ver1Since is the first app version that serves GET /biometric-data/ver1 (spec 003).
const Ver1Since = "1.2.34"

// UsesVer1 reports whether a device of this version serves /biometric-data/ver1.
func UsesVer1(version string) bool { return CompareVersions(version, Ver1Since) >= 0 }
