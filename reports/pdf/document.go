package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"
	"time"
)

// A4 and the sizes used by the documents, in points.
var (
	A4 = Size{W: MM(210), H: MM(297)}
)

// Size is a page size in points.
type Size struct{ W, H float64 }

// MM converts millimetres to points.
func MM(mm float64) float64 { return mm * 72 / 25.4 }

// Margins are the page margins in points.
type Margins struct{ Top, Right, Bottom, Left float64 }

// Info is the PDF's document information. Nothing in it is read from the clock: Created is
// what the caller passes (zero writes no date), so the same input gives the same bytes.
type Info struct {
	Title, Author, Subject, Creator, Producer string
	Created                                   time.Time
}

// Options configure a Document.
type Options struct {
	Page   Size // A4 when zero
	Margin Margins
	Info   Info
	// PageNumbers prints "第 N 页 共 M 页" centred in the bottom margin, counting the pages of
	// each section (see NewSection).
	PageNumbers bool
	// NumberStyle is the style of the page numbers (Hei 9 pt when zero).
	NumberStyle Style
	// Stream draws each section into the PDF as soon as the next one starts and drops its
	// layout, so a batch of thousands of documents holds one at a time. Layout then returns
	// only the pages not yet drawn (use it without Stream for goldens). The bytes are the same.
	Stream bool
	// SubsetFonts embeds each font cut to the characters the document prints, instead of
	// gopdf's subset that keeps the face's whole metrics and glyph index (60 KB each for Song
	// and the Micro Hei cut, deflated in every document): a one-page document is smaller and
	// renders in about half the time. The glyphs are the same. Ignored with Stream, whose
	// characters are not known when the first section is drawn.
	SubsetFonts bool
}

// MissingGlyph is a rune that no bundled font has, with the first text it occurred in and
// how often. It was printed as Placeholder.
type MissingGlyph struct {
	Rune  rune
	Text  string
	Count int
}

// String describes the missing glyph for a warning, e.g. “𠀀”(U+20000) 见“张𠀀”.
func (m MissingGlyph) String() string {
	return fmt.Sprintf("“%c”(U+%04X) 见“%s”", m.Rune, m.Rune, m.Text)
}

// MissingGlyphsError reports the runes a document printed as Placeholder. A renderer that
// returns it also returns the complete PDF: the caller decides whether to print it.
type MissingGlyphsError struct{ Glyphs []MissingGlyph }

func (e *MissingGlyphsError) Error() string {
	s := "字体缺字，已印为〓："
	for i, g := range e.Glyphs {
		if i > 0 {
			s += "；"
		}
		s += g.String()
	}
	return s
}

// Document collects the layout of a PDF page by page. It is not safe for concurrent use;
// separate documents may be built concurrently (the fonts they share are read-only).
type Document struct {
	fonts   *fontSet
	opt     Options
	layout  Layout
	page    *Page
	y       float64
	section int
	header  func(*Document)
	images  map[string][]byte
	missing []MissingGlyph
	seen    map[rune]int
	// numbered is how many pages have their page numbers; r draws pages into gopdf.
	numbered int
	r        *renderer
	err      error // of a streamed render, returned by PDF
}

// New starts an empty document. The first call in a process parses the bundled fonts.
func New(opt Options) (*Document, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	if opt.Page.W == 0 || opt.Page.H == 0 {
		opt.Page = A4
	}
	if opt.NumberStyle.Size == 0 {
		opt.NumberStyle = Style{Face: Hei, Size: 9}
	}
	return &Document{fonts: fs, opt: opt, images: map[string][]byte{}, seen: map[rune]int{}}, nil
}

// Page returns the page size.
func (d *Document) Page() Size { return d.opt.Page }

// Left, Right, Top and Bottom are the edges of the content area of the current page size.
func (d *Document) Left() float64  { return d.opt.Margin.Left }
func (d *Document) Right() float64 { return d.opt.Page.W - d.opt.Margin.Right }
func (d *Document) Top() float64   { return d.opt.Margin.Top }
func (d *Document) Bottom() float64 {
	return d.opt.Page.H - d.opt.Margin.Bottom
}

// Width is the width of the content area.
func (d *Document) Width() float64 { return d.Right() - d.Left() }

// Y is the flow cursor: where the next Paragraph or Table starts.
func (d *Document) Y() float64 { return d.y }

// SetY moves the flow cursor.
func (d *Document) SetY(y float64) { d.y = y }

// Pages is the number of pages so far.
func (d *Document) Pages() int { return len(d.layout.Pages) }

// AddPage starts a page in the current section with the cursor at the top margin.
func (d *Document) AddPage() {
	if d.section == 0 {
		d.section = 1
	}
	d.page = &Page{W: Num(d.opt.Page.W), H: Num(d.opt.Page.H), section: d.section}
	d.layout.Pages = append(d.layout.Pages, d.page)
	d.y = d.Top()
}

// NewSection starts a new page that begins a new section: page numbers restart, and the
// continuation header set by SetHeader is cleared.
func (d *Document) NewSection() {
	if n := len(d.layout.Pages); n > 0 {
		// The sections so far are complete: their page counts are final.
		d.number(n)
		if d.opt.Stream && d.err == nil {
			d.err = d.render(n)
		}
	}
	d.section++
	d.header = nil
	d.AddPage()
}

// SetHeader sets what to draw at the top of every page that Paragraph or Table start when
// the current one is full (e.g. "导检单（续）" and the worker's name), until the next section.
func (d *Document) SetHeader(f func(*Document)) { d.header = f }

// Break starts a new page in the same section and draws the continuation header.
func (d *Document) Break() {
	d.AddPage()
	if d.header != nil {
		d.header(d)
	}
}

// Ensure breaks the page when less than h points are left below the cursor. It reports
// whether it did.
func (d *Document) Ensure(h float64) bool {
	if d.page == nil {
		d.AddPage()
		return true
	}
	if d.y+h > d.Bottom()+1e-6 {
		d.Break()
		return true
	}
	return false
}

func (d *Document) add(b *Box) {
	if d.page == nil {
		d.AddPage()
	}
	d.page.Boxes = append(d.page.Boxes, b)
}

// Rect draws a rectangle with the given stroke width (0: none) and fill (nil: none).
func (d *Document) Rect(x, y, w, h, stroke float64, fill *RGB) {
	d.add(&Box{Kind: KindRect, X: Num(x), Y: Num(y), W: Num(w), H: Num(h), Stroke: Num(stroke), Fill: fill})
}

// Line draws a line from (x1, y1) to (x2, y2).
func (d *Document) Line(x1, y1, x2, y2, width float64) {
	d.add(&Box{Kind: KindLine, X: Num(x1), Y: Num(y1), W: Num(x2 - x1), H: Num(y2 - y1), Stroke: Num(width)})
}

// Image draws a PNG or JPEG image into the box (x, y, w, h). The key names it in the layout;
// "" keys it by content. Images with the same key are embedded once.
func (d *Document) Image(x, y, w, h float64, key string, data []byte) error {
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("image %s: %w", key, err)
	}
	if key == "" {
		sum := sha256.Sum256(data)
		key = "sha256:" + hex.EncodeToString(sum[:8])
	}
	d.images[key] = data
	d.add(&Box{Kind: KindImage, X: Num(x), Y: Num(y), W: Num(w), H: Num(h), Image: key})
	return nil
}

// Missing lists the runes no bundled font has, in the order they were first printed.
func (d *Document) Missing() []MissingGlyph {
	return append([]MissingGlyph(nil), d.missing...)
}

// MissingErr returns a *MissingGlyphsError when Missing is not empty, else nil.
func (d *Document) MissingErr() error {
	if len(d.missing) == 0 {
		return nil
	}
	return &MissingGlyphsError{Glyphs: d.Missing()}
}

// Layout numbers the pages and returns the layout (with Options.Stream, of the pages not
// drawn yet). Like PDF, it finishes the document: page counts are taken as they stand.
func (d *Document) Layout() *Layout {
	d.number(len(d.layout.Pages))
	return &Layout{Pages: d.layout.Pages[d.drawn():]}
}

func (d *Document) drawn() int {
	if d.r == nil || !d.opt.Stream {
		return 0
	}
	return d.r.done
}

// number adds the page numbers "第 N 页 共 M 页" to pages [d.numbered, upTo), which must end
// on a section boundary (then every section's page count is known).
func (d *Document) number(upTo int) {
	if !d.opt.PageNumbers {
		d.numbered = upTo
		return
	}
	pages := d.layout.Pages
	keep := d.page
	st := d.opt.NumberStyle
	st.Align = Center
	for i := d.numbered; i < upTo; {
		j := i
		for j < upTo && pages[j].section == pages[i].section {
			j++
		}
		first := i // the section's first page (sections start at a numbered boundary)
		for first > 0 && pages[first-1].section == pages[i].section {
			first--
		}
		for k := i; k < j; k++ {
			p := pages[k]
			d.page = p
			y := float64(p.H) - d.opt.Margin.Bottom/2 - st.lineHeight()/2
			d.Text(0, y, float64(p.W), fmt.Sprintf("第 %d 页 共 %d 页", k-first+1, j-first), st)
		}
		i = j
	}
	d.numbered = upTo
	d.page = keep
}

// EachSectionPage calls f once for every page of the current section, with that page as the
// one drawn on, i counting from 1 to n: marks that need the section's page count (a 骑缝章
// across a multi-page report) are added after the section's content. The current page and
// the cursor are restored afterwards.
func (d *Document) EachSectionPage(f func(i, n int)) {
	keep, y := d.page, d.y
	var pages []*Page
	for _, p := range d.layout.Pages[d.drawn():] {
		if p.section == d.section {
			pages = append(pages, p)
		}
	}
	for i, p := range pages {
		d.page = p
		f(i+1, len(pages))
	}
	d.page, d.y = keep, y
}
