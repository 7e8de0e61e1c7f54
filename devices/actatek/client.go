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

	"enrollstation/devices/internal/fault"
)

// Defaults for Options.
const (
	DefaultTimeout          = 60 * time.Second
	DefaultMaxResponseBytes = 64 << 20
)

// Credentials are the terminal account the client logs in with. The password is never
// shown: String, GoString, Format (every fmt verb), LogValue and MarshalJSON leave it out,
// so a Credentials printed, logged or saved as JSON by mistake does not leak it.
type Credentials struct {
	Username string
	Password string
}

// redacted stands for the password wherever Credentials are shown.
const redacted = "<redacted>"

// String names the account without its password.
func (c Credentials) String() string { return c.Username + ":" + redacted }

// GoString names the account without its password (for %#v).
func (c Credentials) GoString() string {
	return fmt.Sprintf("actatek.Credentials{Username:%q, Password:%s}", c.Username, redacted)
}

// Format writes String for every verb but %#v (GoString): %d, %x or %+v of the struct
// would otherwise print its fields, the password among them.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// LogValue names the account without its password.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the account with the password redacted. Credentials are not stored
// as JSON: the password lives in the secret store.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}{c.Username, redacted})
}

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

// answer is a 2xx answer's status and body.
type answer struct {
	status int
	data   []byte
}

// do sends a read, logging in first when there is no session, and decodes the answer into
// out. When the terminal refuses the session, it logs in again, once, and retries.
func (c *Client) do(ctx context.Context, r request, out any) error {
	ans, _, err := c.doSession(ctx, r)
	if err != nil {
		return err
	}
	return decodeAnswer(r.call, ans, out)
}

// doSession sends r with the current session (logging in first when there is none) and
// returns the 2xx answer and the session generation it came from, so a write can renew
// the session when items were refused for it. A refused session is renewed once.
func (c *Client) doSession(ctx context.Context, r request) (answer, uint64, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return answer{}, 0, invalid(r.call, "encode request: %w", err)
		}
	}
	if r.public {
		ans, err := c.send(ctx, r, "", body)
		return ans, 0, err
	}
	sid, gen, err := c.sess.get(ctx, c.login)
	if err != nil {
		return answer{}, 0, err
	}
	ans, err := c.send(ctx, r, sid, body)
	if !errors.Is(err, ErrSessionExpired) {
		return ans, gen, err
	}
	c.log.Info("actatek session refused; logging in again", "call", r.call)
	c.sess.invalidate(gen)
	if sid, gen, err = c.sess.get(ctx, c.login); err != nil {
		return answer{}, 0, err
	}
	ans, err = c.send(ctx, r, sid, body)
	return ans, gen, err
}

// deadline bounds ctx by the client's timeout unless it already has an earlier deadline.
func (c *Client) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= c.timeout {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.timeout)
}

// send makes one HTTP exchange and returns a 2xx answer; anything else is an *Error.
func (c *Client) send(ctx context.Context, r request, sid string, body []byte) (answer, error) {
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
		return answer{}, invalid(r.call, "build request: %w", unwrapURL(err))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, transportError(ctx, r.call, 0, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	c.log.Debug("actatek call", "call", r.call, "status", resp.StatusCode, "bytes", len(data), "took", time.Since(start))
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // an answer that raced the deadline is not trusted
	}
	if err != nil {
		return answer{}, transportError(ctx, r.call, resp.StatusCode, err)
	}
	if int64(len(data)) > c.maxBody {
		return answer{}, malformed(r.call, resp.StatusCode, "the answer is larger than %d MiB", c.maxBody>>20)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := refusal(r.call, resp.StatusCode, data)
		e.RetryAfter = fault.RetryAfter(resp.Header, time.Now())
		return answer{}, e
	}
	if e := errorStatus(r.call, resp.StatusCode, data); e != nil {
		return answer{}, e
	}
	return answer{status: resp.StatusCode, data: data}, nil
}

// transportError is a failed exchange. The *url.Error wrapper is dropped: its URL holds
// the session id.
func transportError(ctx context.Context, call string, status int, err error) *Error {
	err = unwrapURL(err)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("cannot reach the terminal: it closed the connection without a complete answer: %w", err)
	case ctx.Err() == nil:
		err = fmt.Errorf("cannot reach the terminal: %w", err)
	}
	e := fault.Transport(ctx, fault.ACTAtek, call, err)
	e.Status = status
	return e
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
