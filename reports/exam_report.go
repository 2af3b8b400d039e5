package reports

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/assets"
	"occhealth/reports/pdf"
)

// ExamReport is one individual report (职业健康检查报告) as it prints, built by NewExamReport
// from the signed exam alone: the worker, employer and names come from Record.Parties (as they
// were at signing), never from the live archive.
type ExamReport struct {
	Institution string
	// Header is the institution's header block (DocumentTexts "header"), one line each;
	// empty prints the name with the address and phone below it.
	Header         []string
	Address, Phone string
	Title          string
	Copy           string // 劳动者留存, 用人单位留存 … ("" prints none)
	Number         string // report number: exam number, -BG and the signed edition

	Worker, Sex, IDNumber string
	Age                   int
	Employer              string
	HostEmployer          string // 用工单位 of dispatched labour, "" when the same
	Workshop, Job         string
	ExamType              string
	Hazards               []string // names
	ExamNumber            string
	ExamDate              time.Time
	Contract              string // number and title, "" for an individual exam
	Edition               string // GBZ 188 edition
	Clause                string // of the edition's conclusion list

	Groups       []ReportGroup
	Audiogram    *ReportAudiogram
	Conclusions  []ReportConclusion
	Advice       string
	Recheck      string // the recheck order in words, "" when none
	Statement    string
	Footer       string
	SealCaption  string
	Signer       string
	SignerTitle  string
	SignedAt     time.Time
	Reviewer     string
	ReviewedAt   time.Time
	Seal, SignIm []byte // images allowed by the document settings, nil for the blank area
	Addenda      []app.Addendum
}

// ReportGroup is the results of one item group under its department.
type ReportGroup struct {
	Title string // 内科 · 内科常规检查
	Rows  []ReportRow
}

// ReportRow is one result line: 弃检 and 未检 are written out in Result.
type ReportRow struct {
	Item, Result, Unit, Range, Flag string
	Abnormal                        bool
}

// ReportAudiogram is the pure-tone audiogram: hearing levels (dB HL) per ear and conduction.
type ReportAudiogram struct {
	Freqs []int
	Rows  []ReportAudioRow
}

// ReportAudioRow is one ear and conduction with its levels by frequency ("" when not tested).
type ReportAudioRow struct {
	Ear    string // 右耳气导 …
	Levels []string
}

// ReportConclusion is the conclusion of one hazard in the edition's wording, with what it
// names (the disease, the contraindication, the other finding) and its basis.
type ReportConclusion struct {
	Hazard, Conclusion, Named, Basis string
}

// Text blocks of the report (DocumentTexts keys; the defaults are assets/reports/texts.json).
const (
	ReportStatementKey = "report.statement"
	// ReportCopiesKey lists the copies printed by default, one a line (or separated by /).
	ReportCopiesKey = "report.copies"
)

// ReportCopies returns the copy labels of the texts in force (劳动者留存, 用人单位留存 …).
func ReportCopies(stored *app.DocumentTexts) []string {
	var out []string
	for _, c := range strings.FieldsFunc(Texts(stored).Blocks[ReportCopiesKey], func(r rune) bool { return r == '/' || r == '\n' }) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// audioFreqs are the frequencies an audiogram row may have, in print order.
var audioFreqs = []int{250, 500, 1000, 2000, 3000, 4000, 6000, 8000}

// NewExamReport builds the report of a signed exam. It refuses (EINVALID, in Chinese) an exam
// that is not signed, returned and not signed again, voided, or signed without its parties.
func NewExamReport(in app.ExamReportInput) (ExamReport, error) {
	e := in.Exam
	if e == nil {
		return ExamReport{}, app.Errorf(app.EINVALID, "职业健康检查报告：没有体检记录")
	}
	r := e.Record
	switch {
	case e.State == app.ExamReturned:
		return ExamReport{}, app.Errorf(app.EINVALID, "体检 %s 已被审核退回，重新签名后才能出具报告", e.Number)
	case r == nil || r.Signature == nil || r.Conclusion == nil:
		return ExamReport{}, app.Errorf(app.EINVALID, "体检 %s 尚未由主检医师签名，不能出具报告", e.Number)
	case e.State != app.ExamConcluded && e.State != app.ExamReviewed && e.State != app.ExamReleased:
		return ExamReport{}, app.Errorf(app.EINVALID, "体检 %s 当前为“%s”，签名后才能出具报告", e.Number, e.State.Name())
	case r.Parties == nil:
		return ExamReport{}, app.Errorf(app.EINVALID, "体检 %s 签名时没有保存劳动者和单位信息，请退回后重新签名再出具报告", e.Number)
	}
	p := r.Parties
	rep := ExamReport{
		Title: "职业健康检查报告", Copy: in.Copy,
		Number: e.Number + "-BG" + strconv.Itoa(max(r.Edition, 1)),
		Worker: p.Worker.Name, Sex: p.Worker.Sex.Name(), IDNumber: p.Worker.IDNumber,
		Employer: p.Employer.Name, Workshop: e.Workshop, Job: e.JobName,
		ExamType: e.Type.Name(), ExamNumber: e.Number, ExamDate: e.Date, Edition: e.Edition,
		Advice: r.Conclusion.Advice, Signer: r.Signature.Name, SignerTitle: r.Signature.Qualification,
		SignedAt: r.Signature.At, Seal: in.Seal, SignIm: in.Signature,
		Addenda: slices.Clone(r.Addenda),
	}
	if e.Recheck {
		rep.ExamType += "（复查）"
	}
	if rep.Job == "" {
		rep.Job = p.JobName // the catalog's name of the job code, as captured at signing
	}
	if rep.Job == "" {
		rep.Job = e.JobCode // an archive signed before parties kept the job name: the code, never a blank
	}
	if !p.Worker.BirthDate.IsZero() {
		rep.Age = app.AgeOn(p.Worker.BirthDate, e.Date)
	}
	if p.HostEmployer != nil && p.HostEmployer.Name != p.Employer.Name {
		rep.HostEmployer = p.HostEmployer.Name
	}
	rep.Contract = strings.TrimSpace(p.ContractNumber + "　" + p.ContractTitle)
	if in.Institution != nil {
		rep.Institution, rep.Address, rep.Phone = in.Institution.Name, in.Institution.Address, in.Institution.Phone
	}
	t := Texts(in.Texts)
	if h := strings.TrimSpace(t.Blocks["header"]); h != "" {
		rep.Header = strings.Split(h, "\n")
	}
	rep.Statement = strings.TrimSpace(t.Blocks[ReportStatementKey])
	rep.Footer = strings.TrimSpace(t.Blocks["footer"])
	rep.SealCaption = strings.TrimSpace(t.Blocks["seal.caption"])
	if rep.SealCaption == "" {
		rep.SealCaption = "（盖章）"
	}
	if r.Review != nil {
		rep.Reviewer, rep.ReviewedAt = r.Review.Name, r.Review.At
	}
	hazardName := func(h string) string {
		if n := p.HazardNames[h]; n != "" {
			return n
		}
		return h
	}
	for _, h := range e.Hazards {
		rep.Hazards = append(rep.Hazards, hazardName(h))
	}
	rep.Groups, rep.Audiogram = reportResults(e, p)
	if set := criteriaSet(); set != nil {
		if l, ok := set.Conclusions(e.Edition); ok {
			rep.Clause = l.Clause
			// A clause number the data marks （待核实） is not printed as fact on a report
			// to the worker: the standard's designation alone.
			if i := strings.Index(rep.Clause, "（"); i >= 0 {
				if f := strings.Fields(rep.Clause[:i]); len(f) >= 2 {
					rep.Clause = f[0] + " " + f[1]
				}
			}
		}
	}
	for _, c := range r.Conclusion.Hazards {
		_, name := conclusionWording(e.Edition, c.Code)
		if name == "" {
			name = map[string]string{app.ConclusionNormal: "目前未见异常", app.ConclusionRecheck: "复查",
				app.ConclusionOther: "其他疾病或异常"}[c.Code]
		}
		named := ""
		switch c.Code {
		case app.ConclusionSuspected:
			named = c.Disease
		case app.ConclusionContraindication:
			named = c.Contraindication
		case app.ConclusionOther:
			named = c.Other
		}
		rep.Conclusions = append(rep.Conclusions, ReportConclusion{Hazard: hazardName(c.Hazard), Conclusion: name, Named: named, Basis: c.Basis})
	}
	if o := r.Conclusion.Recheck; o != nil {
		var names []string
		for _, g := range o.Groups {
			names = append(names, reportGroupName(e, p, g))
		}
		s := "请于" + chineseDate(o.Date) + "前到本机构复查：" + strings.Join(names, "、")
		if o.Date.IsZero() {
			s = "请到本机构复查：" + strings.Join(names, "、")
		}
		if o.Reason != "" {
			s += "（" + o.Reason + "）"
		}
		rep.Recheck = s + "。"
	}
	return rep, nil
}

// reportGroupName is an item group's name: the exam's plan, then the names kept at signing.
func reportGroupName(e *app.Exam, p *app.ExamParties, code string) string {
	for _, it := range e.Items {
		if it.GroupCode == code && it.Name != "" {
			return it.Name
		}
	}
	if n := p.GroupNames[code]; n != "" {
		return n
	}
	return code
}

// criteriaSet returns the bundled criteria data (loaded once, shared with the notices), nil
// when it cannot be read.
func criteriaSet() *criteria.Set {
	noticeCriteriaOnce.Do(func() { noticeCriteria, _ = criteria.Load(assets.Rules) })
	return noticeCriteria
}

// audioItems maps the national item codes of hearing levels to ear, conduction and frequency.
func audioItems() map[string]audioItem {
	set := criteriaSet()
	m := map[string]audioItem{}
	if set == nil {
		return m
	}
	for _, s := range criteria.Sides {
		for _, bone := range []bool{false, true} {
			for _, hz := range audioFreqs {
				if code := set.AudiogramItem(s, bone, hz); code != "" {
					m[code] = audioItem{side: s, bone: bone, hz: hz}
				}
			}
		}
	}
	return m
}

type audioItem struct {
	side criteria.Side
	bone bool
	hz   int
}

// reportResults groups the recorded results by the exam's planned item groups (department
// first), then any other group in the order recorded. Hearing levels go to the audiogram.
func reportResults(e *app.Exam, p *app.ExamParties) ([]ReportGroup, *ReportAudiogram) {
	audio := audioItems()
	byGroup := map[string][]app.Result{}
	var order []string
	levels := map[[2]int]map[int]string{} // (side, bone) → hz → value
	for _, r := range e.Record.Results {
		if a, ok := audio[r.ItemCode]; ok && r.Status == app.ResultDone {
			k := [2]int{int(a.side), map[bool]int{false: 0, true: 1}[a.bone]}
			if levels[k] == nil {
				levels[k] = map[int]string{}
			}
			levels[k][a.hz] = r.Value
			continue
		}
		if _, ok := byGroup[r.GroupCode]; !ok {
			order = append(order, r.GroupCode)
		}
		byGroup[r.GroupCode] = append(byGroup[r.GroupCode], r)
	}
	var groups []ReportGroup
	done := map[string]bool{}
	add := func(code, dept, name string) {
		if done[code] {
			return
		}
		done[code] = true
		title := name
		if dept != "" && dept != name {
			title = dept + " · " + name
		}
		g := ReportGroup{Title: title}
		rs := byGroup[code]
		if len(rs) == 0 {
			if _, audioOnly := findAudio(e.Record.Results, code, audio); audioOnly {
				return
			}
			g.Rows = append(g.Rows, ReportRow{Item: "（本组项目）", Result: app.ResultMissing.Name()})
		}
		for _, r := range rs {
			g.Rows = append(g.Rows, reportRow(r, p))
		}
		groups = append(groups, g)
	}
	// Departments in the order the plan first names them, groups in plan order within each.
	var depts []string
	for _, it := range e.Items {
		if !slices.Contains(depts, it.Department) {
			depts = append(depts, it.Department)
		}
	}
	for _, dept := range depts {
		for _, it := range e.Items {
			if it.Department == dept {
				add(it.GroupCode, it.Department, reportGroupName(e, p, it.GroupCode))
			}
		}
	}
	for _, code := range order {
		add(code, "", reportGroupName(e, p, code))
	}
	if len(levels) == 0 {
		return groups, nil
	}
	a := &ReportAudiogram{}
	for _, hz := range audioFreqs {
		for _, l := range levels {
			if _, ok := l[hz]; ok {
				a.Freqs = append(a.Freqs, hz)
				break
			}
		}
	}
	for _, k := range [][2]int{{int(criteria.Right), 0}, {int(criteria.Left), 0}, {int(criteria.Right), 1}, {int(criteria.Left), 1}} {
		l := levels[k]
		if l == nil {
			continue
		}
		row := ReportAudioRow{Ear: criteria.Side(k[0]).Name() + map[int]string{0: "气导", 1: "骨导"}[k[1]]}
		for _, hz := range a.Freqs {
			row.Levels = append(row.Levels, l[hz])
		}
		a.Rows = append(a.Rows, row)
	}
	return groups, a
}

// findAudio reports whether the group's results are all hearing levels (printed in the
// audiogram instead of the table).
func findAudio(rs []app.Result, group string, audio map[string]audioItem) (int, bool) {
	n := 0
	for _, r := range rs {
		if r.GroupCode == group {
			if _, ok := audio[r.ItemCode]; !ok {
				return 0, false
			}
			n++
		}
	}
	return n, n > 0
}

func reportRow(r app.Result, p *app.ExamParties) ReportRow {
	row := ReportRow{Unit: r.Unit}
	switch {
	case r.ItemCode == "":
		row.Item = "（本组项目）"
	case p.ItemNames[r.ItemCode] != "":
		row.Item = p.ItemNames[r.ItemCode]
	case r.Range.Name != "":
		row.Item = r.Range.Name
	default:
		row.Item = r.ItemCode
	}
	if r.Status == app.ResultDone {
		row.Result = r.Value
		if r.Kind == app.ResultCode {
			// A code reads with its name: 胸片 "2 其他异常", never a bare digit.
			if c, ok := results.ParseChestFilm(r.Value); ok && strings.Contains(r.Range.Text, results.ChestNormal.Name()) {
				row.Result = string(c) + " " + c.Name()
			}
		}
		if r.Range.ItemCode != "" {
			row.Range = r.Range.String()
		}
		if r.Flag.Abnormal() {
			row.Flag = strings.TrimSpace(r.Flag.Arrow() + " " + r.Flag.Name())
			row.Abnormal = true
		}
	} else {
		row.Result = r.Status.Name()
		if row.Result == "" {
			row.Result = app.ResultMissing.Name()
		}
	}
	return row
}

// ExamReports renders individual reports, each from its signed exam, one after another in
// one PDF with page numbers per report. progress (may be nil) is called after each report.
// An exam that cannot be reported stops the batch with its EINVALID error; a character no
// font has is printed as 〓 and reported (EINVALID) with the complete PDF.
func (Documents) ExamReports(in []app.ExamReportInput, progress func(done, total int)) ([]byte, error) {
	reps := make([]ExamReport, len(in))
	for i, x := range in {
		r, err := NewExamReport(x)
		if err != nil {
			return nil, err
		}
		reps[i] = r
	}
	return RenderExamReports(reps, progress)
}

// streamAbove is the batch size above which reports are drawn as they are laid out.
const streamAbove = 20

// RenderExamReports renders reports into one PDF (the same bytes for the same reports).
func RenderExamReports(reps []ExamReport, progress func(done, total int)) ([]byte, error) {
	if len(reps) == 0 {
		return nil, app.Errorf(app.EINVALID, "没有要打印的体检报告")
	}
	// A few reports (the copies of one) are laid out whole and get fonts cut to their
	// characters; a contract's batch streams, one report's layout at a time.
	d, err := layoutExamReports(reps, len(reps) > streamAbove, progress)
	if err != nil {
		return nil, err
	}
	b, err := d.PDF()
	if err != nil {
		return nil, err
	}
	return b, glyphErr(d)
}

// LayoutExamReports returns the layout RenderExamReports draws (for previews and tests).
func LayoutExamReports(reps []ExamReport) (*pdf.Layout, error) {
	d, err := layoutExamReports(reps, false, nil)
	if err != nil {
		return nil, err
	}
	return d.Layout(), nil
}
