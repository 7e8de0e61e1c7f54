package ef45sim

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"enrollstation/devices/ef45"
)

// records is an insertion-ordered table keyed by user uuid.
type records[T any] struct {
	m     map[string]T
	order []string
}

func newRecords[T any]() records[T] { return records[T]{m: map[string]T{}} }

func (r *records[T]) get(id string) (T, bool) {
	v, ok := r.m[id]
	return v, ok
}

func (r *records[T]) put(id string, v T) {
	if _, ok := r.m[id]; !ok {
		r.order = append(r.order, id)
	}
	r.m[id] = v
}

func (r *records[T]) remove(id string) bool {
	if _, ok := r.m[id]; !ok {
		return false
	}
	delete(r.m, id)
	for i, o := range r.order {
		if o == id {
			r.order = append(r.order[:i:i], r.order[i+1:]...)
			break
		}
	}
	return true
}

func (r *records[T]) list() []T {
	out := make([]T, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.m[id])
	}
	return out
}

const maxUUIDLen = 64

// checkUserUUID accepts any short non-empty id: spec 003's own examples use "1" and "111".
func checkUserUUID(id string) string {
	switch {
	case strings.TrimSpace(id) == "":
		return "user_uuid is empty"
	case len(id) > maxUUIDLen:
		return "user_uuid is longer than " + strconv.Itoa(maxUUIDLen) + " characters"
	case strings.ContainsAny(id, "/?#"):
		return "user_uuid " + quote(id) + " contains / ? or #"
	}
	return ""
}

// normalizeCard writes a card number as spec 003 shows it, hex bytes separated by spaces
// ("65 D8 A1 BD"); it accepts any spacing and case. ok is false if it is not hex bytes.
func normalizeCard(card string) (string, bool) {
	raw := strings.Join(strings.Fields(card), "")
	if raw == "" {
		return "", true
	}
	b, err := hex.DecodeString(raw)
	if err != nil {
		return "", false
	}
	return formatCard(b), true
}

func formatCard(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = strings.ToUpper(hex.EncodeToString([]byte{c}))
	}
	return strings.Join(parts, " ")
}

// Subjects and user info.

// resource serves a uuid-keyed record collection the way spec 003 treats subjects and
// user info alike: a paged list, create (409 when present), get, update and delete (404 when
// absent), each change logged as the device logs it.
type resource[T any] struct {
	d      *Device
	table  func() *records[T] // the collection; call with d.mu held
	what   string             // "subject", "user info"
	add    string             // log info of a create, e.g. "AddUser"
	update string             // of an update
	remove string             // of a delete
	key    func(*T) *string   // the record's user_uuid
	check  func(*T) string    // validates and normalises a record; "" when fine
}

func (rs resource[T]) list(w http.ResponseWriter, r *http.Request) {
	rs.d.mu.Lock()
	all := rs.table().list()
	rs.d.mu.Unlock()
	l, err := paginate(all, r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, "list "+rs.what+": "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, l)
}

// decode reads a record from the body; id, when not empty, comes from the path.
func (rs resource[T]) decode(w http.ResponseWriter, r *http.Request, verb, id string) (T, bool) {
	var v T
	if err := decodeBody(w, r, maxJSONBody, &v); err != nil {
		writeError(w, http.StatusBadRequest, verb+" "+rs.what+": "+err.Error())
		return v, false
	}
	if id != "" {
		*rs.key(&v) = id
	}
	if p := rs.check(&v); p != "" {
		writeError(w, http.StatusBadRequest, verb+" "+rs.what+": "+p)
		return v, false
	}
	return v, true
}

func (rs resource[T]) create(w http.ResponseWriter, r *http.Request) {
	v, ok := rs.decode(w, r, "add", "")
	if !ok {
		return
	}
	id := *rs.key(&v)
	now := rs.d.now()
	rs.d.mu.Lock()
	defer rs.d.mu.Unlock()
	if _, exists := rs.table().get(id); exists {
		rs.d.logEventLocked(now, "UserData", rs.add, "Fail", id)
		writeError(w, http.StatusConflict, "add "+rs.what+": "+rs.what+" "+quote(id)+" already exists: update it instead")
		return
	}
	rs.table().put(id, v)
	rs.d.logEventLocked(now, "UserData", rs.add, "Success", id)
	writeCreated(w)
}

func (rs resource[T]) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	rs.d.mu.Lock()
	v, ok := rs.table().get(id)
	rs.d.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "no "+rs.what+" with user_uuid "+quote(id))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (rs resource[T]) put(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	v, ok := rs.decode(w, r, "update", id)
	if !ok {
		return
	}
	now := rs.d.now()
	rs.d.mu.Lock()
	defer rs.d.mu.Unlock()
	if _, exists := rs.table().get(id); !exists {
		rs.d.logEventLocked(now, "UserData", rs.update, "Fail", id)
		writeError(w, http.StatusNotFound, "update "+rs.what+": no "+rs.what+" with user_uuid "+quote(id))
		return
	}
	rs.table().put(id, v)
	rs.d.logEventLocked(now, "UserData", rs.update, "Success", id)
	writeNoContent(w)
}

func (rs resource[T]) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	now := rs.d.now()
	rs.d.mu.Lock()
	defer rs.d.mu.Unlock()
	if !rs.table().remove(id) {
		rs.d.logEventLocked(now, "UserData", rs.remove, "Fail", id)
		writeError(w, http.StatusNotFound, "delete "+rs.what+": no "+rs.what+" with user_uuid "+quote(id))
		return
	}
	rs.d.logEventLocked(now, "UserData", rs.remove, "Success", id)
	writeNoContent(w)
}

// subjectResource serves /subjects; the record version is stamped as the device's
// algorithm writes it.
func (d *Device) subjectResource() resource[ef45.Subject] {
	return resource[ef45.Subject]{d: d, table: func() *records[ef45.Subject] { return &d.st.subjects },
		what: "subject", add: "AddUser", update: "UpdateUser", remove: "DeleteUsers",
		key: func(s *ef45.Subject) *string { return &s.UserUUID },
		check: func(s *ef45.Subject) string {
			if p := checkUserUUID(s.UserUUID); p != "" {
				return p
			}
			*s = d.stampSubject(*s)
			return ""
		}}
}

// userInfoResource serves /user-info.
func (d *Device) userInfoResource() resource[ef45.UserInfo] {
	return resource[ef45.UserInfo]{d: d, table: func() *records[ef45.UserInfo] { return &d.st.users },
		what: "user info", add: "AddUserInfo", update: "UpdateUserInfo", remove: "DeleteUserInfo",
		key:   func(u *ef45.UserInfo) *string { return &u.UserUUID },
		check: checkUserInfo}
}

// stampSubject fills the record version the device's algorithm writes.
func (d *Device) stampSubject(s ef45.Subject) ef45.Subject {
	if s.RecordVersion == 0 {
		s.RecordVersion = ef45.Int(d.opts.RecordVersion)
	}
	return s
}

func (d *Device) handleDuplicateCheck(w http.ResponseWriter, r *http.Request) {
	var c ef45.DuplicateCheck
	if err := decodeBody(w, r, maxJSONBody, &c); err != nil {
		writeError(w, http.StatusBadRequest, "duplicate check: "+err.Error())
		return
	}
	if len(c.LeftEyeTemplate) == 0 && len(c.RightEyeTemplate) == 0 {
		writeError(w, http.StatusBadRequest, "duplicate check: no template to check")
		return
	}
	d.mu.Lock()
	dup := d.irisDuplicateLocked(c.LeftEyeTemplate, 0)
	if dup == "" {
		dup = d.irisDuplicateLocked(c.RightEyeTemplate, 1)
	}
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, ef45.DuplicateResult{DuplicateUUID: dup})
}

func (d *Device) handleRecordVersion(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, ef45.RecordVersion{RecordVersion: ef45.Int(d.opts.RecordVersion)})
}

// User info.

// checkUserInfo validates and normalises a user-info record.
func checkUserInfo(u *ef45.UserInfo) string {
	if p := checkUserUUID(u.UserUUID); p != "" {
		return p
	}
	card, ok := normalizeCard(u.Card)
	if !ok {
		return "card " + quote(u.Card) + " must be hex bytes separated by spaces, e.g. 65 D8 A1 BD"
	}
	u.Card = card
	return ""
}

func (d *Device) handleUserInfoByCard(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("card")
	card, ok := normalizeCard(raw)
	if !ok || card == "" {
		writeError(w, http.StatusBadRequest, "user info by card: card "+quote(raw)+" must be hex bytes separated by spaces, e.g. 65 D8 A1 BD")
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, u := range d.st.users.list() {
		if u.Card == card {
			writeJSON(w, http.StatusOK, u)
			return
		}
	}
	writeError(w, http.StatusNotFound, "no user info with card "+quote(card))
}

// Batch user.

// handleUserBatch stores a subject with its user info and faces in one call. It replaces
// whatever the device held for that uuid, so a push can be repeated safely.
func (d *Device) handleUserBatch(w http.ResponseWriter, r *http.Request) {
	var b ef45.BatchUser
	if err := decodeBody(w, r, maxJSONBody, &b); err != nil {
		writeError(w, http.StatusBadRequest, "add user: "+err.Error())
		return
	}
	id := b.UserUUID
	if p := checkUserUUID(id); p != "" {
		writeError(w, http.StatusBadRequest, "add user: "+p)
		return
	}
	var info ef45.UserInfo
	if b.UserInfo != nil {
		info = *b.UserInfo
		info.UserUUID = id
		if p := checkUserInfo(&info); p != "" {
			writeError(w, http.StatusBadRequest, "add user: user_info: "+p)
			return
		}
	}
	for i := range b.Faces {
		b.Faces[i].UserUUID = id
		if p := checkFace(b.Faces[i]); p != "" {
			writeError(w, http.StatusBadRequest, "add user: faces["+strconv.Itoa(i)+"]: "+p)
			return
		}
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.subjects.put(id, d.stampSubject(b.Subject))
	if b.UserInfo != nil {
		d.st.users.put(id, info)
	}
	if len(b.Faces) > 0 {
		d.removeFacesLocked(id, -1)
		for _, f := range b.Faces {
			d.putFaceLocked(f)
		}
	}
	d.logEventLocked(now, "UserData", "AddUser", "Success", id)
	writeOK(w)
}

func (d *Device) handleUserDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.st.subjects.remove(id)
	u := d.st.users.remove(id)
	f := d.removeFacesLocked(id, -1) > 0
	if !s && !u && !f {
		d.logEventLocked(now, "UserData", "DeleteUsers", "Fail", id)
		writeError(w, http.StatusNotFound, "delete user: no user with user_uuid "+quote(id))
		return
	}
	d.logEventLocked(now, "UserData", "DeleteUsers", "Success", id)
	writeNoContent(w)
}

// Faces.

func checkFace(f ef45.FaceRecord) string {
	if p := checkUserUUID(f.UserUUID); p != "" {
		return p
	}
	if f.SubID < ef45.SubColourFace || f.SubID > ef45.SubBWUpdated {
		return "sub_id " + strconv.Itoa(int(f.SubID)) + " must be 0 to 5"
	}
	return ""
}

func (d *Device) faceIndexLocked(id string, sub int) int {
	for i, f := range d.st.faces {
		if f.UserUUID == id && int(f.SubID) == sub {
			return i
		}
	}
	return -1
}

func (d *Device) putFaceLocked(f ef45.FaceRecord) {
	if f.FeatureSize == 0 {
		f.FeatureSize = ef45.Int(len(f.Feature))
	}
	if i := d.faceIndexLocked(f.UserUUID, int(f.SubID)); i >= 0 {
		d.st.faces[i] = f
		return
	}
	d.st.faces = append(d.st.faces, f)
}

// removeFacesLocked removes the faces of id with sub id sub (all of them when sub < 0)
// and says how many went.
func (d *Device) removeFacesLocked(id string, sub int) int {
	kept := d.st.faces[:0]
	n := 0
	for _, f := range d.st.faces {
		if f.UserUUID == id && (sub < 0 || int(f.SubID) == sub) {
			n++
			continue
		}
		kept = append(kept, f)
	}
	clear(d.st.faces[len(kept):])
	d.st.faces = kept
	return n
}

// subIDQuery reads the face sub id; spec 003 spells it subId for GET and DELETE and sub_id
// for PUT, and both are accepted everywhere. present is false when neither is given.
func subIDQuery(r *http.Request) (sub int, present bool, problem string) {
	s, ok := firstQuery(r.URL.Query(), "subId", "sub_id")
	if !ok {
		return 0, false, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < ef45.SubColourFace || n > ef45.SubBWUpdated {
		return 0, true, "sub id " + quote(s) + " must be 0 to 5"
	}
	return n, true, ""
}

func (d *Device) handleFaceList(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	all := append([]ef45.FaceRecord(nil), d.st.faces...)
	d.mu.Unlock()
	l, err := paginate(all, r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, "faces: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (d *Device) handleFaceCreate(w http.ResponseWriter, r *http.Request) {
	var f ef45.FaceRecord
	if err := decodeBody(w, r, maxJSONBody, &f); err != nil {
		writeError(w, http.StatusBadRequest, "add face: "+err.Error())
		return
	}
	if p := checkFace(f); p != "" {
		writeError(w, http.StatusBadRequest, "add face: "+p)
		return
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.faceIndexLocked(f.UserUUID, int(f.SubID)) >= 0 {
		d.logEventLocked(now, "UserData", "AddFace", "Fail", f.UserUUID)
		writeError(w, http.StatusConflict, "add face: face "+strconv.Itoa(int(f.SubID))+" of "+quote(f.UserUUID)+" already exists: update it instead")
		return
	}
	d.putFaceLocked(f)
	d.logEventLocked(now, "UserData", "AddFace", "Success", f.UserUUID)
	writeCreated(w)
}

func (d *Device) handleFaceGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	sub, bySub, problem := subIDQuery(r)
	if problem != "" {
		writeError(w, http.StatusBadRequest, "faces: "+problem)
		return
	}
	d.mu.Lock()
	var found []ef45.FaceRecord
	for _, f := range d.st.faces {
		if f.UserUUID == id && (!bySub || int(f.SubID) == sub) {
			found = append(found, f)
		}
	}
	d.mu.Unlock()
	if len(found) == 0 {
		writeError(w, http.StatusNotFound, "no face of user_uuid "+quote(id))
		return
	}
	l, _ := paginate(found, nil)
	writeJSON(w, http.StatusOK, l)
}

func (d *Device) handleFaceUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	sub, ok, problem := subIDQuery(r)
	if !ok {
		problem = "sub_id is required"
	}
	if problem != "" {
		writeError(w, http.StatusBadRequest, "update face: "+problem)
		return
	}
	var f ef45.FaceRecord
	if err := decodeBody(w, r, maxJSONBody, &f); err != nil {
		writeError(w, http.StatusBadRequest, "update face: "+err.Error())
		return
	}
	f.UserUUID, f.SubID = id, ef45.Int(sub)
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.faceIndexLocked(id, sub) < 0 {
		d.logEventLocked(now, "UserData", "UpdateFace", "Fail", id)
		writeError(w, http.StatusNotFound, "update face: no face "+strconv.Itoa(sub)+" of user_uuid "+quote(id))
		return
	}
	d.putFaceLocked(f)
	d.logEventLocked(now, "UserData", "UpdateFace", "Success", id)
	writeNoContent(w)
}

// handleFaceDelete deletes one face by sub id, or all of the user's faces without one.
func (d *Device) handleFaceDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	sub, ok, problem := subIDQuery(r)
	if problem != "" {
		writeError(w, http.StatusBadRequest, "delete face: "+problem)
		return
	}
	if !ok {
		sub = -1
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.removeFacesLocked(id, sub) == 0 {
		d.logEventLocked(now, "UserData", "DeleteFace", "Fail", id)
		writeError(w, http.StatusNotFound, "delete face: no such face of user_uuid "+quote(id))
		return
	}
	d.logEventLocked(now, "UserData", "DeleteFace", "Success", id)
	writeNoContent(w)
}
