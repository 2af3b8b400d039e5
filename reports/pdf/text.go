package pdf

import (
	"strings"
	"unicode"
)

// Align is the horizontal alignment of text in its box.
type Align uint8

const (
	Left Align = iota
	Center
	Right
)

// Style is how text is set.
type Style struct {
	Face Face
	Size float64 // points; 10.5 (五号) when zero
	// Leading is the line height as a multiple of Size; 1.5 when zero.
	Leading float64
	Align   Align
	Color   *RGB // black when nil
}

func (s Style) size() float64 {
	if s.Size <= 0 {
		return 10.5
	}
	return s.Size
}

func (s Style) lineHeight() float64 {
	if s.Leading <= 0 {
		return s.size() * 1.5
	}
	return s.size() * s.Leading
}

// LineHeight is the height of one line of text in style s.
func (s Style) LineHeight() float64 { return s.lineHeight() }

// ascent places the baseline inside the em box: CJK faces draw ideographs from about 0.12 em
// below the baseline to 0.88 em above it.
const ascent = 0.88

// invisible reports whether r prints nothing and is dropped: format characters (zero-width
// space and joiners, BOM, soft hyphen), variation selectors (an ideographic variation
// sequence prints its base character) and control characters. Text pasted from Excel or ID
// readers carries them; they are neither glyphs nor missing.
func invisible(r rune) bool {
	return r != '\t' && r != '\n' && (unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r) ||
		unicode.Is(unicode.Variation_Selector, r))
}

// adv is the advance width of r in points for style s; a missing rune measures as the
// placeholder that will stand in for it.
func (d *Document) adv(s Style) func(rune) float64 {
	size := s.size()
	return func(r rune) float64 {
		if invisible(r) {
			return 0
		}
		res := d.fonts.resolve(s.Face, r)
		if !res.found {
			res = d.fonts.resolve(s.Face, Placeholder)
		}
		return float64(res.adv) * size / 1000
	}
}

// Measure returns the width of s in style st (no wrapping; newlines count as nothing).
func (d *Document) Measure(s string, st Style) float64 {
	adv := d.adv(st)
	w := 0.0
	for _, r := range s {
		if r != '\n' {
			w += adv(r)
		}
	}
	return w
}

// Wrap breaks s into lines no wider than width, with the Chinese line-breaking rules of the
// package. Newlines in s are hard breaks; tabs count as spaces.
func (d *Document) Wrap(s string, width float64, st Style) []string {
	adv := d.adv(st)
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\t", " "), "\n") {
		rs := []rune(strings.TrimRightFunc(para, unicode.IsSpace))
		for _, ln := range wrapRunes(rs, width, adv) {
			out = append(out, string(rs[ln[0]:ln[1]]))
		}
	}
	return out
}

// shape splits one line into runs by font and records missing runes.
func (d *Document) shape(line string, st Style) (runs []Run, width float64) {
	size := st.size()
	var cur *Run
	var curAdv uint
	flush := func() {
		if cur != nil {
			cur.W = Num(float64(curAdv) * size / 1000)
			width += float64(cur.W)
			runs = append(runs, *cur)
			cur = nil
		}
	}
	for _, r := range line {
		if r == '\t' || r == '\n' {
			r = ' '
		} else if invisible(r) {
			continue
		}
		res := d.fonts.resolve(st.Face, r)
		if !res.found {
			d.noteMissing(r, line)
			r = Placeholder
			res = d.fonts.resolve(st.Face, r)
		}
		name := family[res.font]
		if cur == nil || cur.Font != name {
			flush()
			cur = &Run{Font: name, X: Num(width)}
			curAdv = 0
		}
		cur.Text += string(r)
		curAdv += res.adv
	}
	flush()
	return runs, width
}

func (d *Document) noteMissing(r rune, in string) {
	if i, ok := d.seen[r]; ok {
		d.missing[i].Count++
		return
	}
	d.seen[r] = len(d.missing)
	d.missing = append(d.missing, MissingGlyph{Rune: r, Text: strings.TrimSpace(in), Count: 1})
}

// Text draws one line of text in the box at (x, y) of width w (used for alignment; 0 = no
// box) and the style's line height. It does not wrap. It returns the text's width.
func (d *Document) Text(x, y, w float64, s string, st Style) float64 {
	runs, tw := d.shape(s, st)
	lh := st.lineHeight()
	bx := x
	switch st.Align {
	case Center:
		bx = x + (w-tw)/2
	case Right:
		bx = x + w - tw
	}
	b := &Box{
		Kind: KindText, X: Num(bx), Y: Num(y), W: Num(tw), H: Num(lh),
		Text: s, Size: Num(st.size()), Baseline: Num(y + (lh-st.size())/2 + ascent*st.size()),
		Runs: runs, Color: st.Color,
	}
	if len(runs) == 1 && runs[0].Text == s {
		b.Font, b.Runs = runs[0].Font, nil
	}
	d.add(b)
	return tw
}

// FitText draws one line like Text, first shrinking the size (in steps of 0.25 pt, not below
// min) until the text fits in w. The shrunk text stays centred in the line box of st, so
// the rows of a form keep their places. It returns the size used and whether the text fits.
func (d *Document) FitText(x, y, w float64, s string, st Style, min float64) (float64, bool) {
	full := st.lineHeight()
	size := st.size()
	for size > min && d.Measure(s, Style{Face: st.Face, Size: size}) > w+1e-6 {
		size -= 0.25
	}
	if size < min {
		size = min
	}
	st.Size = size
	d.Text(x, y+(full-st.lineHeight())/2, w, s, st)
	return size, d.Measure(s, st) <= w+1e-6
}

// TextBlock draws s wrapped to width w from (x, y), without page breaks, and returns the
// height used.
func (d *Document) TextBlock(x, y, w float64, s string, st Style) float64 {
	lines := d.Wrap(s, w, st)
	lh := st.lineHeight()
	for i, ln := range lines {
		if ln != "" {
			d.Text(x, y+float64(i)*lh, w, ln, st)
		}
	}
	return float64(len(lines)) * lh
}

// Paragraph flows s at the cursor across the content width, breaking pages as needed, and
// moves the cursor below it.
func (d *Document) Paragraph(s string, st Style) {
	d.ParagraphAt(d.Left(), d.Width(), s, st)
}

// ParagraphAt is Paragraph in the column from x of width w.
func (d *Document) ParagraphAt(x, w float64, s string, st Style) {
	lh := st.lineHeight()
	for _, ln := range d.Wrap(s, w, st) {
		d.Ensure(lh)
		if ln != "" {
			d.Text(x, d.y, w, ln, st)
		}
		d.y += lh
	}
}
