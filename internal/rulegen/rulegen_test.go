package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"occhealth/app/rules"
)

// TestRun_MatchesAssets regenerates the rule files from ../shared and compares them with
// assets/rules, so that a hand edit of a generated file, or a generator change without a
// regeneration, fails. It skips when the shared folder is not beside the repository.
func TestRun_MatchesAssets(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "domain", "gbz188-rules.json")); err != nil {
		t.Skip("no ../shared/domain/gbz188-rules.json")
	}
	out := t.TempDir()
	if err := run(shared, filepath.Join("..", "..", "assets", "catalog"), out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"item_groups.json", "gbz188.json", "README.md"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "assets", "rules", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from assets/rules: run go run ./internal/rulegen", name)
		}
	}
}

func TestItemMapper_Resolve(t *testing.T) {
	m := newItemMapper()
	tests := []struct {
		text   string
		codes  []string
		asText string
	}{
		{"血常规", []string{"G0101"}, ""},
		{"血常规(含血嗜酸粒细胞计数)", []string{"G0101"}, ""},
		{"内科、皮肤科常规检查", []string{"G0201", "G0701"}, ""},
		{"补充：有晕厥史者可选择脑电图", nil, "conditional"},
		{"医学史、职业史调查", nil, "note"},
	}
	for _, tt := range tests {
		codes, _, asText, err := m.resolve(tt.text)
		if err != nil || !slices.Equal(codes, tt.codes) || asText != tt.asText {
			t.Errorf("resolve(%q) = %v, %q, %v; want %v, %q", tt.text, codes, asText, err, tt.codes, tt.asText)
		}
	}
	if _, _, _, err := m.resolve("不存在的项目"); err == nil {
		t.Error("unknown text resolved")
	}
}

func TestPhysicalGroups(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"内科常规检查；耳科常规检查", []string{"G0201", "G0601"}},
		{"内科常规检查；神经系统常规检查及运动功能、病理反射检查；眼底检查", []string{"G0201", "G0401", "G0402", "G0503"}},
		{"耳科常规检查及前庭功能检查(有病史或临床表现者)", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := physicalGroups(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("physicalGroups(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestGroups_Valid(t *testing.T) {
	if _, err := rules.New(rules.Data{Departments: departments, GroupList: groups, Aliases: aliases}); err != nil {
		t.Fatal(err)
	}
}
