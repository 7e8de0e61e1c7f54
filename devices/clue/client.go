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
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
