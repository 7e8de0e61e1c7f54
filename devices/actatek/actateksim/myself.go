package actateksim

import (
	"encoding/json"

	"enrollstation/devices/actatek"
)

// handleGetMyself is GET myself/{sessionid} (8.1).
func handleGetMyself(s *Simulator, c *call) reply {
	if u := s.st.users[c.sess.user]; u != nil {
		return ok(public(u))
	}
	return ok(actatek.User{
		UserID: c.sess.user, FirstName: "Administrator", AdminLevel: actatek.SuperAdmin,
		GroupID: actatek.IDs{0}, DepartmentID: actatek.IDs{0},
		Status: wholeStatus(actatek.UserStatus{Active: actatek.Flag(true), Password: actatek.Flag(true)}),
	})
}

// handleUpdateMyself is PUT myself/{sessionid} (8.2): names, card and password only.
func handleUpdateMyself(s *Simulator, c *call) reply {
	var m actatek.MyselfUpdate
	if err := json.Unmarshal(c.body, &m); err != nil {
		return refuse("the body is not valid JSON: %v", err)
	}
	if m.UserID != c.sess.user {
		return refuse("userID %q is not the logged-in user %q", m.UserID, c.sess.user)
	}
	if u := s.st.users[c.sess.user]; u != nil {
		if m.LastName != "" {
			u.LastName = m.LastName
		}
		if m.FirstName != "" {
			u.FirstName = m.FirstName
		}
		if m.OtherName != "" {
			u.OtherName = m.OtherName
		}
		if m.CardSN != "" {
			u.CardSN = m.CardSN
		}
		if m.Password != "" {
			u.Password = m.Password
		}
	} else if m.Password != "" {
		s.opts.Password = m.Password
	}
	return success("User %s Updated", m.UserID)
}
