package uitest

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// VisibleTexts is every text an operator can read on c: its content and the overlays
// above it (dialogs, pop-ups), walked through the widgets' renderers, hidden objects left
// out. A widget whose words are known whole (a label, a button, an entry's placeholder, a
// check, a select and its options, rich text, a hyperlink) gives them as one text; any
// other widget gives the texts it draws. Entries' own text is the operator's, not the
// screen's, and is left out.
func VisibleTexts(c fyne.Canvas) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	roots := []fyne.CanvasObject{c.Content()}
	roots = append(roots, c.Overlays().List()...)
	for _, r := range roots {
		Walk(r, func(o fyne.CanvasObject) bool {
			switch w := o.(type) {
			case *widget.Label:
				add(w.Text)
			case *widget.Button:
				add(w.Text)
			case *widget.Hyperlink:
				add(w.Text)
			case *widget.Check:
				add(w.Text)
			case *widget.RichText:
				add(w.String())
			case *widget.Select:
				add(w.PlaceHolder)
				add(w.Selected)
				for _, opt := range w.Options {
					add(opt)
				}
			case *widget.RadioGroup:
				for _, opt := range w.Options {
					add(opt)
				}
			case *widget.SelectEntry:
				add(w.PlaceHolder)
			case *widget.Entry:
				add(w.PlaceHolder)
			case *container.AppTabs:
				for _, it := range w.Items {
					add(it.Text)
				}
				return true
			case *canvas.Text:
				add(w.Text)
			default:
				return true
			}
			return false
		})
	}
	return out
}

// Walk calls fn on o and, while fn says so, on what o holds: a container's objects, a
// widget's rendered objects. Hidden objects and what they hold are skipped.
func Walk(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) {
	if o == nil || !o.Visible() || !fn(o) {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			Walk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			Walk(c, fn)
		}
	}
}

// FindButton is the visible button on c labelled text (its content, then the overlays),
// failing the test when there is none.
func FindButton(t testing.TB, c fyne.Canvas, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	for _, r := range append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...) {
		Walk(r, func(o fyne.CanvasObject) bool {
			if b, ok := o.(*widget.Button); ok && found == nil && b.Text == text {
				found = b
			}
			return found == nil
		})
	}
	if found == nil {
		t.Fatalf("no button %q on the screen", text)
	}
	return found
}
