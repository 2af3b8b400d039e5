package results_test

import (
	"os"
	"strings"
	"testing"

	"occhealth/app/results"
)

func TestTemplates_Shipped(t *testing.T) {
	ts, err := results.LoadTemplates(os.DirFS("../../assets/rules"))
	if err != nil {
		t.Fatal(err)
	}
	ranges, table, cats := mustLoad(t)
	items, _ := cats.Catalog("items")

	t.Run("physical departments", func(t *testing.T) {
		for _, d := range []string{"内科", "外科", "神经科", "眼科", "耳鼻喉科", "皮肤科"} {
			tp, ok := ts.ForDepartment(d)
			if !ok || !tp.Physical {
				t.Errorf("%s: no physical template (ok %v)", d, ok)
			}
		}
		if tp, ok := ts.ForDepartment("心电图室"); !ok || tp.Physical {
			t.Errorf("心电图室: template %v physical %v", ok, tp.Physical)
		}
	})

	t.Run("every item of every group has a range or a template", func(t *testing.T) {
		for _, g := range table.Groups() {
			tp, ok := ts.ForDepartment(g.Department)
			for _, code := range g.Items {
				_, hasRange := ranges.Lookup(code)
				_, hasTmpl := tp.Item(code)
				if tp.Physical && !hasTmpl {
					t.Errorf("%s %s: item %s has no template in a physical-exam department", g.Department, g.Name, code)
				}
				if !hasRange && !(ok && hasTmpl) {
					t.Errorf("%s %s: item %s has neither a reference range nor a template (its kind is unknown)", g.Department, g.Name, code)
				}
			}
		}
	})

	t.Run("codes, names and kinds agree with the catalog and the ranges", func(t *testing.T) {
		for _, d := range ts.Departments() {
			tp, _ := ts.ForDepartment(d)
			for _, it := range tp.Items {
				e, ok := items.Lookup(it.Item)
				if !ok {
					t.Errorf("%s: item %s not in the items catalog", d, it.Item)
					continue
				}
				if !strings.Contains(e.Name, it.Name) && !strings.Contains(it.Name, e.Name) {
					t.Errorf("%s: item %s named %q, catalog %q", d, it.Item, it.Name, e.Name)
				}
				if rng, ok := ranges.Lookup(it.Item); ok && it.Kind != "" && rng.Kind != it.Kind {
					t.Errorf("%s: item %s kind %s, reference range %s", d, it.Item, it.Kind, rng.Kind)
				}
				if tp.Physical && it.Kind == results.KindText && it.Normal == "" && it.Item != "2020100" && it.Item != "3150100" {
					// 视力 is measured and 骨髓穿刺 read: neither has a normal default.
					t.Errorf("%s: text item %s (%s) has no normal description", d, it.Item, it.Name)
				}
			}
		}
	})

	t.Run("blood pressure is recorded in parts", func(t *testing.T) {
		tp, _ := ts.ForDepartment("内科")
		bp, ok := tp.Item("2010500")
		if !ok || strings.Join(bp.Parts, ",") != "2010501,2010502" {
			t.Fatalf("血压 %+v", bp)
		}
		sys, _ := tp.Item("2010501")
		if sys.Kind != results.KindNumeric || sys.Unit != "mmHg" {
			t.Errorf("收缩压 %+v", sys)
		}
		heart, _ := tp.Item("2030200")
		if heart.Normal != "心界不大，各瓣膜听诊区未闻及病理性杂音" {
			t.Errorf("心 normal %q", heart.Normal)
		}
	})

	t.Run("returned templates are copies", func(t *testing.T) {
		tp, _ := ts.ForDepartment("外科")
		tp.Items[0].Phrases[0] = "changed"
		again, _ := ts.ForDepartment("外科")
		if again.Items[0].Phrases[0] == "changed" {
			t.Error("a caller changed the table")
		}
	})
}

func TestDecodeTemplates_Refuses(t *testing.T) {
	head := `{"name":"physical_templates","departments":[`
	for _, c := range []struct{ name, body, want string }{
		{"wrong name", `{"name":"x","departments":[]}`, "name"},
		{"unknown field", head + `{"department":"内科","colour":1,"items":[]}]}`, "unknown field"},
		{"department twice", head + `{"department":"内科","items":[]},{"department":"内科","items":[]}]}`, "twice"},
		{"bad code", head + `{"department":"内科","items":[{"item":"12","name":"x","kind":"text"}]}]}`, "7 digits"},
		{"item twice", head + `{"department":"内科","items":[{"item":"2030200","name":"心","kind":"text"},{"item":"2030200","name":"心","kind":"text"}]}]}`, "twice"},
		{"numeric with phrases", head + `{"department":"内科","items":[{"item":"2010200","name":"身高","kind":"numeric","phrases":["高"]}]}]}`, "no normal text or phrases"},
		{"normal not a phrase", head + `{"department":"内科","items":[{"item":"2030200","name":"心","kind":"text","normal":"好","phrases":["坏"]}]}]}`, "not among"},
		{"no kind", head + `{"department":"内科","items":[{"item":"2030200","name":"心"}]}]}`, "kind"},
		{"unknown part", head + `{"department":"内科","items":[{"item":"2010500","name":"血压","parts":["2010501"]}]}]}`, "part 2010501"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := results.DecodeTemplates([]byte(c.body))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err %v, want %q", err, c.want)
			}
		})
	}
}
