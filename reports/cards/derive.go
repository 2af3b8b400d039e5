package cards

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
)

// view is what every adapter reads of one card, derived once from CardData: the signed
// parties, the exposure per hazard, the items with their national codes, the dates. Adapters
// only rename and recode it.
type view struct {
	d          *app.CardData
	Number     string
	DocumentID string
	Operate    string
	Subject    string // 个案卡 26000123（张三）

	Employer, Host party
	Worker         app.Worker

	ExamType   string
	ExamDate   string // yyyyMMdd
	Recheck    bool
	Previous   string // the earlier card's exam number (复查)
	Workshop   string
	JobCode    string
	JobName    string // for an "other" job
	Contact    []string
	ContactOth string
	Examined   []hazard
	ExamOther  string
	// RefusedGroups names item groups refused or not done as a whole. The items themselves
	// are derived when the card is encoded (view.items), so that a large batch does not keep
	// every card's results twice.
	RefusedGroups []string

	SignDate    string // 报告出具日期
	SignedBy    string
	ReportDate  string // from the DocumentId: the card's first export
	ReportTime  string // yyyyMMddHHmmss of the same
	ReleaseDate string
	Advice      string
	Remark      string

	OrgName, OrgCode, OrgArea string
	Settings                  app.CardSettings
	SeniorityYears            string
	SeniorityMonths           string
}

type party struct {
	Name, Credit, Economic, Industry, Size, Area, AreaName, Address, Zip, Contact, Phone string
}

type hazard struct {
	Code, Name, Other   string
	Start, Years, Month string
	Conclusion          app.HazardConclusion
}

type item struct {
	Code, Name, Parent, Group, Department string
	Kind                                  app.ResultKind
	Status                                app.ResultStatus
	Value, Unit, Min, Max, Abnormal       string
	Flag                                  app.ResultFlag
	Date, Doctor                          string
}

const ymd = "20060102"

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(ymd)
}

// derive builds the view of one card. Missing pieces stay empty: the element table says which
// are required, and the validator names them.
func derive(d *app.CardData, codes app.CodeLookup) *view {
	v := &view{d: d, Number: d.Card.ExamNumber, DocumentID: d.Card.DocumentID, Operate: d.Card.Operate, Settings: d.Settings}
	if v.Operate == "" {
		v.Operate = app.CardAdd
	}
	if in := d.Institution; in != nil {
		v.OrgName, v.OrgCode, v.OrgArea = in.Name, in.Code, area9(in.AreaCode)
	}
	v.ReportDate, v.ReportTime = reportDate(v.DocumentID)
	x := d.Exam
	if x == nil {
		v.Subject = "个案卡 " + v.Number
		return v
	}
	if v.Number == "" {
		v.Number = x.Number
	}
	v.ExamType, v.ExamDate, v.Recheck = string(x.Type), date(x.Date), x.Recheck
	v.Workshop, v.JobCode = x.Workshop, x.JobCode
	if c, other := codeTables["other_job"].byCode[x.JobCode]; other || x.JobCode == "" {
		v.JobName = x.JobName
		if other && strings.TrimSpace(v.JobName) == "" {
			// Registered under an "other" code without a typed name (矿山其他工): the code's
			// own name is the job as recorded, and the spec wants a name beside these codes.
			v.JobName = c.Name
		}
	}
	if v.JobCode == "" && strings.TrimSpace(v.JobName) != "" {
		// A job typed without a code (其他工种名称) goes out under the code table's 其他, with its
		// name: the spec requires WORK_TYPE_CODE and names OTHER_WORK_TYPE for the "other" codes.
		v.JobCode = otherJobCode
	}
	if d.Previous != nil {
		v.Previous = d.Previous.ExamNumber
	}
	r := x.Record
	var parties *app.ExamParties
	if r != nil {
		parties = r.Parties
	}
	hazardName := func(code string) string {
		if parties != nil && parties.HazardNames[code] != "" {
			return parties.HazardNames[code]
		}
		if codes != nil {
			if n, ok := codes.CodeName(app.CatalogHazards, code); ok {
				return n
			}
		}
		return ""
	}
	if parties != nil {
		v.Worker = parties.Worker
		v.Employer = newParty(&parties.Employer, codes)
		if parties.HostEmployer != nil {
			v.Host = newParty(parties.HostEmployer, codes)
		} else {
			v.Host = v.Employer
		}
	}
	v.Subject = "个案卡 " + v.Number
	if v.Worker.Name != "" {
		v.Subject += "（" + v.Worker.Name + "）"
	}
	exposures := v.Worker.Exposures
	otherName := func(code string) string {
		if _, ok := codeTables["other_hazard"].byCode[code]; !ok {
			return ""
		}
		for _, e := range exposures {
			if e.HazardCode == code && e.HazardName != "" {
				return e.HazardName
			}
		}
		return ""
	}
	var concl []app.HazardConclusion
	if r != nil && r.Conclusion != nil {
		concl = r.Conclusion.Hazards
		v.Advice = r.Conclusion.Advice
	}
	var examOther, contactOther []string
	for _, h := range x.Hazards {
		hz := hazard{Code: h, Name: hazardName(h), Other: otherName(h)}
		if hz.Other != "" {
			examOther = append(examOther, hz.Other)
		}
		var start time.Time
		for _, e := range exposures {
			if e.HazardCode == h && !e.Start.IsZero() && (start.IsZero() || e.Start.Before(start)) {
				start = e.Start
			}
		}
		if !start.IsZero() && !x.Date.IsZero() && !start.After(x.Date) {
			m := months(start, x.Date)
			hz.Start, hz.Years, hz.Month = date(start), strconv.Itoa(m/12), strconv.Itoa(m%12)
		} else if !start.IsZero() {
			hz.Start = date(start)
		}
		for _, c := range concl {
			if c.Hazard == h {
				hz.Conclusion = c
			}
		}
		v.Examined = append(v.Examined, hz)
	}
	v.ExamOther = strings.Join(examOther, "、")
	v.Contact = slices.Clone(x.Hazards)
	var more []string
	for _, e := range exposures {
		current := e.End.IsZero() || x.Date.IsZero() || !e.End.Before(x.Date)
		if current && e.HazardCode != "" && !slices.Contains(v.Contact, e.HazardCode) && !slices.Contains(more, e.HazardCode) {
			more = append(more, e.HazardCode)
		}
	}
	slices.Sort(more)
	v.Contact = append(v.Contact, more...)
	for _, h := range v.Contact {
		if n := otherName(h); n != "" && !slices.Contains(contactOther, n) {
			contactOther = append(contactOther, n)
		}
	}
	v.ContactOth = strings.Join(contactOther, "、")
	var first time.Time
	for _, w := range v.Worker.WorkHistory {
		if !w.Start.IsZero() && (first.IsZero() || w.Start.Before(first)) {
			first = w.Start
		}
	}
	if !first.IsZero() && !x.Date.IsZero() && !first.After(x.Date) {
		m := months(first, x.Date)
		v.SeniorityYears, v.SeniorityMonths = strconv.Itoa(m/12), strconv.Itoa(m%12)
	}
	if r != nil {
		if r.Signature != nil {
			v.SignDate, v.SignedBy = date(r.Signature.At), r.Signature.Name
		}
		if len(r.Releases) > 0 {
			v.ReleaseDate = date(r.Releases[0].At)
		}
		_, v.RefusedGroups = items(x, r, parties, nil, true)
	}
	var remark []string
	switch v.Operate {
	case app.CardUpdate:
		remark = append(remark, "订正")
	case app.CardDelete:
		remark = append(remark, "体检已作废")
	}
	if d.Card.Late {
		remark = append(remark, "补报")
	}
	if len(v.RefusedGroups) > 0 {
		remark = append(remark, "整组未检或弃检："+strings.Join(v.RefusedGroups, "、"))
	}
	v.Remark = strings.Join(remark, "；")
	return v
}

// reportDate is the date (yyyyMMdd) and time (yyyyMMddHHmmss) of a DocumentId's time stamp:
// when the card was first generated.
func reportDate(docID string) (day, at string) {
	if p := strings.Split(docID, "-"); len(p) >= 3 && len(p[len(p)-2]) == 17 {
		ts := p[len(p)-2]
		return ts[:8], ts[:14]
	}
	return "", ""
}

func newParty(e *app.Employer, codes app.CodeLookup) party {
	p := party{Name: e.Name, Credit: e.CreditCode, Economic: e.EconomicTypeCode, Industry: e.IndustryCode,
		Size: e.SizeCode, Area: area9(e.AreaCode), Address: e.Address, Zip: e.ZipCode, Contact: e.ContactPerson, Phone: e.ContactPhone}
	p.AreaName = areaName(codes, e.AreaCode)
	return p
}

// area9 writes a 6-digit county code as the platform's 9-digit code (township 000).
func area9(code string) string {
	if len(code) == 6 && digits(code) {
		return code + "000"
	}
	return code
}

// areaName joins the names from the province down: 北京市市辖区海淀区 (the spec's example).
func areaName(codes app.CodeLookup, code string) string {
	if codes == nil || len(code) < 6 {
		return ""
	}
	code = code[:6]
	var names []string
	for i := 0; i < 4 && code != ""; i++ {
		n, ok := codes.CodeName(app.CatalogAreas, code)
		if !ok {
			return ""
		}
		names = append(names, n)
		code = codes.CodeParent(app.CatalogAreas, code)
	}
	slices.Reverse(names)
	return strings.Join(names, "")
}

// months counts whole months from a to b.
func months(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return max(m, 0)
}

func formatNumber(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// items returns the card's item results, with names and parents from the catalog through s
// (nil: none). The slice is s's, valid until its next call.
func (v *view) items(s *scratch) []item {
	x := v.d.Exam
	if x == nil || x.Record == nil {
		return nil
	}
	out, _ := items(x, x.Record, x.Record.Parties, s, false)
	return out
}

// items returns the exam's item results (with names and parents from the catalog through s,
// nil: none) and the groups refused or not done as a whole; groupsOnly skips the items.
func items(x *app.Exam, r *app.ExamRecord, parties *app.ExamParties, s *scratch, groupsOnly bool) ([]item, []string) {
	// group returns a group's name (the signed one, else the first ordered item's, else its
	// code) and department (the last ordered item's): exams order a handful of groups.
	group := func(g string) (name, dept string) {
		if parties != nil {
			name = parties.GroupNames[g]
		}
		for _, it := range x.Items {
			if it.GroupCode == g {
				if name == "" {
					name = it.Name
				}
				dept = it.Department
			}
		}
		if name == "" {
			name = g
		}
		return name, dept
	}
	var out []item
	if !groupsOnly {
		if s != nil {
			out = s.itemBuf[:0]
		}
		out = slices.Grow(out, len(r.Results))
	}
	var refused []string
	var lastGroup, lastName, lastDept string
	for _, res := range r.Results {
		if res.ItemCode == "" {
			if res.Status != app.ResultDone {
				name, _ := group(res.GroupCode)
				refused = append(refused, name+"（"+res.Status.Name()+"）")
			}
			continue
		}
		if groupsOnly {
			continue
		}
		if res.GroupCode != lastGroup || lastName == "" {
			lastGroup = res.GroupCode
			lastName, lastDept = group(res.GroupCode)
		}
		it := item{Code: res.ItemCode, Group: lastName, Department: lastDept, Kind: res.Kind,
			Status: res.Status, Unit: res.Unit, Flag: res.Flag, Doctor: res.Doctor}
		var ic itemCode
		if s != nil {
			ic = s.itemCode(res.ItemCode)
			it.Date = s.date(res.Time)
		} else {
			it.Date = date(res.Time)
		}
		if parties != nil {
			it.Name = parties.ItemNames[res.ItemCode]
		}
		if it.Name == "" {
			it.Name = ic.name
		}
		if it.Name == "" {
			it.Name = res.Range.Name
		}
		it.Parent = ic.top
		if it.Parent == "" {
			it.Parent = it.Group
		}
		if it.Unit == "" {
			it.Unit = res.Range.Unit
		}
		if res.Kind == app.ResultNumeric {
			if s != nil {
				it.Min, it.Max = s.number(res.Range.Low), s.number(res.Range.High)
			} else {
				it.Min, it.Max = formatNumber(res.Range.Low), formatNumber(res.Range.High)
			}
		}
		switch res.Status {
		case app.ResultDone:
			it.Value = res.Value
			_, chest := codeTables["chest_item"].byCode[res.ItemCode]
			switch {
			case chest && res.Kind == app.ResultCode && len(res.Value) == 1 && res.Value[0] >= '0' && res.Value[0] <= '3':
				it.Abnormal = res.Value
			case res.Flag.Abnormal():
				it.Abnormal = "1"
			default:
				it.Abnormal = "0"
			}
		default:
			it.Value, it.Abnormal = res.Status.Name(), "3"
		}
		out = append(out, it)
	}
	if s != nil && !groupsOnly {
		s.itemBuf = out
	}
	return out, refused
}

// topItem returns the name of the top node of the 健康指标 tree above code (检查指标名称一级节点).
func topItem(codes app.CodeLookup, code string) string {
	if codes == nil {
		return ""
	}
	top := code
	for i := 0; i < 6; i++ {
		p := codes.CodeParent(app.CatalogItems, top)
		if p == "" {
			break
		}
		top = p
	}
	n, _ := codes.CodeName(app.CatalogItems, top)
	return n
}

// batchEmployer is one distinct employer or 用工单位 of a batch, with the cards that name it.
type batchEmployer struct {
	key   string
	party party
	cards []string
}

func (x batchEmployer) subject() string {
	s := "用人单位“" + x.party.Name + "”"
	if len(x.cards) > 0 {
		s += "（个案卡 " + x.cards[0]
		if len(x.cards) > 1 {
			s += "等 " + strconv.Itoa(len(x.cards)) + " 份"
		}
		s += "）"
	}
	return s
}

// cardRef is what a batch's shared documents read of one card: its number, DocumentId and
// parties (from its view, or from its seal's Parties).
type cardRef struct {
	Number, DocumentID string
	Employer           party
	Host               *party // nil without a 用工单位
	view               *view  // when made from a view
}

// viewRefs are the refs of a batch's views (cards without an exam have none).
func viewRefs(views []*view) []cardRef {
	refs := make([]cardRef, 0, len(views))
	for _, v := range views {
		if v.d.Exam == nil {
			continue
		}
		r := cardRef{Number: v.Number, DocumentID: v.DocumentID, Employer: v.Employer, view: v}
		if v.d.Exam.HostEmployerID != 0 {
			h := v.Host
			r.Host = &h
		}
		refs = append(refs, r)
	}
	return refs
}

// batchEmployers lists the employers and 用工单位 of a batch by credit code (by name when a
// code is missing), in key order.
func batchEmployers(refs []cardRef) []batchEmployer {
	idx := map[string]int{}
	var out []batchEmployer
	add := func(p party, card string) {
		key := p.Credit
		if key == "" {
			key = "名称:" + p.Name
		}
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, batchEmployer{key: key, party: p})
		}
		if c := out[i].cards; len(c) == 0 || c[len(c)-1] != card {
			out[i].cards = append(c, card)
		}
	}
	for _, r := range refs {
		add(r.Employer, r.Number)
		if r.Host != nil {
			add(*r.Host, r.Number)
		}
	}
	slices.SortFunc(out, func(a, b batchEmployer) int { return strings.Compare(a.key, b.key) })
	return out
}

// otherJobCode is the job code table's plain 其他 (spec.txt 4637).
const otherJobCode = "99-9999"
