package uitest

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestVisibleTexts(t *testing.T) {
	test.NewTempApp(t)
	hidden := widget.NewLabel("hidden")
	hidden.Hide()
	e := widget.NewEntry()
	e.SetPlaceHolder("a hint")
	e.SetText("typed by the operator")
	sel := widget.NewSelect([]string{"one", "two"}, nil)
	sel.PlaceHolder = "pick"
	tabs := container.NewAppTabs(container.NewTabItem("First tab", widget.NewCard("A card", "its subtitle",
		widget.NewForm(widget.NewFormItem("A field", widget.NewCheck("tick me", nil))))))
	w := test.NewWindow(container.NewVBox(widget.NewLabel("a label"), hidden, widget.NewButton("a button", nil), e, sel, tabs,
		widget.NewRichTextWithText("rich text")))
	defer w.Close()
	widget.ShowPopUp(widget.NewLabel("in a pop-up"), w.Canvas())
	got := VisibleTexts(w.Canvas())
	for _, want := range []string{"a label", "a button", "a hint", "pick", "one", "two", "First tab", "A card", "its subtitle",
		"A field", "tick me", "rich text", "in a pop-up"} {
		if !slices.Contains(got, want) {
			t.Errorf("%q is not among %q", want, got)
		}
	}
	for _, not := range []string{"hidden", "typed by the operator"} {
		if slices.Contains(got, not) {
			t.Errorf("%q is among %q", not, got)
		}
	}
	if b := FindButton(t, w.Canvas(), "a button"); b.Text != "a button" {
		t.Errorf("found %q", b.Text)
	}
}
