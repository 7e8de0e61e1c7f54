//go:build cgo && !noturbo

package preview

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"
)

func TestTheDefaultDecoderIsTurboJPEG(t *testing.T) {
	if _, ok := newDefaultDecoder().(*turboDecoder); !ok {
		t.Fatalf("default decoder is %T, want the TurboJPEG one in a cgo build", newDefaultDecoder())
	}
}

// Both decoders draw the simulator's frames alike. Where the panels are as big as the
// images, both decode every pixel and differ only in IDCT rounding: a mean absolute
// difference per channel under 1 level and none over 8. Where TurboJPEG scales in the
// decoder (the 850×640 of the capture screen and smaller), a shown pixel is a block average
// there and one sampled pixel with image/jpeg, so single pixels on sharp edges (the pupil's
// reflection, the iris border) may differ by 200 while the picture does not: there the
// mean stays under 3 levels (invisible) and fewer than 1% of values differ by 40 or more. A
// wrong colour order, a shifted row or a misplaced panel moves whole regions by more than
// that (a swapped R and B alone puts most of the face off by over 40).
func TestTurboAndGoDecodersDrawTheSameFrame(t *testing.T) {
	frames := simFrames(t, t.Context(), 6)
	cases := []struct {
		size   image.Point
		mean   float64 // mean absolute difference per channel, below
		max    int     // largest difference, at most
		over40 float64 // share of channel values off by 40 or more, below
	}{
		{size: image.Pt(1400, 1050), mean: 1, max: 8, over40: 1e-9},
		{size: image.Pt(850, 640), mean: 3, max: 255, over40: 0.01},
		{size: image.Pt(320, 240), mean: 3, max: 255, over40: 0.01},
	}
	for _, tc := range cases {
		turbo := newRenderer(tc.size.X, tc.size.Y, newDefaultDecoder)
		plain := newRenderer(tc.size.X, tc.size.Y, func() decoder { return goDecoder{} })
		for i, p := range frames {
			a, err := turbo.Render(p)
			if err != nil {
				t.Fatalf("%v frame %d: turbo: %v", tc.size, i, err)
			}
			b, err := plain.Render(p)
			if err != nil {
				t.Fatalf("%v frame %d: image/jpeg: %v", tc.size, i, err)
			}
			d := diffRGBA(a, b)
			if d.mean >= tc.mean || d.max > tc.max || d.over40 >= tc.over40 {
				t.Errorf("%v frame %d: mean abs diff %.2f, max %d, %.3f%% off by 40 or more; want < %v, <= %d, < %v%%",
					tc.size, i, d.mean, d.max, 100*d.over40, tc.mean, tc.max, 100*tc.over40)
			}
		}
	}
	// The comparison can fail: the same frames with red and blue swapped are far apart.
	r := newRenderer(850, 640, func() decoder { return goDecoder{} })
	a, err := r.Render(frames[0])
	if err != nil {
		t.Fatal(err)
	}
	swapped := image.NewRGBA(a.Rect)
	copy(swapped.Pix, a.Pix)
	face := r.panels[panelFace].rect
	for y := face.Min.Y; y < face.Max.Y; y++ {
		for x := face.Min.X; x < face.Max.X; x++ {
			o := swapped.PixOffset(x, y)
			swapped.Pix[o], swapped.Pix[o+2] = swapped.Pix[o+2], swapped.Pix[o]
		}
	}
	if d := diffRGBA(a, swapped); d.over40 < 0.01 {
		t.Errorf("a frame with the face's red and blue swapped differs by 40 or more in only %.3f%% of values", 100*d.over40)
	}
}

type frameDiff struct {
	mean   float64
	max    int
	over40 float64
}

func diffRGBA(a, b *image.RGBA) frameDiff {
	sum, n, over, most := 0, 0, 0, 0
	for i := range a.Pix {
		if i%4 == 3 {
			continue
		}
		d := int(a.Pix[i]) - int(b.Pix[i])
		if d < 0 {
			d = -d
		}
		sum += d
		n++
		most = max(most, d)
		if d >= 40 {
			over++
		}
	}
	return frameDiff{mean: float64(sum) / float64(n), max: most, over40: float64(over) / float64(n)}
}

// A damaged frame gets a clear error from TurboJPEG, never a crash or a grey-filled image.
func TestTurboDecoderRefusesDamagedJPEGs(t *testing.T) {
	eye := eyeJPEG(t, 640, 480, 320, 240, 120, 1)
	sof := bytes.Index(eye, []byte{0xff, 0xc0})
	huge := bytes.Clone(eye)
	huge[sof+5], huge[sof+6], huge[sof+7], huge[sof+8] = 0xea, 0x60, 0xea, 0x60 // 60000×60000
	cases := []struct {
		name, data, want string
	}{
		{"empty", "", "not a readable JPEG"},
		{"not a JPEG", "not a jpeg", "not a readable JPEG"},
		{"the start marker only", "\xff\xd8\xff", "not a readable JPEG"},
		{"truncated in the header", string(eye[:sof+4]), "not a readable JPEG"},
		{"truncated in the scan", string(eye[:len(eye)/2]), "not a readable JPEG"},
		{"an absurd size", string(huge), "60000×60000"},
	}
	d, err := newTurboDecoder()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := d.decode([]byte(tc.data), image.Pt(400, 300))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
	// The handle still decodes after every failure.
	got, err := d.decode(eye, image.Pt(640, 480))
	if err != nil {
		t.Fatalf("after the failures: %v", err)
	}
	if want := (image.Rect(0, 0, 640, 480)); got.img.Bounds() != want || got.full != want.Max {
		t.Fatalf("decoded %v (full %v), want %v", got.img.Bounds(), got.full, want)
	}
}

// The decoder scales down to the smallest size that still covers the panel, keeps grey
// JPEGs grey, and reports the declared size the device's geometry refers to.
func TestTurboDecoderScalesToThePanel(t *testing.T) {
	d, err := newTurboDecoder()
	if err != nil {
		t.Fatal(err)
	}
	eye := eyeJPEG(t, 640, 480, 320, 240, 120, 1)
	face := faceJPEG(t, 720, 960, 2)
	cases := []struct {
		name   string
		data   []byte
		panel  image.Point
		size   image.Point
		isGray bool
	}{
		{"eye in the 850×640 layout", eye, image.Pt(389, 292), image.Pt(400, 300), true},
		{"eye in a big panel", eye, image.Pt(900, 700), image.Pt(640, 480), true},
		{"eye in a tiny panel", eye, image.Pt(60, 40), image.Pt(80, 60), true},
		{"big face in the 850×640 layout", face, image.Pt(441, 588), image.Pt(450, 600), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.decode(tc.data, tc.panel)
			if err != nil {
				t.Fatal(err)
			}
			_, isGray := got.img.(*image.Gray)
			if got.img.Bounds().Size() != tc.size || isGray != tc.isGray {
				t.Fatalf("decoded %v grey=%v, want %v grey=%v", got.img.Bounds().Size(), isGray, tc.size, tc.isGray)
			}
			if rgba, ok := got.img.(*image.RGBA); ok {
				if c := rgba.RGBAAt(tc.size.X/2, tc.size.Y/2); c.A != 0xff {
					t.Errorf("centre pixel %v is not opaque", c)
				}
			}
		})
	}
}

// A CMYK JPEG, which libjpeg cannot turn into RGB, is decoded by image/jpeg instead.
func TestTurboDecoderHandsCMYKToImageJPEG(t *testing.T) {
	img := image.NewCMYK(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = []uint8{0, 200, 200, 0}[i%4] // red
	}
	b := encodeJPEG(t, img)
	d, err := newTurboDecoder()
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.decode(b, image.Pt(32, 24))
	if err != nil {
		t.Fatal(err)
	}
	c := color.RGBAModel.Convert(got.img.At(16, 12)).(color.RGBA)
	if c.R < 200 || c.G > 80 || c.B > 80 {
		t.Errorf("centre %v, want about red", c)
	}
}

// FuzzDecodeTurboJPEG feeds arbitrary bytes and panel sizes to the TurboJPEG decoder: it
// must not crash, and what it decodes must fit its buffer and the size limit.
func FuzzDecodeTurboJPEG(f *testing.F) {
	f.Add(eyeJPEG(f, 16, 12, 8, 6, 4, 1), 16, 12)
	f.Add(faceJPEG(f, 9, 12, 2), 4, 4)
	f.Add([]byte{0xff, 0xd8, 0xff}, 100, 100)
	f.Add([]byte{}, 0, 0)
	d, err := newTurboDecoder()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte, w, h int) {
		want := image.Pt(min(max(w, 1), 4096), min(max(h, 1), 4096))
		got, err := d.decode(b, want)
		if err != nil {
			if got.img != nil {
				t.Fatal("an error came with an image")
			}
			return
		}
		size := got.img.Bounds().Size()
		if size.X <= 0 || size.Y <= 0 || size.X > got.full.X || size.Y > got.full.Y || got.full.X*got.full.Y > maxPreviewPixels {
			t.Fatalf("decoded %v of a declared %v", size, got.full)
		}
		switch img := got.img.(type) {
		case *image.Gray:
			if len(img.Pix) < img.Stride*size.Y {
				t.Fatalf("grey buffer %d bytes for %v", len(img.Pix), size)
			}
		case *image.RGBA:
			if len(img.Pix) < img.Stride*size.Y {
				t.Fatalf("RGBA buffer %d bytes for %v", len(img.Pix), size)
			}
		}
	})
}

// With TurboJPEG a frame decodes into buffers made once: after a warm-up, composing the
// simulator's frames allocates nothing.
func TestComposingWithTurboJPEGDoesNotAllocate(t *testing.T) {
	frames := simFrames(t, t.Context(), 4)
	r := NewRenderer(850, 640)
	for _, p := range frames {
		if _, err := r.Render(p); err != nil {
			t.Fatal(err)
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(40, func() {
		if _, err := r.Render(frames[i%len(frames)]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs >= 1 {
		t.Errorf("a frame allocates %v times; want none", allocs)
	}
}
