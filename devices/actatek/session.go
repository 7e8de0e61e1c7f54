package actatek

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"enrollstation/devices/internal/fault"
)

// session holds the terminal's session id. Concurrent callers that find no session share
// one login: the first starts it, the others wait for its outcome. gen counts logins, so a
// caller that saw its session refused invalidates only that session, not a newer one
// another caller has already obtained.
type session struct {
	mu     sync.Mutex
	id     string
	gen    uint64
	flight *loginFlight
}

type loginFlight struct {
	done chan struct{}
	err  error
}

// get returns the current session id, logging in (once, shared) when there is none.
func (s *session) get(ctx context.Context, login func(context.Context) (string, error)) (string, uint64, error) {
	for {
		s.mu.Lock()
		if s.id != "" {
			id, gen := s.id, s.gen
			s.mu.Unlock()
			return id, gen, nil
		}
		if f := s.flight; f != nil {
			s.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return "", 0, fault.Transport(ctx, fault.ACTAtek, "login", fmt.Errorf("waiting for the login: %w", ctx.Err()))
			}
			// The leader's own cancellation is not ours: try again ourselves.
			if f.err != nil && !errors.Is(f.err, context.Canceled) && !errors.Is(f.err, context.DeadlineExceeded) {
				return "", 0, f.err
			}
			if ctx.Err() != nil {
				return "", 0, fault.Transport(ctx, fault.ACTAtek, "login", ctx.Err())
			}
			continue
		}
		f := &loginFlight{done: make(chan struct{})}
		s.flight = f
		s.mu.Unlock()

		id, err := login(ctx)

		s.mu.Lock()
		s.flight = nil
		f.err = err
		if err == nil {
			s.id = id
			s.gen++
		}
		gen := s.gen
		s.mu.Unlock()
		close(f.done)
		if err != nil {
			return "", 0, err
		}
		return id, gen, nil
	}
}

// invalidate forgets the session of generation gen, if it is still the current one.
func (s *session) invalidate(gen uint64) {
	s.mu.Lock()
	if s.gen == gen {
		s.id = ""
	}
	s.mu.Unlock()
}

// take forgets the current session and returns its id ("" when there was none).
func (s *session) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id
	s.id = ""
	return id
}

// login posts the credentials (spec 1.1) and returns the session id.
func (c *Client) login(ctx context.Context) (string, error) {
	if c.creds.Username == "" {
		return "", invalid("login", "no terminal account configured")
	}
	body, err := json.Marshal(loginRequest{Username: c.creds.Username, Password: c.creds.Password})
	if err != nil {
		return "", invalid("login", "encode request: %w", err)
	}
	raw, err := c.send(ctx, request{
		call:   "login",
		method: http.MethodPost,
		path:   func(string) string { return pathLogin() },
		public: true,
	}, "", body)
	var e *Error
	if errors.As(err, &e) && errors.Is(e, ErrSessionExpired) {
		// A refused login is the account's fault, not an expired session: retrying it
		// would not mend it.
		e.Kind = ErrRejected
	}
	if err != nil {
		return "", err
	}
	var ans loginAnswer
	if err := decodeAnswer("login", raw, &ans); err != nil {
		return "", err
	}
	if !(Result{Status: ans.Status}).OK() {
		if e := (Result{Status: ans.Status, Message: ans.Message}).err("login"); e != nil {
			if e.Is(ErrSessionExpired) {
				e.Kind = ErrRejected
			}
			return "", e
		}
	}
	sid := strings.TrimSpace(string(ans.SessionID))
	if sid == "" {
		return "", malformed("login", raw.status, "the answer has no session id")
	}
	c.log.Info("actatek logged in", "account", c.creds.Username)
	return sid, nil
}

// Login logs in now, replacing any current session. Calls log in by themselves when
// needed; Login is for checking an account (e.g. when a technician adds a terminal).
func (c *Client) Login(ctx context.Context) error {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	c.sess.take()
	_, _, err := c.sess.get(ctx, c.login)
	return err
}

// Logout ends the current session on the terminal (spec 1.2). Without a session it does
// nothing. The session is forgotten even if the terminal does not answer.
func (c *Client) Logout(ctx context.Context) error {
	sid := c.sess.take()
	if sid == "" {
		return nil
	}
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	raw, err := c.send(ctx, request{call: "logout", method: http.MethodDelete, path: pathLogout}, sid, nil)
	if err != nil {
		return err
	}
	res, err := decodeResults("logout", raw, 1)
	if err != nil {
		return err
	}
	if e := res[0].err("logout"); e != nil {
		return e
	}
	return nil
}

// loginRequest is the body of POST login (1.1).
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// loginAnswer is the answer of POST login. sessionid is documented as long but shown as a
// string (1.1); it is kept as an opaque string either way.
type loginAnswer struct {
	Status    string `json:"status"`
	Message   string `json:"message"`
	SessionID Text   `json:"sessionid"`
}

// Paths of login and logout (1.1, 1.2).
func pathLogin() string            { return APIPrefix + "login" }
func pathLogout(sid string) string { return seg("logout", sid) }
