package ui

import (
	"image/color"
	"maps"
	"math"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app/criteria"
)

// audiogramPlot draws an air-conduction audiogram as audiologists do: frequency across the top
// on an octave scale, hearing level downwards from −10 to 120 dB HL, the right ear as red
// circles (○) and the left ear as blue crosses (×), each ear's points joined by a line; bone
// conduction, when tested, as unjoined < (right) and > (left).
type audiogramPlot struct {
	widget.BaseWidget
	a criteria.Audiogram
}

var (
	plotRight  = color.NRGBA{R: 0xd0, G: 0x1c, B: 0x1c, A: 0xff}
	plotLeft   = color.NRGBA{R: 0x1c, G: 0x4c, B: 0xd0, A: 0xff}
	plotGrid   = color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0x80}
	plotNormal = color.NRGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xc0}
)

func newAudiogramPlot() *audiogramPlot {
	p := &audiogramPlot{}
	p.ExtendBaseWidget(p)
	return p
}

// set shows a.
func (p *audiogramPlot) set(a criteria.Audiogram) {
	p.a = a
	p.Refresh()
}

func (p *audiogramPlot) CreateRenderer() fyne.WidgetRenderer { return &plotRenderer{p: p} }

type plotRenderer struct {
	p    *audiogramPlot
	objs []fyne.CanvasObject
}

const (
	plotLeftMargin = 44
	plotTopMargin  = 40
	plotPad        = 14
	plotMinDB      = -10
	plotMaxDB      = 120
)

func (r *plotRenderer) MinSize() fyne.Size { return fyne.NewSize(270, 260) }

func (r *plotRenderer) Layout(size fyne.Size) { r.objs = r.build(size) }

func (r *plotRenderer) Refresh() {
	r.objs = r.build(r.p.Size())
	canvas.Refresh(r.p)
}

func (r *plotRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *plotRenderer) Destroy() {}

// octave returns a frequency's position on the octave scale, 500 Hz at 0.
func octave(hz int) float64 { return math.Log2(float64(hz) / 500) }

func (r *plotRenderer) build(size fyne.Size) []fyne.CanvasObject {
	if size.Width < 100 || size.Height < 100 {
		return nil
	}
	fg := theme.Color(theme.ColorNameForeground)
	x0, y0 := float32(plotLeftMargin), float32(plotTopMargin)
	w, h := size.Width-x0-plotPad, size.Height-y0-plotPad
	span := octave(criteria.StandardFreqs[len(criteria.StandardFreqs)-1])
	xAt := func(hz int) float32 { return x0 + 12 + float32(octave(hz)/span)*(w-24) }
	yAt := func(db float64) float32 { return y0 + float32((db-plotMinDB)/(plotMaxDB-plotMinDB))*h }

	var objs []fyne.CanvasObject
	small := theme.TextSize() * 0.8
	text := func(s string, c color.Color, x, y float32, center bool) {
		t := canvas.NewText(s, c)
		t.TextSize = small
		ms := t.MinSize()
		if center {
			x -= ms.Width / 2
		}
		t.Move(fyne.NewPos(x, y-ms.Height/2))
		t.Resize(ms)
		objs = append(objs, t)
	}
	line := func(c color.Color, width float32, x1, y1, x2, y2 float32) {
		l := canvas.NewLine(c)
		l.StrokeWidth = width
		l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
		objs = append(objs, l)
	}

	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeColor, frame.StrokeWidth = fg, 1
	frame.Move(fyne.NewPos(x0, y0))
	frame.Resize(fyne.NewSize(w, h))
	objs = append(objs, frame)
	for db := plotMinDB; db <= plotMaxDB; db += 10 {
		y := yAt(float64(db))
		var c color.Color = plotGrid
		sw := float32(1)
		if db == 0 {
			c, sw = fg, 1
		}
		line(c, sw, x0, y, x0+w, y)
		text(strconv.Itoa(db), fg, x0-34, y, false)
	}
	// 25 dB HL, the upper limit of normal hearing the reference ranges use.
	line(plotNormal, 1.5, x0, yAt(25), x0+w, yAt(25))
	for _, hz := range criteria.StandardFreqs {
		x := xAt(hz)
		line(plotGrid, 1, x, y0, x, y0+h)
		label := strconv.Itoa(hz)
		if hz >= 1000 {
			label = strconv.FormatFloat(float64(hz)/1000, 'f', -1, 64) + "k"
		}
		text(label, fg, x, y0-10, true)
	}
	text("Hz", fg, x0+w-6, y0-26, true)
	text("dB HL", fg, 2, y0-26, false)
	text("○ 右耳", plotRight, x0+w/2-70, y0-28, false)
	text("× 左耳", plotLeft, x0+w/2+10, y0-28, false)
	if len(r.p.a.BoneLeft)+len(r.p.a.BoneRight) > 0 {
		text("< > 骨导", fg, x0+w/2+80, y0-28, false)
	}

	for _, s := range []criteria.Side{criteria.Right, criteria.Left} {
		m := r.p.a.Ear(s)
		c := plotLeft
		if s == criteria.Right {
			c = plotRight
		}
		var prev *fyne.Position
		for _, hz := range criteria.StandardFreqs {
			v, ok := m[hz]
			if !ok || v < plotMinDB || v > plotMaxDB {
				prev = nil
				continue
			}
			pt := fyne.NewPos(xAt(hz), yAt(v))
			if prev != nil {
				line(c, 1.5, prev.X, prev.Y, pt.X, pt.Y)
			}
			prev = &pt
		}
		for _, hz := range slices.Sorted(maps.Keys(m)) {
			v := m[hz]
			if !slices.Contains(criteria.StandardFreqs, hz) || v < plotMinDB || v > plotMaxDB {
				continue
			}
			x, y := xAt(hz), yAt(v)
			const rad = 6
			if s == criteria.Right {
				o := canvas.NewCircle(color.Transparent)
				o.StrokeColor, o.StrokeWidth = c, 2
				o.Move(fyne.NewPos(x-rad, y-rad))
				o.Resize(fyne.NewSize(2*rad, 2*rad))
				objs = append(objs, o)
			} else {
				line(c, 2, x-rad, y-rad, x+rad, y+rad)
				line(c, 2, x-rad, y+rad, x+rad, y-rad)
			}
		}
	}
	for _, s := range []criteria.Side{criteria.Right, criteria.Left} {
		m, c := r.p.a.BoneLeft, plotLeft
		if s == criteria.Right {
			m, c = r.p.a.BoneRight, plotRight
		}
		for _, hz := range slices.Sorted(maps.Keys(m)) {
			v := m[hz]
			if !slices.Contains(criteria.StandardFreqs, hz) || v < plotMinDB || v > plotMaxDB {
				continue
			}
			dx := float32(-12)
			if s == criteria.Left {
				dx = 12
			}
			// Drawn as two strokes: the font's < and > are too light to read on a line.
			cx, cy := xAt(hz)+dx, yAt(v)
			tip := float32(-5)
			if s == criteria.Left {
				tip = 5
			}
			line(c, 2, cx-tip, cy-7, cx+tip, cy)
			line(c, 2, cx+tip, cy, cx-tip, cy+7)
		}
	}
	return objs
}
