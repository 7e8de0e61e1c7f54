package importer

import (
	"bytes"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds any bytes to the parser and to the row checks: they must never panic,
// and whatever they accept is UTF-8 text whose refused rows write and read back.
func FuzzParse(f *testing.F) {
	f.Add([]byte(list))
	f.Add([]byte("\uFEFFkey,姓,名\r\nk-1,山田,花子\r\n"))
	f.Add([]byte("key,name\n\"a\"\"b\",'=1\n"))
	f.Add([]byte("\x8eR\x93c\n"))
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range append([]Row{{Cells: tb.Header}}, tb.Rows...) {
			for _, c := range r.Cells {
				if !utf8.ValidString(c) {
					t.Fatalf("cell %q is not UTF-8", c)
				}
			}
		}
		_, bad, err := Check(tb, GuessMapping(tb.Header))
		if err != nil || len(bad) == 0 {
			return
		}
		n++
		path := filepath.Join(dir, "refused-"+strconv.Itoa(n)+".csv")
		if err := WriteRefused(path, tb.Header, bad); err != nil {
			t.Fatal(err)
		}
	})
}
