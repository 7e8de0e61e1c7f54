package ef45sim

import (
	"math"

	"enrollstation/devices/ef45"
)

// Image sizes (CMITech SDK: iris 640×480 grey, full face 720×960 colour; the preview face
// is sent reduced).
const (
	eyeW, eyeH             = 640, 480
	previewFaceW           = 360
	previewFaceH           = 480
	faceW, faceH           = 720, 960
	startDistanceMM        = 700.0
	endDistanceMM          = 400.0
	irisRadiusAt1MM        = 42000.0 // iris radius in px times distance in mm
	moveMessageThresholdPx = 40.0
)

// eyeGeom places one eye in its 640×480 image.
type eyeGeom struct {
	eyeX, eyeY   float64
	irisX, irisY float64
	irisR        float64
	distMM       float64
}

// faceGeom places the face in the preview face image.
type faceGeom struct {
	cx, cy, rx, ry float64
	gazeX, gazeY   float64 // iris offset, as a fraction of the eye opening
}

// geometry is one preview frame: where the person is and what the device tells them.
type geometry struct {
	avgMM   float64
	eyes    [2]eyeGeom // 0 left, 1 right
	open    float64    // eyelid opening, 0 closed … 1 open
	glasses bool
	message int
	face    faceGeom
}

// frameGeometry is frame k of n of a capture. The timeline, as a fraction t of the capture:
// the person walks in from 700 mm to 400 mm (converged by t=0.8); their eyes start too
// high or too low and overshoot once (messages 2 then 1, or 1 then 2) until t=0.45; in
// glasses mode they wear glasses until t=0.6 (message 4); they blink around t=0.62
// (message 3); from t≈0.72 the geometry is good and the message is 0.
func frameGeometry(seed int64, k, n int, glassesMode bool) geometry {
	n = max(n, 2)
	k = min(max(k, 0), n-1)
	t := float64(k) / float64(n-1)
	ph := newRNG(seed, "geometry")
	vSign := 1.0
	if ph.IntN(2) == 0 {
		vSign = -1
	}
	p1, p2, p3, p4 := ph.Float64()*6.28, ph.Float64()*6.28, ph.Float64()*6.28, ph.Float64()*6.28
	kf := float64(k)

	conv := smoothstep(0, 0.8, t)
	avg := startDistanceMM - (startDistanceMM-endDistanceMM)*conv + 2*math.Sin(0.7*kf+p1)
	skew := 6*(1-conv) + 1

	off := 0.0
	if t < 0.45 {
		off = vSign * 150 * math.Cos(math.Pi*t/0.2) * (1 - t/0.45)
	}

	open := 1.0
	blinkStart, blinkLen := blinkWindow(n)
	inBlink := k >= blinkStart && k < blinkStart+blinkLen
	if inBlink {
		j := float64(k - blinkStart)
		open = 1 - math.Sin(math.Pi*(j+0.5)/float64(blinkLen))
	}
	glasses := glassesMode && t < 0.6

	g := geometry{avgMM: avg, open: open, glasses: glasses}
	switch {
	case inBlink:
		g.message = ef45.MessageOpenEyes
	case off > moveMessageThresholdPx:
		g.message = ef45.MessageMoveUp // eyes low in the frame: the person is too low
	case off < -moveMessageThresholdPx:
		g.message = ef45.MessageMoveDown
	case glasses:
		g.message = ef45.MessageTakeOffGlasses
	}

	driftX := 25 * math.Sin(0.13*kf+p2) * (1 - 0.6*conv)
	gx, gy := 6*math.Sin(0.31*kf+p3), 4*math.Cos(0.23*kf+p4)
	for i, side := range []float64{-1, 1} {
		dist := avg + side*skew
		e := eyeGeom{distMM: dist, eyeX: eyeW/2 + driftX + side*4, eyeY: eyeH/2 + off + side*3}
		e.irisX, e.irisY = e.eyeX+gx, e.eyeY+gy
		e.irisR = irisRadiusAt1MM / dist
		g.eyes[i] = e
	}

	rx := 100 * endDistanceMM / avg
	g.face = faceGeom{
		cx: previewFaceW/2 + 0.4*driftX, cy: 0.48*previewFaceH + 0.6*off,
		rx: rx, ry: 1.32 * rx,
		gazeX: gx / 60, gazeY: gy / 60,
	}
	return g
}

// blinkWindow is where the blink falls in a capture of n frames: at t≈0.62, over at least
// three frames so the eyelid is seen closing and opening, and always over before the
// converged tail (t ≥ 0.78) even in very short captures.
func blinkWindow(n int) (start, length int) {
	last := float64(max(n, 2) - 1)
	length = max(3, int(math.Round(0.08*last)))
	start = min(int(math.Round(0.62*last)), int(0.78*last)-length+1)
	return max(start, 0), length
}

func smoothstep(a, b, x float64) float64 {
	t := min(max((x-a)/(b-a), 0), 1)
	return t * t * (3 - 2*t)
}

// previewOf fills the numeric fields of a preview from a frame's geometry. The boundaries
// are the face's left and right edges in the preview face image.
func previewOf(g geometry) ef45.Preview {
	l, r := g.eyes[0], g.eyes[1]
	ri := func(v float64) ef45.Int { return ef45.Int(math.Round(v)) }
	return ef45.Preview{
		AvgDistance:      ri(g.avgMM * 1000),
		LeftBoundary:     ri(g.face.cx - g.face.rx),
		RightBoundary:    ri(g.face.cx + g.face.rx),
		LeftIrisCenterX:  ri(l.irisX),
		RightIrisCenterX: ri(r.irisX),
		LeftIrisCenterY:  ri(l.irisY),
		RightIrisCenterY: ri(r.irisY),
		LeftEyeCenterX:   ri(l.eyeX),
		RightEyeCenterX:  ri(r.eyeX),
		LeftEyeCenterY:   ri(l.eyeY),
		RightEyeCenterY:  ri(r.eyeY),
		LeftIrisRadius:   ri(l.irisR),
		RightIrisRadius:  ri(r.irisR),
		LeftDistance:     ri(l.distMM * 1000),
		RightDistance:    ri(r.distMM * 1000),
		Message:          ef45.Int(g.message),
		SwitchFlag:       g.avgMM < 450, // the iris cameras take over inside 450 mm
	}
}

// idlePreview is the answer when no capture runs: no frame, distances unknown.
func idlePreview() ef45.Preview {
	return ef45.Preview{
		LeftEye: []byte{}, RightEye: []byte{}, FaceImage: []byte{},
		AvgDistance: -1, LeftDistance: -1, RightDistance: -1,
	}
}
