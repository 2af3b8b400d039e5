package cardcheck

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"occhealth/app"
)

// Screens where the user fixes a finding (app.CardIssue.Screen).
const (
	ScreenEmployer     = "employer"
	ScreenWorker       = "worker"
	ScreenRecording    = "recording"
	ScreenConclude     = "conclude"
	ScreenInstitution  = "institution"
	ScreenCardSettings = "card_settings"
)

// checker collects the findings of one card.
type checker struct {
	d      app.CardData
	codes  app.CodeLookup
	th     Thresholds
	issues []app.CardIssue
}

func (c *checker) add(level, field, screen string, id int64, format string, args ...any) {
	c.issues = append(c.issues, app.CardIssue{Level: level, Field: field, Message: fmt.Sprintf(format, args...), Screen: screen, EntityID: id})
}

func (c *checker) err(field, screen string, id int64, format string, args ...any) {
	c.add(app.LevelError, field, screen, id, format, args...)
}

func (c *checker) warn(field, screen string, id int64, format string, args ...any) {
	c.add(app.LevelWarning, field, screen, id, format, args...)
}

// lookup reports whether code is in catalog; true when no catalogs are given.
func (c *checker) lookup(catalog, code string) bool {
	if c.codes == nil {
		return true
	}
	_, ok := c.codes.CodeName(catalog, code)
	return ok
}

// Check runs every pre-flight rule on one card and returns the findings, errors first in
// rule order. codes may be nil (code existence is then not checked).
func Check(d app.CardData, codes app.CodeLookup, th Thresholds) []app.CardIssue {
	c := &checker{d: d, codes: codes, th: th}
	if d.Exam == nil || d.Exam.Record == nil {
		c.err("体检", ScreenRecording, d.Card.ExamID, "体检 %s 的记录无法读取", d.Card.ExamNumber)
		return c.issues
	}
	for _, rule := range Rules {
		rule.Fn(c)
	}
	slices.SortStableFunc(c.issues, func(a, b app.CardIssue) int {
		if a.Level == b.Level {
			return 0
		}
		if a.Level == app.LevelError {
			return -1
		}
		return 1
	})
	return c.issues
}

// Count returns the numbers of errors and warnings.
func Count(issues []app.CardIssue) (errors, warnings int) {
	for _, x := range issues {
		if x.Level == app.LevelError {
			errors++
		} else {
			warnings++
		}
	}
	return
}

// Rule is one pre-flight rule.
type Rule struct {
	Name string
	Fn   func(*checker)
}

// Rules are the pre-flight rules in order; each has its own test.
var Rules = []Rule{
	{"parties", checkParties},
	{"employer", checkEmployer},
	{"host_employer", checkHostEmployer},
	{"worker", checkWorker},
	{"exposure", checkExposure},
	{"exam", checkExam},
	{"recheck", checkRecheck},
	{"items", checkItems},
	{"conclusions", checkConclusions},
	{"suspected_disease", checkSuspectedDisease},
	{"institution", checkInstitution},
	{"settings", checkSettings},
	{"dates", checkDates},
	{"age", checkAge},
	{"exposure_years", checkExposureYears},
	{"release_delay", checkReleaseDelay},
}

// errMsg is the message of an *app.Error without its field.
func errMsg(err error) string {
	var e *app.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// phoneProblem returns what is wrong with a telephone number (AN..20), "" when nothing.
func phoneProblem(p string) string {
	if len(p) > 20 {
		return "最多 20 位"
	}
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == '+' || r == ' ' || r == '(' || r == ')':
		default:
			return fmt.Sprintf("含有不允许的字符“%c”", r)
		}
	}
	if digits < 7 {
		return "号码过短"
	}
	return ""
}

// text checks a required (or optional) text of at most max characters.
func (c *checker) text(field, screen string, id int64, who, v string, max int, required bool) {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		c.err(field, screen, id, "%s未填写", who)
	case runes(v) > max:
		c.err(field, screen, id, "%s最多 %d 个字（现为 %d 个）", who, max, runes(v))
	}
}

func (c *checker) phone(field, screen string, id int64, who, v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		c.err(field, screen, id, "%s未填写", who)
		return
	}
	if p := phoneProblem(v); p != "" {
		c.err(field, screen, id, "%s“%s”%s", who, v, p)
	}
}

// areaProblem checks an area code: 6 digits (county; the card writes it with 000 as the
// 9-digit township code) or 9 digits, its county part in the area catalog (a warning only:
// codes change yearly).
func (c *checker) area(field, screen string, id int64, who, code string) {
	if !(len(code) == 6 || len(code) == 9) || !allDigits(code) {
		c.err(field, screen, id, "%s“%s”应为 6 位或 9 位行政区划代码", who, code)
		return
	}
	if !c.lookup(app.CatalogAreas, code[:6]) {
		c.warn(field, screen, id, "%s“%s”不在内置行政区划表中，请核实", who, code)
	}
}

func (c *checker) parties() *app.ExamParties { return c.d.Exam.Record.Parties }

// checkParties: the card is read from the parties as signed; without them nothing can be sent.
func checkParties(c *checker) {
	if c.parties() == nil {
		c.err("体检", ScreenConclude, c.d.Exam.ID, "体检 %s 没有签名时的劳动者和单位信息（尚未签名）", c.d.Exam.Number)
	}
}

func (c *checker) enterprise(e *app.Employer, id int64, role, suffix string) {
	s := ScreenEmployer
	name := role
	if e.Name != "" {
		name = role + "“" + e.Name + "”"
	}
	c.text("ENTERPRISE_NAME"+suffix+" "+role+"名称", s, id, role+"名称", e.Name, 70, true)
	if _, err := app.CheckCreditCode(e.CreditCode); err != nil {
		c.err("CREDIT_CODE"+suffix+" 统一社会信用代码", s, id, "%s的统一社会信用代码“%s”%s", name, e.CreditCode, errMsg(err))
	}
	ind := e.IndustryCode
	if len(ind) != 4 || !allDigits(ind) {
		c.err("INDUSTRY_CATEGORY_CODE"+suffix+" 行业类别", s, id, "%s的行业类别“%s”应为 GB/T 4754-2017 的 4 位小类代码", name, ind)
	} else if !c.lookup(app.CatalogIndustry, ind) {
		c.err("INDUSTRY_CATEGORY_CODE"+suffix+" 行业类别", s, id, "%s的行业类别“%s”不是 GB/T 4754-2017 的小类代码", name, ind)
	}
	optional := c.codes != nil && app.EconomicTypeOptional(c.codes, ind)
	switch {
	case e.EconomicTypeCode == "" && !optional:
		c.err("ECONOMIC_TYPE_CODE"+suffix+" 经济类型", s, id, "%s的经济类型未填写", name)
	case e.EconomicTypeCode != "" && (len(e.EconomicTypeCode) != 3 || !allDigits(e.EconomicTypeCode)):
		c.err("ECONOMIC_TYPE_CODE"+suffix+" 经济类型", s, id, "%s的经济类型“%s”应为 3 位代码", name, e.EconomicTypeCode)
	case e.EconomicTypeCode != "" && !c.lookup(app.CatalogEconomicType, e.EconomicTypeCode):
		c.err("ECONOMIC_TYPE_CODE"+suffix+" 经济类型", s, id, "%s的经济类型“%s”不是 GB/T 12402-2000 代码", name, e.EconomicTypeCode)
	}
	switch {
	case e.SizeCode == "" && !optional:
		c.err("BUSINESS_SCALE_CODE"+suffix+" 企业规模", s, id, "%s的企业规模未填写", name)
	case e.SizeCode != "" && (len(e.SizeCode) != 2 || !allDigits(e.SizeCode)):
		c.err("BUSINESS_SCALE_CODE"+suffix+" 企业规模", s, id, "%s的企业规模“%s”应为 2 位代码", name, e.SizeCode)
	case e.SizeCode != "" && !c.lookup(app.CatalogEnterpriseSize, e.SizeCode):
		c.err("BUSINESS_SCALE_CODE"+suffix+" 企业规模", s, id, "%s的企业规模“%s”不是企业规模代码", name, e.SizeCode)
	}
	c.area("ADDRESS_CODE"+suffix+" 所属地区", s, id, name+"的所属地区代码", e.AreaCode)
}

// checkEmployer: the 用人单位 (ENTERPRISE_INFO): name AN..70, credit code (GB 32100 with its
// check character), economic type N3, industry N..4 (小类), size N2 (both optional for 门类 S
// and T), area N9, address AN..70, contact A..50, phone AN..20.
func checkEmployer(c *checker) {
	p := c.parties()
	if p == nil {
		return
	}
	e, id := &p.Employer, c.d.Exam.EmployerID
	c.enterprise(e, id, "用人单位", "")
	name := "用人单位“" + e.Name + "”"
	c.text("ADDRESS_DETAIL 详细地址", ScreenEmployer, id, name+"的详细地址", e.Address, 70, true)
	c.text("ENTERPRISE_CONTACT 单位联系人", ScreenEmployer, id, name+"的联系人", e.ContactPerson, 50, true)
	c.phone("CONTACT_TELPHONE 单位联系电话", ScreenEmployer, id, name+"的联系电话", e.ContactPhone)
	if e.ZipCode != "" && (len(e.ZipCode) != 6 || !allDigits(e.ZipCode)) {
		c.err("ADDRESS_ZIP_CODE 邮政编码", ScreenEmployer, id, "%s的邮政编码“%s”应为 6 位数字", name, e.ZipCode)
	}
}

// checkHostEmployer: the 用工单位 (ENTERPRISE_INFO_EMPLOYER) of dispatched labour; the card
// repeats the 用人单位 when there is none.
func checkHostEmployer(c *checker) {
	p := c.parties()
	if p == nil || p.HostEmployer == nil {
		return
	}
	c.enterprise(p.HostEmployer, c.d.Exam.HostEmployerID, "用工单位", "_EMPLOYER")
}

// checkWorker: WORKER_INFO: name A..50, ID type N2 (WS 364.3; local types mapped by the
// adapters), number AN..18 (GB 11643 check for resident IDs), sex N1, birth date D8, phone AN..20.
func checkWorker(c *checker) {
	p := c.parties()
	if p == nil {
		return
	}
	w, id := &p.Worker, c.d.Exam.WorkerID
	s := ScreenWorker
	c.text("WORKER_NAME 姓名", s, id, "劳动者姓名", w.Name, 50, true)
	who := "劳动者“" + w.Name + "”"
	if !w.DocType.Valid() {
		c.err("ID_CARD_TYPE_CODE 证件类型", s, id, "%s的证件类型“%s”不是证件类型代码", who, w.DocType)
	}
	switch {
	case strings.TrimSpace(w.IDNumber) == "":
		c.err("ID_CARD 证件号码", s, id, "%s的证件号码未填写", who)
	case len(w.IDNumber) > 18:
		c.err("ID_CARD 证件号码", s, id, "%s的证件号码最多 18 位", who)
	case w.DocType.Checked():
		if _, err := app.ParseIDNumber(w.DocType, w.IDNumber, c.d.Exam.Date.AddDate(1, 0, 0)); err != nil {
			c.err("ID_CARD 证件号码", s, id, "%s的证件号码“%s”：%s", who, w.IDNumber, errMsg(err))
		}
	}
	if w.Sex != app.SexMale && w.Sex != app.SexFemale && w.Sex != app.SexUnknown && w.Sex != app.SexUnspecified {
		c.err("GENDER_CODE 性别", s, id, "%s的性别未填写", who)
	}
	if w.BirthDate.IsZero() {
		c.err("BIRTH_DATE 出生日期", s, id, "%s的出生日期未填写", who)
	}
	c.phone("WORKER_TELPHONE 联系电话", s, id, who+"的联系电话", w.Phone)
}

// exposureOf returns the worker's exposure to hazard (the earliest start), if recorded.
func exposureOf(w *app.Worker, hazard string) (app.Exposure, bool) {
	var out app.Exposure
	found := false
	for _, x := range w.Exposures {
		if x.HazardCode != hazard {
			continue
		}
		if !found || (!x.Start.IsZero() && (out.Start.IsZero() || x.Start.Before(out.Start))) {
			out, found = x, true
		}
	}
	return out, found
}

func (c *checker) hazardName(code string) string {
	if p := c.parties(); p != nil && p.HazardNames[code] != "" {
		return p.HazardNames[code]
	}
	if c.codes != nil {
		if n, ok := c.codes.CodeName(app.CatalogHazards, code); ok {
			return n
		}
	}
	return code
}

// isOtherHazard reports whether code is an 其他 entry (1099, 2999 …) that needs a name.
func isOtherHazard(code string) bool { return len(code) == 4 && strings.HasSuffix(code, "99") }

// checkExposure: CONTACT_FACTOR_CODE and FACTOR_CODE (N..4 national hazard codes, an 其他
// factor with its name AN..20), and per examined hazard HARM_START_DATE (required except
// for 上岗前) with the exposure years N..2.
func checkExposure(c *checker) {
	e := c.d.Exam
	p := c.parties()
	if len(e.Hazards) == 0 {
		c.err("FACTOR_CODE 体检危害因素", ScreenRecording, e.ID, "体检 %s 没有危害因素", e.Number)
	}
	for _, h := range e.Hazards {
		if len(h) > 4 || !allDigits(h) || !c.lookup(app.CatalogHazards, h) {
			c.err("FACTOR_CODE 体检危害因素", ScreenRecording, e.ID, "体检危害因素“%s”不是国家危害因素代码", h)
		}
	}
	if p == nil {
		return
	}
	w := &p.Worker
	for i, x := range w.Exposures {
		if x.HazardCode == "" {
			continue
		}
		if !c.lookup(app.CatalogHazards, x.HazardCode) {
			c.err("CONTACT_FACTOR_CODE 接触的危害因素", ScreenWorker, e.WorkerID, "接害史第 %d 行的危害因素“%s”不是国家危害因素代码", i+1, x.HazardCode)
		}
		if isOtherHazard(x.HazardCode) {
			c.text("CONTACT_FACTOR_OTHER 接触的其他危害因素", ScreenWorker, e.WorkerID, fmt.Sprintf("接害史第 %d 行的其他危害因素名称", i+1), x.HazardName, 20, true)
		}
	}
	for _, h := range e.Hazards {
		x, ok := exposureOf(w, h)
		if isOtherHazard(h) && (!ok || strings.TrimSpace(x.HazardName) == "") {
			c.err("FACTOR_OTHER 体检的其他危害因素", ScreenWorker, e.WorkerID, "体检危害因素“%s”为其他类，请在接害史中写明名称", c.hazardName(h))
		}
		if e.Type == app.ExamPreEmployment {
			continue
		}
		if !ok || x.Start.IsZero() {
			c.err("HARM_START_DATE 开始接害日期", ScreenWorker, e.WorkerID, "%s体检须填写“%s”的开始接害日期（劳动者接害史中没有）", e.Type.Name(), c.hazardName(h))
		}
	}
}

// checkExam: EXAM_TYPE_CODE N2, EXAM_DATE D8, WORK_TYPE_CODE AN..7 (or OTHER_WORK_TYPE AN..20),
// a signed and reviewed conclusion, and a release.
func checkExam(c *checker) {
	e := c.d.Exam
	if !e.Type.Valid() {
		c.err("EXAM_TYPE_CODE 体检类型", ScreenRecording, e.ID, "体检类型“%s”不是体检类型代码", e.Type)
	}
	if e.Date.IsZero() {
		c.err("EXAM_DATE 体检日期", ScreenRecording, e.ID, "体检日期未填写")
	}
	switch {
	case e.JobCode == "" && strings.TrimSpace(e.JobName) == "":
		c.err("WORK_TYPE_CODE 工种", ScreenRecording, e.ID, "体检 %s 未填写工种", e.Number)
	case e.JobCode != "" && (len(e.JobCode) > 7 || !c.lookup(app.CatalogJobs, e.JobCode)):
		c.err("WORK_TYPE_CODE 工种", ScreenRecording, e.ID, "工种“%s”不是工种代码", e.JobCode)
	case e.JobCode == "" && runes(strings.TrimSpace(e.JobName)) > 20:
		c.err("OTHER_WORK_TYPE 其他工种名称", ScreenRecording, e.ID, "其他工种名称“%s”最多 20 个字", e.JobName)
	}
	r := e.Record
	if r.Signature == nil {
		c.err("体检结论", ScreenConclude, e.ID, "体检 %s 的主检结论尚未签名", e.Number)
	}
	if len(r.Releases) == 0 && e.State != app.ExamVoided {
		c.err("报告日期", ScreenRecording, e.ID, "体检 %s 的报告尚未发放", e.Number)
	}
}

// checkRecheck: a 复查 (IS_REVIEW 1) refers to the earlier exam's card.
func checkRecheck(c *checker) {
	e := c.d.Exam
	if !e.Recheck {
		return
	}
	switch {
	case e.PreviousExamID == 0:
		c.err("IS_REVIEW 是否复查", ScreenRecording, e.ID, "复查体检 %s 没有关联被复查的上次体检", e.Number)
	case c.d.Previous == nil:
		c.err("IS_REVIEW 是否复查", ScreenRecording, e.PreviousExamID, "复查体检 %s：找不到被复查的上次体检的个案卡", e.Number)
	case c.d.Previous.DocumentID == "" || c.d.Previous.Status == app.CardPending:
		c.warn("IS_REVIEW 是否复查", ScreenRecording, e.PreviousExamID, "复查体检 %s：上次体检 %s 的个案卡尚未上报，请先上报上次的个案卡", e.Number, c.d.Previous.ExamNumber)
	}
}

// checkItems: EXAM_ITEM_RESULT per done result: EXAM_ITEM_CODE N7 (健康指标), result type,
// result AN..500, for numbers the unit AN..50 and the range (N..5), and ABNORMAL.
func checkItems(c *checker) {
	e := c.d.Exam
	n := 0
	for _, x := range e.Record.Results {
		if x.ItemCode == "" || x.Status != app.ResultDone {
			continue
		}
		n++
		item := x.ItemCode
		if p := c.parties(); p != nil && p.ItemNames[x.ItemCode] != "" {
			item = p.ItemNames[x.ItemCode] + "（" + x.ItemCode + "）"
		}
		if len(x.ItemCode) != 7 || !allDigits(x.ItemCode) || !c.lookup(app.CatalogItems, x.ItemCode) {
			c.err("EXAM_ITEM_CODE 检查项目代码", ScreenRecording, e.ID, "检查项目“%s”不是 7 位健康指标代码", x.ItemCode)
			continue
		}
		if !x.Kind.Valid() {
			c.err("EXAM_RESULT_TYPE 检查结果类型", ScreenRecording, e.ID, "%s 的结果类型未设置", item)
		}
		if strings.TrimSpace(x.Value) == "" {
			c.err("EXAM_RESULT 检查结果", ScreenRecording, e.ID, "%s 已检但没有结果", item)
		} else if runes(x.Value) > 500 {
			c.err("EXAM_RESULT 检查结果", ScreenRecording, e.ID, "%s 的结果超过 500 字", item)
		}
		if x.Kind == app.ResultNumeric {
			unit := x.Unit
			if unit == "" {
				unit = x.Range.Unit
			}
			hasRange := x.Range.Low != nil || x.Range.High != nil
			switch {
			case strings.TrimSpace(unit) == "" && !hasRange:
				// A range without a unit is a dimensionless item (pH, 比重): no unit to send.
				c.err("EXAM_ITEM_UNIT_CODE 计量单位", ScreenRecording, e.ID, "%s 为数值结果，须有计量单位", item)
			case runes(unit) > 50:
				c.err("EXAM_ITEM_UNIT_CODE 计量单位", ScreenRecording, e.ID, "%s 的计量单位超过 50 字", item)
			}
			if !hasRange {
				// The spec's sample: 只有检查结果为数字类型的需要填写，没有时可不填写.
				c.warn("REFERENCE_RANGE 参考值范围", ScreenRecording, e.ID, "%s 为数值结果，没有参考值范围，上报时该项留空（参考值表中没有该项目时，请管理员补充参考值范围）", item)
			} else if x.Flag == app.FlagNone && x.Qualifier() == app.QualNone {
				c.warn("ABNORMAL 是否异常", ScreenRecording, e.ID, "%s 未判定是否异常", item)
			}
		}
	}
	if n == 0 {
		c.err("EXAM_ITEM_RESULT 检查项目结果", ScreenRecording, e.ID, "体检 %s 没有任何检查结果", e.Number)
	}
}

// checkConclusions: EXAM_CONCLUSION per examined hazard: code N2 of 体检结论代码表, and what the
// code names: YSZYB_CODE for 疑似职业病, ZYJJZ_NAME (AN..500) for 职业禁忌证, QTJB_NAME (AN..500)
// for 其他疾病或异常.
func checkConclusions(c *checker) {
	e := c.d.Exam
	concl := e.Record.Conclusion
	if concl == nil {
		c.err("EXAM_CONCLUSION 体检结论", ScreenConclude, e.ID, "体检 %s 没有主检结论", e.Number)
		return
	}
	seen := map[string]bool{}
	for _, h := range concl.Hazards {
		seen[h.Hazard] = true
		name := c.hazardName(h.Hazard)
		if !c.lookup(app.CatalogConclusions, h.Code) || len(h.Code) != 2 {
			c.err("EXAM_CONCLUSION_CODE 体检结论代码", ScreenConclude, e.ID, "%s 的结论代码“%s”不在体检结论代码表中", name, h.Code)
			continue
		}
		switch h.Code {
		case app.ConclusionSuspected:
			if h.DiseaseCode == "" {
				c.err("YSZYB_CODE 疑似职业病", ScreenConclude, e.ID, "%s 的结论为疑似职业病，须选择疑似的职业病（代码）", name)
			}
		case app.ConclusionContraindication:
			c.text("ZYJJZ_NAME 职业禁忌证名称", ScreenConclude, e.ID, name+" 的职业禁忌证名称", h.Contraindication, 500, true)
		case app.ConclusionOther:
			c.text("QTJB_NAME 其他疾病或异常", ScreenConclude, e.ID, name+" 的其他疾病或异常描述", h.Other, 500, true)
		}
	}
	for _, h := range e.Hazards {
		if !seen[h] {
			c.err("EXAM_CONCLUSION 体检结论", ScreenConclude, e.ID, "%s 没有体检结论", c.hazardName(h))
		}
	}
}

// diseaseCatalog is the disease catalog in force on the exam date.
func (c *checker) diseaseCatalog() string {
	if !c.th.DiseaseEditionFrom.IsZero() && c.d.Exam.Date.Before(c.th.DiseaseEditionFrom) {
		return app.CatalogDiseases2013
	}
	return app.CatalogDiseases2024
}

// hazardDiseases finds the diseases of hazard: an entry for the code, else for its parents.
func (c *checker) hazardDiseases(hazard string) (HazardDiseases, bool) {
	for code, i := hazard, 0; code != "" && i < 5; i++ {
		for _, x := range c.th.HazardDiseases {
			if x.Hazard == code {
				return x, true
			}
		}
		if c.codes == nil {
			break
		}
		code = c.codes.CodeParent(app.CatalogHazards, code)
	}
	return HazardDiseases{}, false
}

// checkSuspectedDisease: the suspected disease is a code of the disease catalog in force on
// the exam date and one of its hazard's diseases (hazard_diseases of the thresholds).
func checkSuspectedDisease(c *checker) {
	e := c.d.Exam
	if e.Record.Conclusion == nil {
		return
	}
	cat := c.diseaseCatalog()
	for _, h := range e.Record.Conclusion.Hazards {
		if h.Code != app.ConclusionSuspected || h.DiseaseCode == "" {
			continue
		}
		name := c.hazardName(h.Hazard)
		if !c.lookup(cat, h.DiseaseCode) {
			c.err("YSZYB_CODE 疑似职业病", ScreenConclude, e.ID, "%s 的疑似职业病代码“%s”不在%s职业病目录中", name, h.DiseaseCode, map[string]string{app.CatalogDiseases2013: "2013 版", app.CatalogDiseases2024: "2024 版"}[cat])
			continue
		}
		hd, ok := c.hazardDiseases(h.Hazard)
		if !ok || c.codes == nil {
			continue
		}
		belongs := false
		for code, i := h.DiseaseCode, 0; code != "" && i < 5 && !belongs; i++ {
			belongs = slices.Contains(hd.Diseases, code)
			code = c.codes.CodeParent(cat, code)
		}
		if !belongs {
			disease := h.Disease
			if disease == "" {
				disease = h.DiseaseCode
			}
			c.add(c.th.SuspectedLevel, "YSZYB_CODE 疑似职业病", ScreenConclude, e.ID, "疑似职业病“%s”不属于危害因素“%s”可致的职业病，请核对结论（对照表：%s）", disease, name, statusWord(hd.Status))
		}
	}
}

func statusWord(s string) string {
	switch s {
	case "V":
		return "已核实"
	case "P":
		return "部分核实"
	}
	return "待核实"
}

// checkInstitution: AREA_CODE N9 and ORG_CODE N9 (创建地区、创建机构), REPORT_UNIT AN..70.
func checkInstitution(c *checker) {
	in := c.d.Institution
	if in == nil {
		c.err("ORG_CODE 创建机构代码", ScreenInstitution, 0, "未读取到本机构信息")
		return
	}
	c.text("REPORT_UNIT 报告单位名称", ScreenInstitution, 0, "本机构名称", in.Name, 70, true)
	if len(in.Code) != 9 || !allDigits(in.Code) {
		c.err("ORG_CODE 创建机构代码", ScreenInstitution, 0, "本机构编码“%s”应为 9 位数字", in.Code)
	}
	c.area("AREA_CODE 创建地区代码", ScreenInstitution, 0, "本机构所在地区代码", in.AreaCode)
}

// checkSettings: the header's ReportZoneCode, ReportOrgCode and License as the platform issued
// them, and WRITE_PERSON / REPORT_PERSON (A..50) with their phones (AN..20).
func checkSettings(c *checker) {
	s := c.d.Settings
	sc := ScreenCardSettings
	if z := s.ReportZoneCode; z == "" {
		c.err("ReportZoneCode 上报地区代码", sc, 0, "上报设置中的“上报地区代码”未填写（由上报平台分配）")
	} else if !(len(z) == 6 || len(z) == 9) || !allDigits(z) {
		c.err("ReportZoneCode 上报地区代码", sc, 0, "上报地区代码“%s”应为 6 位或 9 位数字", z)
	}
	if strings.TrimSpace(s.ReportOrgCode) == "" {
		c.err("ReportOrgCode 上报机构代码", sc, 0, "上报设置中的“上报机构代码”未填写（由上报平台分配）")
	}
	if strings.TrimSpace(s.License) == "" {
		c.err("License 上报机构授权", sc, 0, "上报设置中的“上报机构授权码”未填写（由上报平台分配）")
	}
	c.text("WRITE_PERSON 填表人", sc, 0, "上报设置中的填表人", s.Writer, 50, true)
	c.phone("WRITE_PERSON_TELPHONE 填表人电话", sc, 0, "上报设置中的填表人电话", s.WriterPhone)
	c.text("REPORT_PERSON 报告人", sc, 0, "上报设置中的报告人", s.Reporter, 50, true)
	c.phone("REPORT_PERSON_TEL 报告人电话", sc, 0, "上报设置中的报告人电话", s.ReporterPhone)
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// releasedAt is the first release of the exam (the report date), zero when none.
func (c *checker) releasedAt() time.Time {
	if r := c.d.Exam.Record.Releases; len(r) > 0 {
		return r[0].At
	}
	return time.Time{}
}

// checkDates: birth < exposure start <= exam date <= signature <= release.
func checkDates(c *checker) {
	e := c.d.Exam
	p := c.parties()
	if p == nil || e.Date.IsZero() {
		return
	}
	birth := p.Worker.BirthDate
	exam := day(e.Date)
	if !birth.IsZero() && !day(birth).Before(exam) {
		c.err("BIRTH_DATE 出生日期", ScreenWorker, e.WorkerID, "出生日期 %s 不早于体检日期 %s", birth.Format("2006-01-02"), exam.Format("2006-01-02"))
	}
	for _, h := range e.Hazards {
		x, ok := exposureOf(&p.Worker, h)
		if !ok || x.Start.IsZero() {
			continue
		}
		if !birth.IsZero() && !day(birth).Before(day(x.Start)) {
			c.err("HARM_START_DATE 开始接害日期", ScreenWorker, e.WorkerID, "“%s”的开始接害日期 %s 不晚于出生日期 %s", c.hazardName(h), x.Start.Format("2006-01-02"), birth.Format("2006-01-02"))
		}
		if day(x.Start).After(exam) && e.Type != app.ExamPreEmployment {
			c.err("HARM_START_DATE 开始接害日期", ScreenWorker, e.WorkerID, "“%s”的开始接害日期 %s 晚于体检日期 %s", c.hazardName(h), x.Start.Format("2006-01-02"), exam.Format("2006-01-02"))
		}
	}
	if s := e.Record.Signature; s != nil && day(s.At).Before(exam) {
		c.err("WRITE_DATE 报告出具日期", ScreenConclude, e.ID, "主检签名日期 %s 早于体检日期 %s", s.At.Format("2006-01-02"), exam.Format("2006-01-02"))
	}
	if rel := c.releasedAt(); !rel.IsZero() && day(rel).Before(exam) {
		c.err("REPORT_DATE 报告日期", ScreenRecording, e.ID, "报告发放日期 %s 早于体检日期 %s", rel.Format("2006-01-02"), exam.Format("2006-01-02"))
	}
}

// checkAge: a worker under the minimum working age, or a minor, at the exam (warnings; a
// pre-employment exam of a minor is where it is caught).
func checkAge(c *checker) {
	e := c.d.Exam
	p := c.parties()
	if p == nil || p.Worker.BirthDate.IsZero() || e.Date.IsZero() {
		return
	}
	age := app.AgeOn(p.Worker.BirthDate, e.Date)
	switch {
	case age < c.th.MinWorkingAge.Value:
		c.add(c.th.MinWorkingAge.Level, "BIRTH_DATE 出生日期", ScreenWorker, e.WorkerID, "劳动者体检时 %d 岁，未满 %d 周岁，用人单位不得招用（%s），请核实出生日期", age, c.th.MinWorkingAge.Value, c.th.MinWorkingAge.Source)
	case age < c.th.MinorAge.Value:
		c.add(c.th.MinorAge.Level, "BIRTH_DATE 出生日期", ScreenWorker, e.WorkerID, "劳动者体检时 %d 岁，为未成年工，不得从事接触职业病危害的作业（%s）", age, c.th.MinorAge.Source)
	}
}

// ExposureYears returns the whole years and months of exposure from start to the exam date
// (HARM_AGE_YEAR / HARM_AGE_MONTH).
func ExposureYears(start, exam time.Time) (years, months int) {
	if start.IsZero() || exam.Before(start) {
		return 0, 0
	}
	m := (exam.Year()-start.Year())*12 + int(exam.Month()) - int(start.Month())
	if exam.Day() < start.Day() {
		m--
	}
	if m < 0 {
		m = 0
	}
	return m / 12, m % 12
}

// checkExposureYears: exposure years plausible for the age (not longer than the years since
// the minimum working age) and below the maximum; they must fit N..2.
func checkExposureYears(c *checker) {
	e := c.d.Exam
	p := c.parties()
	if p == nil || e.Date.IsZero() {
		return
	}
	for _, h := range e.Hazards {
		x, ok := exposureOf(&p.Worker, h)
		if !ok || x.Start.IsZero() || x.Start.After(e.Date) {
			continue
		}
		years, _ := ExposureYears(x.Start, e.Date)
		name := c.hazardName(h)
		if years > 99 {
			c.err("HARM_AGE_YEAR 接害工龄", ScreenWorker, e.WorkerID, "“%s”的接害工龄 %d 年超过两位数，请核对开始接害日期", name, years)
			continue
		}
		if years > c.th.MaxExposureYears.Value {
			c.add(c.th.MaxExposureYears.Level, "HARM_AGE_YEAR 接害工龄", ScreenWorker, e.WorkerID, "“%s”的接害工龄 %d 年超过 %d 年，请核对开始接害日期", name, years, c.th.MaxExposureYears.Value)
			continue
		}
		if b := p.Worker.BirthDate; !b.IsZero() && !x.Start.Before(b) {
			if ageAtStart := app.AgeOn(b, x.Start); ageAtStart < c.th.MinWorkingAge.Value {
				c.add(c.th.MinWorkingAge.Level, "HARM_START_DATE 开始接害日期", ScreenWorker, e.WorkerID, "“%s”的接害工龄 %d 年与年龄不符：开始接害时只有 %d 岁（未满 %d 周岁），请核对开始接害日期", name, years, ageAtStart, c.th.MinWorkingAge.Value)
			}
		}
	}
}

// checkReleaseDelay: the report released more than the threshold's days after the exam.
func checkReleaseDelay(c *checker) {
	e := c.d.Exam
	rel := c.releasedAt()
	if rel.IsZero() || e.Date.IsZero() {
		return
	}
	days := int(day(rel).Sub(day(e.Date)).Hours()/24 + 0.5)
	if days > c.th.MaxExamToReleaseDays.Value {
		c.add(c.th.MaxExamToReleaseDays.Level, "REPORT_DATE 报告日期", ScreenRecording, e.ID, "报告在体检后 %d 天才发放，超过 %d 天（%s）", days, c.th.MaxExamToReleaseDays.Value, c.th.MaxExamToReleaseDays.Source)
	}
}
