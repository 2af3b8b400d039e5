package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"

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

// Barcode is an encoded symbol ready to draw: a grey PNG of one pixel per module, quiet zones
// included. Encoding (a QR code's mask choice above all) costs more than drawing, so a batch
// can encode its symbols concurrently and draw them in order.
type Barcode struct {
	Key     string // "code128:DATA" or "qr:DATA"
	PNG     []byte
	Modules int // width in modules
}

// NewCode128 encodes data as Code 128 (code set C for digits), one pixel high.
func NewCode128(data string) (*Barcode, error) {
	bc, err := code128.Encode(data)
	if err != nil {
		return nil, fmt.Errorf("code128 %q: %w", data, err)
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
	return encodeBarcode("code128:"+data, img)
}

// NewQR encodes data as a QR code of error-correction level M.
func NewQR(data string) (*Barcode, error) {
	bc, err := qr.Encode(data, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr %q: %w", data, err)
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
	return encodeBarcode("qr:"+data, img)
}

func encodeBarcode(key string, img *image.Gray) (*Barcode, error) {
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Barcode{Key: key, PNG: buf.Bytes(), Modules: img.Rect.Dx()}, nil
}

// DrawBarcode draws b with its top-left corner (quiet zone included) at (x, y), each module
// module points wide, h points high, and returns its width. A 1-D symbol is one pixel high:
// PDF scales images without interpolation unless asked, so at any resolution the bars stay
// sharp; pick module as a whole number of printer dots (see Dots) and x on the dot grid
// (SnapDots) for exact bar widths.
func (d *Document) DrawBarcode(b *Barcode, x, y, module, h float64) float64 {
	w := float64(b.Modules) * module
	d.images[b.Key] = b.PNG
	d.add(&Box{Kind: KindImage, X: Num(x), Y: Num(y), W: Num(w), H: Num(h), Image: b.Key})
	return w
}

// Code128 encodes data and draws it like DrawBarcode.
func (d *Document) Code128(x, y, module, h float64, data string) (float64, error) {
	b, err := NewCode128(data)
	if err != nil {
		return 0, err
	}
	return d.DrawBarcode(b, x, y, module, h), nil
}

// QR draws the QR code (level M) of data in a square of side size at (x, y), the 4-module
// quiet zone included.
func (d *Document) QR(x, y, size float64, data string) error {
	b, err := NewQR(data)
	if err != nil {
		return err
	}
	d.DrawBarcode(b, x, y, size/float64(b.Modules), size)
	return nil
}

// pngEncoder reuses its compressor: png.Encode allocates a new one (about 1 MB) per image,
// which was most of the garbage of a 3,000-sheet batch.
var pngEncoder = png.Encoder{BufferPool: new(pngPool)}

type pngPool struct{ p sync.Pool }

func (p *pngPool) Get() *png.EncoderBuffer {
	b, _ := p.p.Get().(*png.EncoderBuffer)
	return b
}

func (p *pngPool) Put(b *png.EncoderBuffer) { p.p.Put(b) }

// Dots returns the length of n dots of a printer of the given resolution, in points (e.g.
// Dots(2, 203) is the 0.25 mm module of a 203 dpi thermal label printer).
func Dots(n, dpi float64) float64 { return n * 72 / dpi }

// SnapDots rounds v (points) to the nearest dot of a printer of the given resolution.
func SnapDots(v, dpi float64) float64 { return math.Round(v*dpi/72) * 72 / dpi }
