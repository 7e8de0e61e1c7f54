package main

import (
	"image"
	"image/color"
	"testing"
)

func TestSingleColour(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if !singleColour(img) {
		t.Error("a blank image is not reported as one colour")
	}
	img.Set(7, 7, color.RGBA{1, 0, 0, 255})
	if singleColour(img) {
		t.Error("an image with two colours is reported as one")
	}
}
