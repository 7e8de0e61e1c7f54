package ui

import (
	"fmt"
	"os"

	"enrollstation/assets"
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
