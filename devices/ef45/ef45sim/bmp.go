package ef45sim

import (
	"encoding/binary"
	"image"
)

// BMP files for save-8bmp (8-bit grey with a palette) and save-24bmp (24-bit colour), as
// the device writes them to its image folder: bottom-up rows padded to four bytes.

func encodeBMP8(img *image.Gray) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	stride := (w + 3) &^ 3
	const palette = 256 * 4
	off := 14 + 40 + palette
	b := make([]byte, off+stride*h)
	bmpHeaders(b, w, h, 8, off, 256)
	for i := range 256 {
		p := b[54+4*i:]
		p[0], p[1], p[2] = byte(i), byte(i), byte(i)
	}
	for y := 0; y < h; y++ {
		copy(b[off+(h-1-y)*stride:], img.Pix[y*img.Stride:y*img.Stride+w])
	}
	return b
}

func encodeBMP24(img image.Image) []byte {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	stride := (3*w + 3) &^ 3
	off := 14 + 40
	b := make([]byte, off+stride*h)
	bmpHeaders(b, w, h, 24, off, 0)
	for y := 0; y < h; y++ {
		row := b[off+(h-1-y)*stride:]
		for x := 0; x < w; x++ {
			cr, cg, cb, _ := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
			row[3*x], row[3*x+1], row[3*x+2] = byte(cb>>8), byte(cg>>8), byte(cr>>8)
		}
	}
	return b
}

func bmpHeaders(b []byte, w, h, bpp, off, colours int) {
	le := binary.LittleEndian
	copy(b, "BM")
	le.PutUint32(b[2:], uint32(len(b)))
	le.PutUint32(b[10:], uint32(off))
	le.PutUint32(b[14:], 40)
	le.PutUint32(b[18:], uint32(w))
	le.PutUint32(b[22:], uint32(h))
	le.PutUint16(b[26:], 1)
	le.PutUint16(b[28:], uint16(bpp))
	le.PutUint32(b[34:], uint32(len(b)-off))
	le.PutUint32(b[38:], 2835) // 72 dpi
	le.PutUint32(b[42:], 2835)
	le.PutUint32(b[46:], uint32(colours))
}
