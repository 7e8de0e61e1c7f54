package ef45sim

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

// TestCaptureScenarios runs the scenarios that need a capture's images on one device, so
// the images are drawn once.
func TestCaptureScenarios(t *testing.T) {
	h := newHarness(t, Options{Seed: 3, FPS: scenarioFPS, CaptureDuration: 2 * time.Second})
	h.takeLock()
	t.Run("timeline", func(t *testing.T) { testCaptureTimeline(t, h.with(t)) })
	t.Run("modes choose what is captured", func(t *testing.T) { testCaptureModes(t, h.with(t)) })
	t.Run("returning person", func(t *testing.T) { testReturningPerson(t, h.with(t)) })
	t.Run("deleting biometric data", func(t *testing.T) { testDeletingBiometricData(t, h.with(t)) })
	t.Run("bitmaps", func(t *testing.T) { testSaveBitmaps(t, h.with(t)) })
	t.Run("minimum usable area", func(t *testing.T) { testMinUsableArea(t, h.with(t)) })
}

const scenarioFPS = 6

// testCaptureTimeline follows a capture frame by frame on a fresh device.
func testCaptureTimeline(t *testing.T, h *harness) {
	const fps, n = scenarioFPS, 12
	var idle ef45.Preview
	h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, &idle)
	if len(idle.LeftEye)+len(idle.RightEye)+len(idle.FaceImage) != 0 || idle.AvgDistance != -1 ||
		idle.LeftDistance != -1 || idle.RightDistance != -1 {
		t.Fatalf("preview before start: %+v", idle)
	}

	h.setMode(ef45.ModeSlave)
	if r := h.start("face_mode", "true", "glasses_mode", "true", "both_eye_mode", "true"); !r.Success {
		t.Fatalf("start: %+v", r)
	}
	period := time.Second / fps
	h.clock.Advance(period / 2)
	frames := make([]ef45.Preview, n)
	for k := range frames {
		h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, &frames[k])
		if k == n/2 {
			if l := h.biometric("/1.0/biometric-data/ver1"); len(l.Items) != 0 {
				t.Fatalf("biometric data during the capture: %d items", len(l.Items))
			}
		}
		h.clock.Advance(period)
	}

	first, last := frames[0], frames[n-1]
	if first.AvgDistance < 690000 || first.AvgDistance > 712000 {
		t.Errorf("first distance %d µm, want about 700 mm", first.AvgDistance)
	}
	if last.AvgDistance < 395000 || last.AvgDistance > 405000 {
		t.Errorf("last distance %d µm, want about 400 mm", last.AvgDistance)
	}
	if !(first.AvgDistance > frames[n/2].AvgDistance && frames[n/2].AvgDistance > last.AvgDistance) {
		t.Errorf("distance does not converge: %d, %d, %d", first.AvgDistance, frames[n/2].AvgDistance, last.AvgDistance)
	}
	if last.LeftIrisRadius < 100 || last.RightIrisRadius < 100 || first.LeftIrisRadius >= 70 {
		t.Errorf("iris radius %d → %d, want under 70 px growing to at least 100", first.LeftIrisRadius, last.LeftIrisRadius)
	}
	if bool(first.SwitchFlag) || !bool(last.SwitchFlag) {
		t.Errorf("switch flag %v → %v, want false → true", first.SwitchFlag, last.SwitchFlag)
	}
	messages := map[ef45.Int]int{}
	moved := false
	for k, p := range frames {
		messages[p.Message]++
		for _, d := range []ef45.Int{p.LeftDistance, p.RightDistance} {
			if diff := d - p.AvgDistance; diff < -10000 || diff > 10000 {
				t.Errorf("frame %d: eye distance %d far from average %d", k, d, p.AvgDistance)
			}
		}
		if p.LeftEyeCenterX < 0 || p.LeftEyeCenterX >= eyeW || p.LeftEyeCenterY < 0 || p.LeftEyeCenterY >= eyeH {
			t.Errorf("frame %d: left eye centre (%d,%d) outside the image", k, p.LeftEyeCenterX, p.LeftEyeCenterY)
		}
		if dx, dy := p.LeftIrisCenterX-p.LeftEyeCenterX, p.LeftIrisCenterY-p.LeftEyeCenterY; dx*dx+dy*dy > p.LeftIrisRadius*p.LeftIrisRadius {
			t.Errorf("frame %d: iris centre outside the iris around the eye centre", k)
		}
		if p.LeftBoundary >= p.RightBoundary || p.LeftBoundary < 0 || p.RightBoundary > previewFaceW {
			t.Errorf("frame %d: face boundaries %d..%d", k, p.LeftBoundary, p.RightBoundary)
		}
		if k > 0 && p.LeftIrisCenterX != frames[k-1].LeftIrisCenterX {
			moved = true
		}
	}
	if !moved {
		t.Error("the iris never moved")
	}
	for _, m := range []ef45.Int{ef45.MessageMoveDown, ef45.MessageMoveUp, ef45.MessageOpenEyes, ef45.MessageTakeOffGlasses} {
		if messages[m] == 0 {
			t.Errorf("message %d never shown: %v", m, messages)
		}
	}
	for k := n * 4 / 5; k < n; k++ {
		if frames[k].Message != ef45.MessageNone {
			t.Errorf("frame %d: message %d in the converged tail", k, frames[k].Message)
		}
	}

	// Images: grey 640×480 eyes, a colour face; during the blink the lid covers the pupil.
	open := decodeJPEG(t, "last left eye", last.LeftEye)
	wantSize(t, "left eye", open, eyeW, eyeH)
	wantGray(t, "left eye", open, true)
	wantGray(t, "right eye", decodeJPEG(t, "right eye", last.RightEye), true)
	face := decodeJPEG(t, "face", last.FaceImage)
	wantSize(t, "preview face", face, previewFaceW, previewFaceH)
	wantGray(t, "preview face", face, false)
	blinkStart, blinkLen := blinkWindow(n)
	closed := frames[blinkStart+blinkLen/2]
	if closed.Message != ef45.MessageOpenEyes {
		t.Fatalf("mid-blink message %d", closed.Message)
	}
	shut := decodeJPEG(t, "closed eye", closed.LeftEye)
	r := int(last.LeftIrisRadius) / 3
	openMean := discMean(open, int(last.LeftIrisCenterX), int(last.LeftIrisCenterY), r)
	shutMean := discMean(shut, int(closed.LeftIrisCenterX), int(closed.LeftIrisCenterY), r)
	if shutMean < openMean+40 {
		t.Errorf("pupil area brightness %.0f open, %.0f mid-blink: the lid does not close", openMean, shutMean)
	}
	// The face's pupils are where the geometry puts them; the cheek is skin.
	g := frameGeometry(h.dev.opts.Seed, n-1, n, true)
	eyeY := g.face.cy - 0.12*g.face.ry
	for _, ex := range []float64{g.face.cx + 0.38*g.face.rx, g.face.cx - 0.38*g.face.rx} {
		px, py := ex+g.face.gazeX*0.2*g.face.rx, eyeY+g.face.gazeY*0.085*g.face.ry
		if l := luma(face, int(px+0.5), int(py+0.5)); l > 90 {
			t.Errorf("face pupil at (%.0f,%.0f) has brightness %.0f", px, py, l)
		}
	}
	if l := luma(face, int(g.face.cx), int(g.face.cy+0.3*g.face.ry)); l < 100 {
		t.Errorf("cheek brightness %.0f", l)
	}

	// The capture ends on the clock: one item, listed by both endpoints, and the camera
	// stops by itself.
	h.clock.Advance(2 * period)
	resp, body, err := h.send(http.MethodGet, h.url("/1.0/biometric-data/ver1"), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("biometric data: %v %v", resp, err)
	}
	if len(body) < 4_000_000 || len(body) > 7_000_000 {
		t.Errorf("biometric data answer is %d bytes, want about 5 MB", len(body))
	}
	ver1, legacy := h.biometric("/1.0/biometric-data/ver1"), h.biometric("/1.0/biometric-data")
	if len(ver1.Items) != 1 || ver1.Total != 1 || len(legacy.Items) != 1 || legacy.Items[0].EncounterID != ver1.Items[0].EncounterID {
		t.Fatalf("items: ver1 %d (total %d), legacy %d", len(ver1.Items), ver1.Total, len(legacy.Items))
	}
	checkFullItem(t, ver1.Items[0], h.dev.Serial(), h.clock.Now())
	h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, &idle)
	if len(idle.LeftEye) != 0 || idle.AvgDistance != -1 {
		t.Error("preview still shows frames after the capture")
	}
	if s := h.dev.Stats(); s.CapturesCompleted != 1 || s.PreviewFrames != n {
		t.Errorf("stats %+v", s)
	}
	if r := h.start("both_eye_mode", "true"); !r.Success {
		t.Errorf("camera did not stop after the capture: %+v", r)
	}
	h.result(http.MethodPost, "/1.0/camera/control/stop", nil)
	h.call(http.MethodDelete, h.url("/1.0/biometric-data/"+ver1.Items[0].EncounterID), nil, http.StatusOK, nil)
}

// checkFullItem checks an item captured with face, glasses and both-eye modes.
func checkFullItem(t *testing.T, it ef45.BiometricData, serial string, now time.Time) {
	t.Helper()
	if !validUUID(it.EncounterID) || it.SerialNumber != serial || it.ErrorMessage != "" {
		t.Errorf("item header: id %q serial %q error %q", it.EncounterID, it.SerialNumber, it.ErrorMessage)
	}
	if it.Timestamp.IsZero() || it.Timestamp.After(now) || now.Sub(it.Timestamp.Time) > time.Second {
		t.Errorf("item timestamp %v, now %v", it.Timestamp.Time, now)
	}
	for side, e := range map[string]ef45.Eye{"left": it.Left, "right": it.Right} {
		img := decodeJPEG(t, side+" eye", e.Image)
		wantSize(t, side+" eye", img, eyeW, eyeH)
		wantGray(t, side+" eye", img, true)
		if len(e.EnrolTemplate) < 2000 || len(e.EnrolTemplate) > 10000 {
			t.Errorf("%s template is %d bytes, want a few KB", side, len(e.EnrolTemplate))
		}
		if e.UsableIrisArea < 70 || e.UsableIrisArea > 100 || !bool(e.QualityOK) || e.QualityScore <= 0 {
			t.Errorf("%s eye quality: %+v", side, ef45.Eye{UsableIrisArea: e.UsableIrisArea, QualityScore: e.QualityScore, QualityOK: e.QualityOK})
		}
		if e.DuplicateUUID != "" {
			t.Errorf("%s eye duplicate %q on an empty device", side, e.DuplicateUUID)
		}
	}
	for _, v := range ef45.FaceVariants() {
		f := it.Faces[v]
		img := decodeJPEG(t, v.String(), f.Image)
		wantSize(t, v.String(), img, faceW, faceH)
		ir := v == ef45.FaceFarOn || v == ef45.FaceNearOn
		wantGray(t, v.String(), img, ir)
		if len(f.Feature) == 0 || int(f.FeatureSize) != len(f.Feature) {
			t.Errorf("%s feature %d bytes, size %d", v, len(f.Feature), f.FeatureSize)
		}
		if f.LeftEyeX <= f.RightEyeX || f.EyeWidth != f.LeftEyeX-f.RightEyeX || f.FrontalScore < 0.8 || f.Score <= 0 {
			t.Errorf("%s face measures %+v", v, ef45.Face{LeftEyeX: f.LeftEyeX, RightEyeX: f.RightEyeX, EyeWidth: f.EyeWidth, FrontalScore: f.FrontalScore, Score: f.Score})
		}
		if ir != (f.LEDState == 1) {
			t.Errorf("%s LED state %d", v, f.LEDState)
		}
	}
}

func testCaptureModes(t *testing.T, h *harness) {
	present := func(it ef45.BiometricData) (eyes bool, faces []ef45.FaceVariant) {
		for _, v := range ef45.FaceVariants() {
			if !it.Faces[v].Empty() {
				faces = append(faces, v)
			}
		}
		return len(it.Left.Image) > 0 && len(it.Right.EnrolTemplate) > 0, faces
	}
	for _, c := range []struct {
		query []string
		eyes  bool
		faces []ef45.FaceVariant
	}{
		{[]string{"either_eye_mode", "true"}, true, []ef45.FaceVariant{ef45.FaceIrisOff}},
		{[]string{"face_mode", "true"}, false, []ef45.FaceVariant{ef45.FaceFarOff, ef45.FaceFarOn}},
		{[]string{"glasses_mode", "1"}, false, []ef45.FaceVariant{ef45.FaceNearOff, ef45.FaceNearOn}},
	} {
		eyes, faces := present(h.capture(c.query...))
		if eyes != c.eyes || !slicesEqual(faces, c.faces) {
			t.Errorf("%v: eyes %v faces %v, want eyes %v faces %v", c.query, eyes, faces, c.eyes, c.faces)
		}
	}
}

func testReturningPerson(t *testing.T, h *harness) {
	capture := func() ef45.BiometricData { return h.capture("both_eye_mode", "true", "face_mode", "true") }
	h.dev.SetNextPerson(100)
	first := capture()
	const id = "person-0100"
	far := first.Faces[ef45.FaceFarOff]
	h.call(http.MethodPost, h.url("/1.0/user"), ef45.BatchUser{
		Subject: ef45.Subject{UserUUID: id, FirstName: "Ada", LeftEyeTemplate: first.Left.EnrolTemplate, RightEyeTemplate: first.Right.EnrolTemplate},
		Faces:   []ef45.FaceRecord{{SubID: ef45.SubColourFace, Image: far.Image, Feature: far.Feature}},
	}, http.StatusOK, nil)

	h.dev.SetNextPerson(100)
	again := capture()
	if again.Left.DuplicateUUID != id || again.Right.DuplicateUUID != id || again.Faces[ef45.FaceFarOff].DuplicateUUID != id {
		t.Errorf("returning person: duplicates %q %q %q, want %q", again.Left.DuplicateUUID, again.Right.DuplicateUUID, again.Faces[ef45.FaceFarOff].DuplicateUUID, id)
	}
	if bytes.Equal(again.Left.EnrolTemplate, first.Left.EnrolTemplate) {
		t.Error("two captures of one eye gave byte-identical templates")
	}
	other := capture()
	if other.Left.DuplicateUUID != "" || other.Faces[ef45.FaceFarOff].DuplicateUUID != "" {
		t.Errorf("a new person got duplicates %q %q", other.Left.DuplicateUUID, other.Faces[ef45.FaceFarOff].DuplicateUUID)
	}

	var dup ef45.DuplicateResult
	h.call(http.MethodPut, h.url("/1.0/subjects/is-exist/template"), ef45.DuplicateCheck{LeftEyeTemplate: again.Left.EnrolTemplate}, http.StatusOK, &dup)
	if dup.DuplicateUUID != id {
		t.Errorf("is-exist with the returning person's template: %q", dup.DuplicateUUID)
	}
	h.call(http.MethodPut, h.url("/1.0/subjects/is-exist/template"), ef45.DuplicateCheck{LeftEyeTemplate: other.Left.EnrolTemplate, RightEyeTemplate: other.Right.EnrolTemplate}, http.StatusOK, &dup)
	if dup.DuplicateUUID != "" {
		t.Errorf("is-exist with a new person's templates: %q", dup.DuplicateUUID)
	}
	h.callErr(http.MethodPut, h.url("/1.0/subjects/is-exist/template"), ef45.DuplicateCheck{}, http.StatusBadRequest)

	h.call(http.MethodPut, h.url("/1.0/config/DuplicateCheckEnabled/bool"), false, http.StatusNoContent, nil)
	defer h.call(http.MethodPut, h.url("/1.0/config/DuplicateCheckEnabled/bool"), true, http.StatusNoContent, nil)
	h.dev.SetNextPerson(100)
	if off := h.capture("both_eye_mode", "true"); off.Left.DuplicateUUID != "" {
		t.Errorf("duplicate search ran while disabled: %q", off.Left.DuplicateUUID)
	}
}
