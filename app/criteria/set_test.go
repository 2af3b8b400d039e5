package criteria_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"occhealth/app"
	"occhealth/app/criteria"
)

func TestLoad_Layouts(t *testing.T) {
	cb, err := os.ReadFile("../../assets/rules/criteria.json")
	if err != nil {
		t.Fatal(err)
	}
	pb, err := os.ReadFile("../../assets/rules/pta_correction.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"root":   {"criteria.json": {Data: cb}, "pta_correction.json": {Data: pb}},
		"rules/": {"rules/criteria.json": {Data: cb}, "rules/pta_correction.json": {Data: pb}, "rules/gbz188.json": {Data: []byte("{}")}},
	} {
		if _, err := criteria.Load(fsys); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := criteria.Load(fstest.MapFS{"criteria.json": {Data: cb}}); err == nil {
		t.Error("loaded without the correction table")
	}
}

func TestParse_Invalid(t *testing.T) {
	cb, _ := os.ReadFile("../../assets/rules/criteria.json")
	pb, _ := os.ReadFile("../../assets/rules/pta_correction.json")
	crit := string(cb)
	corr := string(pb)
	tests := []struct {
		name, old, new string
		inCorrection   bool
	}{
		{"unknown evaluator", `"evaluator": "pta_speech_freq_above"`, `"evaluator": "pta_magic"`, false},
		{"missing threshold", `"params": {"limit": 40}`, `"params": {"lim": 40}`, false},
		{"unknown measurement", `"params": {"plt": 80}`, `"params": {"platelets": 80}`, false},
		{"unknown field", `"id": "noise-01-2014-a",`, `"id": "noise-01-2014-a", "treshold": 1,`, false},
		{"bad status", `"clause": "GBZ 188-2014 7.1.1.1 a)", "status": "V"`, `"clause": "GBZ 188-2014 7.1.1.1 a)", "status": "X"`, false},
		{"bad kind", `"kind": "recheck"`, `"kind": "maybe"`, false},
		{"bad exam type", `"exam_types": ["01"], "edition": "2014"`, `"exam_types": ["07"], "edition": "2014"`, false},
		{"duplicate id", `"id": "noise-01-2014-b"`, `"id": "noise-01-2014-a"`, false},
		{"wrong conclusion wording", `"name": "目前未见异常", "letter": "a"`, `"name": "未见异常", "letter": "a"`, false},
		{"2025 list with 复查", `{"code": "05", "name": "其他疾病或异常"},`, `{"code": "05", "name": "其他疾病或异常"}, {"code": "02", "name": "复查"},`, false},
		{"band values short", `"male": [1, 1, 1, 2, 2, 3]`, `"male": [1, 1, 1, 2, 2]`, true},
		{"bands out of order", `{"min_age": 40,`, `{"min_age": 25,`, true},
		{"weights over 1", `"speech_weight": 0.9`, `"speech_weight": 0.95`, true},
		{"wrong file name", `"name": "pta_correction"`, `"name": "criteria"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := crit, corr
			if tt.inCorrection {
				if !strings.Contains(p, tt.old) {
					t.Fatalf("fixture %q not in the correction file", tt.old)
				}
				p = strings.Replace(p, tt.old, tt.new, 1)
			} else {
				if !strings.Contains(c, tt.old) {
					t.Fatalf("fixture %q not in the criteria file", tt.old)
				}
				c = strings.Replace(c, tt.old, tt.new, 1)
			}
			if _, err := criteria.Parse([]byte(c), []byte(p)); err == nil {
				t.Error("parsed")
			}
		})
	}
}

func TestSet_Conclusions(t *testing.T) {
	set := mustLoad(t)
	l14, ok := set.Conclusions("2014")
	if !ok || l14.Status != "V" || l14.RecheckAsAction {
		t.Fatalf("2014: %+v", l14)
	}
	want := "01 目前未见异常,02 复查,03 疑似职业病,04 职业禁忌证,05 其他疾病或异常"
	if got := codes(l14); got != want {
		t.Errorf("2014 = %s, want %s", got, want)
	}
	l25, ok := set.Conclusions("2025")
	if !ok || l25.Status != "P" || !l25.RecheckAsAction {
		t.Fatalf("2025: %+v", l25)
	}
	if got := codes(l25); got != "01 目前未见异常,05 其他疾病或异常,04 职业禁忌证,03 疑似职业病" {
		t.Errorf("2025 = %s", got)
	}
	if _, ok := l25.ForKind(criteria.KindRecheck); ok {
		t.Error("2025: 复查 is an action, not a conclusion")
	}
	if c, ok := l14.ForKind(criteria.KindRecheck); !ok || c.Code != "02" {
		t.Errorf("2014 recheck → %+v", c)
	}
	if c, ok := l25.ForKind(criteria.KindContraindication); !ok || c.Name != "职业禁忌证" {
		t.Errorf("2025 contraindication → %+v", c)
	}
	if _, ok := l25.ForKind(criteria.KindSupplement); ok {
		t.Error("a supplement is not a conclusion")
	}
	if _, ok := set.Conclusions("2007"); ok {
		t.Error("2007 has a list")
	}
}

func codes(l criteria.ConclusionList) string {
	var s []string
	for _, c := range l.Items {
		s = append(s, c.Code+" "+c.Name)
	}
	return strings.Join(s, ",")
}

// TestSet_Coverage prints the coverage table (go test -run Coverage -v) and keeps its promises:
// every V and P criterion with numbers is implemented unless a note says why not.
func TestSet_Coverage(t *testing.T) {
	set := mustLoad(t)
	for _, ed := range []string{"2014", "2025"} {
		rows := set.Coverage(ed)
		if len(rows) == 0 {
			t.Fatalf("%s: empty coverage", ed)
		}
		var buf bytes.Buffer
		if err := criteria.WriteCoverage(&buf, rows); err != nil {
			t.Fatal(err)
		}
		t.Logf("GBZ 188-%s coverage:\n%s", ed, buf.String())
		for _, r := range rows {
			if r.Edition != ed {
				t.Errorf("%s row in %s table", r.Criterion, ed)
			}
			if r.Checkable && !r.Implemented && r.Status != "U" && r.Note == "" {
				t.Errorf("%s: checkable [%s] criterion neither implemented nor explained", r.Criterion, r.Status)
			}
			if r.Implemented && !r.Checkable {
				t.Errorf("%s: implemented but not checkable", r.Criterion)
			}
			if r.HazardName == "" {
				t.Errorf("%s: no name for hazard %s", r.Criterion, r.Hazard)
			}
		}
	}
	var placeholder bool
	for _, r := range set.Coverage("2014") {
		if r.Hazard == "6006" {
			placeholder = r.Criterion == "" && r.Note != ""
		}
	}
	if !placeholder {
		t.Error("驾驶作业 2014 has no placeholder row")
	}
	if n := len(set.Coverage("")); n != len(set.Coverage("2014"))+len(set.Coverage("2025")) {
		t.Errorf("both editions: %d rows", n)
	}
	// The criteria the brief names must be there and implemented.
	for _, id := range []string{
		"noise-01-2014-a", "noise-01-2014-b", "noise-01-2014-c", "noise-01-2025-a", "noise-01-2025-b", "noise-01-2025-c",
		"noise-02-2014-1", "noise-02-2014-2", "noise-02-2014-3", "noise-02-2025-1", "noise-02-2025-2", "noise-02-2025-3",
		"noise-gbz49-2014", "noise-gbz49-2025", "benzene-01-2014-wbc-neut", "benzene-01-2014-plt",
		"benzene-01-2025-wbc-neut", "benzene-01-2025-plt", "benzene-02-2014-recheck", "benzene-02-2025-recheck",
		"lead-02-2014-recheck", "lead-02-2025-recheck", "heat-2014-scar", "heat-2025-scar",
	} {
		found := false
		for _, c := range set.All() {
			if c.ID == id {
				found = true
				if !c.Implemented() {
					t.Errorf("%s not implemented", id)
				}
			}
		}
		if !found {
			t.Errorf("%s missing", id)
		}
	}
}

// Every criterion's hazard, exam type and edition must be a cell of the GBZ 188 rule table,
// so that a criterion never points at a cell the table does not have.
func TestSet_CriteriaMatchRuleTable(t *testing.T) {
	b, err := os.ReadFile("../../assets/rules/gbz188.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Rules []struct {
			Hazard   string       `json:"hazard"`
			ExamType app.ExamType `json:"exam_type"`
			Edition  string       `json:"edition"`
		} `json:"rules"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	cells := map[string]bool{}
	for _, r := range f.Rules {
		cells[r.Hazard+"/"+string(r.ExamType)+"/"+r.Edition] = true
	}
	for _, c := range mustLoad(t).All() {
		for _, h := range c.Hazards {
			for _, et := range c.ExamTypes {
				if !cells[h+"/"+string(et)+"/"+c.Edition] {
					t.Errorf("%s: no rule for hazard %s, exam type %s, edition %s", c.ID, h, et, c.Edition)
				}
			}
		}
	}
}
