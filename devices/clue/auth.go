package clue

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Secret is a password, API key or token. It prints, logs and marshals as "[redacted]", so a
// struct holding one can be logged without leaking it; string(s) gives the value.
type Secret string

const redacted = "[redacted]"

// String hides the value.
func (s Secret) String() string { return redacted }

// GoString hides the value from %#v.
func (s Secret) GoString() string { return redacted }

// LogValue hides the value from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON hides the value from JSON output.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(redacted) }

// Defaults of the phone login (spec 001 "Login" sample).
const (
	DefaultAccountType    = "BUSINESS_OWNER"
	DefaultAuthDeviceType = "MOBILE_APP"
)

// PhoneLogin is the account of a phone login (spec 001 "Login").
type PhoneLogin struct {
	CountryCode    string // e.g. "kr"
	Phone          string // the login id
	Password       Secret
	AccountType    string // DefaultAccountType when empty
	AuthDeviceType string // DefaultAuthDeviceType when empty
}

// Session is the outcome of a phone login. Spec 001 documents no call that takes the
// refresh token, so the client renews by logging in again; the token is kept for callers.
type Session struct {
	AccountID     int64
	AccountType   string
	AccountStatus string
	Name          string
	AccessToken   Secret
	RefreshToken  Secret
}

// AccountsService holds the account calls of spec 001.
type AccountsService struct{ c *Client }

// LoginPhone logs in with a phone account and returns the tokens. It is not paced: it
// addresses the account, not a place.
func (s *AccountsService) LoginPhone(ctx context.Context, l PhoneLogin) (*Session, error) {
	body := LoginBody{
		CountryCode:    l.CountryCode,
		Phone:          l.Phone,
		Password:       string(l.Password),
		AccountType:    l.AccountType,
		AuthDeviceType: l.AuthDeviceType,
	}
	if body.AccountType == "" {
		body.AccountType = DefaultAccountType
	}
	if body.AuthDeviceType == "" {
		body.AuthDeviceType = DefaultAuthDeviceType
	}
	var answer *LoginAnswer
	err := s.c.do(ctx, call{name: "phone login", method: http.MethodPost, path: PathLoginPhone, root: true, in: body},
		func(b []byte) (err error) {
			answer, err = DecodeLogin(b)
			return err
		})
	if err != nil {
		return nil, err
	}
	d := answer.Data
	return &Session{
		AccountID:     int64(d.AccountID),
		AccountType:   d.AccountType,
		AccountStatus: d.AccountStatus,
		Name:          d.Name,
		AccessToken:   Secret(d.AccessToken),
		RefreshToken:  Secret(d.RefreshToken),
	}, nil
}

// tokens hands out the bearer token: the fixed API key, or the access token of a phone login,
// obtained on first use and renewed when CLUe refuses it. Concurrent callers that see the same
// refusal share one login.
type tokens struct {
	apiKey Secret
	phone  *PhoneLogin
	login  func(context.Context, PhoneLogin) (*Session, error)
	wait   time.Duration // deadline of one login

	mu       sync.Mutex
	access   Secret
	gen      uint64        // bumped by every login, so a refusal of an old token renews once
	renewing chan struct{} // closed when the login under way ends
	err      error         // outcome of the last login
}

// renewable says whether a refused token can be replaced.
func (t *tokens) renewable() bool { return t.phone != nil }

// current returns the token to send and its generation, logging in first if needed.
func (t *tokens) current(ctx context.Context) (Secret, uint64, error) {
	if t.phone == nil {
		return t.apiKey, 0, nil
	}
	t.mu.Lock()
	access, gen := t.access, t.gen
	t.mu.Unlock()
	if access != "" {
		return access, gen, nil
	}
	if err := t.renew(ctx, gen); err != nil {
		return "", 0, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.access, t.gen, nil
}

// peek returns the newest token without logging in, or the given one when there is none.
func (t *tokens) peek(token Secret, gen uint64) (Secret, uint64) {
	if t.phone == nil {
		return token, gen
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.access == "" {
		return token, gen
	}
	return t.access, t.gen
}

// renew logs in again unless a login since generation seen has already done so; callers
// arriving during a login wait for it instead of starting another.
func (t *tokens) renew(ctx context.Context, seen uint64) error {
	t.mu.Lock()
	if t.gen != seen && t.access != "" {
		t.mu.Unlock()
		return nil
	}
	if ch := t.renewing; ch != nil {
		t.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.err != nil {
			return fmt.Errorf("renew the CLUe login: %w", t.err)
		}
		return nil
	}
	ch := make(chan struct{})
	t.renewing = ch
	t.mu.Unlock()

	// The login serves every waiting caller, so one caller's cancel must not end it.
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.wait)
	s, err := t.login(lctx, *t.phone)
	cancel()

	t.mu.Lock()
	defer t.mu.Unlock()
	t.renewing = nil
	t.err = err
	if err == nil {
		t.access = s.AccessToken
		t.gen++
	}
	close(ch)
	if err != nil {
		return fmt.Errorf("renew the CLUe login: %w", err)
	}
	return nil
}
