package capture

import (
	"strconv"

	"enrollstation/devices/ef45"
	"enrollstation/store"
)

// faceVariantNames are the journal's variant names of the face variants, in wire order.
var faceVariantNames = [...]string{
	ef45.FaceIrisOff: "iris_off",
	ef45.FaceFarOff:  "far_off",
	ef45.FaceFarOn:   "far_on",
	ef45.FaceNearOff: "near_off",
	ef45.FaceNearOn:  "near_on",
}

// FaceVariantName is the journal's variant name of a face variant ("far_off", ...).
func FaceVariantName(v ef45.FaceVariant) string {
	if v < 0 || int(v) >= len(faceVariantNames) {
		return v.String()
	}
	return faceVariantNames[v]
}

const jpegType = "image/jpeg"

// ToStore turns a biometric item into a journal capture: per eye ("left", "right") its
// image and enrolment template, per face variant its image and feature, and the colour
// face without glasses (far_off) again as the Photo, with the camera's quality figures.
// Empty parts are left out. The caller sets Operator (and StartedAt, the geometry figures)
// before saving.
func ToStore(d *ef45.BiometricData) store.Capture {
	c := store.Capture{
		DeviceSerial: d.SerialNumber,
		EncounterID:  d.EncounterID,
		CapturedAt:   d.Timestamp.Time,
	}
	add := func(kind store.BlobKind, variant, media string, data []byte) {
		if len(data) > 0 {
			c.Blobs = append(c.Blobs, store.Blob{Kind: kind, Variant: variant, MediaType: media, Data: data})
		}
	}
	for _, e := range []struct {
		name string
		eye  ef45.Eye
	}{{"left", d.Left}, {"right", d.Right}} {
		if len(e.eye.Image) == 0 && len(e.eye.EnrolTemplate) == 0 {
			continue
		}
		add(store.EyeImage, e.name, jpegType, e.eye.Image)
		add(store.EyeTemplate, e.name, "", e.eye.EnrolTemplate)
		c.Quality.Eyes = append(c.Quality.Eyes, store.EyeQuality{
			Eye: e.name, UsableIrisArea: int(e.eye.UsableIrisArea), QualityScore: int(e.eye.QualityScore),
			QualityOK: bool(e.eye.QualityOK), DuplicateOf: e.eye.DuplicateUUID,
		})
	}
	for _, v := range ef45.FaceVariants() {
		f := d.Faces[v]
		if f.Empty() {
			continue
		}
		name := FaceVariantName(v)
		add(store.FaceImage, name, jpegType, f.Image)
		add(store.FaceFeature, name, "", f.Feature)
		c.Quality.Faces = append(c.Quality.Faces, store.FaceQuality{
			Variant: name, FrontalScore: float64(f.FrontalScore), Roll: float64(f.Roll), Score: float64(f.Score),
			EyeWidth: int(f.EyeWidth), LeftEyeX: int(f.LeftEyeX), RightEyeX: int(f.RightEyeX),
			LEDState: int(f.LEDState), DuplicateOf: f.DuplicateUUID,
		})
	}
	add(store.Photo, "", jpegType, d.Faces[ef45.FaceFarOff].Image)
	return c
}

// toStore is ToStore with what the Session knows besides the item: when the camera
// started, the record version, the distance and iris radii of the last preview frame.
func (r *Result) toStore(operator string) store.Capture {
	c := ToStore(r.Data)
	c.Operator = operator
	c.StartedAt = r.StartedAt
	if r.RecordVersion > 0 {
		c.RecordVersion = strconv.Itoa(r.RecordVersion)
	}
	if p := r.LastPreview; p != nil {
		if mm, ok := p.DistanceMM(); ok {
			c.Quality.DistanceMM = mm
		}
		for i := range c.Quality.Eyes {
			e := &c.Quality.Eyes[i]
			switch e.Eye {
			case "left":
				e.IrisRadius = max(int(p.LeftIrisRadius), 0)
			case "right":
				e.IrisRadius = max(int(p.RightIrisRadius), 0)
			}
		}
	}
	return c
}
