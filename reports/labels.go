package reports

import (
	"strconv"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/reports/pdf"
)

// TubeLabel is the read model of one specimen tube label: one label per tube an exam's items
// need.
type TubeLabel struct {
	Name       string // the worker's name
	ExamNumber string // digits only: printed as Code128
	Tube       string // e.g. 紫头管（EDTA-K2）
	Items      []string
	Date       time.Time
}

// NewTubeLabels returns one label per tube the exam's item groups need, in the order the
// tubes first appear; item groups without a tube get none.
func NewTubeLabels(workerName string, e *app.Exam) []TubeLabel {
	var out []TubeLabel
	idx := map[string]int{}
	for _, it := range e.Items {
		if it.Tube == "" {
			continue
		}
		i, ok := idx[it.Tube]
		if !ok {
			i = len(out)
			idx[it.Tube] = i
			out = append(out, TubeLabel{Name: workerName, ExamNumber: e.Number, Tube: it.Tube, Date: e.Date})
		}
		out[i].Items = appendNew(out[i].Items, it.Name)
	}
	return out
}

// Label geometry. A 50×30 mm label on a 203 dpi thermal printer is 399×236 dots; the bars are
// 2 dots (0.25 mm) per module on the printer's dot grid, and everything keeps 1.5 mm from the
// edges the printer may not reach.
const (
	labelDPI    = 203
	labelModule = 2 // dots per module
)

var (
	labelSize   = pdf.Size{W: pdf.MM(50), H: pdf.MM(30)}
	labelMargin = pdf.MM(1.5)
	labelBarH   = pdf.MM(10)
	labelName   = pdf.Style{Face: pdf.Hei, Size: 12, Leading: 1.2}
	labelNumber = pdf.Style{Face: pdf.Hei, Size: 7.5, Leading: 1.2, Align: pdf.Center}
	labelTube   = pdf.Style{Face: pdf.Hei, Size: 8, Leading: 1.3}
	labelItems  = pdf.Style{Face: pdf.Hei, Size: 7, Leading: 1.3}
	labelDate   = pdf.Style{Face: pdf.Hei, Size: 6.5, Leading: 1.3 * 7 / 6.5, Align: pdf.Right}
)

// RenderTubeLabels renders one 50×30 mm page per label, for thermal label printers: the name
// (shrunk to fit), Code128 of the exam number with its digits, the tube, the item groups
// (shrunk, then cut to "等 N 项" when they still do not fit) and the date.
//
// An exam number that is not digits only, or too long for a readable symbol on the label,
// fails with EINVALID. Characters in no bundled font give a complete PDF and an error, as
// RenderGuideSheets.
func RenderTubeLabels(labels []TubeLabel) ([]byte, error) {
	d, err := layoutTubeLabels(labels, true)
	if err != nil {
		return nil, err
	}
	b, err := d.PDF()
	if err != nil {
		return nil, err
	}
	return b, glyphErr(d)
}

// LayoutTubeLabels returns the layout RenderTubeLabels draws.
func LayoutTubeLabels(labels []TubeLabel) (*pdf.Layout, error) {
	d, err := layoutTubeLabels(labels, false)
	if err != nil {
		return nil, err
	}
	return d.Layout(), nil
}

func layoutTubeLabels(labels []TubeLabel, stream bool) (*pdf.Document, error) {
	d, err := pdf.New(pdf.Options{
		Page:   labelSize,
		Margin: pdf.Margins{Top: labelMargin, Right: labelMargin, Bottom: labelMargin, Left: labelMargin},
		Info:   pdf.Info{Title: "标本条码", Creator: "职业健康工作站"},
		Stream: stream,
	})
	if err != nil {
		return nil, err
	}
	for _, l := range labels {
		if err := checkExamNumber(l.ExamNumber, "标签“"+l.Name+"”"); err != nil {
			return nil, err
		}
		d.NewSection()
		if err := drawTubeLabel(d, &l); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func drawTubeLabel(d *pdf.Document, l *TubeLabel) error {
	x, w := d.Left(), d.Width()
	y := d.Top()
	d.FitText(x, y, w, l.Name, labelName, 6)
	y += labelName.LineHeight()

	n, err := pdf.Code128Modules(l.ExamNumber)
	if err != nil {
		return err
	}
	module := pdf.Dots(labelModule, labelDPI)
	bw := float64(n) * module
	if bw > labelSize.W {
		return app.Errorf(app.EINVALID, "标签“%s”：体检编号“%s”过长，条码印不下 50 mm 宽的标签", l.Name, l.ExamNumber)
	}
	// Quiet zones may reach into the margins; the bars themselves stay inside.
	bx := pdf.SnapDots((labelSize.W-bw)/2, labelDPI)
	if _, err := d.Code128(bx, pdf.SnapDots(y, labelDPI), module, labelBarH, l.ExamNumber); err != nil {
		return err
	}
	y += labelBarH
	d.Text(x, y, w, l.ExamNumber, labelNumber)
	y += labelNumber.LineHeight()

	d.FitText(x, y, w, l.Tube, labelTube, 5.5)
	y += labelTube.LineHeight()

	date := ""
	if !l.Date.IsZero() {
		date = l.Date.Format("2006-01-02")
	}
	dw := d.Measure(date, labelDate)
	d.Text(x, y, w, date, labelDate)
	iw := w - dw - 3
	items := strings.Join(l.Items, "、")
	for k := len(l.Items); k > 0; k-- {
		items = strings.Join(l.Items[:k], "、")
		if k < len(l.Items) {
			items += " 等 " + strconv.Itoa(len(l.Items)) + " 项"
		}
		if d.Measure(items, pdf.Style{Face: labelItems.Face, Size: 5.5}) <= iw {
			break
		}
	}
	d.FitText(x, y, iw, items, labelItems, 5.5)
	return nil
}
