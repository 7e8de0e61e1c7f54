package ef45sim

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

func decodeJPEG(t *testing.T, what string, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: not a JPEG (%d bytes): %v", what, len(b), err)
	}
	return img
}

func wantSize(t *testing.T, what string, img image.Image, w, h int) {
	t.Helper()
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s: %dx%d, want %dx%d", what, b.Dx(), b.Dy(), w, h)
	}
}

func wantGray(t *testing.T, what string, img image.Image, gray bool) {
	t.Helper()
	if _, isGray := img.(*image.Gray); isGray != gray {
		t.Errorf("%s: grey %v, want %v (%T)", what, isGray, gray, img)
	}
}

func luma(img image.Image, x, y int) float64 {
	return float64(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
}

// discMean is the mean brightness of a disc of img.
func discMean(img image.Image, cx, cy, r int) float64 {
	var sum, n float64
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				sum += luma(img, x, y)
				n++
			}
		}
	}
	return sum / n
}
