package preview

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"

	"enrollstation/devices/ef45"
)

// eyeJPEG draws a 640×480-style grey eye: textured skin, the sclera, an iris with radial
// texture around (cx, cy), the pupil and a light reflection.
func eyeJPEG(tb testing.TB, w, h, cx, cy, radius int, seed uint64) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 140 + rng.IntN(30)
			ex, ey := float64(x-cx)/(float64(w)*0.33), float64(y-cy)/(float64(h)*0.2)
			if ex*ex+ey*ey < 1 {
				v = 195 + rng.IntN(20)
			}
			dx, dy := float64(x-cx), float64(y-cy)
			d := math.Hypot(dx, dy)
			switch {
			case d < float64(radius)/2.6:
				v = 18 + rng.IntN(8)
			case d < float64(radius):
				a := math.Atan2(dy, dx)
				v = 70 + int(25*math.Sin(a*36)) + rng.IntN(25)
			}
			if math.Hypot(dx+float64(radius)/5, dy+float64(radius)/5) < float64(radius)/10 {
				v = 250
			}
			img.Pix[y*img.Stride+x] = uint8(v)
		}
	}
	return encodeJPEG(tb, img)
}

// faceJPEG draws a colour portrait: a gradient background, hair, a face with eyes and a
// mouth, all with noise so that it compresses like a photo.
func faceJPEG(tb testing.TB, w, h int, seed uint64) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/fw, float64(y)/fh
			c := color.RGBA{uint8(60 + 80*fy), uint8(90 + 60*fx), uint8(150 + 60*fy), 0xff}
			hx, hy := (fx-0.5)/0.34, (fy-0.38)/0.3
			if hx*hx+hy*hy < 1 {
				c = color.RGBA{50, 35, 25, 0xff}
			}
			sx, sy := (fx-0.5)/0.28, (fy-0.48)/0.3
			if sx*sx+sy*sy < 1 {
				c = color.RGBA{215, 170, 140, 0xff}
			}
			for _, ex := range []float64{0.39, 0.61} {
				dx, dy := (fx-ex)/0.05, (fy-0.43)/0.02
				if dx*dx+dy*dy < 1 {
					c = color.RGBA{60, 45, 40, 0xff}
				}
			}
			mx, my := (fx-0.5)/0.09, (fy-0.63)/0.02
			if mx*mx+my*my < 1 {
				c = color.RGBA{150, 60, 60, 0xff}
			}
			n := rng.IntN(24) - 12
			img.SetRGBA(x, y, color.RGBA{clampByte(int(c.R) + n), clampByte(int(c.G) + n), clampByte(int(c.B) + n), 0xff})
		}
	}
	return encodeJPEG(tb, img)
}

func clampByte(v int) uint8 { return uint8(min(max(v, 0), 255)) }

func encodeJPEG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatalf("encode test JPEG: %v", err)
	}
	return buf.Bytes()
}

func solidJPEG(tb testing.TB, w, h int, c color.Color) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	return encodeJPEG(tb, img)
}

// framePreview is a preview with all three images and the geometry of a person in range.
func framePreview(tb testing.TB) *ef45.Preview {
	tb.Helper()
	return &ef45.Preview{
		LeftEye:         eyeJPEG(tb, 640, 480, 320, 240, 120, 1),
		RightEye:        eyeJPEG(tb, 640, 480, 300, 250, 115, 2),
		FaceImage:       faceJPEG(tb, 360, 480, 3),
		AvgDistance:     400000,
		LeftDistance:    400000,
		RightDistance:   402000,
		LeftIrisCenterX: 320, LeftIrisCenterY: 240, LeftIrisRadius: 120,
		RightIrisCenterX: 300, RightIrisCenterY: 250, RightIrisRadius: 115,
		LeftEyeCenterX: 140, LeftEyeCenterY: 206,
		RightEyeCenterX: 220, RightEyeCenterY: 206,
	}
}

func rgbaAt(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }
