package enroll

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"strconv"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"enrollstation/devices/ef45"
)

// Enrollment geometry (specs/README.md, "Quality thresholds"): an iris is big enough with a
// radius of at least 100 px in the 640×480 eye image, at 350–450 mm from the camera.
const (
	goodIrisRadiusPx = 100
	nearestMM        = 350
	farthestMM       = 450
)

// The distance bar spans this range; the enrollment window sits in its middle.
const (
	barNearMM = 250
	barFarMM  = 550
)

// maxPreviewPixels bounds the size a preview image may claim. The camera sends at most
// 720×960; a larger header is a corrupt frame, and decoding it would allocate whatever it
// claims.
const maxPreviewPixels = 4 << 20

// Minimum frame size: below this the panels and the distance bar have no room.
const (
	minPreviewWidth  = 64
	minPreviewHeight = 48
)

// PreviewColors are the colours of the composed preview. The UI passes its theme's.
type PreviewColors struct {
	Background  color.RGBA // around and between the panels
	Placeholder color.RGBA // a panel with no image yet, and the empty distance bar
	Good        color.RGBA // iris and distance in range
	Adjust      color.RGBA // iris or distance out of range
	Marker      color.RGBA // eye centres on the face image
	Text        color.RGBA // panel labels and the distance figure
}

// DefaultPreviewColors are dark-theme colours: a dark surround, green when in range,
// amber when not.
func DefaultPreviewColors() PreviewColors {
	return PreviewColors{
		Background:  color.RGBA{0x17, 0x17, 0x18, 0xff},
		Placeholder: color.RGBA{0x3a, 0x3a, 0x3e, 0xff},
		Good:        color.RGBA{0x43, 0xc9, 0x55, 0xff},
		Adjust:      color.RGBA{0xff, 0xb3, 0x00, 0xff},
		Marker:      color.RGBA{0x29, 0xb6, 0xf6, 0xff},
		Text:        color.RGBA{0xee, 0xee, 0xee, 0xff},
	}
}

// PreviewImageError says which preview image could not be shown, and why.
type PreviewImageError struct {
	Image string // "face image", "left eye image", "right eye image"
	Err   error
}

// Error names the image and the reason, for the log and the operator.
func (e *PreviewImageError) Error() string {
	return fmt.Sprintf("preview: the camera's %s cannot be shown: %v", e.Image, e.Err)
}

// Unwrap returns the decoder's error.
func (e *PreviewImageError) Unwrap() error { return e.Err }

// Panel indexes, in the order the preview's images are decoded.
const (
	panelFace = iota
	panelLeft
	panelRight
	panelCount
)

var panelNames = [panelCount]string{"face image", "left eye image", "right eye image"}

var panelLabels = [panelCount]string{"FACE", "LEFT EYE", "RIGHT EYE"}

// PreviewRenderer turns EF-45 preview frames into one composed RGBA image: the face on the
// left, the left eye above the right eye on the right, a distance bar below, with the face
// edges, eye centres, iris circles and distance drawn over them.
//
// All big buffers are made once: each panel keeps its last image, scaled, in its own
// buffer, and frames are composed into two RGBA images used in turn, so the caller can show
// one while the next is drawn. A panel whose image is empty keeps its last image; one that
// never had an image shows a neutral placeholder. Render is not safe for concurrent use.
type PreviewRenderer struct {
	width, height int
	colors        PreviewColors
	panels        [panelCount]previewPanel
	bar           image.Rectangle
	frames        [2]*image.RGBA
	next          int         // index of the frame the next Render draws into
	last          *image.RGBA // the frame last drawn without error
	digits        []byte      // reused text buffer for the distance figure
	ink           image.Uniform
}

// previewPanel is one image area of the frame.
type previewPanel struct {
	rect   image.Rectangle // where the panel sits in the frame
	pix    *image.RGBA     // the panel's content, rect-sized at the origin
	src    image.Point     // size of the image shown; zero while there is none
	fit    image.Rectangle // where the image sits inside pix (aspect kept, centred)
	xmap   []int           // for each column of fit, the source column
	ymap   []int           // for each row of fit, the source row
	cxmap  []int           // for each column of fit, the source chroma column offset
	placed bool            // pix holds an image, not the placeholder
}

// NewPreviewRenderer returns a renderer of width×height frames (at least 64×48).
func NewPreviewRenderer(width, height int) *PreviewRenderer {
	width = max(width, minPreviewWidth)
	height = max(height, minPreviewHeight)
	r := &PreviewRenderer{width: width, height: height, colors: DefaultPreviewColors()}
	r.layout()
	for i := range r.frames {
		r.frames[i] = image.NewRGBA(image.Rect(0, 0, width, height))
	}
	for i := range r.panels {
		p := &r.panels[i]
		p.pix = image.NewRGBA(image.Rect(0, 0, p.rect.Dx(), p.rect.Dy()))
		p.xmap = make([]int, 0, p.rect.Dx())
		p.cxmap = make([]int, 0, p.rect.Dx())
		p.ymap = make([]int, 0, p.rect.Dy())
	}
	r.Reset()
	return r
}

// layout places the panels: the face (3:4) on the left, the eyes (4:3) stacked on the
// right, the distance bar across the bottom; the whole centred in the frame.
func (r *PreviewRenderer) layout() {
	gap := max(2, r.height/160)
	barH := min(max(r.height/16, 12), 48)
	avail := r.height - barH - 3*gap // panel height: gap above, between panels and bar, below
	// Width needed for a panel height h: gap + 3h/4 + gap + (h-gap)/2·4/3 + gap.
	need := func(h int) int { return 3*gap + h*3/4 + (h-gap)*2/3 }
	if need(avail) > r.width {
		avail = (r.width - 3*gap + gap*2/3) * 12 / 17
	}
	avail = max(avail, 2*gap+2)
	faceW := avail * 3 / 4
	eyeH := (avail - gap) / 2
	eyeW := eyeH * 4 / 3
	left := max(0, (r.width-need(avail))/2)
	top := gap
	r.panels[panelFace].rect = image.Rect(left+gap, top, left+gap+faceW, top+avail)
	ex := left + 2*gap + faceW
	r.panels[panelLeft].rect = image.Rect(ex, top, ex+eyeW, top+eyeH)
	r.panels[panelRight].rect = image.Rect(ex, top+eyeH+gap, ex+eyeW, top+2*eyeH+gap)
	barTop := top + avail + gap
	r.bar = image.Rect(left+gap, barTop, ex+eyeW, min(barTop+barH, r.height))
}

// Size is the size of the frames Render returns.
func (r *PreviewRenderer) Size() image.Point { return image.Pt(r.width, r.height) }

// SetColors changes the colours of the frames drawn from now on (e.g. on a theme change).
func (r *PreviewRenderer) SetColors(c PreviewColors) {
	r.colors = c
	for _, f := range r.frames {
		fillRGBA(f, f.Rect, c.Background)
	}
	for i := range r.panels {
		p := &r.panels[i]
		if !p.placed {
			fillRGBA(p.pix, p.pix.Rect, c.Placeholder)
		} else if p.fit != p.pix.Rect {
			fillLetterbox(p.pix, p.fit, c.Background)
		}
	}
}

// Reset forgets every panel's image, so the next frame starts from placeholders (e.g. at
// the start of a capture, so the previous person's eyes do not show).
func (r *PreviewRenderer) Reset() {
	for i := range r.panels {
		p := &r.panels[i]
		p.src, p.fit, p.placed = image.Point{}, image.Rectangle{}, false
		fillRGBA(p.pix, p.pix.Rect, r.colors.Placeholder)
	}
	for _, f := range r.frames {
		fillRGBA(f, f.Rect, r.colors.Background)
	}
	r.last = nil
}

// Render decodes the preview's images, composes them with their overlays into the next of
// the two frames and returns it; the following call draws into the other frame. A nil
// preview draws the panels as they are. When an image cannot be decoded, nothing changes:
// Render returns the last good frame (nil before the first) and a *PreviewImageError.
func (r *PreviewRenderer) Render(p *ef45.Preview) (*image.RGBA, error) {
	var empty ef45.Preview
	if p == nil {
		p = &empty
	}
	imgs, err := decodePreviewImages([panelCount][]byte{p.FaceImage, p.LeftEye, p.RightEye})
	if err != nil {
		return r.last, err
	}
	for i, img := range imgs {
		if img != nil {
			r.panels[i].show(img, r.colors.Background)
		}
	}
	frame := r.frames[r.next]
	r.next ^= 1
	for i := range r.panels {
		copyInto(frame, r.panels[i].rect.Min, r.panels[i].pix)
	}
	r.drawOverlays(frame, p)
	r.last = frame
	return frame, nil
}

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
			return imgs, &PreviewImageError{Image: panelNames[i], Err: err}
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

// show scales img into the panel's buffer, nearest neighbour, keeping its aspect.
func (p *previewPanel) show(img image.Image, bg color.RGBA) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	pw, ph := p.pix.Rect.Dx(), p.pix.Rect.Dy()
	dw, dh := pw, h*pw/w
	if dh > ph {
		dw, dh = w*ph/h, ph
	}
	dw, dh = max(dw, 1), max(dh, 1)
	fit := image.Rect((pw-dw)/2, (ph-dh)/2, (pw-dw)/2+dw, (ph-dh)/2+dh)
	if !p.placed || fit != p.fit {
		fillLetterbox(p.pix, fit, bg)
	}
	p.fit, p.src, p.placed = fit, image.Pt(w, h), true

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
	case *image.YCbCr:
		p.scaleYCbCr(src)
	default:
		p.scaleAny(src)
	}
}

func (p *previewPanel) scaleGray(src *image.Gray) {
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

// scaleYCbCr works for every subsampling ratio: an offset into the planes splits into a row
// part and a column part, and the column parts are computed once per image.
func (p *previewPanel) scaleYCbCr(src *image.YCbCr) {
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
func (p *previewPanel) scaleAny(src image.Image) {
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

// drawOverlays draws the labels, the face edges, the eye centres, the iris circles and
// the distance bar.
func (r *PreviewRenderer) drawOverlays(frame *image.RGBA, p *ef45.Preview) {
	c := r.colors
	for i := range r.panels {
		r.label(frame, r.panels[i].rect.Min.Add(image.Pt(6, 15)), panelLabels[i])
	}

	// The face's left and right edges in the face image, as framing guides.
	face := &r.panels[panelFace]
	if face.placed {
		for _, b := range []ef45.Int{p.LeftBoundary, p.RightBoundary} {
			if b <= 0 {
				continue
			}
			x, _ := face.toFrame(float64(b), 0)
			top := face.rect.Min.Y + face.fit.Min.Y
			for y := top; y < top+face.fit.Dy(); y += 14 {
				fillRGBA(frame, image.Rect(x-1, y, x+1, y+8).Intersect(face.rect), c.Marker)
			}
		}
	}

	// Eye and iris centres are in the coordinates of the 640×480 eye images, as the
	// simulator and the device's preview geometry place them (one eye per image).
	mm, known := distanceMM(p)
	eyes := []struct {
		panel          *previewPanel
		ex, ey         ef45.Int
		cx, cy, radius ef45.Int
		dist           ef45.Int
	}{
		{&r.panels[panelLeft], p.LeftEyeCenterX, p.LeftEyeCenterY, p.LeftIrisCenterX, p.LeftIrisCenterY, p.LeftIrisRadius, p.LeftDistance},
		{&r.panels[panelRight], p.RightEyeCenterX, p.RightEyeCenterY, p.RightIrisCenterX, p.RightIrisCenterY, p.RightIrisRadius, p.RightDistance},
	}
	for _, e := range eyes {
		if !e.panel.placed {
			continue
		}
		if e.ex > 0 && e.ey > 0 {
			x, y := e.panel.toFrame(float64(e.ex), float64(e.ey))
			fillRGBA(frame, image.Rect(x-3, y-3, x+3, y+3).Intersect(e.panel.rect), c.Marker)
		}
		if e.radius <= 0 {
			continue
		}
		eyeMM, eyeKnown := mm, known
		if e.dist > 0 {
			eyeMM, eyeKnown = int(e.dist)/1000, true
		}
		col := c.Adjust
		if e.radius >= goodIrisRadiusPx && eyeKnown && eyeMM >= nearestMM && eyeMM <= farthestMM {
			col = c.Good
		}
		x, y := e.panel.toFrame(float64(e.cx), float64(e.cy))
		rad := e.panel.scaleLen(float64(e.radius))
		drawRing(frame, e.panel.rect, x, y, rad, 2, col)
		drawCross(frame, e.panel.rect, x, y, max(4, int(rad/5)), 2, col)
	}
	r.drawDistanceBar(frame, mm, known)
}

// toFrame maps a point in the source image to frame coordinates, clamped far outside the
// frame so that absurd device values cannot overflow.
func (p *previewPanel) toFrame(x, y float64) (int, int) {
	s := p.scaleLen(1)
	fx := float64(p.rect.Min.X+p.fit.Min.X) + x*s
	fy := float64(p.rect.Min.Y+p.fit.Min.Y) + y*s
	return clampCoord(fx), clampCoord(fy)
}

// scaleLen maps a length in source pixels to frame pixels.
func (p *previewPanel) scaleLen(v float64) float64 {
	if p.src.X <= 0 {
		return 0
	}
	return math.Min(v*float64(p.fit.Dx())/float64(p.src.X), 1<<20)
}

func clampCoord(v float64) int {
	const lim = 1 << 20
	switch {
	case math.IsNaN(v):
		return -lim
	case v < -lim:
		return -lim
	case v > lim:
		return lim
	}
	return int(math.Round(v))
}

// drawDistanceBar draws the 250–550 mm scale with the 350–450 mm window and a marker at
// the subject's distance.
func (r *PreviewRenderer) drawDistanceBar(frame *image.RGBA, mm int, known bool) {
	c := r.colors
	bar := r.bar
	if bar.Dx() < 4 || bar.Dy() < 4 {
		return
	}
	fillRGBA(frame, bar, c.Placeholder)
	xAt := func(v int) int {
		v = min(max(v, barNearMM), barFarMM)
		return bar.Min.X + (v-barNearMM)*(bar.Dx()-1)/(barFarMM-barNearMM)
	}
	window := image.Rect(xAt(nearestMM), bar.Min.Y, xAt(farthestMM)+1, bar.Max.Y)
	fillRGBA(frame, window, blend(c.Placeholder, c.Good, 0.35))
	fillRGBA(frame, image.Rect(window.Min.X, bar.Min.Y, window.Min.X+2, bar.Max.Y), c.Good)
	fillRGBA(frame, image.Rect(window.Max.X-2, bar.Min.Y, window.Max.X, bar.Max.Y), c.Good)

	text := r.digits[:0]
	if known {
		col := c.Adjust
		if mm >= nearestMM && mm <= farthestMM {
			col = c.Good
		}
		x := xAt(mm)
		fillRGBA(frame, image.Rect(x-2, bar.Min.Y, x+3, bar.Max.Y).Intersect(bar), col)
		text = strconv.AppendInt(text, int64(mm), 10)
		text = append(text, " mm"...)
	} else {
		text = append(text, "distance unknown"...)
	}
	r.digits = text
	if bar.Dy() >= 13 {
		base := bar.Min.Y + (bar.Dy()+10)/2
		r.labelBytes(frame, image.Pt(bar.Min.X+6, base), text)
	}
}

// label writes s with its baseline at pt.
func (r *PreviewRenderer) label(frame *image.RGBA, pt image.Point, s string) {
	r.ink.C = r.colors.Text
	d := font.Drawer{Dst: frame, Src: &r.ink, Face: basicfont.Face7x13, Dot: fixed.P(pt.X, pt.Y)}
	d.DrawString(s)
}

func (r *PreviewRenderer) labelBytes(frame *image.RGBA, pt image.Point, s []byte) {
	r.ink.C = r.colors.Text
	d := font.Drawer{Dst: frame, Src: &r.ink, Face: basicfont.Face7x13, Dot: fixed.P(pt.X, pt.Y)}
	d.DrawBytes(s)
}

// copyInto copies src (at the origin) to dst at pt, row by row, clipped to dst.
func copyInto(dst *image.RGBA, pt image.Point, src *image.RGBA) {
	r := src.Rect.Add(pt).Intersect(dst.Rect)
	if r.Empty() {
		return
	}
	n := 4 * r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		d := dst.PixOffset(r.Min.X, y)
		s := src.PixOffset(r.Min.X-pt.X, y-pt.Y)
		copy(dst.Pix[d:d+n], src.Pix[s:s+n])
	}
}

// fillRGBA fills rect (clipped to img) with c: one row pixel by pixel, the others copied.
func fillRGBA(img *image.RGBA, rect image.Rectangle, c color.RGBA) {
	rect = rect.Intersect(img.Rect)
	if rect.Empty() {
		return
	}
	first := img.PixOffset(rect.Min.X, rect.Min.Y)
	n := 4 * rect.Dx()
	row := img.Pix[first : first+n]
	for i := 0; i < n; i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, c.A
	}
	for y := rect.Min.Y + 1; y < rect.Max.Y; y++ {
		o := img.PixOffset(rect.Min.X, y)
		copy(img.Pix[o:o+n], row)
	}
}

// fillLetterbox fills the parts of img outside fit.
func fillLetterbox(img *image.RGBA, fit image.Rectangle, c color.RGBA) {
	b := img.Rect
	fillRGBA(img, image.Rect(b.Min.X, b.Min.Y, b.Max.X, fit.Min.Y), c)
	fillRGBA(img, image.Rect(b.Min.X, fit.Max.Y, b.Max.X, b.Max.Y), c)
	fillRGBA(img, image.Rect(b.Min.X, fit.Min.Y, fit.Min.X, fit.Max.Y), c)
	fillRGBA(img, image.Rect(fit.Max.X, fit.Min.Y, b.Max.X, fit.Max.Y), c)
}

// drawRing draws a circle outline of the given thickness, clipped to clip, one horizontal
// span pair per row: no gaps at any radius, and only rows inside clip are visited.
func drawRing(img *image.RGBA, clip image.Rectangle, cx, cy int, radius float64, thick int, c color.RGBA) {
	clip = clip.Intersect(img.Rect)
	outer := radius + float64(thick)/2
	inner := math.Max(radius-float64(thick)/2, 0)
	top := max(clip.Min.Y, clampCoord(float64(cy)-outer))
	bottom := min(clip.Max.Y, clampCoord(float64(cy)+outer)+1)
	for y := top; y < bottom; y++ {
		dy := float64(y - cy)
		xo := outer*outer - dy*dy
		if xo < 0 {
			continue
		}
		xOut := math.Sqrt(xo)
		xIn := 0.0
		if xi := inner*inner - dy*dy; xi > 0 {
			xIn = math.Sqrt(xi)
		}
		l0, l1 := clampCoord(float64(cx)-xOut), clampCoord(float64(cx)-xIn)
		r0, r1 := clampCoord(float64(cx)+xIn), clampCoord(float64(cx)+xOut)
		fillRGBA(img, image.Rect(l0, y, l1+1, y+1).Intersect(clip), c)
		fillRGBA(img, image.Rect(r0, y, r1+1, y+1).Intersect(clip), c)
	}
}

// drawCross draws a + of half-length arm and the given thickness, clipped to clip.
func drawCross(img *image.RGBA, clip image.Rectangle, x, y, arm, thick int, c color.RGBA) {
	clip = clip.Intersect(img.Rect)
	h := thick / 2
	fillRGBA(img, image.Rect(x-arm, y-h, x+arm+1, y-h+thick).Intersect(clip), c)
	fillRGBA(img, image.Rect(x-h, y-arm, x-h+thick, y+arm+1).Intersect(clip), c)
}

// blend mixes b into a by t (0..1).
func blend(a, b color.RGBA, t float64) color.RGBA {
	mix := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}
