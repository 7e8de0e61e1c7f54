package ef45sim

import (
	"encoding/json"
	"image"
	"sync"
)

// previewAssets are drawn once per device and reused for every preview frame.
type previewAssets struct {
	eyeBG  [2]*image.Gray
	tex    [2]*irisTexture
	faceBG *image.RGBA
	look   appearance
}

func (d *Device) previewAssets() *previewAssets {
	d.previewOnce.Do(func() {
		s := d.opts.Seed
		p := &previewAssets{look: newAppearance(s)}
		for i := range 2 {
			p.eyeBG[i] = eyeBackground(s, i)
			p.tex[i] = newIrisTexture(s, i)
		}
		p.faceBG = faceBackground(previewFaceW, previewFaceH, p.look, newNoise(s, "preview-wall", 0), 3)
		d.preview = p
	})
	return d.preview
}

// Preview JPEG qualities: the device sends reduced-quality frames to keep up the rate.
const (
	previewEyeQuality  = 70
	previewFaceQuality = 65
	maxCachedFrames    = 512
)

// frameKey names one preview frame; frames depend only on these and the seed.
type frameKey struct {
	k, n    int
	glasses bool
}

// frameCache keeps encoded preview answers so a frame is drawn once per device.
type frameCache struct {
	mu sync.Mutex
	m  map[frameKey][]byte
}

// frame returns the encoded preview answer of a frame, drawing it on first use.
func (d *Device) frame(key frameKey) []byte {
	d.frames.mu.Lock()
	b, ok := d.frames.m[key]
	d.frames.mu.Unlock()
	if ok {
		return b
	}
	b = d.renderFrame(key)
	d.frames.mu.Lock()
	if len(d.frames.m) >= maxCachedFrames {
		clear(d.frames.m) // long captures at a high rate: start over rather than grow
	}
	d.frames.m[key] = b
	d.frames.mu.Unlock()
	d.mu.Lock()
	d.st.stats.FramesRendered++
	d.mu.Unlock()
	return b
}

func (d *Device) renderFrame(key frameKey) []byte {
	pa := d.previewAssets()
	g := frameGeometry(d.opts.Seed, key.k, key.n, key.glasses)
	p := previewOf(g)
	// The three images are independent: drawing and encoding them at once keeps a frame's
	// latency near that of the slowest one.
	var wg sync.WaitGroup
	for i, out := range []*[]byte{&p.LeftEye, &p.RightEye} {
		wg.Go(func() {
			eye := image.NewGray(image.Rect(0, 0, eyeW, eyeH))
			drawEye(eye, pa.eyeBG[i], pa.tex[i], g.eyes[i], g.open)
			*out = encodeJPEG(eye, previewEyeQuality)
		})
	}
	wg.Go(func() {
		face := image.NewRGBA(image.Rect(0, 0, previewFaceW, previewFaceH))
		drawFace(face, pa.faceBG, faceScene{g: g.face, open: g.open, glasses: g.glasses, look: pa.look, noise: 2},
			newNoise(d.opts.Seed, "preview-face", uint64(key.k)))
		p.FaceImage = encodeJPEG(face, previewFaceQuality)
	})
	wg.Wait()
	b, _ := json.Marshal(p) // a Preview of byte slices and numbers always encodes
	return b
}
