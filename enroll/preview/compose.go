package preview

import (
	"image"
	"sync"
	"sync/atomic"
)

// pool runs a frame's per-panel work on two goroutines, the caller's and one helper: the
// face image costs about as much as both eyes, so two cores share it evenly, each taking
// the next panel when done with one. The helper and the work functions are made once, so a
// frame allocates nothing.
type pool struct {
	todo   [panelCount]bool // panels with work this phase
	next   atomic.Int32     // the next panel to take
	work   func(i int)      // the phase running
	wg     sync.WaitGroup
	helper func()
}

func (p *pool) init() {
	p.helper = func() {
		defer p.wg.Done()
		p.drain()
	}
}

// run calls work for each panel marked in todo, on two goroutines, and returns when all
// are done.
func (p *pool) run(work func(i int)) {
	n := 0
	for _, t := range p.todo {
		if t {
			n++
		}
	}
	if n == 0 {
		return
	}
	p.work = work
	p.next.Store(0)
	if n > 1 {
		p.wg.Add(1)
		go p.helper()
	}
	p.drain()
	p.wg.Wait()
}

func (p *pool) drain() {
	for {
		i := int(p.next.Add(1)) - 1
		if i >= panelCount {
			return
		}
		if p.todo[i] {
			p.work(i)
		}
	}
}

// decodePanel decodes panel i's image with its own decoder, into its own buffers.
func (r *Renderer) decodePanel(i int) {
	p := &r.panels[i]
	r.decoded[i], r.errs[i] = r.decoders[i].decode(r.data[i], p.pix.Rect.Size())
}

// scalePanel draws panel i's decoded image into the panel.
func (r *Renderer) scalePanel(i int) {
	r.panels[i].show(r.decoded[i], r.colors.Background)
}

// decodeAll decodes the non-empty images at once and scales them into their panels; when
// one cannot be decoded no panel changes and the error names the first such image.
func (r *Renderer) decodeAll(data [panelCount][]byte) error {
	r.data = data
	for i, b := range data {
		r.pool.todo[i] = len(b) > 0
		r.errs[i] = nil
	}
	r.pool.run(r.decodeFn)
	for i, err := range r.errs {
		if err != nil {
			r.clearWork()
			return &ImageError{Image: panelNames[i], Err: err}
		}
	}
	r.pool.run(r.scaleFn)
	r.clearWork()
	return nil
}

// clearWork drops the references to the frame's bytes and the decoded images, so a
// renderer between captures does not keep the last person's images reachable twice.
func (r *Renderer) clearWork() {
	r.data = [panelCount][]byte{}
	r.decoded = [panelCount]decoded{}
}

// compose copies the panels into frame.
func (r *Renderer) compose(frame *image.RGBA) {
	for i := range r.panels {
		copyInto(frame, r.panels[i].rect.Min, r.panels[i].pix)
	}
}
