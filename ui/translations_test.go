package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"enrollstation/assets"
)

// Every key a screen asks lang for, in any package under ui, is translated in every
// language: a text missing from a file would show in English on a Japanese screen.
func TestEveryScreenKeyIsTranslated(t *testing.T) {
	key := regexp.MustCompile(`lang\.X\("([a-z0-9_.]+)"|say\("([a-z0-9_.]+)"`)
	used := map[string]string{} // key → file
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if k := m[1] + m[2]; !strings.HasSuffix(k, ".") { // a prefix completed at run time
				used[k] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("only %d keys found: the pattern no longer matches the code", len(used))
	}
	for _, l := range assets.Languages {
		tr, err := assets.Translations(l)
		if err != nil {
			t.Fatal(err)
		}
		for k, file := range used {
			if strings.TrimSpace(tr[k]) == "" {
				t.Errorf("%s: %s is not in the %s translations", file, k, l)
			}
		}
	}
}
