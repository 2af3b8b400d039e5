package main

import (
	"bytes"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSpecRows_WrappedNames(t *testing.T) {
	log.SetOutput(io.Discard)
	defer log.SetOutput(os.Stderr)
	text := strings.Join([]string{
		"      3. 职业病种类代码",
		"",
		"          值                     值含义            备注",
		"1                     职业性尘肺病及其他呼吸系统疾病    参照《职业病分类目录》",
		"     1112     铸工尘肺                参照《职业病分类目录》",
		"              根据《尘肺病诊断标准》和《尘肺病理",
		"     1113                         参照《职业病分类目录》",
		"            诊断标准》可以诊断的其他尘肺病",
		"5041   苯的氨基及硝基化合物(不包括三硝基甲   参照《职业病分类目录》",
		"           苯)中毒",
		"\f    5042    三硝基甲苯中毒              参照《职业病分类目录》",
		"             长骨、大关节 X 线数字化摄影（DR）（双肩、双肘、双膝、双髋",
		"  3082200   关节）",
		"  3082300   一侧桡、尺骨正位 X 线",
	}, "\n")
	p := filepath.Join(t.TempDir(), "spec.txt")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := readSpec(p)
	if err != nil {
		t.Fatal(err)
	}
	tabs := s.tables(0, len(s))
	if len(tabs) != 1 || tabs[0].num != 3 || tabs[0].title != "职业病种类代码" {
		t.Fatalf("tables = %+v", tabs)
	}
	rs, err := s.rows(tabs[0], `\d{1,7}`, diseaseRemark)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"1":       "职业性尘肺病及其他呼吸系统疾病",
		"1112":    "铸工尘肺",
		"1113":    "根据《尘肺病诊断标准》和《尘肺病理诊断标准》可以诊断的其他尘肺病",
		"5041":    "苯的氨基及硝基化合物(不包括三硝基甲苯)中毒",
		"5042":    "三硝基甲苯中毒",
		"3082200": "长骨、大关节 X 线数字化摄影（DR）（双肩、双肘、双膝、双髋关节）",
		"3082300": "一侧桡、尺骨正位 X 线",
	}
	if len(rs) != len(want) {
		t.Errorf("%d rows, want %d: %+v", len(rs), len(want), rs)
	}
	for _, r := range rs {
		if want[r.code] != r.name {
			t.Errorf("code %s: name %q, want %q", r.code, r.name, want[r.code])
		}
		if r.code == "1113" && r.remark != diseaseRemark {
			t.Errorf("code 1113: remark %q", r.remark)
		}
	}
}

func TestNaturalCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2", "10", -1},
		{"00-3", "00-10", -1},
		{"01", "1", 1},
		{"A08.4", "A09", -1},
		{"9", "L10", -1},
		{"1101", "1101", 0},
		{"A", "B", -1},
	} {
		if got := naturalCompare(tc.a, tc.b); got != tc.want {
			t.Errorf("naturalCompare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestRun_UpToDate regenerates the catalogs from the shared data, when it is present, and
// compares them with the committed ones in assets/catalog.
func TestRun_UpToDate(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "data", "national-exchange-spec-2021", "spec.txt")); err != nil {
		t.Skipf("shared reference data not available: %v", err)
	}
	log.SetOutput(io.Discard)
	defer log.SetOutput(os.Stderr)
	out := t.TempDir()
	if err := run(shared, out); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "assets", "catalog")
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	for _, f := range files {
		got, _ := os.ReadFile(f)
		want, err := os.ReadFile(filepath.Join(committed, filepath.Base(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go run ./internal/catalogen -shared ../shared -out assets/catalog", filepath.Base(f))
		}
	}
	old, _ := filepath.Glob(filepath.Join(committed, "*.json"))
	for _, f := range old {
		if _, err := os.Stat(filepath.Join(out, filepath.Base(f))); err != nil {
			t.Errorf("%s is no longer generated", filepath.Base(f))
		}
	}
}
