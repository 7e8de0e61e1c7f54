package main

import (
	"bytes"
	"strings"
	"testing"

	"enrollstation/devices/actatek/actateksim"
)

func TestTerminalSafe(t *testing.T) {
	for in, want := range map[string]string{
		"Ada Lovelace":         "Ada Lovelace",
		"line\nnext\tcol":      "line\nnext\tcol",
		"Łukasz Ærøskøbing":    "Łukasz Ærøskøbing",
		"\x1b]0;owned\x07":     `\x1b]0;owned\x07`,
		"a\x1b[2Jb\rc":         `a\x1b[2Jb\x0dc`,
		"csi\u009b31m del\x7f": `csi\u009b31m del\x7f`,
		"bad \xff utf-8":       `bad \xff utf-8`,
		"\x00":                 `\x00`,
	} {
		if got := terminalSafe(in); got != want {
			t.Errorf("terminalSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// A character split across writes passes whole; an escape split across writes is still
// caught, since each byte of it is escaped on its own.
func TestTerminalWriterSplitWrites(t *testing.T) {
	var out bytes.Buffer
	w := newTerminalWriter(&out)
	in := "Ł\u009b\x1b[31mø"
	for i := range len(in) {
		if n, err := w.Write([]byte{in[i]}); n != 1 || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	w.Write([]byte("\xc5")) // a character the output ends in the middle of
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), `Ł\u009b\x1b[31mø\xc5`; got != want {
		t.Fatalf("written %q, want %q", got, want)
	}
}

// A name stored on a terminal with escape sequences in it is listed with them spelt out,
// in the aligned listing and in JSON.
func TestDeviceTextReachesNoTerminalAsControls(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{})
	evil := "Eve\x1b]0;owned\x07\x1b[2J"
	photo := writeFile(t, "face.jpg", actateksim.FacePhoto(5, 120, 160))
	tmpl := writeFile(t, "face.tmpl", bytes.Repeat([]byte{7}, 300))
	if code, _, errOut := actatekCtl(t, sim, srv, pinned(sim), "user-add", "--id", "E0001", "--first", evil, "--last", "X\u009b1m",
		"--photo", photo, "--template", tmpl, "--template-type", "1"); code != 0 {
		t.Fatalf("user-add: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"users"}, {"users", "--id", "E0001"}, {"--json", "users"}} {
		code, out, errOut := actatekCtl(t, sim, srv, pinned(sim), args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%v printed control characters: %q", args, out)
		}
		if !strings.Contains(out, `Eve\x1b]0;owned`) && !strings.Contains(out, `Eve\u001b]0;owned`) {
			t.Errorf("%v does not show the name spelt out: %q", args, out)
		}
	}
}
