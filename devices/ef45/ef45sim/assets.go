package ef45sim

import (
	"image"
	"sync"

	"enrollstation/devices/ef45"
)

// Capture image qualities: the capture images are full quality and carry sensor noise,
// which makes a full biometric-data item about 5 MB of JSON, as spec 003 says.
const (
	captureEyeQuality  = 97
	captureFaceQuality = 98
	captureFaceNoise   = 44
	captureIRNoise     = 46 // the near-infrared sensor is noisier
	matchFaceQuality   = 80
)

// numFaceVariants is the number of face variants of a biometric-data item.
const numFaceVariants = 5

// captureAssets are the encoded images of a capture, drawn once per device and only when
// first needed: every capture of a device shows the same pictures (templates, scores and
// ids still differ per capture and person).
type captureAssets struct {
	seed int64
	look appearance

	eyesOnce  sync.Once
	eyes      [2][]byte // 640×480 grey JPEG, left then right
	faceOnce  [numFaceVariants]sync.Once
	faces     [numFaceVariants][]byte // 720×960 JPEG per variant, in wire order
	matchOnce sync.Once
	matchFace []byte // reduced colour face for match data
}

func newCaptureAssets(seed int64) *captureAssets {
	return &captureAssets{seed: seed, look: newAppearance(seed)}
}

// eyeImages returns the left and right iris images.
func (a *captureAssets) eyeImages() [2][]byte {
	a.eyesOnce.Do(func() {
		r := newRNG(a.seed, "capture-geometry")
		eye := image.NewGray(image.Rect(0, 0, eyeW, eyeH))
		for i := range 2 {
			e := eyeGeom{eyeX: eyeW/2 + r.Float64()*20 - 10, eyeY: eyeH/2 + r.Float64()*20 - 10, irisR: 104 + r.Float64()*8, distMM: endDistanceMM}
			e.irisX, e.irisY = e.eyeX+r.Float64()*6-3, e.eyeY+r.Float64()*6-3
			drawEye(eye, eyeBackground(a.seed, i), newIrisTexture(a.seed, i), e, 1)
			a.eyes[i] = encodeJPEG(eye, captureEyeQuality)
		}
	})
	return a.eyes
}

// face returns the image of one face variant.
func (a *captureAssets) face(v ef45.FaceVariant) []byte {
	a.faceOnce[v].Do(func() {
		s := variantScene(v, a.look)
		img := image.NewRGBA(image.Rect(0, 0, faceW, faceH))
		bg := faceBackground(faceW, faceH, a.look, newNoise(a.seed, "wall", uint64(v)), s.noise)
		drawFace(img, bg, s, newNoise(a.seed, "face", uint64(v)))
		if s.ir {
			a.faces[v] = encodeJPEG(toGray(img), captureFaceQuality)
		} else {
			a.faces[v] = encodeJPEG(img, captureFaceQuality)
		}
	})
	return a.faces[v]
}

// match returns the reduced face sent with match data.
func (a *captureAssets) match() []byte {
	a.matchOnce.Do(func() {
		small := image.NewRGBA(image.Rect(0, 0, previewFaceW, previewFaceH))
		g := frameGeometry(a.seed, 1, 2, false)
		drawFace(small, faceBackground(previewFaceW, previewFaceH, a.look, newNoise(a.seed, "match-wall", 0), 3),
			faceScene{g: g.face, open: 1, look: a.look, noise: 2}, newNoise(a.seed, "match-face", 0))
		a.matchFace = encodeJPEG(small, matchFaceQuality)
	})
	return a.matchFace
}

// prepare draws, in parallel, the images a capture with these modes will carry, so they
// are ready when the capture ends.
func (a *captureAssets) prepare(m ef45.StartModes, forMatch bool) {
	var wg sync.WaitGroup
	if eyeMode(m) {
		wg.Go(func() { a.eyeImages() })
	}
	for v, want := range wantedFaces(m) {
		if want {
			wg.Go(func() { a.face(ef45.FaceVariant(v)) })
		}
	}
	if forMatch {
		wg.Go(func() { a.match() })
	}
	wg.Wait()
}

// withImages is a buffered item as served, with the capture images in place.
func (a *captureAssets) withImages(it bioItem) ef45.BiometricData {
	a.prepare(it.modes, false)
	data := it.data
	if eyeMode(it.modes) {
		eyes := a.eyeImages()
		data.Left.Image, data.Right.Image = eyes[0], eyes[1]
	}
	for v, want := range wantedFaces(it.modes) {
		if want {
			data.Faces[v].Image = a.face(ef45.FaceVariant(v))
		}
	}
	return data
}

// variantScene frames the face of one variant in the 720×960 image: iris-off is taken at
// iris distance, far at arm's length, near closer and with glasses; "on" variants are lit by
// the infrared LEDs and grey.
func variantScene(v ef45.FaceVariant, look appearance) faceScene {
	rx := 175.0
	s := faceScene{look: look, open: 1, noise: captureFaceNoise}
	switch v {
	case ef45.FaceIrisOff:
		rx = 210
	case ef45.FaceNearOff, ef45.FaceNearOn:
		rx, s.glasses = 235, true
	}
	if v == ef45.FaceFarOn || v == ef45.FaceNearOn {
		s.ir, s.noise = true, captureIRNoise
	}
	s.g = faceGeom{cx: faceW / 2, cy: 0.49 * faceH, rx: rx, ry: 1.32 * rx}
	return s
}

// faceEyesX are the x positions of the person's left and right eyes in a face image.
func faceEyesX(g faceGeom) (left, right float64) { return g.cx + 0.38*g.rx, g.cx - 0.38*g.rx }
