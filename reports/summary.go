package reports

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
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
		var found [5]bool
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
			found[ci] = true
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
			found[col[app.ConclusionRecheck]] = true
		}
		for i := range found {
			if found[i] {
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
	if s.Date.IsZero() {
		// Without a report date the newest signature dates it: the same archive prints the
		// same report.
		for _, e := range in.Exams {
			if signedExam(e) && e.Record.Signature.At.After(s.Date) {
				s.Date = e.Record.Signature.At
			}
		}
	}
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
