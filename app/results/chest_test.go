package results_test

import (
	"testing"

	"occhealth/app/results"
)

func TestChestFilm(t *testing.T) {
	_, _, cats := mustLoad(t)
	table, ok := cats.Catalog("chest_film")
	if !ok {
		t.Fatal("no chest_film catalog")
	}
	if len(table.Entries) != len(results.ChestFilms) {
		t.Errorf("catalog has %d codes, ChestFilms %d", len(table.Entries), len(results.ChestFilms))
	}
	for _, e := range table.Entries {
		c := results.ChestFilm(e.Code)
		if !c.Valid() || c.Name() != e.Name {
			t.Errorf("code %s: Name %q, catalog %q", e.Code, c.Name(), e.Name)
		}
	}
	for _, tc := range []struct {
		c    results.ChestFilm
		flag results.Flag
	}{
		{results.ChestNormal, results.FlagNormal},
		{results.ChestPneumoconiosisLike, results.FlagAbnormal},
		{results.ChestOtherAbnormal, results.FlagAbnormal},
		{results.ChestNotExamined, results.FlagNone},
		{"9", results.FlagNone},
	} {
		if got := tc.c.Flag(); got != tc.flag {
			t.Errorf("%s.Flag() = %q, want %q", tc.c, got, tc.flag)
		}
	}
	if results.ChestFilm("9").Valid() || results.ChestFilm("9").Name() != "9" {
		t.Error("code 9 valid")
	}
}

func TestParseChestFilm(t *testing.T) {
	for in, want := range map[string]results.ChestFilm{
		"0": results.ChestNormal, " １ ": results.ChestPneumoconiosisLike, "其他异常": results.ChestOtherAbnormal,
		"未检查": results.ChestNotExamined, "未见异常": results.ChestNormal,
	} {
		if got, ok := results.ParseChestFilm(in); !ok || got != want {
			t.Errorf("ParseChestFilm(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "4", "尘肺", "01"} {
		if got, ok := results.ParseChestFilm(in); ok {
			t.Errorf("ParseChestFilm(%q) = %q", in, got)
		}
	}
}
