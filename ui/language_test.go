package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"enrollstation/ui/fonts"
)

func TestApplyLanguageSwitchesTheTexts(t *testing.T) {
	t.Setenv("LC_ALL", "C")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_MESSAGES", "")
	if err := ApplyLanguage("ja"); err != nil {
		t.Fatal(err)
	}
	if got := lang.X("shell.tab.enroll", "Enroll"); got != "登録" {
		t.Fatalf("Japanese: %q", got)
	}
	if err := ApplyLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got := lang.X("shell.tab.enroll", "Enroll"); got != "Enroll" {
		t.Fatalf("English: %q", got)
	}
}

// Japanese is applied where a font has its letters (the system's, set up with one), and
// English where none has (Fyne's Latin font alone).
func TestApplyReadableLanguageKeepsTheScreensReadable(t *testing.T) {
	t.Setenv("LC_ALL", "C")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_MESSAGES", "")
	t.Cleanup(func() { _ = ApplyLanguage("en") })
	for _, c := range []struct {
		name  string
		fonts *fonts.Check
		code  string
		tab   string
	}{
		{"system fonts", fonts.System(), "ja", "登録"},
		{"a Latin font alone", fonts.Of(theme.DefaultTextFont()), "en", "Enroll"},
	} {
		got, err := ApplyReadableLanguage("ja", c.fonts)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.code {
			t.Errorf("%s: applied %q, want %q", c.name, got, c.code)
		}
		if tab := lang.X("shell.tab.enroll", "Enroll"); tab != c.tab {
			t.Errorf("%s: the Enroll tab reads %q, want %q", c.name, tab, c.tab)
		}
	}
}
