package preview

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"enrollstation/devices/ef45"
)

func TestLayoutStaysInsideTheFrame(t *testing.T) {
	sizes := []image.Point{{0, 0}, {64, 48}, {65, 1000}, {1000, 49}, {850, 640}, {1920, 1080}, {333, 777}, {101, 99}}
	p := framePreview(t)
	for _, sz := range sizes {
		r := NewRenderer(sz.X, sz.Y)
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
	r := NewRenderer(850, 640)
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
	r := NewRenderer(320, 240)
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
	r := NewRenderer(640, 480)
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
	r := NewRenderer(640, 480)
	frame, err := r.Render(nil)
	if err != nil {
		t.Fatal(err)
	}
	ph := DefaultColors().Placeholder
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

func TestRenderDoesNotAllocateFramesPerCall(t *testing.T) {
	r := NewRenderer(850, 640)
	p := &ef45.Preview{AvgDistance: 400000, LeftIrisRadius: 120}
	allocs := testing.AllocsPerRun(20, func() { _, _ = r.Render(p) })
	if allocs > 8 {
		t.Errorf("Render with no new image allocates %v times; the frames should be reused", allocs)
	}
}

func TestSetColorsRepaintsPlaceholders(t *testing.T) {
	r := NewRenderer(320, 240)
	c := DefaultColors()
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
