package ui

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/app/rules"
)

// examBundle is what the 主检, 审核 and 发放 screens show of one exam: the exam with its record,
// the worker, the employer and the worker's earlier exams (newest first, with their records).
type examBundle struct {
	exam     *app.Exam
	worker   *app.Worker
	employer *app.Employer
	earlier  []*app.Exam
}

// maxEarlier is how many earlier exams are shown side by side.
const maxEarlier = 3

// loadBundle reads an exam by ID with everything the screens show of it.
func loadBundle(env *Env, id int64) (*examBundle, error) {
	svc, ctx := env.Services, env.Ctx
	e, err := svc.Exams.FindExamByID(ctx, id)
	if err != nil {
		return nil, err
	}
	b := &examBundle{exam: e}
	if b.worker, err = svc.Workers.FindWorkerByID(ctx, e.WorkerID); err != nil {
		return nil, err
	}
	if b.employer, err = svc.Employers.FindEmployerByID(ctx, e.EmployerID); err != nil {
		return nil, err
	}
	all, _, err := svc.Exams.FindExams(ctx, app.ExamFilter{WorkerID: e.WorkerID})
	if err != nil {
		return nil, err
	}
	var prev []*app.Exam
	for _, x := range all {
		if x.ID == e.ID || !x.Date.Before(e.Date.Add(24*time.Hour)) || !x.State.HasResults() || x.State == app.ExamVoided {
			continue
		}
		prev = append(prev, x)
	}
	sort.SliceStable(prev, func(i, j int) bool { return prev[i].Date.After(prev[j].Date) })
	for _, x := range prev {
		if len(b.earlier) == maxEarlier {
			break
		}
		full, err := svc.Exams.FindExamByID(ctx, x.ID)
		if err != nil {
			return nil, err
		}
		b.earlier = append(b.earlier, full)
	}
	return b, nil
}

// record returns the exam's record, never nil.
func recordOf(e *app.Exam) *app.ExamRecord {
	if e == nil || e.Record == nil {
		return &app.ExamRecord{}
	}
	return e.Record
}

// ruleTableOf returns the GBZ 188 rule table in force, or nil when none is loaded.
func ruleTableOf(env *Env) *rules.Table {
	if t, ok := env.Services.Planner.(*rules.Table); ok {
		return t
	}
	if env.Services.RuleTable == nil {
		return nil
	}
	b, err := env.Services.RuleTable()
	if err != nil {
		return nil
	}
	t, err := rules.Unmarshal(b)
	if err != nil {
		return nil
	}
	return t
}

// missingGroups lists the required item groups without a result or 弃检 (results.Missing).
func missingGroups(t *rules.Table, e *app.Exam) []string {
	var idx results.GroupIndex
	if t != nil {
		idx = t
	}
	return results.Missing(results.RequiredItems(e.Items), recordOf(e).Results, idx)
}

// conclusionName returns the wording of a conclusion code (目前未见异常 …).
func conclusionName(code string) string {
	switch code {
	case app.ConclusionNormal:
		return "目前未见异常"
	case app.ConclusionRecheck:
		return "复查"
	case app.ConclusionSuspected:
		return "疑似职业病"
	case app.ConclusionContraindication:
		return "职业禁忌证"
	case app.ConclusionOther:
		return "其他疾病或异常"
	}
	return code
}

// conclusionText is one hazard's conclusion as the report words it, e.g.
// 疑似职业病：职业性噪声聋.
func conclusionText(h app.HazardConclusion) string {
	s := conclusionName(h.Code)
	switch h.Code {
	case app.ConclusionSuspected:
		s += "：" + h.Disease
	case app.ConclusionContraindication:
		s += "：" + h.Contraindication
	case app.ConclusionOther:
		s += "：" + h.Other
	}
	return s
}

// diseaseOption is a disease a 疑似职业病 conclusion may name.
type diseaseOption struct {
	Code, Name string
	Target     bool // a target disease of the hazard in the rule table
}

var ruleRef = regexp.MustCompile(`[（(][^）)]*[）)]\s*$`)

// targetDiseaseName strips the standard's reference from a rule's target disease
// ("职业性噪声聋(GBZ 49)" → "职业性噪声聋").
func targetDiseaseName(s string) string { return strings.TrimSpace(ruleRef.ReplaceAllString(s, "")) }

// diseaseOptions lists the diseases a 疑似职业病 of hazard may name in the exam's disease
// catalogue: the rule table's target diseases first (matched to the catalogue's codes where
// the name matches), then every other disease of the catalogue.
func diseaseOptions(env *Env, t *rules.Table, e *app.Exam, hazard string) []diseaseOption {
	var cat catalog.Catalog
	if cs := catalogsOf(env.Services); cs != nil {
		cat, _ = cs.DiseaseCatalogFor(e.Date)
	}
	var out []diseaseOption
	used := map[string]bool{}
	if t != nil {
		if r, ok := t.Rule(hazard, e.Type, e.Edition); ok {
			for _, td := range r.TargetDiseases {
				name := targetDiseaseName(td)
				o := diseaseOption{Name: name, Target: true}
				bare := strings.TrimPrefix(name, "职业性")
				for _, en := range cat.Entries {
					if en.Extra["kind"] != "disease" {
						continue
					}
					if en.Name == name || en.Name == bare || slices.Contains(en.Aliases, name) {
						o.Code = en.Code
						break
					}
				}
				if !used[o.Name] {
					used[o.Name] = true
					if o.Code != "" {
						used[o.Code] = true
					}
					out = append(out, o)
				}
			}
		}
	}
	for _, en := range cat.Entries {
		if en.Extra["kind"] != "disease" || used[en.Code] {
			continue
		}
		out = append(out, diseaseOption{Code: en.Code, Name: en.Name})
	}
	return out
}

// contraindicationOptions returns the rule table's contraindications of hazard for the exam.
func contraindicationOptions(t *rules.Table, e *app.Exam, hazard string) []string {
	if t == nil {
		return nil
	}
	if r, ok := t.Rule(hazard, e.Type, e.Edition); ok {
		return slices.Clone(r.Contraindications)
	}
	return nil
}

// numericValues returns the done numeric results of a record by item code.
func numericValues(r *app.ExamRecord) map[string]float64 {
	out := map[string]float64{}
	for _, x := range r.Results {
		if x.Status == app.ResultDone && x.Kind == app.ResultNumeric && x.ItemCode != "" && strings.TrimSpace(x.Value) != "" {
			out[x.ItemCode] = x.Number
		}
	}
	return out
}

// criteriaInput builds the criteria input of one hazard of b's exam: the measurements and the
// audiogram of its results, the lab ranges kept with them, age and sex, and the
// pre-employment audiogram of an earlier exam as the baseline.
func criteriaInput(set *criteria.Set, b *examBundle, hazard string) criteria.Input {
	e := b.exam
	rec := recordOf(e)
	values, audio := set.FromItems(numericValues(rec))
	in := criteria.Input{Hazard: hazard, ExamType: e.Type, Edition: e.Edition, Values: values, Audiogram: audio,
		Sex: b.worker.Sex, Age: ageOn(b.worker.BirthDate, e.Date), Ranges: map[string]criteria.Range{}}
	for name := range values {
		code := set.MeasureItem(name)
		if x, ok := rec.ResultFor(groupOfItem(rec, code), code); ok && x.Range.Low != nil && x.Range.High != nil {
			in.Ranges[name] = criteria.Range{Low: *x.Range.Low, High: *x.Range.High}
		}
	}
	for _, x := range b.earlier {
		if x.Type != app.ExamPreEmployment {
			continue
		}
		if _, a := set.FromItems(numericValues(recordOf(x))); a != nil {
			in.Baseline = a
			months := (e.Date.Year()-x.Date.Year())*12 + int(e.Date.Month()-x.Date.Month())
			if e.Date.Day() < x.Date.Day() {
				months--
			}
			in.Values[criteria.MeasNoiseMonths] = float64(max(months, 0))
			break
		}
	}
	return in
}

// groupOfItem returns the group an item was recorded under ("" when not recorded).
func groupOfItem(r *app.ExamRecord, item string) string {
	for _, x := range r.Results {
		if x.ItemCode == item {
			return x.GroupCode
		}
	}
	return ""
}

// ageOn returns whole years from birth to day (0 when unknown).
func ageOn(birth, day time.Time) int {
	if birth.IsZero() {
		return 0
	}
	a := day.Year() - birth.Year()
	if day.YearDay() < birth.YearDay() {
		a--
	}
	return max(a, 0)
}

// noticeKinds returns the notices a conclusion calls for (NoticeSuspected,
// NoticeContraindication), in that order.
func noticeKinds(c *app.ExamConclusion) []string {
	var out []string
	if c == nil {
		return nil
	}
	has := func(code string) bool {
		return slices.ContainsFunc(c.Hazards, func(h app.HazardConclusion) bool { return h.Code == code })
	}
	if has(app.ConclusionSuspected) {
		out = append(out, app.NoticeSuspected)
	}
	if has(app.ConclusionContraindication) {
		out = append(out, app.NoticeContraindication)
	}
	if c.Recheck != nil {
		out = append(out, app.NoticeRecheck)
	}
	return out
}

// noticeTitle names a notice kind.
func noticeTitle(kind string) string {
	switch kind {
	case app.NoticeSuspected:
		return "疑似职业病告知书"
	case app.NoticeRecheck:
		return "复查通知书"
	}
	return "职业禁忌证告知书"
}
