package clue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"time"

	"enrollstation/devices/internal/fault"
)

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
