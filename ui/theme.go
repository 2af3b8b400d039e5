package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"occhealth/assets"
)

// appTheme is the default Fyne theme with the bundled WenQuanYi Micro Hei for every text
// style, so Chinese renders the same on every machine (TECH.md: without a bundled font Fyne
// mixes system fonts mid-string or draws boxes).
type appTheme struct {
	font fyne.Resource
}

var _ fyne.Theme = (*appTheme)(nil)

// fontUI is the one resource for the bundled font: Fyne caches faces by resource, so every
// theme instance shares it.
var fontUI = fyne.NewStaticResource("ui-cjk.ttf", assets.FontScreen)

// NewTheme returns the application theme.
func NewTheme() fyne.Theme { return &appTheme{font: fontUI} }

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, v)
}

// Font returns Micro Hei for regular, bold, italic and monospace alike: Fyne does not
// synthesise bold, and a second face would only differ for Latin text.
func (t *appTheme) Font(fyne.TextStyle) fyne.Resource { return t.font }

func (t *appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *appTheme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }

// appIcon is the window and application icon.
var appIcon = fyne.NewStaticResource("icon.png", assets.Icon)
