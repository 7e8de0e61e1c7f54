package fonts

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The machine the suite runs on is set up with a Japanese font (fonts-ipafont-gothic, as
// the README's set-up installs): the system's fonts, scanned for real, draw Japanese.
func TestSystemFontsDrawJapanese(t *testing.T) {
	c := System()
	for _, code := range []string{"en", "ja"} {
		ok, err := c.Readable(code)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Errorf("%s: the system's fonts are said to lack its letters; is fonts-ipafont-gothic installed?", code)
		}
	}
}

// Fyne's own font has Latin letters and no Japanese ones: with it alone, Japanese is not
// readable and English is.
func TestLatinFontDoesNotDrawJapanese(t *testing.T) {
	c := Of(theme.DefaultTextFont())
	if ok, err := c.Readable("ja"); err != nil || ok {
		t.Errorf("Japanese with a Latin font: readable %v, %v; want false", ok, err)
	}
	if ok, err := c.Readable("en"); err != nil || !ok {
		t.Errorf("English with a Latin font: readable %v, %v; want true", ok, err)
	}
}

// A file that is no font is an error, never a quiet "readable".
func TestBrokenFontIsAnError(t *testing.T) {
	c := Of(fyne.NewStaticResource("broken.ttf", []byte("not a font")))
	if ok, err := c.Readable("ja"); err == nil || ok {
		t.Errorf("broken font: readable %v, %v; want an error", ok, err)
	}
}
