// Package actatek is a client for the ACTAtek terminal REST API (spec 004, version 0.1):
// sessions, event logs with photos, users with facial records, departments, access rights
// and groups, triggers, agents, time, terminal functions, job codes and holidays.
//
// One Client holds typed services (client.Users.AddBatch(ctx, users)); every call goes
// through one request helper that keeps the session, encodes, sends with a deadline,
// decodes with a size limit and turns refusals into *Error. The wire shapes and every
// decision the spec leaves open are in wire.go.
package actatek

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for Options.
const (
	DefaultTimeout          = 60 * time.Second
	DefaultMaxResponseBytes = 64 << 20
)

// Credentials are the terminal account the client logs in with. The password is never
// printed: String, GoString and LogValue leave it out.
type Credentials struct {
	Username string
	Password string
}

// String names the account without its password.
func (c Credentials) String() string { return c.Username + ":<redacted>" }

// GoString names the account without its password (for %#v).
func (c Credentials) GoString() string {
	return fmt.Sprintf("actatek.Credentials{Username:%q, Password:<redacted>}", c.Username)
}

// LogValue names the account without its password.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Options configure a Client. For an https URL exactly one of PinSHA256 and CA (CAFile or
// CAPEM) must be given; certificate verification is never switched off.
type Options struct {
	Credentials Credentials
	// PinSHA256 is the SHA-256 fingerprint of the terminal's certificate (DER), in hex;
	// colons and spaces are ignored. Get it with Probe and have a person confirm it.
	PinSHA256 string
	// CAFile or CAPEM is a PEM bundle of the authority that signed the terminal's
	// certificate; normal verification applies, with ServerName when set.
	CAFile     string
	CAPEM      []byte
	ServerName string
	// Timeout bounds each call, login and retry included, when the context has no
	// earlier deadline. Default DefaultTimeout.
	Timeout time.Duration
	// MaxResponseBytes bounds an answer's body. Default DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// Logger receives call summaries at debug level and session renewals at info level;
	// never bodies, paths (they hold the session id) or credentials. Default: discard.
	Logger *slog.Logger
}

// Client talks to one ACTAtek terminal. It is safe for concurrent use; concurrent calls
// share one session.
type Client struct {
	baseURL string
	http    *http.Client
	creds   Credentials
	timeout time.Duration
	maxBody int64
	log     *slog.Logger
	sess    session

	Logs         *LogService
	Users        *UserService
	Departments  *DepartmentService
	AccessRights *AccessRightService
	AccessGroups *AccessGroupService
	Triggers     *TriggerService
	Myself       *MyselfService
	Agents       *AgentService
	Time         *TimeService
	Terminal     *TerminalService
	JobCodes     *JobCodeService
	Holidays     *HolidayService
}

type service struct{ c *Client }

// New makes a client for the terminal at rawURL ("https://10.0.0.5" or
// "https://10.0.0.5:8443"; a path is kept as a prefix). Plain http is used only when the
// URL says http.
func New(rawURL string, opts Options) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("actatek: terminal URL %q: %w", rawURL, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("actatek: terminal URL %q has no host", rawURL)
	}
	tlsConf, err := tlsConfig(u, opts)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{
		Proxy:                 nil, // terminals are on the local network
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       60 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	c := &Client{
		baseURL: strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"),
		http:    &http.Client{Transport: tr, CheckRedirect: noRedirect},
		creds:   opts.Credentials,
		timeout: opts.Timeout,
		maxBody: opts.MaxResponseBytes,
		log:     opts.Logger,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxResponseBytes
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	s := &service{c: c}
	c.Logs = (*LogService)(s)
	c.Users = (*UserService)(s)
	c.Departments = (*DepartmentService)(s)
	c.AccessRights = (*AccessRightService)(s)
	c.AccessGroups = (*AccessGroupService)(s)
	c.Triggers = (*TriggerService)(s)
	c.Myself = (*MyselfService)(s)
	c.Agents = (*AgentService)(s)
	c.Time = (*TimeService)(s)
	c.Terminal = (*TerminalService)(s)
	c.JobCodes = (*JobCodeService)(s)
	c.Holidays = (*HolidayService)(s)
	return c, nil
}

// Close releases idle connections. It does not log out; call Logout first for that.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// A redirect would resend the session id (in the path) to another place: refuse it.
func noRedirect(req *http.Request, via []*http.Request) error {
	return errors.New("the terminal redirected the call, which is not part of its API")
}

// request is one device call.
type request struct {
	call   string                  // the spec's name for it, e.g. "addUsers"
	method string                  // HTTP method
	path   func(sid string) string // builds the path, with the session id when needed
	query  url.Values
	body   any
	public bool // no session (login, apiversion)
}

// do sends r, logging in first when there is no session, and decodes the answer into out
// (nil: ignore the answer's body but still check it for an error status). When the
// terminal refuses the session, it logs in again, once, and retries.
func (c *Client) do(ctx context.Context, r request, out any) error {
	_, err := c.doSession(ctx, r, out)
	return err
}

// doSession is do that also reports the session generation the answer came from, so a
// batch can renew the session when items were refused for it.
func (c *Client) doSession(ctx context.Context, r request, out any) (uint64, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return 0, &Error{Call: r.call, Err: fmt.Errorf("encode request: %w", err)}
		}
	}
	if r.public {
		return 0, c.send(ctx, r, "", body, out)
	}
	sid, gen, err := c.sess.get(ctx, c.login)
	if err != nil {
		return 0, err
	}
	err = c.send(ctx, r, sid, body, out)
	if !errors.Is(err, ErrSessionExpired) {
		return gen, err
	}
	c.log.Info("actatek session refused; logging in again", "call", r.call)
	c.sess.invalidate(gen)
	if sid, gen, err = c.sess.get(ctx, c.login); err != nil {
		return 0, err
	}
	return gen, c.send(ctx, r, sid, body, out)
}

// deadline bounds ctx by the client's timeout unless it already has an earlier deadline.
func (c *Client) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= c.timeout {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.timeout)
}

// send makes one HTTP exchange and interprets the answer.
func (c *Client) send(ctx context.Context, r request, sid string, body []byte, out any) error {
	u := c.baseURL + r.path(sid)
	if len(r.query) > 0 {
		u += "?" + encodeQuery(r.query)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return &Error{Call: r.call, Err: fmt.Errorf("build request: %w", unwrapURL(err))}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return &Error{Call: r.call, Err: transportError(ctx, err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	c.log.Debug("actatek call", "call", r.call, "status", resp.StatusCode, "bytes", len(data), "took", time.Since(start))
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // an answer that raced the deadline is not trusted
	}
	if err != nil {
		return &Error{Call: r.call, StatusCode: resp.StatusCode, Err: transportError(ctx, err)}
	}
	if int64(len(data)) > c.maxBody {
		return &Error{Call: r.call, StatusCode: resp.StatusCode,
			Err: fmt.Errorf("%w: the answer is larger than %d MiB", ErrMalformed, c.maxBody>>20)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return refusal(r.call, resp.StatusCode, data)
	}
	if e := errorStatus(r.call, resp.StatusCode, data); e != nil {
		return e
	}
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return &Error{Call: r.call, StatusCode: resp.StatusCode, Err: fmt.Errorf("%w: the answer is empty", ErrMalformed)}
	}
	if err := decodeJSON(data, out); err != nil {
		return &Error{Call: r.call, StatusCode: resp.StatusCode, Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
	}
	return nil
}

// refusal turns a non-2xx answer into an *Error with the terminal's message (spec 14), or
// the start of the body when it is not the documented error shape.
func refusal(call string, status int, data []byte) error {
	var res Result
	if err := decodeJSON(data, &res); err == nil && res.Message != "" {
		return &Error{Call: call, StatusCode: status, Message: res.Message}
	}
	text := strings.TrimSpace(string(data))
	if text == "" {
		return &Error{Call: call, StatusCode: status, Err: fmt.Errorf("%s", http.StatusText(status))}
	}
	return &Error{Call: call, StatusCode: status, Err: fmt.Errorf("%s: %q", http.StatusText(status), truncate(text, 120))}
}

// errorStatus finds {"status":"error","message":...} in a 2xx answer: some terminals
// refuse with 200.
func errorStatus(call string, status int, data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' || !bytes.Contains(data, []byte(`"error"`)) {
		return nil
	}
	var res Result
	if err := decodeJSON(data, &res); err != nil || res.OK() {
		return nil
	}
	msg := res.Message
	if msg == "" {
		msg = "error without a message"
	}
	return &Error{Call: call, StatusCode: status, Message: msg}
}

// transportError words a failed exchange for an operator. The *url.Error wrapper is
// dropped: its URL holds the session id.
func transportError(ctx context.Context, err error) error {
	err = unwrapURL(err)
	var pin *PinError
	switch {
	case errors.As(err, &pin):
		return fmt.Errorf("%w: %w", ErrUnreachable, pin)
	case ctx.Err() == context.Canceled:
		return fmt.Errorf("cancelled: %w", context.Canceled)
	case ctx.Err() == context.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: no answer before the deadline: %w", ErrUnreachable, context.DeadlineExceeded)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the terminal closed the connection without a complete answer", ErrUnreachable)
	}
	return fmt.Errorf("%w: %w", ErrUnreachable, err)
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
