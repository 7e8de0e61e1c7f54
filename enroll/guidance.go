package enroll

import "enrollstation/devices/ef45"

// Level says how a guidance line reads: information, a correction, or "in position".
type Level int

// Guidance levels.
const (
	// LevelInfo: nothing to correct yet (waiting for the camera, eyes not found).
	LevelInfo Level = iota
	// LevelWarn: the person must move or do something.
	LevelWarn
	// LevelGood: the person is in position.
	LevelGood
)

// String names the level.
func (l Level) String() string {
	switch l {
	case LevelInfo:
		return "info"
	case LevelWarn:
		return "warn"
	case LevelGood:
		return "good"
	}
	return "unknown"
}

// Guidance is what the operator reads aloud to the person in front of the camera.
type Guidance struct {
	Text  string
	Level Level
	Ready bool // in position: distance in range, both irises big enough, nothing to correct
}

// The guidance lines, in words an operator can read aloud.
const (
	guideWaiting   = "Waiting for the camera"
	guideGlasses   = "Please take off your glasses"
	guideCloser    = "Come closer"
	guideBack      = "Move back a little"
	guideDown      = "Move down a little"
	guideUp        = "Move up a little"
	guideOpenEyes  = "Open your eyes wide"
	guideLookAtCam = "Look at the camera"
	guideHoldStill = "Hold still"
)

// GuidanceFor turns a preview frame into one guidance line. The order is what a person can
// act on first: glasses off, then the distance (350–450 mm), then the camera's own
// up/down/eyes message, then whether both irises are found big enough (radius ≥ 100 px).
// A nil preview means no frame has arrived yet.
func GuidanceFor(p *ef45.Preview) Guidance {
	if p == nil {
		return Guidance{Text: guideWaiting, Level: LevelInfo}
	}
	if p.Message == ef45.MessageTakeOffGlasses {
		return Guidance{Text: guideGlasses, Level: LevelWarn}
	}
	mm, known := distanceMM(p)
	switch {
	case known && mm > farthestMM:
		return Guidance{Text: guideCloser, Level: LevelWarn}
	case known && mm < nearestMM:
		return Guidance{Text: guideBack, Level: LevelWarn}
	}
	switch p.Message {
	case ef45.MessageMoveDown:
		return Guidance{Text: guideDown, Level: LevelWarn}
	case ef45.MessageMoveUp:
		return Guidance{Text: guideUp, Level: LevelWarn}
	case ef45.MessageOpenEyes:
		return Guidance{Text: guideOpenEyes, Level: LevelWarn}
	}
	if !known || p.LeftIrisRadius < goodIrisRadiusPx || p.RightIrisRadius < goodIrisRadiusPx {
		return Guidance{Text: guideLookAtCam, Level: LevelInfo}
	}
	return Guidance{Text: guideHoldStill, Level: LevelGood, Ready: true}
}

// distanceMM is the person's distance from the camera in millimetres: the average the
// camera reports, or, when that is unknown (-1, specs/README.md), the mean of the eye
// distances it knows. Distances on the wire are in microns.
func distanceMM(p *ef45.Preview) (int, bool) {
	if p.AvgDistance > 0 {
		return int(p.AvgDistance / 1000), true
	}
	sum, n := ef45.Int(0), ef45.Int(0)
	for _, d := range []ef45.Int{p.LeftDistance, p.RightDistance} {
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
