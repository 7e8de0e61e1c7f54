package ef45

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// List returns the buffered biometric data. The endpoint follows the device version read
// when the session opened: /biometric-data up to 1.2.33, /biometric-data/ver1 from 1.2.34
// (spec 003; specs/README.md). An item is ~5 MB.
func (b *BiometricService) List(ctx context.Context) ([]BiometricData, error) {
	path := "biometric-data"
	if UsesVer1(b.s.version) {
		path = "biometric-data/ver1"
	}
	var items []BiometricData
	err := b.s.do(ctx, call{name: "read biometric data", method: http.MethodGet, path: path, limit: limitLarge,
		decode: func(data []byte) (err error) {
			items, err = DecodeBiometricList(data)
			return err
		}})
	return items, err
}

// Delete empties one item from the buffer (DELETE /biometric-data/{encounter_id}).
func (b *BiometricService) Delete(ctx context.Context, encounterID string) error {
	return b.s.send(ctx, "delete biometric data", http.MethodDelete, "biometric-data/"+url.PathEscape(encounterID), nil, nil, nil)
}

// Clear deletes every buffered item; spec 003 asks for it before a capture starts.
func (b *BiometricService) Clear(ctx context.Context) (int, error) {
	items, err := b.List(ctx)
	if err != nil {
		return 0, err
	}
	for i, it := range items {
		if err := b.Delete(ctx, it.EncounterID); err != nil && !errors.Is(err, ErrNotFound) {
			return i, err
		}
	}
	return len(items), nil
}

// Save8BMP asks the device to save an iris image as an 8-bit bitmap under name
// ("lefteye.bmp", "righteye.bmp") (PUT /biometric-data/save-8bmp).
func (b *BiometricService) Save8BMP(ctx context.Context, name string) error {
	return b.s.send(ctx, "save iris bitmap", http.MethodPut, "biometric-data/save-8bmp", nil, name, nil)
}

// Save24BMP asks the device to save a face image as a 24-bit bitmap under name
// ("irisoff.bmp", "faroff.bmp", "faron.bmp", "nearoff.bmp", "nearon.bmp").
func (b *BiometricService) Save24BMP(ctx context.Context, name string) error {
	return b.s.send(ctx, "save face bitmap", http.MethodPut, "biometric-data/save-24bmp", nil, name, nil)
}

// LoadFile reads an image file from the device image folder, e.g. "{uuid}_lefteye.jpg" or
// "pc_enroll_logo.png" (GET /biometric-data/load-file).
func (b *BiometricService) LoadFile(ctx context.Context, filename string) ([]byte, error) {
	var f LoadedFile
	if err := b.s.get(ctx, "load file "+filename, "biometric-data/load-file", url.Values{"filename": {filename}}, &f, limitLarge); err != nil {
		return nil, err
	}
	// Size is not checked against the bytes: firmware counts the base64 text, or the file
	// on disk, and the bytes decoded are what the device sent.
	return f.File, nil
}

// SaveFile writes a file to the device image folder, e.g. the enrollment logo
// "pc_enroll_logo.png" (PUT /biometric-data/save-file; body: the bytes in base64).
func (b *BiometricService) SaveFile(ctx context.Context, filename string, data []byte) error {
	return b.s.send(ctx, "save file "+filename, http.MethodPut, "biometric-data/save-file", url.Values{"filename": {filename}}, data, nil)
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

// LoadedFile is GET /biometric-data/load-file. Size is what the device says; it is not
// the length of File on every firmware.
type LoadedFile struct {
	File []byte `json:"file"`
	Size Int    `json:"size"`
}
