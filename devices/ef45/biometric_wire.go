package ef45

import "encoding/json"

// biometricWire is the flat wire shape of BiometricData (ef45-wire.md "Items"); its text
// fields are Text, so an id or a message sent as a number decodes. It is spelled out field by field
// so that encoding/json decodes the ~5 MB of base64 straight into the final slices.
type biometricWire struct {
	EncounterID  Text      `json:"encounter_id"`
	Timestamp    Timestamp `json:"timestamp"`
	SerialNumber Text      `json:"serial_number"`
	ErrorMessage Text      `json:"error_message"`

	LeftEye               []byte `json:"left_eye"`
	LeftEyeUsableIrisArea Int    `json:"left_eye_usable_iris_area"`
	LeftEyeQualityScore   Int    `json:"left_eye_quality_score"`
	LeftEyeQualityOK      Bool   `json:"left_eye_quality_ok"`
	LeftEyeEnrolTemplate  []byte `json:"left_eye_enrol_template"`
	LeftEyeDuplicateUUID  Text   `json:"left_eye_duplicate_uuid"`

	RightEye               []byte `json:"right_eye"`
	RightEyeUsableIrisArea Int    `json:"right_eye_usable_iris_area"`
	RightEyeQualityScore   Int    `json:"right_eye_quality_score"`
	RightEyeQualityOK      Bool   `json:"right_eye_quality_ok"`
	RightEyeEnrolTemplate  []byte `json:"right_eye_enrol_template"`
	RightEyeDuplicateUUID  Text   `json:"right_eye_duplicate_uuid"`

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
		EncounterID:  string(w.EncounterID),
		Timestamp:    w.Timestamp,
		SerialNumber: string(w.SerialNumber),
		ErrorMessage: string(w.ErrorMessage),
		Left: Eye{w.LeftEye, w.LeftEyeUsableIrisArea, w.LeftEyeQualityScore, w.LeftEyeQualityOK,
			w.LeftEyeEnrolTemplate, string(w.LeftEyeDuplicateUUID)},
		Right: Eye{w.RightEye, w.RightEyeUsableIrisArea, w.RightEyeQualityScore, w.RightEyeQualityOK,
			w.RightEyeEnrolTemplate, string(w.RightEyeDuplicateUUID)},
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
		EncounterID: Text(d.EncounterID), Timestamp: d.Timestamp, SerialNumber: Text(d.SerialNumber),
		ErrorMessage: Text(d.ErrorMessage),
		LeftEye:      d.Left.Image, LeftEyeUsableIrisArea: d.Left.UsableIrisArea,
		LeftEyeQualityScore: d.Left.QualityScore, LeftEyeQualityOK: d.Left.QualityOK,
		LeftEyeEnrolTemplate: d.Left.EnrolTemplate, LeftEyeDuplicateUUID: Text(d.Left.DuplicateUUID),
		RightEye: d.Right.Image, RightEyeUsableIrisArea: d.Right.UsableIrisArea,
		RightEyeQualityScore: d.Right.QualityScore, RightEyeQualityOK: d.Right.QualityOK,
		RightEyeEnrolTemplate: d.Right.EnrolTemplate, RightEyeDuplicateUUID: Text(d.Right.DuplicateUUID),
		faceWireIrisOff: faceWireIrisOff(d.Faces[FaceIrisOff]),
		faceWireFarOff:  faceWireFarOff(d.Faces[FaceFarOff]),
		faceWireFarOn:   faceWireFarOn(d.Faces[FaceFarOn]),
		faceWireNearOff: faceWireNearOff(d.Faces[FaceNearOff]),
		faceWireNearOn:  faceWireNearOn(d.Faces[FaceNearOn]),
	}
	return json.Marshal(w)
}
