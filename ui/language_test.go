package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
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
