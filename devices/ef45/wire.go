package ef45

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file is the EF-45 wire model: the one place where the gaps and contradictions of
// spec 003 are settled (see specs/README.md and specs/ef45-wire.md). Decoding is lenient
// (unknown fields, missing fields, numbers sent as strings); encoding uses the documented
// shape. The simulator serves exactly these shapes.

// Int is a JSON integer that also decodes from a numeric string or a float (truncated),
// because the device firmware is not consistent about quoting numbers (ef45-wire.md).
type Int int64

// UnmarshalJSON accepts 12, 12.7, "12", "" and null.
func (n *Int) UnmarshalJSON(b []byte) error {
	s := unquoteNumber(b)
	if s == "" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("ef45: %q is not an integer", s)
	}
	*n = Int(f)
	return nil
}

// Float is a JSON number that also decodes from a numeric string.
type Float float64

// UnmarshalJSON accepts 1.5, "1.5", "" and null.
func (f *Float) UnmarshalJSON(b []byte) error {
	s := unquoteNumber(b)
	if s == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("ef45: %q is not a number", s)
	}
	*f = Float(v)
	return nil
}

// Bool is a JSON boolean that also decodes from "true"/"false" strings and 0/1.
type Bool bool

// UnmarshalJSON accepts true, "true", 1, "1" and their opposites; null is false.
func (v *Bool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(unquoteNumber(b)) {
	case "true", "1":
		*v = true
	case "false", "0", "":
		*v = false
	default:
		return fmt.Errorf("ef45: %s is not a boolean", b)
	}
	return nil
}

// Timestamp is a device time. Spec 003 shows RFC 3339 with Z ("2018-05-28T14:26:26Z");
// values without a zone are taken as UTC, and an unparseable value decodes to the zero
// time rather than failing a whole list (the raw text is kept in Raw).
type Timestamp struct {
	time.Time
	Raw string
}

var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// UnmarshalJSON parses the layouts the device is seen to send.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		s = string(bytes.Trim(b, `"`))
	}
	*t = Timestamp{Raw: s}
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			break
		}
	}
	return nil
}

// MarshalJSON writes RFC 3339 in UTC, or the raw text when the time did not parse.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.Time.IsZero() {
		return json.Marshal(t.Raw)
	}
	return json.Marshal(t.Time.UTC().Format(time.RFC3339))
}

func unquoteNumber(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return ""
	}
	return strings.TrimSpace(strings.Trim(s, `"`))
}

// List is the envelope of every list answer (ef45-wire.md "Envelopes").
type List[T any] struct {
	StatusCode   Int    `json:"status_code"`
	ReasonPhrase string `json:"reason_phrase"`
	Items        []T    `json:"items"`
	Page         Int    `json:"page"`
	PageSize     Int    `json:"page_size"`
	HasMore      Bool   `json:"has_more"`
	Total        Int    `json:"total"`
}

// Result is the answer of camera control and control calls. On failure Status carries the
// SDK code when there is one ("-200" already started).
type Result struct {
	Success Bool   `json:"success"`
	Status  string `json:"status"`
}

// errorBody is the body of a 4xx/5xx answer.
type errorBody struct {
	StatusCode   Int    `json:"status_code"`
	ReasonPhrase string `json:"reason_phrase"`
}

// Lock is the answer of POST/PUT /lock. specs/README.md: the lock object is {locked, lock_uid}.
type Lock struct {
	Locked  Bool   `json:"locked"`
	LockUID string `json:"lock_uid"`
}

// Version is the answer of GET /version.
type Version struct {
	Version string `json:"version"`
}

// RecordVersion is the answer of GET /subjects/record-version.
type RecordVersion struct {
	RecordVersion Int `json:"record_version"`
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

// Eye is one eye of a biometric-data item.
type Eye struct {
	Image          []byte // JPEG, 640×480 grey
	UsableIrisArea Int    // percent
	QualityScore   Int
	QualityOK      Bool
	EnrolTemplate  []byte
	DuplicateUUID  string // non-empty: the device found this iris enrolled under that subject
}

// FaceVariant names one of the five face images of a biometric-data item.
type FaceVariant int

// The face variants, in wire order (CMITech SDK: iris-off, far-off colour, far-on B/W,
// near-off colour with glasses, near-on B/W with glasses).
const (
	FaceIrisOff FaceVariant = iota
	FaceFarOff
	FaceFarOn
	FaceNearOff
	FaceNearOn
	faceVariants
)

// FaceVariants lists every variant, in wire order.
func FaceVariants() []FaceVariant {
	return []FaceVariant{FaceIrisOff, FaceFarOff, FaceFarOn, FaceNearOff, FaceNearOn}
}

// String is the wire prefix of the variant, e.g. "far_off_face".
func (v FaceVariant) String() string {
	switch v {
	case FaceIrisOff:
		return "iris_off_face"
	case FaceFarOff:
		return "far_off_face"
	case FaceFarOn:
		return "far_on_face"
	case FaceNearOff:
		return "near_off_face"
	case FaceNearOn:
		return "near_on_face"
	}
	return "face_" + strconv.Itoa(int(v))
}

// Face is one face variant of a biometric-data item.
type Face struct {
	Image         []byte // JPEG, 720×960 colour (B/W variants are grey)
	Feature       []byte // face template
	FeatureSize   Int
	FrontalScore  Float
	Roll          Float
	Score         Float
	EyeWidth      Int
	LeftEyeX      Int
	RightEyeX     Int
	LEDState      Int
	DuplicateUUID string
}

// Empty reports whether the variant carries nothing.
func (f Face) Empty() bool { return len(f.Image) == 0 && len(f.Feature) == 0 }

// BiometricData is one item of GET /biometric-data(/ver1). On the wire it is flat
// (ef45-wire.md "Items"); here the eyes and face variants are grouped.
type BiometricData struct {
	EncounterID  string
	Timestamp    Timestamp
	SerialNumber string
	ErrorMessage string
	Left, Right  Eye
	Faces        [faceVariants]Face
}

// biometricWire is the flat wire shape of BiometricData. It is spelled out field by field
// so that encoding/json decodes the ~5 MB of base64 straight into the final slices.
type biometricWire struct {
	EncounterID  string    `json:"encounter_id"`
	Timestamp    Timestamp `json:"timestamp"`
	SerialNumber string    `json:"serial_number"`
	ErrorMessage string    `json:"error_message"`

	LeftEye               []byte `json:"left_eye"`
	LeftEyeUsableIrisArea Int    `json:"left_eye_usable_iris_area"`
	LeftEyeQualityScore   Int    `json:"left_eye_quality_score"`
	LeftEyeQualityOK      Bool   `json:"left_eye_quality_ok"`
	LeftEyeEnrolTemplate  []byte `json:"left_eye_enrol_template"`
	LeftEyeDuplicateUUID  string `json:"left_eye_duplicate_uuid"`

	RightEye               []byte `json:"right_eye"`
	RightEyeUsableIrisArea Int    `json:"right_eye_usable_iris_area"`
	RightEyeQualityScore   Int    `json:"right_eye_quality_score"`
	RightEyeQualityOK      Bool   `json:"right_eye_quality_ok"`
	RightEyeEnrolTemplate  []byte `json:"right_eye_enrol_template"`
	RightEyeDuplicateUUID  string `json:"right_eye_duplicate_uuid"`

	faceWireIrisOff
	faceWireFarOff
	faceWireFarOn
	faceWireNearOff
	faceWireNearOn
}

// The five face variants differ only in their prefix. encoding/json flattens embedded
// structs, so each variant is a struct type with its own tags, embedded above.
type faceWireIrisOff struct {
	Image         []byte `json:"iris_off_face"`
	Feature       []byte `json:"iris_off_face_feature"`
	FeatureSize   Int    `json:"iris_off_face_feature_size"`
	FrontalScore  Float  `json:"iris_off_face_frontal_score"`
	Roll          Float  `json:"iris_off_face_roll"`
	Score         Float  `json:"iris_off_face_score"`
	EyeWidth      Int    `json:"iris_off_face_eye_width"`
	LeftEyeX      Int    `json:"iris_off_face_left_eye_x"`
	RightEyeX     Int    `json:"iris_off_face_right_eye_x"`
	LEDState      Int    `json:"iris_off_face_led_state"`
	DuplicateUUID string `json:"iris_off_face_duplicate_uuid"`
}

type faceWireFarOff struct {
	Image         []byte `json:"far_off_face"`
	Feature       []byte `json:"far_off_face_feature"`
	FeatureSize   Int    `json:"far_off_face_feature_size"`
	FrontalScore  Float  `json:"far_off_face_frontal_score"`
	Roll          Float  `json:"far_off_face_roll"`
	Score         Float  `json:"far_off_face_score"`
	EyeWidth      Int    `json:"far_off_face_eye_width"`
	LeftEyeX      Int    `json:"far_off_face_left_eye_x"`
	RightEyeX     Int    `json:"far_off_face_right_eye_x"`
	LEDState      Int    `json:"far_off_face_led_state"`
	DuplicateUUID string `json:"far_off_face_duplicate_uuid"`
}

type faceWireFarOn struct {
	Image         []byte `json:"far_on_face"`
	Feature       []byte `json:"far_on_face_feature"`
	FeatureSize   Int    `json:"far_on_face_feature_size"`
	FrontalScore  Float  `json:"far_on_face_frontal_score"`
	Roll          Float  `json:"far_on_face_roll"`
	Score         Float  `json:"far_on_face_score"`
	EyeWidth      Int    `json:"far_on_face_eye_width"`
	LeftEyeX      Int    `json:"far_on_face_left_eye_x"`
	RightEyeX     Int    `json:"far_on_face_right_eye_x"`
	LEDState      Int    `json:"far_on_face_led_state"`
	DuplicateUUID string `json:"far_on_face_duplicate_uuid"`
}

type faceWireNearOff struct {
	Image         []byte `json:"near_off_face"`
	Feature       []byte `json:"near_off_face_feature"`
	FeatureSize   Int    `json:"near_off_face_feature_size"`
	FrontalScore  Float  `json:"near_off_face_frontal_score"`
	Roll          Float  `json:"near_off_face_roll"`
	Score         Float  `json:"near_off_face_score"`
	EyeWidth      Int    `json:"near_off_face_eye_width"`
	LeftEyeX      Int    `json:"near_off_face_left_eye_x"`
	RightEyeX     Int    `json:"near_off_face_right_eye_x"`
	LEDState      Int    `json:"near_off_face_led_state"`
	DuplicateUUID string `json:"near_off_face_duplicate_uuid"`
}

type faceWireNearOn struct {
	Image         []byte `json:"near_on_face"`
	Feature       []byte `json:"near_on_face_feature"`
	FeatureSize   Int    `json:"near_on_face_feature_size"`
	FrontalScore  Float  `json:"near_on_face_frontal_score"`
	Roll          Float  `json:"near_on_face_roll"`
	Score         Float  `json:"near_on_face_score"`
	EyeWidth      Int    `json:"near_on_face_eye_width"`
	LeftEyeX      Int    `json:"near_on_face_left_eye_x"`
	RightEyeX     Int    `json:"near_on_face_right_eye_x"`
	LEDState      Int    `json:"near_on_face_led_state"`
	DuplicateUUID string `json:"near_on_face_duplicate_uuid"`
}

// UnmarshalJSON decodes the flat wire item.
func (d *BiometricData) UnmarshalJSON(b []byte) error {
	var w biometricWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	d.fromWire(&w)
	return nil
}

func (d *BiometricData) fromWire(w *biometricWire) {
	*d = BiometricData{
		EncounterID:  w.EncounterID,
		Timestamp:    w.Timestamp,
		SerialNumber: w.SerialNumber,
		ErrorMessage: w.ErrorMessage,
		Left: Eye{w.LeftEye, w.LeftEyeUsableIrisArea, w.LeftEyeQualityScore, w.LeftEyeQualityOK,
			w.LeftEyeEnrolTemplate, w.LeftEyeDuplicateUUID},
		Right: Eye{w.RightEye, w.RightEyeUsableIrisArea, w.RightEyeQualityScore, w.RightEyeQualityOK,
			w.RightEyeEnrolTemplate, w.RightEyeDuplicateUUID},
	}
	d.Faces[FaceIrisOff] = Face(w.faceWireIrisOff)
	d.Faces[FaceFarOff] = Face(w.faceWireFarOff)
	d.Faces[FaceFarOn] = Face(w.faceWireFarOn)
	d.Faces[FaceNearOff] = Face(w.faceWireNearOff)
	d.Faces[FaceNearOn] = Face(w.faceWireNearOn)
}

// MarshalJSON encodes the flat wire item.
func (d BiometricData) MarshalJSON() ([]byte, error) {
	w := biometricWire{
		EncounterID: d.EncounterID, Timestamp: d.Timestamp, SerialNumber: d.SerialNumber,
		ErrorMessage: d.ErrorMessage,
		LeftEye:      d.Left.Image, LeftEyeUsableIrisArea: d.Left.UsableIrisArea,
		LeftEyeQualityScore: d.Left.QualityScore, LeftEyeQualityOK: d.Left.QualityOK,
		LeftEyeEnrolTemplate: d.Left.EnrolTemplate, LeftEyeDuplicateUUID: d.Left.DuplicateUUID,
		RightEye: d.Right.Image, RightEyeUsableIrisArea: d.Right.UsableIrisArea,
		RightEyeQualityScore: d.Right.QualityScore, RightEyeQualityOK: d.Right.QualityOK,
		RightEyeEnrolTemplate: d.Right.EnrolTemplate, RightEyeDuplicateUUID: d.Right.DuplicateUUID,
		faceWireIrisOff: faceWireIrisOff(d.Faces[FaceIrisOff]),
		faceWireFarOff:  faceWireFarOff(d.Faces[FaceFarOff]),
		faceWireFarOn:   faceWireFarOn(d.Faces[FaceFarOn]),
		faceWireNearOff: faceWireNearOff(d.Faces[FaceNearOff]),
		faceWireNearOn:  faceWireNearOn(d.Faces[FaceNearOn]),
	}
	return json.Marshal(w)
}

// Subject is a subject record (the object spec 003 shows for GET /subjects/{uuid}); also
// the body of POST /subjects and PUT /subjects/{uuid}.
type Subject struct {
	UserUUID         string `json:"user_uuid"`
	RecordVersion    Int    `json:"record_version"`
	LastName         string `json:"last_name"`
	AccessAllowed    Bool   `json:"access_allowed"`
	FirstName        string `json:"first_name"`
	MatchUntil       string `json:"match_until"`
	WiegandFacility  Int    `json:"wiegand_facility"`
	WiegandSite      Int    `json:"wiegand_site"`
	WiegandCode      Int    `json:"wiegand_code"`
	WiegandCustom    Int    `json:"wiegand_custom"`
	LeftEyeTemplate  []byte `json:"left_eye_template"`
	RightEyeTemplate []byte `json:"right_eye_template"`
	LeftImagePath    Int    `json:"left_image_path"`
	RightImagePath   Int    `json:"right_image_path"`
}

// UserInfo is a user-info record (spec 003, GET /user-info/uuid/{uuid}). Card is hex bytes
// separated by spaces ("65 D8 A1 BD"). "indivisual" is the spec's spelling.
type UserInfo struct {
	UserUUID                    string `json:"user_uuid"`
	Card                        string `json:"card"`
	PIN                         string `json:"pin"`
	Admin                       Int    `json:"admin"`
	GroupIndex                  Int    `json:"group_index"`
	ByPassCard                  Int    `json:"by_pass_card"`
	Individual                  Int    `json:"indivisual"`
	ThreeOutStatus              Int    `json:"three_out_status"`
	ThreeOutStatusAccessAllowed Int    `json:"three_out_status_access_allowed"`
	JobCode                     Int    `json:"job_code"`
	TimeScheduleCode            Int    `json:"time_schedule_code"`
	APBStatus                   Int    `json:"apb_status"`
	Message                     string `json:"message"`
}

// Face sub ids (spec 003, GET /faces/{uuid}).
const (
	SubColourFace    = 0
	SubBWFace        = 1
	SubColourGlasses = 2
	SubBWGlasses     = 3
	SubColourUpdated = 4
	SubBWUpdated     = 5
)

// FaceRecord is a face item of /faces (ef45-wire.md "Items").
type FaceRecord struct {
	UserUUID     string `json:"user_uuid"`
	SubID        Int    `json:"sub_id"`
	Image        []byte `json:"face_image"`
	Feature      []byte `json:"face_feature"`
	FeatureSize  Int    `json:"face_feature_size"`
	EyeWidth     Int    `json:"face_eye_width"`
	LeftEyeX     Int    `json:"face_left_eye_x"`
	RightEyeX    Int    `json:"face_right_eye_x"`
	FrontalScore Float  `json:"face_frontal_score"`
	Roll         Float  `json:"face_roll"`
	Score        Float  `json:"face_score"`
}

// BatchUser is the body of POST /user: a subject with its user info and faces.
type BatchUser struct {
	Subject
	UserInfo *UserInfo    `json:"user_info,omitempty"`
	Faces    []FaceRecord `json:"faces,omitempty"`
}

// DuplicateCheck is the body of PUT /subjects/is-exist/template.
type DuplicateCheck struct {
	LeftEyeTemplate  []byte `json:"left_eye_template"`
	RightEyeTemplate []byte `json:"right_eye_template"`
}

// DuplicateResult is its answer; an empty DuplicateUUID means no duplicate.
type DuplicateResult struct {
	DuplicateUUID string `json:"duplicate_uuid"`
}

// ConfigValue is GET /config/{title}/{type}: the value sits in the field named by the type.
type ConfigValue struct {
	Title  string `json:"title"`
	Bool   Bool   `json:"bool"`
	Float  Float  `json:"float"`
	Int    Int    `json:"int"`
	String string `json:"string"`
}

// Config value types, the {type} path segment.
const (
	ConfigBool   = "bool"
	ConfigFloat  = "float"
	ConfigInt    = "int"
	ConfigString = "string"
)

// DoorStatus is GET /config/door-status.
type DoorStatus struct {
	DoorSensor Int `json:"door_sensor"`
	Relay      Int `json:"relay"`
	Tamper     Int `json:"tamper"`
	RTE        Int `json:"rte"`
}

// MatchData is an item of GET /match-data.
type MatchData struct {
	EncounterID string    `json:"encounter_id"`
	Timestamp   Timestamp `json:"timestamp"`
	UserUUID    string    `json:"user_uuid"`
	Matched     Bool      `json:"matched"`
	Score       Float     `json:"score"`
	FaceImage   []byte    `json:"face_image"`
}

// LogEntry is an item of GET /logs (the object spec 003 shows).
type LogEntry struct {
	ID                   Int       `json:"id"`
	EventType            string    `json:"event_type"`
	Timestamp            Timestamp `json:"timestamp"`
	UserUUID             string    `json:"user_uuid"`
	Info                 string    `json:"info"`
	AdditionalData       string    `json:"additional_data"`
	MatchedFaceImageData []byte    `json:"matched_faceimage_data"`
}

// LoadedFile is GET /biometric-data/load-file.
type LoadedFile struct {
	File []byte `json:"file"`
	Size Int    `json:"size"`
}

// FirmwareDone is the answer of /update/done.
type FirmwareDone struct {
	File string `json:"file"`
}

// CardData is GET /control/card/data; Card is empty until a card is presented.
type CardData struct {
	Card string `json:"card"`
}

// FirmwareUnitSize is the number of file bytes per firmware unit (ef45-wire.md: 1 MiB,
// base64-encoded on the wire; the last unit may be shorter).
const FirmwareUnitSize = 1 << 20

// DeviceTimeLayout formats the set-time path segment. specs/README.md: the spec's text says
// 'MMddhhmmyyy.ss' but its example 052014402018.30 is MM dd HH mm yyyy . ss, 24-hour.
const DeviceTimeLayout = "010215042006.05"
