package reports

import (
	"math"
	"strconv"

	"occhealth/reports/pdf"
)

// The conclusion chart is a grouped bar chart: per hazard, one bar per conclusion column, the
// count printed above each bar. Printers in exam centres are black-and-white, so the columns
// differ by pattern, not colour: outline, horizontal hatching, solid black, cross-hatching and
// light grey.

const (
	chartHeight   = 150.0 // plot area
	chartAxisW    = 34.0  // y-axis labels
	chartPerChart = 6     // hazards per chart; more make a second chart below
	chartMaxBar   = 18.0
)

var chartGrey = pdf.RGB{R: 0xC0, G: 0xC0, B: 0xC0}
var chartGrid = pdf.RGB{R: 0xD8, G: 0xD8, B: 0xD8}
var chartBlack = pdf.RGB{}

// chartBar draws one bar (x, y top-left, w, h) in the pattern of column k.
func chartBar(d *pdf.Document, k int, x, y, w, h float64) {
	switch k {
	case 0: // outline only
		d.Rect(x, y, w, h, 0.6, nil)
	case 1: // horizontal hatching
		d.Rect(x, y, w, h, 0.6, nil)
		for yy := y + h - 2.5; yy > y+0.5; yy -= 2.5 {
			d.Line(x, yy, x+w, yy, 0.5)
		}
	case 2: // solid black
		d.Rect(x, y, w, h, 0.6, &chartBlack)
	case 3: // cross-hatching
		d.Rect(x, y, w, h, 0.6, nil)
		for yy := y + h - 3; yy > y+0.5; yy -= 3 {
			d.Line(x, yy, x+w, yy, 0.4)
		}
		for xx := x + 3; xx < x+w-0.5; xx += 3 {
			d.Line(xx, y, xx, y+h, 0.4)
		}
	default: // light grey
		d.Rect(x, y, w, h, 0.6, &chartGrey)
	}
}

// niceCeil returns the axis top and step for a largest value v: steps of 1, 2 or 5 × 10^k,
// four or five of them.
func niceCeil(v int) (top, step int) {
	if v <= 4 {
		return 4, 1
	}
	raw := float64(v) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = int(m * mag)
			break
		}
	}
	top = (v + step - 1) / step * step
	return top, step
}

// drawConclusionChart draws the chart of conclusions per hazard at the cursor, with a title
// and a legend, in as many charts of up to chartPerChart hazards as needed.
func drawConclusionChart(d *pdf.Document, columns []string, rows []SummaryRow) {
	if len(rows) == 0 {
		return
	}
	for start := 0; start < len(rows); start += chartPerChart {
		part := rows[start:min(start+chartPerChart, len(rows))]
		title := "图　各危害因素体检结论人数"
		if len(rows) > chartPerChart {
			title += "（" + strconv.Itoa(start/chartPerChart+1) + "）"
		}
		drawChart(d, title, columns, part)
	}
}

func drawChart(d *pdf.Document, title string, columns []string, rows []SummaryRow) {
	labelSt := pdf.Style{Face: pdf.Song, Size: 8.5, Leading: 1.3, Align: pdf.Center}
	valueSt := pdf.Style{Face: pdf.Song, Size: 7.5, Leading: 1.2, Align: pdf.Center}
	axisSt := pdf.Style{Face: pdf.Song, Size: 8, Leading: 1.2, Align: pdf.Right}
	titleSt := pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.5, Align: pdf.Center}
	legendH := 16.0
	total := titleSt.LineHeight() + 10 + chartHeight + 2*labelSt.LineHeight() + 6 + legendH + 8
	d.Ensure(total)
	left, width := d.Left(), d.Width()
	y := d.Y()
	d.Text(left, y, width, title, titleSt)
	y += titleSt.LineHeight() + 10

	maxV := 0
	for _, r := range rows {
		for _, n := range r.Counts {
			maxV = max(maxV, n)
		}
	}
	top, step := niceCeil(maxV)
	px, pw := left+chartAxisW, width-chartAxisW
	base := y + chartHeight
	// Grid lines and the y axis with its numbers.
	for v := 0; v <= top; v += step {
		gy := base - float64(v)/float64(top)*chartHeight
		if v > 0 {
			d.Rect(px, gy-0.25, pw, 0.5, 0, &chartGrid)
		}
		d.Text(left, gy-axisSt.LineHeight()/2, chartAxisW-4, strconv.Itoa(v), axisSt)
	}
	d.Line(px, y-4, px, base, 0.6)
	d.Line(px, base, px+pw, base, 0.6)
	d.Text(left-6, y-16, chartAxisW+12, "人数", pdf.Style{Face: pdf.Song, Size: 8, Leading: 1.2, Align: pdf.Center})

	groupW := pw / float64(max(len(rows), 3))
	nb := len(columns)
	barW := min(chartMaxBar, groupW*0.8/float64(nb))
	for i, r := range rows {
		gx := px + float64(i)*groupW
		bx := gx + (groupW-barW*float64(nb))/2
		for k := 0; k < nb && k < len(r.Counts); k++ {
			n := r.Counts[k]
			h := float64(n) / float64(top) * chartHeight
			if n > 0 {
				h = max(h, 1.2) // one person is still a visible bar
				chartBar(d, k, bx+float64(k)*barW, base-h, barW, h)
			}
			d.Text(bx+float64(k)*barW-4, base-h-valueSt.LineHeight()-1, barW+8, strconv.Itoa(n), valueSt)
		}
		lines := d.Wrap(r.Hazard, groupW-6, labelSt)
		if len(lines) > 2 {
			lines = lines[:2]
			rs := []rune(lines[1])
			lines[1] = string(rs[:max(len(rs)-1, 0)]) + "…"
		}
		for j, ln := range lines {
			d.Text(gx+3, base+4+float64(j)*labelSt.LineHeight(), groupW-6, ln, labelSt)
		}
	}
	// The legend, centred under the chart.
	ly := base + 6 + 2*labelSt.LineHeight()
	legendSt := pdf.Style{Face: pdf.Song, Size: 9, Leading: 1.3}
	const sw, gap = 16.0, 14.0
	tw := 0.0
	for _, c := range columns {
		tw += sw + 4 + d.Measure(c, legendSt) + gap
	}
	lx := px + (pw-tw+gap)/2
	for k, c := range columns {
		chartBar(d, k, lx, ly+2, sw, 9)
		lx += sw + 4
		d.Text(lx, ly, 0, c, legendSt)
		lx += d.Measure(c, legendSt) + gap
	}
	d.SetY(ly + legendH + 8)
}
