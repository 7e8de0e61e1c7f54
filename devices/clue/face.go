package clue

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"

	"golang.org/x/image/draw"
)

// maxFacePixels refuses images whose header claims more pixels than a camera makes, before
// decoding allocates for them.
const maxFacePixels = 64 << 20

// faceQuality is the JPEG quality of re-encoded face images: high enough that the scaling,
// not the compression, is what makes the file fit.
const faceQuality = 90

// ErrNotImage is returned for face images that are neither JPEG nor PNG.
var ErrNotImage = errors.New("not a JPEG or PNG image")

// PrepareFace checks a face image file and returns the bytes to send: the file itself when it
// is a decodable JPEG or PNG of at least MinFaceSide×MinFaceSide and at most limit bytes;
// otherwise, if it is larger than limit, a JPEG scaled down (keeping the aspect ratio) until
// it fits. An image that cannot fit without going under MinFaceSide is refused.
func PrepareFace(data []byte, limit int) ([]byte, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, ErrNotImage
	}
	if cfg.Width < MinFaceSide || cfg.Height < MinFaceSide {
		return nil, fmt.Errorf("%d×%d is smaller than %d×%d", cfg.Width, cfg.Height, MinFaceSide, MinFaceSide)
	}
	if cfg.Width*cfg.Height > maxFacePixels {
		return nil, fmt.Errorf("%d×%d is too large to process", cfg.Width, cfg.Height)
	}
	var img image.Image
	if format == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("the %s image cannot be decoded: %w", format, err)
	}
	if len(data) <= limit {
		return data, nil
	}
	return shrink(img, len(data), limit, format)
}

// shrink scales img down and re-encodes it as JPEG until it is at most limit bytes. A
// JPEG's size follows its pixel count, so each pass aims from the last size (the first from
// the file's own size, unless it is a PNG, whose lossless size says nothing of a JPEG's);
// usually one pass does it. The last pass tried is the smallest size allowed.
func shrink(img image.Image, size, limit int, format string) ([]byte, error) {
	b := img.Bounds()
	least := math.Max(float64(MinFaceSide)/float64(b.Dx()), float64(MinFaceSide)/float64(b.Dy()))
	scale := 1.0
	if format == "jpeg" {
		scale = math.Sqrt(float64(limit) * 0.9 / float64(size))
	}
	var buf bytes.Buffer
	for range 8 {
		scale = math.Min(1, math.Max(scale, least))
		w, h := int(math.Round(float64(b.Dx())*scale)), int(math.Round(float64(b.Dy())*scale))
		var out image.Image = img
		if w != b.Dx() || h != b.Dy() {
			dst := image.NewRGBA(image.Rect(0, 0, w, h))
			scaler(scale).Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
			out = dst
		}
		buf.Reset()
		if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: faceQuality}); err != nil {
			return nil, fmt.Errorf("re-encode as JPEG: %w", err)
		}
		if buf.Len() <= limit {
			return buf.Bytes(), nil
		}
		if scale <= least {
			break
		}
		scale *= math.Min(0.9, math.Sqrt(float64(limit)*0.9/float64(buf.Len())))
	}
	return nil, fmt.Errorf("cannot fit in %d bytes without going under %d×%d", limit, MinFaceSide, MinFaceSide)
}

// scaler picks the interpolator for a reduction by scale. Down to one half, ApproxBiLinear's
// 2×2 footprint still covers every source pixel, so it does not alias, at a third of the
// cost of a kernel; below that only a kernel that widens with the reduction (BiLinear) keeps
// fine detail such as hair from turning into moiré.
func scaler(scale float64) draw.Scaler {
	if scale >= 0.5 {
		return draw.ApproxBiLinear
	}
	return draw.BiLinear
}
