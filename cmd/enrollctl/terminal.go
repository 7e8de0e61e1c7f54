package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// terminalSafe returns s with every control character a terminal would act on written
// out instead: C0 but newline and tab, DEL, C1 (U+0080 to U+009F) and bytes that are not
// UTF-8. Device strings (names, messages, versions) reach enrollctl's output, and an escape
// sequence in one could retitle the window, hide lines or rewrite the screen.
func terminalSafe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isTerminalControl(r):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || isTerminalControl(r) {
			return true
		}
		i += n
	}
	return false
}

func isTerminalControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// terminalWriter passes everything enrollctl prints (listings, details, JSON, errors)
// through terminalSafe. JSON stays valid: encoding/json escapes C0 itself, and a C1
// character inside a string becomes its \u escape. A character split across two writes is
// held until it is whole.
type terminalWriter struct {
	w       io.Writer
	pending []byte
}

func newTerminalWriter(w io.Writer) *terminalWriter { return &terminalWriter{w: w} }

// Write escapes p and writes it; it reports len(p) when the whole of it was taken.
func (t *terminalWriter) Write(p []byte) (int, error) {
	buf := append(t.pending, p...)
	cut := len(buf)
	// Hold back an incomplete character at the end (at most 3 bytes).
	for back := 1; back <= 3 && back <= len(buf); back++ {
		start := len(buf) - back
		if utf8.RuneStart(buf[start]) {
			if !utf8.FullRune(buf[start:]) {
				cut = start
			}
			break
		}
	}
	t.pending = append(t.pending[:0:0], buf[cut:]...)
	if _, err := io.WriteString(t.w, terminalSafe(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a character left incomplete at the end of the output, escaped as the bytes
// that it is.
func (t *terminalWriter) Flush() error {
	if len(t.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(t.w, terminalSafe(string(t.pending)))
	t.pending = t.pending[:0]
	return err
}
