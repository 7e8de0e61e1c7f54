// Package preview turns EF-45 preview frames into one composed RGBA image for the screen:
// the face and both eyes decoded, scaled into their panels, with the guidance overlays
// (face edges, eye centres, iris circles, the distance bar) drawn over them.
package preview

import (
	"fmt"
	"image"
	"image/color"

	"enrollstation/devices/ef45"
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

// Colors are the colours of the composed preview. The UI passes its theme's.
type Colors struct {
	Background  color.RGBA // around and between the panels
	Placeholder color.RGBA // a panel with no image yet, and the empty distance bar
	Good        color.RGBA // iris and distance in range
	Adjust      color.RGBA // iris or distance out of range
	Marker      color.RGBA // eye centres on the face image
	Text        color.RGBA // panel labels and the distance figure
}

// DefaultColors are dark-theme colours: a dark surround, green when in range, amber when
// not.
func DefaultColors() Colors {
	return Colors{
		Background:  color.RGBA{0x17, 0x17, 0x18, 0xff},
		Placeholder: color.RGBA{0x3a, 0x3a, 0x3e, 0xff},
		Good:        color.RGBA{0x43, 0xc9, 0x55, 0xff},
		Adjust:      color.RGBA{0xff, 0xb3, 0x00, 0xff},
		Marker:      color.RGBA{0x29, 0xb6, 0xf6, 0xff},
		Text:        color.RGBA{0xee, 0xee, 0xee, 0xff},
	}
}

// ImageError says which preview image could not be shown, and why.
type ImageError struct {
	Image string // "face image", "left eye image", "right eye image"
	Err   error
}

// Error names the image and the reason, for the log and the operator.
func (e *ImageError) Error() string {
	return fmt.Sprintf("preview: the camera's %s cannot be shown: %v", e.Image, e.Err)
}

// Unwrap returns the decoder's error.
func (e *ImageError) Unwrap() error { return e.Err }

// Panel indexes, in the order the preview's images are decoded.
const (
	panelFace = iota
	panelLeft
	panelRight
	panelCount
)

var panelNames = [panelCount]string{"face image", "left eye image", "right eye image"}

var panelLabels = [panelCount]string{"FACE", "LEFT EYE", "RIGHT EYE"}

// Renderer turns EF-45 preview frames into one composed RGBA image: the face on the left,
// the left eye above the right eye on the right, a distance bar below, with the face edges,
// eye centres, iris circles and distance drawn over them.
//
// All big buffers are made once: each panel keeps its last image, scaled, in its own
// buffer, and frames are composed into two RGBA images used in turn, so the caller can show
// one while the next is drawn. A panel whose image is empty keeps its last image; one that
// never had an image shows a neutral placeholder. Render is not safe for concurrent use.
type Renderer struct {
	width, height int
	colors        Colors
	panels        [panelCount]panel
	bar           image.Rectangle
	frames        [2]*image.RGBA
	next          int         // index of the frame the next Render draws into
	last          *image.RGBA // the frame last drawn without error
	digits        []byte      // reused text buffer for the distance figure
	ink           image.Uniform

	// A frame's decoding: one decoder per panel, run on two goroutines (compose.go).
	decoders          [panelCount]decoder
	data              [panelCount][]byte
	decoded           [panelCount]decoded
	errs              [panelCount]error
	pool              pool
	decodeFn, scaleFn func(int)
}

// NewRenderer returns a renderer of width×height frames (at least 64×48). It decodes with
// libjpeg-turbo where the build has cgo, with image/jpeg elsewhere.
func NewRenderer(width, height int) *Renderer {
	return newRenderer(width, height, newDefaultDecoder)
}

// newRenderer is NewRenderer with the decoders that newDecoder makes, one per panel.
func newRenderer(width, height int, newDecoder func() decoder) *Renderer {
	width = max(width, minPreviewWidth)
	height = max(height, minPreviewHeight)
	r := &Renderer{width: width, height: height, colors: DefaultColors()}
	r.ink.C = r.colors.Text
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
	for i := range r.decoders {
		r.decoders[i] = newDecoder()
	}
	r.decodeFn, r.scaleFn = r.decodePanel, r.scalePanel
	r.pool.init()
	r.Reset()
	return r
}

// layout places the panels: the face (3:4) on the left, the eyes (4:3) stacked on the
// right, the distance bar across the bottom; the whole centred in the frame.
func (r *Renderer) layout() {
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
func (r *Renderer) Size() image.Point { return image.Pt(r.width, r.height) }

// SetColors changes the colours of the frames drawn from now on (e.g. on a theme change).
func (r *Renderer) SetColors(c Colors) {
	r.colors = c
	r.ink.C = c.Text
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
func (r *Renderer) Reset() {
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
// Render returns the last good frame (nil before the first) and an *ImageError.
func (r *Renderer) Render(p *ef45.Preview) (*image.RGBA, error) {
	var empty ef45.Preview
	if p == nil {
		p = &empty
	}
	if err := r.decodeAll([panelCount][]byte{p.FaceImage, p.LeftEye, p.RightEye}); err != nil {
		return r.last, err
	}
	frame := r.frames[r.next]
	r.next ^= 1
	r.compose(frame)
	r.drawOverlays(frame, p)
	r.last = frame
	return frame, nil
}
