package assets

import "testing"

func TestEveryLanguageHasEveryKey(t *testing.T) {
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	ref, err := Translations(Languages[0])
	if err != nil || len(ref) == 0 {
		t.Fatalf("English: %d keys, %v", len(ref), err)
	}
	for _, l := range Languages[1:] {
		missing, err := Missing(l)
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %d keys: %v", l, len(missing), missing)
		}
	}
}
