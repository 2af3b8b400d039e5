package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/app/results"
	"occhealth/app/rules"
	"occhealth/assets"
)

// Recording proportions of the demo: how far each registered exam gets, and what the chief
// examiner concludes. They follow what exam centres report (most workers 目前未见异常, a few
// per cent other findings, rare contraindications and suspected disease).
const (
	pctUntouched  = 6 // left 已登记: not yet arrived
	pctInProgress = 5 // some departments done: 检查中
	pctAwaiting   = 6 // all results, no signature: 待总检 (a third with a draft conclusion)
	// Of the signed exams (per mille): returned once, left for review, reviewed, released.
	pmReturned   = 15
	pmUnreviewed = 150
	pmReviewed   = 200 // reviewed, not yet released; the rest are released

	// Conclusions per 10,000 signed exams.
	pttSuspected        = 50
	pttContraindication = 200
	pttRecheck          = 400
	pttOther            = 800

	// Critical values per 10,000 recorded exams; most are called back at once.
	pttCritical = 40
)

// suspectedDisease is the target disease a demo 疑似职业病 names for a hazard (disease catalog
// 2024 code and the name as reports write it).
var suspectedDisease = map[string][2]string{
	"1038": {"1101", "矽肺"},
	"1006": {"1111", "电焊工尘肺"},
	"3008": {"4001", "职业性噪声聋"},
	"2223": {"5003", "职业性慢性锰中毒"},
	"2237": {"5001", "职业性慢性铅中毒"},
	"2275": {"5010", "职业性慢性砷中毒"},
}

// otherFindings are the 其他疾病或异常 a demo conclusion names, with the result that shows it.
var otherFindings = []struct {
	item, group, value, text string
}{
	{"2010501", "G0201", "152", "血压偏高（152/96 mmHg），建议心内科随诊"},
	{"4040900", "G0103", "96", "谷丙转氨酶升高（96 U/L），建议消化内科随诊"},
	{"4012000", "G0101", "108", "轻度贫血（血红蛋白 108 g/L），建议血液科随诊"},
	{"3060100", "G0901", "窦性心动过缓", "窦性心动过缓，建议心内科随诊"},
	{"3010100", "G1001", "脂肪肝（轻度）", "轻度脂肪肝，建议低脂饮食、复查肝功能"},
	{"4070500", "G0105", "7.8", "空腹血糖升高（7.8 mmol/L），建议内分泌科随诊"},
}

// recorder records exams through the RecordService as the demo staff would.
type recorder struct {
	svc                         app.Services
	r                           *rand.Rand
	now                         time.Time
	table                       *rules.Table
	ranges                      *results.Ranges
	templates                   *results.Templates
	doctor, chief, review, desk context.Context
	res                         *Result
}

// registered is an exam the demo registered, with what recording needs to know.
type registered struct {
	exam     *app.Exam
	worker   *app.Worker
	employer string
	job      string
}

func newRecorder(ctx context.Context, svc app.Services, r *rand.Rand, users map[string]*app.User, res *Result) (*recorder, error) {
	table, err := rules.Load(assets.Rules)
	if err != nil {
		return nil, err
	}
	ranges, err := results.LoadRanges(assets.Rules)
	if err != nil {
		return nil, err
	}
	tpl, err := results.LoadTemplates(assets.Rules)
	if err != nil {
		return nil, err
	}
	as := func(login string) context.Context { return app.NewContextWithUser(ctx, users[login]) }
	return &recorder{svc: svc, r: r, now: svc.Now(), table: table, ranges: ranges, templates: tpl,
		doctor: as("tijian"), chief: as("zhujian"), review: as("shenhe"), desk: as("dengji"), res: res}, nil
}

// plan is what the demo decides for one exam before recording it.
type plan struct {
	stage      int    // 0 untouched, 1 in progress, 2 awaiting, 3 signed
	conclusion string // app.Conclusion* of the hazard it names; "" all normal
	hazard     string // the hazard the conclusion is about
	other      int    // index into otherFindings
	critical   bool
	noiseLoss  bool // high-frequency loss short of suspected disease
	draft      bool // 待总检 with a saved draft conclusion
}

func (rc *recorder) plan(x registered) plan {
	p := plan{stage: 3}
	switch n := rc.r.IntN(100); {
	case n < pctUntouched:
		p.stage = 0
	case n < pctUntouched+pctInProgress:
		p.stage = 1
	case n < pctUntouched+pctInProgress+pctAwaiting:
		p.stage = 2
		p.draft = rc.r.IntN(3) == 0
	}
	hz := x.exam.Hazards
	switch n := rc.r.IntN(10000); {
	case n < pttSuspected:
		for _, h := range hz {
			if _, ok := suspectedDisease[h]; ok && (p.hazard == "" || h == "3008" || h == "1038") {
				p.hazard = h
			}
		}
		if p.hazard != "" {
			p.conclusion = app.ConclusionSuspected
		}
	case n < pttSuspected+pttContraindication:
		h := hz[rc.r.IntN(len(hz))]
		if ru, ok := rc.table.Rule(h, x.exam.Type, x.exam.Edition); ok && len(ru.Contraindications) > 0 {
			p.conclusion, p.hazard = app.ConclusionContraindication, h
		}
	case n < pttSuspected+pttContraindication+pttRecheck:
		p.conclusion, p.hazard = app.ConclusionRecheck, hz[rc.r.IntN(len(hz))]
	case n < pttSuspected+pttContraindication+pttRecheck+pttOther:
		var fit []int
		for i, f := range otherFindings {
			if hasGroup(x.exam, f.group) {
				fit = append(fit, i)
			}
		}
		if len(fit) > 0 {
			p.conclusion, p.hazard, p.other = app.ConclusionOther, hz[0], fit[rc.r.IntN(len(fit))]
		}
	}
	// A critical value of an exam still in progress is sometimes not yet called back, so the
	// call-back worklist has rows; the others are called back at once.
	p.critical = (rc.r.IntN(10000) < pttCritical || (p.stage == 1 && rc.r.IntN(8) == 0)) && hasGroup(x.exam, "G0101")
	p.noiseLoss = slices.Contains(hz, "3008") && rc.r.IntN(100) < 8
	return p
}

// record takes one exam as far as its plan says.
func (rc *recorder) record(x registered) error {
	p := rc.plan(x)
	if p.stage == 0 {
		return nil
	}
	e := x.exam
	e, err := rc.svc.Records.SaveInquiry(rc.doctor, e.ID, e.Version, rc.inquiry(x))
	if err != nil {
		return fmt.Errorf("inquiry: %w", err)
	}
	rs := rc.results(x, p)
	if p.stage == 1 {
		// Some departments have not seen the worker yet: keep the laboratory only.
		rs = slices.DeleteFunc(rs, func(r app.Result) bool { return !strings.HasPrefix(r.GroupCode, "G01") })
		if len(rs) == 0 {
			return nil
		}
	}
	if e, err = rc.svc.Records.SaveResults(rc.doctor, e.ID, e.Version, rs); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	rc.res.Recorded++
	for _, c := range e.Record.CriticalCalls {
		rc.res.Criticals++
		if c.Done || (p.stage == 1 && rc.r.IntN(2) == 0) {
			continue
		}
		c.Done, c.CalledAt, c.Caller, c.Recipient, c.Phone = true, rc.now, "tijian", x.worker.Name, x.worker.Phone
		c.Advice = "已电话告知本人危急值结果，嘱即日到内科门诊就诊"
		if e, err = rc.svc.Records.LogCriticalCall(rc.doctor, e.ID, e.Version, c); err != nil {
			return fmt.Errorf("critical call: %w", err)
		}
	}
	if p.stage == 1 || (p.stage == 2 && !p.draft) {
		return nil
	}
	c := rc.conclusion(x, p)
	if e, err = rc.svc.Records.SaveConclusion(rc.chief, e.ID, e.Version, c); err != nil {
		return fmt.Errorf("conclusion: %w", err)
	}
	if p.stage == 2 {
		return nil
	}
	if e, err = rc.svc.Records.Sign(rc.chief, e.ID, e.Version); err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	rc.res.Signed++
	for _, h := range c.Hazards {
		rc.res.Conclusions[h.Code]++
	}
	if c.Recheck != nil {
		rc.res.Rechecks++
	}
	switch n := rc.r.IntN(1000); {
	case n < pmReturned:
		// The reviewer returns it; the chief examiner corrects the advice and signs again,
		// and the second edition waits for review.
		if e, err = rc.svc.Records.Review(rc.review, e.ID, e.Version, app.ReviewReturn, "主检建议未写明复查时间，请补充"); err != nil {
			return fmt.Errorf("return: %w", err)
		}
		c.Advice += "（已补充：三个月后复查）"
		if e, err = rc.svc.Records.SaveConclusion(rc.chief, e.ID, e.Version, c); err != nil {
			return fmt.Errorf("corrected conclusion: %w", err)
		}
		if _, err = rc.svc.Records.Sign(rc.chief, e.ID, e.Version); err != nil {
			return fmt.Errorf("sign again: %w", err)
		}
		rc.res.Returned++
		return nil
	case n < pmReturned+pmUnreviewed:
		return nil
	}
	if e, err = rc.svc.Records.Review(rc.review, e.ID, e.Version, app.ReviewApprove, ""); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	rc.res.Reviewed++
	if rc.r.IntN(1000) < pmReviewed*1000/(1000-pmReturned-pmUnreviewed) {
		return nil
	}
	docs := []string{"职业健康检查报告"}
	for _, h := range c.Hazards {
		switch h.Code {
		case app.ConclusionSuspected:
			docs = appendNew(docs, "疑似职业病告知书")
		case app.ConclusionContraindication:
			docs = appendNew(docs, "职业禁忌证告知书")
		}
	}
	h := app.Handover{Recipient: x.worker.Name, RecipientKind: "本人", Documents: docs, Receipt: "签字"}
	if rc.r.IntN(100) < 70 {
		h.Recipient, h.RecipientKind = personName(rc.r, false), "用人单位"
	}
	if _, err = rc.svc.Records.Release(rc.desk, e.ID, e.Version, h); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	rc.res.Released++
	return nil
}

func appendNew(ss []string, s string) []string {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

// inquiry is the 问诊: the occupational history from the archive, habits, for women the
// menstrual history, and the hazards' symptoms asked and denied.
func (rc *recorder) inquiry(x registered) app.Inquiry {
	w, r := x.worker, rc.r
	in := app.Inquiry{PastHistory: "否认高血压、糖尿病、结核等病史，否认手术外伤史", Marriage: "已婚"}
	if r.IntN(100) < 8 {
		in.PastHistory = []string{"高血压病史 3 年，服药控制", "乙肝病毒携带", "2019 年阑尾切除术", "慢性胃炎"}[r.IntN(4)]
	}
	for _, p := range w.WorkHistory {
		o := app.OccupationEntry{From: p.Start, To: p.End, Employer: x.employer, Workshop: p.Workshop, Job: x.job,
			Protection: []string{"佩戴防尘口罩", "佩戴耳塞", "佩戴防尘口罩、耳塞", "工作服、手套"}[r.IntN(4)]}
		for _, ex := range w.Exposures {
			o.Hazards = append(o.Hazards, ex.HazardCode)
		}
		in.History = append(in.History, o)
	}
	if w.Sex == app.SexMale && r.IntN(100) < 55 {
		in.Smoking = app.Habit{Status: app.HabitRegular, PerDay: 5 + r.IntN(16), Years: 2 + r.IntN(20)}
	} else {
		in.Smoking = app.Habit{Status: app.HabitNever}
	}
	in.Drinking = app.Habit{Status: []string{app.HabitNever, app.HabitSometimes, app.HabitSometimes, app.HabitRegular}[r.IntN(4)]}
	if in.Drinking.Status == app.HabitRegular {
		in.Drinking.PerDay, in.Drinking.Years = 100+50*r.IntN(4), 3+r.IntN(15)
	}
	if w.Sex == app.SexFemale {
		in.MenarcheAge, in.PeriodDays, in.CycleDays = 12+r.IntN(4), "5", "28-30"
		in.Children = 1 + r.IntN(2)
	}
	in.Symptoms = []app.SymptomAnswer{
		{Code: "1010000", Name: "头痛", Present: false},
		{Code: "1020000", Name: "头（晕）昏", Present: r.IntN(100) < 5, Degree: "轻"},
		{Code: "1250000", Name: "耳鸣", Present: r.IntN(100) < 4, Degree: "轻"},
	}
	return in
}

// results draws a result for every item of every planned group: numbers around the middle of
// the reference range (rarely outside it), the normal text of the department's template, an
// audiogram by age with high-frequency loss for some noise workers, chest films for dust.
func (rc *recorder) results(x registered, p plan) []app.Result {
	e, w, r := x.exam, x.worker, rc.r
	age := app.AgeOn(w.BirthDate, e.Date)
	var out []app.Result
	seen := map[string]bool{}
	for _, it := range e.Items {
		if seen[it.GroupCode] {
			continue
		}
		seen[it.GroupCode] = true
		g, ok := rc.table.GroupByCode(it.GroupCode)
		if !ok {
			continue
		}
		if !it.Required && r.IntN(100) < 3 {
			out = append(out, app.Result{GroupCode: g.Code, Status: app.ResultRefused})
			continue
		}
		tpl, _ := rc.templates.ForDepartment(g.Department)
		items := slices.Clone(g.Items)
		for _, ti := range tpl.Items { // 血压 is recorded in its parts
			if slices.Contains(items, ti.Item) && len(ti.Parts) > 0 {
				items = slices.DeleteFunc(items, func(c string) bool { return c == ti.Item })
				items = append(items, ti.Parts...)
			}
		}
		before := len(out)
		for i, code := range items {
			if !rc.recorded(g.Code, code, i, len(items)) {
				continue
			}
			res := app.Result{GroupCode: g.Code, ItemCode: code, Status: app.ResultDone}
			if v, kind, unit, ok := rc.value(code, tpl, w.Sex, age, p, e.Hazards); ok {
				res.Value, res.Kind, res.Unit = v, kind, unit
				out = append(out, res)
			}
		}
		if len(out) == before { // nothing the demo can make up: the worker declined it
			out = append(out, app.Result{GroupCode: g.Code, Status: app.ResultRefused})
		}
	}
	// The finding a conclusion will name is in the results.
	set := func(item, group, value string) {
		for i := range out {
			if out[i].ItemCode == item && out[i].GroupCode == group {
				out[i].Value = value
				return
			}
		}
	}
	switch p.conclusion {
	case app.ConclusionOther:
		f := otherFindings[p.other]
		set(f.item, f.group, f.value)
		if f.item == "2010501" {
			set("2010502", f.group, "96")
		}
	case app.ConclusionSuspected:
		if p.hazard == "1038" || p.hazard == "1006" {
			for _, it := range []string{"3080100", "3080200"} {
				set(it, "G1101", "1")
			}
		}
	}
	if p.critical {
		crit := [][3]string{{"4010100", "G0101", "1.2"}, {"4012600", "G0101", "18"}}[r.IntN(2)]
		set(crit[0], crit[1], crit[2])
	}
	return out
}

// value draws one item's result.
func (rc *recorder) value(code string, tpl results.Template, sex app.Sex, age int, p plan, hazards []string) (string, app.ResultKind, string, bool) {
	r := rc.r
	if hz, ok := audiogramFreq(code); ok {
		return strconv.Itoa(rc.hearing(hz, age, p)), app.ResultNumeric, "dB", true
	}
	switch code {
	case "2010200":
		h := 168 + r.NormFloat64()*6
		if sex == app.SexFemale {
			h -= 11
		}
		return strconv.Itoa(int(h)), app.ResultNumeric, "cm", true
	case "2010300":
		return strconv.Itoa(int(64 + r.NormFloat64()*9)), app.ResultNumeric, "kg", true
	case "3080100", "3080200":
		v := "0"
		if r.IntN(100) < 4 {
			v = "2"
		}
		return v, app.ResultCode, "", true
	case "3060100":
		return []string{"窦性心律，正常心电图", "窦性心律，正常心电图", "窦性心律，正常心电图", "窦性心律不齐"}[r.IntN(4)], app.ResultText, "", true
	}
	if rng, ok := rc.ranges.Lookup(code); ok {
		rng = rng.ForSex(sex)
		switch rng.Kind {
		case app.ResultNumeric:
			if rng.Low == nil && rng.High == nil {
				break
			}
			return drawNumber(r, rng), app.ResultNumeric, rng.Unit, true
		case app.ResultText, app.ResultCode:
			v := rng.Text
			if len(rng.Normal) > 0 {
				v = rng.Normal[0]
			}
			if v != "" {
				return v, rng.Kind, rng.Unit, true
			}
		}
	}
	if ti, ok := tpl.Item(code); ok {
		if ti.Kind == app.ResultNumeric {
			t, ok := typical[code]
			if !ok {
				return "", "", "", false // a number the demo has no typical value for: not recorded
			}
			v := max(t.mean+r.NormFloat64()*t.sd, t.mean/10)
			if t.max > 0 {
				v = min(v, t.max)
			}
			return strconv.FormatFloat(v, 'f', t.dec, 64), app.ResultNumeric, ti.Unit, true
		}
		if ti.Normal != "" {
			return ti.Normal, app.ResultText, "", true
		}
	}
	return "未见异常", app.ResultText, "", true
}

// drawNumber draws a value around the middle of a range: one in a few hundred falls outside.
func drawNumber(r *rand.Rand, rng app.RefRange) string {
	var lo, hi float64
	switch {
	case rng.Low != nil && rng.High != nil:
		lo, hi = *rng.Low, *rng.High
	case rng.High != nil: // ≤ limit: mostly well below it
		lo, hi = 0, *rng.High
	default:
		lo, hi = *rng.Low, *rng.Low*2
	}
	mid, sd := (lo+hi)/2, (hi-lo)/6.4
	v := mid + r.NormFloat64()*sd
	if v < 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', decimals(lo, hi), 64)
}

// decimals is how many decimals a lab prints for values in [lo, hi].
func decimals(lo, hi float64) int {
	d := 0
	for _, x := range []float64{lo, hi} {
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if i := strings.IndexByte(s, '.'); i >= 0 {
			d = max(d, len(s)-i-1)
		}
	}
	if d == 0 && hi-lo < 10 {
		d = 1
	}
	return min(d, 2)
}

// audiogramItems maps the air-conduction item codes of both ears to their frequency.
var audiogramItems = map[string]int{
	"3040100": 500, "3040200": 1000, "3040300": 2000, "3040400": 3000, "3040500": 4000, "3040600": 6000, "3040700": 8000, "3041500": 250,
	"3040800": 500, "3040900": 1000, "3041000": 2000, "3041100": 3000, "3041200": 4000, "3041300": 6000, "3041400": 8000, "3041600": 250,
}

func audiogramFreq(code string) (int, bool) { hz, ok := audiogramItems[code]; return hz, ok }

// hearing draws a hearing level in 5 dB steps: age-related at high frequencies, a notch at
// 4000 Hz for noise workers with loss, binaural high-frequency average ≥ 40 dB for suspected
// noise deafness, and a speech-range loss for a noise contraindication.
func (rc *recorder) hearing(hz, age int, p plan) int {
	r := rc.r
	v := 5 + r.IntN(3)*5
	if hz >= 3000 && age > 40 {
		v += (age - 40) / 4
	}
	if p.noiseLoss && hz >= 3000 && hz <= 6000 {
		v += 15 + r.IntN(3)*5
	}
	if p.conclusion == app.ConclusionSuspected && p.hazard == "3008" && hz >= 3000 && hz <= 6000 {
		v = 45 + r.IntN(3)*5
	}
	if p.conclusion == app.ConclusionContraindication && p.hazard == "3008" && hz == 1000 {
		v = 35
	}
	return int(math.Round(float64(v)/5) * 5)
}

// conclusion is the chief examiner's conclusion of the plan.
func (rc *recorder) conclusion(x registered, p plan) app.ExamConclusion {
	e := x.exam
	c := app.ExamConclusion{Advice: "目前未见职业健康损害，请继续做好个人防护，按期参加职业健康检查。"}
	recheckAsAction := e.Edition != "2014"
	for _, h := range e.Hazards {
		hc := app.HazardConclusion{Hazard: h, Code: app.ConclusionNormal}
		if h == p.hazard {
			switch p.conclusion {
			case app.ConclusionSuspected:
				d := suspectedDisease[h]
				hc.Code, hc.DiseaseCode, hc.Disease = app.ConclusionSuspected, d[0], d[1]
				hc.Basis = map[bool]string{true: "双耳高频平均听阈 ≥40 dBHL", false: "胸片：尘肺样改变"}[h == "3008"]
				if h != "3008" && h != "1038" && h != "1006" {
					hc.Basis = "相关检查指标异常，结合职业史"
				}
				c.Advice = "建议到职业病诊断机构进一步诊断；诊断期间暂时脱离原作业岗位。"
			case app.ConclusionContraindication:
				ru, _ := rc.table.Rule(h, e.Type, e.Edition)
				hc.Code, hc.Contraindication = app.ConclusionContraindication, ru.Contraindications[0]
				hc.Basis = "见相关检查结果"
				if h == "3008" {
					hc.Basis = "右耳、左耳 1000 Hz 气导听阈 35 dBHL"
				}
				c.Advice = "建议调离" + rc.table.HazardName(h) + "作业岗位，并妥善安置。"
			case app.ConclusionOther:
				hc.Code, hc.Other = app.ConclusionOther, otherFindings[p.other].text
				c.Advice = otherFindings[p.other].text + "。"
			case app.ConclusionRecheck:
				group := rc.recheckGroup(e, h)
				c.Recheck = &app.RecheckOrder{Groups: []string{group}, Date: e.Date.AddDate(0, 0, 14+rc.r.IntN(21)), Reason: "结果可疑，需复查确认"}
				if !recheckAsAction {
					hc.Code = app.ConclusionRecheck
				}
				c.Advice = "请于复查日期前来复查。"
			}
		}
		c.Hazards = append(c.Hazards, hc)
	}
	return c
}

// recheckGroup is the group a recheck of hazard h repeats: its first required group.
func (rc *recorder) recheckGroup(e *app.Exam, h string) string {
	for _, it := range e.Items {
		if it.Required && slices.Contains(it.Hazards, h) {
			return it.GroupCode
		}
	}
	return e.Items[0].GroupCode
}

func hasGroup(e *app.Exam, group string) bool {
	return slices.ContainsFunc(e.Items, func(it app.ExamItem) bool { return it.GroupCode == group })
}

// keyItems are items every demo exam records whatever the group's size: those the GBZ 188
// criteria and the report card read.
var keyItems = map[string]bool{
	"4010100": true, "4010200": true, "4011600": true, "4012000": true, "4012600": true, // WBC NEUT RBC HGB PLT
	"4040900": true, // ALT
}

// recorded says whether the demo records item i of n of a group. Large panels keep their
// first items and the key items (a 23-item blood count costs a large share of the archive
// and of the demo's time in the record's audit diff); audiometry keeps air conduction (bone
// conduction is tested when air conduction is abnormal).
func (rc *recorder) recorded(group, item string, i, n int) bool {
	if group == "G1301" {
		_, air := audiogramItems[item]
		return air
	}
	return n <= 10 || i < 6 || keyItems[item]
}

// typical are healthy adults' values of the numeric items the reference-range table leaves to
// the laboratory (mean, spread, decimals, ceiling), for demo data only.
var typical = map[string]struct {
	mean, sd float64
	dec      int
	max      float64
}{
	"4060200": {98, 1, 0, 100}, "3020100": {95, 8, 1, 0}, "3020200": {93, 8, 1, 0}, "3020300": {82, 4, 1, 100}, "3030100": {92, 8, 1, 0},
	"4013600": {42, 3, 1, 0}, "4013700": {13, 0.8, 1, 0}, "4012700": {10, 1, 1, 0}, "4012800": {13, 2, 1, 0}, "4014300": {0.22, 0.04, 2, 0},
	"4041700": {75, 20, 0, 0}, "4042900": {3.5, 1.2, 1, 0}, "4043000": {9, 3, 1, 0}, "4070300": {8, 4, 0, 0},
	"4071700": {4.8, 0.6, 2, 0}, "4071600": {16, 2, 2, 0}, "4071800": {2, 0.8, 2, 0},
	"4081500": {0.15, 0.06, 2, 0}, "4081600": {8, 3, 1, 0}, "4081700": {0.3, 0.1, 2, 0}, "4081400": {2.5, 0.8, 1, 0},
	"4070600": {2, 0.6, 1, 0}, "4081100": {0.3, 0.1, 2, 0}, "4081200": {5, 2, 1, 0}, "4991600": {0.005, 0.003, 3, 0},
	"4060100": {90, 6, 0, 0}, "4060300": {40, 3, 0, 0}, "4060400": {7.4, 0.02, 2, 0},
	"4370100": {15, 4, 1, 0}, "4070900": {5.4, 0.4, 1, 0}, "4070700": {0.6, 0.15, 2, 0}, "4081300": {0.3, 0.1, 2, 0}, "4382200": {60, 30, 0, 0},
}
