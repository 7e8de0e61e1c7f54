// Package clue is a client of the Suprema CLUe cloud: the access ("auth") of a person with
// face images and cards, the events of a place, and the phone login (specs 000 and 001).
// The vendor webhook console of spec 002 is in the sub-package vendor, and a simulator of
// the whole API in cluesim.
//
// A Client holds typed services (Auths, Events, Accounts); every call goes through one
// request helper that paces calls to the place, authenticates, sends, reads a size-limited
// answer and turns an error answer into an *Error.
package clue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/internal/fault"
)

// Defaults of Options.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultMaxFaceBytes   = 1 << 20
	DefaultMaxAnswerBytes = 16 << 20
	// maxThrottled is how many 429 answers one call waits out before giving up.
	maxThrottled = 3
	// maxRetryAfter is the longest Retry-After a call waits out; longer ones are reported.
	maxRetryAfter = 15 * time.Second
)

// Options are the settings of a Client.
type Options struct {
	// BaseURL is the CLUe service; DefaultBaseURL when empty.
	BaseURL string
	// Prefix is the path prefix, PrefixV1 or PrefixBE; PrefixV1 when empty.
	Prefix string
	// PlaceID is the place every auth and event call addresses.
	PlaceID int64
	// DoorIDs are the doors a Registration opens when it names none; all doors when empty.
	DoorIDs []int64

	// APIKey is the fixed API key of spec 000. Exactly one of APIKey and Phone is set.
	APIKey Secret
	// Phone is the account of a phone login (spec 001); its access token is renewed once,
	// transparently, when CLUe refuses it.
	Phone *PhoneLogin

	// Pacer spaces the calls to a place; hand the same one to every Client of the process.
	// When nil the client gets its own, with Spacing.
	Pacer *Pacer
	// Spacing is the least time between two calls to the place when Pacer is nil; never
	// less than MinSpacing.
	Spacing time.Duration

	// HTTPClient sends the calls (its transport and jar; redirects are never followed);
	// a plain client when nil. Deadlines come from Timeout.
	HTTPClient *http.Client
	// Timeout bounds each HTTP exchange (not the wait for the pacer); DefaultTimeout when 0.
	Timeout time.Duration
	// MaxFaceBytes is the size above which a face image is scaled down and re-encoded as
	// JPEG; DefaultMaxFaceBytes when 0.
	MaxFaceBytes int
	// MaxAnswerBytes limits the size of an answer; DefaultMaxAnswerBytes when 0.
	MaxAnswerBytes int64
	// Logger receives one debug line per call, without secrets; nothing is logged when nil.
	Logger *slog.Logger
}

// Client talks to one CLUe place. It is safe for concurrent use.
type Client struct {
	root      string // scheme://host[/path], no trailing slash
	base      string // root + prefix
	host      string
	place     int64
	doors     []int64
	pacer     *Pacer
	http      *http.Client
	timeout   time.Duration
	maxFace   int
	maxAnswer int64
	log       *slog.Logger
	tokens    *tokens

	// Auths registers, updates and deletes the access of people (spec 000).
	Auths *AuthsService
	// Events reads the events of the place (specs 000 and 001).
	Events *EventsService
	// Accounts logs in with a phone account (spec 001).
	Accounts *AccountsService
}

// NewClient checks the options and returns a client. It makes no call: a phone login happens
// on the first call that needs it.
func NewClient(opts Options) (*Client, error) {
	base := opts.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("clue: base URL %q is not an http(s) address", base)
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = PrefixV1
	}
	if !strings.HasPrefix(prefix, "/") {
		return nil, fmt.Errorf("clue: path prefix %q must start with / (e.g. %s or %s)", prefix, PrefixV1, PrefixBE)
	}
	if opts.PlaceID <= 0 {
		return nil, errors.New("clue: a place id is needed")
	}
	for _, d := range opts.DoorIDs {
		if d <= 0 {
			return nil, fmt.Errorf("clue: door id %d is not valid", d)
		}
	}
	switch {
	case opts.APIKey == "" && opts.Phone == nil:
		return nil, errors.New("clue: an API key or a phone login is needed")
	case opts.APIKey != "" && opts.Phone != nil:
		return nil, errors.New("clue: give an API key or a phone login, not both")
	case opts.Phone != nil && (opts.Phone.Phone == "" || opts.Phone.Password == "" || opts.Phone.CountryCode == ""):
		return nil, errors.New("clue: a phone login needs a country code, a phone number and a password")
	}
	root := strings.TrimRight(u.String(), "/")
	c := &Client{
		root:      root,
		base:      root + strings.TrimRight(prefix, "/"),
		host:      u.Host,
		place:     opts.PlaceID,
		doors:     append([]int64(nil), opts.DoorIDs...),
		pacer:     opts.Pacer,
		http:      opts.HTTPClient,
		timeout:   opts.Timeout,
		maxFace:   opts.MaxFaceBytes,
		maxAnswer: opts.MaxAnswerBytes,
		log:       opts.Logger,
	}
	if c.pacer == nil {
		c.pacer = NewPacer(opts.Spacing)
	}
	// A copy, so that refusing redirects never changes the caller's client. A redirect would
	// carry the API key to another address, possibly over plain HTTP: it is reported instead.
	hc := http.Client{}
	if c.http != nil {
		hc = *c.http
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxFace <= 0 {
		c.maxFace = DefaultMaxFaceBytes
	}
	if c.maxAnswer <= 0 {
		c.maxAnswer = DefaultMaxAnswerBytes
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.Auths = &AuthsService{c: c}
	c.Auths.prepare = c.Auths.prepareRegister
	c.Events = &EventsService{c: c}
	c.Accounts = &AccountsService{c: c}
	c.tokens = &tokens{apiKey: opts.APIKey, phone: opts.Phone, login: c.Accounts.LoginPhone, wait: c.timeout}
	if opts.Phone != nil {
		p := *opts.Phone
		c.tokens.phone = &p
	}
	return c, nil
}

// PlaceID returns the place the client addresses.
func (c *Client) PlaceID() int64 { return c.place }

// Error is the failure of a CLUe call: the same type as every device package's, so one
// classification (errors.Is with the kinds below, (*Error).Temporary) serves them all.
type Error = fault.Error

// The kinds of failure a caller may tell apart, with errors.Is.
var (
	ErrUnreachable    = fault.ErrUnreachable
	ErrTimeout        = fault.ErrTimeout
	ErrNotFound       = fault.ErrNotFound
	ErrConflict       = fault.ErrConflict
	ErrThrottled      = fault.ErrThrottled
	ErrSessionExpired = fault.ErrSessionExpired
	ErrUnavailable    = fault.ErrUnavailable
	ErrRejected       = fault.ErrRejected
	ErrMalformed      = fault.ErrMalformed
	ErrInvalid        = fault.ErrInvalid
	// ErrDuplicateKey is a registration refused because the user key already has an auth at
	// the place; it refines ErrConflict.
	ErrDuplicateKey = fault.NewKind("the user key already has an auth at this place", fault.ErrConflict)
	// ErrRedirected is an answer that redirects elsewhere: the client never follows one, as
	// the API key would go to the other address (possibly over plain HTTP).
	ErrRedirected = fault.NewKind("CLUe answered with a redirect, which is not followed", fault.ErrRejected)
)

// answerError turns an error answer into an *Error. Spec 000 documents no error code; a
// refused duplicate key is recognised by the simulator's 409 DUPLICATE_USER_KEY and by any
// code or message that speaks of a duplicate, whatever the status.
func answerError(call string, status int, header http.Header, answer []byte, now time.Time) *Error {
	code, msg := ParseError(answer)
	e := fault.Answer(fault.CLUe, call, status, code, msg)
	if status >= 200 && status <= 299 {
		// An envelope that says status:false: its code may be an HTTP status.
		e.Kind = fault.KindOf(envelopeCode(answer))
		if e.Kind == nil {
			e.Kind = ErrRejected
		}
	}
	switch {
	case status >= 300 && status <= 399:
		e.Kind = ErrRedirected
		if loc := header.Get("Location"); loc != "" {
			e.Message = "redirected to " + loc + "; check the base URL"
		}
	case isDuplicate(code, msg) && (e.Kind == ErrConflict || e.Kind == ErrRejected):
		e.Kind = ErrDuplicateKey
	case status == http.StatusTooManyRequests:
		e.RetryAfter = fault.RetryAfter(header, now)
	}
	return e
}

func envelopeCode(answer []byte) int {
	var env Envelope
	if json.Unmarshal(answer, &env) != nil {
		return 0
	}
	return int(env.Code)
}

func isDuplicate(code, msg string) bool {
	c, m := strings.ToUpper(code), strings.ToLower(msg)
	return strings.Contains(c, "DUPLICATE") || strings.Contains(m, "duplicate") ||
		strings.Contains(m, "already has auth") || strings.Contains(m, "already exists")
}

// ExistingAuthID returns the auth id a duplicate-key refusal names, when its message names
// one ("user key \"k\" already has auth 118926 at place 178", the simulator's wording). Spec
// 000 documents no such answer, so a real service may name none: false then.
func ExistingAuthID(err error) (int64, bool) {
	var e *Error
	if !errors.As(err, &e) || !e.Is(ErrDuplicateKey) {
		return 0, false
	}
	_, rest, ok := strings.Cut(e.Message, "already has auth ")
	if !ok {
		return 0, false
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	id, perr := strconv.ParseInt(rest[:end], 10, 64)
	if perr != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// call is one request to CLUe.
type call struct {
	name   string // for errors and logs
	method string
	path   string // after the prefix, or after the base URL when root is set
	root   bool   // the path is not under the prefix (the account calls of spec 001)
	query  url.Values
	in     any    // encoded as JSON when not nil
	body   []byte // an already encoded body, used instead of in
	place  bool   // paced and authenticated: the call addresses the place
}

// do sends a call and hands a 2xx answer to decode. Calls to the place wait for the pacer,
// carry the bearer token, renew a refused token once, and wait out a 429 like the pacer.
// Every error it returns is or wraps an *Error.
func (c *Client) do(ctx context.Context, cl call, decode func([]byte) error) error {
	body := cl.body
	if body == nil && cl.in != nil {
		var err error
		if body, err = json.Marshal(cl.in); err != nil {
			return fault.Local(fault.CLUe, cl.name, fmt.Errorf("encode the request: %w", err))
		}
	}
	renewed, throttled := false, 0
	for {
		var token Secret
		var gen uint64
		sent := func() {}
		if cl.place {
			var err error
			if token, gen, err = c.tokens.current(ctx); err != nil {
				return c.loginError(ctx, cl, err)
			}
			if sent, err = c.pacer.Wait(ctx, c.place); err != nil {
				return fault.Transport(ctx, fault.CLUe, cl.name, fmt.Errorf("waiting for the turn of place %d: %w", c.place, err))
			}
			// Another caller may have renewed the token during the wait; this never logs in,
			// because the login above already happened and a late one would delay the call.
			token, gen = c.tokens.peek(token, gen)
		}
		status, header, answer, err := c.send(ctx, cl, body, token, sent)
		if err != nil {
			return err
		}
		switch {
		case status == http.StatusUnauthorized && cl.place && c.tokens.renewable() && !renewed:
			renewed = true
			if err := c.tokens.renew(ctx, gen); err != nil {
				return c.loginError(ctx, cl, err)
			}
			continue
		case status == http.StatusTooManyRequests && throttled < maxThrottled:
			wait := fault.RetryAfter(header, time.Now())
			if wait == 0 {
				wait = time.Second
			}
			if wait <= maxRetryAfter {
				throttled++
				c.log.Debug("clue throttled", "call", cl.name, "retry_after", wait)
				if cl.place {
					c.pacer.Defer(c.place, wait)
				} else if err := sleep(ctx, wait); err != nil {
					return fault.Transport(ctx, fault.CLUe, cl.name, err)
				}
				continue
			}
		}
		if status < 200 || status > 299 {
			return answerError(cl.name, status, header, answer, time.Now())
		}
		// A 2xx answer can still say status:false in its envelope.
		var env Envelope
		if json.Unmarshal(answer, &env) == nil && env.Failed() {
			e := answerError(cl.name, status, header, answer, time.Now())
			e.Code = ""
			if env.Code != 0 {
				e.Code = strconv.FormatInt(int64(env.Code), 10)
			}
			return e
		}
		if decode == nil {
			decode = checkAnswer
		}
		if err := decode(answer); err != nil {
			return fault.Malformed(fault.CLUe, cl.name, status, err)
		}
		return nil
	}
}

// checkAnswer reads the answer of a call whose data nobody needs (Delete User): it must still
// be the JSON envelope, because an HTML page or an empty body from a proxy is no success.
func checkAnswer(b []byte) error {
	var env Envelope
	if err := decodeJSON(b, &env); err != nil {
		return err
	}
	return nil
}

// loginError keeps an *Error of the phone login as it is and names any other failure of it
// (a cancelled wait for another caller's login) as a transport failure of this call.
func (c *Client) loginError(ctx context.Context, cl call, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return fmt.Errorf("clue %s: %w", cl.name, err)
	}
	return fault.Transport(ctx, fault.CLUe, cl.name, err)
}

// send makes one HTTP exchange with its own deadline and reads the answer within the limit.
// sent is called once the request's headers are on their way (and at the latest on return),
// which is the moment the pacer counts from.
func (c *Client) send(ctx context.Context, cl call, body []byte, token Secret, sent func()) (int, http.Header, []byte, error) {
	defer sent()
	callCtx := ctx
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: sent})
	target := c.base + cl.path
	if cl.root {
		target = c.root + cl.path
	}
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, rd)
	if err != nil {
		return 0, nil, nil, fault.Local(fault.CLUe, cl.name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+string(token))
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, c.transportError(callCtx, ctx, cl, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, c.maxAnswer+1))
	if err != nil {
		return 0, nil, nil, c.transportError(callCtx, ctx, cl, err)
	}
	if int64(len(answer)) > c.maxAnswer {
		return 0, nil, nil, fault.Malformed(fault.CLUe, cl.name, resp.StatusCode, fmt.Errorf("the answer is larger than %d bytes", c.maxAnswer))
	}
	c.log.Debug("clue call", "call", cl.name, "method", cl.method, "path", cl.path,
		"status", resp.StatusCode, "bytes_out", len(body), "bytes_in", len(answer), "duration", time.Since(start))
	return resp.StatusCode, resp.Header, answer, nil
}

// transportError names the failure of an exchange that got no answer. The exchange's own
// deadline (Timeout) is a timeout; the caller's cancel is a cancel.
func (c *Client) transportError(callCtx, ctx context.Context, cl call, err error) error {
	if callCtx.Err() == nil && ctx.Err() != nil {
		callCtx = ctx
	}
	e := fault.Transport(callCtx, fault.CLUe, cl.name, err)
	switch {
	case e.Is(ErrTimeout):
		e.Err = fmt.Errorf("no answer from %s in time: %w", c.host, e.Err)
	case e.Is(ErrUnreachable):
		e.Err = fmt.Errorf("cannot reach %s: %w", c.host, e.Err)
	}
	return e
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
