package ef45sim

import (
	"net/http"
	"strconv"

	"enrollstation/devices/ef45"
)

// User info.

// userInfoResource serves /user-info.
func (d *Device) userInfoResource() resource[ef45.UserInfo] {
	return resource[ef45.UserInfo]{d: d, table: func() *records[ef45.UserInfo] { return &d.st.users },
		what: "user info", add: "AddUserInfo", update: "UpdateUserInfo", remove: "DeleteUserInfo",
		key:   func(u *ef45.UserInfo) *string { return &u.UserUUID },
		check: checkUserInfo}
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
