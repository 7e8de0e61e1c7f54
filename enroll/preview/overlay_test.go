package preview

import (
	"image/color"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

func TestRenderIrisOverlayColour(t *testing.T) {
	colors := DefaultColors()
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
			r := NewRenderer(850, 640)
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
	r := NewRenderer(850, 640)
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
	marker := DefaultColors().Marker
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
	colors := DefaultColors()
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
			r := NewRenderer(850, 640)
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
		r := NewRenderer(850, 640)
		frame, _ := r.Render(&ef45.Preview{AvgDistance: -1, LeftDistance: -1, RightDistance: -1})
		for x := r.bar.Min.X; x < r.bar.Max.X; x++ {
			if got := rgbaAt(frame, x, r.bar.Max.Y-2); got == colors.Adjust {
				t.Fatalf("a distance marker is drawn at x=%d although the distance is unknown", x)
			}
		}
	})
}

func TestRenderAbsurdGeometryDoesNotPanic(t *testing.T) {
	r := NewRenderer(320, 240)
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
