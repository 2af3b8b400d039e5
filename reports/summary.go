package reports

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/reports/pdf"
)

// Summary is the read model of an employer's summary report (职业健康检查总结报告) of one
// contract: who and what was examined, the counts, the named lists and the advice. NewSummary
// builds it from the contract's exams; only signed exams count as examined, and their names
// and hazards come from what was captured at signing (Record.Parties).
type Summary struct {
	Institution, InstitutionAddress, InstitutionPhone string
	// Header are the institution's header lines (DocumentTexts "header"); Footer its footer.
	Header, Footer string

	Employer, CreditCode, EmployerAddress, Contact, ContactPhone string

	Contract, ContractTitle string
	Start, End              time.Time
	Place                   string // 院内（本机构） or 外出：address
	ExamTypes               []string
	Hazards                 []string // names, in the contract's order
	// Editions are the GBZ 188 editions the signed exams were concluded under, e.g.
	// "GBZ 188-2014".
	Editions []string

	Planned, Examined int // 应检, 实检
	NoShow, Pending   int // 未到检; registered or in progress but not signed
	// Rate is 实检率 as printed, e.g. "96.7%".
	Rate string

	// Columns are the conclusion columns of the tables and the chart, in SummaryCodes order,
	// worded as the editions word them.
	Columns  []string
	ByHazard []SummaryRow
	Shops    []SummaryShop
	// RecheckNote explains the 复查 column when a 2025 exam (where 复查 is an order, not a
	// conclusion) is among them.
	RecheckNote string

	Suspected, Contraindicated, Recheck, Other []SummaryPerson

	Monitoring []SummaryMonitoring
	Advice     []string
	// AdviceStatus says how far the default advice's legal citations are verified ("" when
	// the institution wrote its own).
	AdviceStatus string

	Seal []byte // printed in the seal area when the settings allow it
	Date time.Time
}

// SummaryCodes are the conclusion categories counted, in column order: 目前未见异常, 复查,
// 疑似职业病, 职业禁忌证, 其他疾病或异常.
var SummaryCodes = []string{app.ConclusionNormal, app.ConclusionRecheck, app.ConclusionSuspected, app.ConclusionContraindication, app.ConclusionOther}

// SummaryRow is one hazard's line: exams planned and signed, and people per conclusion
// column (SummaryCodes order).
type SummaryRow struct {
	Hazard            string
	Planned, Examined int
	Counts            [5]int
}

// SummaryShop is one workshop's line: people planned and examined, and people with each
// conclusion on any hazard.
type SummaryShop struct {
	Workshop          string
	Planned, Examined int
	Counts            [5]int
}

// SummaryPerson is one line of a named list.
type SummaryPerson struct {
	Name, Sex  string
	Age        int
	ExamNumber string
	Workshop   string
	Job        string
	Hazard     string // hazard names concerned
	// What is the disease, contraindication or other finding; for rechecks the items.
	What string
	// Date is the recheck's date; Outcome what the recheck found ("" when not yet signed).
	Date    time.Time
	Outcome string
}

// SummaryMonitoring is one workplace monitoring result as the employer supplied it.
type SummaryMonitoring struct {
	Hazard, Workshop, Date, Value, Type, Grade string
}

// SummaryWording is the default advice of the summary report, per conclusion code and
// always, with its verification status (summary_wording.json; the institution overrides it
// with the "summary.advice" text block).
type SummaryWording struct {
	Status string `json:"status"`
	Source string `json:"source"`
	Advice struct {
		ByCode map[string]string `json:"-"`
		Always []string          `json:"always"`
	} `json:"advice"`
}

//go:embed summary_wording.json
var summaryWordingJSON []byte

// DefaultSummaryWording returns the bundled advice.
func DefaultSummaryWording() SummaryWording {
	var w SummaryWording
	var raw struct {
		Advice map[string]json.RawMessage `json:"advice"`
	}
	if err := json.Unmarshal(summaryWordingJSON, &w); err != nil {
		panic("reports: summary_wording.json: " + err.Error())
	}
	if err := json.Unmarshal(summaryWordingJSON, &raw); err != nil {
		panic("reports: summary_wording.json: " + err.Error())
	}
	w.Advice.ByCode = map[string]string{}
	for k, v := range raw.Advice {
		if k == "always" {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			panic("reports: summary_wording.json advice " + k + ": " + err.Error())
		}
		w.Advice.ByCode[k] = s
	}
	return w
}

// signedExam reports whether an exam is signed and not returned: what counts as 实检.
func signedExam(e *app.Exam) bool {
	if e.Record == nil || e.Record.Signature == nil || e.Record.Conclusion == nil {
		return false
	}
	switch e.State {
	case app.ExamConcluded, app.ExamReviewed, app.ExamReleased:
		return true
	}
	return false
}

// countsAsPlanned reports whether an exam is 应检: registered and neither cancelled nor voided.
func countsAsPlanned(e *app.Exam) bool {
	return e.State != app.ExamCancelled && e.State != app.ExamVoided
}

// percent writes n/d as "96.7%" ("—" when d is 0).
func percent(n, d int) string {
	if d == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)*100/float64(d), 'f', 1, 64) + "%"
}

// NewSummary builds the summary of in.Contract. Recheck exams (复查) registered under the
// contract are not counted again: they appear as the outcome of the recheck list. A contract
// with no signed exam is refused (EINVALID).
func NewSummary(in app.SummaryInput) (Summary, error) {
	c := in.Contract
	if c == nil {
		return Summary{}, app.Errorf(app.EINVALID, "总结报告：没有体检任务（合同）")
	}
	s := Summary{Contract: c.Number, ContractTitle: c.Title, Start: c.Start, End: c.End, Date: in.Date}
	if in.Institution != nil {
		s.Institution, s.InstitutionAddress, s.InstitutionPhone = in.Institution.Name, in.Institution.Address, in.Institution.Phone
	}
	if in.Employer != nil {
		e := in.Employer
		s.Employer, s.CreditCode, s.EmployerAddress, s.Contact, s.ContactPhone = e.Name, e.CreditCode, e.Address, e.ContactPerson, e.ContactPhone
	}
	if c.Place == app.PlaceOnSite {
		s.Place = "外出：" + c.PlaceNote
	} else {
		s.Place = "院内（" + s.Institution + "）"
		if s.Institution == "" {
			s.Place = "院内"
		}
	}
	texts := in.Texts
	if texts == nil {
		texts = &app.DocumentTexts{}
	}
	s.Header, s.Footer = texts.Blocks["header"], texts.Blocks["footer"]
	if texts.Images[app.DocSummary].Seal {
		s.Seal = in.Seal
	}

	byID := map[int64]*app.Exam{}
	for _, e := range in.Exams {
		byID[e.ID] = e
	}
	hazardName := func(e *app.Exam, h string) string {
		if e != nil && e.Record != nil && e.Record.Parties != nil && e.Record.Parties.HazardNames[h] != "" {
			return e.Record.Parties.HazardNames[h]
		}
		if n := in.HazardNames[h]; n != "" {
			return n
		}
		return h
	}
	// Hazards in the contract's order, then any other an exam was examined for.
	var hazardCodes []string
	for _, h := range c.Hazards {
		if !slices.Contains(hazardCodes, h) {
			hazardCodes = append(hazardCodes, h)
		}
	}
	var extra []string
	types := map[app.ExamType]bool{}
	editions := map[string]bool{}
	for _, e := range in.Exams {
		if e.Recheck || !countsAsPlanned(e) {
			continue
		}
		types[e.Type] = true
		for _, h := range e.Hazards {
			if !slices.Contains(hazardCodes, h) && !slices.Contains(extra, h) {
				extra = append(extra, h)
			}
		}
	}
	slices.Sort(extra)
	hazardCodes = append(hazardCodes, extra...)
	for _, t := range app.ExamTypes {
		if types[t] || (len(types) == 0 && slices.Contains(c.ExamTypes, string(t))) {
			s.ExamTypes = append(s.ExamTypes, t.Name())
		}
	}
	rowOf := map[string]int{}
	for i, h := range hazardCodes {
		rowOf[h] = i
		s.ByHazard = append(s.ByHazard, SummaryRow{Hazard: hazardName(nil, h)})
		s.Hazards = append(s.Hazards, hazardName(nil, h))
	}
	col := map[string]int{}
	for i, code := range SummaryCodes {
		col[code] = i
	}
	shopOf := map[string]int{}
	workers := in.Workers
	person := func(e *app.Exam) SummaryPerson {
		p := SummaryPerson{ExamNumber: e.Number, Workshop: e.Workshop, Job: e.JobName}
		var w *app.Worker
		if e.Record != nil && e.Record.Parties != nil && e.Record.Parties.Worker.Name != "" {
			w = &e.Record.Parties.Worker
		} else {
			w = workers[e.WorkerID]
		}
		if w != nil {
			p.Name, p.Sex = w.Name, w.Sex.Name()
			if !w.BirthDate.IsZero() && !e.Date.IsZero() {
				p.Age = app.AgeOn(w.BirthDate, e.Date)
			}
		}
		return p
	}
	has2025 := false
	for _, e := range in.Exams {
		if e.Recheck || !countsAsPlanned(e) {
			continue
		}
		shop := strings.TrimSpace(e.Workshop)
		if shop == "" {
			shop = "（未填车间）"
		}
		si, ok := shopOf[shop]
		if !ok {
			si = len(s.Shops)
			shopOf[shop] = si
			s.Shops = append(s.Shops, SummaryShop{Workshop: shop})
		}
		s.Planned++
		s.Shops[si].Planned++
		for _, h := range e.Hazards {
			s.ByHazard[rowOf[h]].Planned++
		}
		if !signedExam(e) {
			if e.State == app.ExamNoShow {
				s.NoShow++
			} else {
				s.Pending++
			}
			continue
		}
		s.Examined++
		s.Shops[si].Examined++
		editions[e.Edition] = true
		if e.Edition == "2025" {
			has2025 = true
		}
		r := e.Record
		order := r.Conclusion.Recheck
		var any [5]bool
		lists := map[string][]string{} // code → hazard names
		whats := map[string][]string{}
		for _, h := range e.Hazards {
			s.ByHazard[rowOf[h]].Examined++
		}
		for _, hc := range r.Conclusion.Hazards {
			i, ok := rowOf[hc.Hazard]
			if !ok {
				continue
			}
			ci, ok := col[hc.Code]
			if !ok {
				continue
			}
			if hc.Code == app.ConclusionRecheck && order != nil {
				continue // counted once below, with the order
			}
			s.ByHazard[i].Counts[ci]++
			any[ci] = true
			name := hazardName(e, hc.Hazard)
			lists[hc.Code] = appendNew(lists[hc.Code], name)
			switch hc.Code {
			case app.ConclusionSuspected:
				whats[hc.Code] = appendNew(whats[hc.Code], hc.Disease)
			case app.ConclusionContraindication:
				whats[hc.Code] = appendNew(whats[hc.Code], hc.Contraindication)
			case app.ConclusionOther:
				whats[hc.Code] = appendNew(whats[hc.Code], hc.Other)
			}
		}
		if order != nil {
			// A recheck order concerns the exam; it counts under every hazard concluded 复查,
			// or under every hazard examined when none is (GBZ 188—2025: an order, no code).
			var hs []string
			for _, hc := range r.Conclusion.Hazards {
				if hc.Code == app.ConclusionRecheck {
					hs = append(hs, hc.Hazard)
				}
			}
			if len(hs) == 0 {
				hs = e.Hazards
			}
			for _, h := range hs {
				if i, ok := rowOf[h]; ok {
					s.ByHazard[i].Counts[col[app.ConclusionRecheck]]++
					lists[app.ConclusionRecheck] = appendNew(lists[app.ConclusionRecheck], hazardName(e, h))
				}
			}
			any[col[app.ConclusionRecheck]] = true
		}
		for i := range any {
			if any[i] {
				s.Shops[si].Counts[i]++
			}
		}
		add := func(code string, to *[]SummaryPerson, what string) {
			if len(lists[code]) == 0 {
				return
			}
			p := person(e)
			p.Hazard = strings.Join(lists[code], "、")
			p.What = what
			*to = append(*to, p)
		}
		add(app.ConclusionSuspected, &s.Suspected, strings.Join(whats[app.ConclusionSuspected], "、"))
		add(app.ConclusionContraindication, &s.Contraindicated, strings.Join(whats[app.ConclusionContraindication], "、"))
		add(app.ConclusionOther, &s.Other, strings.Join(whats[app.ConclusionOther], "、"))
		if order != nil {
			var items []string
			for _, g := range order.Groups {
				items = appendNew(items, recheckGroupName(e, g))
			}
			what := strings.Join(items, "、")
			if order.Reason != "" {
				what += "（" + order.Reason + "）"
			}
			add(app.ConclusionRecheck, &s.Recheck, what)
			p := &s.Recheck[len(s.Recheck)-1]
			p.Date = order.Date
			p.Outcome = "未复查"
			if re := byID[r.RecheckExamID]; re != nil {
				if signedExam(re) {
					p.Outcome = recheckOutcome(re)
				} else if re.State == app.ExamCancelled || re.State == app.ExamNoShow {
					p.Outcome = re.State.Name()
				}
			}
		} else if len(lists[app.ConclusionRecheck]) > 0 {
			add(app.ConclusionRecheck, &s.Recheck, "")
		}
	}
	if s.Examined == 0 {
		return Summary{}, app.Errorf(app.EINVALID, "体检任务 %s 没有已签名的体检（应检 %d 人），不能出具总结报告：请先完成主检签名", c.Number, s.Planned)
	}
	s.Rate = percent(s.Examined, s.Planned)
	for _, ed := range []string{"2014", "2025"} {
		if editions[ed] {
			s.Editions = append(s.Editions, map[string]string{"2014": "GBZ 188-2014", "2025": "GBZ 188—2025"}[ed])
		}
	}
	edition := "2014"
	if has2025 && !editions["2014"] {
		edition = "2025"
	}
	for _, code := range SummaryCodes {
		_, name := conclusionWording(edition, code)
		if name == "" {
			name = map[string]string{app.ConclusionNormal: "目前未见异常", app.ConclusionRecheck: "复查", app.ConclusionOther: "其他疾病或异常"}[code]
		}
		s.Columns = append(s.Columns, name)
	}
	if has2025 {
		s.RecheckNote = "注：GBZ 188—2025 中复查为主检医师的处理安排而非体检结论，“复查”栏为附有复查安排的人数，与各结论人数分别统计。"
	}
	bySort := func(ps []SummaryPerson) {
		slices.SortStableFunc(ps, func(a, b SummaryPerson) int {
			if a.Workshop != b.Workshop {
				return strings.Compare(a.Workshop, b.Workshop)
			}
			return strings.Compare(a.ExamNumber, b.ExamNumber)
		})
	}
	bySort(s.Suspected)
	bySort(s.Contraindicated)
	bySort(s.Recheck)
	bySort(s.Other)

	for _, m := range c.Monitoring {
		date := ""
		if !m.Date.IsZero() {
			date = m.Date.Format("2006-01-02")
		}
		s.Monitoring = append(s.Monitoring, SummaryMonitoring{
			Hazard: hazardName(nil, m.HazardCode), Workshop: m.Workshop, Date: date,
			Value: strings.TrimSpace(m.Value + " " + m.Unit),
			Type:  map[string]string{"01": "CTWA", "02": "CSTEL", "03": "CMAC", "99": "其他"}[m.ConcentrationType],
			Grade: m.Grade,
		})
	}

	if b := strings.TrimSpace(texts.Blocks["summary.advice"]); b != "" {
		for _, ln := range strings.Split(b, "\n") {
			if ln = strings.TrimSpace(ln); ln != "" {
				s.Advice = append(s.Advice, ln)
			}
		}
	} else {
		w := DefaultSummaryWording()
		s.AdviceStatus = w.Status
		for _, code := range []string{app.ConclusionSuspected, app.ConclusionContraindication, app.ConclusionRecheck, app.ConclusionOther} {
			n := map[string]int{app.ConclusionSuspected: len(s.Suspected), app.ConclusionContraindication: len(s.Contraindicated),
				app.ConclusionRecheck: len(s.Recheck), app.ConclusionOther: len(s.Other)}[code]
			if n == 0 {
				continue
			}
			// The institution's own wording of one conclusion's advice ("summary.advice.03")
			// replaces the bundled one.
			if b := strings.TrimSpace(texts.Blocks["summary.advice."+code]); b != "" {
				s.Advice = append(s.Advice, b)
			} else if w.Advice.ByCode[code] != "" {
				s.Advice = append(s.Advice, w.Advice.ByCode[code])
			}
		}
		s.Advice = append(s.Advice, w.Advice.Always...)
	}
	return s, nil
}

// recheckGroupName names an item group of an exam: as captured at signing, else as planned.
func recheckGroupName(e *app.Exam, code string) string {
	if e.Record != nil && e.Record.Parties != nil && e.Record.Parties.GroupNames[code] != "" {
		return e.Record.Parties.GroupNames[code]
	}
	for _, it := range e.Items {
		if it.GroupCode == code && it.Name != "" {
			return it.Name
		}
	}
	return code
}

// recheckOutcome says what a signed recheck concluded, e.g. "已复查：目前未见异常".
func recheckOutcome(e *app.Exam) string {
	var names []string
	for _, hc := range e.Record.Conclusion.Hazards {
		_, n := conclusionWording(e.Edition, hc.Code)
		if n == "" {
			n = hc.Code
		}
		names = appendNew(names, n)
	}
	return "已复查：" + strings.Join(names, "、")
}

// SummaryReport renders a contract's summary report.
func (Documents) SummaryReport(in app.SummaryInput) ([]byte, error) {
	s, err := NewSummary(in)
	if err != nil {
		return nil, err
	}
	return RenderSummary(s)
}

// RenderSummary renders a summary as an A4 PDF with the same bytes for the same summary. A
// character no bundled font has is printed as 〓 and reported (EINVALID with the PDF complete).
func RenderSummary(s Summary) ([]byte, error) {
	d, err := layoutSummary(s)
	if err != nil {
		return nil, err
	}
	b, err := d.PDF()
	if err != nil {
		return nil, err
	}
	return b, glyphErr(d)
}

// LayoutSummary returns the layout RenderSummary draws (for previews and tests).
func LayoutSummary(s Summary) (*pdf.Layout, error) {
	d, err := layoutSummary(s)
	if err != nil {
		return nil, err
	}
	return d.Layout(), nil
}

var (
	sumBody    = pdf.Style{Face: pdf.Song, Size: 11, Leading: 1.6}
	sumHead    = pdf.Style{Face: pdf.Hei, Size: 13, Leading: 1.6}
	sumTableH  = pdf.Style{Face: pdf.Hei, Size: 9.5, Leading: 1.35}
	sumTableB  = pdf.Style{Face: pdf.Song, Size: 9.5, Leading: 1.4}
	sumMuted   = pdf.RGB{R: 0x80, G: 0x80, B: 0x80}
	sumSmall   = pdf.Style{Face: pdf.Song, Size: 9, Leading: 1.5}
	sumNumbers = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
)

func layoutSummary(s Summary) (*pdf.Document, error) {
	d, err := pdf.New(pdf.Options{
		Margin:      pdf.Margins{Top: pdf.MM(18), Right: pdf.MM(20), Bottom: pdf.MM(18), Left: pdf.MM(20)},
		Info:        pdf.Info{Title: "职业健康检查总结报告", Subject: s.Contract + " " + s.Employer, Creator: "职业健康工作站"},
		PageNumbers: true,
	})
	if err != nil {
		return nil, err
	}
	left, width := d.Left(), d.Width()
	sealMark(d)
	y := d.Top()
	for _, ln := range strings.Split(strings.TrimSpace(s.Header), "\n") {
		if ln = strings.TrimSpace(ln); ln != "" {
			d.FitText(left, y, width, ln, pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Center}, 7)
			y += 15
		}
	}
	d.FitText(left, y, width, s.Institution, pdf.Style{Face: pdf.Hei, Size: 14, Align: pdf.Center}, 9)
	y += 24
	d.Text(left, y, width, "职业健康检查总结报告", pdf.Style{Face: pdf.Hei, Size: 22, Align: pdf.Center, Leading: 1.3})
	y += 36
	d.Text(left, y, width, "报告编号："+s.Contract+"-ZJ", pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Right, Leading: 1.6})
	y += 20
	d.SetHeader(func(d *pdf.Document) {
		d.FitText(d.Left(), d.Top(), d.Width(), "职业健康检查总结报告（续）　"+s.Employer+"　编号 "+s.Contract+"-ZJ", pdf.Style{Face: pdf.Hei, Size: 10.5}, 7)
		sealMark(d)
		d.Line(d.Left(), d.Top()+18, d.Right(), d.Top()+18, 0.5)
		d.SetY(d.Top() + 26)
	})

	// The parties and the round, as a ruled grid.
	period := chineseDate(s.Start)
	if !s.End.IsZero() && !s.End.Equal(s.Start) {
		period += " 至 " + chineseDate(s.End)
	}
	contact := strings.TrimSpace(s.Contact + "　" + s.ContactPhone)
	lw := 94.0
	vw := (width - 2*lw) / 2
	pairs := [][4]string{
		{"受检单位", s.Employer, "", ""},
		{"统一社会信用代码", s.CreditCode, "联系人/电话", contact},
		{"单位地址", s.EmployerAddress, "", ""},
		{"委托协议编号", s.Contract, "检查日期", period},
		{"检查地点", s.Place, "", ""},
		{"检查类别", strings.Join(s.ExamTypes, "、"), "检查依据", strings.Join(s.Editions, "、")},
		{"职业病危害因素", strings.Join(s.Hazards, "、"), "", ""},
		{"应检人数", strconv.Itoa(s.Planned) + " 人", "实检人数", strconv.Itoa(s.Examined) + " 人（实检率 " + s.Rate + "）"},
	}
	for _, row := range pairs {
		h := noticeRowH
		if row[2] == "" {
			lines := d.Wrap(row[1], width-lw-8, pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.4})
			h = max(h, float64(len(lines))*10.5*1.4+6)
			noticeCell(d, left, y, lw, h, row[0], true)
			d.Rect(left+lw, y, width-lw, h, 0.5, nil)
			d.TextBlock(left+lw+4, y+3, width-lw-8, row[1], pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.4})
		} else {
			noticeCell(d, left, y, lw, h, row[0], true)
			noticeCell(d, left+lw, y, vw, h, row[1], false)
			noticeCell(d, left+lw+vw, y, lw, h, row[2], true)
			noticeCell(d, left+2*lw+vw, y, vw, h, row[3], false)
		}
		y += h
	}
	d.SetY(y + 12)

	sec := 0
	heading := func(title string) {
		d.SetY(d.Y() + 6)
		d.Ensure(sumHead.LineHeight() + 3*sumTableB.LineHeight() + 12)
		d.Paragraph(sumNumbers[sec]+"、"+title, sumHead)
		sec++
	}

	heading("检查概况")
	where := "本机构"
	if p, ok := strings.CutPrefix(s.Place, "外出："); ok {
		where = p
	}
	intro := fmt.Sprintf("受%s委托，本机构于%s在%s对该单位接触职业病危害因素的劳动者进行了%s职业健康检查。应检 %d 人，实检 %d 人，实检率 %s",
		orDash(s.Employer), period, where, strings.Join(s.ExamTypes, "、"), s.Planned, s.Examined, s.Rate)
	var missing []string
	if s.NoShow > 0 {
		missing = append(missing, "未到检 "+strconv.Itoa(s.NoShow)+" 人")
	}
	if s.Pending > 0 {
		missing = append(missing, "检查或主检未完成 "+strconv.Itoa(s.Pending)+" 人")
	}
	if len(missing) > 0 {
		intro += "（" + strings.Join(missing, "，") + "）"
	}
	intro += fmt.Sprintf("。检出疑似职业病 %d 人，职业禁忌证 %d 人，需复查 %d 人，其他疾病或异常 %d 人。",
		len(s.Suspected), len(s.Contraindicated), len(s.Recheck), len(s.Other))
	d.Paragraph("　　"+intro, sumBody)

	heading("各危害因素检查结果")
	cols := []pdf.Column{{Title: "职业病危害因素"}, {Title: "应检", Width: 38, Align: pdf.Right}, {Title: "实检", Width: 38, Align: pdf.Right}}
	for _, c := range s.Columns {
		cols = append(cols, pdf.Column{Title: c, Width: 50, Align: pdf.Right})
	}
	var rows [][]string
	for _, r := range s.ByHazard {
		row := []string{r.Hazard, strconv.Itoa(r.Planned), strconv.Itoa(r.Examined)}
		for _, n := range r.Counts {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	d.SetY(d.Y() + 2)
	d.Table(pdf.Table{Columns: cols, Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
	if s.RecheckNote != "" {
		d.SetY(d.Y() + 2)
		d.Paragraph(s.RecheckNote, sumSmall)
	}
	d.SetY(d.Y() + 8)
	drawConclusionChart(d, s.Columns, s.ByHazard)

	heading("各车间检查结果")
	cols = []pdf.Column{{Title: "车间"}, {Title: "应检", Width: 36, Align: pdf.Right}, {Title: "实检", Width: 36, Align: pdf.Right},
		{Title: "实检率", Width: 44, Align: pdf.Right}}
	for _, c := range s.Columns {
		cols = append(cols, pdf.Column{Title: c, Width: 48, Align: pdf.Right})
	}
	rows = rows[:0]
	for _, r := range s.Shops {
		row := []string{r.Workshop, strconv.Itoa(r.Planned), strconv.Itoa(r.Examined), percent(r.Examined, r.Planned)}
		for _, n := range r.Counts {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	d.SetY(d.Y() + 2)
	d.Table(pdf.Table{Columns: cols, Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
	d.SetY(d.Y() + 2)
	d.Paragraph("注：同一人多个危害因素的结论按人计一次。", sumSmall)

	namedList := func(title, whatTitle string, ps []SummaryPerson, recheck bool) {
		heading(title + "（" + strconv.Itoa(len(ps)) + " 人）")
		if len(ps) == 0 {
			d.Paragraph("　　无。", sumBody)
			return
		}
		cols := []pdf.Column{{Title: "序号", Width: 26, Align: pdf.Right}, {Title: "姓名", Width: 46}, {Title: "性别", Width: 26},
			{Title: "年龄", Width: 26, Align: pdf.Right}, {Title: "车间", Width: 56}, {Title: "工种", Width: 48}}
		if recheck {
			cols = append(cols, pdf.Column{Title: whatTitle}, pdf.Column{Title: "复查日期", Width: 56}, pdf.Column{Title: "复查情况", Width: 106})
		} else {
			cols = append(cols, pdf.Column{Title: "危害因素", Width: 84}, pdf.Column{Title: whatTitle})
		}
		rows := make([][]string, len(ps))
		for i, p := range ps {
			age := ""
			if p.Age > 0 {
				age = strconv.Itoa(p.Age)
			}
			rows[i] = []string{strconv.Itoa(i + 1), p.Name, p.Sex, age, p.Workshop, p.Job}
			if recheck {
				date := ""
				if !p.Date.IsZero() {
					date = p.Date.Format("2006-01-02")
				}
				rows[i] = append(rows[i], p.What, date, p.Outcome)
			} else {
				rows[i] = append(rows[i], p.Hazard, p.What)
			}
		}
		d.SetY(d.Y() + 2)
		d.Table(pdf.Table{Columns: cols, Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
	}
	namedList("疑似职业病人员名单", "疑似职业病", s.Suspected, false)
	namedList("职业禁忌证人员名单", "职业禁忌证", s.Contraindicated, false)
	namedList("需复查人员名单", "复查项目（原因）", s.Recheck, true)
	namedList("其他疾病或异常人员名单", "其他疾病或异常", s.Other, false)

	heading("工作场所职业病危害因素检测结果（用人单位提供）")
	if len(s.Monitoring) == 0 {
		d.Paragraph("　　用人单位未提供。", sumBody)
	} else {
		rows = rows[:0]
		for _, m := range s.Monitoring {
			rows = append(rows, []string{m.Hazard, m.Workshop, m.Date, m.Value, m.Type, m.Grade})
		}
		d.SetY(d.Y() + 2)
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: "危害因素"}, {Title: "车间/岗位", Width: 90}, {Title: "检测日期", Width: 66},
			{Title: "检测结果", Width: 80}, {Title: "浓度类型", Width: 52}, {Title: "作业分级", Width: 52}},
			Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
		d.SetY(d.Y() + 2)
		d.Paragraph("注：以上结果由用人单位提供，本机构按原样列出，未作核实。", sumSmall)
	}

	heading("处理意见和建议")
	for i, a := range s.Advice {
		d.ParagraphAt(left+6, width-6, strconv.Itoa(i+1)+". "+a, sumBody)
	}

	// Signatures, seal and date stay together on one page.
	const sealW, sealH = 130.0, 84.0
	d.SetY(d.Y() + 16)
	d.Ensure(sealH + 30)
	y = d.Y()
	sx := d.Right() - sealW
	d.Rect(sx, y, sealW, sealH, 0.4, nil)
	if len(s.Seal) > 0 {
		if err := d.Image(sx+(sealW-sealH)/2, y, sealH, sealH, "seal", s.Seal); err != nil {
			return nil, app.Errorf(app.EINVALID, "公章图片无法使用：%v", err)
		}
	} else {
		d.Text(sx, y+sealH/2-8, sealW, "（机构盖章）", pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Center, Color: &sumMuted})
	}
	for i, who := range []string{"编制人：", "主检医师：", "审核人：", "签发人："} {
		d.Text(left, y+2+float64(i)*20, sx-left-8, who+"＿＿＿＿＿＿＿＿", sumBody)
	}
	d.SetY(y + sealH + 6)
	d.Text(left, d.Y(), width, s.Institution+"　报告日期："+chineseDate(s.Date), pdf.Style{Face: pdf.Song, Size: 11, Align: pdf.Right, Leading: 1.6})
	d.SetY(d.Y() + sumBody.LineHeight())
	if s.InstitutionAddress != "" || s.InstitutionPhone != "" {
		d.Paragraph(strings.Trim("机构地址："+s.InstitutionAddress+"　联系电话："+s.InstitutionPhone, "　"), sumSmall)
	}
	if s.Footer != "" {
		d.Paragraph(s.Footer, sumSmall)
	}
	if s.AdviceStatus != "" && s.AdviceStatus != "V" {
		d.Paragraph("本报告建议中引用的法律条款为内置文字（待机构核对），可在“文书设置”中改写。", pdf.Style{Face: pdf.Song, Size: 8, Leading: 1.4, Color: &sumMuted})
	}
	return d, nil
}

// sealMark draws the 骑缝章 mark in the right margin of the current page: where the
// institution stamps across the pages of a multi-page document.
func sealMark(d *pdf.Document) {
	x := d.Right() + pdf.MM(8)
	y := d.Page().H/2 - 50
	for yy := y; yy < y+100; yy += 6 {
		d.Line(x, yy, x, yy+3, 0.4)
	}
	st := pdf.Style{Face: pdf.Song, Size: 8, Leading: 1.2, Color: &sumMuted}
	for i, r := range []string{"骑", "缝", "章"} {
		d.Text(x+3, y+30+float64(i)*10, 10, r, st)
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
