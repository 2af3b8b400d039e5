package criteria

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"occhealth/app"
)

// result is what an evaluator finds; Evaluate turns it into a Finding.
type result struct {
	outcome Outcome
	detail  string // what was seen, without the conclusion
	used    []Value
	missing []string
}

type evaluator struct {
	params        []string // required parameters
	measureParams bool     // parameters are Meas* names (any number, at least one)
	fn            func(c Criterion, in Input, s *Set) result
}

func (e evaluator) check(c Criterion) error {
	for _, p := range e.params {
		if _, ok := c.Params[p]; !ok {
			return fmt.Errorf("criterion %s: evaluator %s needs param %q", c.ID, c.Evaluator, p)
		}
	}
	if e.measureParams {
		if len(c.Params) == 0 {
			return fmt.Errorf("criterion %s: evaluator %s needs at least one measurement", c.ID, c.Evaluator)
		}
		for p := range c.Params {
			if _, ok := measures[p]; !ok {
				return fmt.Errorf("criterion %s: unknown measurement %q", c.ID, p)
			}
		}
	} else if len(c.Params) != len(e.params) {
		return fmt.Errorf("criterion %s: evaluator %s takes params %v", c.ID, c.Evaluator, e.params)
	}
	for p, v := range c.Params {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("criterion %s: param %s is %v", c.ID, p, v)
		}
	}
	return nil
}

// evaluators are the named checks criteria.json refers to. Their thresholds come from the
// criterion's Params; the comparison (>, ≥, <) is the evaluator's, named after the wording.
var evaluators map[string]evaluator

func init() {
	evaluators = map[string]evaluator{
		"pta_speech_freq_above":          {params: []string{"limit"}, fn: evalSpeechFreqAbove},
		"pta_binaural_high_at_least":     {params: []string{"limit"}, fn: evalBinauralHigh},
		"pta_binaural_high_and_weighted": {params: []string{"limit", "weighted"}, fn: evalBinauralHighWeighted},
		"pta_speech_avg_at_least":        {params: []string{"limit"}, fn: evalSpeechAvg(true)},
		"pta_speech_avg_above":           {params: []string{"limit"}, fn: evalSpeechAvg(false)},
		"noise_sensitive":                {params: []string{"baseline_max", "months", "limit"}, fn: evalNoiseSensitive},
		"gbz49_screen":                   {params: []string{"limit"}, fn: evalGBZ49},
		"driving_hearing":                {params: []string{"binaural", "ear"}, fn: evalDrivingHearing},
		"any_below":                      {measureParams: true, fn: evalCompare("<")},
		"any_at_least":                   {measureParams: true, fn: evalCompare("≥")},
		"outside_reference":              {measureParams: true, fn: evalOutsideReference},
		"lead_band":                      {params: []string{"pb_blood_lo", "pb_blood_hi", "pb_urine_lo", "pb_urine_hi"}, fn: evalLeadBand},
	}
}

// Evaluate checks every implemented criterion of in's hazard, exam type and edition, in the
// order of the data, and returns one finding per criterion: Met, NotMet or Unknown. Criteria
// for the other driver class are skipped; criteria without an evaluator are not returned (the
// coverage table lists them). The findings are suggestions; the doctor concludes.
func (s *Set) Evaluate(in Input) []Finding {
	var out []Finding
	for _, c := range s.criteria {
		if !c.AppliesTo(in.Hazard, in.ExamType, in.Edition) || !c.Implemented() {
			continue
		}
		var r result
		switch {
		case c.DriverClass != "" && in.DriverClass == "":
			r = result{outcome: Unknown, missing: []string{"准驾车型（大型/小型）"}}
		case c.DriverClass != "" && in.DriverClass != c.DriverClass:
			continue
		default:
			r = evaluators[c.Evaluator].fn(c, in, s)
		}
		out = append(out, finding(c, r))
	}
	return out
}

func finding(c Criterion, r result) Finding {
	f := Finding{
		Criterion: c.ID, Kind: c.Kind, Clause: c.Clause, Status: c.Status, Outcome: r.outcome,
		Missing: r.missing, Used: r.used,
	}
	cite := "（" + c.Clause + "）"
	switch r.outcome {
	case Met:
		f.Text = r.detail + "：" + c.Kind.Name() + cite
		f.Confirm, f.Action = c.Confirm, c.Action
	case NotMet:
		f.Text = r.detail + "：不符合" + cite
	default:
		why := r.detail
		if len(r.missing) > 0 {
			why = (&MissingError{Names: r.missing}).Error()
			if r.detail != "" {
				why += "；" + r.detail
			}
		}
		f.Text = "无法判断：" + why + cite
	}
	return f
}

// num formats a value for the text: at most two decimals, no trailing zeros.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// audiogramOrMissing returns in's audiogram, or a result that says it is missing.
func audiogramOrMissing(a *Audiogram, what string) (*Audiogram, *result) {
	if a == nil {
		return nil, &result{outcome: Unknown, missing: []string{what}}
	}
	return a, nil
}

// unknownFrom turns an error of the audiogram arithmetic into an Unknown result.
func unknownFrom(err error) result {
	var m *MissingError
	if errors.As(err, &m) {
		return result{outcome: Unknown, missing: m.Names}
	}
	return result{outcome: Unknown, detail: app.ErrorMessage(err)}
}

// evalSpeechFreqAbove: any ear, any of 500/1000/2000 Hz, level > limit.
func evalSpeechFreqAbove(c Criterion, in Input, _ *Set) result {
	a, r := audiogramOrMissing(in.Audiogram, "纯音听阈测试结果")
	if r != nil {
		return *r
	}
	limit := c.Params["limit"]
	var hits, missing []string
	var used []Value
	var bad error
	for _, s := range Sides {
		for _, hz := range SpeechFreqs {
			v, err := a.Threshold(s, hz)
			var m *MissingError
			if errors.As(err, &m) {
				missing = append(missing, m.Names...)
				continue
			} else if err != nil {
				bad = err
				continue
			}
			name := fmt.Sprintf("%s %d Hz", s.Name(), hz)
			used = append(used, Value{name, v, "dBHL"})
			if v > limit {
				hits = append(hits, fmt.Sprintf("%s 听阈 %s dBHL > %s dBHL", name, num(v), num(limit)))
			}
		}
	}
	switch {
	case len(hits) > 0:
		return result{outcome: Met, detail: strings.Join(hits, "；"), used: used}
	case bad != nil:
		return result{outcome: Unknown, detail: app.ErrorMessage(bad), used: used, missing: missing}
	case len(missing) > 0:
		return result{outcome: Unknown, used: used, missing: missing}
	}
	return result{outcome: NotMet, detail: fmt.Sprintf("双耳 500/1000/2000 Hz 听阈均 ≤ %s dBHL", num(limit)), used: used}
}

// evalBinauralHigh: 双耳高频平均听阈 ≥ limit.
func evalBinauralHigh(c Criterion, in Input, _ *Set) result {
	a, r := audiogramOrMissing(in.Audiogram, "纯音听阈测试结果")
	if r != nil {
		return *r
	}
	limit := c.Params["limit"]
	v, err := a.BinauralHighAverage()
	if err != nil {
		return unknownFrom(err)
	}
	used := []Value{{"双耳高频平均听阈", v, "dBHL"}}
	if v >= limit {
		return result{outcome: Met, detail: fmt.Sprintf("双耳高频平均听阈 %s dBHL ≥ %s dBHL", num(v), num(limit)), used: used}
	}
	return result{outcome: NotMet, detail: fmt.Sprintf("双耳高频平均听阈 %s dBHL < %s dBHL", num(v), num(limit)), used: used}
}

// evalBinauralHighWeighted: 双耳高频平均 ≥ limit and the better ear's weighted value ≥ weighted.
func evalBinauralHighWeighted(c Criterion, in Input, s *Set) result {
	high := evalBinauralHigh(c, in, s)
	if high.outcome != Met {
		return high
	}
	w := s.Weighting()
	side, v, err := in.Audiogram.BetterEarWeighted(w)
	if err != nil {
		r := unknownFrom(err)
		r.used = high.used
		r.detail = strings.TrimPrefix(r.detail+"；"+high.detail, "；")
		return r
	}
	limit := c.Params["weighted"]
	used := append(high.used, Value{"较好耳（" + side.Name() + "）加权值", v, "dBHL"})
	wtext := fmt.Sprintf("较好耳（%s）语频和 4000 Hz 听阈加权值 %s dBHL", side.Name(), num(v))
	note := ""
	if w.Status != StatusVerified {
		note = "（加权公式待核实）"
	}
	if v >= limit {
		return result{outcome: Met, detail: high.detail + "，且" + wtext + " ≥ " + num(limit) + " dBHL" + note, used: used}
	}
	return result{outcome: NotMet, detail: high.detail + "，但" + wtext + " < " + num(limit) + " dBHL" + note, used: used}
}

// evalSpeechAvg: any ear's speech-frequency average ≥ limit (atLeast) or > limit.
func evalSpeechAvg(atLeast bool) func(Criterion, Input, *Set) result {
	op, notOp := ">", "≤"
	if atLeast {
		op, notOp = "≥", "<"
	}
	return func(c Criterion, in Input, _ *Set) result {
		a, r := audiogramOrMissing(in.Audiogram, "纯音听阈测试结果")
		if r != nil {
			return *r
		}
		limit := c.Params["limit"]
		var hits []string
		var used []Value
		var errs []error
		for _, s := range Sides {
			v, err := a.SpeechAverage(s)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			used = append(used, Value{s.Name() + "语频平均听阈", v, "dBHL"})
			if v > limit || (atLeast && v == limit) {
				hits = append(hits, fmt.Sprintf("%s语频平均听阈 %s dBHL %s %s dBHL", s.Name(), num(v), op, num(limit)))
			}
		}
		if len(hits) > 0 {
			return result{outcome: Met, detail: strings.Join(hits, "；"), used: used}
		}
		if len(errs) > 0 {
			r := unknownFrom(joinMissing(errs...))
			r.used = used
			return r
		}
		return result{outcome: NotMet, detail: fmt.Sprintf("双耳语频平均听阈均 %s %s dBHL", notOp, num(limit)), used: used}
	}
}

// evalNoiseSensitive: 噪声敏感者 — pre-employment levels all ≤ baseline_max, noise work ≤ months,
// and now any ear at 3000/4000/6000 Hz ≥ limit.
func evalNoiseSensitive(c Criterion, in Input, _ *Set) result {
	a, r := audiogramOrMissing(in.Audiogram, "纯音听阈测试结果")
	if r != nil {
		return *r
	}
	limit := c.Params["limit"]
	var hits []string
	var used []Value
	var errs []error
	for _, s := range Sides {
		for _, hz := range HighFreqs {
			v, err := a.Threshold(s, hz)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			name := fmt.Sprintf("%s %d Hz", s.Name(), hz)
			used = append(used, Value{name, v, "dBHL"})
			if v >= limit {
				hits = append(hits, fmt.Sprintf("%s 听阈 %s dBHL ≥ %s dBHL", name, num(v), num(limit)))
			}
		}
	}
	if len(hits) == 0 {
		if len(errs) > 0 {
			r := unknownFrom(joinMissing(errs...))
			r.used = used
			return r
		}
		return result{outcome: NotMet, detail: fmt.Sprintf("双耳高频听阈均 < %s dBHL", num(limit)), used: used}
	}
	detail := strings.Join(hits, "；")
	var missing []string
	months, ok := in.Values[MeasNoiseMonths]
	switch {
	case !ok:
		missing = append(missing, "噪声作业时间（月）")
	case math.IsNaN(months) || months < 0:
		return result{outcome: Unknown, detail: detail + "；噪声作业时间无效", used: used}
	case months > c.Params["months"]:
		used = append(used, Value{"噪声作业时间", months, "个月"})
		return result{outcome: NotMet, detail: fmt.Sprintf("%s，但噪声作业 %s 个月，已超过 %s 个月", detail, num(months), num(c.Params["months"])), used: used}
	default:
		used = append(used, Value{"噪声作业时间", months, "个月"})
	}
	if in.Baseline == nil {
		missing = append(missing, "上岗前纯音听阈测试结果")
		return result{outcome: Unknown, detail: detail, used: used, missing: missing}
	}
	baseMax := c.Params["baseline_max"]
	var over []string
	var berrs []error
	for _, s := range Sides {
		for _, hz := range StandardFreqs {
			v, err := in.Baseline.Threshold(s, hz)
			if err != nil {
				berrs = append(berrs, err)
				continue
			}
			used = append(used, Value{fmt.Sprintf("上岗前 %s %d Hz", s.Name(), hz), v, "dBHL"})
			if v > baseMax {
				over = append(over, fmt.Sprintf("%s %d Hz %s dBHL", s.Name(), hz, num(v)))
			}
		}
	}
	if len(over) > 0 {
		return result{outcome: NotMet, detail: fmt.Sprintf("%s，但上岗前听阈并非均 ≤ %s dBHL（%s）", detail, num(baseMax), strings.Join(over, "、")), used: used}
	}
	if len(berrs) > 0 {
		if m, ok := joinMissing(berrs...).(*MissingError); ok {
			for _, n := range m.Names {
				missing = append(missing, "上岗前 "+n)
			}
		} else {
			return result{outcome: Unknown, detail: detail + "；上岗前" + app.ErrorMessage(joinMissing(berrs...)), used: used, missing: missing}
		}
	}
	if len(missing) > 0 {
		return result{outcome: Unknown, detail: detail, used: used, missing: missing}
	}
	return result{outcome: Met, detail: fmt.Sprintf("上岗前各频率听阈均 ≤ %s dBHL，噪声作业 %s 个月，%s", num(baseMax), num(months), detail), used: used}
}

// evalGBZ49: the screen for 疑似职业性噪声聋 — raw 双耳高频平均听阈 ≥ limit. When age and sex
// are known it adds, for reference, the corrected average, the better ear's weighted value
// and its grade; these never change the outcome.
func evalGBZ49(c Criterion, in Input, s *Set) result {
	r := evalBinauralHigh(c, in, s)
	if r.outcome != Met {
		return r
	}
	var ref []string
	w := s.Weighting()
	if side, v, err := in.Audiogram.BetterEarWeighted(w); err == nil {
		ref = append(ref, fmt.Sprintf("未修正较好耳（%s）加权值 %s dBHL", side.Name(), num(v)))
	}
	if in.Age > 0 {
		if ca, err := Corrected(*in.Audiogram, in.Age, in.Sex, s.correction); err == nil {
			if v, err := ca.BinauralHighAverage(); err == nil {
				ref = append(ref, fmt.Sprintf("年龄性别修正后双耳高频平均听阈 %s dBHL", num(v)))
				r.used = append(r.used, Value{"修正后双耳高频平均听阈", v, "dBHL"})
			}
			if side, v, err := ca.BetterEarWeighted(w); err == nil {
				g := "未达分级"
				if name, ok := s.Grade(v); ok {
					g = name
				}
				ref = append(ref, fmt.Sprintf("修正后较好耳（%s）加权值 %s dBHL（%s）", side.Name(), num(v), g))
				r.used = append(r.used, Value{"修正后较好耳（" + side.Name() + "）加权值", v, "dBHL"})
			}
		}
	}
	if len(ref) > 0 {
		r.detail += "（参考，修正表与加权公式待核实：" + strings.Join(ref, "；") + "）"
	}
	return r
}

// evalDrivingHearing: 双耳语频平均听阈 > binaural, or any ear's speech average > ear.
func evalDrivingHearing(c Criterion, in Input, s *Set) result {
	a, r := audiogramOrMissing(in.Audiogram, "纯音听阈测试结果")
	if r != nil {
		return *r
	}
	ear := evalSpeechAvg(false)(Criterion{Params: map[string]float64{"limit": c.Params["ear"]}}, in, s)
	if ear.outcome == Met {
		return ear
	}
	v, err := a.BinauralSpeechAverage()
	if err != nil {
		return unknownFrom(err)
	}
	used := append(ear.used, Value{"双耳语频平均听阈", v, "dBHL"})
	if v > c.Params["binaural"] {
		return result{outcome: Met, detail: fmt.Sprintf("双耳语频平均听阈 %s dBHL > %s dBHL", num(v), num(c.Params["binaural"])), used: used}
	}
	return result{outcome: NotMet, detail: fmt.Sprintf("双耳语频平均听阈 %s dBHL ≤ %s dBHL，%s", num(v), num(c.Params["binaural"]), ear.detail), used: used}
}

// evalCompare: any listed measurement below (<) or at least (≥) its threshold.
func evalCompare(op string) func(Criterion, Input, *Set) result {
	return func(c Criterion, in Input, _ *Set) result {
		var hits, oks, missing []string
		var used []Value
		for _, p := range slices.Sorted(maps.Keys(c.Params)) {
			name, unit := MeasureName(p)
			limit := c.Params[p]
			v, ok := in.Values[p]
			if !ok {
				missing = append(missing, name)
				continue
			} else if math.IsNaN(v) || math.IsInf(v, 0) {
				missing = append(missing, name+"（数值无效）")
				continue
			}
			used = append(used, Value{name, v, unit})
			met := v < limit
			if op == "≥" {
				met = v >= limit
			}
			if met {
				hits = append(hits, fmt.Sprintf("%s %s %s %s %s", name, num(v), unit, op, num(limit)))
			} else {
				neg := "≥"
				if op == "≥" {
					neg = "<"
				}
				oks = append(oks, fmt.Sprintf("%s %s %s %s %s", name, num(v), unit, neg, num(limit)))
			}
		}
		switch {
		case len(hits) > 0:
			return result{outcome: Met, detail: strings.Join(hits, "；"), used: used}
		case len(missing) > 0:
			return result{outcome: Unknown, detail: strings.Join(oks, "；"), used: used, missing: missing}
		}
		return result{outcome: NotMet, detail: strings.Join(oks, "；"), used: used}
	}
}

// evalOutsideReference: a measurement outside the lab's reference interval. Params name the
// measurements: 1 = required (missing → Unknown), 0 = checked when present.
func evalOutsideReference(c Criterion, in Input, _ *Set) result {
	var hits, missing []string
	var used []Value
	for _, p := range slices.Sorted(maps.Keys(c.Params)) {
		name, unit := MeasureName(p)
		v, ok := in.Values[p]
		rg, hasRange := in.Ranges[p]
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			if c.Params[p] != 0 {
				missing = append(missing, name)
			}
			continue
		}
		if !hasRange {
			if c.Params[p] != 0 {
				missing = append(missing, name+"参考区间")
			}
			continue
		}
		used = append(used, Value{name, v, unit})
		if v < rg.Low {
			hits = append(hits, fmt.Sprintf("%s %s %s 低于参考区间 %s～%s", name, num(v), unit, num(rg.Low), num(rg.High)))
		} else if v > rg.High {
			hits = append(hits, fmt.Sprintf("%s %s %s 高于参考区间 %s～%s", name, num(v), unit, num(rg.Low), num(rg.High)))
		}
	}
	switch {
	case len(hits) > 0:
		return result{outcome: Met, detail: strings.Join(hits, "；"), used: used}
	case len(missing) > 0:
		return result{outcome: Unknown, used: used, missing: missing}
	}
	return result{outcome: NotMet, detail: "血常规各项均在参考区间内", used: used}
}

// evalLeadBand: blood lead in [lo, hi] or urine lead in [lo, hi] → recheck. One of the two
// suffices (血铅或尿铅); a value above the band is not covered by the rule → Unknown.
func evalLeadBand(c Criterion, in Input, _ *Set) result {
	type band struct {
		meas   string
		lo, hi float64
	}
	bands := []band{
		{MeasBloodLead, c.Params["pb_blood_lo"], c.Params["pb_blood_hi"]},
		{MeasUrineLead, c.Params["pb_urine_lo"], c.Params["pb_urine_hi"]},
	}
	var hits, above, below []string
	var used []Value
	for _, b := range bands {
		name, unit := MeasureName(b.meas)
		v, ok := in.Values[b.meas]
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		used = append(used, Value{name, v, unit})
		switch {
		case v >= b.lo && v <= b.hi:
			hits = append(hits, fmt.Sprintf("%s %s %s 在 %s～%s %s", name, num(v), unit, num(b.lo), num(b.hi), unit))
		case v > b.hi:
			above = append(above, fmt.Sprintf("%s %s %s > %s %s", name, num(v), unit, num(b.hi), unit))
		default:
			below = append(below, fmt.Sprintf("%s %s %s < %s %s", name, num(v), unit, num(b.lo), unit))
		}
	}
	switch {
	case len(hits) > 0:
		return result{outcome: Met, detail: strings.Join(hits, "；"), used: used}
	case len(above) > 0:
		return result{outcome: Unknown, detail: strings.Join(above, "；") + "，高于本条区间，本条未作规定，请医师判断", used: used}
	case len(below) > 0:
		return result{outcome: NotMet, detail: strings.Join(below, "；") + "（按 1年1次）", used: used}
	}
	return result{outcome: Unknown, missing: []string{"血铅或尿铅"}}
}
