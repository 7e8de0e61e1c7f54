package preview

import (
	"image"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"enrollstation/devices/ef45"
)

// Enrollment geometry the overlays are drawn with (specs/README.md, "Quality thresholds"):
// an iris is big enough with a radius of at least 100 px in the 640×480 eye image, at
// 350–450 mm from the camera. The capture's quality gates hold the configurable copy; the
// preview only colours what it draws, so it keeps the documented defaults.
const (
	goodIrisRadiusPx = 100
	nearestMM        = 350
	farthestMM       = 450
)

// The distance bar spans this range; the enrollment window sits in its middle.
const (
	barNearMM = 250
	barFarMM  = 550
)

// drawOverlays draws the labels, the face edges, the eye centres, the iris circles and
// the distance bar.
func (r *Renderer) drawOverlays(frame *image.RGBA, p *ef45.Preview) {
	c := r.colors
	for i := range r.panels {
		r.label(frame, r.panels[i].rect.Min.Add(image.Pt(6, 15)), panelLabels[i])
	}

	// The face's left and right edges in the face image, as framing guides.
	face := &r.panels[panelFace]
	if face.placed {
		for _, b := range []ef45.Int{p.LeftBoundary, p.RightBoundary} {
			if b <= 0 {
				continue
			}
			x, _ := face.toFrame(float64(b), 0)
			top := face.rect.Min.Y + face.fit.Min.Y
			for y := top; y < top+face.fit.Dy(); y += 14 {
				fillRGBA(frame, image.Rect(x-1, y, x+1, y+8).Intersect(face.rect), c.Marker)
			}
		}
	}

	// Eye and iris centres are in the coordinates of the 640×480 eye images, as the
	// simulator and the device's preview geometry place them (one eye per image).
	mm, known := p.DistanceMM()
	eyes := []struct {
		panel          *panel
		ex, ey         ef45.Int
		cx, cy, radius ef45.Int
		dist           ef45.Int
	}{
		{&r.panels[panelLeft], p.LeftEyeCenterX, p.LeftEyeCenterY, p.LeftIrisCenterX, p.LeftIrisCenterY, p.LeftIrisRadius, p.LeftDistance},
		{&r.panels[panelRight], p.RightEyeCenterX, p.RightEyeCenterY, p.RightIrisCenterX, p.RightIrisCenterY, p.RightIrisRadius, p.RightDistance},
	}
	for _, e := range eyes {
		if !e.panel.placed {
			continue
		}
		if e.ex > 0 && e.ey > 0 {
			x, y := e.panel.toFrame(float64(e.ex), float64(e.ey))
			fillRGBA(frame, image.Rect(x-3, y-3, x+3, y+3).Intersect(e.panel.rect), c.Marker)
		}
		if e.radius <= 0 {
			continue
		}
		eyeMM, eyeKnown := mm, known
		if e.dist > 0 {
			eyeMM, eyeKnown = int(e.dist)/1000, true
		}
		col := c.Adjust
		if e.radius >= goodIrisRadiusPx && eyeKnown && eyeMM >= nearestMM && eyeMM <= farthestMM {
			col = c.Good
		}
		x, y := e.panel.toFrame(float64(e.cx), float64(e.cy))
		rad := e.panel.scaleLen(float64(e.radius))
		drawRing(frame, e.panel.rect, x, y, rad, 2, col)
		drawCross(frame, e.panel.rect, x, y, max(4, int(rad/5)), 2, col)
	}
	r.drawDistanceBar(frame, mm, known)
}

// toFrame maps a point in the source image to frame coordinates, clamped far outside the
// frame so that absurd device values cannot overflow.
func (p *panel) toFrame(x, y float64) (int, int) {
	s := p.scaleLen(1)
	fx := float64(p.rect.Min.X+p.fit.Min.X) + x*s
	fy := float64(p.rect.Min.Y+p.fit.Min.Y) + y*s
	return clampCoord(fx), clampCoord(fy)
}

// scaleLen maps a length in source pixels to frame pixels.
func (p *panel) scaleLen(v float64) float64 {
	if p.src.X <= 0 {
		return 0
	}
	return math.Min(v*float64(p.fit.Dx())/float64(p.src.X), 1<<20)
}

// drawDistanceBar draws the 250–550 mm scale with the 350–450 mm window and a marker at
// the subject's distance.
func (r *Renderer) drawDistanceBar(frame *image.RGBA, mm int, known bool) {
	c := r.colors
	bar := r.bar
	if bar.Dx() < 4 || bar.Dy() < 4 {
		return
	}
	fillRGBA(frame, bar, c.Placeholder)
	xAt := func(v int) int {
		v = min(max(v, barNearMM), barFarMM)
		return bar.Min.X + (v-barNearMM)*(bar.Dx()-1)/(barFarMM-barNearMM)
	}
	window := image.Rect(xAt(nearestMM), bar.Min.Y, xAt(farthestMM)+1, bar.Max.Y)
	fillRGBA(frame, window, blend(c.Placeholder, c.Good, 0.35))
	fillRGBA(frame, image.Rect(window.Min.X, bar.Min.Y, window.Min.X+2, bar.Max.Y), c.Good)
	fillRGBA(frame, image.Rect(window.Max.X-2, bar.Min.Y, window.Max.X, bar.Max.Y), c.Good)

	text := r.digits[:0]
	if known {
		col := c.Adjust
		if mm >= nearestMM && mm <= farthestMM {
			col = c.Good
		}
		x := xAt(mm)
		fillRGBA(frame, image.Rect(x-2, bar.Min.Y, x+3, bar.Max.Y).Intersect(bar), col)
		text = strconv.AppendInt(text, int64(mm), 10)
		text = append(text, " mm"...)
	} else {
		text = append(text, "distance unknown"...)
	}
	r.digits = text
	if bar.Dy() >= 13 {
		base := bar.Min.Y + (bar.Dy()+10)/2
		r.labelBytes(frame, image.Pt(bar.Min.X+6, base), text)
	}
}

// label writes s with its baseline at pt, in r.ink (the text colour, set with the colours:
// putting a colour into the interface on every call would allocate).
func (r *Renderer) label(frame *image.RGBA, pt image.Point, s string) {
	d := font.Drawer{Dst: frame, Src: &r.ink, Face: basicfont.Face7x13, Dot: fixed.P(pt.X, pt.Y)}
	d.DrawString(s)
}

func (r *Renderer) labelBytes(frame *image.RGBA, pt image.Point, s []byte) {
	d := font.Drawer{Dst: frame, Src: &r.ink, Face: basicfont.Face7x13, Dot: fixed.P(pt.X, pt.Y)}
	d.DrawBytes(s)
}
