package results_test

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/app/results"
)

func TestMarshalRanges(t *testing.T) {
	rs, _, _ := mustLoad(t)
	b, err := results.MarshalRanges(rs)
	if err != nil {
		t.Fatal(err)
	}
	// The shipped file is in the form MarshalRanges writes, so an administrator's export
	// differs from it only where the administrator changed something.
	shippedBytes, err := os.ReadFile("../../assets/rules/" + results.RangesFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, shippedBytes) {
		t.Error("reference_ranges.json is not in MarshalRanges form (numbers as Go writes them, fields in order)")
	}
	back, err := results.DecodeRanges(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.List(), rs.List()) || back.Version != rs.Version {
		t.Error("round trip changed the table")
	}
}

func TestNewRanges(t *testing.T) {
	rs, err := results.NewRanges("LIS 2026-11", "检验科 LIS", "", []results.Range{
		{ItemCode: "4012000", Name: "血红蛋白", Kind: results.KindNumeric, Unit: "g/L",
			Male: &results.Limits{Low: f(120), High: f(160)}, Female: &results.Limits{Low: f(110), High: f(150)},
			Status: results.StatusVerified, Source: "本院检验科"},
	})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rs.Lookup("4012000")
	if r.ForSex(app.SexUnknown).String() != "110–160" {
		t.Errorf("union %q", r.ForSex(app.SexUnknown).String())
	}
	_, err = results.NewRanges("x", "", "", []results.Range{{ItemCode: "4012000", Name: "血红蛋白", Kind: results.KindNumeric,
		Low: f(160), High: f(120), Status: "P", Source: "s"}})
	if err == nil || !strings.Contains(err.Error(), "above") {
		t.Errorf("bad range accepted: %v", err)
	}
}

func TestRanges_Overlay(t *testing.T) {
	rs, _, _ := mustLoad(t)
	lis, err := results.NewRanges("LIS", "检验科 LIS", "", []results.Range{
		{ItemCode: "4010100", Name: "白细胞总数（WBC）", Kind: results.KindNumeric, Unit: "×10⁹/L", Low: f(4), High: f(10),
			Status: results.StatusVerified, Source: "本院检验科"},
		{ItemCode: "4070200", Name: "血镉", Kind: results.KindNumeric, Unit: "µg/L", High: f(5),
			Status: results.StatusVerified, Source: "本院检验科"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := rs.Overlay(lis)
	if len(got.List()) != len(rs.List())+1 || got.Version != "LIS" {
		t.Errorf("%d ranges, version %q", len(got.List()), got.Version)
	}
	wbc, _ := got.Lookup("4010100")
	if wbc.String() != "4–10" || wbc.CriticalLow != nil || wbc.Source != "本院检验科" {
		t.Errorf("WBC not replaced whole: %+v", wbc)
	}
	if _, ok := got.Lookup("4070200"); !ok {
		t.Error("LIS-only item missing")
	}
	if old, _ := rs.Lookup("4010100"); old.String() != "3.5–9.5" {
		t.Errorf("Overlay changed the base table: %q", old.String())
	}
	if hgb, _ := got.Lookup("4012000"); hgb.Male == nil {
		t.Error("an item only the base has was lost")
	}
}

func TestRanges_Judge(t *testing.T) {
	rs, _, _ := mustLoad(t)
	r := &results.Result{ItemCode: "4012000", GroupCode: "G0101"}
	if err := r.SetValue("125"); err == nil {
		t.Fatal("SetValue without a kind accepted")
	}
	r.Kind = results.KindNumeric
	if err := r.SetValue("125"); err != nil {
		t.Fatal(err)
	}
	if !rs.Judge(r, app.SexMale) {
		t.Fatal("no range for HGB")
	}
	if r.Flag != results.FlagLow || r.Unit != "g/L" || r.Range.String() != "130–175" || r.Range.Sex != app.SexMale {
		t.Errorf("male: flag %q unit %q range %q", r.Flag, r.Unit, r.Range.String())
	}
	if rs.Judge(r, app.SexFemale); r.Flag != results.FlagNormal || r.Range.String() != "115–150" {
		t.Errorf("female: flag %q range %q", r.Flag, r.Range.String())
	}

	pro := &results.Result{ItemCode: "4020500"}
	rs.Judge(pro, app.SexMale) // fills the kind before a value is typed
	if pro.Kind != results.KindText {
		t.Fatalf("kind %q", pro.Kind)
	}
	_ = pro.SetValue("++")
	if rs.Judge(pro, app.SexMale); pro.Flag != results.FlagAbnormal || pro.Value != "2+" || pro.Range.String() != "阴性" {
		t.Errorf("PRO: %+v", pro)
	}

	unknown := &results.Result{ItemCode: "9999999", Kind: results.KindNumeric, Value: "1", Status: results.StatusDone, Flag: results.FlagHigh}
	if rs.Judge(unknown, app.SexMale) || unknown.Flag != results.FlagNone {
		t.Errorf("unknown item judged: %+v", unknown)
	}
}
