package ef45sim

import (
	"net/http"
	"time"

	"enrollstation/devices/ef45"
)

// newMatchLocked compares the template presented in a match-template capture with the one
// the camera reads from the person in front of it.
func (d *Device) newMatchLocked(c *capture, at time.Time) ef45.MatchData {
	seen := irisTemplate(d.opts.Seed, c.person, 0, d.st.captureCount, d.opts.RecordVersion)
	hd := hammingDistance(seen, c.template)
	if _, _, _, ok := parseTemplate(c.template); !ok {
		hd = 1
	}
	return ef45.MatchData{
		EncounterID: newUUID(d.st.idRNG),
		Timestamp:   ef45.Timestamp{Time: d.deviceTimeLocked(at)},
		UserUUID:    c.seq,
		Matched:     hd < matchThreshold,
		Score:       ef45.Float(float64(int((1-hd)*1000+0.5)) / 1000),
		FaceImage:   []byte{}, // filled when served
	}
}

func (d *Device) handleMatchList(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	items := append([]ef45.MatchData(nil), d.st.matches...)
	d.mu.Unlock()
	if len(items) > 0 {
		face := d.heavy.match()
		for i := range items {
			items[i].FaceImage = face
		}
	}
	l, err := paginate(items, r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, "match data: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (d *Device) handleMatchDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, m := range d.st.matches {
		if m.EncounterID == id {
			d.st.matches = append(d.st.matches[:i:i], d.st.matches[i+1:]...)
			d.logEventLocked(now, "Recognition", "DeleteMatchData", "Success", "")
			writeOK(w)
			return
		}
	}
	writeError(w, http.StatusNotFound, "no match data with encounter_id "+quote(id))
}
