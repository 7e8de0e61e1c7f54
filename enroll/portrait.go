package enroll

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // photos and face images are JPEG
	_ "image/png"

	"enrollstation/store"
)

// CaptureReader reads one capture with its blobs decrypted; station.Store() has it.
type CaptureReader interface {
	Capture(ctx context.Context, id string) (Capture, error)
}

// PortraitImage decrypts a capture and decodes its portrait (see Portrait). The rest of
// the decrypted data (templates) is dropped at once. A capture without a portrait gives
// nil and no error.
func PortraitImage(ctx context.Context, j CaptureReader, captureID string) (image.Image, error) {
	c, err := j.Capture(ctx, captureID)
	if err != nil {
		return nil, fmt.Errorf("read the photo: %w", err)
	}
	b, ok := Portrait(c.Blobs)
	if !ok {
		return nil, nil
	}
	img, _, err := image.Decode(bytes.NewReader(b.Data))
	if err != nil {
		return nil, fmt.Errorf("decode the photo of capture %s (%s/%s): %w", captureID, b.Kind, b.Variant, err)
	}
	return img, nil
}

// Portrait picks the blob of a decrypted capture to show as the person's photo: the photo
// sent to terminals, else the far face image without LED, else any face image. False when
// the capture holds none (erased, or an iris-only capture).
func Portrait(blobs []Blob) (Blob, bool) {
	rank := func(b Blob) int {
		switch {
		case b.Kind == store.Photo:
			return 3
		case b.Kind == store.FaceImage && b.Variant == "far_off":
			return 2
		case b.Kind == store.FaceImage:
			return 1
		}
		return 0
	}
	best, bestRank := Blob{}, 0
	for _, b := range blobs {
		if r := rank(b); r > bestRank && len(b.Data) > 0 {
			best, bestRank = b, r
		}
	}
	return best, bestRank > 0
}
