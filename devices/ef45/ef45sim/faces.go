package ef45sim

import (
	"net/http"
	"strconv"

	"enrollstation/devices/ef45"
)

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
