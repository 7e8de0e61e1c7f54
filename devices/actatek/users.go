package actatek

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"enrollstation/devices/internal/fault"
	"enrollstation/devices/internal/lenient"
)

// DefaultBatchSize is how many users Push sends per addUsers call. With a ~30 KB JPEG and
// a template per user, 25 users make a request body of about 1 MiB: small enough for the
// terminal's embedded web server to take in one piece and for a failed call to cost
// little, large enough that per-call overhead (TLS record, CGI start, session check) is
// shared by many users.
const DefaultBatchSize = 25

// UserService manages the terminal's users (spec 3).
type UserService service

// ItemResult is the outcome of one user of a write.
type ItemResult struct {
	UserID  string
	Message string // the terminal's message for this user, e.g. "User A0001 Added"
	// Existing: the user was already on the terminal with the same data (a repeated or
	// retried push); it counts as added.
	Existing bool
	// Err is nil when the user is on the terminal as sent.
	Err error
}

// BatchError reports the users of a batch write that did not make it. The per-user
// outcomes are in the []ItemResult returned with it; errors.Is sees the first failure.
type BatchError struct {
	Call   string
	Failed int
	Total  int
	First  error
}

// Error summarises the batch and quotes the first failure.
func (e *BatchError) Error() string {
	return fmt.Sprintf("actatek %s: %d of %d users failed; first: %v", e.Call, e.Failed, e.Total, e.First)
}

// Unwrap returns the first failure.
func (e *BatchError) Unwrap() error { return e.First }

// LogValue shows a user in logs by ID and name only: no password, no biometric data.
func (u User) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("userID", u.UserID),
		slog.String("name", strings.TrimSpace(u.FirstName+" "+u.LastName)),
		slog.Int("faces", len(u.FacialRecords)),
	)
}

// forAdd fills what addUser requires (3.1) and the caller left out: every member of the
// status, by default active with facial matching on when the user has facial records.
func forAdd(u User) User {
	faces := Bool(len(u.FacialRecords) > 0)
	def := UserStatus{Active: Flag(true), Facial: &faces, FacialAutoMatch: &faces}
	var st UserStatus
	if u.Status != nil {
		st = *u.Status
	}
	u.Status = st.merged(&def)
	return u
}

// checkUser refuses, before sending, a user the terminal would store wrong: no user ID,
// or a facial record without the template 3.1 requires (a face that never matches).
func checkUser(call string, u User) error {
	if strings.TrimSpace(u.UserID) == "" {
		return invalid(call, "a user ID is required")
	}
	for i, f := range u.FacialRecords {
		if len(f.Template) == 0 {
			return invalid(call, "user %s: facial record %d has no face template (FacialTemplate); extract it from the capture before sending", u.UserID, i+1)
		}
	}
	return nil
}

// Add adds one user (addUser, 3.1). A user the terminal already has with the same data
// counts as added (Existing), so a push can be repeated safely; with different data the
// error matches ErrUserExists.
func (s *UserService) Add(ctx context.Context, u User) (ItemResult, error) {
	res := ItemResult{UserID: u.UserID}
	if err := checkUser("addUser", u); err != nil {
		res.Err = err
		return res, err
	}
	u = forAdd(u)
	ans, err := s.c.write(ctx, request{call: "addUser", method: http.MethodPost, path: pathUser, body: u}, 1, nil)
	if errors.Is(err, ErrUserExists) {
		res = s.checkExisting(ctx, "addUser", u, err)
		return res, res.Err
	}
	res.Message, res.Err = firstMessage(ans), err
	return res, err
}

// AddBatch adds users in one call (addUsers, 3.2) and reports each one. The outcome is
// exact even when the session expires during the batch: items the terminal refused for
// the session are sent again after one new login, and items it reports as already present
// are compared with the terminal's copy (same data: Existing; different: ErrUserExists).
// The error is a *BatchError when some users failed, or the call's error when the whole
// call failed.
func (s *UserService) AddBatch(ctx context.Context, users []User) ([]ItemResult, error) {
	return s.writeBatch(ctx, "addUsers", http.MethodPost, users)
}

// Push adds users in batches of batchSize (DefaultBatchSize when 0 or less), one addUsers
// call at a time, and reports each user. It stops at the first batch whose call failed as
// a whole (the terminal unreachable): the users of that batch and of the later ones carry
// that error.
func (s *UserService) Push(ctx context.Context, users []User, batchSize int) ([]ItemResult, error) {
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	results := make([]ItemResult, 0, len(users))
	var firstErr error
	for start := 0; start < len(users); start += batchSize {
		batch := users[start:min(start+batchSize, len(users))]
		res, err := s.AddBatch(ctx, batch)
		results = append(results, res...)
		var be *BatchError
		if err != nil && !errors.As(err, &be) {
			for _, u := range users[start+len(batch):] {
				results = append(results, ItemResult{UserID: u.UserID, Err: err})
			}
			break
		}
		if firstErr == nil && err != nil {
			firstErr = be.First
		}
	}
	return results, batchError("addUsers", results, firstErr)
}

// writeBatch sends users as one array and sorts out each answer (3.2, 3.5). Users to add
// get the status addUser requires; users to update get their status completed from the
// terminal's copy, and nothing else is added to what the caller set.
func (s *UserService) writeBatch(ctx context.Context, call, method string, users []User) ([]ItemResult, error) {
	results := make([]ItemResult, len(users))
	pending := make([]int, 0, len(users))
	send := make([]User, len(users))
	for i, u := range users {
		results[i].UserID = u.UserID
		if err := checkUser(call, u); err != nil {
			results[i].Err = err
			continue
		}
		var err error
		if method == http.MethodPost {
			send[i] = forAdd(u)
		} else if send[i], err = s.forUpdate(ctx, call, u); err != nil {
			results[i].Err = err
			continue
		}
		pending = append(pending, i)
	}
	var existing []int
	for renewed := false; len(pending) > 0; renewed = true {
		batch := make([]User, len(pending))
		for k, i := range pending {
			batch[k] = send[i]
		}
		raw, gen, err := s.c.doSession(ctx, request{call: call, method: method, path: pathUser, body: batch})
		var answers []Result
		if err == nil {
			answers, err = decodeResults(call, raw, len(batch))
		}
		if err != nil {
			for _, i := range pending {
				results[i].Err = err
			}
			return results, err
		}
		var again []int
		for k, a := range answers {
			i := pending[k]
			e := a.err(call)
			switch {
			case e == nil:
				results[i].Message = a.Message
			case !renewed && e.Is(ErrSessionExpired):
				again = append(again, i)
			case method == http.MethodPost && e.Is(ErrUserExists):
				results[i].Err = e
				existing = append(existing, i)
			default:
				results[i].Err = e
			}
		}
		if len(again) > 0 {
			s.c.log.Info("actatek session expired during a batch; logging in again", "call", call, "users", len(again))
			s.c.sess.invalidate(gen)
		}
		pending = again
	}
	for _, i := range existing {
		results[i] = s.checkExisting(ctx, call, send[i], results[i].Err)
	}
	return results, batchError(call, results, nil)
}

// forUpdate is u as updateUser sends it. A status the caller set only in part is
// completed from the terminal's copy, read back first: the terminal takes the status
// object whole, and a member sent false that the caller did not mean to change would
// switch off the user's card, password or fingerprint, or suspend them.
func (s *UserService) forUpdate(ctx context.Context, call string, u User) (User, error) {
	if u.Status == nil || u.Status.Complete() {
		return u, nil
	}
	cur, err := s.Get(ctx, u.UserID)
	if err != nil {
		return u, fmt.Errorf("actatek %s: read user %s back to keep the status members not given: %w", call, u.UserID, err)
	}
	if cur.Status == nil {
		// The terminal did not show a status: the documented defaults of an added user.
		cur = forAdd(cur)
	}
	u.Status = u.Status.merged(cur.Status)
	return u, nil
}

// List returns the users that match f (getUsers, 3.3); an empty filter lists them all.
func (s *UserService) List(ctx context.Context, f UserFilter) ([]User, error) {
	var out List[User]
	err := s.c.do(ctx, request{call: "getUsers", method: http.MethodGet, path: pathUser, query: f.Query()}, &out)
	return out, err
}

// Get returns the user with this exact ID; the error matches ErrNotFound when there is
// none.
func (s *UserService) Get(ctx context.Context, userID string) (User, error) {
	users, err := s.List(ctx, UserFilter{UserID: userID})
	if err != nil {
		return User{}, err
	}
	for _, u := range users {
		if u.UserID == userID {
			return u, nil
		}
	}
	e := fault.Answer(fault.ACTAtek, "getUsers", http.StatusOK, "", "")
	e.Kind, e.Err = ErrNotFound, fmt.Errorf("no user %s", lenient.Shorten(userID))
	return User{}, e
}

// Update changes one user (updateUser, 3.4): only the members set in u are sent, so the
// terminal keeps the rest; a status given in part is completed from the terminal's copy.
func (s *UserService) Update(ctx context.Context, u User) error {
	if err := checkUser("updateUser", u); err != nil {
		return err
	}
	u, err := s.forUpdate(ctx, "updateUser", u)
	if err != nil {
		return err
	}
	return s.c.writeOne(ctx, request{call: "updateUser", method: http.MethodPut, path: pathUser, body: u})
}

// UpdateBatch updates users in one call (updateUsers, 3.5) and reports each one; items
// refused for an expired session are sent again after one new login.
func (s *UserService) UpdateBatch(ctx context.Context, users []User) ([]ItemResult, error) {
	return s.writeBatch(ctx, "updateUsers", http.MethodPut, users)
}

// Delete removes a user (deleteUser, 3.6).
func (s *UserService) Delete(ctx context.Context, userID string) error {
	if userID == "" {
		return invalid("deleteUser", "a user ID is required")
	}
	return s.c.writeOne(ctx, request{call: "deleteUser", method: http.MethodDelete,
		path: func(sid string) string { return pathUserID(sid, userID) }})
}

// Activate lifts a user's suspension (activateUser, 3.7).
func (s *UserService) Activate(ctx context.Context, userID string) error {
	return s.c.writeOne(ctx, request{call: "activateUser", method: http.MethodPost,
		path: func(sid string) string { return seg("activateUser", sid, userID) }})
}

// Deactivate suspends a user (deactivateUser, 3.8).
func (s *UserService) Deactivate(ctx context.Context, userID string) error {
	return s.c.writeOne(ctx, request{call: "deactivateUser", method: http.MethodDelete,
		path: func(sid string) string { return seg("activateUser", sid, userID) }})
}

// Message returns the message the terminal shows a user (get UserMessage, 3.9).
func (s *UserService) Message(ctx context.Context, userID string) (string, error) {
	var out userMessage
	err := s.c.do(ctx, request{call: "getUserMessage", method: http.MethodGet,
		path: func(sid string) string { return seg("UserMessage", sid, userID) }}, &out)
	return out.UserMessage, err
}

// SetMessage sets the message the terminal shows a user (set UserMessage, 3.10).
func (s *UserService) SetMessage(ctx context.Context, userID, message string) error {
	return s.c.writeOne(ctx, request{call: "setUserMessage", method: http.MethodPost,
		path: func(sid string) string { return seg("UserMessage", sid, userID) },
		body: userMessage{UserMessage: message}})
}

// DeleteMessage removes a user's message (delete UserMessage, 3.11).
func (s *UserService) DeleteMessage(ctx context.Context, userID string) error {
	return s.c.writeOne(ctx, request{call: "deleteUserMessage", method: http.MethodDelete,
		path: func(sid string) string { return seg("UserMessage", sid, userID) }})
}

// Count returns how many users the terminal has (get UserCount, 3.12).
func (s *UserService) Count(ctx context.Context) (int, error) {
	var out userCount
	err := s.c.do(ctx, request{call: "getUserCount", method: http.MethodGet,
		path: func(sid string) string { return seg("UserCount", sid) }}, &out)
	return int(out.UserCount), err
}

// Batch returns up to limit users from offset (get UserBatch, 3.13).
func (s *UserService) Batch(ctx context.Context, offset, limit int) ([]User, error) {
	if offset < 0 || limit <= 0 {
		return nil, invalid("getUserBatch", "offset %d and limit %d: need offset ≥ 0 and limit ≥ 1", offset, limit)
	}
	var out List[User]
	err := s.c.do(ctx, request{call: "getUserBatch", method: http.MethodGet,
		path: func(sid string) string { return seg("UserBatch", sid, strconv.Itoa(offset), strconv.Itoa(limit)) }}, &out)
	return out, err
}

// All pages through every user with UserBatch, pageSize at a time (DefaultBatchSize when
// 0 or less). It stops at the first error, which it yields.
func (s *UserService) All(ctx context.Context, pageSize int) iter.Seq2[User, error] {
	if pageSize <= 0 {
		pageSize = DefaultBatchSize
	}
	return func(yield func(User, error) bool) {
		prevFirst := ""
		for offset := 0; ; {
			page, err := s.Batch(ctx, offset, pageSize)
			if err != nil {
				yield(User{}, err)
				return
			}
			if len(page) == 0 {
				return
			}
			// A terminal that ignores the offset would send the same page forever.
			if offset > 0 && page[0].UserID == prevFirst {
				yield(User{}, malformed("getUserBatch", http.StatusOK, "the terminal sent the same page again at offset %d", offset))
				return
			}
			prevFirst = page[0].UserID
			for _, u := range page {
				if !yield(u, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
			offset += len(page)
		}
	}
}

// TOTP returns a user's API one-time password in the given format (get User API TOTP,
// 3.14): TOTPPNG, TOTPSVG, TOTPANSI, TOTPPlainText or TOTPPasscode.
func (s *UserService) TOTP(ctx context.Context, userID, format string) (TOTP, error) {
	var out TOTP
	err := s.c.do(ctx, request{call: "getUserAPITOTP", method: http.MethodGet,
		path: func(sid string) string { return seg("UserAPITOTP", sid, userID, format) }}, &out)
	return out, err
}
