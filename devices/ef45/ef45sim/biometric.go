package ef45sim

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
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

// Save-bitmap file names (spec 003, save-8bmp and save-24bmp).
func bmpVariant(name string) (ef45.FaceVariant, bool) {
	switch name {
	case "irisoff.bmp":
		return ef45.FaceIrisOff, true
	case "faroff.bmp":
		return ef45.FaceFarOff, true
	case "faron.bmp":
		return ef45.FaceFarOn, true
	case "nearoff.bmp":
		return ef45.FaceNearOff, true
	case "nearon.bmp":
		return ef45.FaceNearOn, true
	}
	return 0, false
}

func (d *Device) handleSave8(w http.ResponseWriter, r *http.Request) {
	var name string
	if err := decodeBody(w, r, maxJSONBody, &name); err != nil {
		writeError(w, http.StatusBadRequest, "save 8-bit bitmap: the body must be the file name as a JSON string: "+err.Error())
		return
	}
	eye := -1
	switch name {
	case "lefteye.bmp":
		eye = 0
	case "righteye.bmp":
		eye = 1
	default:
		writeError(w, http.StatusBadRequest, "save 8-bit bitmap: file name "+quote(name)+" must be lefteye.bmp or righteye.bmp")
		return
	}
	if _, ok := d.latestItem(func(it bioItem) bool { return eyeMode(it.modes) }); !ok {
		writeError(w, http.StatusNotFound, "save 8-bit bitmap: no captured iris image to save")
		return
	}
	img, err := jpeg.Decode(bytes.NewReader(d.heavy.eyeImages()[eye]))
	gray, isGray := img.(*image.Gray)
	if err != nil || !isGray {
		writeError(w, http.StatusInternalServerError, "save 8-bit bitmap: the iris image cannot be converted")
		return
	}
	d.storeFile(name, encodeBMP8(gray), "SaveBitmap")
	writeJSON(w, http.StatusOK, pageBody{StatusCode: http.StatusOK, ReasonPhrase: "OK"})
}

func (d *Device) handleSave24(w http.ResponseWriter, r *http.Request) {
	var name string
	if err := decodeBody(w, r, maxJSONBody, &name); err != nil {
		writeError(w, http.StatusBadRequest, "save 24-bit bitmap: the body must be the file name as a JSON string: "+err.Error())
		return
	}
	v, ok := bmpVariant(name)
	if !ok {
		writeError(w, http.StatusBadRequest, "save 24-bit bitmap: file name "+quote(name)+
			" must be irisoff.bmp, faroff.bmp, faron.bmp, nearoff.bmp or nearon.bmp")
		return
	}
	if _, ok := d.latestItem(func(it bioItem) bool { return wantedFaces(it.modes)[v] }); !ok {
		writeError(w, http.StatusNotFound, "save 24-bit bitmap: no captured "+v.String()+" image to save")
		return
	}
	img, err := jpeg.Decode(bytes.NewReader(d.heavy.face(v)))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "save 24-bit bitmap: the face image cannot be converted")
		return
	}
	d.storeFile(name, encodeBMP24(img), "SaveBitmap")
	writeJSON(w, http.StatusOK, pageBody{StatusCode: http.StatusOK, ReasonPhrase: "OK"})
}

// latestItem is the newest buffered capture for which ok holds.
func (d *Device) latestItem(ok func(bioItem) bool) (bioItem, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := len(d.st.bio) - 1; i >= 0; i-- {
		if ok(d.st.bio[i]) {
			return d.st.bio[i], true
		}
	}
	return bioItem{}, false
}

func (d *Device) storeFile(name string, b []byte, info string) {
	now := d.now()
	d.mu.Lock()
	d.st.files[name] = b
	d.logEventLocked(now, "Config", info, "Success", "")
	d.mu.Unlock()
}

const logoFile = "pc_enroll_logo.png"

// validFileName keeps names inside the device's image folder.
func validFileName(name string) bool {
	return name != "" && len(name) <= 128 && !strings.ContainsAny(name, `/\`) && name != "." && name != ".."
}

func (d *Device) handleLoadFile(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("filename")
	if !validFileName(name) {
		writeError(w, http.StatusBadRequest, "load file: filename "+quote(name)+" is not a file name")
		return
	}
	b, ok := d.lookupFile(name)
	if !ok {
		writeError(w, http.StatusNotFound, "load file: no file named "+quote(name)+" on the device")
		return
	}
	writeJSON(w, http.StatusOK, ef45.LoadedFile{File: b, Size: ef45.Int(len(b))})
}

// lookupFile finds a file in the image folder: one saved by a client, the default logo, or
// an enrolled subject's iris or face image ({uuid}_lefteye.jpg, {uuid}_faroff.jpg, …).
func (d *Device) lookupFile(name string) ([]byte, bool) {
	d.mu.Lock()
	if b, ok := d.st.files[name]; ok {
		d.mu.Unlock()
		return b, true
	}
	uuid, kind, found := strings.Cut(name, "_")
	var subj ef45.Subject
	var hasSubj bool
	var face []byte
	if found {
		subj, hasSubj = d.st.subjects.get(uuid)
		sub := map[string]int{"faroff.jpg": ef45.SubColourFace, "faron.jpg": ef45.SubBWFace,
			"nearoff.jpg": ef45.SubColourGlasses, "nearon.jpg": ef45.SubBWGlasses}
		if s, ok := sub[kind]; ok {
			if i := d.faceIndexLocked(uuid, s); i >= 0 {
				face = d.st.faces[i].Image
			}
		}
	}
	d.mu.Unlock()
	switch {
	case name == logoFile:
		return defaultLogo(d.opts.Seed), true
	case len(face) > 0:
		return face, true
	case hasSubj && kind == "lefteye.jpg" && len(subj.LeftEyeTemplate) > 0:
		return d.heavy.eyeImages()[0], true
	case hasSubj && kind == "righteye.jpg" && len(subj.RightEyeTemplate) > 0:
		return d.heavy.eyeImages()[1], true
	}
	return nil, false
}

func (d *Device) handleSaveFile(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("filename")
	if !validFileName(name) {
		writeError(w, http.StatusBadRequest, "save file: filename "+quote(name)+" is not a file name")
		return
	}
	var b []byte
	if err := decodeBody(w, r, maxFileBody, &b); err != nil {
		writeError(w, http.StatusBadRequest, "save file: the body must be the file as a base64 JSON string: "+err.Error())
		return
	}
	if name == logoFile {
		if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
			writeError(w, http.StatusBadRequest, "save file: "+logoFile+" must be a PNG image")
			return
		}
	}
	d.storeFile(name, b, "SaveFile")
	writeOK(w)
}

// defaultLogo is the enrollment logo the device shows until a client uploads its own.
func defaultLogo(seed int64) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 240, 80))
	r := newRNG(seed, "logo")
	c := color.RGBA{uint8(40 + r.IntN(100)), uint8(80 + r.IntN(100)), uint8(120 + r.IntN(120)), 255}
	for y := 0; y < 80; y++ {
		for x := 0; x < 240; x++ {
			switch {
			case y > 20 && y < 60 && x > 20 && x < 60:
				img.Set(x, y, color.RGBA{255, 255, 255, 255})
			case y > 30 && y < 50 && x > 80 && x < 220 && (x/12)%2 == 0:
				img.Set(x, y, color.RGBA{255, 255, 255, 255})
			default:
				img.Set(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // cannot fail for an in-memory RGBA
	return buf.Bytes()
}

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
