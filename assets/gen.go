//go:build ignore

// Command gen draws the application icon and logo: an eye whose iris is the product's
// mark. Run it from this folder with `go generate` after changing the drawing; the PNGs
// are committed and embedded by assets.go.
package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

var (
	tileTop    = rgb(0x0d, 0x47, 0x5c)
	tileBottom = rgb(0x06, 0x22, 0x30)
	sclera     = rgb(0xf4, 0xf7, 0xf8)
	irisOuter  = rgb(0x12, 0x8c, 0x7e)
	irisInner  = rgb(0x3d, 0xd6, 0x8c)
	pupil      = rgb(0x05, 0x10, 0x14)
	reticle    = rgb(0x3d, 0xd6, 0x8c)
	ink        = rgb(0x0d, 0x47, 0x5c)
)

func rgb(r, g, b uint8) [3]float64 { return [3]float64{float64(r), float64(g), float64(b)} }

func main() {
	icon := drawMark(512)
	write("icon.png", icon)

	// The logo: the mark on the left, the name on the right, on a transparent ground.
	const h = 160
	logo := image.NewNRGBA(image.Rect(0, 0, 640, h))
	mark := drawMark(h)
	for y := range h {
		for x := range h {
			logo.SetNRGBA(x, y, mark.NRGBAAt(x, y))
		}
	}
	face, err := opentype.Parse(gobold.TTF)
	if err != nil {
		log.Fatal(err)
	}
	ff, err := opentype.NewFace(face, &opentype.FaceOptions{Size: 56, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		log.Fatal(err)
	}
	d := font.Drawer{Dst: logo, Src: image.NewUniform(color.NRGBA{uint8(ink[0]), uint8(ink[1]), uint8(ink[2]), 0xff}), Face: ff,
		Dot: fixed.P(h+28, h/2+20)}
	d.DrawString("Enroll Station")
	write("logo.png", logo)
}

// drawMark draws the icon at size×size, 4×4 supersampled.
func drawMark(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for y := range size {
		for x := range size {
			var acc [4]float64
			for sy := range ss {
				for sx := range ss {
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(size)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(size)
					c, a := sample(u, v)
					acc[0] += c[0] * a
					acc[1] += c[1] * a
					acc[2] += c[2] * a
					acc[3] += a
				}
			}
			if acc[3] == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				uint8(acc[0]/acc[3] + 0.5), uint8(acc[1]/acc[3] + 0.5), uint8(acc[2]/acc[3] + 0.5),
				uint8(acc[3]/(ss*ss)*255 + 0.5),
			})
		}
	}
	return img
}

// sample returns the colour and coverage at (u, v) in the unit square.
func sample(u, v float64) ([3]float64, float64) {
	// Rounded tile.
	const m, rad = 0.04, 0.2
	dx := math.Max(math.Abs(u-0.5)-(0.5-m-rad), 0)
	dy := math.Max(math.Abs(v-0.5)-(0.5-m-rad), 0)
	if math.Hypot(dx, dy) > rad {
		return [3]float64{}, 0
	}
	c := mix(tileTop, tileBottom, v)

	// Focus corners: the camera's framing marks.
	if reticleAt(u, v) {
		c = reticle
	}

	// Almond eye: the intersection of two circles.
	cx, cy := 0.5, 0.5
	up := math.Hypot(u-cx, v-(cy+0.42)) < 0.62
	down := math.Hypot(u-cx, v-(cy-0.42)) < 0.62
	if up && down {
		c = sclera
		r := math.Hypot(u-cx, v-cy)
		a := math.Atan2(v-cy, u-cx)
		switch {
		case r < 0.075:
			c = pupil
		case r < 0.19:
			t := (r - 0.075) / (0.19 - 0.075)
			c = mix(irisInner, irisOuter, t)
			streak := 0.5 + 0.5*math.Sin(a*28)
			c = mix(c, irisOuter, 0.25*streak)
		case r < 0.205:
			c = mix(irisOuter, pupil, 0.5)
		}
		if math.Hypot(u-(cx-0.055), v-(cy-0.06)) < 0.028 {
			c = sclera
		}
	}
	return c, 1
}

func reticleAt(u, v float64) bool {
	const lo, hi, arm, w = 0.16, 0.84, 0.13, 0.022
	for _, x := range []float64{lo, hi} {
		for _, y := range []float64{lo, hi} {
			sx, sy := 1.0, 1.0
			if x == hi {
				sx = -1
			}
			if y == hi {
				sy = -1
			}
			du, dv := (u-x)*sx, (v-y)*sy
			if (du >= 0 && du <= arm && dv >= 0 && dv <= w) || (dv >= 0 && dv <= arm && du >= 0 && du <= w) {
				return true
			}
		}
	}
	return false
}

func mix(a, b [3]float64, t float64) [3]float64 {
	t = math.Min(math.Max(t, 0), 1)
	return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func write(name string, img image.Image) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
