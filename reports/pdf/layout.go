package pdf

import (
	"encoding/json"
	"math"
	"strconv"
)

// Layout is the positioned content of a document: what the PDF draws, in drawing order. Tests
// compare it as JSON (Layout.JSON) against goldens.
type Layout struct {
	Pages []*Page `json:"pages"`
}

// Page is one page of a Layout.
type Page struct {
	W     Num    `json:"w"`
	H     Num    `json:"h"`
	Boxes []*Box `json:"boxes"`
	// section numbers the page's document inside a batch (page numbers count per section).
	section int
}

// Box kinds.
const (
	KindText  = "text"
	KindRect  = "rect"
	KindLine  = "line"
	KindImage = "image"
)

// Box is one drawn element. X, Y are its top-left corner; a line goes from (X, Y) to
// (X+W, Y+H).
type Box struct {
	Kind string `json:"kind"`
	X    Num    `json:"x"`
	Y    Num    `json:"y"`
	W    Num    `json:"w"`
	H    Num    `json:"h"`
	// Text boxes: the line, its font, size and baseline (absolute). A line set in more than
	// one font, or with runes printed as Placeholder, has its runs instead of a font.
	Text     string `json:"text,omitempty"`
	Font     string `json:"font,omitempty"`
	Size     Num    `json:"size,omitempty"`
	Baseline Num    `json:"baseline,omitempty"`
	Runs     []Run  `json:"runs,omitempty"`
	// Rect and line boxes: stroke width (0 = no stroke) and fill.
	Stroke Num  `json:"stroke,omitempty"`
	Fill   *RGB `json:"fill,omitempty"`
	// Color of text, or of the stroke of rects and lines; nil is black.
	Color *RGB `json:"color,omitempty"`
	// Image boxes: the key of the image in the document (e.g. "code128:2526000001").
	Image string `json:"image,omitempty"`
}

// Run is a stretch of a text line set in one font. X is relative to the box.
type Run struct {
	Font string `json:"font"`
	Text string `json:"text"`
	X    Num    `json:"x"`
	W    Num    `json:"w"`
}

// RGB is a colour.
type RGB struct{ R, G, B uint8 }

// MarshalJSON writes "#rrggbb".
func (c RGB) MarshalJSON() ([]byte, error) {
	const hex = "0123456789abcdef"
	b := []byte{'"', '#', 0, 0, 0, 0, 0, 0, '"'}
	for i, v := range []uint8{c.R, c.G, c.B} {
		b[2+2*i], b[3+2*i] = hex[v>>4], hex[v&15]
	}
	return b, nil
}

// Num is a length in points. It marshals rounded to 0.01 pt, so goldens do not change with
// the last bits of floating-point arithmetic.
type Num float64

// MarshalJSON writes the number rounded to two decimals.
func (n Num) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, math.Round(float64(n)*100)/100, 'f', -1, 64), nil
}

// JSON returns the layout as indented JSON, one golden-friendly text.
func (l *Layout) JSON() []byte {
	b, err := json.MarshalIndent(l, "", " ")
	if err != nil {
		panic(err) // only plain values: cannot fail
	}
	return append(b, '\n')
}

// Texts returns the text of every text box of page i in drawing order, for tests.
func (l *Layout) Texts(i int) []string {
	var s []string
	for _, b := range l.Pages[i].Boxes {
		if b.Kind == KindText {
			s = append(s, b.Text)
		}
	}
	return s
}
