package ef45sim

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"

	"enrollstation/devices/ef45"
)

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
