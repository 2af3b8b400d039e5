package criteria_test

import (
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"occhealth/app/catalog"
	"occhealth/app/criteria"
)

func TestSet_FromItems(t *testing.T) {
	set := mustLoad(t)
	values, a := set.FromItems(map[string]float64{
		"4010100": 3.9,  // 白细胞
		"4012600": 79,   // 血小板
		"4070100": 450,  // 血铅
		"3040100": 30,   // 左耳 500 Hz 气导
		"3041300": 45,   // 右耳 6000 Hz 气导
		"3050100": 10,   // 左耳 500 Hz 骨导
		"3041900": 99,   // 双耳高频平均听阈 as the device computed it: not read
		"4011700": 0.45, // HCT: not read
		"4012000": math.NaN(),
	})
	if values["wbc"] != 3.9 || values["plt"] != 79 || values["pb_blood"] != 450 || len(values) != 4 || !math.IsNaN(values["hgb"]) {
		t.Errorf("values = %v", values)
	}
	want := &criteria.Audiogram{Left: map[int]float64{500: 30}, Right: map[int]float64{6000: 45}, BoneLeft: map[int]float64{500: 10}}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("audiogram = %+v", a)
	}
	if _, a := set.FromItems(map[string]float64{"4010100": 5}); a != nil {
		t.Errorf("audiogram without hearing items: %+v", a)
	}
	if set.MeasureItem(criteria.MeasPLT) != "4012600" || set.MeasureItem(criteria.MeasScarArea) != "" {
		t.Error("MeasureItem")
	}
}

// The item codes must be national 健康指标 codes whose names say what the criteria read.
func TestSet_ItemCodesInCatalog(t *testing.T) {
	cats, err := catalog.Load(os.DirFS("../../assets/catalog"))
	if err != nil {
		t.Fatal(err)
	}
	set := mustLoad(t)
	for name, want := range map[string]string{
		criteria.MeasWBC: "白细胞", criteria.MeasNEUT: "嗜中性细胞计数", criteria.MeasPLT: "血小板计数",
		criteria.MeasRBC: "红细胞计数", criteria.MeasHGB: "血红蛋白", criteria.MeasBloodLead: "血铅",
		criteria.MeasUrineLead: "尿铅", criteria.MeasHeight: "身高", criteria.MeasSBP: "收缩压", criteria.MeasDBP: "舒张压",
	} {
		code := set.MeasureItem(name)
		e, ok := cats.Lookup(catalog.Items, code)
		if !ok || !strings.Contains(e.Name, want) {
			t.Errorf("%s → %s %q, want a name with %q", name, code, e.Name, want)
		}
	}
	// Each hearing item code, fed back through FromItems, lands on the ear and frequency its
	// catalog name says.
	mapped := 0
	for code := 3040100; code <= 3052000; code += 100 {
		e, ok := cats.Lookup(catalog.Items, strconv.Itoa(code))
		if !ok || !strings.Contains(e.Name, "Hz") {
			continue
		}
		_, a := set.FromItems(map[string]float64{e.Code: 1})
		if a == nil {
			t.Errorf("%s %s not mapped", e.Code, e.Name)
			continue
		}
		bone := strings.Contains(e.Name, "骨导")
		m := a.Left
		switch {
		case bone && strings.HasPrefix(e.Name, "左耳"):
			m = a.BoneLeft
		case bone:
			m = a.BoneRight
		case strings.HasPrefix(e.Name, "右耳"):
			m = a.Right
		}
		found := false
		for hz := range m {
			found = strings.Contains(e.Name, " "+strconv.Itoa(hz)+"Hz")
		}
		if len(m) != 1 || !found {
			t.Errorf("%s %s → %+v", e.Code, e.Name, a)
		}
		mapped++
	}
	if mapped != 32 {
		t.Errorf("%d hearing items mapped, want 32 (2 ears × 8 frequencies × air/bone)", mapped)
	}
}
