package results_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"occhealth/app"
	"occhealth/app/results"
)

func TestLoadRanges_Shipped(t *testing.T) {
	rs, tbl, cats := mustLoad(t)
	items, ok := cats.Catalog("items")
	if !ok {
		t.Fatal("no items catalog")
	}
	inGroup := map[string]bool{}
	for _, g := range tbl.Groups() {
		for _, it := range g.Items {
			inGroup[it] = true
		}
	}
	list := rs.List()
	if len(list) < 60 {
		t.Errorf("%d ranges, want the blood, urine, liver, glucose, kidney, metal, vital-sign, audiometry and chest items", len(list))
	}
	for _, r := range list {
		e, ok := items.Lookup(r.ItemCode)
		if !ok {
			t.Errorf("%s %s: not in the 健康指标 catalog", r.ItemCode, r.Name)
			continue
		}
		if e.Name != r.Name {
			t.Errorf("%s: name %q, catalog says %q", r.ItemCode, r.Name, e.Name)
		}
		if r.Kind == results.KindNumeric && r.Unit == "" && !slices.Contains([]string{"4020100", "4020200", "4040400"}, r.ItemCode) {
			t.Errorf("%s %s: numeric without a unit", r.ItemCode, r.Name)
		}
		// Every range of the table is either used by an item group or named in the brief
		// (potassium and sodium for critical values, the blood-pressure sub-items of 血压).
		if !inGroup[r.ItemCode] && !slices.Contains([]string{"4050100", "4050300", "2010501", "2010502", "2010400",
			"3040700", "3041400", "3041500", "3041600", "3050700", "3051400", "3051900", "3052000"}, r.ItemCode) {
			t.Errorf("%s %s: in no item group", r.ItemCode, r.Name)
		}
	}
	// The items the brief names must be there, with the brief's critical values.
	for _, tc := range []struct {
		item     string
		sexed    bool
		critLow  float64
		critHigh float64
	}{
		{"4010100", false, 1.5, 30}, // WBC
		{"4011600", true, 0, 0},     // RBC
		{"4012000", true, 60, 200},  // HGB
		{"4012600", false, 30, 1000},
		{"4010200", false, 0.5, 0}, // NEUT#
		{"4010300", false, 0, 0},   // NEUT%
		{"4010400", false, 0, 0},   // LYMPH#
		{"4040900", true, 0, 0},    // ALT
		{"4041000", true, 0, 0},    // AST
		{"4042800", true, 0, 0},    // TBIL
		{"4070500", false, 2.8, 22.2},
		{"4320200", true, 0, 707}, // Cr
		{"4320100", true, 0, 35.7},
		{"4070100", false, 0, 0}, // 血铅
		{"4080100", false, 0, 0}, // 尿铅
		{"4080200", false, 0, 0}, // 尿汞
		{"2030100", false, 40, 180},
		{"4050100", false, 2.8, 6.2}, // K
	} {
		r, ok := rs.Lookup(tc.item)
		if !ok {
			t.Errorf("%s: no range", tc.item)
			continue
		}
		if (r.Male != nil) != tc.sexed {
			t.Errorf("%s %s: sex-specific %v, want %v", tc.item, r.Name, r.Male != nil, tc.sexed)
		}
		if got := deref(r.CriticalLow); got != tc.critLow {
			t.Errorf("%s %s: critical low %v, want %v", tc.item, r.Name, got, tc.critLow)
		}
		if got := deref(r.CriticalHigh); got != tc.critHigh {
			t.Errorf("%s %s: critical high %v, want %v", tc.item, r.Name, got, tc.critHigh)
		}
	}
	// Every frequency of the audiometry group has the 25 dB HL limit.
	g, _ := tbl.GroupByCode("G1301")
	for _, it := range g.Items {
		r, ok := rs.Lookup(it)
		if !ok || r.High == nil || *r.High != 25 || r.Low != nil || r.Unit != "dB HL" {
			t.Errorf("audiometry %s: %+v", it, r)
		}
	}
	// Every urine dipstick item of 尿常规 has a range.
	g, _ = tbl.GroupByCode("G0102")
	for _, it := range g.Items {
		if _, ok := rs.Lookup(it); !ok {
			t.Errorf("尿常规 %s: no range", it)
		}
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func TestLoadRanges_Layouts(t *testing.T) {
	b, err := os.ReadFile("../../assets/rules/" + results.RangesFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{results.RangesFile, "rules/" + results.RangesFile} {
		rs, err := results.LoadRanges(fstest.MapFS{name: {Data: b}})
		if err != nil || len(rs.List()) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := results.LoadRanges(fstest.MapFS{}); err == nil {
		t.Error("loaded from an empty folder")
	}
}

func TestRanges_LookupCopies(t *testing.T) {
	rs, _, _ := mustLoad(t)
	r, _ := rs.Lookup("4012000")
	*r.Male.Low = 1
	r.Normal = append(r.Normal, "x")
	again, _ := rs.Lookup("4012000")
	if *again.Male.Low != 130 {
		t.Errorf("Lookup shares its bounds: male low now %v", *again.Male.Low)
	}
	if _, ok := rs.Lookup("9999999"); ok {
		t.Error("found an unknown item")
	}
}

func TestRange_ForSex(t *testing.T) {
	rs, _, _ := mustLoad(t)
	hgb, _ := rs.Lookup("4012000")
	if got := hgb.String(); got != "男 130–175；女 115–150" {
		t.Errorf("String() = %q", got)
	}
	for _, tc := range []struct {
		sex  app.Sex
		want string
	}{
		{app.SexMale, "130–175"}, {app.SexFemale, "115–150"}, {app.SexUnknown, "115–175"}, {app.SexUnspecified, "115–175"},
	} {
		r := hgb.ForSex(tc.sex)
		if r.String() != tc.want || r.Male != nil || r.Female != nil {
			t.Errorf("ForSex(%s) = %q (%+v), want %q", tc.sex.Name(), r.String(), r, tc.want)
		}
	}
	tbil, _ := rs.Lookup("4042800")
	if got := tbil.ForSex(app.SexFemale).String(); got != "≤21" {
		t.Errorf("TBIL female %q", got)
	}
	if got := tbil.ForSex(app.SexUnknown).String(); got != "≤26" {
		t.Errorf("TBIL union %q", got)
	}
	pro, _ := rs.Lookup("4020500")
	if pro.String() != "阴性" || pro.ForSex(app.SexMale).String() != "阴性" {
		t.Errorf("PRO %q", pro.String())
	}
}

func TestRange_Unverified(t *testing.T) {
	rs, _, _ := mustLoad(t)
	chest, _ := rs.Lookup("3080200")
	wbc, _ := rs.Lookup("4010100")
	if chest.Unverified() || !wbc.Unverified() {
		t.Errorf("chest %v, wbc %v", chest.Unverified(), wbc.Unverified())
	}
}

func TestDecodeRanges_Rejects(t *testing.T) {
	const head = `{"name":"reference_ranges","version":"t","ranges":[`
	ok := `{"item":"4010100","name":"WBC","kind":"numeric","unit":"x","low":3.5,"high":9.5,"status":"U","source":"s"}`
	if _, err := results.DecodeRanges([]byte(head + ok + `]}`)); err != nil {
		t.Fatalf("good file: %v", err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"wrong name", `{"name":"x","ranges":[]}`, "name"},
		{"kind field", `{"kind":"reference_ranges","name":"reference_ranges","ranges":[]}`, "unknown field"},
		{"unknown field", head + `{"item":"4010100","name":"W","kind":"numeric","low":1,"status":"U","source":"s","hgih":2}]}`, "unknown field"},
		{"short code", head + `{"item":"40101","name":"W","kind":"numeric","low":1,"status":"U","source":"s"}]}`, "item code"},
		{"twice", head + ok + "," + ok + `]}`, "twice"},
		{"bad kind", head + `{"item":"4010100","name":"W","kind":"number","low":1,"status":"U","source":"s"}]}`, "kind"},
		{"no status", head + `{"item":"4010100","name":"W","kind":"numeric","low":1,"source":"s"}]}`, "status"},
		{"no source", head + `{"item":"4010100","name":"W","kind":"numeric","low":1,"status":"P"}]}`, "source"},
		{"low above high", head + `{"item":"4010100","name":"W","kind":"numeric","low":10,"high":1,"status":"U","source":"s"}]}`, "above"},
		{"no bound", head + `{"item":"4010100","name":"W","kind":"numeric","status":"U","source":"s"}]}`, "without low or high"},
		{"one sex", head + `{"item":"4010100","name":"W","kind":"numeric","male":{"low":1},"status":"U","source":"s"}]}`, "one sex"},
		{"not the union", head + `{"item":"4010100","name":"W","kind":"numeric","low":2,"high":9,"male":{"low":1,"high":9},"female":{"low":2,"high":8},"status":"U","source":"s"}]}`, "union"},
		{"critical inside range", head + `{"item":"4010100","name":"W","kind":"numeric","low":3.5,"high":9.5,"critical_low":4,"critical_status":"U","critical_source":"s","status":"U","source":"s"}]}`, "critical_low"},
		{"critical high inside", head + `{"item":"4010100","name":"W","kind":"numeric","low":3.5,"high":9.5,"critical_high":9,"critical_status":"U","critical_source":"s","status":"U","source":"s"}]}`, "critical_high"},
		{"critical without status", head + `{"item":"4010100","name":"W","kind":"numeric","low":3.5,"high":9.5,"critical_low":1,"status":"U","source":"s"}]}`, "critical status"},
		{"critical status alone", head + `{"item":"4010100","name":"W","kind":"numeric","low":3.5,"high":9.5,"critical_status":"U","status":"U","source":"s"}]}`, "without critical"},
		{"text with bounds", head + `{"item":"4020500","name":"P","kind":"text","text":"阴性","low":1,"status":"U","source":"s"}]}`, "numeric bounds"},
		{"text without normal", head + `{"item":"4020500","name":"P","kind":"text","status":"U","source":"s"}]}`, "without text"},
		{"numeric with normal", head + `{"item":"4010100","name":"W","kind":"numeric","low":1,"normal":["x"],"status":"U","source":"s"}]}`, "normal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := results.DecodeRanges([]byte(tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDecodeRanges_Union(t *testing.T) {
	rs, err := results.DecodeRanges([]byte(`{"name":"reference_ranges","ranges":[
		{"item":"4012000","name":"HGB","kind":"numeric","male":{"low":130,"high":175},"female":{"low":115,"high":150},"status":"U","source":"s"},
		{"item":"4011600","name":"RBC","kind":"numeric","low":3.8,"high":5.8,"male":{"low":4.3,"high":5.8},"female":{"low":3.8,"high":5.1},"status":"U","source":"s"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for item, want := range map[string]string{"4012000": "115–175", "4011600": "3.8–5.8"} {
		r, _ := rs.Lookup(item)
		if got := r.ForSex(app.SexUnknown).String(); got != want {
			t.Errorf("%s union %q, want %q", item, got, want)
		}
	}
}
