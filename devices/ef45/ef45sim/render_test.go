package ef45sim

import (
	"image"
	"image/color"
	"math"
	"testing"
	"time"
)

func TestEyeDrawing(t *testing.T) {
	bg := eyeBackground(1, 0)
	tex := newIrisTexture(1, 0)
	e := eyeGeom{eyeX: 320, eyeY: 240, irisX: 322, irisY: 238, irisR: 105}
	img := image.NewGray(image.Rect(0, 0, eyeW, eyeH))
	drawEye(img, bg, tex, e, 1)
	at := func(x, y float64) uint8 { return img.GrayAt(int(x), int(y)).Y }
	pupil, iris, sclera, skin := at(e.irisX+20, e.irisY+20), at(e.irisX+0.7*e.irisR, e.irisY), at(e.eyeX+1.6*e.irisR, e.eyeY), at(20, 460)
	if !(pupil < 40 && pupil < iris && iris < sclera && skin > 120) {
		t.Errorf("pupil %d, iris %d, sclera %d, skin %d: want pupil < iris < sclera and bright skin", pupil, iris, sclera, skin)
	}
	// The iris has texture: its ring is not one flat grey.
	var lo, hi uint8 = 255, 0
	for a := 0; a < 360; a += 5 {
		s, c := sincosDeg(a)
		v := at(e.irisX+0.65*e.irisR*c, e.irisY+0.65*e.irisR*s)
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi-lo < 30 {
		t.Errorf("iris ring spans %d..%d: no texture", lo, hi)
	}
	drawEye(img, bg, tex, e, 0)
	if v := at(e.irisX+20, e.irisY+20); v < 100 {
		t.Errorf("closed eye shows the pupil (%d)", v)
	}
}

func TestFaceDrawing(t *testing.T) {
	look := newAppearance(1)
	s := variantScene(0, look)
	bg := faceBackground(faceW, faceH, look, newNoise(1, "w", 0), 0)
	img := image.NewRGBA(image.Rect(0, 0, faceW, faceH))
	s.noise = 0
	drawFace(img, bg, s, newNoise(1, "f", 0))
	g := s.g
	cheek := img.RGBAAt(int(g.cx), int(g.cy+0.3*g.ry))
	want := look.skin
	if d := int(cheek.R) - int(want[0]); d < -40 || d > 10 {
		t.Errorf("cheek %v, skin %v", cheek, want)
	}
	l, r := faceEyesX(g)
	for _, x := range []float64{l, r} {
		if p := img.RGBAAt(int(x), int(g.cy-0.12*g.ry)); p.R > 60 || p.G > 60 {
			t.Errorf("pupil at x=%.0f is %v", x, p)
		}
	}
	if corner := img.RGBAAt(2, 2); corner != bg.RGBAAt(2, 2) {
		t.Errorf("background corner changed: %v", corner)
	}
	gray := toGray(img)
	if v := gray.GrayAt(2, 2).Y; v != color.GrayModel.Convert(bg.RGBAAt(2, 2)).(color.Gray).Y {
		t.Errorf("grey conversion %d", v)
	}
}

func sincosDeg(a int) (float64, float64) { return math.Sincos(float64(a) * math.Pi / 180) }

func TestFramesAreCachedPerIndex(t *testing.T) {
	d := New(Options{Seed: 2})
	k := frameKey{k: 3, n: 30}
	a := d.frame(k)
	b := d.frame(k)
	if &a[0] != &b[0] || d.Stats().FramesRendered != 1 {
		t.Error("a cached frame was drawn again")
	}
	d.frame(frameKey{k: 3, n: 30, glasses: true})
	if d.Stats().FramesRendered != 2 {
		t.Error("glasses mode shares frames with plain mode")
	}
}

// BenchmarkPreviewFrame measures drawing and encoding one preview frame (two iris images
// and the face, JPEG, in one JSON answer).
func BenchmarkPreviewFrame(b *testing.B) {
	d := New(Options{Seed: 1})
	d.previewAssets()
	start := time.Now()
	for i := range b.N {
		d.renderFrame(frameKey{k: i % 45, n: 45, glasses: true})
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/frame")
}
