package enroll

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

// eyeJPEG draws a 640×480-style grey eye: textured skin, the sclera, an iris with radial
// texture around (cx, cy), the pupil and a light reflection.
func eyeJPEG(tb testing.TB, w, h, cx, cy, radius int, seed uint64) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 140 + rng.IntN(30)
			ex, ey := float64(x-cx)/(float64(w)*0.33), float64(y-cy)/(float64(h)*0.2)
			if ex*ex+ey*ey < 1 {
				v = 195 + rng.IntN(20)
			}
			dx, dy := float64(x-cx), float64(y-cy)
			d := math.Hypot(dx, dy)
			switch {
			case d < float64(radius)/2.6:
				v = 18 + rng.IntN(8)
			case d < float64(radius):
				a := math.Atan2(dy, dx)
				v = 70 + int(25*math.Sin(a*36)) + rng.IntN(25)
			}
			if math.Hypot(dx+float64(radius)/5, dy+float64(radius)/5) < float64(radius)/10 {
				v = 250
			}
			img.Pix[y*img.Stride+x] = uint8(v)
		}
	}
	return encodeJPEG(tb, img)
}

// faceJPEG draws a colour portrait: a gradient background, hair, a face with eyes and a
// mouth, all with noise so that it compresses like a photo.
func faceJPEG(tb testing.TB, w, h int, seed uint64) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/fw, float64(y)/fh
			c := color.RGBA{uint8(60 + 80*fy), uint8(90 + 60*fx), uint8(150 + 60*fy), 0xff}
			hx, hy := (fx-0.5)/0.34, (fy-0.38)/0.3
			if hx*hx+hy*hy < 1 {
				c = color.RGBA{50, 35, 25, 0xff}
			}
			sx, sy := (fx-0.5)/0.28, (fy-0.48)/0.3
			if sx*sx+sy*sy < 1 {
				c = color.RGBA{215, 170, 140, 0xff}
			}
			for _, ex := range []float64{0.39, 0.61} {
				dx, dy := (fx-ex)/0.05, (fy-0.43)/0.02
				if dx*dx+dy*dy < 1 {
					c = color.RGBA{60, 45, 40, 0xff}
				}
			}
			mx, my := (fx-0.5)/0.09, (fy-0.63)/0.02
			if mx*mx+my*my < 1 {
				c = color.RGBA{150, 60, 60, 0xff}
			}
			n := rng.IntN(24) - 12
			img.SetRGBA(x, y, color.RGBA{clampByte(int(c.R) + n), clampByte(int(c.G) + n), clampByte(int(c.B) + n), 0xff})
		}
	}
	return encodeJPEG(tb, img)
}

func clampByte(v int) uint8 { return uint8(min(max(v, 0), 255)) }

func encodeJPEG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatalf("encode test JPEG: %v", err)
	}
	return buf.Bytes()
}

func solidJPEG(tb testing.TB, w, h int, c color.Color) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	return encodeJPEG(tb, img)
}

// framePreview is a preview with all three images and the geometry of a person in range.
func framePreview(tb testing.TB) *ef45.Preview {
	tb.Helper()
	return &ef45.Preview{
		LeftEye:         eyeJPEG(tb, 640, 480, 320, 240, 120, 1),
		RightEye:        eyeJPEG(tb, 640, 480, 300, 250, 115, 2),
		FaceImage:       faceJPEG(tb, 360, 480, 3),
		AvgDistance:     400000,
		LeftDistance:    400000,
		RightDistance:   402000,
		LeftIrisCenterX: 320, LeftIrisCenterY: 240, LeftIrisRadius: 120,
		RightIrisCenterX: 300, RightIrisCenterY: 250, RightIrisRadius: 115,
		LeftEyeCenterX: 140, LeftEyeCenterY: 206,
		RightEyeCenterX: 220, RightEyeCenterY: 206,
	}
}

func rgbaAt(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }

func TestLayoutStaysInsideTheFrame(t *testing.T) {
	sizes := []image.Point{{0, 0}, {64, 48}, {65, 1000}, {1000, 49}, {850, 640}, {1920, 1080}, {333, 777}, {101, 99}}
	p := framePreview(t)
	for _, sz := range sizes {
		r := NewPreviewRenderer(sz.X, sz.Y)
		frame := image.Rect(0, 0, r.Size().X, r.Size().Y)
		if r.Size().X < minPreviewWidth || r.Size().Y < minPreviewHeight {
			t.Errorf("%v: frame size %v below the minimum", sz, r.Size())
		}
		rects := []image.Rectangle{r.panels[panelFace].rect, r.panels[panelLeft].rect, r.panels[panelRight].rect, r.bar}
		for i, a := range rects {
			if a.Empty() || !a.In(frame) {
				t.Errorf("%v: area %d = %v is empty or outside the frame %v", sz, i, a, frame)
			}
			for j, b := range rects[i+1:] {
				if a.Overlaps(b) {
					t.Errorf("%v: areas %d and %d overlap: %v %v", sz, i, i+1+j, a, b)
				}
			}
		}
		if _, err := r.Render(p); err != nil {
			t.Errorf("%v: render: %v", sz, err)
		}
	}
}

func TestRenderShowsTheImagesInTheirPanels(t *testing.T) {
	r := NewPreviewRenderer(850, 640)
	p := &ef45.Preview{
		LeftEye:   solidJPEG(t, 640, 480, color.Gray{Y: 40}),
		RightEye:  solidJPEG(t, 640, 480, color.Gray{Y: 220}),
		FaceImage: solidJPEG(t, 360, 480, color.RGBA{200, 30, 30, 0xff}),
	}
	frame, err := r.Render(p)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	if frame.Rect != image.Rect(0, 0, 850, 640) {
		t.Fatalf("frame bounds %v, want 850×640", frame.Rect)
	}
	centre := func(i int) color.RGBA {
		c := r.panels[i].rect
		return rgbaAt(frame, (c.Min.X+c.Max.X)/2, (c.Min.Y+c.Max.Y)/2)
	}
	near := func(got color.RGBA, want [3]int) bool {
		return previewAbs(int(got.R)-want[0]) < 12 && previewAbs(int(got.G)-want[1]) < 12 && previewAbs(int(got.B)-want[2]) < 12 && got.A == 0xff
	}
	if got := centre(panelFace); !near(got, [3]int{200, 30, 30}) {
		t.Errorf("face panel centre = %v, want about (200,30,30)", got)
	}
	if got := centre(panelLeft); !near(got, [3]int{40, 40, 40}) {
		t.Errorf("left eye panel centre = %v, want grey 40", got)
	}
	if got := centre(panelRight); !near(got, [3]int{220, 220, 220}) {
		t.Errorf("right eye panel centre = %v, want grey 220", got)
	}
}

func previewAbs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func TestRenderAlternatesTwoFrames(t *testing.T) {
	r := NewPreviewRenderer(320, 240)
	p := framePreview(t)
	a, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Render(nil)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two renders in a row returned the same buffer; the UI would show a frame being drawn")
	}
	if c != a {
		t.Fatal("the third render did not reuse the first buffer")
	}
}

func TestRenderKeepsAPanelWhoseImageIsEmpty(t *testing.T) {
	r := NewPreviewRenderer(640, 480)
	full := &ef45.Preview{
		LeftEye:   eyeJPEG(t, 640, 480, 320, 240, 120, 7),
		RightEye:  eyeJPEG(t, 640, 480, 320, 240, 120, 8),
		FaceImage: faceJPEG(t, 360, 480, 9),
	}
	first, err := r.Render(full)
	if err != nil {
		t.Fatal(err)
	}
	want := image.NewRGBA(first.Rect)
	copy(want.Pix, first.Pix)

	// Only the face is new; the eyes are "no frame yet".
	next := &ef45.Preview{FaceImage: solidJPEG(t, 360, 480, color.RGBA{0, 0, 255, 0xff})}
	second, err := r.Render(next)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{panelLeft, panelRight} {
		if !sameArea(want, second, r.panels[i].rect) {
			t.Errorf("%s changed although the preview carried none", panelNames[i])
		}
	}
	if sameArea(want, second, r.panels[panelFace].rect) {
		t.Error("the face panel did not change although a new face image came")
	}
}

func sameArea(a, b *image.RGBA, rect image.Rectangle) bool {
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		oa, ob := a.PixOffset(rect.Min.X, y), b.PixOffset(rect.Min.X, y)
		if !bytes.Equal(a.Pix[oa:oa+4*rect.Dx()], b.Pix[ob:ob+4*rect.Dx()]) {
			return false
		}
	}
	return true
}

func TestRenderDrawsPlaceholdersBeforeTheFirstImage(t *testing.T) {
	r := NewPreviewRenderer(640, 480)
	frame, err := r.Render(nil)
	if err != nil {
		t.Fatal(err)
	}
	ph := DefaultPreviewColors().Placeholder
	for i := range r.panels {
		c := r.panels[i].rect
		if got := rgbaAt(frame, (c.Min.X+c.Max.X)/2, (c.Min.Y+c.Max.Y)/2); got != ph {
			t.Errorf("%s: centre %v, want the placeholder %v", panelNames[i], got, ph)
		}
	}
	// After Reset, a shown image is forgotten.
	if _, err := r.Render(framePreview(t)); err != nil {
		t.Fatal(err)
	}
	r.Reset()
	frame, _ = r.Render(nil)
	c := r.panels[panelLeft].rect
	if got := rgbaAt(frame, (c.Min.X+c.Max.X)/2, (c.Min.Y+c.Max.Y)/2); got != ph {
		t.Errorf("after Reset the left eye panel shows %v, want the placeholder", got)
	}
}

func TestRenderIrisOverlayColour(t *testing.T) {
	colors := DefaultPreviewColors()
	eye := solidJPEG(t, 640, 480, color.Gray{Y: 128})
	cases := []struct {
		name     string
		radius   ef45.Int
		distance ef45.Int // microns
		want     color.RGBA
	}{
		{"in range", 120, 400000, colors.Good},
		{"exactly at the limits", 100, 350000, colors.Good},
		{"far edge", 100, 450000, colors.Good},
		{"iris too small", 90, 400000, colors.Adjust},
		{"too far", 120, 460000, colors.Adjust},
		{"too close", 120, 340000, colors.Adjust},
		{"distance unknown", 120, -1, colors.Adjust},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := NewPreviewRenderer(850, 640)
			p := &ef45.Preview{
				LeftEye: eye, AvgDistance: tc.distance, LeftDistance: tc.distance, RightDistance: -1,
				LeftIrisCenterX: 320, LeftIrisCenterY: 240, LeftIrisRadius: tc.radius,
			}
			frame, err := r.Render(p)
			if err != nil {
				t.Fatal(err)
			}
			panel := &r.panels[panelLeft]
			cx, cy := panel.toFrame(320, 240)
			rx, _ := panel.toFrame(320+float64(tc.radius), 240)
			if got := rgbaAt(frame, rx, cy); got != tc.want {
				t.Errorf("circle pixel at (%d,%d) = %v, want %v", rx, cy, got, tc.want)
			}
			if got := rgbaAt(frame, cx, cy); got != tc.want {
				t.Errorf("centre cross pixel = %v, want %v", got, tc.want)
			}
			// Half way between centre and circle there is no overlay: the image shows.
			mid := (cx + rx) / 2
			if got := rgbaAt(frame, mid, cy+(rx-cx)/3); got == tc.want {
				t.Errorf("pixel inside the iris is painted %v; the circle should be an outline", got)
			}
		})
	}
}

func TestRenderMarksFaceEdgesAndEyeCentres(t *testing.T) {
	r := NewPreviewRenderer(850, 640)
	p := &ef45.Preview{
		FaceImage:    solidJPEG(t, 360, 480, color.RGBA{90, 90, 90, 0xff}),
		LeftEye:      solidJPEG(t, 640, 480, color.Gray{Y: 128}),
		LeftBoundary: 100, RightBoundary: 260,
		LeftEyeCenterX: 300, LeftEyeCenterY: 200,
	}
	frame, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	marker := DefaultPreviewColors().Marker
	face := &r.panels[panelFace]
	for _, b := range []float64{100, 260} {
		x, y := face.toFrame(b, 2) // the dashes start at the top of the image
		if got := rgbaAt(frame, x, y); got != marker {
			t.Errorf("face edge at source x=%v: pixel %v, want the marker colour", b, got)
		}
	}
	if x, y := face.toFrame(180, 2); rgbaAt(frame, x, y) == marker {
		t.Error("the marker colour shows between the face edges")
	}
	left := &r.panels[panelLeft]
	if x, y := left.toFrame(300, 200); rgbaAt(frame, x, y) != marker {
		t.Errorf("left eye centre not marked: %v", rgbaAt(frame, x, y))
	}
	right := &r.panels[panelRight]
	if x, y := right.toFrame(300, 200); rgbaAt(frame, x, y) == marker {
		t.Error("a marker was drawn on the right eye panel, which has no image")
	}
}

func TestRenderDistanceBar(t *testing.T) {
	colors := DefaultPreviewColors()
	cases := []struct {
		name     string
		distance ef45.Int
		at       int // mm where the marker is expected
		want     color.RGBA
	}{
		{"in range", 400000, 400, colors.Good},
		{"too far", 500000, 500, colors.Adjust},
		{"too close", 300000, 300, colors.Adjust},
		{"beyond the scale", 900000, barFarMM, colors.Adjust},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := NewPreviewRenderer(850, 640)
			frame, err := r.Render(&ef45.Preview{AvgDistance: tc.distance})
			if err != nil {
				t.Fatal(err)
			}
			x := r.bar.Min.X + (tc.at-barNearMM)*(r.bar.Dx()-1)/(barFarMM-barNearMM)
			if got := rgbaAt(frame, x, r.bar.Max.Y-2); got != tc.want {
				t.Errorf("marker pixel at x=%d: %v, want %v", x, got, tc.want)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		r := NewPreviewRenderer(850, 640)
		frame, _ := r.Render(&ef45.Preview{AvgDistance: -1, LeftDistance: -1, RightDistance: -1})
		for x := r.bar.Min.X; x < r.bar.Max.X; x++ {
			if got := rgbaAt(frame, x, r.bar.Max.Y-2); got == colors.Adjust {
				t.Fatalf("a distance marker is drawn at x=%d although the distance is unknown", x)
			}
		}
	})
}

func TestRenderRejectsAMalformedImageAndKeepsTheLastFrame(t *testing.T) {
	r := NewPreviewRenderer(640, 480)
	if frame, err := r.Render(&ef45.Preview{LeftEye: []byte("not a jpeg")}); err == nil || frame != nil {
		t.Fatalf("first frame malformed: got frame %v, err %v; want nil and an error", frame != nil, err)
	}
	p := framePreview(t)
	good, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	snapshot := bytes.Clone(good.Pix)

	truncated := *p
	truncated.RightEye = truncated.RightEye[:len(truncated.RightEye)/2]
	got, err := r.Render(&truncated)
	var perr *PreviewImageError
	if !errors.As(err, &perr) {
		t.Fatalf("err = %v, want a *PreviewImageError", err)
	}
	if perr.Image != "right eye image" || !strings.Contains(err.Error(), "right eye image") {
		t.Errorf("error %q does not name the right eye image", err)
	}
	if got != good {
		t.Error("a malformed frame did not return the last good frame")
	}
	if !bytes.Equal(good.Pix, snapshot) {
		t.Error("the last good frame was drawn over")
	}
	next, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if next == good {
		t.Error("after an error the next frame was drawn into the buffer still on screen")
	}
}

// A header that claims a huge image is refused before the decoder allocates for it.
func TestRenderRefusesAnAbsurdImageSize(t *testing.T) {
	b := solidJPEG(t, 16, 16, color.Gray{Y: 1})
	i := bytes.Index(b, []byte{0xff, 0xc0}) // SOF0: length(2) precision(1) height(2) width(2)
	if i < 0 {
		t.Fatal("test JPEG has no SOF0 marker")
	}
	b[i+5], b[i+6], b[i+7], b[i+8] = 0xea, 0x60, 0xea, 0x60 // 60000×60000
	_, err := NewPreviewRenderer(320, 240).Render(&ef45.Preview{FaceImage: b})
	if err == nil || !strings.Contains(err.Error(), "60000×60000") {
		t.Fatalf("err = %v, want a refusal naming the claimed size", err)
	}
}

func TestRenderAbsurdGeometryDoesNotPanic(t *testing.T) {
	r := NewPreviewRenderer(320, 240)
	p := framePreview(t)
	for _, v := range []ef45.Int{-1 << 62, -1, 0, 1 << 40, 1<<63 - 1} {
		p.LeftIrisRadius, p.LeftIrisCenterX, p.LeftIrisCenterY = v, v, -v
		p.RightIrisRadius, p.RightIrisCenterX = 1<<31, v
		p.LeftEyeCenterX, p.RightEyeCenterY, p.AvgDistance = v, v, v
		start := time.Now()
		if _, err := r.Render(p); err != nil {
			t.Fatalf("geometry %d: %v", v, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("geometry %d took %v to draw", v, d)
		}
	}
}

// Every kind of decoded image goes through a scaler; the generic one covers CMYK JPEGs.
func TestPanelScalesAnyImageKind(t *testing.T) {
	r := NewPreviewRenderer(320, 240)
	p := &r.panels[panelFace]
	src := image.NewNRGBA(image.Rect(10, 20, 40, 60)) // offset bounds on purpose
	for i := range src.Pix {
		src.Pix[i] = []uint8{10, 200, 30, 255}[i%4]
	}
	p.show(src, DefaultPreviewColors().Background)
	c := p.pix.RGBAAt(p.fit.Min.X+p.fit.Dx()/2, p.fit.Min.Y+p.fit.Dy()/2)
	if c != (color.RGBA{10, 200, 30, 255}) {
		t.Errorf("generic scaler gave %v", c)
	}
	if p.fit.Dx()*40 != p.fit.Dy()*30 && previewAbs(p.fit.Dx()*40-p.fit.Dy()*30) > 40 {
		t.Errorf("aspect not kept: fit %v for a 30×40 image", p.fit)
	}
}

func TestRenderDoesNotAllocateFramesPerCall(t *testing.T) {
	r := NewPreviewRenderer(850, 640)
	p := &ef45.Preview{AvgDistance: 400000, LeftIrisRadius: 120}
	allocs := testing.AllocsPerRun(20, func() { _, _ = r.Render(p) })
	if allocs > 8 {
		t.Errorf("Render with no new image allocates %v times; the frames should be reused", allocs)
	}
}

func TestPreviewImageErrorMessage(t *testing.T) {
	err := &PreviewImageError{Image: "face image", Err: errors.New("unexpected EOF")}
	want := "preview: the camera's face image cannot be shown: unexpected EOF"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !errors.Is(err, err.Err) {
		t.Error("Unwrap does not reach the cause")
	}
}

func TestSetColorsRepaintsPlaceholders(t *testing.T) {
	r := NewPreviewRenderer(320, 240)
	c := DefaultPreviewColors()
	c.Placeholder = color.RGBA{1, 2, 3, 255}
	c.Background = color.RGBA{4, 5, 6, 255}
	r.SetColors(c)
	frame, _ := r.Render(nil)
	pr := r.panels[panelRight].rect
	if got := rgbaAt(frame, (pr.Min.X+pr.Max.X)/2, (pr.Min.Y+pr.Max.Y)/2); got != c.Placeholder {
		t.Errorf("placeholder %v, want %v", got, c.Placeholder)
	}
	if got := rgbaAt(frame, 0, 0); got != c.Background {
		t.Errorf("background %v, want %v", got, c.Background)
	}
}

// BenchmarkPreviewDecode measures one preview frame as the camera sends it: two 640×480
// grey eye JPEGs and a colour face JPEG, decoded, scaled and composed with overlays.
func BenchmarkPreviewDecode(b *testing.B) {
	for _, face := range []image.Point{{360, 480}, {720, 960}} {
		b.Run(fmt.Sprintf("face%dx%d", face.X, face.Y), func(b *testing.B) {
			p := framePreview(b)
			p.FaceImage = faceJPEG(b, face.X, face.Y, 11)
			r := NewPreviewRenderer(850, 640)
			if _, err := r.Render(p); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				if _, err := r.Render(p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/frame")
		})
	}
}

// FuzzPreviewRender feeds arbitrary bytes as the three images and arbitrary geometry: the
// renderer must never panic, and on error must hand back the last good frame.
func FuzzPreviewRender(f *testing.F) {
	// Small images keep the inputs short, so the fuzzer's minimisation stays quick.
	eye := eyeJPEG(f, 16, 12, 8, 6, 4, 1)
	face := faceJPEG(f, 9, 12, 2)
	f.Add(eye, eye, face, int64(8), int64(6), int64(4), int64(400000))
	f.Add(eye[:len(eye)/2], []byte{}, face, int64(-1), int64(-1), int64(-1), int64(-1))
	f.Add([]byte{0xff, 0xd8, 0xff}, eye, []byte("face"), int64(1<<40), int64(0), int64(1<<50), int64(0))
	f.Add([]byte{}, []byte{}, []byte{}, int64(0), int64(0), int64(0), int64(0))
	r := NewPreviewRenderer(160, 120)
	f.Fuzz(func(t *testing.T, left, right, faceImg []byte, cx, cy, radius, dist int64) {
		last := r.last
		p := &ef45.Preview{
			LeftEye: left, RightEye: right, FaceImage: faceImg,
			LeftIrisCenterX: ef45.Int(cx), LeftIrisCenterY: ef45.Int(cy), LeftIrisRadius: ef45.Int(radius),
			RightIrisCenterX: ef45.Int(cy), RightIrisCenterY: ef45.Int(cx), RightIrisRadius: ef45.Int(radius),
			LeftEyeCenterX: ef45.Int(cx), LeftEyeCenterY: ef45.Int(cy), RightEyeCenterX: ef45.Int(radius),
			AvgDistance: ef45.Int(dist), LeftDistance: ef45.Int(dist), RightDistance: ef45.Int(-dist),
		}
		frame, err := r.Render(p)
		if err != nil {
			var perr *PreviewImageError
			if !errors.As(err, &perr) {
				t.Fatalf("error %v is not a *PreviewImageError", err)
			}
			if frame != last {
				t.Fatal("an error did not hand back the last good frame")
			}
			return
		}
		if frame == nil || frame.Rect != image.Rect(0, 0, 160, 120) {
			t.Fatalf("frame %v, want a 160×120 image", frame)
		}
	})
}
