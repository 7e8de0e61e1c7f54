package ef45sim

import (
	"image"
	"math"
)

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
