package cards

import (
	"slices"
	"strconv"
	"strings"

	"occhealth/app"
)

// Hubei is the Hubei-style provincial structure of REFERENCE §6.3 (a real upload of 2021 was
// seen; its code semantics are mostly unverified and marked U in elements_hubei.tsv and
// codes.tsv): one XML per batch with body/reportCardList/reportCard* and
// body/employerList/employer*. It is the second adapter, and all it takes is this file, its
// element table and its code tables.
type Hubei struct{}

var hubeiSchema = mustSchema("elements_hubei.tsv", "湖北省职业健康检查个案卡")

func init() { Register(Hubei{}) }

// Format returns app.CardFormatHubei.
func (Hubei) Format() string { return app.CardFormatHubei }

// Title returns the format's Chinese name.
func (Hubei) Title() string { return "湖北省平台格式" }

// Schemas returns the element table.
func (Hubei) Schemas() []*Schema { return []*Schema{hubeiSchema} }

// Documents encodes the batch as one document. Cards are encoded in parallel into parts and
// joined in order: each part is validated against the same table.
func (Hubei) Documents(b *Batch) []Document {
	parts := make([]*encoder, len(b.views))
	parallelW(len(b.views), b.workers, func(w, i int) {
		s := b.scratch(w)
		e := newEncoder(hubeiSchema, s.lookup(), make([]byte, 0, 8192))
		// Enter data/body/reportCardList silently so the part validates in place.
		e.stack = []frame{frameOf(hubeiSchema.Root), frameOf(hubeiSchema.Root.Children[1]), frameOf(hubeiSchema.Root.Children[1].Children[0])}
		e.buf = e.buf[:0]
		hubeiCard(e, s, b.views[i])
		e.stack = e.stack[:0]
		parts[i] = e
	})
	e := newEncoder(hubeiSchema, b.lookup(), nil)
	var s app.CardSettings
	var orgCode, orgName, orgArea, reportDate string
	if len(b.views) > 0 {
		v := b.views[0]
		s, orgCode, orgName, orgArea, reportDate = v.Settings, v.OrgCode, v.OrgName, v.OrgArea, v.ReportDate
	}
	var problems []Problem
	e.Open("data")
	e.Open("header")
	e.Leaf("batchId", b.ID)
	e.Leaf("orgCode", orgCode)
	e.Leaf("reportZoneCode", s.ReportZoneCode)
	e.Leaf("license", s.License)
	e.Leaf("cardCount", strconv.Itoa(len(b.views)))
	e.Close()
	e.Open("body")
	e.Open("reportCardList")
	f := &e.stack[len(e.stack)-1]
	total := 0
	for _, p := range parts {
		total += len(p.buf)
	}
	e.buf = slices.Grow(e.buf, total+len(b.views)*64+64<<10)
	for _, p := range parts {
		e.buf = append(e.buf, p.buf...)
		f.counts[0]++ // reportCard
		problems = append(problems, p.problems...)
	}
	e.Close()
	e.Open("employerList")
	for _, x := range batchEmployers(viewRefs(b.views)) {
		p := x.party
		e.about("", x.subject())
		e.Open("employer")
		e.Leaf("creditCode", p.Credit)
		e.Leaf("employerName", p.Name)
		e.Leaf("orgCode", orgCode)
		e.Leaf("orgName", orgName)
		e.Leaf("areaCode", p.Area)
		e.Leaf("economicTypeCode", p.Economic)
		e.Leaf("industryCategoryCode", p.Industry)
		e.Leaf("enterpriseSizeCode", p.Size)
		e.Leaf("address", p.Address)
		e.Leaf("addressZipCode", p.Zip)
		e.Leaf("contactPerson", p.Contact)
		e.Leaf("contactPhone", p.Phone)
		e.Leaf("isSubsidiary", "0")
		e.Leaf("secondEmployerCode", "")
		e.Leaf("createAreaCode", orgArea)
		e.Leaf("writeUnit", orgName)
		e.Leaf("writePerson", s.Writer)
		e.Leaf("writePersonTel", s.WriterPhone)
		e.Leaf("writeDate", reportDate)
		e.Leaf("reportUnit", orgName)
		e.Leaf("reportPerson", s.Reporter)
		e.Leaf("reportPersonTel", s.ReporterPhone)
		e.Leaf("reportDate", reportDate)
		e.Leaf("auditStatus", "01")
		e.Leaf("auditInfo", "")
		e.Leaf("auditTime", "")
		e.Leaf("auditorName", "")
		e.Close()
	}
	e.about("", "")
	data := e.End()
	return []Document{{Name: b.ID + ".xml", Data: data, Problems: append(problems, e.problems...)}}
}

func frameOf(el *Element) frame {
	return frame{el: el, counts: make([]int, len(el.Children)), values: make([]string, len(el.Children))}
}

func hubeiCard(e *encoder, s *scratch, v *view) {
	e.about(v.Number, v.Subject)
	e.Open("reportCard")
	e.Leaf("operateType", v.Operate)
	e.Leaf("documentId", v.DocumentID)
	w := v.Worker
	e.Open("userInfo")
	e.Leaf("name", w.Name)
	e.Leaf("idcardType", string(w.DocType))
	e.Leaf("idcardCode", w.IDNumber)
	e.Leaf("sexCode", string(w.Sex))
	e.Leaf("birthday", date(w.BirthDate))
	e.Leaf("telPhone", w.Phone)
	e.Leaf("emergencyContactPerson", "")
	e.Leaf("emergencyContactPhone", "")
	e.Leaf("workshop", v.Workshop)
	e.Leaf("jobCode", v.JobCode)
	e.Leaf("otherJobName", v.JobName)
	e.Leaf("radiationType", "")
	e.Leaf("maritalStatusCode", "")
	e.Close()
	p := v.Employer
	e.Open("empInfo")
	e.Leaf("creditCode", p.Credit)
	e.Leaf("employerName", p.Name)
	e.Leaf("economicTypeCode", p.Economic)
	e.Leaf("industryCategoryCode", p.Industry)
	e.Leaf("enterpriseSizeCode", p.Size)
	e.Leaf("areaCode", p.Area)
	e.Leaf("address", p.Address)
	e.Leaf("addressZipCode", p.Zip)
	e.Leaf("contactPerson", p.Contact)
	e.Leaf("employerPhone", p.Phone)
	e.Leaf("areaName", p.AreaName)
	e.Leaf("jobNumber", v.Workshop)
	e.Close()
	h := v.Host
	e.Open("empInfoEmployer")
	e.Leaf("creditCodeEmployer", h.Credit)
	e.Leaf("employerNameEmployer", h.Name)
	e.Leaf("economicTypeCodeEmployer", h.Economic)
	e.Leaf("industryCategoryCodeEmployer", h.Industry)
	e.Leaf("enterpriseSizeCodeEmployer", h.Size)
	e.Leaf("areaCodeEmployer", h.Area)
	e.Leaf("areaNameEmployer", h.AreaName)
	e.Close()
	e.Open("orgInfo")
	e.Leaf("orgCode", v.OrgCode)
	e.Leaf("orgName", v.OrgName)
	e.Close()
	// cardInfo's exposure is the longest of the hazards examined.
	var expY, expM string
	best := -1
	for _, x := range v.Examined {
		if x.Years == "" {
			continue
		}
		y, _ := strconv.Atoi(x.Years)
		m, _ := strconv.Atoi(x.Month)
		if y*12+m > best {
			best, expY, expM = y*12+m, x.Years, x.Month
		}
	}
	var names []string
	for _, x := range v.Examined {
		if c, ok := codeTables["conclusion"].byCode[x.Conclusion.Code]; ok && !contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	e.Open("cardInfo")
	e.Leaf("code", v.Number)
	e.Leaf("type", "101")
	e.Leaf("seniorityYear", v.SeniorityYears)
	e.Leaf("seniorityMonth", v.SeniorityMonths)
	e.Leaf("exposureYear", expY)
	e.Leaf("exposureMonth", expM)
	checkType := "11"
	if v.Recheck {
		checkType = "12"
	}
	e.Leaf("checkType", checkType)
	e.Leaf("bodyCheckType", strings.TrimLeft(v.ExamType, "0"))
	e.Leaf("previousCardId", v.Previous)
	e.Leaf("checkTime", v.ExamDate)
	e.Leaf("writePerson", v.Settings.Writer)
	e.Leaf("writePersonTel", v.Settings.WriterPhone)
	e.Leaf("writeDate", v.SignDate)
	e.Leaf("reportOrgName", v.OrgName)
	e.Leaf("reportTime", v.ReportTime)
	e.Leaf("checkResultCode", strings.Join(names, "、"))
	e.Leaf("suggest", v.Advice)
	e.Leaf("checkDoctor", v.SignedBy)
	e.Leaf("monitorTypeCode", "01")
	e.Leaf("reportUnit", v.OrgName)
	e.Leaf("reportPerson", v.Settings.Reporter)
	e.Leaf("reportPersonTel", v.Settings.ReporterPhone)
	e.Leaf("remark", v.Remark)
	e.Close()
	e.Open("contactHazardFactorList")
	for _, c := range v.Contact {
		e.Open("contactHazardFactor")
		e.Leaf("hazardCode", c)
		e.Leaf("otherHazardName", otherOf(v, c))
		e.Close()
	}
	e.Close()
	e.Open("hazardFactorList")
	for _, x := range v.Examined {
		e.Open("hazardFactor")
		e.Leaf("hazardCode", x.Code)
		e.Leaf("otherHazardName", x.Other)
		e.Leaf("hazardStartDate", x.Start)
		e.Leaf("hazardYear", x.Years)
		e.Leaf("hazardMonth", x.Month)
		e.Close()
	}
	e.Close()
	e.Open("itemList")
	for _, it := range v.items(s) {
		e.Open("item")
		e.Leaf("itemId", it.Code)
		e.Leaf("otherItemName", it.Name)
		e.Leaf("itemGroupName", it.Group)
		e.Leaf("department", it.Department)
		e.Leaf("result", it.Value)
		kind := "3"
		if it.Kind == app.ResultNumeric {
			kind = "2"
		}
		e.Leaf("type", kind)
		e.Leaf("unit", it.Unit)
		e.Leaf("max", it.Max)
		e.Leaf("min", it.Min)
		check, mark := it.Status.Name(), ""
		if it.Status == app.ResultDone {
			check, mark = it.Flag.Name(), "1"
			if it.Flag.Abnormal() {
				mark = "0"
			}
		}
		e.Leaf("checkResult", check)
		e.Leaf("mark", mark)
		e.Leaf("checkDate", it.Date)
		e.Leaf("checkDoctor", it.Doctor)
		e.Close()
	}
	e.Close()
	var recheck *app.RecheckOrder
	groupNames := map[string]string{}
	if x := v.d.Exam; x != nil && x.Record != nil {
		if x.Record.Conclusion != nil {
			recheck = x.Record.Conclusion.Recheck
		}
		if x.Record.Parties != nil {
			groupNames = x.Record.Parties.GroupNames
		}
	}
	e.Open("diagnosisList")
	for _, x := range v.Examined {
		c := x.Conclusion
		e.Open("diagnosis")
		e.Leaf("conclusion", strings.TrimLeft(c.Code, "0"))
		e.Open("repeatItemList")
		if c.Code == app.ConclusionRecheck && recheck != nil {
			for _, g := range recheck.Groups {
				e.Open("repeatItem")
				e.Leaf("repeatItemId", g)
				e.Leaf("otherItemName", groupNames[g])
				e.Close()
			}
		}
		e.Close()
		e.Open("cdtList")
		if c.Code == app.ConclusionContraindication {
			e.Open("cdt")
			e.Leaf("cdtHazardCode", x.Code)
			e.Leaf("cdtOtherHazardName", x.Other)
			e.Leaf("cdtId", c.ContraindicationCode)
			e.Leaf("cdtName", c.Contraindication)
			e.Close()
		}
		e.Close()
		e.Open("sptList")
		if c.Code == app.ConclusionSuspected {
			e.Open("spt")
			e.Leaf("sptHazardCode", x.Code)
			e.Leaf("sptOtherHazardName", x.Other)
			e.Leaf("sptId", c.DiseaseCode)
			e.Close()
		}
		e.Close()
		e.Open("otherList")
		if c.Code == app.ConclusionOther {
			e.Leaf("other", c.Other)
		}
		e.Close()
		e.Close()
	}
	e.Close()
	var in app.Inquiry
	if x := v.d.Exam; x != nil && x.Record != nil && x.Record.Inquiry != nil {
		in = *x.Record.Inquiry
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	e.Open("healthSurvey")
	e.Leaf("surveyDate", date(in.Date))
	e.Leaf("smkSituation", in.Smoking.Status)
	e.Leaf("smkNum", num(in.Smoking.PerDay))
	e.Leaf("smkYear", num(in.Smoking.Years))
	e.Leaf("drkSituation", in.Drinking.Status)
	e.Leaf("drkNum", num(in.Drinking.PerDay))
	e.Leaf("drkYear", num(in.Drinking.Years))
	e.Leaf("childrenNum", num(in.Children))
	e.Leaf("abortionNum", num(in.Abortions))
	e.Leaf("stillbirthNum", num(in.Stillbirths))
	e.Leaf("prematureBirthNum", num(in.Premature))
	e.Leaf("abnormalFetalNum", num(in.AbnormalFetal))
	e.Leaf("menarcheAge", num(in.MenarcheAge))
	e.Leaf("period", in.PeriodDays)
	e.Leaf("cycle", in.CycleDays)
	e.Leaf("menopauseAge", num(in.MenopauseAge))
	e.Close()
	e.Close()
}

func otherOf(v *view, code string) string {
	if _, ok := codeTables["other_hazard"].byCode[code]; !ok {
		return ""
	}
	for _, e := range v.Worker.Exposures {
		if e.HazardCode == code {
			return e.HazardName
		}
	}
	return ""
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
