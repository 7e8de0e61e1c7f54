package ef45sim

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

func TestVer1EndpointFollowsTheAppVersion(t *testing.T) {
	h := newHarness(t, Options{Version: "1.2.33"})
	h.takeLock()
	if r := h.callErr(http.MethodGet, h.url("/1.0/biometric-data/ver1"), nil, http.StatusNotFound); !strings.Contains(r, "1.2.34") {
		t.Errorf("ver1 on 1.2.33: reason %q", r)
	}
	if l := h.biometric("/1.0/biometric-data"); l.StatusCode != http.StatusOK || l.Items == nil || len(l.Items) != 0 {
		t.Errorf("legacy endpoint on 1.2.33: %+v", l)
	}
	for _, v := range []string{"1.2.34", "1.2.100", "1.10.0", "2"} {
		h.dev.SetVersion(v)
		h.biometric("/1.0/biometric-data/ver1")
		h.biometric("/1.0/biometric-data")
	}
	h.dev.SetVersion("1.2.9")
	h.callErr(http.MethodGet, h.url("/1.0/biometric-data/ver1"), nil, http.StatusNotFound)
}

func testDeletingBiometricData(t *testing.T, h *harness) {
	for range 2 {
		h.start("either_eye_mode", "true")
		h.clock.Advance(h.dev.opts.CaptureDuration + 100*time.Millisecond)
	}
	l := h.biometric("/1.0/biometric-data/ver1")
	if len(l.Items) != 2 || l.Items[0].EncounterID == l.Items[1].EncounterID {
		t.Fatalf("buffer holds %d items", len(l.Items))
	}
	h.callErr(http.MethodDelete, h.url("/1.0/biometric-data/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"), nil, http.StatusNotFound)
	for _, it := range l.Items {
		h.call(http.MethodDelete, h.url("/1.0/biometric-data/"+it.EncounterID), nil, http.StatusOK, nil)
	}
	if l := h.biometric("/1.0/biometric-data"); len(l.Items) != 0 {
		t.Errorf("%d items after deleting both", len(l.Items))
	}
}

// bmpInfo reads width, height and bits per pixel from a BMP header.
func bmpInfo(t *testing.T, b []byte) (w, h, bpp int) {
	t.Helper()
	if len(b) < 54 || string(b[:2]) != "BM" || int(binary.LittleEndian.Uint32(b[2:])) != len(b) {
		t.Fatalf("not a BMP file (%d bytes)", len(b))
	}
	return int(binary.LittleEndian.Uint32(b[18:])), int(binary.LittleEndian.Uint32(b[22:])), int(binary.LittleEndian.Uint16(b[28:]))
}

func testSaveBitmaps(t *testing.T, h *harness) {
	var page pageBody
	h.callErr(http.MethodPut, h.url("/1.0/biometric-data/save-8bmp"), "lefteye.bmp", http.StatusNotFound)
	h.start("both_eye_mode", "true")
	h.clock.Advance(h.dev.opts.CaptureDuration + 100*time.Millisecond)

	h.call(http.MethodPut, h.url("/1.0/biometric-data/save-8bmp"), "righteye.bmp", http.StatusOK, &page)
	if page.StatusCode != http.StatusOK {
		t.Errorf("save answer %+v", page)
	}
	var f ef45.LoadedFile
	h.call(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", "righteye.bmp"), nil, http.StatusOK, &f)
	if w, hh, bpp := bmpInfo(t, f.File); w != eyeW || hh != eyeH || bpp != 8 || int(f.Size) != len(f.File) {
		t.Errorf("righteye.bmp: %dx%d %d bpp, size %d of %d", w, hh, bpp, f.Size, len(f.File))
	}
	h.call(http.MethodPut, h.url("/1.0/biometric-data/save-24bmp"), "irisoff.bmp", http.StatusOK, nil)
	h.call(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", "irisoff.bmp"), nil, http.StatusOK, &f)
	if w, hh, bpp := bmpInfo(t, f.File); w != faceW || hh != faceH || bpp != 24 {
		t.Errorf("irisoff.bmp: %dx%d %d bpp", w, hh, bpp)
	}
	// This capture had no face mode: there is no far-off face to save.
	h.callErr(http.MethodPut, h.url("/1.0/biometric-data/save-24bmp"), "faroff.bmp", http.StatusNotFound)
	h.callErr(http.MethodPut, h.url("/1.0/biometric-data/save-8bmp"), "face.bmp", http.StatusBadRequest)
	h.callErr(http.MethodPut, h.url("/1.0/biometric-data/save-24bmp"), "lefteye.bmp", http.StatusBadRequest)
	h.callErr(http.MethodPut, h.url("/1.0/biometric-data/save-8bmp"), raw(`lefteye.bmp`), http.StatusBadRequest)
	for _, it := range h.biometric("/1.0/biometric-data/ver1").Items {
		h.call(http.MethodDelete, h.url("/1.0/biometric-data/"+it.EncounterID), nil, http.StatusOK, nil)
	}
}

func TestLoadAndSaveFiles(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	var f ef45.LoadedFile
	h.call(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", logoFile), nil, http.StatusOK, &f)
	if _, err := png.Decode(bytes.NewReader(f.File)); err != nil || int(f.Size) != len(f.File) {
		t.Fatalf("default logo: %v (size %d of %d)", err, f.Size, len(f.File))
	}

	logo := image.NewRGBA(image.Rect(0, 0, 4, 2))
	logo.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, logo); err != nil {
		t.Fatal(err)
	}
	h.call(http.MethodPut, h.url("/1.0/biometric-data/save-file", "filename", logoFile), buf.Bytes(), http.StatusOK, nil)
	h.call(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", logoFile), nil, http.StatusOK, &f)
	if !bytes.Equal(f.File, buf.Bytes()) {
		t.Error("uploaded logo not returned")
	}
	h.callErr(http.MethodPut, h.url("/1.0/biometric-data/save-file", "filename", logoFile), []byte("GIF89a"), http.StatusBadRequest)
	h.callErr(http.MethodPut, h.url("/1.0/biometric-data/save-file", "filename", "x.bin"), raw(`{"file":1}`), http.StatusBadRequest)

	// A subject's images: iris images follow its templates, face images its face records.
	const id = "7d3c1c0a-0000-4000-8000-000000000001"
	face := []byte("\xff\xd8 a face \xff\xd9")
	h.call(http.MethodPost, h.url("/1.0/user"), ef45.BatchUser{
		Subject: ef45.Subject{UserUUID: id, LeftEyeTemplate: []byte{1, 2, 3}},
		Faces:   []ef45.FaceRecord{{SubID: ef45.SubBWFace, Image: face}},
	}, http.StatusOK, nil)
	h.call(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", id+"_lefteye.jpg"), nil, http.StatusOK, &f)
	wantSize(t, "subject left eye", decodeJPEG(t, "subject left eye", f.File), eyeW, eyeH)
	h.call(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", id+"_faron.jpg"), nil, http.StatusOK, &f)
	if !bytes.Equal(f.File, face) {
		t.Error("faron.jpg is not the B/W face record's image")
	}
	for _, missing := range []string{id + "_righteye.jpg", id + "_faroff.jpg", "nobody_lefteye.jpg", "other.png"} {
		h.callErr(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", missing), nil, http.StatusNotFound)
	}
	for _, bad := range []string{"", "../etc/passwd", `a\b`} {
		h.callErr(http.MethodGet, h.url("/1.0/biometric-data/load-file", "filename", bad), nil, http.StatusBadRequest)
	}
}

// captureBytes runs one iris capture on a fresh device and returns one preview frame and,
// if whole, the biometric-data answer (eyes, iris-off face, templates).
func captureBytes(t *testing.T, seed int64, whole bool) (bio, frame []byte) {
	t.Helper()
	h := newHarness(t, Options{Seed: seed, CaptureDuration: time.Second})
	h.takeLock()
	h.setMode(ef45.ModeSlave)
	h.start("both_eye_mode", "true")
	h.clock.Advance(500 * time.Millisecond)
	frame = h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, nil)
	if !whole {
		return nil, frame
	}
	h.clock.Advance(600 * time.Millisecond)
	return h.call(http.MethodGet, h.url("/1.0/biometric-data/ver1"), nil, http.StatusOK, nil), frame
}

func TestSameSeedSameCapture(t *testing.T) {
	a, fa := captureBytes(t, 21, true)
	b, fb := captureBytes(t, 21, true)
	if !bytes.Equal(a, b) || !bytes.Equal(fa, fb) {
		t.Fatal("two devices with the same seed gave different captures")
	}
	var l ef45.List[ef45.BiometricData]
	if err := json.Unmarshal(a, &l); err != nil || len(l.Items) != 1 {
		t.Fatalf("capture: %v, %d items", err, len(l.Items))
	}
	if _, fc := captureBytes(t, 22, false); bytes.Equal(fa, fc) {
		t.Error("different seeds gave identical preview frames")
	}
}

// BenchmarkCaptureGeneration measures what one whole capture costs a fresh device: drawing
// and encoding every image, building the item and encoding the ~5 MB answer.
func BenchmarkCaptureGeneration(b *testing.B) {
	var size int
	start := time.Now()
	for i := range b.N {
		d := New(Options{Seed: int64(i)})
		m := ef45.StartModes{Face: true, Glasses: true, BothEyes: true}
		d.heavy.prepare(m, false)
		d.mu.Lock()
		it := d.newBioItemLocked(&capture{modes: m, person: 1}, time.Now())
		d.mu.Unlock()
		out, err := json.Marshal(ef45.List[ef45.BiometricData]{Items: []ef45.BiometricData{d.heavy.withImages(it)}})
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/capture")
	b.ReportMetric(float64(size)/(1<<20), "MiB/item")
}
