package pdf

// Column is one column of a Table.
type Column struct {
	Title string
	// Width in points; columns with 0 share what the others leave.
	Width float64
	Align Align
}

// Table is a simple ruled table: a header row and body rows of wrapped text. Rows that do
// not fit on the page move to the next one under a repeated header; a row taller than a
// whole page is split between lines.
type Table struct {
	Columns []Column
	Rows    [][]string
	Header  Style // Hei 10.5 pt when zero
	Body    Style
	// X and W place the table; zero means the content area.
	X, W float64
	// Pad is the cell padding (3 pt when zero); Stroke the rule width (0.5 pt when zero).
	Pad, Stroke float64
	// MinRowHeight is the least height of a body row.
	MinRowHeight float64
	// HeaderFill is the header background (light grey when nil).
	HeaderFill *RGB
	// Draw, when set, draws extra marks into a body cell (a check box) after its text. It
	// is called for the first piece of a split row only.
	Draw func(d *Document, row, col int, x, y, w, h float64)
	// Headings marks body rows that head a group of the rows after them (a department of a
	// results table): the row's first cell spans the whole width in the header's face on a
	// light fill. A heading never ends a page (it moves to the next one with its first row),
	// and on a page its group continues on it is repeated under the header with "（续）".
	Headings map[int]bool
}

var (
	headerGrey  = RGB{0xE8, 0xE8, 0xE8}
	headingGrey = RGB{0xF4, 0xF4, 0xF4}
)

func (t *Table) defaults(d *Document) {
	if t.Header.Size == 0 {
		t.Header.Size = 10.5
	}
	if t.Pad == 0 {
		t.Pad = 3
	}
	if t.Stroke == 0 {
		t.Stroke = 0.5
	}
	if t.W == 0 {
		t.X, t.W = d.Left(), d.Width()
	}
	if t.HeaderFill == nil {
		t.HeaderFill = &headerGrey
	}
}

func (t *Table) widths() []float64 {
	ws := make([]float64, len(t.Columns))
	fixed, free := 0.0, 0
	for i, c := range t.Columns {
		ws[i] = c.Width
		fixed += c.Width
		if c.Width == 0 {
			free++
		}
	}
	for i := range ws {
		if ws[i] == 0 {
			ws[i] = (t.W - fixed) / float64(free)
		}
	}
	return ws
}

// Table draws t at the cursor and moves the cursor below it.
func (d *Document) Table(t Table) {
	t.defaults(d)
	ws := t.widths()
	wrap := func(cells []string, st Style) [][]string {
		out := make([][]string, len(ws))
		for i := range ws {
			s := ""
			if i < len(cells) {
				s = cells[i]
			}
			out[i] = d.Wrap(s, ws[i]-2*t.Pad, st)
		}
		return out
	}
	height := func(lines [][]string, lh, min float64) float64 {
		n := 0
		for _, l := range lines {
			n = max(n, len(l))
		}
		return max(float64(n)*lh+2*t.Pad, min)
	}
	titles := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		titles[i] = c.Title
	}
	hst := t.Header
	hst.Align = Center
	hlines := wrap(titles, hst)
	hh := height(hlines, hst.lineHeight(), 0)
	blh := t.Body.lineHeight()

	drawRow := func(lines [][]string, h float64, st Style, fill *RGB, middle bool, row int, draw bool) {
		x := t.X
		for i, w := range ws {
			d.Rect(x, d.y, w, h, t.Stroke, fill)
			lh := st.lineHeight()
			ty := d.y + t.Pad
			if middle {
				ty = d.y + (h-float64(len(lines[i]))*lh)/2
			}
			cst := st
			if fill == nil {
				cst.Align = t.Columns[i].Align
			}
			for k, ln := range lines[i] {
				if ln != "" {
					d.Text(x+t.Pad, ty+float64(k)*lh, w-2*t.Pad, ln, cst)
				}
			}
			if draw && t.Draw != nil {
				t.Draw(d, row, i, x, d.y, w, h)
			}
			x += w
		}
		d.y += h
	}
	// Group headings span the table; group is the heading over the rows being drawn.
	gst := t.Header
	gst.Align = Left
	glh := gst.lineHeight()
	heading := func(text string) ([]string, float64) {
		lines := d.Wrap(text, t.W-2*t.Pad, gst)
		return lines, float64(len(lines))*glh + 2*t.Pad
	}
	drawHeading := func(lines []string, h float64) {
		d.Rect(t.X, d.y, t.W, h, t.Stroke, &headingGrey)
		for k, ln := range lines {
			d.Text(t.X+t.Pad, d.y+t.Pad+float64(k)*glh, t.W-2*t.Pad, ln, gst)
		}
		d.y += h
	}
	group := ""
	header := func() {
		drawRow(hlines, hh, hst, t.HeaderFill, true, -1, false)
		if group != "" {
			drawHeading(heading(group + "（续）"))
		}
	}
	firstRow := max(blh+2*t.Pad, t.MinRowHeight)

	d.Ensure(hh + firstRow)
	header()
	fresh := true
	for ri, row := range t.Rows {
		if t.Headings[ri] {
			text := ""
			if len(row) > 0 {
				text = row[0]
			}
			lines, h := heading(text)
			if !fresh && d.y+h+firstRow > d.Bottom()+1e-6 {
				group = ""
				d.Break()
				header()
			}
			group = text
			drawHeading(lines, h)
			fresh = false
			continue
		}
		lines := wrap(row, t.Body)
		first := true
		for {
			need := height(lines, blh, t.MinRowHeight)
			avail := d.Bottom() - d.y
			if need <= avail+1e-6 {
				drawRow(lines, need, t.Body, nil, first, ri, first)
				fresh = false
				break
			}
			if !fresh && need <= d.Bottom()-d.Top()-hh {
				d.Break()
				header()
				fresh = true
				continue
			}
			k := int((avail - 2*t.Pad + 1e-6) / blh)
			if k < 1 && fresh {
				k = 1 // a page too small for one line under the header: overflow, never loop
			}
			if k < 1 {
				d.Break()
				header()
				fresh = true
				continue
			}
			part := make([][]string, len(lines))
			rest := make([][]string, len(lines))
			for i, l := range lines {
				part[i] = l[:min(k, len(l))]
				rest[i] = l[min(k, len(l)):]
			}
			drawRow(part, avail, t.Body, nil, false, ri, first)
			first = false
			lines = rest
			d.Break()
			header()
			fresh = true
		}
	}
}
