// Package fonts tells whether this computer's fonts can draw a language, so the station
// warns before a choice that would show every word as empty boxes. Fyne's own font covers
// Latin letters; other scripts come from the fonts installed on the system.
package fonts

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"sync"

	"fyne.io/fyne/v2"
	"github.com/go-text/typesetting/fontscan"
)

// Check answers whether a language can be drawn; safe for concurrent use.
type Check struct {
	once sync.Once
	load func() (*fontscan.FontMap, error)

	mu  sync.Mutex // a font map is not safe for concurrent use
	fm  *fontscan.FontMap
	err error
}

// System is a check over the fonts installed on this computer, found as Fyne finds them to
// draw what its own font lacks: the same scan, shared within the process and cached on
// disk. The scan runs on the first question, not here.
func System() *Check {
	return &Check{load: func() (*fontscan.FontMap, error) {
		fm := newMap()
		if err := fm.UseSystemFonts(""); err != nil {
			return nil, fmt.Errorf("system fonts: %w", err)
		}
		return fm, nil
	}}
}

// Of is a check over the given font files alone.
func Of(files ...fyne.Resource) *Check {
	return &Check{load: func() (*fontscan.FontMap, error) {
		fm := newMap()
		for _, f := range files {
			if err := fm.AddFont(bytes.NewReader(f.Content()), f.Name(), ""); err != nil {
				return nil, fmt.Errorf("font %s: %w", f.Name(), err)
			}
		}
		return fm, nil
	}}
}

func newMap() *fontscan.FontMap {
	// Its log line for each letter no font has is the answer here, not news.
	fm := fontscan.NewFontMap(log.New(io.Discard, "", 0))
	fm.SetQuery(fontscan.Query{Families: []string{fontscan.SansSerif}})
	return fm
}

// sample is a few letters of each script a translation needs beyond Latin: kanji,
// hiragana and katakana for Japanese. Latin needs nothing (Fyne's own font has it).
func sample(code string) string {
	switch code {
	case "ja":
		return "日本語をひらがなとカタカナで"
	}
	return ""
}

// Readable reports whether some font has a glyph for every letter the language code
// ("en", "ja") needs. It fails only when the fonts cannot be read at all.
func (c *Check) Readable(code string) (bool, error) {
	text := sample(code)
	if text == "" {
		return true, nil
	}
	c.once.Do(func() { c.fm, c.err = c.load() })
	if c.err != nil {
		return false, c.err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range text {
		// A map with no font for r answers with any face it has, or none.
		face := c.fm.ResolveFace(r)
		if face == nil {
			return false, nil
		}
		if _, ok := face.NominalGlyph(r); !ok {
			return false, nil
		}
	}
	return true, nil
}
