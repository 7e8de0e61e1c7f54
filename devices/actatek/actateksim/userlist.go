package actateksim

import (
	"slices"
	"strconv"
	"strings"

	"enrollstation/devices/actatek"
)

// public is a user as getUsers shows it: without the password.
func public(u *actatek.User) actatek.User {
	out := *u
	out.Password = ""
	return out
}

// handleGetUsers is GET user/{sessionid} (3.3).
func handleGetUsers(s *Simulator, c *call) reply {
	q := c.query
	out := []actatek.User{}
	for _, id := range s.st.userOrder {
		u := s.st.users[id]
		if v := q.Get("userID"); v != "" && u.UserID != v {
			continue
		}
		if v := q.Get("partialUserID"); v != "" && !strings.Contains(u.UserID, v) {
			continue
		}
		if v := q.Get("lastName"); v != "" && u.LastName != v {
			continue
		}
		if v := q.Get("firstName"); v != "" && u.FirstName != v {
			continue
		}
		if v := q.Get("otherName"); v != "" && u.OtherName != v {
			continue
		}
		out = append(out, public(u))
	}
	return ok(out)
}

// handleUserCount is GET UserCount/{sessionid} (3.12).
func handleUserCount(s *Simulator, c *call) reply {
	return ok(map[string]int{"usercount": len(s.st.userOrder)})
}

// handleUserBatch is GET UserBatch/{sessionid}/{offset}/{limit} (3.13).
func handleUserBatch(s *Simulator, c *call) reply {
	offset, err1 := strconv.Atoi(c.arg(1))
	limit, err2 := strconv.Atoi(c.arg(2))
	if err1 != nil || err2 != nil || offset < 0 || limit < 1 {
		return refuse("UserBatch needs a offset ≥ 0 and a limit ≥ 1 in the path")
	}
	out := []actatek.User{}
	for i := offset; i < len(s.st.userOrder) && len(out) < limit; i++ {
		out = append(out, public(s.st.users[s.st.userOrder[i]]))
	}
	return ok(out)
}

// UserIDs lists the IDs of the terminal's users in the order they were added, for tests
// and the control surface.
func (s *Simulator) UserIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.userOrder)
}

// User returns a copy of a user as the terminal keeps it (password included).
func (s *Simulator) User(id string) (actatek.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.users[id]
	if u == nil {
		return actatek.User{}, false
	}
	return *u, true
}
