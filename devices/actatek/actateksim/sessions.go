package actateksim

import (
	"crypto/subtle"
	"encoding/json"
	"strconv"
	"time"

	"enrollstation/devices/actatek"
)

// session is one login.
type session struct {
	id       string
	user     string // the account or user ID logged in
	lastUsed time.Time
}

// checkSession validates args[0] as a live session and touches it; a zero reply means
// the call may go on.
func (s *Simulator) checkSession(c *call) reply {
	if len(c.args) == 0 || c.args[0] == "" {
		return refuse("%s: session id missing", actatek.MsgSessionExpired)
	}
	sess := s.st.sessions[c.args[0]]
	now := s.opts.Now()
	if sess == nil || now.Sub(sess.lastUsed) > s.opts.IdleExpiry {
		delete(s.st.sessions, c.args[0])
		return refuse("%s", actatek.MsgSessionExpired)
	}
	sess.lastUsed = now
	c.sess = sess
	return reply{}
}

// handleLogin is POST login (1.1): the built-in account, or a user with an admin level
// and a password.
func handleLogin(s *Simulator, c *call) reply {
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil || req.Username == "" {
		return refuse("login needs a JSON body with username and password")
	}
	if !s.passwordOK(req.Username, req.Password) {
		return refuse("invalid username or password")
	}
	id := ""
	for id == "" || s.st.sessions[id] != nil {
		id = strconv.FormatUint(1_000_000_000+s.rng.Uint64N(1_000_000_000), 10)
	}
	s.st.sessions[id] = &session{id: id, user: req.Username, lastUsed: s.opts.Now()}
	s.stats.Logins++
	return ok(map[string]string{"status": actatek.StatusSuccess, "sessionid": id})
}

func (s *Simulator) passwordOK(user, password string) bool {
	if user == s.opts.Username {
		return subtle.ConstantTimeCompare([]byte(password), []byte(s.opts.Password)) == 1
	}
	u := s.st.users[user]
	if u == nil || u.Password == "" || levelOf(u.AdminLevel) == actatek.PersonalUser {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(password), []byte(u.Password)) == 1
}

// handleLogout is DELETE logout/{sessionid} (1.2).
func handleLogout(s *Simulator, c *call) reply {
	delete(s.st.sessions, c.args[0])
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}
