package assets

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
)

func TestImagesDecode(t *testing.T) {
	cases := []struct {
		res  fyne.Resource
		name string
		size image.Point
	}{
		{Icon(), "icon.png", image.Pt(512, 512)},
		{Logo(), "logo.png", image.Pt(640, 160)},
	}
	for _, tc := range cases {
		if tc.res.Name() != tc.name {
			t.Errorf("resource name %q, want %q", tc.res.Name(), tc.name)
		}
		img, err := png.Decode(bytes.NewReader(tc.res.Content()))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := img.Bounds().Size(); got != tc.size {
			t.Errorf("%s is %v, want %v", tc.name, got, tc.size)
		}
		// Not blank: the corners are transparent (rounded tile), the centre is drawn.
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%s: the corner is not transparent", tc.name)
		}
		if _, _, _, a := img.At(tc.size.Y/2, tc.size.Y/2).RGBA(); a != 0xffff {
			t.Errorf("%s: the centre of the mark is not opaque", tc.name)
		}
	}
}

// Each call hands out its own copy: a caller that writes into the bytes cannot change the
// embedded image.
func TestResourcesAreCopies(t *testing.T) {
	a := Icon().Content()
	a[0] ^= 0xff
	if Icon().Content()[0] == a[0] {
		t.Error("Icon() shares its bytes between calls")
	}
}
