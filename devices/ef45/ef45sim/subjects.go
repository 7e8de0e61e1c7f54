package ef45sim

import (
	"net/http"

	"enrollstation/devices/ef45"
)

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
