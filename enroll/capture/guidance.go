package capture

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

// Hint says which instruction a guidance line gives, so a screen can pick its own words,
// icon or translation.
type Hint int

// The hints, in the order a person can act on them.
const (
	HintWaiting      Hint = iota // no frame yet
	HintGlasses                  // take off glasses (camera message 4)
	HintCloser                   // farther than the farthest distance
	HintFarther                  // nearer than the nearest distance
	HintDown                     // move down (camera message 1)
	HintUp                       // move up (camera message 2)
	HintOpenEyes                 // open eyes wide (camera message 3)
	HintLookAtCamera             // irises not found, or too small
	HintHoldStill                // in position
)

// Guidance is what the operator reads aloud to the person in front of the camera.
type Guidance struct {
	Text  string
	Level Level
	Ready bool // in position: distance in range, both irises big enough, nothing to correct
	Hint  Hint
}

// The guidance lines, in words an operator can read aloud.
var guidanceText = [...]string{
	HintWaiting:      "Waiting for the camera",
	HintGlasses:      "Please take off your glasses",
	HintCloser:       "Come closer",
	HintFarther:      "Move back a little",
	HintDown:         "Move down a little",
	HintUp:           "Move up a little",
	HintOpenEyes:     "Open your eyes wide",
	HintLookAtCamera: "Look at the camera",
	HintHoldStill:    "Hold still",
}

// String is the hint's guidance line.
func (h Hint) String() string {
	if h < 0 || int(h) >= len(guidanceText) {
		return "unknown"
	}
	return guidanceText[h]
}

func guide(h Hint, l Level) Guidance {
	return Guidance{Text: h.String(), Level: l, Ready: h == HintHoldStill, Hint: h}
}

// GuidanceFor is the guidance of the default gates (DefaultGates().Guidance).
func GuidanceFor(p *ef45.Preview) Guidance { return DefaultGates().Guidance(p) }

// Guidance turns a preview frame into one guidance line. The order is what a person can
// act on first: glasses off, then the distance (the gates' range), then the camera's own
// up/down/eyes message, then whether both irises are found big enough (the gates' radius).
// A nil preview means no frame has arrived yet.
func (g Gates) Guidance(p *ef45.Preview) Guidance {
	if p == nil {
		return guide(HintWaiting, LevelInfo)
	}
	if p.Message == ef45.MessageTakeOffGlasses {
		return guide(HintGlasses, LevelWarn)
	}
	mm, known := p.DistanceMM()
	switch {
	case known && mm > g.MaxDistanceMM:
		return guide(HintCloser, LevelWarn)
	case known && mm < g.MinDistanceMM:
		return guide(HintFarther, LevelWarn)
	}
	switch p.Message {
	case ef45.MessageMoveDown:
		return guide(HintDown, LevelWarn)
	case ef45.MessageMoveUp:
		return guide(HintUp, LevelWarn)
	case ef45.MessageOpenEyes:
		return guide(HintOpenEyes, LevelWarn)
	}
	if !known || int(p.LeftIrisRadius) < g.MinIrisRadiusPx || int(p.RightIrisRadius) < g.MinIrisRadiusPx {
		return guide(HintLookAtCamera, LevelInfo)
	}
	return guide(HintHoldStill, LevelGood)
}
