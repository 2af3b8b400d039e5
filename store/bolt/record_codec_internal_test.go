package bolt

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"occhealth/app"
)

func TestRecordDisk_RoundTrip(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	at := time.Date(2026, 11, 30, 9, 30, 0, 123, time.Local)
	in := &app.ExamRecord{ExamID: 7, Edition: 2, Results: []app.Result{
		{ItemCode: "5010100", GroupCode: "G0101", Kind: app.ResultNumeric, Value: "<0.1", Number: 0.1, Unit: "×10⁹/L",
			Status: app.ResultDone, Flag: app.FlagCriticalLow, Doctor: "tijian", Time: at,
			Range: app.RefRange{ItemCode: "5010100", Kind: app.ResultNumeric, Unit: "×10⁹/L", Low: f(3.5), High: f(9.5), Sex: app.SexMale,
				CriticalLow: f(1.5), CriticalHigh: f(30), Status: "P", CriticalStatus: "U"}},
		{ItemCode: "3080200", GroupCode: "G1101", Kind: app.ResultCode, Value: "3", Status: app.ResultDone, Time: at,
			Range: app.RefRange{ItemCode: "3080200", Kind: app.ResultCode, Text: "0 未见异常", Normal: []string{"0"}, NotDone: []string{"3"}}},
		{GroupCode: "G1201", Status: app.ResultRefused, Doctor: "tijian", Time: at},
	}, Inquiry: &app.Inquiry{PastHistory: "无", Smoking: app.Habit{Status: app.HabitRegular, PerDay: 10, Years: 20}}}
	in.Signature = &app.Signature{Login: "zhujian", At: at}
	enc, err := encode(toDisk(in))
	if err != nil {
		t.Fatal(err)
	}
	var d recordDisk
	d.ExamRecord = &app.ExamRecord{}
	if err := decode(enc, &d); err != nil {
		t.Fatal(err)
	}
	out := fromDisk(&d)
	// Compared in the codec's plain form (times by instant, not by location pointer).
	pin, _ := json.Marshal(in)
	pout, _ := json.Marshal(out)
	if !bytes.Equal(pin, pout) {
		t.Fatalf("round trip:\n in  %s\n out %s", pin, pout)
	}
	if len(enc) > 1200 {
		t.Errorf("three results take %d bytes", len(enc))
	}
}

func TestRecordDiff_ListsChangedResultsOnly(t *testing.T) {
	a := &app.ExamRecord{ExamID: 1, Results: []app.Result{{ItemCode: "1", GroupCode: "G", Value: "1"}, {ItemCode: "2", GroupCode: "G", Value: "2"}}}
	b := &app.ExamRecord{ExamID: 1, Results: []app.Result{{ItemCode: "1", GroupCode: "G", Value: "1"}, {ItemCode: "2", GroupCode: "G", Value: "3"},
		{ItemCode: "4", GroupCode: "G", Value: "4"}}, Addenda: []app.Addendum{{Text: "补"}}}
	ea, _ := encode(toDisk(a))
	eb, _ := encode(toDisk(b))
	got := recordDiff(ea, eb)
	want := `{"Addenda":[null,[{"At":"0001-01-01T00:00:00Z","Login":"","Name":"","Text":"补"}]],"结果 G/2":[{"i":"2","g":"G","v":"2"},{"i":"2","g":"G","v":"3"}],"结果 G/4":[null,{"i":"4","g":"G","v":"4"}]}`
	if got != want {
		t.Fatalf("diff\n got  %s\n want %s", got, want)
	}
}

func TestRecordVersion(t *testing.T) {
	enc, err := encode(&app.Worker{ID: 12, Version: 345, Name: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := recordVersion(enc); !ok || v != 345 {
		t.Fatalf("version %d %v of %s", v, ok, enc)
	}
	if _, ok := recordVersion([]byte{1, '{', '}'}); ok {
		t.Fatal("a version read from nothing")
	}
}
