package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// The translations of every visible string, one file per screen and language:
// translations/SCREEN.LANG.json, keys as lang.X uses them. English is the reference.
//
//go:embed translations
var translations embed.FS

// Languages are the languages every screen is translated into, English first.
var Languages = []string{"en", "ja"}

// LoadTranslations adds every translation file to Fyne's lang package.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		return fmt.Errorf("translations: %w", err)
	}
	return nil
}

// Translations returns the keys and texts of one language, over every screen's file.
func Translations(language string) (map[string]string, error) {
	files, err := fs.Glob(translations, "translations/*."+language+".json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := map[string]string{}
	for _, f := range files {
		b, err := translations.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(f), err)
		}
		for k, v := range m {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("%s: key %q is in another file too", path.Base(f), k)
			}
			out[k] = v
		}
	}
	return out, nil
}

// Missing lists the keys of the reference language that language lacks or leaves empty.
func Missing(language string) ([]string, error) {
	ref, err := Translations(Languages[0])
	if err != nil {
		return nil, err
	}
	got, err := Translations(language)
	if err != nil {
		return nil, err
	}
	var missing []string
	for k := range ref {
		if strings.TrimSpace(got[k]) == "" {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	return missing, nil
}
