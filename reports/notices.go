package reports

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"occhealth/app"
	"occhealth/app/criteria"
	"occhealth/assets"
	"occhealth/reports/pdf"
)

// Notice is the read model of a 疑似职业病告知书 or 职业禁忌证告知书: what the institution tells
// the worker or the employer after the chief examiner signed such a conclusion. It is built
// from the signed exam only (NewNotice), so the same signed record prints the same notice.
type Notice struct {
	Kind        string // app.NoticeSuspected or app.NoticeContraindication
	Title       string // 疑似职业病告知书 / 职业禁忌证告知书
	Institution string
	Address     string
	Phone       string
	// Addressee is 劳动者 or 用人单位; Salutation is who the notice is written to.
	Addressee  string
	Salutation string
	// Number is the notice's own number: exam number, kind letter and signed edition, so a
	// notice of a re-signed exam is told apart from the earlier one.
	Number     string
	Worker     string
	Sex        string
	Age        int
	IDNumber   string
	Employer   string
	ExamNumber string
	ExamDate   time.Time
	ExamType   string
	Workshop   string
	Job        string
	Hazards    []string // every hazard examined, by name
	// Edition is the GBZ 188 edition; Clause the clause of its conclusion list; Conclusion the
	// conclusion's wording in that list.
	Edition    string
	Clause     string
	Conclusion string
	Findings   []NoticeFinding
	// Recheck is what a 复查通知书 orders: the items with their preparations, the date, the
	// reason, where and what to bring.
	Recheck  *NoticeRecheck
	Advice   string
	Text     NoticeText
	Signer   string
	SignedAt time.Time
	Date     time.Time
}

// NoticeFinding is one hazard with the conclusion the notice is about.
type NoticeFinding struct {
	Hazard string
	Named  string // the suspected disease or the contraindication
	Basis  string
}

// NoticeAddressees are who a notice is written to.
var NoticeAddressees = []string{"劳动者", "用人单位"}

var noticeTitles = map[string]string{
	app.NoticeSuspected:        "疑似职业病告知书",
	app.NoticeContraindication: "职业禁忌证告知书",
	app.NoticeRecheck:          "复查通知书",
}

var noticeCodes = map[string]string{
	app.NoticeSuspected:        app.ConclusionSuspected,
	app.NoticeContraindication: app.ConclusionContraindication,
}

var (
	noticeCriteriaOnce sync.Once
	noticeCriteria     *criteria.Set
)

// conclusionWording returns the clause of an edition's conclusion list and the wording of a
// conclusion code in it, from the bundled criteria data.
func conclusionWording(edition, code string) (clause, name string) {
	noticeCriteriaOnce.Do(func() { noticeCriteria, _ = criteria.Load(assets.Rules) })
	if noticeCriteria != nil {
		if l, ok := noticeCriteria.Conclusions(edition); ok {
			for _, c := range l.Items {
				if c.Code == code {
					clause = l.Clause
					if c.Letter != "" {
						clause += " " + c.Letter + ")"
					}
					return clause, c.Name
				}
			}
		}
	}
	return "", map[string]string{app.ConclusionSuspected: "疑似职业病", app.ConclusionContraindication: "职业禁忌证"}[code]
}

// NewNotice builds a notice of kind for in.Addressee with wording w. It refuses (EINVALID, in
// Chinese) an unknown kind or addressee, an exam that is not signed (or was returned and not
// signed again), and an exam without a conclusion of that kind.
func NewNotice(kind string, in app.NoticeInput, w NoticeWording) (Notice, error) {
	title, ok := noticeTitles[kind]
	if !ok {
		return Notice{}, app.Errorf(app.EINVALID, "未知的告知书类型“%s”（应为 suspected、contraindication 或 recheck）", kind)
	}
	e := in.Exam
	if e == nil || in.Worker == nil {
		return Notice{}, app.Errorf(app.EINVALID, "%s：没有体检记录", title)
	}
	if in.Addressee != "劳动者" && in.Addressee != "用人单位" {
		return Notice{}, app.Errorf(app.EINVALID, "%s：告知对象“%s”不对，应为“劳动者”或“用人单位”", title, in.Addressee)
	}
	r := e.Record
	switch {
	case r == nil || r.Signature == nil || r.Conclusion == nil:
		return Notice{}, app.Errorf(app.EINVALID, "体检 %s 尚未由主检医师签名，不能出具%s", e.Number, title)
	case e.State != app.ExamConcluded && e.State != app.ExamReviewed && e.State != app.ExamReleased:
		return Notice{}, app.Errorf(app.EINVALID, "体检 %s 当前为“%s”，签名后才能出具%s", e.Number, e.State.Name(), title)
	}
	code := noticeCodes[kind]
	n := Notice{
		Kind: kind, Title: title, Addressee: in.Addressee,
		Number: e.Number + map[string]string{app.NoticeSuspected: "-YS", app.NoticeContraindication: "-JJ", app.NoticeRecheck: "-FC"}[kind] + strconv.Itoa(max(r.Edition, 1)),
		Worker: in.Worker.Name, Sex: in.Worker.Sex.Name(), IDNumber: in.Worker.IDNumber,
		ExamNumber: e.Number, ExamDate: e.Date, ExamType: e.Type.Name(), Workshop: e.Workshop, Job: e.JobName,
		Edition: e.Edition, Advice: r.Conclusion.Advice,
		Signer: r.Signature.Name, SignedAt: r.Signature.At, Date: in.Date,
	}
	if e.Recheck {
		n.ExamType += "（复查）"
	}
	if n.Date.IsZero() {
		n.Date = r.Signature.At
	}
	if !in.Worker.BirthDate.IsZero() && !e.Date.IsZero() {
		n.Age = app.AgeOn(in.Worker.BirthDate, e.Date)
	}
	if in.Institution != nil {
		n.Institution, n.Address, n.Phone = in.Institution.Name, in.Institution.Address, in.Institution.Phone
	}
	if in.Employer != nil {
		n.Employer = in.Employer.Name
	}
	hazardName := func(h string) string {
		if s := in.HazardNames[h]; s != "" {
			return s
		}
		return h
	}
	for _, h := range e.Hazards {
		n.Hazards = append(n.Hazards, hazardName(h))
	}
	if kind == app.NoticeRecheck {
		if err := recheckNotice(&n, in, w); err != nil {
			return Notice{}, err
		}
	}
	for _, c := range r.Conclusion.Hazards {
		if c.Code != code || kind == app.NoticeRecheck {
			continue
		}
		f := NoticeFinding{Hazard: hazardName(c.Hazard), Basis: c.Basis}
		if kind == app.NoticeSuspected {
			f.Named = c.Disease
		} else {
			f.Named = c.Contraindication
		}
		n.Findings = append(n.Findings, f)
	}
	n.Clause, n.Conclusion = conclusionWording(e.Edition, code)
	if len(n.Findings) == 0 && kind != app.NoticeRecheck {
		return Notice{}, app.Errorf(app.EINVALID, "体检 %s 的结论中没有“%s”，不能出具%s", e.Number, n.Conclusion, title)
	}
	if in.Addressee == "劳动者" {
		n.Salutation = in.Worker.Name + "："
	} else {
		n.Salutation = n.Employer + "："
		if n.Employer == "" {
			n.Salutation = "用人单位："
		}
	}
	t, err := w.text(kind, in.Addressee)
	if err != nil {
		return Notice{}, err
	}
	n.Text = t
	return n, nil
}

// Notice renders a notice with the bundled wording.
func (Documents) Notice(kind string, in app.NoticeInput) ([]byte, error) {
	n, err := NewNotice(kind, in, DefaultNoticeWording())
	if err != nil {
		return nil, err
	}
	return RenderNotice(n)
}

// RenderNotice renders a notice as a one-page (rarely longer) A4 PDF with the same bytes for
// the same notice. A character no bundled font has is printed as 〓 and reported as the
// guide sheets do (EINVALID with the PDF complete).
func RenderNotice(n Notice) ([]byte, error) {
	d, err := layoutNotice(n)
	if err != nil {
		return nil, err
	}
	b, err := d.PDF()
	if err != nil {
		return nil, err
	}
	return b, glyphErr(d)
}

// LayoutNotice returns the layout RenderNotice draws (for previews and tests).
func LayoutNotice(n Notice) (*pdf.Layout, error) {
	d, err := layoutNotice(n)
	if err != nil {
		return nil, err
	}
	return d.Layout(), nil
}

// Notice geometry and styles.
var (
	noticeBody  = pdf.Style{Face: pdf.Song, Size: 11.5, Leading: 1.6}
	noticeSmall = pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.5}
	noticeLabel = pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.4}
)

const noticeRowH = 20.0

func layoutNotice(n Notice) (*pdf.Document, error) {
	d, err := pdf.New(pdf.Options{
		Margin:      pdf.Margins{Top: pdf.MM(16), Right: pdf.MM(20), Bottom: pdf.MM(16), Left: pdf.MM(20)},
		Info:        pdf.Info{Title: n.Title, Subject: n.Number, Creator: "职业健康工作站"},
		PageNumbers: true,
	})
	if err != nil {
		return nil, err
	}
	left, width := d.Left(), d.Width()
	y := d.Top()
	d.FitText(left, y, width, n.Institution, pdf.Style{Face: pdf.Hei, Size: 14, Align: pdf.Center}, 9)
	y += 24
	d.Text(left, y, width, n.Title, pdf.Style{Face: pdf.Hei, Size: 22, Align: pdf.Center, Leading: 1.3})
	y += 34
	d.Text(left, y, width, "（致"+n.Addressee+"）", pdf.Style{Face: pdf.Song, Size: 11, Align: pdf.Center})
	d.Text(left, y, width, "编号："+n.Number, pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Right, Leading: 1.6})
	y += 22
	// A notice long enough for a second page says on it whose notice it continues.
	d.SetHeader(func(d *pdf.Document) {
		d.Text(d.Left(), d.Top(), d.Width(), n.Title+"（续）　"+n.Worker+"　编号 "+n.Number, pdf.Style{Face: pdf.Hei, Size: 10.5})
		d.Line(d.Left(), d.Top()+18, d.Right(), d.Top()+18, 0.5)
		d.SetY(d.Top() + 26)
	})
	d.SetY(y)
	d.Paragraph(n.Salutation, pdf.Style{Face: pdf.Hei, Size: 12, Leading: 1.6})
	d.Paragraph("　　"+n.Text.Intro, noticeBody)
	d.SetY(d.Y() + 4)

	// The worker and the exam, as a ruled grid of label/value pairs.
	sexAge := n.Sex
	if n.Age > 0 {
		sexAge += "　" + strconv.Itoa(n.Age) + " 岁"
	}
	job := strings.Trim(n.Workshop+" / "+n.Job, " /")
	lw := 64.0
	vw := (width - 2*lw) / 2
	grid := [][4]string{
		{"姓　　名", n.Worker, "性别/年龄", sexAge},
		{"身份证号", n.IDNumber, "体检编号", n.ExamNumber},
		{"体检类型", n.ExamType, "体检日期", chineseDate(n.ExamDate)},
	}
	y = d.Y()
	for _, row := range grid {
		noticeCell(d, left, y, lw, noticeRowH, row[0], true)
		noticeCell(d, left+lw, y, vw, noticeRowH, row[1], false)
		noticeCell(d, left+lw+vw, y, lw, noticeRowH, row[2], true)
		noticeCell(d, left+2*lw+vw, y, vw, noticeRowH, row[3], false)
		y += noticeRowH
	}
	for _, row := range [][2]string{{"用人单位", n.Employer}, {"车间/工种", job}, {"危害因素", strings.Join(n.Hazards, "、")}} {
		noticeCell(d, left, y, lw, noticeRowH, row[0], true)
		noticeCell(d, left+lw, y, width-lw, noticeRowH, row[1], false)
		y += noticeRowH
	}
	d.SetY(y + 10)

	if n.Recheck != nil {
		layoutRecheck(d, n)
	} else {
		layoutFindings(d, n)
	}
	// A 复查通知书 says why in its reason; the exam's whole advice is the report's matter.
	if n.Advice != "" && n.Recheck == nil {
		d.SetY(d.Y() + 6)
		d.Paragraph("　　主检建议："+n.Advice, noticeBody)
	}
	d.SetY(d.Y() + 6)
	if n.Recheck != nil {
		d.Paragraph("　　特此通知：", noticeBody)
	} else {
		d.Paragraph("　　特此告知：", noticeBody)
	}
	items := noticeBody
	if n.Recheck != nil {
		items = noticeSmall // a recheck notice's page also carries the items and preparations
	}
	for i, it := range n.Text.Items {
		d.ParagraphAt(left+24, width-24, strconv.Itoa(i+1)+". "+it, items)
	}
	layoutNoticeEnd(d, n)
	return d, nil
}

// layoutFindings draws the conclusion of a 告知书 and what it names, per hazard.
func layoutFindings(d *pdf.Document, n Notice) {
	basis := "依据 GBZ 188"
	if n.Clause != "" {
		basis = "依据 " + n.Clause
	} else if n.Edition != "" {
		basis += "-" + n.Edition
	}
	d.Paragraph("　　"+basis+"，主检结论为："+n.Conclusion+"。", noticeBody)
	named := map[string]string{app.NoticeSuspected: "疑似职业病名称", app.NoticeContraindication: "职业禁忌证"}[n.Kind]
	rows := make([][]string, len(n.Findings))
	for i, f := range n.Findings {
		rows[i] = []string{f.Hazard, f.Named, f.Basis}
	}
	d.SetY(d.Y() + 2)
	d.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "职业病危害因素", Width: 120}, {Title: named, Width: 150}, {Title: "主要检查所见"}},
		Rows:    rows, Header: noticeLabel, Body: pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.5},
		Pad: 4, MinRowHeight: 24,
	})
}

// layoutNoticeEnd draws the signature, seal and date, then the receipt cut off along a
// dashed line.
func layoutNoticeEnd(d *pdf.Document, n Notice) {
	left, width := d.Left(), d.Width()
	var y float64
	// Signature, seal and date; then the receipt, cut off along a dashed line.
	const sealW, sealH = 120.0, 72.0
	d.SetY(d.Y() + 8)
	d.Ensure(sealH + 10)
	y = d.Y()
	sx := d.Right() - sealW
	muted := pdf.RGB{R: 0x90, G: 0x90, B: 0x90}
	d.Rect(sx, y, sealW, sealH, 0.4, nil)
	d.Text(sx, y+sealH/2-8, sealW, "（机构盖章）", pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Center, Color: &muted})
	sign := "主检医师：" + n.Signer
	if !n.SignedAt.IsZero() {
		sign += "（" + chineseDate(n.SignedAt) + "签名）"
	}
	d.Text(left, y+2, sx-left-8, sign, noticeBody)
	d.Text(left, y+24, sx-left-8, n.Institution, noticeBody)
	dateLabel := "告知日期："
	if n.Recheck != nil {
		dateLabel = "通知日期："
	}
	d.Text(left, y+46, sx-left-8, dateLabel+chineseDate(n.Date), noticeBody)
	d.SetY(y + sealH + 6)
	if n.Address != "" || n.Phone != "" {
		contact := strings.TrimSpace("机构地址：" + n.Address)
		if n.Address == "" {
			contact = ""
		}
		if n.Phone != "" {
			contact = strings.TrimSpace(contact + "　联系电话：" + n.Phone)
		}
		d.Paragraph(contact, noticeSmall)
	}

	// The receipt stays on one page with its cut line; the label interrupts the dashes.
	d.SetY(d.Y() + 10)
	d.Ensure(14 + 2*noticeSmall.LineHeight() + 10 + noticeBody.LineHeight())
	y = d.Y()
	label := "回　执（沿虚线剪下，由" + n.Addressee + "签收后交回本机构存档）"
	cut := pdf.Style{Face: pdf.Hei, Size: 9.5, Align: pdf.Center, Leading: 1.5}
	lw2 := d.Measure(label, cut) + 16
	gap0, gap1 := left+(width-lw2)/2, left+(width+lw2)/2
	for x := left; x < d.Right(); x += 8 {
		if x+4 > gap0 && x < gap1 {
			continue
		}
		d.Line(x, y, min(x+4, d.Right()), y, 0.5)
	}
	d.Text(left, y-cut.LineHeight()/2, width, label, cut)
	d.SetY(y + 14)
	receipt := n.Text.Receipt
	if receipt == "" {
		receipt = "已收到本告知书。"
	}
	d.Paragraph("　　"+receipt+"（"+n.Title+"，编号 "+n.Number+"，劳动者 "+n.Worker+"）", noticeSmall)
	d.SetY(d.Y() + 10)
	who := "签收人"
	if n.Addressee == "用人单位" {
		who = "签收人（单位盖章）"
	}
	d.Text(left, d.Y(), width, who+"：＿＿＿＿＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日", noticeBody)
	d.SetY(d.Y() + noticeBody.LineHeight())
}

func noticeCell(d *pdf.Document, x, y, w, h float64, s string, label bool) {
	if label {
		grey := pdf.RGB{R: 0xF0, G: 0xF0, B: 0xF0}
		d.Rect(x, y, w, h, 0.5, &grey)
		st := noticeLabel
		st.Align = pdf.Center
		d.Text(x, y+(h-st.LineHeight())/2, w, s, st)
		return
	}
	d.Rect(x, y, w, h, 0.5, nil)
	if s != "" {
		st := pdf.Style{Face: pdf.Song, Size: 11, Leading: 1.4}
		d.FitText(x+4, y+(h-st.LineHeight())/2, w-8, s, st, 6)
	}
}

// chineseDate writes 2026年3月2日 ("" for the zero time).
func chineseDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}
