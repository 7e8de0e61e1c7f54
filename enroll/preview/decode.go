package preview

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"sync"
)

// decodePreviewImages decodes the non-empty images at once (the face image is the slow one,
// so the eyes decode alongside it). An empty image stays nil.
func decodePreviewImages(data [panelCount][]byte) ([panelCount]image.Image, error) {
	var imgs [panelCount]image.Image
	var errs [panelCount]error
	var wg sync.WaitGroup
	for i, b := range data {
		if len(b) == 0 {
			continue
		}
		wg.Go(func() { imgs[i], errs[i] = decodePreviewJPEG(b) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return imgs, &ImageError{Image: panelNames[i], Err: err}
		}
	}
	return imgs, nil
}

// decodePreviewJPEG decodes one image after checking that its claimed size is sane.
func decodePreviewJPEG(b []byte) (image.Image, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not a readable JPEG: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPreviewPixels {
		return nil, fmt.Errorf("it claims to be %d×%d pixels, which no preview is", cfg.Width, cfg.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not a readable JPEG: %w", err)
	}
	return img, nil
}
