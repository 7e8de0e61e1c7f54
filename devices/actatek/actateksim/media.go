package actateksim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// FacePhoto draws a made-up passport-style face photo, w×h, as a JPEG: the same seed gives
// the same bytes. Sensor-like noise makes its size realistic (about 30 KB at 344×448).
func FacePhoto(seed int64, w, h int) []byte {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7ace))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{uint8(150 + rng.IntN(90)), uint8(160 + rng.IntN(80)), uint8(170 + rng.IntN(80)), 255}
	skins := []color.RGBA{{241, 194, 167, 255}, {224, 172, 137, 255}, {198, 134, 94, 255}, {141, 85, 54, 255}, {255, 219, 186, 255}}
	skin := skins[rng.IntN(len(skins))]
	hair := color.RGBA{uint8(20 + rng.IntN(100)), uint8(15 + rng.IntN(60)), uint8(10 + rng.IntN(40)), 255}
	shirt := color.RGBA{uint8(rng.IntN(200)), uint8(rng.IntN(200)), uint8(rng.IntN(200)), 255}
	cx, cy := float64(w)/2+float64(rng.IntN(w/20+1)-w/40), float64(h)*0.42
	rx, ry := float64(w)*(0.24+rng.Float64()*0.05), float64(h)*(0.26+rng.Float64()*0.04)
	eyeY := cy - ry*0.12
	eyeDX := rx * 0.42
	eyeR := rx * 0.13
	inEllipse := func(x, y, ex, ey, erx, ery float64) bool {
		dx, dy := (x-ex)/erx, (y-ey)/ery
		return dx*dx+dy*dy <= 1
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			shade := 1 - 0.25*fy/float64(h)
			c := color.RGBA{uint8(float64(bg.R) * shade), uint8(float64(bg.G) * shade), uint8(float64(bg.B) * shade), 255}
			switch {
			case inEllipse(fx, fy, cx, float64(h)*1.05, float64(w)*0.48, float64(h)*0.3):
				c = shirt
			case fy > cy && fy < cy+ry*1.35 && math.Abs(fx-cx) < rx*0.42:
				c = skin // neck
			}
			if inEllipse(fx, fy, cx, cy-ry*0.18, rx*1.08, ry*0.95) && fy < cy-ry*0.35 {
				c = hair
			}
			if inEllipse(fx, fy, cx, cy, rx, ry) && !(fy < cy-ry*0.55) {
				light := 1 - 0.15*(fx-cx)/rx
				c = color.RGBA{clamp(float64(skin.R) * light), clamp(float64(skin.G) * light), clamp(float64(skin.B) * light), 255}
				for _, ex := range []float64{cx - eyeDX, cx + eyeDX} {
					if inEllipse(fx, fy, ex, eyeY, eyeR*1.6, eyeR) {
						c = color.RGBA{245, 245, 240, 255}
					}
					if inEllipse(fx, fy, ex, eyeY, eyeR*0.6, eyeR*0.6) {
						c = color.RGBA{60, 40, 30, 255}
					}
				}
				if inEllipse(fx, fy, cx, cy+ry*0.45, rx*0.35, ry*0.06) {
					c = color.RGBA{150, 60, 60, 255}
				}
				if inEllipse(fx, fy, cx, cy+ry*0.12, rx*0.08, ry*0.15) {
					c = color.RGBA{clamp(float64(skin.R) * 0.85), clamp(float64(skin.G) * 0.85), clamp(float64(skin.B) * 0.85), 255}
				}
			}
			n := float64(rng.IntN(25) - 12)
			img.SetRGBA(x, y, color.RGBA{clamp(float64(c.R) + n), clamp(float64(c.G) + n), clamp(float64(c.B) + n), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil // encoding into memory does not fail
	}
	return buf.Bytes()
}

// FingerprintImage draws a made-up fingerprint (concentric, warped ridges) as a grey JPEG.
func FingerprintImage(seed int64) []byte {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xf1a9))
	const w, h = 256, 288
	img := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2+float64(rng.IntN(30)-15), float64(h)/2+float64(rng.IntN(30)-15)
	freq := 0.35 + rng.Float64()*0.1
	warp := 2 + rng.Float64()*3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			r := math.Hypot(dx, dy*0.85)
			a := math.Atan2(dy, dx)
			v := math.Sin(freq*r + warp*math.Sin(2*a))
			edge := math.Max(0, 1-math.Hypot(dx/(w*0.45), dy/(h*0.45)))
			img.SetGray(x, y, color.Gray{Y: clamp(255 - 110*(v+1)*math.Min(1, edge*3))})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil
	}
	return buf.Bytes()
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

// extractTemplate stands in for the terminal's face template extraction: 512 bytes that
// depend only on the photo.
func extractTemplate(photo []byte) []byte {
	out := make([]byte, 0, 512)
	sum := sha256.Sum256(photo)
	for len(out) < 512 {
		out = append(out, sum[:]...)
		sum = sha256.Sum256(sum[:])
	}
	return out
}

// totpStep is the TOTP time step (RFC 6238 default).
const totpStep = 30

// totpSecret is a user's API TOTP secret, derived from the seed.
func (s *Simulator) totpSecret(userID string) []byte {
	m := hmac.New(sha256.New, fmt.Appendf(nil, "actateksim totp %d", s.opts.Seed))
	m.Write([]byte(userID))
	return m.Sum(nil)[:20]
}

// totpCode is the 8-digit RFC 6238 code (HMAC-SHA1) for a time step.
func totpCode(secret []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%08d", v%100_000_000)
}

// totpContent is the text of the QR code (3.14 QR_PLAINTEXT: "a header and a json
// content").
func totpContent(userID, serial, code string, expiry time.Time) string {
	body, _ := json.Marshal(map[string]string{
		"terminalSN": serial, "userID": userID, "otp": code, "expiry": expiry.Format(time.RFC3339),
	})
	return "ACTATEK-API-TOTP/1\n" + string(body)
}

// qrMatrix is a QR-looking 29×29 module pattern for content: three finder patterns and
// data modules from a hash of the content. It is not a decodable QR code; the simulator
// only needs images of the right kind and size.
func qrMatrix(content string) [][]bool {
	const n = 29
	m := make([][]bool, n)
	for i := range m {
		m[i] = make([]bool, n)
	}
	stream := sha256.Sum256([]byte(content))
	bit := 0
	next := func() bool {
		if bit == 256 {
			stream = sha256.Sum256(stream[:])
			bit = 0
		}
		v := stream[bit/8]>>(bit%8)&1 == 1
		bit++
		return v
	}
	finder := func(r, c int) bool {
		for _, o := range [][2]int{{0, 0}, {0, n - 7}, {n - 7, 0}} {
			dr, dc := r-o[0], c-o[1]
			if dr >= -1 && dr <= 7 && dc >= -1 && dc <= 7 {
				return true
			}
		}
		return false
	}
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			if finder(r, c) {
				for _, o := range [][2]int{{0, 0}, {0, n - 7}, {n - 7, 0}} {
					dr, dc := r-o[0], c-o[1]
					if dr >= 0 && dr < 7 && dc >= 0 && dc < 7 {
						ring := max(abs(dr-3), abs(dc-3))
						m[r][c] = ring != 2
					}
				}
				continue
			}
			m[r][c] = next()
		}
	}
	return m
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// qrPNG renders qrMatrix as a PNG, 8 pixels a module, with a 4-module quiet zone.
func qrPNG(content string) []byte {
	m := qrMatrix(content)
	const scale, quiet = 8, 4
	size := (len(m) + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, size, size))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for r, row := range m {
		for c, dark := range row {
			if !dark {
				continue
			}
			for y := 0; y < scale; y++ {
				for x := 0; x < scale; x++ {
					img.SetGray((c+quiet)*scale+x, (r+quiet)*scale+y, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil
	}
	return buf.Bytes()
}

// qrSVG renders qrMatrix as SVG.
func qrSVG(content string) []byte {
	m := qrMatrix(content)
	n := len(m) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d"><rect width="%d" height="%d" fill="#fff"/>`, n, n, n, n)
	for r, row := range m {
		for c, dark := range row {
			if dark {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="1" height="1"/>`, c+4, r+4)
			}
		}
	}
	b.WriteString("</svg>")
	return []byte(b.String())
}

// qrANSI renders qrMatrix for a terminal, two characters a module.
func qrANSI(content string) string {
	var b strings.Builder
	for _, row := range qrMatrix(content) {
		for _, dark := range row {
			if dark {
				b.WriteString("██")
			} else {
				b.WriteString("  ")
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
