package ef45sim

import (
	"bytes"
	"encoding/json"
	"image"
	"image/jpeg"
	"math"
	"sync"
)

// Everything drawn here is synthetic: shapes shaded to look like an eye or a face under the
// camera's lighting, with texture and sensor noise so the JPEGs have realistic sizes.

const (
	texAngles = 512
	texRadii  = 64
)

// irisTexture is an iris pattern in polar coordinates (angle × radius from pupil to limbus).
type irisTexture struct {
	v [texAngles * texRadii]uint8
}

func newIrisTexture(seed int64, eye int) *irisTexture {
	r := newRNG(seed, "iris", uint64(eye))
	const waves = 12
	var f, ph, drift, amp [waves]float64
	for i := range waves {
		f[i], ph[i], drift[i], amp[i] = float64(6+r.IntN(70)), r.Float64()*2*math.Pi, r.Float64()*4-2, 4+r.Float64()*9
	}
	base := 85 + r.Float64()*30
	// sin(a+b) = sin a cos b + cos a sin b, with a depending on the angle only and b on the
	// radius only: two tables instead of a sine per wave per entry.
	var sa, ca [waves][texAngles]float64
	for i := range waves {
		for a := range texAngles {
			th := 2*math.Pi*float64(a)/texAngles - math.Pi
			sa[i][a], ca[i][a] = math.Sincos(f[i]*th + ph[i])
		}
	}
	var radial [texRadii]float64
	var sb, cb [waves][texRadii]float64
	for ri := range texRadii {
		rr := float64(ri) / (texRadii - 1)
		radial[ri] = base + 28*math.Exp(-sq((rr-0.28)/0.06)) - // collarette
			50*smoothstep(0.82, 1, rr) - // dark limbus ring
			20*smoothstep(0.08, 0, rr) // pupillary ruff
		for i := range waves {
			sb[i][ri], cb[i][ri] = math.Sincos(drift[i] * rr * 6)
		}
	}
	v := make([]float64, texAngles*texRadii)
	for a := range texAngles {
		for ri := range texRadii {
			x := radial[ri]
			for i := range waves {
				x += amp[i] * (sa[i][a]*cb[i][ri] + ca[i][a]*sb[i][ri])
			}
			v[a*texRadii+ri] = x
		}
	}
	// Crypts: dark spots, each darkening a small patch of the table.
	for range 18 {
		ca, cr, size := r.IntN(texAngles), 0.35+r.Float64()*0.5, 0.03+r.Float64()*0.05
		span := int(size/cr*texAngles/(2*math.Pi)) + 1
		for da := -span; da <= span; da++ {
			a := (ca + da + texAngles) % texAngles
			dth := float64(da) * 2 * math.Pi / texAngles
			for ri := range texRadii {
				rr := float64(ri) / (texRadii - 1)
				if sq(dth*rr)+sq(rr-cr) < sq(size) {
					v[a*texRadii+ri] -= 30
				}
			}
		}
	}
	t := &irisTexture{}
	for i, x := range v {
		t.v[i] = clampByte(x)
	}
	return t
}

func (t *irisTexture) at(theta, rr float64) uint8 {
	a := int((theta + math.Pi) / (2 * math.Pi) * texAngles)
	a = (a%texAngles + texAngles) % texAngles
	ri := min(max(int(rr*(texRadii-1)+0.5), 0), texRadii-1)
	return t.v[a*texRadii+ri]
}

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

// eyeBackground is the skin around an eye under infrared light.
func eyeBackground(seed int64, eye int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, eyeW, eyeH))
	r := newRNG(seed, "eye-skin", uint64(eye))
	ph1, ph2 := r.Float64()*6, r.Float64()*6
	nz := newNoise(seed, "eye-skin-noise", uint64(eye))
	var sx [eyeW]float64
	for x := range sx {
		sx[x] = 7 * math.Sin(float64(x)/37+ph1)
	}
	for y := 0; y < eyeH; y++ {
		base, cy := 150+22*(1-float64(y)/eyeH), math.Cos(float64(y)/29+ph2)
		row := img.Pix[y*img.Stride : y*img.Stride+eyeW]
		for x := range row {
			row[x] = clampByte(base + sx[x]*cy + float64(nz.jitter(5)))
		}
	}
	return img
}

// drawEye draws one eye of geometry e with lids opened by open (0..1) over bg into dst.
func drawEye(dst, bg *image.Gray, tex *irisTexture, e eyeGeom, open float64) {
	copy(dst.Pix, bg.Pix)
	R := e.irisR
	hw, hTop, hBot := 2.4*R, 1.05*R, 0.8*R
	pupil := 0.42 * R
	hlX, hlY, hlR := e.irisX-0.25*R, e.irisY-0.3*R, 0.09*R
	lash := 0.07 * R
	x0, x1 := clampInt(int(e.eyeX-hw)-2, 0, eyeW), clampInt(int(e.eyeX+hw)+3, 0, eyeW)
	y0, y1 := clampInt(int(e.eyeY-hTop-lash)-3, 0, eyeH), clampInt(int(e.eyeY+hBot)+3, 0, eyeH)
	for y := y0; y < y1; y++ {
		fy := float64(y)
		row := dst.Pix[y*dst.Stride:]
		for x := x0; x < x1; x++ {
			fx := float64(x)
			u := (fx - e.eyeX) / hw
			if u <= -1 || u >= 1 {
				continue
			}
			prof := 1 - u*u
			yTop := e.eyeY + prof*(-hTop*open+hBot*(1-open))
			yBot := e.eyeY + prof*hBot
			switch {
			case fy < yTop:
				if yTop-fy < lash*prof+1 {
					row[x] = 35 // lashes along the upper lid
				}
				continue
			case fy > yBot:
				continue
			}
			var v float64
			dx, dy := fx-e.irisX, fy-e.irisY
			d2 := dx*dx + dy*dy
			switch {
			case sq(fx-hlX)+sq(fy-hlY) < hlR*hlR:
				v = 250 // illuminator reflection
			case d2 < pupil*pupil:
				v = 16
			case d2 < R*R:
				d := math.Sqrt(d2)
				v = float64(tex.at(math.Atan2(dy, dx), (d-pupil)/(R-pupil)))
			default:
				v = 178 - 40*u*u
			}
			if s := fy - yTop; s < 0.12*R {
				v *= 0.65 + 0.35*s/(0.12*R) // shadow of the upper lid
			}
			row[x] = clampByte(v)
		}
	}
}

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

// previewAssets are drawn once per device and reused for every preview frame.
type previewAssets struct {
	eyeBG  [2]*image.Gray
	tex    [2]*irisTexture
	faceBG *image.RGBA
	look   appearance
}

func (d *Device) previewAssets() *previewAssets {
	d.previewOnce.Do(func() {
		s := d.opts.Seed
		p := &previewAssets{look: newAppearance(s)}
		for i := range 2 {
			p.eyeBG[i] = eyeBackground(s, i)
			p.tex[i] = newIrisTexture(s, i)
		}
		p.faceBG = faceBackground(previewFaceW, previewFaceH, p.look, newNoise(s, "preview-wall", 0), 3)
		d.preview = p
	})
	return d.preview
}

// Preview JPEG qualities: the device sends reduced-quality frames to keep up the rate.
const (
	previewEyeQuality  = 70
	previewFaceQuality = 65
	maxCachedFrames    = 512
)

// frameKey names one preview frame; frames depend only on these and the seed.
type frameKey struct {
	k, n    int
	glasses bool
}

// frameCache keeps encoded preview answers so a frame is drawn once per device.
type frameCache struct {
	mu sync.Mutex
	m  map[frameKey][]byte
}

// frame returns the encoded preview answer of a frame, drawing it on first use.
func (d *Device) frame(key frameKey) []byte {
	d.frames.mu.Lock()
	b, ok := d.frames.m[key]
	d.frames.mu.Unlock()
	if ok {
		return b
	}
	b = d.renderFrame(key)
	d.frames.mu.Lock()
	if len(d.frames.m) >= maxCachedFrames {
		clear(d.frames.m) // long captures at a high rate: start over rather than grow
	}
	d.frames.m[key] = b
	d.frames.mu.Unlock()
	d.mu.Lock()
	d.st.stats.FramesRendered++
	d.mu.Unlock()
	return b
}

func (d *Device) renderFrame(key frameKey) []byte {
	pa := d.previewAssets()
	g := frameGeometry(d.opts.Seed, key.k, key.n, key.glasses)
	p := previewOf(g)
	// The three images are independent: drawing and encoding them at once keeps a frame's
	// latency near that of the slowest one.
	var wg sync.WaitGroup
	for i, out := range []*[]byte{&p.LeftEye, &p.RightEye} {
		wg.Go(func() {
			eye := image.NewGray(image.Rect(0, 0, eyeW, eyeH))
			drawEye(eye, pa.eyeBG[i], pa.tex[i], g.eyes[i], g.open)
			*out = encodeJPEG(eye, previewEyeQuality)
		})
	}
	wg.Go(func() {
		face := image.NewRGBA(image.Rect(0, 0, previewFaceW, previewFaceH))
		drawFace(face, pa.faceBG, faceScene{g: g.face, open: g.open, glasses: g.glasses, look: pa.look, noise: 2},
			newNoise(d.opts.Seed, "preview-face", uint64(key.k)))
		p.FaceImage = encodeJPEG(face, previewFaceQuality)
	})
	wg.Wait()
	b, _ := json.Marshal(p) // a Preview of byte slices and numbers always encodes
	return b
}
