package ef45sim

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"enrollstation/devices/ef45"
)

// maxBuffered is how many biometric-data (or match-data) items the device keeps when the
// client does not delete them.
const maxBuffered = 4

// minVer1Version is the first application version with GET /biometric-data/ver1 (spec 003).
const minVer1Version = "1.2.34"

// bioItem is a buffered capture. Its images are left out until it is served: they are the
// device's capture assets, shared by every item.
type bioItem struct {
	data  ef45.BiometricData
	modes ef45.StartModes
}

func eyeMode(m ef45.StartModes) bool { return m.BothEyes || m.EitherEye }

// wantedFaces are the face variants a capture with these modes produces: iris-off with
// any eye mode, far-off/far-on with face mode, near-off/near-on with glasses mode.
func wantedFaces(m ef45.StartModes) [numFaceVariants]bool {
	var w [numFaceVariants]bool
	w[ef45.FaceIrisOff] = eyeMode(m)
	w[ef45.FaceFarOff], w[ef45.FaceFarOn] = m.Face, m.Face
	w[ef45.FaceNearOff], w[ef45.FaceNearOn] = m.Glasses, m.Glasses
	return w
}

// newBioItemLocked builds the data of a finished capture: templates and features of the
// person in front of the camera, scores, and the 1:N duplicate search the device runs.
func (d *Device) newBioItemLocked(c *capture, at time.Time) bioItem {
	seed, n, rv := d.opts.Seed, d.st.captureCount, d.opts.RecordVersion
	data := ef45.BiometricData{
		EncounterID:  newUUID(d.st.idRNG),
		Timestamp:    ef45.Timestamp{Time: d.deviceTimeLocked(at)},
		SerialNumber: d.opts.Serial,
	}
	dupCheck := d.configLocked("DuplicateCheckEnabled").b
	minArea := d.configLocked("IrisMinUsableArea").i
	q := newRNG(seed, "quality", uint64(c.person), n)
	for i, e := range []*ef45.Eye{&data.Left, &data.Right} {
		*e = ef45.Eye{Image: []byte{}, EnrolTemplate: []byte{}}
		if !eyeMode(c.modes) {
			continue
		}
		e.EnrolTemplate = irisTemplate(seed, c.person, i, n, rv)
		e.UsableIrisArea = ef45.Int(74 + q.IntN(19))
		e.QualityScore = ef45.Int(70 + q.IntN(29))
		e.QualityOK = ef45.Bool(int64(e.UsableIrisArea) >= minArea)
		if dupCheck {
			e.DuplicateUUID = d.irisDuplicateLocked(e.EnrolTemplate, i)
		}
	}
	want := wantedFaces(c.modes)
	a := heavyGeoms()
	for _, v := range ef45.FaceVariants() {
		f := ef45.Face{Image: []byte{}, Feature: []byte{}}
		if want[v] {
			f.Feature = faceFeature(seed, c.person, int(v), n, rv)
			f.FeatureSize = ef45.Int(len(f.Feature))
			f.FrontalScore = ef45.Float(0.9 + 0.09*q.Float64())
			f.Roll = ef45.Float(q.Float64()*6 - 3)
			f.Score = ef45.Float(0.85 + 0.14*q.Float64())
			l, r := faceEyesX(a[v])
			f.LeftEyeX, f.RightEyeX = ef45.Int(l+0.5), ef45.Int(r+0.5)
			f.EyeWidth = f.LeftEyeX - f.RightEyeX
			if v == ef45.FaceFarOn || v == ef45.FaceNearOn {
				f.LEDState = 1
			}
			if dupCheck {
				f.DuplicateUUID = d.faceDuplicateLocked(f.Feature)
			}
		}
		data.Faces[v] = f
	}
	return bioItem{data: data, modes: c.modes}
}

// heavyGeoms are the face placements of the capture images, without drawing them.
func heavyGeoms() [numFaceVariants]faceGeom {
	var g [numFaceVariants]faceGeom
	for _, v := range ef45.FaceVariants() {
		g[v] = variantScene(v, appearance{}).g
	}
	return g
}

// irisDuplicateLocked is the first subject whose template of the same eye matches.
func (d *Device) irisDuplicateLocked(tpl []byte, eye int) string {
	for _, s := range d.st.subjects.list() {
		other := s.LeftEyeTemplate
		if eye == 1 {
			other = s.RightEyeTemplate
		}
		if templatesMatch(tpl, other) {
			return s.UserUUID
		}
	}
	return ""
}

func (d *Device) faceDuplicateLocked(feature []byte) string {
	for _, f := range d.st.faces {
		if templatesMatch(feature, f.Feature) {
			return f.UserUUID
		}
	}
	return ""
}

// encodedCache keeps the last encoded biometric-data answer: at about 5 MB an item, clients
// poll it often and it only changes when the buffer does.
type encodedCache struct {
	mu  sync.Mutex
	gen uint64
	b   []byte
}

func (d *Device) handleBiometricLegacy(w http.ResponseWriter, r *http.Request) {
	d.serveBiometric(w)
}

func (d *Device) handleBiometricVer1(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	v := d.st.version
	d.mu.Unlock()
	if compareVersions(v, minVer1Version) < 0 {
		writeError(w, http.StatusNotFound, "GET /1.0/biometric-data/ver1 needs application version "+minVer1Version+
			" or later; this device runs "+v+": use GET /1.0/biometric-data")
		return
	}
	d.serveBiometric(w)
}

func (d *Device) serveBiometric(w http.ResponseWriter) {
	d.mu.Lock()
	items := append([]bioItem(nil), d.st.bio...)
	gen := d.st.bioGen
	d.st.stats.BiometricServed += int64(len(items))
	d.mu.Unlock()

	d.bioCache.mu.Lock()
	b := d.bioCache.b
	if d.bioCache.gen != gen {
		b = nil
	}
	d.bioCache.mu.Unlock()
	if b == nil {
		l := ef45.List[ef45.BiometricData]{StatusCode: http.StatusOK, ReasonPhrase: "OK",
			Items: make([]ef45.BiometricData, 0, len(items)), Page: 1, PageSize: defaultPageSize, Total: ef45.Int(len(items))}
		for _, it := range items {
			l.Items = append(l.Items, d.heavy.withImages(it))
		}
		var err error
		if b, err = json.Marshal(l); err != nil {
			writeError(w, http.StatusInternalServerError, "encode biometric data: "+err.Error())
			return
		}
		d.bioCache.mu.Lock()
		d.bioCache.gen, d.bioCache.b = gen, b
		d.bioCache.mu.Unlock()
	}
	writeRaw(w, http.StatusOK, b)
}

func (d *Device) handleBiometricDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, it := range d.st.bio {
		if it.data.EncounterID == id {
			d.st.bio = append(d.st.bio[:i:i], d.st.bio[i+1:]...)
			d.st.bioGen++
			d.logEventLocked(now, "Camera", "DeleteBiometricData", "Success", "")
			writeOK(w)
			return
		}
	}
	d.logEventLocked(now, "Camera", "DeleteBiometricData", "Fail", "")
	writeError(w, http.StatusNotFound, "no biometric data with encounter_id "+quote(id))
}
