package cluesim_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"enrollstation/devices/clue/cluesim"
)

func TestFacePhoto(t *testing.T) {
	a, err := cluesim.FacePhoto(1, 320, 400, 85)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := cluesim.FacePhoto(1, 320, 400, 85)
	c, _ := cluesim.FacePhoto(2, 320, 400, 85)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("photos do not follow the seed")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(a))
	if err != nil || format != "jpeg" || cfg.Width != 320 || cfg.Height != 400 {
		t.Errorf("%s %dx%d %v", format, cfg.Width, cfg.Height, err)
	}
	// A camera-sized photo lands between 1 and 2 MB, as the bulk benchmark needs.
	big, _ := cluesim.FacePhoto(1, 1600, 2000, 92)
	if len(big) < 1<<20 || len(big) > 2<<20 {
		t.Errorf("1600x2000 at 92: %d bytes", len(big))
	}
	p, err := cluesim.FacePhotoPNG(1, 260, 300)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(p)); err != nil || img.Bounds().Dx() != 260 {
		t.Errorf("png: %v", err)
	}
}
