package actatek

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"enrollstation/devices/internal/lenient"
)

// Reading the terminal's answers: every write's answer is checked whole, and a refusal
// becomes an *Error with the terminal's own message (spec 14).

// write sends a write and checks its answer whole: it must be the documented result
// (spec 14; "or in array" for 4.1, 5.1, 6.1, 12.2), one per item sent, each with status
// "success". Anything else is a failure, never a success: an HTML page from a proxy, an
// empty body, a status other than "success" ("failed", "error", none). Items refused for
// the session are sent again once after a new login. extra, when not nil, also receives
// the answer (a result with more members than status and message).
func (c *Client) write(ctx context.Context, r request, items int, extra any) ([]Result, error) {
	for renewed := false; ; renewed = true {
		ans, gen, err := c.doSession(ctx, r)
		if err != nil {
			return nil, err
		}
		results, err := decodeResults(r.call, ans, items)
		if err != nil {
			return nil, err
		}
		var errs []error
		expired := 0
		for _, res := range results {
			if e := res.err(r.call); e != nil {
				if errors.Is(e, ErrSessionExpired) {
					expired++
				}
				errs = append(errs, e)
			}
		}
		if expired > 0 && !renewed && !r.public {
			// Every item is sent again: a write of departments, groups or codes is a
			// replacement by ID, so repeating the accepted ones changes nothing.
			c.log.Info("actatek session refused in the answer; logging in again", "call", r.call)
			c.sess.invalidate(gen)
			continue
		}
		if err := errors.Join(errs...); err != nil {
			return results, err
		}
		if extra != nil {
			if err := decodeAnswer(r.call, ans, extra); err != nil {
				return results, err
			}
		}
		return results, nil
	}
}

// writeOne sends a write of one item and checks its answer (see write).
func (c *Client) writeOne(ctx context.Context, r request) error {
	_, err := c.write(ctx, r, 1, nil)
	return err
}

// decodeResults reads a write's answer: a result object or an array of them, want of
// them (0: any number).
func decodeResults(call string, ans answer, want int) ([]Result, error) {
	var results List[Result]
	if err := decodeAnswer(call, ans, &results); err != nil {
		return nil, err
	}
	if want > 0 && len(results) != want {
		return nil, malformed(call, ans.status, "%d answers for %d items", len(results), want)
	}
	return results, nil
}

// decodeAnswer decodes a read's answer into out; an empty body or one that is not the
// documented JSON is malformed.
func decodeAnswer(call string, ans answer, out any) error {
	if len(bytes.TrimSpace(ans.data)) == 0 {
		return malformed(call, ans.status, "the answer is empty")
	}
	if err := decodeJSON(ans.data, out); err != nil {
		return malformed(call, ans.status, "%s", describeUnreadable(ans.data, err))
	}
	return nil
}

// describeUnreadable says what an unreadable answer was: an HTML page (a proxy or the
// terminal's web interface) or JSON of another shape.
func describeUnreadable(data []byte, err error) string {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '<' {
		return "the answer is an HTML page, not JSON"
	}
	return fmt.Sprintf("the answer is not the documented JSON: %v", err)
}

// refusal turns a non-2xx answer into an *Error with the terminal's message (spec 14), or
// the start of the body when it is not the documented error shape.
func refusal(call string, status int, data []byte) *Error {
	var res Result
	if err := decodeJSON(data, &res); err == nil && res.Message != "" {
		return answerError(call, status, res.Message)
	}
	e := answerError(call, status, "")
	text := strings.TrimSpace(string(data))
	switch {
	case text == "":
		e.Err = errors.New(http.StatusText(status))
	case text[0] == '<':
		e.Err = fmt.Errorf("%s (an HTML page)", http.StatusText(status))
	default:
		e.Err = fmt.Errorf("%s: %s", http.StatusText(status), lenient.Shorten(text))
	}
	return e
}

// errorStatus finds {"status":"error","message":...} in a 2xx object answer: some
// terminals refuse with 200. Array answers are the writes' per-item results, read item by
// item by write.
func errorStatus(call string, status int, data []byte) *Error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' || !bytes.Contains(data, []byte(`"status"`)) {
		return nil
	}
	var res Result
	if err := decodeJSON(data, &res); err != nil || !strings.EqualFold(strings.TrimSpace(res.Status), StatusError) {
		return nil
	}
	return res.err(call)
}
