package preview

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
)

// decoded is one decoded preview image.
type decoded struct {
	img  image.Image // the pixels, possibly scaled down; valid until the decoder's next call
	full image.Point // the size the JPEG declares: the device's geometry is in its pixels
}

// decoder decodes one panel's JPEGs. want is the panel's size: a decoder that can scale
// while decoding may return fewer pixels, but never fewer than the image shows in the panel.
// A decoder is used by one goroutine at a time; the renderer keeps one per panel.
type decoder interface {
	decode(b []byte, want image.Point) (decoded, error)
}

// checkSize refuses a header whose size no preview has, before anything is allocated.
func checkSize(w, h int) error {
	if w <= 0 || h <= 0 || w*h > maxPreviewPixels {
		return fmt.Errorf("it claims to be %d×%d pixels, which no preview is", w, h)
	}
	return nil
}

// fitSize is the size an image of size full takes in a panel of size panel, aspect kept.
func fitSize(full, panel image.Point) image.Point {
	dw, dh := panel.X, full.Y*panel.X/full.X
	if dh > panel.Y {
		dw, dh = full.X*panel.Y/full.Y, panel.Y
	}
	return image.Pt(max(dw, 1), max(dh, 1))
}

// goDecoder decodes with image/jpeg: full size, a new image per call. It is the decoder
// where cgo is not available, and the one turboDecoder hands CMYK JPEGs to.
type goDecoder struct{}

func (goDecoder) decode(b []byte, _ image.Point) (decoded, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return decoded{}, fmt.Errorf("not a readable JPEG: %w", err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return decoded{}, err
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return decoded{}, fmt.Errorf("not a readable JPEG: %w", err)
	}
	return decoded{img: img, full: img.Bounds().Size()}, nil
}
