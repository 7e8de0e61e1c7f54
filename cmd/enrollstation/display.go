package main

import (
	"errors"
	"runtime"
)

// errNoDisplay explains what GLFW would otherwise report as a panic.
var errNoDisplay = errors.New("no graphical display: DISPLAY and WAYLAND_DISPLAY are not set. " +
	"Start it from a desktop session, or under a virtual one (xvfb-run make demo); " +
	"enrollctl does the same work from a terminal")

// checkDisplay reports a missing display on the systems where one is found through the
// environment (X11, Wayland); macOS and Windows always have one.
func checkDisplay(getenv func(string) string) error {
	switch runtime.GOOS {
	case "darwin", "windows", "android", "ios", "js":
		return nil
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return errNoDisplay
	}
	return nil
}
