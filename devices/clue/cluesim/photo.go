package cluesim

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
)

// FacePhoto draws a portrait of a made-up person, w×h pixels, and encodes it as JPEG at the
// given quality (1-100). The same seed gives the same picture. Sensor-like noise makes the
// file as large as a camera's: about 1-2 MB at 1600×2000 and quality 92, so callers can
// produce photos on both sides of CLUe's 1 MB limit.
func FacePhoto(seed int64, w, h, quality int) ([]byte, error) {
	img := drawFace(seed, w, h)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("face photo: %w", err)
	}
	return buf.Bytes(), nil
}

// FacePhotoPNG is FacePhoto encoded as PNG, for the code paths that take PNG uploads.
func FacePhotoPNG(seed int64, w, h int) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, drawFace(seed, w, h)); err != nil {
		return nil, fmt.Errorf("face photo: %w", err)
	}
	return buf.Bytes(), nil
}

// drawFace paints background, shoulders, face, hair, eyes and mouth with per-pixel noise.
func drawFace(seed int64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	skin := [3]float64{150 + 80*r.Float64(), 110 + 60*r.Float64(), 80 + 50*r.Float64()}
	hair := [3]float64{20 + 80*r.Float64(), 15 + 50*r.Float64(), 10 + 40*r.Float64()}
	shirt := [3]float64{40 + 200*r.Float64(), 40 + 200*r.Float64(), 40 + 200*r.Float64()}
	bgTop := [3]float64{180 + 60*r.Float64(), 190 + 50*r.Float64(), 200 + 50*r.Float64()}
	cx, cy := float64(w)/2+(r.Float64()-0.5)*float64(w)*0.05, float64(h)*0.42
	fw, fh := float64(w)*0.22, float64(h)*0.24
	eyeY := cy - fh*0.15
	eyeDX := fw * 0.42
	eyeR := fw * 0.12
	noise := 48.0
	// A cheap xorshift for the noise: rand.Float64 per pixel would dominate the run time.
	x32 := uint32(seed) | 1
	next := func() float64 {
		x32 ^= x32 << 13
		x32 ^= x32 >> 17
		x32 ^= x32 << 5
		return float64(x32&0xff)/255 - 0.5
	}
	for y := 0; y < h; y++ {
		fy := float64(y)
		for x := 0; x < w; x++ {
			fx := float64(x)
			c := [3]float64{}
			t := fy / float64(h)
			for i := range c {
				c[i] = bgTop[i] * (1 - 0.35*t)
			}
			dx, dy := (fx-cx)/fw, (fy-cy)/fh
			d := dx*dx + dy*dy
			switch {
			case fy > cy+fh*1.2 && math.Abs(fx-cx) < float64(w)*0.45*math.Min(1, (fy-cy-fh*1.2)/(fh*0.5)+0.3):
				c = shirt
			case d < 1:
				shade := 1 - 0.25*d
				for i := range c {
					c[i] = skin[i] * shade
				}
				ex, ey := math.Abs(fx-cx)-eyeDX, fy-eyeY
				if ex*ex+ey*ey*4 < eyeR*eyeR {
					c = [3]float64{240, 240, 240}
					if ex*ex+ey*ey < eyeR*eyeR*0.2 {
						c = [3]float64{50, 35, 25}
					}
				}
				mx, my := (fx-cx)/(fw*0.35), (fy-cy-fh*0.45)/(fh*0.05)
				if mx*mx+my*my < 1 {
					c = [3]float64{160, 70, 70}
				}
			case d < 1.35 && fy < cy:
				c = hair
			}
			o := img.PixOffset(x, y)
			for i := range 3 {
				v := c[i] + noise*next()
				img.Pix[o+i] = uint8(math.Max(0, math.Min(255, v)))
			}
			img.Pix[o+3] = 255
		}
	}
	return img
}
