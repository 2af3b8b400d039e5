package reports

import (
	"bytes"
	"errors"
	"image"
	_ "image/gif" // photos saved as GIF
	"image/png"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"occhealth/app"
	"occhealth/reports/pdf"
)

// GuideSheet is the read model of one worker's guide sheet (导检单): what the front desk hands
// the worker, who takes it from department to department.
type GuideSheet struct {
	Institution string
	Worker      GuideWorker
	Employer    string
	Contract    string // contract number (合同编号); "" for an individual exam
	// ExamNumber is digits only: it is printed as Code128 and QR.
	ExamNumber string
	ExamType   string // e.g. 在岗期间
	Recheck    bool   // 复查
	Date       time.Time
	Workshop   string
	Job        string
	Hazards    []string // hazard names
	// Departments are the items grouped by department, in the order the worker should go.
	Departments []GuideDepartment
	// Notes are printed under 注意事项, one numbered paragraph each (institution data, e.g.
	// DefaultGuideNotes).
	Notes []string
}

// GuideWorker is the worker on a guide sheet.
type GuideWorker struct {
	Name     string
	Sex      string // 男 / 女
	Age      int    // 0: not printed
	IDNumber string
	Phone    string
	// Photo is a JPEG or PNG (optional). One that cannot be decoded leaves the frame empty
	// with 照片无法显示.
	Photo []byte
}

// GuideDepartment is one department's row: its item groups, a check box and a signature.
type GuideDepartment struct {
	Name  string
	Items []string
}

// DefaultGuideNotes are the usual instructions on a guide sheet, for institutions that have
// not written their own.
var DefaultGuideNotes = []string{
	"请持本单按所列科室依次检查，每项检查完成后请医生在“签名”栏签字。",
	"抽血、腹部超声等项目须空腹（检查前一日晚十点后禁食），检查完毕后方可进食。",
	"检查前请如实告知职业史、既往病史；女性受检者如已怀孕或可能怀孕，请事先告知医生，勿做放射检查。",
	"全部项目检查完毕后，请将本单交回前台，不得自行带走。",
}

// NewGuideSheet assembles a guide sheet from the app records. hazardNames are the names of
// e.Hazards (the caller looks them up in the catalog); photo is the worker's photo or nil.
// Item groups are grouped by department in the order their departments first appear.
func NewGuideSheet(in *app.Institution, w *app.Worker, emp *app.Employer, contractNumber string, e *app.Exam, hazardNames []string, photo []byte) GuideSheet {
	g := GuideSheet{
		ExamNumber: e.Number, ExamType: e.Type.Name(), Recheck: e.Recheck, Date: e.Date,
		Contract: contractNumber, Workshop: e.Workshop, Job: e.JobName, Hazards: hazardNames,
		Notes: DefaultGuideNotes,
	}
	if in != nil {
		g.Institution = in.Name
	}
	if emp != nil {
		g.Employer = emp.Name
	}
	if w != nil {
		g.Worker = GuideWorker{Name: w.Name, Sex: w.Sex.Name(), IDNumber: w.IDNumber, Phone: w.Phone, Photo: photo}
		if !w.BirthDate.IsZero() && !e.Date.IsZero() {
			g.Worker.Age = app.AgeOn(w.BirthDate, e.Date)
		}
	}
	idx := map[string]int{}
	for _, it := range e.Items {
		dep := it.Department
		if dep == "" {
			dep = "其他"
		}
		i, ok := idx[dep]
		if !ok {
			i = len(g.Departments)
			idx[dep] = i
			g.Departments = append(g.Departments, GuideDepartment{Name: dep})
		}
		g.Departments[i].Items = appendNew(g.Departments[i].Items, it.Name)
	}
	return g
}

func appendNew(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

// checkExamNumber refuses an exam number a scanner could not read back as typed.
func checkExamNumber(n, who string) error {
	if n == "" {
		return app.Errorf(app.EINVALID, "%s：没有体检编号", who)
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return app.Errorf(app.EINVALID, "%s：体检编号“%s”只能由数字组成", who, n)
		}
	}
	return nil
}

// RenderGuideSheets renders the sheets into one A4 PDF, each sheet starting on a new page with
// its own page numbers. progress, when not nil, is called with the number of sheets laid out;
// the last call, done == total, comes when the PDF is written (about a fifth of the time of a
// large batch goes to that final write, see BenchmarkGuideSheets3000).
//
// A sheet without a digits-only exam number fails the whole batch with EINVALID. When some
// character (a rare one in a name) is in no bundled font, the PDF is complete and shows 〓 in
// its place, and the error is an EINVALID *app.Error saying so that also wraps a
// *pdf.MissingGlyphsError with the runes (errors.As): print only after the user has seen it.
func RenderGuideSheets(sheets []GuideSheet, progress func(done, total int)) ([]byte, error) {
	d, err := layoutGuideSheets(sheets, progress, true)
	if err != nil {
		return nil, err
	}
	b, err := d.PDF()
	if err != nil {
		return nil, err
	}
	if progress != nil && len(sheets) > 0 {
		progress(len(sheets), len(sheets))
	}
	return b, glyphErr(d)
}

// glyphError is the error of a PDF that printed runes no bundled font has as 〓: an
// EINVALID *app.Error for the user (app.ErrorMessage shows it, not "内部错误"), wrapping the
// *pdf.MissingGlyphsError that lists the runes.
type glyphError struct {
	user  *app.Error
	runes *pdf.MissingGlyphsError
}

func (e *glyphError) Error() string   { return e.user.Error() }
func (e *glyphError) Unwrap() []error { return []error{e.user, e.runes} }

func glyphErr(d *pdf.Document) error {
	var me *pdf.MissingGlyphsError
	if !errors.As(d.MissingErr(), &me) {
		return nil
	}
	return &glyphError{user: app.Errorf(app.EINVALID, "%s。PDF 已生成，请核对后再打印", me.Error()), runes: me}
}

// LayoutGuideSheets returns the layout RenderGuideSheets draws (for previews and tests).
func LayoutGuideSheets(sheets []GuideSheet) (*pdf.Layout, error) {
	d, err := layoutGuideSheets(sheets, nil, false)
	if err != nil {
		return nil, err
	}
	return d.Layout(), nil
}

func layoutGuideSheets(sheets []GuideSheet, progress func(done, total int), stream bool) (*pdf.Document, error) {
	for _, s := range sheets {
		if err := checkExamNumber(s.ExamNumber, "导检单“"+s.Worker.Name+"”"); err != nil {
			return nil, err
		}
	}
	m := pdf.MM(15)
	d, err := pdf.New(pdf.Options{
		Margin:      pdf.Margins{Top: m, Right: m, Bottom: m, Left: m},
		Info:        pdf.Info{Title: "职业健康检查导检单", Creator: "职业健康工作站"},
		PageNumbers: true,
		Stream:      stream,
	})
	if err != nil {
		return nil, err
	}
	codes := encodeGuideCodes(sheets)
	for i := range sheets {
		c := codes.wait(i)
		if c.err != nil {
			return nil, c.err
		}
		d.NewSection()
		if err := drawGuideSheet(d, &sheets[i], c); err != nil {
			return nil, err
		}
		if progress != nil && i+1 < len(sheets) {
			progress(i+1, len(sheets))
		}
	}
	return d, nil
}

// guideCodes are the encoded symbols of one sheet.
type guideCodes struct {
	qr, bar *pdf.Barcode
	err     error
}

// guideCodeQueue encodes the sheets' symbols on all cores ahead of the (sequential) layout:
// a QR code's mask selection costs about as much as laying out the rest of the sheet.
type guideCodeQueue struct {
	codes []guideCodes
	done  []chan struct{}
}

func encodeGuideCodes(sheets []GuideSheet) *guideCodeQueue {
	q := &guideCodeQueue{codes: make([]guideCodes, len(sheets)), done: make([]chan struct{}, len(sheets))}
	for i := range q.done {
		q.done[i] = make(chan struct{})
	}
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), len(sheets)) {
		go func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(sheets) {
					return
				}
				c := &q.codes[i]
				if c.qr, c.err = pdf.NewQR(sheets[i].ExamNumber); c.err == nil {
					c.bar, c.err = pdf.NewCode128(sheets[i].ExamNumber)
				}
				close(q.done[i])
			}
		}()
	}
	return q
}

// wait returns sheet i's symbols once they are encoded. The workers run to the end of the
// batch even when the caller stops early; they only encode.
func (q *guideCodeQueue) wait(i int) guideCodes {
	<-q.done[i]
	return q.codes[i]
}

// Guide sheet geometry, in points.
const (
	guideQR       = 62.0 // QR side, quiet zone included
	guideBarH     = 34.0
	guideRowH     = 22.0
	guideLabelW   = 60.0
	guidePhotoW   = 82.0
	guideCellPad  = 4.0
	guideCheckBox = 10.0
)

var (
	guideLabel = pdf.Style{Face: pdf.Hei, Size: 10, Leading: 1.4}
	guideValue = pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.4}
	guideGrey  = pdf.RGB{R: 0xF0, G: 0xF0, B: 0xF0}
	guideMuted = pdf.RGB{R: 0x80, G: 0x80, B: 0x80}
)

func drawGuideSheet(d *pdf.Document, s *GuideSheet, codes guideCodes) error {
	left, top, width := d.Left(), d.Top(), d.Width()

	// Header band: QR at the left, titles in the middle, Code128 with its digits at the right.
	// The quiet zones may lie in the margins.
	d.DrawBarcode(codes.qr, left-4, top-4, guideQR/float64(codes.qr.Modules), guideQR)
	module := pdf.Dots(4, 300) // 0.34 mm: 4 dots at 300 dpi, 8 at 600 dpi
	bw := float64(codes.bar.Modules) * module
	bx := pdf.SnapDots(d.Right()-bw+10*module, 300)
	d.DrawBarcode(codes.bar, bx, top, module, guideBarH)
	d.Text(bx, top+guideBarH+1, bw, s.ExamNumber, pdf.Style{Face: pdf.Hei, Size: 10, Align: pdf.Center, Leading: 1.2})
	titleX, titleW := left+guideQR+4, bx-left-guideQR-4
	d.FitText(titleX, top, titleW, s.Institution, pdf.Style{Face: pdf.Hei, Size: 13, Align: pdf.Center}, 8)
	d.FitText(titleX, top+22, titleW, "职业健康检查导检单", pdf.Style{Face: pdf.Hei, Size: 20, Align: pdf.Center}, 12)
	y := top + guideQR + 2

	// Worker block: label/value pairs, the photo at the right of the first five rows.
	gridW := width - guidePhotoW
	valW := (gridW - 2*guideLabelW) / 2
	sexAge := s.Worker.Sex
	if s.Worker.Age > 0 {
		sexAge = strings.TrimSpace(sexAge + "　" + strconv.Itoa(s.Worker.Age) + " 岁")
	}
	typ := s.ExamType
	if s.Recheck {
		typ += "（复查）"
	}
	date := ""
	if !s.Date.IsZero() {
		date = s.Date.Format("2006-01-02")
	}
	pairs := [][4]string{
		{"姓　　名", s.Worker.Name, "性别/年龄", sexAge},
		{"证件号码", s.Worker.IDNumber, "联系电话", s.Worker.Phone},
		{"体检编号", s.ExamNumber, "体检日期", date},
		{"体检类型", typ, "合同编号", s.Contract},
	}
	for _, p := range pairs {
		x := left
		for k := 0; k < 2; k++ {
			labelCell(d, x, y, guideLabelW, guideRowH, p[2*k])
			valueCell(d, x+guideLabelW, y, valW, guideRowH, p[2*k+1])
			x += guideLabelW + valW
		}
		y += guideRowH
	}
	labelCell(d, left, y, guideLabelW, guideRowH, "用人单位")
	valueCell(d, left+guideLabelW, y, gridW-guideLabelW, guideRowH, s.Employer)
	y += guideRowH
	if err := photoCell(d, left+gridW, y-5*guideRowH, guidePhotoW, 5*guideRowH, s.Worker.Photo); err != nil {
		return err
	}
	job := strings.Trim(s.Workshop+" / "+s.Job, " /")
	labelCell(d, left, y, guideLabelW, guideRowH, "车间/工种")
	valueCell(d, left+guideLabelW, y, width-guideLabelW, guideRowH, job)
	y += guideRowH
	hz := strings.Join(s.Hazards, "、")
	lines := d.Wrap(hz, width-guideLabelW-2*guideCellPad, guideValue)
	h := max(guideRowH, float64(len(lines))*guideValue.LineHeight()+2*guideCellPad)
	labelCell(d, left, y, guideLabelW, h, "危害因素")
	d.Rect(left+guideLabelW, y, width-guideLabelW, h, 0.5, nil)
	d.TextBlock(left+guideLabelW+guideCellPad, y+(h-float64(len(lines))*guideValue.LineHeight())/2, width-guideLabelW-2*guideCellPad, hz, guideValue)
	y += h + 10

	// Items by department. Continuation pages repeat who the sheet belongs to.
	d.SetHeader(func(d *pdf.Document) {
		d.Text(d.Left(), d.Top(), d.Width(), "职业健康检查导检单（续）　"+s.Worker.Name+"　体检编号 "+s.ExamNumber,
			pdf.Style{Face: pdf.Hei, Size: 10.5})
		d.Line(d.Left(), d.Top()+18, d.Right(), d.Top()+18, 0.5)
		d.SetY(d.Top() + 24)
	})
	d.SetY(y)
	rows := make([][]string, len(s.Departments))
	for i, dep := range s.Departments {
		rows[i] = []string{strconv.Itoa(i + 1), dep.Name, strings.Join(dep.Items, "、"), "", ""}
	}
	d.Table(pdf.Table{
		Columns: []pdf.Column{
			{Title: "序号", Width: 32, Align: pdf.Center},
			{Title: "科室", Width: 72},
			{Title: "检查项目"},
			{Title: "已检", Width: 34},
			{Title: "医生签名", Width: 84},
		},
		Rows:         rows,
		Header:       pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.4},
		Body:         pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.4},
		Pad:          guideCellPad,
		MinRowHeight: 26,
		Draw: func(d *pdf.Document, row, col int, x, y, w, h float64) {
			if col == 3 {
				d.Rect(x+(w-guideCheckBox)/2, y+(h-guideCheckBox)/2, guideCheckBox, guideCheckBox, 0.8, nil)
			}
		},
	})

	if len(s.Notes) > 0 {
		d.SetY(d.Y() + 10)
		d.Ensure(2 * 20)
		d.Text(d.Left(), d.Y(), 0, "注意事项", pdf.Style{Face: pdf.Hei, Size: 11})
		d.SetY(d.Y() + 18)
		for i, n := range s.Notes {
			d.Paragraph(strconv.Itoa(i+1)+". "+n, pdf.Style{Face: pdf.Hei, Size: 9.5, Leading: 1.6})
		}
	}
	d.SetY(d.Y() + 16)
	d.Ensure(20)
	d.Text(d.Left(), d.Y(), d.Width(), "受检者签名：＿＿＿＿＿＿＿＿　　交单时间：＿＿＿＿年＿＿月＿＿日", pdf.Style{Face: pdf.Hei, Size: 10.5, Align: pdf.Right})
	return nil
}

func labelCell(d *pdf.Document, x, y, w, h float64, label string) {
	d.Rect(x, y, w, h, 0.5, &guideGrey)
	st := guideLabel
	st.Align = pdf.Center
	d.Text(x, y+(h-st.LineHeight())/2, w, label, st)
}

func valueCell(d *pdf.Document, x, y, w, h float64, value string) {
	d.Rect(x, y, w, h, 0.5, nil)
	if value == "" {
		return
	}
	tw := w - 2*guideCellPad
	if d.Measure(value, pdf.Style{Face: guideValue.Face, Size: 8}) > tw {
		// Too long for one readable line (a long employer name): two lines, else shrink.
		two := pdf.Style{Face: guideValue.Face, Size: 7.5, Leading: 1.2}
		if lines := d.Wrap(value, tw, two); len(lines) == 2 {
			d.TextBlock(x+guideCellPad, y+(h-2*two.LineHeight())/2, tw, value, two)
			return
		}
	}
	d.FitText(x+guideCellPad, y+(h-guideValue.LineHeight())/2, tw, value, guideValue, 5)
}

func photoCell(d *pdf.Document, x, y, w, h float64, photo []byte) error {
	d.Rect(x, y, w, h, 0.5, nil)
	pw, ph := pdf.MM(25), pdf.MM(35) // 一寸照
	muted := pdf.Style{Face: pdf.Hei, Size: 9, Align: pdf.Center, Color: &guideMuted}
	if len(photo) > 0 {
		c, format, err := image.DecodeConfig(bytes.NewReader(photo))
		if err == nil && format != "jpeg" && format != "png" {
			// gopdf embeds JPEG and PNG only; other formats registered with package image
			// (GIF here) are converted.
			var img image.Image
			if img, _, err = image.Decode(bytes.NewReader(photo)); err == nil {
				var buf bytes.Buffer
				err = png.Encode(&buf, img)
				photo = buf.Bytes()
			}
		}
		if err == nil && c.Width > 0 && c.Height > 0 {
			// Fit inside the 25×35 mm frame, keeping the photo's proportions.
			if r := float64(c.Width) / float64(c.Height); r > pw/ph {
				ph = pw / r
			} else {
				pw = ph * r
			}
			if err := d.Image(x+(w-pw)/2, y+(h-ph)/2, pw, ph, "", photo); err == nil {
				return nil
			}
		}
		d.Text(x, y+h/2-7, w, "照片无法显示", muted)
		return nil
	}
	d.Text(x, y+h/2-7, w, "照片", muted)
	return nil
}
