package bolt

import (
	"reflect"
	"testing"
	"time"

	"occhealth/app"
)

// richExam has a value of every kind the projection holds: nil and empty slices, maps and
// pointers, negative numbers, times in time.Local, UTC and fixed zones on both sides of a
// daylight-saving change.
func richExam(local *time.Location) *app.Exam {
	lo, hi := 3.5, 9.5
	cst := time.FixedZone("", 8*3600)
	winter, summer := time.Date(2026, 1, 10, 9, 0, 0, 0, local), time.Date(2026, 7, 10, 9, 0, 0, 5, local)
	return &app.Exam{
		ID: 42, Number: "126000042", WorkerID: 7, EmployerID: 3, HostEmployerID: -4, Type: app.ExamPeriodic, Recheck: true, PreviousExamID: 5,
		Hazards: []string{"1038", "3008"}, Edition: "2025", Date: winter, JobCode: "09-033", JobName: "",
		Items: []app.ExamItem{{GroupCode: "G0101", Name: "血常规", Required: true, Hazards: []string{"1038"}}, {GroupCode: "G0201", Hazards: []string{}}},
		Record: &app.ExamRecord{
			ExamID: 42, Edition: 1,
			Inquiry: &app.Inquiry{Date: summer, Smoking: app.Habit{Status: "2", PerDay: 10, Years: 5},
				Symptoms: []app.SymptomAnswer{{Code: "1010000", Name: "头痛", Present: true, Degree: "轻"}}},
			Results: []app.Result{
				{ItemCode: "4012000", GroupCode: "G0101", Kind: app.ResultNumeric, Value: "-1.25", Number: -1.25, Unit: "g/L",
					Status: app.ResultDone, Flag: app.FlagLow, Range: app.RefRange{Low: &lo, High: &hi, Normal: []string{}}, Time: time.Date(2026, 10, 10, 9, 0, 0, 123456789, cst)},
				{ItemCode: "4012100", Kind: app.ResultText, Status: app.ResultRefused, Range: app.RefRange{High: &hi, Normal: []string{"阴性", "弱阳性"}}, Time: summer.UTC()},
				{GroupCode: "G0201", Status: app.ResultMissing, Time: winter},
			},
			Conclusion: &app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "3008", Code: "03", DiseaseCode: "4001", Disease: "噪声聋"}},
				Recheck: &app.RecheckOrder{Groups: []string{"G0401"}, Date: summer}},
			Signature: &app.Signature{Login: "zhujian", Name: "王医生", At: time.Date(2026, 10, 12, 10, 0, 0, 0, time.FixedZone("", -5*3600))},
			Releases:  []app.Handover{{At: summer, Recipient: "张三"}},
			Parties: &app.ExamParties{Worker: app.Worker{Name: "张三", Exposures: []app.Exposure{{HazardCode: "1038", Start: time.Date(2005, 3, 1, 0, 0, 0, 0, time.UTC)}}},
				Employer: app.Employer{Name: "某公司", CreditCode: "91450100M000100Y4R"}, HostEmployer: &app.Employer{Name: "用工单位"},
				HazardNames: map[string]string{"3008": "噪声", "1038": "矽尘"}, ItemNames: map[string]string{}},
		},
	}
}

// TestCardProjection_CompiledDecoderMatchesReflective: the compiled decoder gives what the
// reflective one gives, value for value (locations included), in several local zones, and
// refuses every truncation the same way without panicking.
func TestCardProjection_CompiledDecoderMatchesReflective(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		zones = append(zones, ny)
	}
	for _, loc := range zones {
		time.Local = loc
		b, err := encodeProjection(richExam(loc))
		if err != nil {
			t.Fatal(err)
		}
		want, err := decodeProjectionWith(b, true)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeProjectionWith(b, false)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("Local %s: compiled decoder differs:\nwant %+v\ngot  %+v", loc, want.Record, got.Record)
		}
		if got.Record.Inquiry.Date.Location() != time.Local || got.Record.Results[1].Time.Location() != want.Record.Results[1].Time.Location() {
			t.Fatalf("Local %s: locations %v %v", loc, got.Record.Inquiry.Date.Location(), got.Record.Results[1].Time.Location())
		}
		for n := len(typeFingerprint()); n < len(b); n++ {
			_, errR := decodeProjectionWith(b[:n], true)
			_, errC := decodeProjectionWith(b[:n], false)
			if errC == nil || (errR == nil) != (errC == nil) {
				t.Fatalf("Local %s: %d of %d bytes: reflective %v, compiled %v", loc, n, len(b), errR, errC)
			}
		}
	}
}
