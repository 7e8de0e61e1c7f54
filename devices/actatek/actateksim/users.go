package actateksim

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

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

func (s *Simulator) userArg(c *call) (*actatek.User, reply) {
	id := c.arg(1)
	u := s.st.users[id]
	if u == nil {
		return nil, refuse("User %s %s", id, actatek.MsgNotFound)
	}
	return u, reply{}
}

// handleActivate is POST activateUser/{sessionid}/{userID} (3.7).
func handleActivate(s *Simulator, c *call) reply { return s.setActive(c, true) }

// handleDeactivate is DELETE activateUser/{sessionid}/{userID} (3.8).
func handleDeactivate(s *Simulator, c *call) reply { return s.setActive(c, false) }

func (s *Simulator) setActive(c *call, active bool) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	st := actatek.UserStatus{}
	if u.Status != nil {
		st = *u.Status
	}
	st.Active = actatek.Flag(active)
	u.Status = wholeStatus(st)
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// handleGetMessage is GET UserMessage/{sessionid}/{userID} (3.9).
func handleGetMessage(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	return ok(map[string]string{"usermessage": u.Message})
}

// handleSetMessage is POST UserMessage/{sessionid}/{userID} (3.10).
func handleSetMessage(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	var body struct {
		UserMessage *string `json:"usermessage"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil || body.UserMessage == nil {
		return refuse("the body must be {\"usermessage\": \"...\"}")
	}
	u.Message = *body.UserMessage
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// handleDeleteMessage is DELETE UserMessage/{sessionid}/{userID} (3.11).
func handleDeleteMessage(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	u.Message = ""
	return ok(actatek.Result{Status: actatek.StatusSuccess})
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

// handleTOTP is GET UserAPITOTP/{sessionid}/{userid}/{TOTPType} (3.14).
func handleTOTP(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	format := c.arg(2)
	switch format {
	case actatek.TOTPPNG, actatek.TOTPSVG, actatek.TOTPANSI, actatek.TOTPPlainText, actatek.TOTPPasscode:
	default:
		format = actatek.TOTPPNG // 3.14: "any wrong pattern default as PNG"
	}
	now := s.terminalNow().UTC()
	step := now.Unix() / totpStep
	expiry := time.Unix((step+1)*totpStep, 0).UTC()
	code := totpCode(s.totpSecret(u.UserID), step)
	content := totpContent(u.UserID, s.opts.SerialNumber, code, expiry)
	var data string
	switch format {
	case actatek.TOTPPasscode:
		data = code
	case actatek.TOTPPlainText:
		data = content
	case actatek.TOTPSVG:
		data = b64(qrSVG(content))
	case actatek.TOTPANSI:
		data = b64([]byte(qrANSI(content)))
	default:
		data = b64(qrPNG(content))
	}
	return ok(actatek.TOTP{Format: format, Expiry: actatek.UTC(expiry), Data: data})
}

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
