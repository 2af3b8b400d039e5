package ui

import (
	"bytes"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestTheme_Font(t *testing.T) {
	newTestApp(t)
	th := NewTheme()
	for _, st := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Monospace: true}} {
		r := th.Font(st)
		if r == nil || len(r.Content()) < 1<<20 {
			t.Fatalf("Font(%+v) is not the bundled font", st)
		}
		if bytes.HasPrefix(r.Content(), []byte("ttcf")) {
			t.Fatalf("Font(%+v) is a TrueType collection; Fyne panics on those", st)
		}
	}
	const s = "职业健康工作站"
	size := fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{})
	if size.Width <= 0 || size.Height <= 0 {
		t.Fatalf("MeasureText(%q) = %v; want a non-zero size", s, size)
	}
	// Micro Hei draws every CJK character one em wide.
	if em := fyne.MeasureText("职", 20, fyne.TextStyle{}).Width; em < 18 || em > 22 {
		t.Errorf("width of one CJK character at 20 = %v; want ≈ 20 (the bundled font did not load)", em)
	}

	// Rendering puts ink on the canvas.
	txt := canvas.NewText(s, color.Black)
	txt.TextSize = 24
	w := test.NewTempWindow(t, txt)
	w.Resize(fyne.NewSize(240, 60))
	img := w.Canvas().Capture()
	dark := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r+g+bl < 3*0x8000 {
				dark++
			}
		}
	}
	if dark < 200 {
		t.Errorf("rendering %q left %d dark pixels; want the glyphs drawn", s, dark)
	}
}
