package ef45

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"

	"enrollstation/devices/internal/fault"
)

// Lock asks for the device lock (POST /lock). errors.Is(err, ErrInUse) when another
// workstation holds it.
func (c *Client) Lock(ctx context.Context) (string, error) {
	return c.lock(ctx, http.MethodPost, "lock")
}

// ForceLock takes the lock over from whoever holds it (PUT /lock, "force connection").
func (c *Client) ForceLock(ctx context.Context) (string, error) {
	return c.lock(ctx, http.MethodPut, "force lock")
}

// lock returns as soon as ctx ends, but the request runs on to its answer: the device may
// grant the lock just as the caller gives up (an operator's cancel), and a lock given to
// an answer nobody reads keeps the camera from every workstation until it expires. Such a
// lock is released when it arrives, and the client's next lock call waits for that.
func (c *Client) lock(ctx context.Context, method, name string) (string, error) {
	if err := c.locks.wait(ctx); err != nil {
		return "", fault.Transport(ctx, fault.EF45, name, err)
	}
	answer := make(chan lockAnswer, 1)
	go func() {
		callCtx, cancel := c.detached(ctx)
		defer cancel()
		uid, err := c.askLock(callCtx, method, name)
		answer <- lockAnswer{uid, err}
	}()
	select {
	case a := <-answer:
		return a.uid, a.err
	case <-ctx.Done():
		c.locks.abandon(answer, func(uid string) {
			callCtx, cancel := c.detached(ctx)
			defer cancel()
			_ = c.Unlock(callCtx, uid) // best effort: it expires on the device otherwise
		})
		return "", fault.Transport(ctx, fault.EF45, name, context.Cause(ctx))
	}
}

// detached is ctx without its cancel and deadline, bounded by the client's call timeout
// (the default one when the client has none): a call that runs on after its caller gave up
// must still end, or every later lock call would wait for it.
func (c *Client) detached(ctx context.Context) (context.Context, context.CancelFunc) {
	d := c.timeout
	if d <= 0 {
		d = defaultTimeout
	}
	return context.WithTimeout(context.WithoutCancel(ctx), d)
}

func (c *Client) askLock(ctx context.Context, method, name string) (string, error) {
	var l Lock
	if err := c.do(ctx, call{name: name, method: method, path: "lock", out: &l}); err != nil {
		return "", err
	}
	// specs/README.md: the lock object is {locked, lock_uid}. An answer to POST that says
	// the device is locked, or gives no uid, did not give us the lock: someone holds it.
	// A force connection takes the lock whatever it was, so only its uid counts.
	if l.LockUID == "" || (bool(l.Locked) && method == http.MethodPost) {
		e := fault.Answer(fault.EF45, name, http.StatusOK, "", "")
		e.Kind = ErrInUse
		return "", e
	}
	return string(l.LockUID), nil
}

type lockAnswer struct {
	uid string
	err error
}

// lockGate orders a client's lock calls after the ones their callers gave up on.
type lockGate struct {
	mu      sync.Mutex
	settled chan struct{} // closed once every abandoned call has settled; nil if none was
}

// wait returns once every abandoned lock call has its answer and its lock is released.
func (g *lockGate) wait(ctx context.Context) error {
	g.mu.Lock()
	settled := g.settled
	g.mu.Unlock()
	if settled == nil {
		return nil
	}
	select {
	case <-settled:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// abandon hands over a lock call whose caller gave up: release runs on the lock it gets.
func (g *lockGate) abandon(answer <-chan lockAnswer, release func(uid string)) {
	done := make(chan struct{})
	g.mu.Lock()
	before := g.settled
	g.settled = done
	g.mu.Unlock()
	go func() {
		defer close(done)
		if a := <-answer; a.err == nil {
			release(a.uid)
		}
		if before != nil {
			<-before
		}
	}()
}

// Unlock releases the lock uid (DELETE /lock/{uid}).
func (c *Client) Unlock(ctx context.Context, uid string) error {
	return c.do(ctx, call{name: "unlock", method: http.MethodDelete, path: "lock/" + url.PathEscape(uid)})
}

// Open takes the device lock (force: take it over) and reads the version, which decides the
// biometric-data endpoint. The Session must be closed to release the lock. The two calls go
// out at once: neither needs the other, and on a slow link each round trip is waited for.
func (c *Client) Open(ctx context.Context, force bool) (*Session, error) {
	take := c.Lock
	if force {
		take = c.ForceLock
	}
	var version string
	var versionErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		version, versionErr = c.Version(ctx)
	}()
	uid, lockErr := take(ctx)
	<-done
	switch {
	case versionErr != nil && lockErr == nil:
		// A lock nobody will use must not keep the camera from other workstations.
		unlockCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.Unlock(unlockCtx, uid) // best effort: the version error is the one to tell
		return nil, versionErr
	case versionErr != nil && !errors.Is(lockErr, ErrInUse):
		return nil, versionErr
	case lockErr != nil:
		return nil, lockErr
	}
	return newSession(c, uid, version), nil
}
