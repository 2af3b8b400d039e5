package criteria_test

import (
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/app/criteria"
)

// with returns a copy of a with one level changed.
func with(a *criteria.Audiogram, s criteria.Side, hz int, v float64) *criteria.Audiogram {
	b := &criteria.Audiogram{Left: map[int]float64{}, Right: map[int]float64{}}
	for k, x := range a.Left {
		b.Left[k] = x
	}
	for k, x := range a.Right {
		b.Right[k] = x
	}
	b.Ear(s)[hz] = v
	return b
}

// without returns a copy of a without one frequency.
func without(a *criteria.Audiogram, s criteria.Side, hz int) *criteria.Audiogram {
	b := with(a, s, hz, 0)
	delete(b.Ear(s), hz)
	return b
}

// highLoss has both ears at 10 dB in the speech range and v at 3000/4000/6000 Hz.
func highLoss(v float64) *criteria.Audiogram {
	return &criteria.Audiogram{Left: ear(10, 10, 10, v, v, v), Right: ear(10, 10, 10, v, v, v)}
}

type evalCase struct {
	name      string
	criterion string
	in        criteria.Input
	want      criteria.Outcome
	text      string // substring of the finding's text
}

func runEval(t *testing.T, tests []evalCase) {
	t.Helper()
	set := mustLoad(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *criteria.Finding
			for _, f := range set.Evaluate(tt.in) {
				if f.Criterion == tt.criterion {
					got = &f
					break
				}
			}
			if got == nil {
				t.Fatalf("no finding for %s", tt.criterion)
			}
			if got.Outcome != tt.want || !strings.Contains(got.Text, tt.text) {
				t.Errorf("%s: %s %q; want %s containing %q", tt.criterion, got.Outcome.Name(), got.Text, tt.want.Name(), tt.text)
			}
			if got.Outcome == criteria.Unknown && !strings.HasPrefix(got.Text, "无法判断：") {
				t.Errorf("unknown finding does not say so: %q", got.Text)
			}
			if !strings.Contains(got.Text, got.Clause) {
				t.Errorf("text %q does not cite %q", got.Text, got.Clause)
			}
		})
	}
}

func noise(et app.ExamType, ed string, a *criteria.Audiogram) criteria.Input {
	return criteria.Input{Hazard: "3008", ExamType: et, Edition: ed, Audiogram: a}
}

func TestSet_Evaluate_NoisePreEmployment(t *testing.T) {
	pre14 := func(a *criteria.Audiogram) criteria.Input { return noise(app.ExamPreEmployment, "2014", a) }
	pre25 := func(a *criteria.Audiogram) criteria.Input { return noise(app.ExamPreEmployment, "2025", a) }
	// 3000–6000 Hz: left 40/40/40, right 40/40/39 → binaural 239/6 = 39.83; with 40 → exactly 40.
	just40 := &criteria.Audiogram{Left: ear(10, 10, 10, 40, 40, 40), Right: ear(10, 10, 10, 40, 40, 40)}
	below40 := with(just40, criteria.Right, 6000, 39)
	runEval(t, []evalCase{
		{"a: 25 dB is not over 25", "noise-01-2014-a", pre14(flat(25)), criteria.NotMet, "均 ≤ 25 dBHL"},
		{"a: 26 dB at left 500 Hz", "noise-01-2014-a", pre14(with(flat(25), criteria.Left, 500, 26)), criteria.Met, "左耳 500 Hz 听阈 26 dBHL > 25 dBHL：职业禁忌证（GBZ 188-2014 7.1.1.1 a)）"},
		{"a: 30 dB at right 2000 Hz", "noise-01-2014-a", pre14(with(flat(0), criteria.Right, 2000, 30)), criteria.Met, "右耳 2000 Hz 听阈 30 dBHL"},
		{"a: 25.5 dB is over", "noise-01-2014-a", pre14(with(flat(0), criteria.Right, 1000, 25.5)), criteria.Met, "25.5 dBHL > 25"},
		{"a: high frequencies do not count", "noise-01-2014-a", pre14(with(flat(0), criteria.Left, 4000, 80)), criteria.NotMet, ""},
		{"a: missing 1000 Hz", "noise-01-2014-a", pre14(without(flat(0), criteria.Left, 1000)), criteria.Unknown, "缺少 左耳 1000 Hz"},
		{"a: missing but another over → met", "noise-01-2014-a", pre14(without(with(flat(0), criteria.Left, 500, 40), criteria.Left, 1000)), criteria.Met, "左耳 500 Hz"},
		{"a: no audiogram", "noise-01-2014-a", pre14(nil), criteria.Unknown, "缺少 纯音听阈测试结果"},
		{"a: NaN is invalid, not a pass", "noise-01-2014-a", pre14(with(flat(0), criteria.Left, 500, nan())), criteria.Unknown, "无效"},
		{"b: binaural high exactly 40", "noise-01-2014-b", pre14(just40), criteria.Met, "双耳高频平均听阈 40 dBHL ≥ 40 dBHL：职业禁忌证"},
		{"b: binaural high 39.83", "noise-01-2014-b", pre14(below40), criteria.NotMet, "39.83 dBHL < 40"},
		{"b: missing 6000 Hz", "noise-01-2014-b", pre14(without(just40, criteria.Right, 6000)), criteria.Unknown, "缺少 右耳 6000 Hz"},
		{"c: speech average exactly 41", "noise-01-2014-c", pre14(&criteria.Audiogram{Left: ear(41, 41, 41, 0, 0, 0), Right: ear(0, 0, 0, 0, 0, 0)}), criteria.Met, "左耳语频平均听阈 41 dBHL ≥ 41 dBHL"},
		{"c: speech average 40.67", "noise-01-2014-c", pre14(&criteria.Audiogram{Left: ear(41, 41, 40, 0, 0, 0), Right: ear(0, 0, 0, 0, 0, 0)}), criteria.NotMet, "< 41 dBHL"},
		{"c: right ear missing, left fine", "noise-01-2014-c", pre14(without(flat(0), criteria.Right, 500)), criteria.Unknown, "缺少 右耳 500 Hz"},
		// 2025 b): binaural high ≥ 40 and the better ear's weighted value ≥ 26.
		// just40: speech 10 → weighted 10×0.9 + 40×0.1 = 13 < 26.
		{"2025 b: high 40 but weighted 13", "noise-01-2025-b", pre25(just40), criteria.NotMet, "加权值 13 dBHL < 26 dBHL"},
		{"2025 b: weighted exactly 26", "noise-01-2025-b", pre25(&criteria.Audiogram{Left: ear(20, 20, 20, 80, 80, 80), Right: ear(20, 20, 20, 80, 80, 80)}), criteria.Met, "加权值 26 dBHL ≥ 26 dBHL（加权公式待核实）"},
		{"2025 b: weighted 25.9", "noise-01-2025-b", pre25(&criteria.Audiogram{Left: ear(20, 20, 20, 79, 79, 79), Right: ear(20, 20, 20, 80, 80, 80)}), criteria.NotMet, "< 26 dBHL"},
		{"2025 b: high below 40, weighted irrelevant", "noise-01-2025-b", pre25(below40), criteria.NotMet, "< 40"},
		{"2025 b: high ≥40, speech missing", "noise-01-2025-b", pre25(without(just40, criteria.Left, 500)), criteria.Unknown, "缺少 左耳 500 Hz"},
		{"2025 a: 26 dBHL", "noise-01-2025-a", pre25(with(flat(0), criteria.Left, 2000, 26)), criteria.Met, "GBZ 188—2025 7.1.1.1 a)"},
		{"2025 c: 41 dBHL", "noise-01-2025-c", pre25(&criteria.Audiogram{Left: ear(0, 0, 0, 0, 0, 0), Right: ear(41, 41, 41, 0, 0, 0)}), criteria.Met, "右耳语频平均听阈 41 dBHL"},
	})
}

func TestSet_Evaluate_NoiseInService(t *testing.T) {
	in := func(ed string, a, base *criteria.Audiogram, months float64) criteria.Input {
		x := noise(app.ExamPeriodic, ed, a)
		x.Baseline = base
		if months >= 0 {
			x.Values = map[string]float64{criteria.MeasNoiseMonths: months}
		}
		return x
	}
	sens := with(flat(10), criteria.Left, 4000, 65)
	runEval(t, []evalCase{
		{"1) 26 dB", "noise-02-2014-1", in("2014", with(flat(0), criteria.Right, 500, 26), nil, -1), criteria.Met, "7.1.2.1 1)"},
		{"2) 41 dB", "noise-02-2014-2", in("2014", flat(41), nil, -1), criteria.Met, "语频平均听阈 41 dBHL ≥ 41"},
		{"3) sensitive: 65 dB in 12 months", "noise-02-2014-3", in("2014", sens, flat(25), 12), criteria.Met, "左耳 4000 Hz 听阈 65 dBHL ≥ 65 dBHL"},
		{"3) 64 dB is not", "noise-02-2014-3", in("2014", with(flat(10), criteria.Left, 4000, 64), flat(25), 6), criteria.NotMet, "均 < 65"},
		{"3) 13 months is too late", "noise-02-2014-3", in("2014", sens, flat(25), 13), criteria.NotMet, "超过 12 个月"},
		{"3) baseline 26 dB somewhere", "noise-02-2014-3", in("2014", sens, with(flat(25), criteria.Right, 6000, 26), 6), criteria.NotMet, "右耳 6000 Hz 26 dBHL"},
		{"3) no baseline", "noise-02-2014-3", in("2014", sens, nil, 6), criteria.Unknown, "缺少 上岗前纯音听阈测试结果"},
		{"3) no months", "noise-02-2014-3", in("2014", sens, flat(0), -1), criteria.Unknown, "缺少 噪声作业时间（月）"},
		{"3) baseline lacks 500 Hz", "noise-02-2014-3", in("2014", sens, without(flat(0), criteria.Left, 500), 6), criteria.Unknown, "上岗前 左耳 500 Hz"},
		{"3) nothing ≥65: baseline not needed", "noise-02-2014-3", in("2014", flat(30), nil, -1), criteria.NotMet, ""},
		{"3) 2025 edition", "noise-02-2025-3", in("2025", sens, flat(0), 3), criteria.Met, "GBZ 188—2025 7.1.2.1 c)"},
		{"GBZ 49 screen: 40 → suspected", "noise-gbz49-2014", in("2014", highLoss(40), nil, -1), criteria.Met, "）：疑似职业病（GBZ 49-2014"},
		{"GBZ 49 screen: 39 → not", "noise-gbz49-2014", in("2014", highLoss(39), nil, -1), criteria.NotMet, "39 dBHL < 40"},
		{"GBZ 49 screen: missing", "noise-gbz49-2025", in("2025", without(highLoss(50), criteria.Left, 3000), nil, -1), criteria.Unknown, "缺少 左耳 3000 Hz"},
	})
	t.Run("GBZ 49 screen reports corrected values for reference only", func(t *testing.T) {
		x := in("2014", highLoss(50), nil, -1)
		x.Age, x.Sex = 55, app.SexMale
		f := find(t, mustLoad(t).Evaluate(x), "noise-gbz49-2014")
		// 50 − (12+16+18)/3 = 34.67: under 40 once corrected, yet the screen stays met on raw values.
		if f.Outcome != criteria.Met || !strings.Contains(f.Text, "修正后双耳高频平均听阈 34.67 dBHL") {
			t.Errorf("%s %q", f.Outcome.Name(), f.Text)
		}
		if !strings.Contains(f.Confirm, "排除其他原因") {
			t.Errorf("confirm %q", f.Confirm)
		}
	})
	t.Run("leaving exam gets the screen, not the contraindications", func(t *testing.T) {
		fs := mustLoad(t).Evaluate(noise(app.ExamLeaving, "2014", highLoss(60)))
		if len(fs) != 1 || fs[0].Criterion != "noise-gbz49-2014" {
			t.Errorf("findings %+v", fs)
		}
	})
}

func nan() float64 { var z float64; return z / z }

func find(t *testing.T, fs []criteria.Finding, id string) criteria.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Criterion == id {
			return f
		}
	}
	t.Fatalf("no finding %s in %+v", id, fs)
	return criteria.Finding{}
}

func blood(et app.ExamType, ed string, vals map[string]float64) criteria.Input {
	return criteria.Input{Hazard: "2013", ExamType: et, Edition: ed, Values: vals}
}

func TestSet_Evaluate_Benzene(t *testing.T) {
	pre := func(ed string, wbc, neut, plt float64) criteria.Input {
		return blood(app.ExamPreEmployment, ed, map[string]float64{criteria.MeasWBC: wbc, criteria.MeasNEUT: neut, criteria.MeasPLT: plt})
	}
	ref := map[string]criteria.Range{
		criteria.MeasWBC: {Low: 3.5, High: 9.5}, criteria.MeasNEUT: {Low: 1.8, High: 6.3}, criteria.MeasPLT: {Low: 125, High: 350},
	}
	periodic := func(ed string, wbc, neut, plt float64) criteria.Input {
		x := pre(ed, wbc, neut, plt)
		x.ExamType, x.Ranges = app.ExamPeriodic, ref
		return x
	}
	runEval(t, []evalCase{
		{"2014 WBC 4.0 is not below 4.0", "benzene-01-2014-wbc-neut", pre("2014", 4.0, 2.0, 200), criteria.NotMet, "白细胞计数 4 ×10⁹/L ≥ 4"},
		{"2014 WBC 3.99", "benzene-01-2014-wbc-neut", pre("2014", 3.99, 2.5, 200), criteria.Met, "白细胞计数 3.99 ×10⁹/L < 4：职业禁忌证（GBZ 188-2014 5.19.1.1 a)）"},
		{"2014 NEUT 1.99", "benzene-01-2014-wbc-neut", pre("2014", 5, 1.99, 200), criteria.Met, "中性粒细胞 1.99 ×10⁹/L < 2"},
		{"2014 NEUT missing, WBC fine", "benzene-01-2014-wbc-neut", blood(app.ExamPreEmployment, "2014", map[string]float64{criteria.MeasWBC: 5}), criteria.Unknown, "缺少 中性粒细胞"},
		{"2014 NEUT missing, WBC low", "benzene-01-2014-wbc-neut", blood(app.ExamPreEmployment, "2014", map[string]float64{criteria.MeasWBC: 3}), criteria.Met, "白细胞计数 3"},
		{"2014 PLT 80", "benzene-01-2014-plt", pre("2014", 5, 3, 80), criteria.NotMet, "血小板计数 80 ×10⁹/L ≥ 80"},
		{"2014 PLT 79", "benzene-01-2014-plt", pre("2014", 5, 3, 79), criteria.Met, "< 80"},
		{"2014 PLT missing", "benzene-01-2014-plt", blood(app.ExamPreEmployment, "2014", nil), criteria.Unknown, "缺少 血小板计数"},
		{"2014 PLT NaN", "benzene-01-2014-plt", pre("2014", 5, 3, nan()), criteria.Unknown, "血小板计数（数值无效）"},
		{"2025 WBC 3.5 is not below", "benzene-01-2025-wbc-neut", pre("2025", 3.5, 1.8, 125), criteria.NotMet, ""},
		{"2025 WBC 3.49", "benzene-01-2025-wbc-neut", pre("2025", 3.49, 1.8, 125), criteria.Met, "< 3.5"},
		{"2025 NEUT 1.79", "benzene-01-2025-wbc-neut", pre("2025", 3.6, 1.79, 125), criteria.Met, "< 1.8"},
		{"2025 WBC 3.9 passes 2025 but not 2014", "benzene-01-2025-wbc-neut", pre("2025", 3.9, 1.9, 200), criteria.NotMet, ""},
		{"2025 PLT 125", "benzene-01-2025-plt", pre("2025", 5, 3, 125), criteria.NotMet, "≥ 125"},
		{"2025 PLT 124", "benzene-01-2025-plt", pre("2025", 5, 3, 124), criteria.Met, "血小板计数 124 ×10⁹/L < 125"},
		{"recheck 2014: WBC below range", "benzene-02-2014-recheck", periodic("2014", 3.4, 2, 200), criteria.Met, "白细胞计数 3.4 ×10⁹/L 低于参考区间 3.5～9.5：复查"},
		{"recheck 2014: PLT above range", "benzene-02-2014-recheck", periodic("2014", 5, 2, 351), criteria.Met, "高于参考区间"},
		{"recheck 2014: at the limits", "benzene-02-2014-recheck", periodic("2014", 3.5, 6.3, 125), criteria.NotMet, "均在参考区间内"},
		{"recheck 2025", "benzene-02-2025-recheck", periodic("2025", 3, 2, 200), criteria.Met, "GBZ 188—2025 5.19.2.3"},
		{"recheck: no reference range", "benzene-02-2014-recheck", blood(app.ExamPeriodic, "2014", map[string]float64{criteria.MeasWBC: 5, criteria.MeasNEUT: 3, criteria.MeasPLT: 200}), criteria.Unknown, "白细胞计数参考区间"},
	})
	t.Run("recheck carries its action", func(t *testing.T) {
		f := find(t, mustLoad(t).Evaluate(periodic("2025", 3, 2, 200)), "benzene-02-2025-recheck")
		if f.Action != "每周复查血常规1次，连续2次" || f.Kind != criteria.KindRecheck {
			t.Errorf("%+v", f)
		}
	})
}

func TestSet_Evaluate_LeadHeatOther(t *testing.T) {
	lead := func(ed string, vals map[string]float64) criteria.Input {
		return criteria.Input{Hazard: "2237", ExamType: app.ExamPeriodic, Edition: ed, Values: vals}
	}
	heat := func(ed string, et app.ExamType, pct float64) criteria.Input {
		return criteria.Input{Hazard: "3007", ExamType: et, Edition: ed, Values: map[string]float64{criteria.MeasScarArea: pct}}
	}
	drive := func(class string, a *criteria.Audiogram, vals map[string]float64) criteria.Input {
		return criteria.Input{Hazard: "6006", ExamType: app.ExamPreEmployment, Edition: "2025", Audiogram: a, Values: vals, DriverClass: class}
	}
	runEval(t, []evalCase{
		{"lead 399", "lead-02-2014-recheck", lead("2014", map[string]float64{criteria.MeasBloodLead: 399}), criteria.NotMet, "血铅 399 µg/L < 400 µg/L（按 1年1次）"},
		{"lead 400", "lead-02-2014-recheck", lead("2014", map[string]float64{criteria.MeasBloodLead: 400}), criteria.Met, "血铅 400 µg/L 在 400～600 µg/L：复查"},
		{"lead 600", "lead-02-2014-recheck", lead("2014", map[string]float64{criteria.MeasBloodLead: 600}), criteria.Met, ""},
		{"lead 601 not covered", "lead-02-2014-recheck", lead("2014", map[string]float64{criteria.MeasBloodLead: 601}), criteria.Unknown, "本条未作规定"},
		{"urine lead 70", "lead-02-2014-recheck", lead("2014", map[string]float64{criteria.MeasUrineLead: 70}), criteria.Met, "尿铅 70 µg/L"},
		{"urine lead 69.9", "lead-02-2014-recheck", lead("2014", map[string]float64{criteria.MeasUrineLead: 69.9}), criteria.NotMet, ""},
		{"blood low, urine in band", "lead-02-2025-recheck", lead("2025", map[string]float64{criteria.MeasBloodLead: 300, criteria.MeasUrineLead: 120}), criteria.Met, "尿铅 120"},
		{"no lead result", "lead-02-2025-recheck", lead("2025", nil), criteria.Unknown, "缺少 血铅或尿铅"},
		{"2025 supplement at 600", "lead-02-2025-supplement", lead("2025", map[string]float64{criteria.MeasBloodLead: 600}), criteria.Met, "血铅 600 µg/L ≥ 600：补充检查"},
		{"2025 supplement at 599", "lead-02-2025-supplement", lead("2025", map[string]float64{criteria.MeasBloodLead: 599, criteria.MeasUrineLead: 100}), criteria.NotMet, ""},
		{"heat scar 20%", "heat-2014-scar", heat("2014", app.ExamPreEmployment, 20), criteria.Met, "全身瘢痕面积 20 % ≥ 20：职业禁忌证（GBZ 188-2014 7.3.1.1 e)）"},
		{"heat scar 19.9%", "heat-2014-scar", heat("2014", app.ExamPeriodic, 19.9), criteria.NotMet, ""},
		{"heat scar missing", "heat-2025-scar", criteria.Input{Hazard: "3007", ExamType: app.ExamPeriodic, Edition: "2025"}, criteria.Unknown, "缺少 全身瘢痕面积"},
		{"pressure vessel 25 dB", "vessel-2025-hearing", criteria.Input{Hazard: "6003", ExamType: app.ExamPreEmployment, Edition: "2025", Audiogram: flat(25)}, criteria.NotMet, "≤ 25"},
		{"pressure vessel 25.33 dB", "vessel-2025-hearing", criteria.Input{Hazard: "6003", ExamType: app.ExamPeriodic, Edition: "2025", Audiogram: with(flat(25), criteria.Left, 500, 26)}, criteria.Met, "左耳语频平均听阈 25.33 dBHL > 25"},
		{"driving: one ear 41", "driving-2025-hearing", drive("", &criteria.Audiogram{Left: ear(41, 41, 41, 0, 0, 0), Right: ear(0, 0, 0, 0, 0, 0)}, nil), criteria.Met, "> 40"},
		{"driving: binaural 31", "driving-2025-hearing", drive("", flat(31), nil), criteria.Met, "双耳语频平均听阈 31 dBHL > 30"},
		{"driving: binaural 30", "driving-2025-hearing", drive("", flat(30), nil), criteria.NotMet, "≤ 30"},
		{"driving: height 154.9 large", "driving-2025-height-large", drive("large", nil, map[string]float64{criteria.MeasHeight: 154.9}), criteria.Met, "< 155"},
		{"driving: height 150 small", "driving-2025-height-small", drive("small", nil, map[string]float64{criteria.MeasHeight: 150}), criteria.NotMet, ""},
		{"driving: class unknown", "driving-2025-height-large", drive("", nil, map[string]float64{criteria.MeasHeight: 150}), criteria.Unknown, "缺少 准驾车型"},
		{"driving: BP 139/90", "driving-2025-bp-large", drive("large", nil, map[string]float64{criteria.MeasSBP: 139, criteria.MeasDBP: 90}), criteria.Met, "舒张压 90 mmHg ≥ 90"},
		{"driving: BP 139/89", "driving-2025-bp-large", drive("large", nil, map[string]float64{criteria.MeasSBP: 139, criteria.MeasDBP: 89}), criteria.NotMet, ""},
		{"driving: visual field 149", "driving-2025-visual-field", drive("", nil, map[string]float64{criteria.MeasVisualField: 149}), criteria.Met, "水平视野 149 ° < 150"},
	})
	t.Run("other driver class is skipped", func(t *testing.T) {
		for _, f := range mustLoad(t).Evaluate(drive("small", nil, nil)) {
			if f.Criterion == "driving-2025-height-large" || f.Criterion == "driving-2025-bp-large" {
				t.Errorf("large-vehicle criterion %s for a small-vehicle driver", f.Criterion)
			}
		}
	})
}

func TestSet_Evaluate_NoCriteria(t *testing.T) {
	set := mustLoad(t)
	if fs := set.Evaluate(criteria.Input{Hazard: "1038", ExamType: app.ExamPeriodic, Edition: "2014"}); len(fs) != 0 {
		t.Errorf("矽尘 has no numeric criteria, got %+v", fs)
	}
	if fs := set.Evaluate(noise(app.ExamPreEmployment, "2007", flat(90))); len(fs) != 0 {
		t.Errorf("unknown edition gave %+v", fs)
	}
}
