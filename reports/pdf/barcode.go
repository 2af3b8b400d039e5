package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/qr"
)

// Quiet zones, in modules: Code 128 asks for 10, QR for 4.
const (
	code128Quiet = 10
	qrQuiet      = 4
)

// Code128Modules returns the width of the Code 128 symbol of data in modules, quiet zones
// included.
func Code128Modules(data string) (int, error) {
	bc, err := code128.Encode(data)
	if err != nil {
		return 0, fmt.Errorf("code128 %q: %w", data, err)
	}
	return bc.Bounds().Dx() + 2*code128Quiet, nil
}

// Code128 draws the Code 128 symbol of data with its top-left corner (quiet zone included) at
// (x, y), bars module points wide and h points high, and returns its width. The symbol is one
// grey image of one pixel per module and one pixel high: PDF scales images without
// interpolation, so at any resolution the bars stay sharp; pick module as a whole number of
// printer dots (see Dots) and x on the dot grid for exact bar widths.
func (d *Document) Code128(x, y, module, h float64, data string) (float64, error) {
	bc, err := code128.Encode(data)
	if err != nil {
		return 0, fmt.Errorf("code128 %q: %w", data, err)
	}
	n := bc.Bounds().Dx()
	img := image.NewGray(image.Rect(0, 0, n+2*code128Quiet, 1))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for i := 0; i < n; i++ {
		if c := color.GrayModel.Convert(bc.At(bc.Bounds().Min.X+i, bc.Bounds().Min.Y)).(color.Gray); c.Y < 128 {
			img.Pix[code128Quiet+i] = 0
		}
	}
	w := float64(img.Rect.Dx()) * module
	return w, d.image(x, y, w, h, "code128:"+data, img)
}

// QR draws the QR code (level M) of data in a square of side size at (x, y), the 4-module
// quiet zone included.
func (d *Document) QR(x, y, size float64, data string) error {
	bc, err := qr.Encode(data, qr.M, qr.Auto)
	if err != nil {
		return fmt.Errorf("qr %q: %w", data, err)
	}
	n := bc.Bounds().Dx()
	img := image.NewGray(image.Rect(0, 0, n+2*qrQuiet, n+2*qrQuiet))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for yy := 0; yy < n; yy++ {
		for xx := 0; xx < n; xx++ {
			if c := color.GrayModel.Convert(bc.At(xx, yy)).(color.Gray); c.Y < 128 {
				img.SetGray(qrQuiet+xx, qrQuiet+yy, color.Gray{})
			}
		}
	}
	return d.image(x, y, size, size, "qr:"+data, img)
}

func (d *Document) image(x, y, w, h float64, key string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return d.Image(x, y, w, h, key, buf.Bytes())
}

// Dots returns the length of n dots of a printer of the given resolution, in points (e.g.
// Dots(2, 203) is the 0.25 mm module of a 203 dpi thermal label printer).
func Dots(n, dpi float64) float64 { return n * 72 / dpi }

// SnapDots rounds v (points) to the nearest dot of a printer of the given resolution.
func SnapDots(v, dpi float64) float64 { return math.Round(v*dpi/72) * 72 / dpi }
