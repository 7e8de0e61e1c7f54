// Package assets holds the images embedded in the application: its icon and logo.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:generate go run gen.go

// Embedded as strings so that nobody can change them at run time.
var (
	//go:embed icon.png
	iconPNG string
	//go:embed logo.png
	logoPNG string
)

// Icon is the application icon (512×512 PNG), the one FyneApp.toml names.
func Icon() fyne.Resource { return fyne.NewStaticResource("icon.png", []byte(iconPNG)) }

// Logo is the product logo (640×160 PNG with a transparent ground): the mark and the name.
func Logo() fyne.Resource { return fyne.NewStaticResource("logo.png", []byte(logoPNG)) }
