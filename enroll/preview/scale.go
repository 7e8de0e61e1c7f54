package preview

import (
	"image"
	"image/color"
)

// panel is one image area of the frame.
type panel struct {
	rect   image.Rectangle // where the panel sits in the frame
	pix    *image.RGBA     // the panel's content, rect-sized at the origin
	src    image.Point     // size of the image shown; zero while there is none
	fit    image.Rectangle // where the image sits inside pix (aspect kept, centred)
	xmap   []int           // for each column of fit, the source column
	ymap   []int           // for each row of fit, the source row
	cxmap  []int           // for each column of fit, the source chroma column offset
	placed bool            // pix holds an image, not the placeholder
}

// show scales d into the panel's buffer, nearest neighbour, keeping the aspect of the
// image's declared size (a decoder may have scaled it down already).
func (p *panel) show(d decoded, bg color.RGBA) {
	img := d.img
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 || d.full.X <= 0 || d.full.Y <= 0 {
		return
	}
	pw, ph := p.pix.Rect.Dx(), p.pix.Rect.Dy()
	size := fitSize(d.full, image.Pt(pw, ph))
	dw, dh := size.X, size.Y
	fit := image.Rect((pw-dw)/2, (ph-dh)/2, (pw-dw)/2+dw, (ph-dh)/2+dh)
	if !p.placed || fit != p.fit {
		fillLetterbox(p.pix, fit, bg)
	}
	p.fit, p.src, p.placed = fit, d.full, true

	// Sample each destination pixel's centre.
	p.xmap = p.xmap[:0]
	for i := range dw {
		p.xmap = append(p.xmap, b.Min.X+(2*i+1)*w/(2*dw))
	}
	p.ymap = p.ymap[:0]
	for j := range dh {
		p.ymap = append(p.ymap, b.Min.Y+(2*j+1)*h/(2*dh))
	}
	switch src := img.(type) {
	case *image.Gray:
		p.scaleGray(src)
	case *image.RGBA:
		p.scaleRGBA(src)
	case *image.YCbCr:
		p.scaleYCbCr(src)
	default:
		p.scaleAny(src)
	}
}

func (p *panel) scaleGray(src *image.Gray) {
	for j, sy := range p.ymap {
		srow := src.Pix[(sy-src.Rect.Min.Y)*src.Stride:]
		off := p.pix.PixOffset(p.fit.Min.X, p.fit.Min.Y+j)
		drow := p.pix.Pix[off : off+4*len(p.xmap)]
		for i, sx := range p.xmap {
			v := srow[sx-src.Rect.Min.X]
			d := drow[4*i : 4*i+4 : 4*i+4]
			d[0], d[1], d[2], d[3] = v, v, v, 0xff
		}
	}
}

// scaleRGBA copies whole pixels; the decoder has set alpha opaque.
func (p *panel) scaleRGBA(src *image.RGBA) {
	for j, sy := range p.ymap {
		srow := src.Pix[(sy-src.Rect.Min.Y)*src.Stride:]
		off := p.pix.PixOffset(p.fit.Min.X, p.fit.Min.Y+j)
		drow := p.pix.Pix[off : off+4*len(p.xmap)]
		for i, sx := range p.xmap {
			o := 4 * (sx - src.Rect.Min.X)
			copy(drow[4*i:4*i+4], srow[o:o+4])
		}
	}
}

// scaleYCbCr works for every subsampling ratio: an offset into the planes splits into a row
// part and a column part, and the column parts are computed once per image.
func (p *panel) scaleYCbCr(src *image.YCbCr) {
	minX, minY := src.Rect.Min.X, src.Rect.Min.Y
	p.cxmap = p.cxmap[:0]
	for _, sx := range p.xmap {
		p.cxmap = append(p.cxmap, src.COffset(sx, minY))
	}
	for j, sy := range p.ymap {
		yrow := src.YOffset(minX, sy)
		crow := src.COffset(minX, sy)
		off := p.pix.PixOffset(p.fit.Min.X, p.fit.Min.Y+j)
		drow := p.pix.Pix[off : off+4*len(p.xmap)]
		for i, sx := range p.xmap {
			yy := src.Y[yrow+sx-minX]
			ci := crow + p.cxmap[i]
			r, g, b := ycbcrToRGB(yy, src.Cb[ci], src.Cr[ci])
			d := drow[4*i : 4*i+4 : 4*i+4]
			d[0], d[1], d[2], d[3] = r, g, b, 0xff
		}
	}
}

// scaleAny handles the rare JPEG kinds (CMYK) through the generic colour model.
func (p *panel) scaleAny(src image.Image) {
	for j, sy := range p.ymap {
		for i, sx := range p.xmap {
			c := color.RGBAModel.Convert(src.At(sx, sy)).(color.RGBA)
			c.A = 0xff
			p.pix.SetRGBA(p.fit.Min.X+i, p.fit.Min.Y+j, c)
		}
	}
}

// ycbcrToRGB is image/color.YCbCrToRGB (JFIF full-range BT.601, 16.16 fixed point), kept
// small enough to be inlined in the scaling loop.
func ycbcrToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	yy := int32(y) * 0x10101
	cb1 := int32(cb) - 128
	cr1 := int32(cr) - 128
	r := yy + 91881*cr1
	g := yy - 22554*cb1 - 46802*cr1
	b := yy + 116130*cb1
	return clampFixed(r), clampFixed(g), clampFixed(b)
}

func clampFixed(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}
