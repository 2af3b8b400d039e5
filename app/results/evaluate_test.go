package results_test

import (
	"testing"

	"occhealth/app"
	"occhealth/app/results"
)

func numeric(value string) *results.Result {
	return &results.Result{Kind: results.KindNumeric, Value: value, Status: results.StatusDone}
}

func TestEvaluate_Numeric(t *testing.T) {
	wbc := results.Range{Kind: results.KindNumeric, Low: f(3.5), High: f(9.5), CriticalLow: f(1.5), CriticalHigh: f(30)}
	hgb := results.Range{Kind: results.KindNumeric, Low: f(115), High: f(175),
		Male: &results.Limits{Low: f(130), High: f(175)}, Female: &results.Limits{Low: f(115), High: f(150)},
		CriticalLow: f(60), CriticalHigh: f(200)}
	hearing := results.Range{Kind: results.KindNumeric, High: f(25)}
	lowOnly := results.Range{Kind: results.KindNumeric, Low: f(60)}
	for _, tc := range []struct {
		name  string
		value string
		rng   results.Range
		sex   app.Sex
		want  results.Flag
	}{
		{"WBC at low bound", "3.5", wbc, app.SexMale, results.FlagNormal},
		{"WBC just below low", "3.49", wbc, app.SexMale, results.FlagLow},
		{"WBC at high bound", "9.5", wbc, app.SexMale, results.FlagNormal},
		{"WBC just above high", "9.51", wbc, app.SexMale, results.FlagHigh},
		{"WBC at critical low", "1.5", wbc, app.SexMale, results.FlagLow},
		{"WBC below critical low", "1.49", wbc, app.SexMale, results.FlagCriticalLow},
		{"WBC at critical high", "30", wbc, app.SexMale, results.FlagHigh},
		{"WBC above critical high", "30.1", wbc, app.SexMale, results.FlagCriticalHigh},
		{"HGB 120 male low", "120", hgb, app.SexMale, results.FlagLow},
		{"HGB 120 female normal", "120", hgb, app.SexFemale, results.FlagNormal},
		{"HGB 160 female high", "160", hgb, app.SexFemale, results.FlagHigh},
		{"HGB 160 male normal", "160", hgb, app.SexMale, results.FlagNormal},
		{"HGB 120 sex unknown: union", "120", hgb, app.SexUnknown, results.FlagNormal},
		{"HGB 110 sex unknown: low for both", "110", hgb, app.SexUnspecified, results.FlagLow},
		{"HGB critical for either sex", "59", hgb, app.SexFemale, results.FlagCriticalLow},
		{"HGB at critical low", "60", hgb, app.SexFemale, results.FlagLow},
		{"hearing 25 normal", "25", hearing, app.SexMale, results.FlagNormal},
		{"hearing 26 high", "26", hearing, app.SexMale, results.FlagHigh},
		{"hearing -10 normal", "-10", hearing, app.SexMale, results.FlagNormal},
		{"low only: at bound", "60", lowOnly, app.SexMale, results.FlagNormal},
		{"low only: below", "59", lowOnly, app.SexMale, results.FlagLow},
		{"全角 value", "１．４", wbc, app.SexMale, results.FlagCriticalLow},
		// Qualified values: judged only when every value they allow gets the same flag.
		{"<0.1 with no low bound", "<0.1", hearing, app.SexMale, results.FlagNormal},
		{"<25 with high 25", "<25", hearing, app.SexMale, results.FlagNormal},
		{"≤25 with high 25", "≤25", hearing, app.SexMale, results.FlagNormal},
		{"<26 with high 25: undecided", "<26", hearing, app.SexMale, results.FlagNone},
		{">25 with high 25", ">25", hearing, app.SexMale, results.FlagHigh},
		{"≥25 with high 25: undecided", "≥25", hearing, app.SexMale, results.FlagNone},
		{"≥26 with high 25", "≥26", hearing, app.SexMale, results.FlagHigh},
		{"<5 inside WBC range: undecided", "<5", wbc, app.SexMale, results.FlagNone},
		{"<3.5 below WBC range", "<3.5", wbc, app.SexMale, results.FlagLow},
		{"≤3.5 may be normal", "≤3.5", wbc, app.SexMale, results.FlagNone},
		{"<1.5 critical", "<1.5", wbc, app.SexMale, results.FlagCriticalLow},
		{">30 critical", ">30", wbc, app.SexMale, results.FlagCriticalHigh},
		{">20 high, maybe critical", ">20", wbc, app.SexMale, results.FlagHigh},
		{">5 with high bound: undecided", ">5", wbc, app.SexMale, results.FlagNone},
		{">70 with low only", ">70", lowOnly, app.SexMale, results.FlagNormal},
		{"unparsable", "5,6", wbc, app.SexMale, results.FlagNone},
		{"no bounds", "5", results.Range{Kind: results.KindNumeric}, app.SexMale, results.FlagNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := numeric(tc.value)
			before := *r
			if got := results.Evaluate(r, tc.rng, tc.sex); got != tc.want {
				t.Errorf("Evaluate(%q) = %q, want %q", tc.value, got, tc.want)
			}
			if r.Value != before.Value || r.Flag != before.Flag {
				t.Errorf("Evaluate changed the result: %+v", r)
			}
		})
	}
}

func TestEvaluate_NotJudged(t *testing.T) {
	rng := results.Range{Kind: results.KindNumeric, Low: f(3.5), High: f(9.5)}
	for _, r := range []*results.Result{
		nil,
		{Kind: results.KindNumeric, Status: results.StatusRefused},
		{Kind: results.KindNumeric, Status: results.StatusMissing, Value: "1"},
		{Kind: results.KindNumeric, Status: results.StatusDone, Value: ""},
	} {
		if got := results.Evaluate(r, rng, app.SexMale); got != results.FlagNone {
			t.Errorf("Evaluate(%+v) = %q, want none", r, got)
		}
	}
	// A result without a kind is judged by the range's kind.
	if got := results.Evaluate(&results.Result{Status: results.StatusDone, Value: "10"}, rng, app.SexMale); got != results.FlagHigh {
		t.Errorf("kindless result: %q", got)
	}
}

func TestEvaluate_Text(t *testing.T) {
	pro := results.Range{Kind: results.KindText, Text: "阴性"}
	uro := results.Range{Kind: results.KindText, Text: "正常", Normal: []string{"正常", "阴性", "±"}}
	chest := results.Range{Kind: results.KindCode, Normal: []string{"0"}, NotDone: []string{"3"}}
	for _, tc := range []struct {
		name  string
		kind  results.Kind
		value string
		rng   results.Range
		want  results.Flag
	}{
		{"阴性", results.KindText, "阴性", pro, results.FlagNormal},
		{"(-) typed", results.KindText, "（－）", pro, results.FlagNormal},
		{"±", results.KindText, "±", pro, results.FlagAbnormal},
		{"2+", results.KindText, "++", pro, results.FlagAbnormal},
		{"阳性", results.KindText, "阳性", pro, results.FlagAbnormal},
		{"URO ±", results.KindText, "±", uro, results.FlagNormal},
		{"URO 2+", results.KindText, "2+", uro, results.FlagAbnormal},
		{"no normal values", results.KindText, "阴性", results.Range{Kind: results.KindText}, results.FlagNone},
		{"chest 0", results.KindCode, "0", chest, results.FlagNormal},
		{"chest 全角 0", results.KindCode, "０", chest, results.FlagNormal},
		{"chest 1", results.KindCode, "1", chest, results.FlagAbnormal},
		{"chest 2", results.KindCode, "2", chest, results.FlagAbnormal},
		{"chest 3 not examined", results.KindCode, "3", chest, results.FlagNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &results.Result{Kind: tc.kind, Value: tc.value, Status: results.StatusDone}
			if got := results.Evaluate(r, tc.rng, app.SexFemale); got != tc.want {
				t.Errorf("Evaluate(%q) = %q, want %q", tc.value, got, tc.want)
			}
		})
	}
}

func TestCritical(t *testing.T) {
	plt := results.Range{Kind: results.KindNumeric, Low: f(125), High: f(350), CriticalLow: f(30), CriticalHigh: f(1000)}
	for _, tc := range []struct {
		value string
		want  bool
	}{
		{"29", true}, {"30", false}, {"31", false}, {"100", false}, {"1000", false}, {"1001", true},
		{"<30", true}, {"≤30", false}, {">1000", true}, {"≥1000", false}, {"<50", false},
	} {
		t.Run(tc.value, func(t *testing.T) {
			if got := results.Critical(numeric(tc.value), plt); got != tc.want {
				t.Errorf("Critical(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
	t.Run("not done", func(t *testing.T) {
		r := numeric("10")
		r.Status = results.StatusRefused
		if results.Critical(r, plt) || results.Critical(nil, plt) {
			t.Error("a refused or nil result is critical")
		}
	})
	t.Run("text", func(t *testing.T) {
		r := &results.Result{Kind: results.KindText, Value: "10", Status: results.StatusDone}
		if results.Critical(r, plt) {
			t.Error("a text result is critical")
		}
	})
}

func TestFlag(t *testing.T) {
	for _, tc := range []struct {
		f                  results.Flag
		name, arrow        string
		abnormal, critical bool
	}{
		{results.FlagNone, "", "", false, false},
		{results.FlagNormal, "正常", "", false, false},
		{results.FlagHigh, "偏高", "↑", true, false},
		{results.FlagLow, "偏低", "↓", true, false},
		{results.FlagAbnormal, "异常", "*", true, false},
		{results.FlagCriticalHigh, "危急值（偏高）", "↑↑", true, true},
		{results.FlagCriticalLow, "危急值（偏低）", "↓↓", true, true},
	} {
		if tc.f.Name() != tc.name || tc.f.Arrow() != tc.arrow || tc.f.Abnormal() != tc.abnormal || tc.f.Critical() != tc.critical {
			t.Errorf("%q: %q %q %v %v", tc.f, tc.f.Name(), tc.f.Arrow(), tc.f.Abnormal(), tc.f.Critical())
		}
	}
}
