package ef45sim

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

func TestBMP8(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	img.SetGray(0, 0, color.Gray{10}) // top-left
	img.SetGray(2, 1, color.Gray{200})
	b := encodeBMP8(img)
	off := int(binary.LittleEndian.Uint32(b[10:]))
	if string(b[:2]) != "BM" || int(binary.LittleEndian.Uint32(b[2:])) != len(b) || off != 54+1024 || binary.LittleEndian.Uint16(b[28:]) != 8 {
		t.Fatalf("header % x", b[:54])
	}
	// Rows are bottom-up and padded to 4 bytes.
	if len(b) != off+2*4 || b[off+2] != 200 || b[off+4] != 10 {
		t.Errorf("pixels % x", b[off:])
	}
	if p := b[54+4*200:]; p[0] != 200 || p[1] != 200 || p[2] != 200 {
		t.Error("palette is not grey")
	}
}

func TestBMP24(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{1, 2, 3, 255})
	b := encodeBMP24(img)
	off := int(binary.LittleEndian.Uint32(b[10:]))
	if off != 54 || binary.LittleEndian.Uint16(b[28:]) != 24 || len(b) != 54+2*8 {
		t.Fatalf("header % x, %d bytes", b[:54], len(b))
	}
	// The top row is last; pixels are blue, green, red.
	if top := b[off+8:]; top[0] != 3 || top[1] != 2 || top[2] != 1 {
		t.Errorf("top-left pixel % x", top[:3])
	}
}
