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
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"time"
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

	// HTTPClient sends the calls; http.DefaultClient when nil. Deadlines come from Timeout.
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
	base      string // scheme://host[/path] + prefix, no trailing slash
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
	c := &Client{
		base:      strings.TrimRight(u.String(), "/") + strings.TrimRight(prefix, "/"),
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
	if c.http == nil {
		c.http = http.DefaultClient
	}
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

// Error is an error answer of CLUe: the call, the HTTP status and what the service said.
type Error struct {
	Call       string        // what was asked, e.g. "register auth"
	Status     int           // HTTP status
	Code       string        // the service's code, from {"errors":[{code}]} or {code}
	Message    string        // the service's message
	RetryAfter time.Duration // from Retry-After on a 429
}

// Error says what failed in an operator's words.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "clue %s: HTTP %d", e.Call, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = statusWords(e.Status)
	}
	if msg != "" {
		b.WriteString(": " + msg)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

func statusWords(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "the API key or the login was refused"
	case status == http.StatusForbidden:
		return "this account may not do that at this place"
	case status == http.StatusNotFound:
		return "not found"
	case status == http.StatusTooManyRequests:
		return "calls to this place come too close together"
	case status == http.StatusRequestEntityTooLarge:
		return "the request is too large"
	case status >= 500:
		return "the CLUe service failed"
	}
	return ""
}

// call is one request to CLUe.
type call struct {
	name   string // for errors and logs
	method string
	path   string // after the prefix
	query  url.Values
	in     any    // encoded as JSON when not nil
	body   []byte // an already encoded body, used instead of in
	place  bool   // paced and authenticated: the call addresses the place
}

// do sends a call and hands a 2xx answer to decode. Calls to the place wait for the pacer,
// carry the bearer token, renew a refused token once, and wait out a 429 like the pacer.
func (c *Client) do(ctx context.Context, cl call, decode func([]byte) error) error {
	body := cl.body
	if body == nil && cl.in != nil {
		var err error
		if body, err = json.Marshal(cl.in); err != nil {
			return fmt.Errorf("clue %s: encode the request: %w", cl.name, err)
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
				return fmt.Errorf("clue %s: %w", cl.name, err)
			}
			if sent, err = c.pacer.Wait(ctx, c.place); err != nil {
				return fmt.Errorf("clue %s: waiting for the turn of place %d: %w", cl.name, c.place, err)
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
				return fmt.Errorf("clue %s: %w", cl.name, err)
			}
			continue
		case status == http.StatusTooManyRequests && throttled < maxThrottled:
			wait := retryAfter(header)
			if wait <= maxRetryAfter {
				throttled++
				c.log.Debug("clue throttled", "call", cl.name, "retry_after", wait)
				if cl.place {
					c.pacer.Defer(c.place, wait)
				} else if err := sleep(ctx, wait); err != nil {
					return fmt.Errorf("clue %s: %w", cl.name, err)
				}
				continue
			}
		}
		if status < 200 || status > 299 {
			code, msg := ParseError(answer)
			e := &Error{Call: cl.name, Status: status, Code: code, Message: msg}
			if status == http.StatusTooManyRequests {
				e.RetryAfter = retryAfter(header)
			}
			return e
		}
		// A 2xx answer can still say status:false in its envelope.
		var env Envelope
		if json.Unmarshal(answer, &env) == nil && env.Failed() {
			code := ""
			if env.Code != 0 {
				code = strconv.FormatInt(int64(env.Code), 10)
			}
			return &Error{Call: cl.name, Status: status, Code: code, Message: env.Message}
		}
		if decode == nil {
			return nil
		}
		if err := decode(answer); err != nil {
			return fmt.Errorf("clue %s: %w", cl.name, err)
		}
		return nil
	}
}

// send makes one HTTP exchange with its own deadline and reads the answer within the limit.
// sent is called once the request's headers are on their way (and at the latest on return),
// which is the moment the pacer counts from.
func (c *Client) send(ctx context.Context, cl call, body []byte, token Secret, sent func()) (int, http.Header, []byte, error) {
	defer sent()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: sent})
	target := c.base + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, rd)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("clue %s: %w", cl.name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+string(token))
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, c.transportError(ctx, cl, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, c.maxAnswer+1))
	if err != nil {
		return 0, nil, nil, c.transportError(ctx, cl, err)
	}
	if int64(len(answer)) > c.maxAnswer {
		return 0, nil, nil, fmt.Errorf("clue %s: the answer is larger than %d bytes", cl.name, c.maxAnswer)
	}
	c.log.Debug("clue call", "call", cl.name, "method", cl.method, "path", cl.path,
		"status", resp.StatusCode, "bytes_out", len(body), "bytes_in", len(answer), "duration", time.Since(start))
	return resp.StatusCode, resp.Header, answer, nil
}

// transportError names the failure of an exchange that got no answer.
func (c *Client) transportError(ctx context.Context, cl call, err error) error {
	var nerr net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()):
		return fmt.Errorf("clue %s: no answer from %s in time: %w", cl.name, c.host, err)
	case ctx.Err() != nil:
		return fmt.Errorf("clue %s: cancelled: %w", cl.name, err)
	}
	return fmt.Errorf("clue %s: cannot reach %s: %w", cl.name, c.host, err)
}

// retryAfter reads Retry-After in seconds or as an HTTP date; one second when absent.
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Second
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return time.Second
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
