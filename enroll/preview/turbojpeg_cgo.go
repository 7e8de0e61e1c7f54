//go:build cgo && !noturbo

package preview

/*
#cgo pkg-config: libturbojpeg
#include <turbojpeg.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"unsafe"
)

// Decode flags. FASTUPSAMPLE replicates chroma as image/jpeg's YCbCr does (and is faster);
// STOPONWARNING makes a truncated frame an error rather than a grey-filled image, as it is
// with image/jpeg; LIMITSCANS refuses progressive JPEGs with absurd scan counts, which would
// otherwise take seconds of CPU per frame.
const turboFlags = C.TJFLAG_FASTUPSAMPLE | C.TJFLAG_STOPONWARNING | C.TJFLAG_LIMITSCANS

// turboDecoder decodes through libjpeg-turbo's TurboJPEG API into buffers it keeps: grey
// JPEGs (the eyes) to grey, colour ones (the face) to RGBA, scaled down in the decoder
// (tjGetScalingFactors) to the smallest size that still covers the panel. A TurboJPEG handle
// is not safe for concurrent use, so there is one per panel.
type turboDecoder struct {
	h       *tjHandle
	factors []C.tjscalingfactor
	buf     []byte
	gray    image.Gray
	rgba    image.RGBA
	hdr     [4]C.int // width, height, subsampling, colour space; kept here so that passing
	// their addresses to C does not move them to the heap on every call
	cmyk goDecoder // libjpeg cannot turn CMYK into RGB; image/jpeg can
}

// tjHandle holds the handle apart from the decoder, so the decoder's cleanup can free it
// and the decoder can replace it after a failure.
type tjHandle struct{ h C.tjhandle }

// newDefaultDecoder is TurboJPEG, or image/jpeg if TurboJPEG cannot start (out of memory).
func newDefaultDecoder() decoder {
	d, err := newTurboDecoder()
	if err != nil {
		return goDecoder{}
	}
	return d
}

func newTurboDecoder() (*turboDecoder, error) {
	h := C.tjInitDecompress()
	if h == nil {
		return nil, fmt.Errorf("turbojpeg: %s", C.GoString(C.tjGetErrorStr2(nil)))
	}
	var n C.int
	sf := C.tjGetScalingFactors(&n)
	d := &turboDecoder{h: &tjHandle{h: h}}
	if sf != nil && n > 0 {
		// The library's own static table; copied so no C pointer is kept.
		d.factors = append(d.factors, unsafe.Slice(sf, int(n))...)
	}
	runtime.AddCleanup(d, func(h *tjHandle) {
		if h.h != nil {
			C.tjDestroy(h.h)
		}
	}, d.h)
	return d, nil
}

// Errors of images that carry no picture.
var (
	errEmpty  = errors.New("not a readable JPEG: no data")
	errNoSize = errors.New("not a readable JPEG: its header gives no size")
)

func (d *turboDecoder) decode(b []byte, want image.Point) (decoded, error) {
	if len(b) == 0 {
		return decoded{}, errEmpty
	}
	src := (*C.uchar)(unsafe.Pointer(unsafe.SliceData(b)))
	if C.tjDecompressHeader3(d.h.h, src, C.ulong(len(b)), &d.hdr[0], &d.hdr[1], &d.hdr[2], &d.hdr[3]) != 0 {
		return decoded{}, d.err()
	}
	w, h, cs := d.hdr[0], d.hdr[1], d.hdr[3]
	if w <= 0 || h <= 0 {
		return decoded{}, errNoSize
	}
	if err := checkSize(int(w), int(h)); err != nil {
		return decoded{}, err
	}
	if cs == C.TJCS_CMYK || cs == C.TJCS_YCCK {
		return d.cmyk.decode(b, want)
	}
	full := image.Pt(int(w), int(h))
	size := d.scaled(full, fitSize(full, want))
	pf, bpp := C.int(C.TJPF_RGBA), 4
	if cs == C.TJCS_GRAY {
		pf, bpp = C.TJPF_GRAY, 1
	}
	n := size.X * size.Y * bpp
	if cap(d.buf) < n {
		d.buf = make([]byte, n)
	}
	pix := d.buf[:n]
	dst := (*C.uchar)(unsafe.Pointer(unsafe.SliceData(pix)))
	if C.tjDecompress2(d.h.h, src, C.ulong(len(b)), dst, C.int(size.X), C.int(size.X*bpp), C.int(size.Y), pf, turboFlags) != 0 {
		return decoded{}, d.err()
	}
	rect := image.Rectangle{Max: size}
	if bpp == 1 {
		d.gray = image.Gray{Pix: pix, Stride: size.X, Rect: rect}
		return decoded{img: &d.gray, full: full}, nil
	}
	d.rgba = image.RGBA{Pix: pix, Stride: 4 * size.X, Rect: rect}
	return decoded{img: &d.rgba, full: full}, nil
}

// scaled is the smallest size the decoder can produce from full (a factor of at most 1)
// that still covers fit, so no shown pixel is made up; full when none is smaller.
func (d *turboDecoder) scaled(full, fit image.Point) image.Point {
	best := full
	for _, f := range d.factors {
		num, den := int(f.num), int(f.denom)
		if num <= 0 || den <= 0 || num > den {
			continue
		}
		// TJSCALED: the decoder rounds scaled sizes up.
		s := image.Pt((full.X*num+den-1)/den, (full.Y*num+den-1)/den)
		if s.X >= fit.X && s.Y >= fit.Y && s.X*s.Y < best.X*best.Y {
			best = s
		}
	}
	return best
}

// err is the library's message for the last failure on this handle. The handle is then
// replaced: libjpeg-turbo 2.1 leaves a handle whose header reading failed part way in a
// state where every later image fails ("Bogus marker length").
func (d *turboDecoder) err() error {
	err := fmt.Errorf("not a readable JPEG: %s", C.GoString(C.tjGetErrorStr2(d.h.h)))
	if h := C.tjInitDecompress(); h != nil {
		C.tjDestroy(d.h.h)
		d.h.h = h
	}
	return err
}
