package rules_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
)

// The shipped files are read from the repository (assets imports nothing, but app may not
// import assets, so the test goes to the folder instead).
var (
	loadOnce sync.Once
	shipped  *rules.Table
	cats     *catalog.Set
	loadErr  error
)

func mustLoad(tb testing.TB) (*rules.Table, *catalog.Set) {
	tb.Helper()
	loadOnce.Do(func() {
		if shipped, loadErr = rules.Load(os.DirFS("../../assets/rules")); loadErr != nil {
			return
		}
		cats, loadErr = catalog.Load(os.DirFS("../../assets/catalog"))
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return shipped, cats
}

// groupNames returns the names of items' groups.
func groupNames(items []app.ExamItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return out
}

func TestTable_PlanItems(t *testing.T) {
	tab, cs := mustLoad(t)
	ed2014 := cs.GBZ188Edition(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	ed2025 := cs.GBZ188Edition(time.Date(2026, 8, 1, 9, 0, 0, 0, time.Local))
	if ed2014 != "2014" || ed2025 != "2025" {
		t.Fatalf("editions %q, %q", ed2014, ed2025)
	}
	tests := []struct {
		name     string
		hazards  []string
		typ      app.ExamType
		edition  string
		want     []string // group names that must be planned
		wantNot  []string
		notes    int    // number of notes
		noteHint string // a note must contain this
	}{
		{name: "noise in-service 2014", hazards: []string{"3008"}, typ: app.ExamPeriodic, edition: ed2014,
			want: []string{"纯音听阈测试", "心电图"}, wantNot: []string{"胸部X射线摄片（DR）"}},
		{name: "silica pre-employment 2014", hazards: []string{"1038"}, typ: app.ExamPreEmployment, edition: ed2014,
			want: []string{"血常规", "尿常规", "血清ALT", "心电图", "胸部X射线摄片（DR）", "肺功能", "内科常规检查"}, wantNot: []string{"肝功能"}},
		{name: "silica pre-employment 2025: 肝功能 replaces ALT", hazards: []string{"1038"}, typ: app.ExamPreEmployment, edition: ed2025,
			want: []string{"肝功能", "胸部X射线摄片（DR）", "肺功能"}, wantNot: []string{"血清ALT"}},
		{name: "silica and noise united", hazards: []string{"1038", "3008"}, typ: app.ExamPreEmployment, edition: ed2014,
			want: []string{"纯音听阈测试", "肺功能", "心电图"}},
		{name: "lead in-service 2025 takes blood lead and glucose", hazards: []string{"2237"}, typ: app.ExamPeriodic, edition: ed2025,
			want: []string{"血铅", "空腹血糖"}},
		{name: "manganese pre-employment 2014 is unverified", hazards: []string{"2223"}, typ: app.ExamPreEmployment, edition: ed2014,
			notes: 2, noteHint: "待核实"},
		{name: "no rule", hazards: []string{"2275"}, typ: app.ExamPreEmployment, edition: ed2025,
			notes: 1, noteHint: "危害因素 2275 在 GBZ 188-2025 中无上岗前规则，请手工添加项目（待核实）"},
		{name: "inferred code", hazards: []string{"1033"}, typ: app.ExamPeriodic, edition: ed2025,
			want: []string{"胸部X射线摄片（DR）"}, notes: 1, noteHint: "系推断"},
		{name: "radiation under 2025 follows GBZ 98", hazards: []string{"5001"}, typ: app.ExamPreEmployment, edition: ed2025,
			want: []string{"外周血淋巴细胞染色体畸变分析"}},
		{name: "duplicates and blanks ignored", hazards: []string{"3008", "", "3008"}, typ: app.ExamPeriodic, edition: ed2014,
			want: []string{"纯音听阈测试"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, notes := tab.PlanItems(tt.hazards, tt.typ, tt.edition)
			names := groupNames(items)
			for _, w := range tt.want {
				if !slices.Contains(names, w) {
					t.Errorf("missing %s in %v", w, names)
				}
			}
			for _, w := range tt.wantNot {
				if slices.Contains(names, w) {
					t.Errorf("unexpected %s in %v", w, names)
				}
			}
			if len(notes) != tt.notes {
				t.Errorf("notes = %q, want %d", notes, tt.notes)
			}
			if tt.noteHint != "" && !strings.Contains(strings.Join(notes, "\n"), tt.noteHint) {
				t.Errorf("notes %q lack %q", notes, tt.noteHint)
			}
			seen := map[string]bool{}
			for _, it := range items {
				if seen[it.GroupCode] {
					t.Errorf("group %s %s twice", it.GroupCode, it.Name)
				}
				seen[it.GroupCode] = true
				if !it.Required || it.Source != "rule" || it.Department == "" || len(it.Hazards) == 0 {
					t.Errorf("item %+v: want required, source rule, a department and hazards", it)
				}
				if slices.Contains(it.Hazards, "") || len(slices.Compact(slices.Clone(it.Hazards))) != len(it.Hazards) {
					t.Errorf("item %s hazards %v", it.Name, it.Hazards)
				}
			}
		})
	}
}

func TestTable_PlanItems_UnionAndOrder(t *testing.T) {
	tab, _ := mustLoad(t)
	items, notes := tab.PlanItems([]string{"1038", "3008"}, app.ExamPreEmployment, "2014")
	if len(notes) != 0 {
		t.Errorf("notes %q", notes)
	}
	var ecg []app.ExamItem
	for _, it := range items {
		if it.Name == "心电图" {
			ecg = append(ecg, it)
		}
	}
	if len(ecg) != 1 || !slices.Equal(ecg[0].Hazards, []string{"1038", "3008"}) {
		t.Fatalf("心电图 items %+v, want one for both hazards", ecg)
	}
	depts := tab.Departments()
	for i := 1; i < len(items); i++ {
		if slices.Index(depts, items[i-1].Department) > slices.Index(depts, items[i].Department) {
			t.Errorf("%s (%s) before %s (%s): not in department order", items[i-1].Name, items[i-1].Department, items[i].Name, items[i].Department)
		}
	}
	if items[0].Name != "血常规" || items[0].Tube == "" {
		t.Errorf("first item %+v, want 血常规 with its tube", items[0])
	}
	for _, it := range items {
		if it.Name == "纯音听阈测试" && !slices.Equal(it.Hazards, []string{"3008"}) {
			t.Errorf("纯音听阈测试 hazards %v", it.Hazards)
		}
	}
}

func TestTable_Rule(t *testing.T) {
	tab, _ := mustLoad(t)
	r, ok := tab.Rule("2184", app.ExamPeriodic, "2014")
	if !ok || !r.RecommendedOnly || r.Status != rules.StatusVerified || r.Section != "5.38.2" {
		t.Errorf("硫化氢 在岗 2014 = %+v, %v; want a verified 推荐性 rule of 5.38.2", r, ok)
	}
	r, ok = tab.Rule("3008", app.ExamPreEmployment, "2025")
	if !ok || len(r.Conditional) == 0 || !strings.HasPrefix(r.Conditional[0], "补充") || len(r.Optional) != 0 {
		t.Errorf("噪声 上岗前 2025 = %+v: want 补充 texts as conditional and no optional groups", r)
	}
	r, ok = tab.Rule("2013", app.ExamPeriodic, "2014")
	if !ok || len(r.Optional) != 3 {
		t.Errorf("苯 在岗 2014 optional = %v, want 尿反-反黏糠酸、尿酚、骨髓穿刺", r.Optional)
	}
	r.Required[0] = "changed" // a copy: the table must not change
	if r2, _ := tab.Rule("2013", app.ExamPeriodic, "2014"); r2.Required[0] == "changed" {
		t.Error("Rule returned the table's own slice")
	}
	if _, ok := tab.Rule("1038", app.ExamPostExposure, "2025"); ok {
		t.Error("矽尘 离岗后 2025 has a rule; the transcription has none")
	}
}

func TestTable_Groups(t *testing.T) {
	tab, cs := mustLoad(t)
	gs := tab.Groups()
	if len(gs) < 40 {
		t.Fatalf("%d groups", len(gs))
	}
	for _, g := range gs {
		for _, it := range g.Items {
			if _, ok := cs.Lookup(catalog.Items, it); !ok {
				t.Errorf("group %s %s: item %s not in the items catalog", g.Code, g.Name, it)
			}
		}
	}
	blood, ok := tab.GroupByCode("G0101")
	if !ok || blood.Name != "血常规" || !strings.Contains(blood.Tube, "EDTA") || !slices.Contains(blood.Items, "4012600") {
		t.Errorf("G0101 = %+v", blood)
	}
	it, ok := tab.Group("G0901")
	if !ok || it.Name != "心电图" || it.Department != "心电图室" || it.Required {
		t.Errorf("Group(G0901) = %+v", it)
	}
	if _, ok := tab.Group("G9999"); ok {
		t.Error("unknown group found")
	}
	for _, text := range []string{"血常规(含血嗜酸粒细胞计数)", "后前位X射线高千伏胸片或数字化摄影胸片(DR胸片)", "FT3", "G0101", "血常规"} {
		if codes, _, ok := tab.Resolve(text); !ok || len(codes) == 0 {
			t.Errorf("Resolve(%q) = %v, %v", text, codes, ok)
		}
	}
}

func TestMarshal_RoundTrip(t *testing.T) {
	tab, _ := mustLoad(t)
	b, err := rules.Marshal(tab)
	if err != nil {
		t.Fatal(err)
	}
	back, err := rules.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := rules.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Error("marshal → unmarshal → marshal changed the bytes")
	}
	g, r, err := rules.MarshalFiles(tab)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"item_groups.json": g, "gbz188.json": r} {
		want, err := os.ReadFile("../../assets/rules/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: MarshalFiles differs from the shipped file", name)
		}
	}
	bad := bytes.Replace(b, []byte(`"symptom_focus"`), []byte(`"symptom_fokus"`), 1)
	if _, err := rules.Unmarshal(bad); err == nil {
		t.Error("unknown field accepted")
	}
}

func TestNew_Validate(t *testing.T) {
	tab, _ := mustLoad(t)
	tests := []struct {
		name string
		edit func(d *rules.Data)
		want string
	}{
		{"unknown group in rule", func(d *rules.Data) { d.RuleList[0].Required = append(d.RuleList[0].Required, "G9999") }, "unknown group"},
		{"duplicate rule", func(d *rules.Data) { d.RuleList = append(d.RuleList, d.RuleList[0]) }, "twice"},
		{"bad exam type", func(d *rules.Data) { d.RuleList[0].ExamType = "09" }, "exam type"},
		{"bad group code", func(d *rules.Data) { d.GroupList[0].Code = "X1" }, "code"},
		{"unknown department", func(d *rules.Data) { d.GroupList[0].Department = "牙科" }, "department"},
		{"bad item code", func(d *rules.Data) { d.GroupList[0].Items = []string{"123"} }, "7 digits"},
		{"bad status", func(d *rules.Data) { d.RuleList[0].Status = "X" }, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tab.Data()
			tt.edit(&d)
			if _, err := rules.New(d); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// Data returns a copy.
	d := tab.Data()
	d.GroupList[0].Name = "changed"
	if g, _ := tab.GroupByCode(d.GroupList[0].Code); g.Name == "changed" {
		t.Error("Data shares the table's groups")
	}
}

func TestLoad(t *testing.T) {
	if _, err := rules.Load(os.DirFS("../../assets")); err != nil { // finds rules/*.json
		t.Errorf("Load(assets): %v", err)
	}
	if _, err := rules.Load(os.DirFS(t.TempDir())); err == nil {
		t.Error("Load of an empty folder succeeded")
	}
	groups, _ := os.ReadFile("../../assets/rules/item_groups.json")
	rulesJSON, _ := os.ReadFile("../../assets/rules/gbz188.json")
	tests := []struct {
		name string
		fsys fstest.MapFS
		ok   bool
	}{
		{"other data beside the rules is skipped", fstest.MapFS{
			"rules/item_groups.json": {Data: groups}, "rules/gbz188.json": {Data: rulesJSON},
			"rules/intake_warnings.json": {Data: []byte(`{"name": "intake_warnings"}`)},
		}, true},
		{"no rules file", fstest.MapFS{"item_groups.json": {Data: groups}}, false},
		{"two group files", fstest.MapFS{"a.json": {Data: groups}, "b.json": {Data: groups}, "gbz188.json": {Data: rulesJSON}}, false},
		{"unknown kind", fstest.MapFS{"item_groups.json": {Data: groups}, "gbz188.json": {Data: rulesJSON},
			"x.json": {Data: []byte(`{"kind": "rulez"}`)}}, false},
		{"unknown field", fstest.MapFS{"item_groups.json": {Data: groups},
			"gbz188.json": {Data: bytes.Replace(rulesJSON, []byte(`"interval"`), []byte(`"intervall"`), 1)}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := rules.Load(tt.fsys); (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
