package preview

import (
	"image"
	"image/color"
	"math"
)

// copyInto copies src (at the origin) to dst at pt, row by row, clipped to dst.
func copyInto(dst *image.RGBA, pt image.Point, src *image.RGBA) {
	r := src.Rect.Add(pt).Intersect(dst.Rect)
	if r.Empty() {
		return
	}
	n := 4 * r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		d := dst.PixOffset(r.Min.X, y)
		s := src.PixOffset(r.Min.X-pt.X, y-pt.Y)
		copy(dst.Pix[d:d+n], src.Pix[s:s+n])
	}
}

// fillRGBA fills rect (clipped to img) with c: one row pixel by pixel, the others copied.
func fillRGBA(img *image.RGBA, rect image.Rectangle, c color.RGBA) {
	rect = rect.Intersect(img.Rect)
	if rect.Empty() {
		return
	}
	first := img.PixOffset(rect.Min.X, rect.Min.Y)
	n := 4 * rect.Dx()
	row := img.Pix[first : first+n]
	for i := 0; i < n; i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, c.A
	}
	for y := rect.Min.Y + 1; y < rect.Max.Y; y++ {
		o := img.PixOffset(rect.Min.X, y)
		copy(img.Pix[o:o+n], row)
	}
}

// fillLetterbox fills the parts of img outside fit.
func fillLetterbox(img *image.RGBA, fit image.Rectangle, c color.RGBA) {
	b := img.Rect
	fillRGBA(img, image.Rect(b.Min.X, b.Min.Y, b.Max.X, fit.Min.Y), c)
	fillRGBA(img, image.Rect(b.Min.X, fit.Max.Y, b.Max.X, b.Max.Y), c)
	fillRGBA(img, image.Rect(b.Min.X, fit.Min.Y, fit.Min.X, fit.Max.Y), c)
	fillRGBA(img, image.Rect(fit.Max.X, fit.Min.Y, b.Max.X, fit.Max.Y), c)
}

// drawRing draws a circle outline of the given thickness, clipped to clip, one horizontal
// span pair per row: no gaps at any radius, and only rows inside clip are visited.
func drawRing(img *image.RGBA, clip image.Rectangle, cx, cy int, radius float64, thick int, c color.RGBA) {
	clip = clip.Intersect(img.Rect)
	outer := radius + float64(thick)/2
	inner := math.Max(radius-float64(thick)/2, 0)
	top := max(clip.Min.Y, clampCoord(float64(cy)-outer))
	bottom := min(clip.Max.Y, clampCoord(float64(cy)+outer)+1)
	for y := top; y < bottom; y++ {
		dy := float64(y - cy)
		xo := outer*outer - dy*dy
		if xo < 0 {
			continue
		}
		xOut := math.Sqrt(xo)
		xIn := 0.0
		if xi := inner*inner - dy*dy; xi > 0 {
			xIn = math.Sqrt(xi)
		}
		l0, l1 := clampCoord(float64(cx)-xOut), clampCoord(float64(cx)-xIn)
		r0, r1 := clampCoord(float64(cx)+xIn), clampCoord(float64(cx)+xOut)
		fillRGBA(img, image.Rect(l0, y, l1+1, y+1).Intersect(clip), c)
		fillRGBA(img, image.Rect(r0, y, r1+1, y+1).Intersect(clip), c)
	}
}

// drawCross draws a + of half-length arm and the given thickness, clipped to clip.
func drawCross(img *image.RGBA, clip image.Rectangle, x, y, arm, thick int, c color.RGBA) {
	clip = clip.Intersect(img.Rect)
	h := thick / 2
	fillRGBA(img, image.Rect(x-arm, y-h, x+arm+1, y-h+thick).Intersect(clip), c)
	fillRGBA(img, image.Rect(x-h, y-arm, x-h+thick, y+arm+1).Intersect(clip), c)
}

// blend mixes b into a by t (0..1).
func blend(a, b color.RGBA, t float64) color.RGBA {
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// clampCoord rounds v to a pixel coordinate, clamped far outside any frame so that absurd
// device values cannot overflow.
func clampCoord(v float64) int {
	const lim = 1 << 20
	switch {
	case math.IsNaN(v):
		return -lim
	case v < -lim:
		return -lim
	case v > lim:
		return lim
	}
	return int(math.Round(v))
}
