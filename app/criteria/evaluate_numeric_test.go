package criteria_test

import (
	"testing"

	"occhealth/app"
	"occhealth/app/criteria"
)

// TestEvaluate_NumericThresholds covers the [P] numeric criteria whose thresholds the GBZ 188
// transcriptions leave to other standards: 中度贫血 for lead (GBZ 188-2014 5.1.1.1; GBZ 188—2025
// 5.1.1.1 a); hemoglobin below 90 g/L after WS/T 441—2013), 2级高血压 for heat (GBZ 188—2025
// 7.3.1.1 a); 160/100 mmHg after the Chinese hypertension guideline) and the far visual acuity
// of drivers (GBZ 188—2025 9.4.2: large vehicles 5.0, small 4.9, either eye).
func TestEvaluate_NumericThresholds(t *testing.T) {
	lead := func(ed string, hgb float64) criteria.Input {
		return criteria.Input{Hazard: "2237", ExamType: app.ExamPreEmployment, Edition: ed, Values: map[string]float64{criteria.MeasHGB: hgb}}
	}
	heat := func(sbp, dbp float64) criteria.Input {
		return criteria.Input{Hazard: "3007", ExamType: app.ExamPeriodic, Edition: "2025",
			Values: map[string]float64{criteria.MeasSBP: sbp, criteria.MeasDBP: dbp}}
	}
	drive := func(class string, l, r float64) criteria.Input {
		return criteria.Input{Hazard: "6006", ExamType: app.ExamPreEmployment, Edition: "2025", DriverClass: class,
			Values: map[string]float64{criteria.MeasAcuityLeft: l, criteria.MeasAcuityRight: r}}
	}
	runEval(t, []evalCase{
		{"2014 5.1.1.1 hgb 89", "lead-01-anaemia", lead("2014", 89), criteria.Met, "血红蛋白 89 g/L < 90"},
		{"2014 5.1.1.1 hgb 90", "lead-01-anaemia", lead("2014", 90), criteria.NotMet, "血红蛋白 90 g/L ≥ 90"},
		{"2014 5.1.1.1 hgb 55 (重度)", "lead-01-anaemia", lead("2014", 55), criteria.Met, "55"},
		{"2025 5.1.1.1 a) hgb 75", "lead-01-anaemia-2025", lead("2025", 75), criteria.Met, "< 90"},
		{"2025 5.1.1.1 a) hgb 120", "lead-01-anaemia-2025", lead("2025", 120), criteria.NotMet, ""},
		{"2025 5.1.1.1 a) no hgb", "lead-01-anaemia-2025", criteria.Input{Hazard: "2237", ExamType: app.ExamPeriodic, Edition: "2025"}, criteria.Unknown, ""},
		{"2025 7.3.1.1 a) 160/90", "heat-2025-hypertension", heat(160, 90), criteria.Met, "收缩压 160 mmHg ≥ 160"},
		{"2025 7.3.1.1 a) 150/100", "heat-2025-hypertension", heat(150, 100), criteria.Met, "舒张压 100 mmHg ≥ 100"},
		{"2025 7.3.1.1 a) 159/99", "heat-2025-hypertension", heat(159, 99), criteria.NotMet, ""},
		{"2025 9.4.2 large 5.0/4.9", "driving-2025-acuity-large", drive(criteria.DriverLarge, 5.0, 4.9), criteria.Met, "右眼远视力 4.9"},
		{"2025 9.4.2 large 5.0/5.1", "driving-2025-acuity-large", drive(criteria.DriverLarge, 5.0, 5.1), criteria.NotMet, ""},
		{"2025 9.4.2 small 4.9/4.9", "driving-2025-acuity-small", drive(criteria.DriverSmall, 4.9, 4.9), criteria.NotMet, ""},
		{"2025 9.4.2 small 4.8/5.0", "driving-2025-acuity-small", drive(criteria.DriverSmall, 4.8, 5.0), criteria.Met, "左眼远视力 4.8"},
	})
}

// TestEvaluate_SmallDriverHypertension: GBZ 188—2025 9.4.2, small vehicles, 未控制的2级及以上
// 高血压 at 160/100 mmHg; the large-vehicle 140/90 rule does not apply to small vehicles.
func TestEvaluate_SmallDriverHypertension(t *testing.T) {
	in := func(sbp, dbp float64) criteria.Input {
		return criteria.Input{Hazard: "6006", ExamType: app.ExamPeriodic, Edition: "2025", DriverClass: criteria.DriverSmall,
			Values: map[string]float64{criteria.MeasSBP: sbp, criteria.MeasDBP: dbp}}
	}
	runEval(t, []evalCase{
		{"150/95", "driving-2025-bp-small", in(150, 95), criteria.NotMet, ""},
		{"162/95", "driving-2025-bp-small", in(162, 95), criteria.Met, "收缩压 162 mmHg ≥ 160"},
	})
	for _, f := range mustLoad(t).Evaluate(in(150, 95)) {
		if f.Criterion == "driving-2025-bp-large" {
			t.Errorf("large-vehicle rule evaluated for a small-vehicle driver: %+v", f)
		}
	}
}
