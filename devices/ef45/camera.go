package ef45

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// Get reads the camera settings and serial number (GET /camera).
func (c *CameraService) Get(ctx context.Context) (CameraSettings, error) {
	var v CameraSettings
	err := c.s.get(ctx, "read camera settings", "camera", nil, &v, 0)
	return v, err
}

// Set changes the camera mode (ModeSlave, ModeRecog, ModeMaster) and audio (POST /camera).
func (c *CameraService) Set(ctx context.Context, mode string, audio bool) error {
	body := CameraSettings{CameraMode: mode, AudioEnabled: Bool(audio)}
	return c.s.send(ctx, "set camera mode", http.MethodPost, "camera", nil, body, &Result{})
}

// SetTime sets the device clock to t, in t's location
// (POST /camera/control/setDeviceTime/{MMddHHmmyyyy.ss}, see DeviceTimeLayout).
func (c *CameraService) SetTime(ctx context.Context, t time.Time) error {
	return c.s.send(ctx, "set device time", http.MethodPost,
		"camera/control/setDeviceTime/"+t.Format(DeviceTimeLayout), nil, nil, &Result{})
}

// errNoMode is returned before any call when no biometric mode is chosen.
var errNoMode = errors.New("choose at least one capture mode: face, glasses, both eyes or either eye")

// Start starts a capture (POST /camera/control/start). The camera must be in Slave mode
// and at least one biometric mode set (spec 003, "Start camera").
func (c *CameraService) Start(ctx context.Context, m StartModes) error {
	if !m.Any() {
		return local("start camera", errNoMode)
	}
	q := url.Values{}
	flag := func(name string, on bool) {
		if on {
			q.Set(name, "true")
		}
	}
	flag("face_mode", m.Face)
	flag("glasses_mode", m.Glasses)
	flag("both_eye_mode", m.BothEyes)
	flag("either_eye_mode", m.EitherEye)
	flag("streaming_mode", m.Streaming)
	flag("recog_mode", m.RecogFaster)
	return c.s.send(ctx, "start camera", http.MethodPost, "camera/control/start", q, nil, &Result{})
}

// Stop stops the camera (POST /camera/control/stop).
func (c *CameraService) Stop(ctx context.Context) error {
	return c.s.send(ctx, "stop camera", http.MethodPost, "camera/control/stop", nil, nil, &Result{})
}

// StartMatchTemplate starts a capture that is matched against template, e.g. one read
// from a card (POST /camera/control/start/matchtemplate/{seq_uid}); the camera must be in
// Recog mode. The result arrives as match data.
func (c *CameraService) StartMatchTemplate(ctx context.Context, seqUID string, template []byte) error {
	return c.s.send(ctx, "start match-template camera", http.MethodPost,
		"camera/control/start/matchtemplate/"+url.PathEscape(seqUID), nil, template, &Result{})
}

// Preview reads the latest preview frame (GET /preview).
func (c *CameraService) Preview(ctx context.Context) (*Preview, error) {
	var p Preview
	if err := c.s.do(ctx, call{name: "read preview", method: http.MethodGet, path: "preview", out: &p, limit: limitPreview}); err != nil {
		return nil, err
	}
	return &p, nil
}

// DecodePreview decodes a GET /preview answer.
func DecodePreview(data []byte) (*Preview, error) {
	var p Preview
	if err := unmarshal(data, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// DistanceMM is the person's distance from the camera in millimetres: the average the
// camera reports, or, when that is unknown (-1, specs/README.md), the mean of the eye
// distances it knows. Distances on the wire are in microns; known is false when the camera
// knows none.
func (p *Preview) DistanceMM() (mm int, known bool) {
	if p.AvgDistance > 0 {
		return int(p.AvgDistance / 1000), true
	}
	sum, n := Int(0), Int(0)
	for _, d := range []Int{p.LeftDistance, p.RightDistance} {
		if d > 0 {
			sum += d
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return int(sum / n / 1000), true
}

// HasFrame reports whether the preview carries an image (empty means "no frame yet").
func (p *Preview) HasFrame() bool {
	return len(p.LeftEye) > 0 || len(p.RightEye) > 0 || len(p.FaceImage) > 0
}

// Camera modes for POST /camera.
const (
	ModeSlave  = "Slave"
	ModeRecog  = "Recog"
	ModeMaster = "Master"
)

// CameraSettings is GET /camera; POST /camera sends CameraMode and AudioEnabled only.
type CameraSettings struct {
	SerialNumber string `json:"serial_number,omitempty"`
	CameraMode   string `json:"camera_mode"`
	AudioEnabled Bool   `json:"audio_enabled"`
}

// StartModes are the query flags of POST /camera/control/start; at least one of the four
// biometric modes must be set (spec 003, "Start camera").
type StartModes struct {
	Face        bool
	Glasses     bool
	BothEyes    bool
	EitherEye   bool
	Streaming   bool
	RecogFaster bool
}

// Any reports whether at least one biometric mode is set.
func (m StartModes) Any() bool { return m.Face || m.Glasses || m.BothEyes || m.EitherEye }

// Preview message codes (CMITech SDK headers, specs/README.md).
const (
	MessageNone           = 0
	MessageMoveDown       = 1
	MessageMoveUp         = 2
	MessageOpenEyes       = 3
	MessageTakeOffGlasses = 4
)

// Preview is GET /preview. Images are JPEG (eyes 640×480 grey, face colour, possibly
// reduced); an empty image means "no frame yet". Distances are in microns, -1 unknown.
// Spec 003 does not say which image the geometry refers to; we take the iris centres,
// iris radii and eye centres in pixels of the eye image of their side, and the left and
// right boundaries as the face's edges in pixels of face_image. The renderer and the
// simulator both follow this; only the renderer's overlay mapping would change with it.
type Preview struct {
	LeftEye          []byte `json:"left_eye"`
	RightEye         []byte `json:"right_eye"`
	FaceImage        []byte `json:"face_image"`
	AvgDistance      Int    `json:"avg_distance"`
	LeftBoundary     Int    `json:"left_boundary"`
	RightBoundary    Int    `json:"right_boundary"`
	LeftIrisCenterX  Int    `json:"left_iris_center_x"`
	RightIrisCenterX Int    `json:"right_iris_center_x"`
	LeftIrisCenterY  Int    `json:"left_iris_center_y"`
	RightIrisCenterY Int    `json:"right_iris_center_y"`
	LeftEyeCenterX   Int    `json:"left_eye_center_x"`
	RightEyeCenterX  Int    `json:"right_eye_center_x"`
	LeftEyeCenterY   Int    `json:"left_eye_center_y"`
	RightEyeCenterY  Int    `json:"right_eye_center_y"`
	LeftIrisRadius   Int    `json:"left_iris_radius"`
	RightIrisRadius  Int    `json:"right_iris_radius"`
	LeftDistance     Int    `json:"left_distance"`
	RightDistance    Int    `json:"right_distance"`
	Message          Int    `json:"message"`
	SwitchFlag       Bool   `json:"switch_flag"`
}

// DeviceTimeLayout formats the set-time path segment. specs/README.md: the spec's text says
// 'MMddhhmmyyy.ss' but its example 052014402018.30 is MM dd HH mm yyyy . ss, 24-hour.
const DeviceTimeLayout = "010215042006.05"
