package ef45sim

import (
	"net/http"
	"time"

	"enrollstation/devices/ef45"
)

// Camera start failures (CMITech SDK codes, specs/README.md).
const (
	codeAlreadyStarted = "-200"
	codeWrongMode      = "-202"
	codeNoMode         = "-205"
)

type captureKind int

const (
	captureEnrol captureKind = iota
	captureMatch
)

// capture is a running camera: a timeline from start to start+dur on the device clock.
type capture struct {
	kind     captureKind
	modes    ef45.StartModes
	start    time.Time
	dur      time.Duration
	frames   int
	person   int
	seq      string
	template []byte
}

func (c *capture) end() time.Time { return c.start.Add(c.dur) }

// frameAt is the index of the frame the camera shows at now; frames advance at the
// camera's rate whatever the client's polling rate.
func (c *capture) frameAt(now time.Time, fps int) int {
	k := int(now.Sub(c.start) * time.Duration(fps) / time.Second)
	return min(max(k, 0), c.frames-1)
}

func (d *Device) newCaptureLocked(kind captureKind, now time.Time, dur time.Duration) *capture {
	n := int(dur.Seconds()*float64(d.opts.FPS) + 0.5)
	return &capture{kind: kind, start: now, dur: dur, frames: max(n, 2)}
}

func (d *Device) handleCameraGet(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	s := ef45.CameraSettings{SerialNumber: d.opts.Serial, CameraMode: d.st.cameraMode, AudioEnabled: ef45.Bool(d.st.audio)}
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, s)
}

// handleCameraSet changes the camera mode and audio. Spec 003: after it, the preview is
// deleted, so a running capture stops.
func (d *Device) handleCameraSet(w http.ResponseWriter, r *http.Request) {
	var s struct {
		CameraMode   *string    `json:"camera_mode"`
		AudioEnabled *ef45.Bool `json:"audio_enabled"`
	}
	if err := decodeBody(w, r, maxJSONBody, &s); err != nil {
		writeError(w, http.StatusBadRequest, "camera settings: "+err.Error())
		return
	}
	if s.CameraMode != nil {
		switch *s.CameraMode {
		case ef45.ModeSlave, ef45.ModeRecog, ef45.ModeMaster:
		default:
			d.logEvent("Config", "CameraMode", "Fail", "")
			writeResult(w, false, "unknown camera mode "+quote(*s.CameraMode)+": use Slave, Recog or Master")
			return
		}
	}
	now := d.now()
	d.mu.Lock()
	if s.CameraMode != nil {
		d.st.cameraMode = *s.CameraMode
	}
	if s.AudioEnabled != nil {
		d.st.audio = bool(*s.AudioEnabled)
	}
	d.st.camera = nil
	d.logEventLocked(now, "Config", "CameraMode", "Success", "")
	d.mu.Unlock()
	writeResult(w, true, "OK")
}

// handleSetTime sets the device clock; the path segment is MMddHHmmyyyy.ss in 24-hour time
// (specs/README.md, ef45.DeviceTimeLayout).
func (d *Device) handleSetTime(w http.ResponseWriter, r *http.Request) {
	seg := r.PathValue("time")
	t, err := time.Parse(ef45.DeviceTimeLayout, seg)
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.logEventLocked(now, "Config", "SetDeviceTime", "Fail", "")
		writeResult(w, false, "device time "+quote(seg)+" is not MMddHHmmyyyy.ss (e.g. 052014402018.30)")
		return
	}
	d.st.clockOffset = t.Sub(now).Round(time.Second)
	d.logEventLocked(now, "Config", "SetDeviceTime", "Success", "")
	writeResult(w, true, "OK")
}

func (d *Device) handleStart(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var m ef45.StartModes
	for _, f := range []struct {
		name string
		v    *bool
	}{
		{"face_mode", &m.Face}, {"glasses_mode", &m.Glasses}, {"both_eye_mode", &m.BothEyes},
		{"either_eye_mode", &m.EitherEye}, {"streaming_mode", &m.Streaming}, {"recog_mode", &m.RecogFaster},
	} {
		v, err := queryBool(q, f.name)
		if err != nil {
			writeError(w, http.StatusBadRequest, "start camera: "+err.Error())
			return
		}
		*f.v = v
	}
	now := d.now()
	d.mu.Lock()
	status := ""
	switch {
	case d.st.camera != nil:
		status = codeAlreadyStarted
	case d.st.cameraMode != ef45.ModeSlave:
		status = codeWrongMode
	case !m.Any():
		status = codeNoMode
	}
	if status != "" {
		d.logEventLocked(now, "Camera", "StartCamera", "Fail", "")
		d.mu.Unlock()
		writeResult(w, false, status)
		return
	}
	dur := d.opts.CaptureDuration
	if m.RecogFaster {
		dur = dur * 2 / 3 // recognition settings capture faster (spec 003, recog_mode)
	}
	c := d.newCaptureLocked(captureEnrol, now, dur)
	c.modes = m
	c.person = d.st.nextPerson
	d.st.nextPerson++
	d.st.camera = c
	d.st.stats.CapturesStarted++
	d.logEventLocked(now, "Camera", "StartCamera", "Success", "")
	d.mu.Unlock()
	go d.heavy.prepare(m, false) // draw the capture images while the person is being guided
	writeResult(w, true, "OK")
}

func (d *Device) handleStop(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	running := d.st.camera != nil
	d.st.camera = nil
	d.logEventLocked(now, "Camera", "StopCamera", "Success", "")
	d.mu.Unlock()
	if !running {
		writeResult(w, true, "camera was not running")
		return
	}
	writeResult(w, true, "OK")
}

// handleMatchTemplate starts a capture in Recog mode whose iris template is compared with
// the one in the body (spec 003, "Start camera to match template"); the outcome is a
// match-data item.
func (d *Device) handleMatchTemplate(w http.ResponseWriter, r *http.Request) {
	seq := r.PathValue("seq")
	if !validUUID(seq) {
		writeError(w, http.StatusBadRequest, "match template: seq_uid "+quote(seq)+" is not a uuid (8-4-4-4-12)")
		return
	}
	var tpl []byte
	if err := decodeBody(w, r, maxJSONBody, &tpl); err != nil {
		writeError(w, http.StatusBadRequest, "match template: the body must be the template as a base64 JSON string: "+err.Error())
		return
	}
	if len(tpl) == 0 {
		writeError(w, http.StatusBadRequest, "match template: the template is empty")
		return
	}
	now := d.now()
	d.mu.Lock()
	status := ""
	switch {
	case d.st.camera != nil:
		status = codeAlreadyStarted
	case d.st.cameraMode != ef45.ModeRecog:
		status = codeWrongMode
	}
	if status != "" {
		d.logEventLocked(now, "Camera", "StartMatchTemplate", "Fail", "")
		d.mu.Unlock()
		writeResult(w, false, status)
		return
	}
	c := d.newCaptureLocked(captureMatch, now, d.opts.CaptureDuration/2)
	c.modes = ef45.StartModes{BothEyes: true}
	c.person = d.st.lastPerson // the person who just enrolled presents their card
	if c.person == 0 {
		c.person = d.st.nextPerson
	}
	c.seq, c.template = seq, tpl
	d.st.camera = c
	d.st.stats.CapturesStarted++
	d.logEventLocked(now, "Camera", "StartMatchTemplate", "Success", "")
	d.mu.Unlock()
	go d.heavy.prepare(ef45.StartModes{}, true)
	writeResult(w, true, "OK")
}

// completeCaptureLocked ends a capture whose time is up: the camera stops by itself and
// the data appears in the biometric-data or match-data buffer.
func (d *Device) completeCaptureLocked(c *capture) {
	d.st.camera = nil
	d.st.captureCount++
	d.st.stats.CapturesCompleted++
	at := c.end()
	switch c.kind {
	case captureEnrol:
		it := d.newBioItemLocked(c, at)
		d.st.bio = append(d.st.bio, it)
		if len(d.st.bio) > maxBuffered {
			d.st.bio = d.st.bio[len(d.st.bio)-maxBuffered:]
		}
		d.st.bioGen++
		d.st.lastPerson = c.person
		d.logEventLocked(at, "Camera", "Capture", "Success", "")
	case captureMatch:
		m := d.newMatchLocked(c, at)
		d.st.matches = append(d.st.matches, m)
		if len(d.st.matches) > maxBuffered {
			d.st.matches = d.st.matches[len(d.st.matches)-maxBuffered:]
		}
		result := "NotMatched"
		if m.Matched {
			result = "Matched"
		}
		d.logEventLocked(at, "Recognition", "MatchTemplate", result, c.seq)
	}
}

func (d *Device) handlePreview(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	c := d.st.camera
	var key frameKey
	if c != nil {
		key = frameKey{k: c.frameAt(now, d.opts.FPS), n: c.frames, glasses: c.modes.Glasses}
		d.st.stats.PreviewFrames++
	}
	d.mu.Unlock()
	if c == nil {
		writeJSON(w, http.StatusOK, idlePreview())
		return
	}
	writeRaw(w, http.StatusOK, d.frame(key))
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return `"` + s + `"`
}
