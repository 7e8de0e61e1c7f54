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

// Subjects.

func (d *Device) handleSubjectList(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	all := d.st.subjects.list()
	d.mu.Unlock()
	l, err := paginate(all, r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, "subjects: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (d *Device) handleSubjectCreate(w http.ResponseWriter, r *http.Request) {
	var s ef45.Subject
	if err := decodeBody(w, r, maxJSONBody, &s); err != nil {
		writeError(w, http.StatusBadRequest, "add subject: "+err.Error())
		return
	}
	if p := checkUserUUID(s.UserUUID); p != "" {
		writeError(w, http.StatusBadRequest, "add subject: "+p)
		return
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.st.subjects.get(s.UserUUID); ok {
		d.logEventLocked(now, "UserData", "AddUser", "Fail", s.UserUUID)
		writeError(w, http.StatusConflict, "add subject: subject "+quote(s.UserUUID)+" already exists: update it instead")
		return
	}
	d.st.subjects.put(s.UserUUID, d.stampSubjectLocked(s))
	d.logEventLocked(now, "UserData", "AddUser", "Success", s.UserUUID)
	writeCreated(w)
}

// stampSubjectLocked fills the record version the device's algorithm writes.
func (d *Device) stampSubjectLocked(s ef45.Subject) ef45.Subject {
	if s.RecordVersion == 0 {
		s.RecordVersion = ef45.Int(d.opts.RecordVersion)
	}
	return s
}

func (d *Device) handleSubjectGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	d.mu.Lock()
	s, ok := d.st.subjects.get(id)
	d.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "no subject with user_uuid "+quote(id))
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (d *Device) handleSubjectUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	var s ef45.Subject
	if err := decodeBody(w, r, maxJSONBody, &s); err != nil {
		writeError(w, http.StatusBadRequest, "update subject: "+err.Error())
		return
	}
	s.UserUUID = id
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.st.subjects.get(id); !ok {
		d.logEventLocked(now, "UserData", "UpdateUser", "Fail", id)
		writeError(w, http.StatusNotFound, "update subject: no subject with user_uuid "+quote(id))
		return
	}
	d.st.subjects.put(id, d.stampSubjectLocked(s))
	d.logEventLocked(now, "UserData", "UpdateUser", "Success", id)
	writeNoContent(w)
}

func (d *Device) handleSubjectDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.st.subjects.remove(id) {
		d.logEventLocked(now, "UserData", "DeleteUsers", "Fail", id)
		writeError(w, http.StatusNotFound, "delete subject: no subject with user_uuid "+quote(id))
		return
	}
	d.logEventLocked(now, "UserData", "DeleteUsers", "Success", id)
	writeNoContent(w)
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

func (d *Device) handleUserInfoList(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	all := d.st.users.list()
	d.mu.Unlock()
	l, err := paginate(all, r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, "user info: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, l)
}

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

func (d *Device) handleUserInfoCreate(w http.ResponseWriter, r *http.Request) {
	var u ef45.UserInfo
	if err := decodeBody(w, r, maxJSONBody, &u); err != nil {
		writeError(w, http.StatusBadRequest, "add user info: "+err.Error())
		return
	}
	if p := checkUserInfo(&u); p != "" {
		writeError(w, http.StatusBadRequest, "add user info: "+p)
		return
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.st.users.get(u.UserUUID); ok {
		d.logEventLocked(now, "UserData", "AddUserInfo", "Fail", u.UserUUID)
		writeError(w, http.StatusConflict, "add user info: user info "+quote(u.UserUUID)+" already exists: update it instead")
		return
	}
	d.st.users.put(u.UserUUID, u)
	d.logEventLocked(now, "UserData", "AddUserInfo", "Success", u.UserUUID)
	writeCreated(w)
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

func (d *Device) handleUserInfoGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	d.mu.Lock()
	u, ok := d.st.users.get(id)
	d.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "no user info with user_uuid "+quote(id))
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (d *Device) handleUserInfoUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	var u ef45.UserInfo
	if err := decodeBody(w, r, maxJSONBody, &u); err != nil {
		writeError(w, http.StatusBadRequest, "update user info: "+err.Error())
		return
	}
	u.UserUUID = id
	if p := checkUserInfo(&u); p != "" {
		writeError(w, http.StatusBadRequest, "update user info: "+p)
		return
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.st.users.get(id); !ok {
		d.logEventLocked(now, "UserData", "UpdateUserInfo", "Fail", id)
		writeError(w, http.StatusNotFound, "update user info: no user info with user_uuid "+quote(id))
		return
	}
	d.st.users.put(id, u)
	d.logEventLocked(now, "UserData", "UpdateUserInfo", "Success", id)
	writeNoContent(w)
}

func (d *Device) handleUserInfoDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.st.users.remove(id) {
		d.logEventLocked(now, "UserData", "DeleteUserInfo", "Fail", id)
		writeError(w, http.StatusNotFound, "delete user info: no user info with user_uuid "+quote(id))
		return
	}
	d.logEventLocked(now, "UserData", "DeleteUserInfo", "Success", id)
	writeNoContent(w)
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
	d.st.subjects.put(id, d.stampSubjectLocked(b.Subject))
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
