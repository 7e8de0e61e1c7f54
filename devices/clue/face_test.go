package clue_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

func TestPrepareFaceKeepsSmallImages(t *testing.T) {
	jpg := photo(t, 1, 300, 400)
	png, err := cluesim.FacePhotoPNG(1, 260, 260)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{jpg, png} {
		out, err := clue.PrepareFace(in, len(in))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, in) {
			t.Error("an image within the limit was changed")
		}
	}
}

func TestPrepareFaceShrinksLargeImages(t *testing.T) {
	jpg := photo(t, 2, 900, 1200)
	png, err := cluesim.FacePhotoPNG(3, 600, 800)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{"jpeg": jpg, "png": png} {
		const limit = 80_000
		if len(in) <= limit {
			t.Fatalf("%s: test image of %d bytes is not over the limit", name, len(in))
		}
		out, err := clue.PrepareFace(in, limit)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: result does not decode: %v", name, err)
		}
		src, _, _ := image.DecodeConfig(bytes.NewReader(in))
		if format != "jpeg" || len(out) > limit || cfg.Width < clue.MinFaceSide || cfg.Height < clue.MinFaceSide || cfg.Width >= src.Width {
			t.Errorf("%s: %s %dx%d, %d bytes", name, format, cfg.Width, cfg.Height, len(out))
		}
		// The aspect ratio is kept (to a pixel of rounding).
		if d := cfg.Width*src.Height - cfg.Height*src.Width; d < -src.Width || d > src.Width {
			t.Errorf("%s: aspect changed: %dx%d from %dx%d", name, cfg.Width, cfg.Height, src.Width, src.Height)
		}
	}
}

// TestPrepareFaceKeepsColoursWhereTheyWere: a shrunk photo still has its colours in the
// same places (the planes of a JPEG are scaled separately).
func TestPrepareFaceKeepsColoursWhereTheyWere(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 900, 700))
	quads := []color.RGBA{{200, 30, 30, 255}, {30, 200, 30, 255}, {30, 30, 200, 255}, {220, 220, 40, 255}}
	for y := range 700 {
		for x := range 900 {
			c := quads[(y/350)*2+x/450]
			// Noise so that the file is large and must be shrunk.
			n := uint8((x*7 + y*13) % 23)
			src.SetRGBA(x, y, color.RGBA{c.R - n, c.G - n, c.B - n, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	limit := buf.Len() * 2 / 3
	out, err := clue.PrepareFace(buf.Bytes(), limit)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() >= 900 || len(out) > limit {
		t.Fatalf("not shrunk: %v, %d bytes", b, len(out))
	}
	for i, c := range quads {
		x, y := b.Dx()/4+(i%2)*b.Dx()/2, b.Dy()/4+(i/2)*b.Dy()/2
		r, g, bl, _ := img.At(x, y).RGBA()
		if d := absDiff(r>>8, uint32(c.R)) + absDiff(g>>8, uint32(c.G)) + absDiff(bl>>8, uint32(c.B)); d > 60 {
			t.Errorf("quadrant %d at %d,%d is %d,%d,%d, want about %v", i, x, y, r>>8, g>>8, bl>>8, c)
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestPrepareFaceRefuses(t *testing.T) {
	cases := map[string]struct {
		in    []byte
		limit int
		want  string
	}{
		"garbage":    {[]byte("not an image at all"), 1 << 20, "not a JPEG or PNG"},
		"gif":        {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00"), 1 << 20, "not a JPEG or PNG"},
		"too small":  {photo(t, 1, 249, 400), 1 << 20, "249×400 is smaller than 250×250"},
		"cannot fit": {photo(t, 1, 300, 300), 2000, "cannot fit in 2000 bytes"},
		"truncated":  {photo(t, 1, 300, 300)[:900], 1 << 20, "cannot be decoded"},
	}
	for name, tc := range cases {
		_, err := clue.PrepareFace(tc.in, tc.limit)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", name, err, tc.want)
		}
	}
	if _, err := clue.PrepareFace([]byte("x"), 10); !errors.Is(err, clue.ErrNotImage) {
		t.Errorf("ErrNotImage not matched: %v", err)
	}
}

// FuzzPrepareFace: any bytes give an image within the limit or an error, never a panic.
func FuzzPrepareFace(f *testing.F) {
	small, _ := cluesim.FacePhoto(1, 260, 260, 50)
	png, _ := cluesim.FacePhotoPNG(1, 250, 250)
	f.Add(small, 1<<20)
	f.Add(small, 4000)
	f.Add(png, 1<<20)
	f.Add([]byte("\x89PNG\r\n\x1a\n"), 100)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		if limit <= 0 || limit > 1<<22 {
			return
		}
		out, err := clue.PrepareFace(data, limit)
		if err == nil && len(out) > limit {
			t.Fatalf("%d bytes out, limit %d", len(out), limit)
		}
	})
}

// BenchmarkPrepareFace prepares a 1.5 MB camera photo (scaled and re-encoded to fit 1 MB) and
// a 0.9 MB one (checked and sent as it is).
func BenchmarkPrepareFace(b *testing.B) {
	for _, tc := range []struct {
		name string
		w, h int
	}{{"over-limit", 1600, 2000}, {"within-limit", 1200, 1600}} {
		img, err := cluesim.FacePhoto(1, tc.w, tc.h, 92)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := clue.PrepareFace(img, clue.DefaultMaxFaceBytes); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64(len(img))/(1<<20), "MiB-in")
		})
	}
}
