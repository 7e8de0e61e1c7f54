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
			out = resize(img, w, h, scale)
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

// resize scales img to w×h. A decoded JPEG (YCbCr, the usual case) down to half its size is
// scaled plane by plane, keeping its chroma subsampling, so that neither the scaling nor the
// JPEG encoder converts every pixel to RGB and back: that halves the time of a large photo.
// Anything else goes through x/image/draw.
func resize(img image.Image, w, h int, scale float64) image.Image {
	if src, ok := img.(*image.YCbCr); ok && scale >= 0.5 && src.Rect.Min == (image.Point{}) {
		dst := image.NewYCbCr(image.Rect(0, 0, w, h), src.SubsampleRatio)
		scalePlane(dst.Y, dst.YStride, w, h, src.Y, src.YStride, src.Rect.Dx(), src.Rect.Dy())
		dcw, dch := chromaSize(dst)
		scw, sch := chromaSize(src)
		scalePlane(dst.Cb, dst.CStride, dcw, dch, src.Cb, src.CStride, scw, sch)
		scalePlane(dst.Cr, dst.CStride, dcw, dch, src.Cr, src.CStride, scw, sch)
		return dst
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	scaler(scale).Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

// chromaSize is the size of the Cb and Cr planes of an image whose Rect starts at 0,0.
func chromaSize(m *image.YCbCr) (int, int) {
	if m.CStride == 0 {
		return 0, 0
	}
	return m.CStride, len(m.Cb) / m.CStride
}

// scalePlane shrinks one 8-bit plane by bilinear interpolation: each destination sample is
// read at its centre mapped onto the source, from the 2×2 samples around it. Down to half
// size that footprint covers every source sample, so nothing is skipped (no aliasing).
func scalePlane(dst []byte, dstStride, dw, dh int, src []byte, srcStride, sw, sh int) {
	if dw <= 0 || dh <= 0 || sw <= 0 || sh <= 0 {
		return
	}
	type tap struct {
		i0, i1 int
		f      uint32 // weight of i1, in 1/256
	}
	taps := func(d, s int) []tap {
		out := make([]tap, d)
		for i := range out {
			c := (float64(i)+0.5)*float64(s)/float64(d) - 0.5
			c = math.Max(0, math.Min(c, float64(s-1)))
			i0 := int(c)
			out[i] = tap{i0: i0, i1: min(i0+1, s-1), f: uint32((c - float64(i0)) * 256)}
		}
		return out
	}
	xs, ys := taps(dw, sw), taps(dh, sh)
	for y, ty := range ys {
		r0, r1 := src[ty.i0*srcStride:], src[ty.i1*srcStride:]
		out := dst[y*dstStride : y*dstStride+dw]
		g := ty.f
		for x, tx := range xs {
			top := uint32(r0[tx.i0])*(256-tx.f) + uint32(r0[tx.i1])*tx.f
			bot := uint32(r1[tx.i0])*(256-tx.f) + uint32(r1[tx.i1])*tx.f
			out[x] = uint8((top*(256-g) + bot*g + 1<<15) >> 16)
		}
	}
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
