package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	cases := []struct {
		args []string
		ok   bool
		want config
		says string // on stderr when not ok
	}{
		{[]string{"--demo"}, true, config{demo: true, seed: 1, shotFrames: 10, deadline: time.Minute}, ""},
		{[]string{"--ef45", "192.0.2.10:9980", "--auto-capture"}, true,
			config{ef45: "192.0.2.10:9980", seed: 1, autoCapture: true, shotFrames: 10, deadline: time.Minute}, ""},
		{[]string{"--demo", "--seed", "7", "--auto-capture", "--screenshot", "s.png", "--screenshot-frames", "3", "--screenshot-timeout", "5s"}, true,
			config{demo: true, seed: 7, autoCapture: true, screenshot: "s.png", shotFrames: 3, deadline: 5 * time.Second}, ""},
		{nil, true, config{seed: 1, shotFrames: 10, deadline: time.Minute}, ""}, // the journal's camera, or the first-run page
		{[]string{"--demo", "--ef45", "h:1"}, false, config{}, "either --demo or --ef45"},
		{[]string{"--demo", "extra"}, false, config{}, `unexpected argument "extra"`},
		{[]string{"--demo", "--screenshot-frames", "0"}, false, config{}, "must be positive"},
		{[]string{"--nope"}, false, config{}, "flag provided but not defined"},
	}
	for _, tc := range cases {
		var stderr bytes.Buffer
		got, ok := parseFlags(tc.args, &stderr)
		if ok != tc.ok {
			t.Errorf("%q: ok = %v, want %v (stderr %q)", tc.args, ok, tc.ok, stderr.String())
			continue
		}
		if ok && got != tc.want {
			t.Errorf("%q: config %+v, want %+v", tc.args, got, tc.want)
		}
		if !ok && (!strings.Contains(stderr.String(), tc.says) || !strings.Contains(stderr.String(), "usage: enrollstation")) {
			t.Errorf("%q: stderr %q, want %q and the usage", tc.args, stderr.String(), tc.says)
		}
	}
}

func TestRunRejectsABadCommandLine(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"--demo", "--ef45", "x:1"}, &stderr); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
}

// The metadata compiled in must say what FyneApp.toml says; the fyne tool reads the file,
// a plain go build only sees the constants.
func TestMetadataMatchesFyneAppToml(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	section := ""
	toml := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, _ := strings.Cut(line, "=")
			toml[section+"."+strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	m := metadata()
	checks := map[string]string{
		"Details.ID":        m.ID,
		"Details.Name":      m.Name,
		"Details.Version":   m.Version,
		"Details.Build":     strconv.Itoa(m.Build),
		"Migrations.fyneDo": strconv.FormatBool(m.Migrations["fyneDo"]),
	}
	for key, got := range checks {
		if want, ok := toml[key]; !ok || want != got {
			t.Errorf("%s: compiled in %q, FyneApp.toml %q", key, got, want)
		}
	}
	if m.Icon == nil || len(m.Icon.Content()) == 0 {
		t.Error("no icon in the metadata")
	}
	if toml["Details.Icon"] != "assets/icon.png" {
		t.Errorf("FyneApp.toml names icon %q; the embedded one is assets/icon.png", toml["Details.Icon"])
	}
}

func TestOpenLogWritesAPrivateFileInTheUserFolder(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	path, err := logPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "enrollstation", "enrollstation.log"); path != want {
		t.Errorf("log path %q, want %q", path, want)
	}
	log, closeLog, err := openLog()
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hello", "camera", "192.0.2.1:9980")
	closeLog()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("log file mode %v, want 0600", perm)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"msg":"hello"`) || !strings.Contains(string(b), `"camera":"192.0.2.1:9980"`) {
		t.Errorf("log content %q", b)
	}
}
