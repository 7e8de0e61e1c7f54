package actateksim

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"enrollstation/devices/actatek"
)

// maxUserIDLen bounds a user ID; the spec only says "according to the User ID
// restriction", which is a terminal setting.
const maxUserIDLen = 32

// handleAddUsers is POST user/{sessionid}: addUser with an object (3.1), addUsers with an
// array (3.2).
func handleAddUsers(s *Simulator, c *call) reply {
	users, many, err := decodeOneOrMany[actatek.User](c.body)
	if err != nil {
		return refuse("user data is not valid JSON: %v", err)
	}
	return s.writeUsers(c, users, many, s.addUser)
}

// handleUpdateUsers is PUT user/{sessionid}: updateUser (3.4), updateUsers (3.5). Only the
// members present in the body change.
func handleUpdateUsers(s *Simulator, c *call) reply {
	users, many, err := decodeOneOrMany[actatek.User](c.body)
	if err != nil {
		return refuse("user data is not valid JSON: %v", err)
	}
	raws, _, _ := decodeOneOrMany[map[string]json.RawMessage](c.body)
	i := 0
	return s.writeUsers(c, users, many, func(u actatek.User) actatek.Result {
		present := raws[i]
		i++
		return s.updateUser(u, present)
	})
}

// writeUsers applies write to each user in turn, striking an armed session expiry when
// its count runs out.
func (s *Simulator) writeUsers(c *call, users []actatek.User, many bool, write func(actatek.User) actatek.Result) reply {
	results := make([]actatek.Result, 0, len(users))
	expired := false
	for _, u := range users {
		if expired {
			results = append(results, errResult("%s", actatek.MsgSessionExpired))
			continue
		}
		if s.st.expireAfter == 0 {
			s.st.expireAfter = -1
			clear(s.st.sessions)
			expired = true
			if s.st.expireMode == ExpiryWholeCall {
				return refuse("%s", actatek.MsgSessionExpired)
			}
			results = append(results, errResult("%s", actatek.MsgSessionExpired))
			continue
		}
		res := write(u)
		if res.OK() && s.st.expireAfter > 0 {
			s.st.expireAfter--
		}
		results = append(results, res)
	}
	return answerMany(results, many)
}

func (s *Simulator) addUser(u actatek.User) actatek.Result {
	if msg := checkUserID(u.UserID); msg != "" {
		return errResult("%s", msg)
	}
	if s.st.users[u.UserID] != nil {
		return errResult("User %s %s", u.UserID, actatek.MsgExists)
	}
	if len(s.st.userOrder) >= s.opts.MaxUsers {
		return errResult("%s: %d of %d users registered", actatek.MsgTerminalFull, len(s.st.userOrder), s.opts.MaxUsers)
	}
	if u.Status == nil {
		return errResult("User %s: status is required", u.UserID)
	}
	if !u.Status.Complete() {
		return errResult("User %s: every member of status is required", u.UserID)
	}
	if msg := s.checkUserRefs(u); msg != "" {
		return errResult("User %s: %s", u.UserID, msg)
	}
	stored := normalizeUser(u)
	s.st.users[u.UserID] = &stored
	s.st.userOrder = append(s.st.userOrder, u.UserID)
	var photo []byte
	if len(stored.FacialRecords) > 0 {
		photo = stored.FacialRecords[0].Photo
	}
	s.addLog(u.UserID, "ADD USER", "", photo)
	return okResult("User %s Added", u.UserID)
}

func (s *Simulator) updateUser(u actatek.User, present map[string]json.RawMessage) actatek.Result {
	old := s.st.users[u.UserID]
	if old == nil {
		return errResult("User %s %s", u.UserID, actatek.MsgNotFound)
	}
	if msg := s.checkUserRefs(u); msg != "" {
		return errResult("User %s: %s", u.UserID, msg)
	}
	n := *old
	has := func(k string) bool { _, ok := present[k]; return ok }
	if has("lastName") {
		n.LastName = u.LastName
	}
	if has("firstName") {
		n.FirstName = u.FirstName
	}
	if has("otherName") {
		n.OtherName = u.OtherName
	}
	if has("adminLevel") {
		n.AdminLevel = u.AdminLevel
	}
	if has("password") {
		n.Password = u.Password
	}
	if has("groupID") {
		n.GroupID = u.GroupID
	}
	if has("departmentID") {
		n.DepartmentID = u.DepartmentID
	}
	if has("status") && u.Status != nil {
		if !u.Status.Complete() {
			return errResult("User %s: every member of status is required", u.UserID)
		}
		n.Status = u.Status
	}
	if has("fingerprints") {
		n.Fingerprints = u.Fingerprints
	}
	if has("keyrecords") {
		n.KeyRecords = u.KeyRecords
	}
	if has("facialrecords") {
		n.FacialRecords = u.FacialRecords
	}
	if has("cardsn") {
		n.CardSN = u.CardSN
	}
	if has("ScoreThreshold") {
		n.ScoreThreshold = u.ScoreThreshold
	}
	if has("expirydate") {
		n.ExpiryDate = u.ExpiryDate
	}
	if has("message") {
		n.Message = u.Message
	}
	n = normalizeUser(n)
	*old = n
	s.addLog(u.UserID, "UPDATE USER", "", nil)
	return okResult("User %s Updated", u.UserID)
}

func checkUserID(id string) string {
	switch {
	case strings.TrimSpace(id) == "":
		return "userID is required"
	case len(id) > maxUserIDLen:
		return "userID is longer than " + strconv.Itoa(maxUserIDLen) + " characters"
	case strings.ContainsAny(id, "/\\?#%") || strings.IndexFunc(id, func(r rune) bool { return r < ' ' }) >= 0:
		return "userID " + strconv.Quote(id) + " has characters a user ID cannot have"
	}
	return ""
}

// checkUserRefs checks departments, groups and facial records.
func (s *Simulator) checkUserRefs(u actatek.User) string {
	for _, d := range u.DepartmentID {
		if _, ok := s.st.departments[d]; !ok {
			return "department " + strconv.Itoa(d) + " does not exist"
		}
	}
	for _, g := range u.GroupID {
		if _, ok := s.st.groups[g]; !ok {
			return "access group " + strconv.Itoa(g) + " does not exist"
		}
	}
	for i, f := range u.FacialRecords {
		n := strconv.Itoa(i + 1)
		switch {
		case f.TemplateType <= 0:
			return "facial record " + n + ": FacialTemplateType is required"
		case len(f.Photo) == 0:
			return "facial record " + n + ": FacialPhoto is required"
		case !bytes.HasPrefix(f.Photo, []byte{0xFF, 0xD8, 0xFF}):
			return "facial record " + n + ": FacialPhoto is not a JPEG"
		}
	}
	return ""
}

// normalizeUser applies the defaults of 3.1: level PERSONALUSER, group and department 0;
// and extracts a template from the photo when none was sent.
func normalizeUser(u actatek.User) actatek.User {
	u.AdminLevel = levelOf(u.AdminLevel)
	if len(u.GroupID) == 0 {
		u.GroupID = actatek.IDs{0}
	}
	if len(u.DepartmentID) == 0 {
		u.DepartmentID = actatek.IDs{0}
	}
	faces := slices.Clone(u.FacialRecords)
	for i := range faces {
		if len(faces[i].Template) == 0 {
			faces[i].Template = extractTemplate(faces[i].Photo)
		}
	}
	u.FacialRecords = faces
	if u.Status != nil {
		u.Status = wholeStatus(*u.Status)
	}
	if u.ScoreThreshold == nil {
		u.ScoreThreshold = actatek.Score(0) // shown as 0 in 3.3
	}
	return u
}

// wholeStatus is a copy of st with every member set (false where st has none), as the
// terminal keeps it.
func wholeStatus(st actatek.UserStatus) *actatek.UserStatus {
	for _, f := range []**actatek.Bool{&st.Active, &st.AutoMatch, &st.SmartCard, &st.Fingerprint, &st.Password, &st.Facial, &st.FacialAutoMatch} {
		*f = actatek.Flag(actatek.On(*f))
	}
	return &st
}

// handleDeleteUser is DELETE user/{sessionid}/{userID} (3.6).
func handleDeleteUser(s *Simulator, c *call) reply {
	id := c.arg(1)
	if s.st.users[id] == nil {
		return refuse("User %s %s", id, actatek.MsgNotFound)
	}
	delete(s.st.users, id)
	s.st.userOrder = slices.DeleteFunc(s.st.userOrder, func(v string) bool { return v == id })
	s.addLog(id, "DELETE USER", "", nil)
	return success("User %s Deleted", id)
}
