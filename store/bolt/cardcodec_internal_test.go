package bolt

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"occhealth/app"
)

func TestCardProjectionRoundTrip(t *testing.T) {
	lo, hi := 3.5, 9.5
	cst := time.FixedZone("", 8*3600)
	e := &app.Exam{
		ID: 42, Version: 9, Number: "126000042", WorkerID: 7, EmployerID: 3, Type: app.ExamPeriodic, Recheck: true, PreviousExamID: 5,
		Hazards: []string{"1038", "3008"}, Edition: "2025", Date: time.Date(2026, 10, 10, 0, 0, 0, 0, cst), JobCode: "09-033",
		PackageIDs: []int64{}, Items: []app.ExamItem{{GroupCode: "G0101", Name: "血常规", Required: true, Hazards: []string{"1038"}}},
		State: app.ExamReleased, UpdatedBy: "dengji", UpdatedAt: time.Date(2026, 10, 14, 9, 0, 0, 0, time.UTC),
		Record: &app.ExamRecord{
			ExamID: 42, Edition: 1,
			Inquiry: &app.Inquiry{Date: time.Date(2026, 10, 10, 8, 30, 0, 0, time.UTC), Smoking: app.Habit{Status: "2", PerDay: 10, Years: 5},
				Symptoms: []app.SymptomAnswer{{Code: "1010000", Name: "头痛", Present: true, Degree: "轻"}}},
			Results: []app.Result{{ItemCode: "4012000", GroupCode: "G0101", Kind: app.ResultNumeric, Value: "-1.25", Number: -1.25, Unit: "g/L",
				Status: app.ResultDone, Flag: app.FlagLow, Range: app.RefRange{Low: &lo, High: &hi, Normal: []string{}}, Time: time.Date(2026, 10, 10, 9, 0, 0, 123456789, cst)}},
			Conclusion: &app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "3008", Code: "03", DiseaseCode: "4001", Disease: "噪声聋"}}},
			Signature:  &app.Signature{Login: "zhujian", Name: "王医生", At: time.Date(2026, 10, 12, 10, 0, 0, 0, cst)},
			Releases:   []app.Handover{{At: time.Date(2026, 10, 14, 9, 0, 0, 0, cst), Recipient: "张三"}, {Recipient: "单位"}},
			Addenda:    []app.Addendum{{Text: "补充"}},
			Parties: &app.ExamParties{Worker: app.Worker{Name: "张三", Exposures: []app.Exposure{{HazardCode: "1038", Start: time.Date(2005, 3, 1, 0, 0, 0, 0, time.UTC)}}},
				HazardNames: map[string]string{"3008": "噪声", "1038": "矽尘"}, ItemNames: map[string]string{}},
		},
	}
	b, err := encodeProjection(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeProjection(b)
	if err != nil {
		t.Fatal(err)
	}
	want := projectionOf(e)
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if string(wj) != string(gj) {
		t.Fatalf("round trip differs:\nwant %s\ngot  %s", wj, gj)
	}
	// Encoding what was decoded gives the same bytes: the stored projection's digest is the
	// content hash of the card read from it.
	if b2, err := encodeProjection(got); err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("re-encoding differs (%v)", err)
	}
	if len(got.Record.Releases) != 1 || got.Record.Addenda != nil || got.Version != 0 || got.State != "" {
		t.Fatalf("projection keeps %+v", got)
	}
	if len(got.Items) != 1 || got.Record.Results[0].Time.Nanosecond() != 123456789 {
		t.Fatalf("the adapters' item groups and result times are kept: %+v", got)
	}
	if !got.Date.Equal(e.Date) || !got.Record.Signature.At.Equal(e.Record.Signature.At) {
		t.Fatalf("times %v %v %v", got.Date, got.Record.Signature.At, got.Record.Results[0].Time)
	}
	if _, err := decodeProjection(b[:len(b)-3]); err == nil {
		t.Error("truncated projection decoded")
	}
	b[0] ^= 0xff
	if _, err := decodeProjection(b); err != errStaleProjection {
		t.Errorf("projection of other types: %v", err)
	}
}
