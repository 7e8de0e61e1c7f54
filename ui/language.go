package ui

import (
	"errors"
	"fmt"
	"os"

	"enrollstation/assets"
	"enrollstation/ui/fonts"
)

// ApplyLanguage makes the screens built from now on speak code ("en", "ja"). Fyne's lang
// package takes the language from the locale environment when translations are loaded, so
// this sets that environment for the process and loads them again; the shell then builds
// its screens anew. An empty code keeps the system's language.
func ApplyLanguage(code string) error {
	if code == "" {
		return nil
	}
	// The first of LC_ALL, LC_MESSAGES, LANG that is set decides; "C" would turn
	// translation off altogether.
	if v := os.Getenv("LC_ALL"); v == "C" || v == "POSIX" {
		if err := os.Unsetenv("LC_ALL"); err != nil {
			return fmt.Errorf("language %s: %w", code, err)
		}
	}
	for _, kv := range [][2]string{{"LANGUAGE", code}, {"LC_MESSAGES", code}} {
		if err := os.Setenv(kv[0], kv[1]); err != nil {
			return fmt.Errorf("language %s: %w", code, err)
		}
	}
	return assets.LoadTranslations()
}

// ApplyReadableLanguage is ApplyLanguage, except for a language whose letters no font of
// this computer has (c tells): then the screens speak English, which Fyne's own font
// draws, rather than show nothing but empty boxes. It returns the language applied.
func ApplyReadableLanguage(code string, c *fonts.Check) (string, error) {
	ok, err := c.Readable(code)
	if err != nil {
		// Fonts that cannot be read tell nothing: keep the choice, and say why unchecked.
		return code, errors.Join(fmt.Errorf("language %s unchecked: %w", code, err), ApplyLanguage(code))
	}
	if !ok {
		code = "en"
	}
	return code, ApplyLanguage(code)
}
