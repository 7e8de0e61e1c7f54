package ef45sim

import (
	"image"
	"math"
)

// appearance is the person's colouring.
type appearance struct {
	skin, hair, shirt, iris, lips, wall [3]float64
}

func newAppearance(seed int64) appearance {
	r := newRNG(seed, "appearance")
	skins := [][3]float64{{233, 192, 160}, {210, 160, 120}, {176, 122, 86}, {120, 80, 56}, {245, 210, 185}}
	hairs := [][3]float64{{40, 28, 20}, {90, 60, 30}, {20, 20, 22}, {150, 110, 60}, {110, 105, 100}}
	shirts := [][3]float64{{40, 70, 130}, {150, 40, 40}, {60, 110, 70}, {200, 200, 205}, {70, 70, 75}}
	irises := [][3]float64{{90, 60, 35}, {60, 100, 140}, {70, 95, 60}, {50, 35, 25}}
	return appearance{
		skin: skins[r.IntN(len(skins))], hair: hairs[r.IntN(len(hairs))],
		shirt: shirts[r.IntN(len(shirts))], iris: irises[r.IntN(len(irises))],
		lips: [3]float64{170, 90, 90}, wall: [3]float64{200, 206, 212},
	}
}

// faceScene is what a face image shows.
type faceScene struct {
	g       faceGeom
	open    float64
	glasses bool
	look    appearance
	noise   int  // sensor noise amplitude per channel
	ir      bool // lit by the infrared LEDs (the B/W "on" variants): bright skin, dark irises
}

// faceBackground is the wall behind the person, with its noise.
func faceBackground(w, h int, look appearance, nz *noise, amp int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		shade := 1 - 0.18*float64(y)/float64(h)
		for x := 0; x < w; x++ {
			vig := 1 - 0.15*sq(2*float64(x)/float64(w)-1)
			i := y*img.Stride + 4*x
			for c := 0; c < 3; c++ {
				img.Pix[i+c] = clampByte(look.wall[c]*shade*vig + float64(nz.jitter(amp)))
			}
			img.Pix[i+3] = 255
		}
	}
	return img
}

// drawFace draws the person over bg into dst. Only the head-and-shoulders box is drawn;
// the rest is the background's copy.
func drawFace(dst, bg *image.RGBA, s faceScene, nz *noise) {
	copy(dst.Pix, bg.Pix)
	b := dst.Bounds()
	g := s.g
	eyeY := g.cy - 0.12*g.ry
	eyes := [2]float64{g.cx + 0.38*g.rx, g.cx - 0.38*g.rx} // the person's left eye is on the image's right
	ew, eh := 0.2*g.rx, 0.085*g.ry*max(s.open, 0.02)
	ir := 0.075 * g.rx
	x0, x1 := clampInt(int(g.cx-2*g.rx), 0, b.Dx()), clampInt(int(g.cx+2*g.rx)+1, 0, b.Dx())
	y0 := clampInt(int(g.cy-1.2*g.ry), 0, b.Dy())
	skin, hair, iris := s.look.skin, s.look.hair, s.look.iris
	if s.ir {
		skin, iris = [3]float64{235, 235, 235}, [3]float64{60, 60, 60}
	}
	for y := y0; y < b.Dy(); y++ {
		fy := float64(y)
		ny := (fy - g.cy) / g.ry
		for x := x0; x < x1; x++ {
			fx := float64(x)
			nx := (fx - g.cx) / g.rx
			e := nx*nx + ny*ny
			var c [3]float64
			drawn := true
			switch {
			case e < 1 && !(ny < -0.55+0.15*nx*nx):
				c = scale(skin, 1-0.28*e*e)
				c = s.faceFeature(c, fx, fy, eyes, eyeY, ew, eh, ir, hair, iris)
			case sq(nx/1.08)+sq((ny+0.12)/1.02) < 1 && ny < 0.3:
				c = scale(hair, 0.85+0.15*math.Sin(fx*0.9+fy*0.13))
			case math.Abs(nx) < 0.36 && ny > 0.7 && ny < 1.6:
				c = scale(skin, 0.8)
			case sq(nx/1.9)+sq((ny-2.1)/0.9) < 1:
				c = scale(s.look.shirt, 1-0.2*math.Abs(nx)/1.9)
			default:
				drawn = false
			}
			if !drawn {
				continue
			}
			i := y*dst.Stride + 4*x
			for k := 0; k < 3; k++ {
				dst.Pix[i+k] = clampByte(c[k] + float64(nz.jitter(s.noise)))
			}
		}
	}
}

// faceFeature paints eyes, brows, nose, mouth and glasses over the skin colour c.
func (s faceScene) faceFeature(c [3]float64, fx, fy float64, eyes [2]float64, eyeY, ew, eh, ir float64, hair, iris [3]float64) [3]float64 {
	g := s.g
	for _, ex := range eyes {
		// Brow.
		if sq((fx-ex)/(0.24*g.rx))+sq((fy-(g.cy-0.3*g.ry))/(0.04*g.ry)) < 1 {
			return scale(hair, 0.9)
		}
		if s.glasses {
			d := sq((fx-ex)/(0.3*g.rx)) + sq((fy-eyeY)/(0.2*g.ry))
			if d > 0.84 && d < 1 {
				return [3]float64{30, 30, 35}
			}
		}
		if sq((fx-ex)/ew)+sq((fy-eyeY)/eh) < 1 {
			ix, iy := ex+s.g.gazeX*ew, eyeY+s.g.gazeY*eh
			d2 := sq(fx-ix) + sq(fy-iy)
			switch {
			case sq(fx-ix+0.35*ir)+sq(fy-iy+0.35*ir) < sq(0.2*ir):
				return [3]float64{250, 250, 250} // catch light
			case d2 < sq(0.45*ir):
				return [3]float64{15, 15, 15}
			case d2 < ir*ir:
				return iris
			}
			return [3]float64{235, 232, 228}
		}
	}
	if s.glasses && math.Abs(fy-eyeY+0.05*g.ry) < 0.02*g.ry && math.Abs(fx-g.cx) < 0.16*g.rx {
		return [3]float64{30, 30, 35} // bridge
	}
	if sq((fx-g.cx)/(0.09*g.rx))+sq((fy-(g.cy+0.17*g.ry))/(0.05*g.ry)) < 1 {
		return scale(c, 0.85)
	}
	if m := sq((fx-g.cx)/(0.25*g.rx)) + sq((fy-(g.cy+0.45*g.ry))/(0.06*g.ry)); m < 1 {
		if math.Abs(fy-(g.cy+0.45*g.ry)) < 0.008*g.ry+1 {
			return scale(s.look.lips, 0.5)
		}
		if s.ir {
			return scale(c, 0.8)
		}
		return s.look.lips
	}
	return c
}
