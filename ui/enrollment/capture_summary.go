// What the operator reviews of a capture: the summary of its result.

package enrollment

import (
	"time"

	"enrollstation/enroll/capture"
)

// minUsableIrisArea is the usable iris area an eye needs (specs/README.md, "Quality
// thresholds": at least 70 % per eye, the device's default).
const minUsableIrisArea = 70

// EyeSummary is one eye of a capture result.
type EyeSummary struct {
	UsableArea int    // percent of the iris not hidden by lids, lashes or reflections
	Quality    int    // the camera's quality score
	QualityOK  bool   // the camera judged the image good enough
	Duplicate  string // non-empty: the camera found this iris enrolled under that subject
}

// Usable reports whether the eye meets the enrollment thresholds.
func (e EyeSummary) Usable() bool { return e.QualityOK && e.UsableArea >= minUsableIrisArea }

// CaptureSummary is what the operator reviews after a capture.
type CaptureSummary struct {
	EncounterID string
	Frames      int           // preview frames the camera sent
	Elapsed     time.Duration // from camera start to result
	Left, Right EyeSummary
	Face        bool // a colour face image came with the result
	// FaceImage is that colour face (JPEG), shown beside a possible duplicate.
	FaceImage []byte
	// Gates are the quality gates' figures and verdicts; Duplicates the people this
	// capture may already be (from the camera's search and the journal).
	Gates      []capture.GateResult
	Duplicates []capture.Duplicate
}

// Passed reports whether every gate passed.
func (s *CaptureSummary) Passed() bool { return len(capture.FailedGates(s.Gates)) == 0 }

// summarize reduces a capture result to what the screen shows.
func summarize(res *capture.Result) *CaptureSummary {
	s := &CaptureSummary{Frames: res.Frames, Elapsed: res.Elapsed, Gates: res.Gates, Duplicates: res.Duplicates}
	if d := res.Data; d != nil {
		s.EncounterID = d.EncounterID
		s.Left = eyeSummary(d.Left)
		s.Right = eyeSummary(d.Right)
		s.FaceImage = d.Faces[capture.FaceFarOff].Image
		s.Face = len(s.FaceImage) > 0
	}
	return s
}

func eyeSummary(e capture.Eye) EyeSummary {
	return EyeSummary{UsableArea: int(e.UsableIrisArea), Quality: int(e.QualityScore),
		QualityOK: bool(e.QualityOK), Duplicate: e.DuplicateUUID}
}
