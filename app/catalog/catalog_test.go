package catalog_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
)

const dir = "../../assets/catalog"

var _ app.CodeLookup = (*catalog.Set)(nil)

var (
	loadOnce sync.Once
	loaded   *catalog.Set
	loadErr  error
)

// mustLoad loads the generated catalogs once for the whole package.
func mustLoad(tb testing.TB) *catalog.Set {
	tb.Helper()
	loadOnce.Do(func() { loaded, loadErr = catalog.Load(os.DirFS(dir)) })
	if loadErr != nil {
		tb.Fatalf("load %s: %v", dir, loadErr)
	}
	return loaded
}

func TestSet_Lookup(t *testing.T) {
	s := mustLoad(t)
	for _, tc := range []struct {
		catalog, code, name, parent string
	}{
		{catalog.Hazards, "1038", "矽尘", "1"},
		{catalog.Hazards, "1006", "电焊烟尘", "1"},
		{catalog.Hazards, "3007", "高温", "3"},
		{catalog.Hazards, "3008", "噪声", "3"},
		{catalog.Hazards, "3009", "振动", "3"},
		{catalog.Hazards, "2", "化学有害因素", ""},
		{catalog.Items, "1000000", "症状询问", ""},
		{catalog.Items, "1010000", "头痛", "1000000"},
		{catalog.Items, "2010501", "收缩压", "2010500"},
		{catalog.Items, "3082200", "长骨、大关节 X 线数字化摄影（DR）（双肩、双肘、双膝、双髋关节）", "3080000"},
		{catalog.Items, "4370000", "生殖系统激素检查", "4000000"},
		{catalog.Jobs, "00-10", "煤矿混合工", ""},
		{catalog.Jobs, "99-9999", "其他", ""},
		{catalog.ExamTypes, "01", "上岗前", ""},
		{catalog.ExamTypes, "05", "离岗后", ""},
		{catalog.Conclusions, "03", "疑似职业病", ""},
		{catalog.Conclusions, "04", "职业禁忌证", ""},
		{catalog.ChestFilm, "1", "尘肺样改变", ""},
		{catalog.AuditStatus, "13", "国家级待审核", ""},
		{catalog.EnterpriseSize, "99", "不详", ""},
		{catalog.ConcentrationTypes, "01", "CTWA", ""},
		{catalog.Complications, "01", "肺结核", ""},
		{catalog.Outcomes, "99", "其他", ""},
		{catalog.PneumoconiosisCaseTypes, "02", "首次晋期病例", ""},
		{catalog.Sex, "1", "男性", ""},
		{catalog.IDDocTypes, "01", "居民身份证", ""},
		{catalog.IDDocTypes, "88", "暂未获取", ""},
		{catalog.DeathCauses, "K73.9", "慢性肝炎", ""},
		{catalog.Diseases2013, "1101", "矽肺", "11"},
		{catalog.Diseases2013, "1113", "根据《尘肺病诊断标准》和《尘肺病理诊断标准》可以诊断的其他尘肺病", "11"},
		{catalog.Diseases2013, "5041", "苯的氨基及硝基化合物(不包括三硝基甲苯)中毒", "5"},
		{catalog.Diseases2013, "5011", "铀及其化合物中毒", "5"},
		{catalog.Diseases2013, "10002", "滑囊炎（限于井下工人）", "10"},
		{catalog.Diseases2024, "1101", "矽肺", "11"},
		{catalog.Diseases2024, "5011", "铀及其化合物中毒", "7"},
		{catalog.Diseases2024, "10002", "滑囊炎（限于井下工人）", "L10"},
		{catalog.Areas, "450000", "广西壮族自治区", ""},
		{catalog.Areas, "450100", "南宁市", "450000"},
		{catalog.Areas, "441900", "东莞市", "440000"},
		{catalog.Industry, "A", "农、林、牧、渔业", ""},
		{catalog.Industry, "2223", "加工纸制造", "222"},
		{catalog.EconomicType, "130", "股份合作", "100"},
	} {
		t.Run(tc.catalog+"/"+tc.code, func(t *testing.T) {
			e, ok := s.Lookup(tc.catalog, tc.code)
			if !ok {
				t.Fatalf("code %s not found", tc.code)
			}
			if e.Name != tc.name || e.Parent != tc.parent {
				t.Errorf("got %q parent %q, want %q parent %q", e.Name, e.Parent, tc.name, tc.parent)
			}
			if name, _ := s.CodeName(tc.catalog, tc.code); name != tc.name {
				t.Errorf("CodeName = %q", name)
			}
			if p := s.CodeParent(tc.catalog, tc.code); p != tc.parent {
				t.Errorf("CodeParent = %q", p)
			}
		})
	}
	for _, tc := range []struct{ catalog, code string }{
		{catalog.Hazards, "1999"}, {catalog.ExamTypes, "1"}, {"no_such_catalog", "01"},
	} {
		if e, ok := s.Lookup(tc.catalog, tc.code); ok {
			t.Errorf("Lookup(%s, %s) = %+v, want none", tc.catalog, tc.code, e)
		}
	}
}

func TestSet_Counts(t *testing.T) {
	s := mustLoad(t)
	count := func(name string, keep func(catalog.Entry) bool) int {
		c, ok := s.Catalog(name)
		if !ok {
			t.Fatalf("catalog %s missing", name)
		}
		n := 0
		for _, e := range c.Entries {
			if keep == nil || keep(e) {
				n++
			}
		}
		return n
	}
	disease := func(e catalog.Entry) bool { return e.Extra["kind"] == "disease" }
	for _, tc := range []struct {
		name     string
		keep     func(catalog.Entry) bool
		min, max int
	}{
		{catalog.Hazards, func(e catalog.Entry) bool { return e.Level == 2 }, 400, 700},
		{catalog.Items, nil, 1300, 1500},
		{catalog.Jobs, nil, 4000, 6000},
		{catalog.Diseases2013, disease, 132, 132},
		{catalog.Diseases2024, disease, 135, 135},
		{catalog.DiseaseMap, nil, 135, 135},
		{catalog.Areas, func(e catalog.Entry) bool { return e.Level == 1 }, 31, 31},
		{catalog.Industry, func(e catalog.Entry) bool { return e.Level == 1 }, 20, 20},
		{catalog.EconomicType, nil, 34, 34},
		{catalog.ExamTypes, nil, 5, 5},
	} {
		if n := count(tc.name, tc.keep); n < tc.min || n > tc.max {
			t.Errorf("%s: %d entries, want %d–%d", tc.name, n, tc.min, tc.max)
		}
	}
}

func TestSet_MatchHazard(t *testing.T) {
	s := mustLoad(t)
	for _, tc := range []struct {
		text, code string
	}{
		{"矽尘", "1038"},
		{"游离二氧化硅粉尘", "1038"},
		{"结晶型二氧化硅粉尘", "1038"},
		{"矽尘(游离二氧化硅粉尘)", "1038"},
		{" 矽 尘 ", "1038"},
		{"煤尘", "1021"},
		{"煤矽尘", "1021"},
		{"煤尘（游离SiO2含量＜10%）", "1021"},
		{"煤尘(游离 SiO₂ 含量<10%)", "1021"},
		{"电焊烟尘", "1006"},
		{"焊接烟尘", "1006"},
		{"水泥粉尘", "1034"},
		{"石棉粉尘", "1032"},
		{"噪声", "3008"},
		{"噪音", "3008"},
		{"噪声（85dB(A)以上）", "3008"},
		{"高温", "3007"},
		{"手传振动", "3009"},
		{"紫外线", "3006"},
		{"苯", "2013"},
		{"甲苯", "2145"},
		{"氯气", "2198"},
		{"铅及其无机化合物", "2237"},
		{"X射线", "5001"},
		{"布鲁氏菌", "4004"},
		{"电工作业", "6001"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			e, ok := s.MatchHazard(tc.text)
			if !ok || e.Code != tc.code {
				t.Errorf("MatchHazard(%q) = %s %s, %v; want %s", tc.text, e.Code, e.Name, ok, tc.code)
			}
		})
	}
	for _, text := range []string{"", "粉尘", "化学有害因素", "不存在的因素", "尘", "铀及其化合物"} {
		if e, ok := s.MatchHazard(text); ok {
			t.Errorf("MatchHazard(%q) = %s %s, want no match", text, e.Code, e.Name)
		}
	}
	var codes []string
	for _, e := range s.MatchHazards("铀及其化合物") {
		codes = append(codes, e.Code)
	}
	if strings.Join(codes, ",") != "2411,5011" {
		t.Errorf("MatchHazards(铀及其化合物) = %v, want [2411 5011]", codes)
	}
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSet_DiseaseCatalogFor(t *testing.T) {
	s := mustLoad(t)
	for _, tc := range []struct {
		date, want string
	}{
		{"2013-12-23", catalog.Diseases2013},
		{"2020-06-01", catalog.Diseases2013},
		{"2025-07-31", catalog.Diseases2013},
		{"2025-08-01", catalog.Diseases2024},
		{"2030-01-01", catalog.Diseases2024},
		{"2013-12-22", ""},
	} {
		c, ok := s.DiseaseCatalogFor(day(tc.date))
		if c.Name != tc.want || ok != (tc.want != "") {
			t.Errorf("DiseaseCatalogFor(%s) = %q, %v; want %q", tc.date, c.Name, ok, tc.want)
		}
	}
	// The local calendar day counts, not the UTC instant.
	cst := time.FixedZone("CST", 8*3600)
	if c, _ := s.DiseaseCatalogFor(time.Date(2025, 8, 1, 0, 30, 0, 0, cst)); c.Name != catalog.Diseases2024 {
		t.Errorf("2025-08-01 00:30 CST gives %s", c.Name)
	}
}

func TestSet_DiseaseMap(t *testing.T) {
	s := mustLoad(t)
	for _, tc := range []struct {
		code2013 string
		want     []string // code:change
	}{
		{"1101", []string{"1101:same"}},
		{"5011", []string{"5011:moved"}},
		{"10002", []string{"10002:moved"}},
		{"3003", []string{"3003:narrowed", "L7012:split"}},
	} {
		var got []string
		for _, e := range s.DiseaseSuccessors(tc.code2013) {
			got = append(got, e.Code+":"+e.Extra["change"])
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("DiseaseSuccessors(%s) = %v, want %v", tc.code2013, got, tc.want)
		}
	}
	for _, code := range []string{"L10001", "L11001"} {
		e, ok := s.DiseasePredecessor(code)
		if !ok || e.Extra["change"] != "new" || e.Extra["code_2013"] != "" || !e.Local {
			t.Errorf("DiseasePredecessor(%s) = %+v, %v", code, e, ok)
		}
		if d, ok := s.Lookup(catalog.Diseases2024, code); !ok || !d.Local {
			t.Errorf("2024 disease %s missing or not local", code)
		}
	}
	e, _ := s.Lookup(catalog.Diseases2024, "5011")
	if e.Category != "职业性放射性疾病" {
		t.Errorf("5011 in 2024 is in %q", e.Category)
	}
}

func TestSet_GBZ188(t *testing.T) {
	s := mustLoad(t)
	for _, tc := range []struct{ date, want string }{
		{"2010-01-01", "2014"},
		{"2020-01-01", "2014"},
		{"2026-07-31", "2014"},
		{"2026-08-01", "2025"},
		{"2031-01-01", "2025"},
	} {
		if got := s.GBZ188Edition(day(tc.date)); got != tc.want {
			t.Errorf("GBZ188Edition(%s) = %q, want %q", tc.date, got, tc.want)
		}
	}
	for _, tc := range []struct {
		code, edition, section, status string
	}{
		{"1038", "2014", "6.1", "V"},
		{"1038", "2025", "6.1", "P"},
		{"3008", "2014", "7.1", "V"},
		{"1006", "2014", "6.4", "U"},
		{"1034", "2014", "6.4", "U"},
		{"1035", "2014", "6.4", "U"},
		{"2013", "2014", "5.19", "V"},
		{"6006", "2025", "9.4", "P"},
		{"5001", "2014", "GBZ 98-2020", "P"},
	} {
		got, ok := s.GBZ188Section(tc.code, tc.edition)
		if !ok || got.Section != tc.section || got.Status != tc.status {
			t.Errorf("GBZ188Section(%s, %s) = %+v, %v; want %s %s", tc.code, tc.edition, got, ok, tc.section, tc.status)
		}
	}
	for _, tc := range []struct{ code, edition string }{{"1001", "2014"}, {"1032", "2025"}, {"1038", "2007"}} {
		if got, ok := s.GBZ188Section(tc.code, tc.edition); ok {
			t.Errorf("GBZ188Section(%s, %s) = %+v, want none", tc.code, tc.edition, got)
		}
	}
}

// TestMarshal_RoundTrip proves the generated files are in the canonical form Marshal writes,
// so an override saved by an administrator diffs cleanly against the bundled file.
func TestMarshal_RoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogs in %s: %v", dir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			c, err := catalog.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			out, err := catalog.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, b) {
				t.Errorf("Marshal(Unmarshal(file)) differs from the file")
			}
		})
	}
}

func TestUnmarshal_Invalid(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"not json", `{`},
		{"unknown field", `{"catalog":"x","version":"","source":"","effective_from":"","effective_to":"","entries":[],"extra":1}`},
		{"no name", `{"catalog":"","entries":[]}`},
		{"duplicate code", `{"catalog":"x","entries":[{"code":"1","name":"a"},{"code":"1","name":"b"}]}`},
		{"empty name", `{"catalog":"x","entries":[{"code":"1","name":" "}]}`},
		{"missing parent", `{"catalog":"x","entries":[{"code":"11","name":"a","parent":"1"}]}`},
		{"bad status", `{"catalog":"x","entries":[{"code":"1","name":"a","status":"X"}]}`},
		{"local without L", `{"catalog":"x","entries":[{"code":"9001","name":"a","local":true}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := catalog.Unmarshal([]byte(tc.json)); err == nil {
				t.Errorf("Unmarshal(%s) succeeded", tc.json)
			}
		})
	}
}

func TestSet_Replace(t *testing.T) {
	c1 := catalog.Catalog{Name: catalog.Hazards, Entries: []catalog.Entry{
		{Code: "1", Name: "粉尘", Level: 1},
		{Code: "1038", Name: "矽尘", Parent: "1", Level: 2},
	}}
	s, err := catalog.NewSet(c1)
	if err != nil {
		t.Fatal(err)
	}
	c2 := catalog.Catalog{Name: catalog.Hazards, Version: "local-1", Entries: []catalog.Entry{
		{Code: "1", Name: "粉尘", Level: 1},
		{Code: "1038", Name: "矽尘", Parent: "1", Level: 2, Aliases: []string{"石英尘"}},
		{Code: "L1001", Name: "本地粉尘", Parent: "1", Level: 2, Local: true},
	}}
	if err := s.Replace(catalog.Hazards, c2); err != nil {
		t.Fatal(err)
	}
	c2.Entries[1].Name = "changed after Replace" // the set keeps its own copy
	if e, ok := s.MatchHazard("石英尘"); !ok || e.Code != "1038" || e.Name != "矽尘" {
		t.Errorf("after Replace, MatchHazard(石英尘) = %+v, %v", e, ok)
	}
	if _, ok := s.Lookup(catalog.Hazards, "L1001"); !ok {
		t.Error("local code missing after Replace")
	}
	if err := s.Replace(catalog.Items, c2); err == nil {
		t.Error("Replace under another name succeeded")
	}
	bad := catalog.Catalog{Name: catalog.Hazards, Entries: []catalog.Entry{{Code: "1", Name: ""}}}
	if err := s.Replace(catalog.Hazards, bad); err == nil {
		t.Error("Replace with an invalid catalog succeeded")
	}
	if c, _ := s.Catalog(catalog.Hazards); c.Version != "local-1" {
		t.Errorf("failed Replace changed the set: version %q", c.Version)
	}
}

func TestLoad_Layouts(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dir, "exam_types.json"))
	if err != nil {
		t.Fatal(err)
	}
	// assets.Catalogs keeps the files under catalog/.
	s, err := catalog.Load(fstest.MapFS{"catalog/exam_types.json": {Data: b}})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); len(got) != 1 || got[0] != catalog.ExamTypes {
		t.Errorf("Names() = %v", got)
	}
	if _, err := catalog.Load(fstest.MapFS{"wrong_name.json": {Data: b}}); err == nil {
		t.Error("Load accepted a file whose name differs from its catalog")
	}
	if _, err := catalog.Load(fstest.MapFS{}); err == nil {
		t.Error("Load accepted an empty file system")
	}
}

func TestSet_UnverifiedMarks(t *testing.T) {
	s := mustLoad(t)
	e, ok := s.Lookup(catalog.Items, "4370000")
	if !ok || !e.Unverified() || e.Extra["spec_code"] != "43700000" {
		t.Errorf("item 4370000 = %+v: want status U with the printed code kept", e)
	}
	for _, code := range []string{"L01", "L02", "L99"} {
		if e, ok := s.Lookup(catalog.IDDocTypes, code); !ok || !e.Local {
			t.Errorf("ID document type %s = %+v, %v: want a local entry", code, e, ok)
		}
	}
}

func BenchmarkSet_MatchHazard(b *testing.B) {
	s := mustLoad(b)
	for i := 0; i < b.N; i++ {
		s.MatchHazard("煤尘（游离SiO2含量＜10%）")
	}
}
