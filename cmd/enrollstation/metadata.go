package main

import (
	"fyne.io/fyne/v2"

	"enrollstation/assets"
)

// The application's identity, as FyneApp.toml at the module root declares it; the fyne
// tool reads that file, a plain `go build` does not, so the values are repeated here and a
// test keeps the two in step.
const (
	appID      = "com.enrollstation.app"
	appName    = "Enroll Station"
	appVersion = "0.1.0"
	appBuild   = 1
)

// metadata is what app.SetMetadata needs for a plain `go build`: the identity, the icon
// and the fyneDo migration (all UI work from goroutines already goes through fyne.Do).
func metadata() fyne.AppMetadata {
	return fyne.AppMetadata{
		ID:         appID,
		Name:       appName,
		Version:    appVersion,
		Build:      appBuild,
		Icon:       assets.Icon(),
		Migrations: map[string]bool{"fyneDo": true},
	}
}
