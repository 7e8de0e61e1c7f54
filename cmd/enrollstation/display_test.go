package main

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

func TestCheckDisplay(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	if err := checkDisplay(env(map[string]string{"DISPLAY": ":99"})); err != nil {
		t.Errorf("X11: %v", err)
	}
	if err := checkDisplay(env(map[string]string{"WAYLAND_DISPLAY": "wayland-0"})); err != nil {
		t.Errorf("Wayland: %v", err)
	}
	err := checkDisplay(env(nil))
	if runtime.GOOS == "linux" && !errors.Is(err, errNoDisplay) {
		t.Errorf("no display: %v", err)
	}
}

func TestRunWithoutADisplaySaysSo(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only X11 and Wayland systems find their display in the environment")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	var out strings.Builder
	if code := run([]string{"--demo"}, &out); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if got := out.String(); !strings.Contains(got, "no graphical display") || !strings.Contains(got, "xvfb-run") {
		t.Fatalf("message %q", got)
	}
}
