package ef45sim

import (
	"bytes"
	"net/http"
	"reflect"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

func TestStartRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	if r := h.start("both_eye_mode", "true"); r.Success || r.Status != codeWrongMode {
		t.Errorf("start in Recog mode: %+v, want %s", r, codeWrongMode)
	}
	h.setMode(ef45.ModeSlave)
	if r := h.start("streaming_mode", "true"); r.Success || r.Status != codeNoMode {
		t.Errorf("start without a biometric mode: %+v, want %s", r, codeNoMode)
	}
	h.callErr(http.MethodPost, h.url("/1.0/camera/control/start", "face_mode", "yes"), nil, http.StatusBadRequest)
	if r := h.start("face_mode", "true"); !r.Success {
		t.Fatalf("start: %+v", r)
	}
	if r := h.start("face_mode", "true"); r.Success || r.Status != codeAlreadyStarted {
		t.Errorf("second start: %+v, want %s", r, codeAlreadyStarted)
	}
	if !hasLog(h.logs(), "Camera", "StartCamera", "Fail") || !hasLog(h.logs(), "Camera", "StartCamera", "Success") {
		t.Error("camera starts not logged")
	}
}

func TestStopCancelsTheCapture(t *testing.T) {
	h := newHarness(t, Options{CaptureDuration: 2 * time.Second})
	h.takeLock()
	h.setMode(ef45.ModeSlave)
	h.start("both_eye_mode", "true")
	h.clock.Advance(time.Second)
	if r := h.result(http.MethodPost, "/1.0/camera/control/stop", nil); !r.Success || r.Status != "OK" {
		t.Errorf("stop: %+v", r)
	}
	h.clock.Advance(5 * time.Second)
	if l := h.biometric("/1.0/biometric-data/ver1"); len(l.Items) != 0 {
		t.Errorf("a stopped capture produced %d items", len(l.Items))
	}
	var p ef45.Preview
	h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, &p)
	if len(p.LeftEye) != 0 || p.AvgDistance != -1 {
		t.Error("preview shows frames after stop")
	}
	if r := h.result(http.MethodPost, "/1.0/camera/control/stop", nil); !r.Success || r.Status == "OK" {
		t.Errorf("stop when stopped: %+v, want success saying it was not running", r)
	}
}

func TestCameraSettings(t *testing.T) {
	h := newHarness(t, Options{Serial: "EF45-TEST-1"})
	h.takeLock()
	var s ef45.CameraSettings
	h.call(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusOK, &s)
	if s.CameraMode != ef45.ModeRecog || !bool(s.AudioEnabled) || s.SerialNumber != "EF45-TEST-1" {
		t.Errorf("power-on settings %+v", s)
	}
	if r := h.result(http.MethodPost, "/1.0/camera", ef45.CameraSettings{CameraMode: ef45.ModeMaster}); !r.Success {
		t.Errorf("set Master: %+v", r)
	}
	h.call(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusOK, &s)
	if s.CameraMode != ef45.ModeMaster || s.AudioEnabled {
		t.Errorf("after set: %+v", s)
	}
	if r := h.result(http.MethodPost, "/1.0/camera", map[string]string{"camera_mode": "Turbo"}); r.Success {
		t.Errorf("unknown mode accepted: %+v", r)
	}
	h.callErr(http.MethodPost, h.url("/1.0/camera"), raw(`{"camera_mode":`), http.StatusBadRequest)

	// Changing settings deletes the preview: a running capture stops.
	h.setMode(ef45.ModeSlave)
	h.start("face_mode", "true")
	h.setMode(ef45.ModeSlave)
	if h.dev.State().CameraRunning {
		t.Error("capture still running after a camera settings change")
	}
}

func TestSetDeviceTimeMovesTheDeviceClock(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	if r := h.result(http.MethodPost, "/1.0/camera/control/setDeviceTime/052014402018.30", nil); !r.Success {
		t.Fatalf("set time: %+v", r)
	}
	h.clock.Advance(90 * time.Second)
	h.setMode(ef45.ModeSlave)
	logs := h.logs("order", "desc")
	want := time.Date(2018, 5, 20, 14, 42, 0, 0, time.UTC)
	if got := logs[0].Timestamp.Time; !got.Equal(want) {
		t.Errorf("log time %v, want %v (device time)", got, want)
	}
	for _, bad := range []string{"2018-05-20", "132014402018.30", "0520144020.30"} {
		if r := h.result(http.MethodPost, "/1.0/camera/control/setDeviceTime/"+bad, nil); r.Success || r.Status == "" {
			t.Errorf("time %q: %+v, want a refusal with a reason", bad, r)
		}
	}
}

func TestPreviewFollowsTheClockNotThePolling(t *testing.T) {
	const fps = 20
	h := newHarness(t, Options{Seed: 9, FPS: fps, CaptureDuration: 2 * time.Second})
	h.takeLock()
	h.setMode(ef45.ModeSlave)
	h.start("both_eye_mode", "true")
	period := time.Second / fps
	h.clock.Advance(5*period + period/2)
	a := h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, nil)
	b := h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, nil)
	if !bytes.Equal(a, b) {
		t.Error("two polls within one frame gave different frames")
	}
	h.clock.Advance(15 * period)
	var p ef45.Preview
	h.call(http.MethodGet, h.url("/1.0/preview"), nil, http.StatusOK, &p)
	want := previewOf(frameGeometry(9, 20, 40, false))
	p.LeftEye, p.RightEye, p.FaceImage = nil, nil, nil
	if !reflect.DeepEqual(p, want) {
		t.Errorf("frame 20 after skipping 15 frames:\n got %+v\nwant %+v", p, want)
	}
	if s := h.dev.Stats(); s.FramesRendered != 2 || s.PreviewFrames != 3 {
		t.Errorf("rendered %d frames for %d previews, want 2 for 3", s.FramesRendered, s.PreviewFrames)
	}
}

func TestMatchTemplate(t *testing.T) {
	h := newHarness(t, Options{Seed: 4, CaptureDuration: time.Second})
	h.takeLock()
	h.setMode(ef45.ModeSlave)
	h.start("both_eye_mode", "true")
	h.clock.Advance(1100 * time.Millisecond)
	enrolled := h.biometric("/1.0/biometric-data/ver1").Items[0].Left.EnrolTemplate

	const seq = "11111111-2222-4333-8444-555555555555"
	path := "/1.0/camera/control/start/matchtemplate/" + seq
	if r := h.result(http.MethodPost, path, enrolled); r.Success || r.Status != codeWrongMode {
		t.Errorf("match template in Slave mode: %+v", r)
	}
	h.setMode(ef45.ModeRecog)
	h.callErr(http.MethodPost, h.url("/1.0/camera/control/start/matchtemplate/42"), enrolled, http.StatusBadRequest)
	h.callErr(http.MethodPost, h.url(path), raw(`""`), http.StatusBadRequest)
	h.callErr(http.MethodPost, h.url(path), raw(`{"template":1}`), http.StatusBadRequest)

	match := func(tpl []byte) ef45.MatchData {
		t.Helper()
		if r := h.result(http.MethodPost, path, tpl); !r.Success {
			t.Fatalf("match template: %+v", r)
		}
		var l ef45.List[ef45.MatchData]
		h.call(http.MethodGet, h.url("/1.0/match-data"), nil, http.StatusOK, &l)
		if len(l.Items) != 0 {
			t.Fatal("match data before the capture ended")
		}
		h.clock.Advance(600 * time.Millisecond)
		h.call(http.MethodGet, h.url("/1.0/match-data"), nil, http.StatusOK, &l)
		if len(l.Items) != 1 {
			t.Fatalf("match data items %d, want 1", len(l.Items))
		}
		m := l.Items[0]
		h.call(http.MethodDelete, h.url("/1.0/match-data/"+m.EncounterID), nil, http.StatusOK, nil)
		h.callErr(http.MethodDelete, h.url("/1.0/match-data/"+m.EncounterID), nil, http.StatusNotFound)
		return m
	}
	m := match(enrolled)
	if !bool(m.Matched) || m.Score < 0.68 || m.UserUUID != seq || !validUUID(m.EncounterID) {
		t.Errorf("same person: %+v", ef45.MatchData{EncounterID: m.EncounterID, UserUUID: m.UserUUID, Matched: m.Matched, Score: m.Score})
	}
	wantSize(t, "match face", decodeJPEG(t, "match face", m.FaceImage), previewFaceW, previewFaceH)
	if m := match(irisTemplate(4, 77, 0, 0, DefaultRecordVersion)); bool(m.Matched) || m.Score > 0.68 {
		t.Errorf("another person matched: score %v", m.Score)
	}
	if !hasLog(h.logs(), "Recognition", "MatchTemplate", "Matched") || !hasLog(h.logs(), "Recognition", "MatchTemplate", "NotMatched") {
		t.Error("match outcomes not logged")
	}
}
