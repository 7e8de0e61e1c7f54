package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"fyne.io/fyne/v2"

	"enrollstation/store/files"
)

// screenshot writes the window's canvas as PNG to path. The canvas is read on the UI
// goroutine, the file written from the caller's. It reports whether the image is one
// single colour: some software GL drivers (Mesa's llvmpipe under Xvfb) read the window
// back as black, which the caller should say.
func screenshot(w fyne.Window, path string) (blank bool, err error) {
	var img image.Image
	fyne.DoAndWait(func() { img = w.Canvas().Capture() })
	if img == nil || img.Bounds().Empty() {
		return false, errors.New("screenshot: the window could not be captured")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return false, fmt.Errorf("screenshot: %w", err)
	}
	// It shows the person's face and eyes: readable by its owner only. A check run again
	// replaces its screenshot; ReplaceFile never writes through a link planted at the name.
	if err := files.ReplaceFile(path, buf.Bytes()); err != nil {
		return false, fmt.Errorf("screenshot: %w", err)
	}
	return singleColour(img), nil
}

// singleColour reports whether every pixel of img has the same colour.
func singleColour(img image.Image) bool {
	b := img.Bounds()
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bb, a := img.At(x, y).RGBA(); r != r0 || g != g0 || bb != b0 || a != a0 {
				return false
			}
		}
	}
	return true
}
