package ef45sim

import (
	"bytes"
	"image"
	"image/jpeg"
)

// Everything drawn here is synthetic: shapes shaded to look like an eye or a face under the
// camera's lighting, with texture and sensor noise so the JPEGs have realistic sizes.

// noise is a small xorshift generator for sensor noise; much cheaper per pixel than
// math/rand and just as repeatable.
type noise uint64

func (n *noise) next() int {
	x := uint64(*n)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*n = noise(x)
	return int(x >> 56) // 0..255
}

// jitter returns a value in [-amp, amp].
func (n *noise) jitter(amp int) int {
	if amp == 0 {
		return 0
	}
	return n.next()*(2*amp+1)/256 - amp
}

func newNoise(seed int64, label string, k uint64) *noise {
	n := noise(derive(seed, label, k) | 1)
	return &n
}

func scale(c [3]float64, f float64) [3]float64 { return [3]float64{c[0] * f, c[1] * f, c[2] * f} }

func sq(v float64) float64 { return v * v }

func clampByte(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v)
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// toGray converts a colour image by luminance (B/W variants).
func toGray(src *image.RGBA) *image.Gray {
	b := src.Bounds()
	g := image.NewGray(b)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			i := y*src.Stride + 4*x
			l := 0.299*float64(src.Pix[i]) + 0.587*float64(src.Pix[i+1]) + 0.114*float64(src.Pix[i+2])
			g.Pix[y*g.Stride+x] = uint8(l + 0.5)
		}
	}
	return g
}

func encodeJPEG(img image.Image, quality int) []byte {
	var buf bytes.Buffer
	// Encoding an in-memory image into a bytes.Buffer cannot fail.
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes()
}
