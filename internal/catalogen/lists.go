package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"occhealth/app/catalog"
)

// readCSV returns the rows of a UTF-8 CSV file after its header, as maps by column name.
func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	head := recs[0]
	head[0] = strings.TrimPrefix(head[0], "\ufeff")
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range head {
			if i < len(r) {
				m[h] = strings.TrimSpace(r[i])
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// csvLists returns areas, industry and economic type, and checks the spec's enterprise sizes
// against data/codes/enterprise-size.csv.
func csvLists(data string, fromSpec []catalog.Catalog) ([]catalog.Catalog, error) {
	areas, err := areaCatalog(filepath.Join(data, "china-division-2.7.0"))
	if err != nil {
		return nil, err
	}
	ind, err := industryCatalog(filepath.Join(data, "gbt4754-2017", "industry.csv"))
	if err != nil {
		return nil, err
	}
	eco, err := economicCatalog(filepath.Join(data, "codes", "economic-type.csv"))
	if err != nil {
		return nil, err
	}
	sizes, err := readCSV(filepath.Join(data, "codes", "enterprise-size.csv"))
	if err != nil {
		return nil, err
	}
	for _, c := range fromSpec {
		if c.Name != catalog.EnterpriseSize {
			continue
		}
		if len(c.Entries) != len(sizes) {
			return nil, fmt.Errorf("enterprise size: spec has %d codes, CSV %d", len(c.Entries), len(sizes))
		}
		for i, r := range sizes {
			if c.Entries[i].Code != r["code"] || c.Entries[i].Name != r["name"] {
				return nil, fmt.Errorf("enterprise size: spec %s %s, CSV %s %s", c.Entries[i].Code, c.Entries[i].Name, r["code"], r["name"])
			}
		}
	}
	return []catalog.Catalog{areas, ind, eco}, nil
}

// areaCatalog builds provinces, cities and counties with 6-digit GB/T 2260 codes (450000,
// 450100, 450102). Townships (41,352 rows) are left out: they would add about 4 MB.
func areaCatalog(dir string) (catalog.Catalog, error) {
	c := catalog.Catalog{
		Name: catalog.Areas, Title: "行政区划 (省、市、县)", Version: "china-division 2.7.0 (2023)",
		Source:        "npm china-division 2.7.0 (LICENSE-china-division.txt), compiled from 国家统计局 统计用区划代码 2023 (as of 2023-06-30)",
		EffectiveFrom: "2023-06-30",
		Notes: "6-digit codes: level 1 province (xx0000), 2 city (xxxx00; 市辖区/省直辖县级行政区划 rows included as in the source), 3 county. " +
			"extra.county_level: a city without counties (东莞市 …), itself the county-level unit. Codes change yearly: keep old codes valid for old records. Township (9-digit) codes are not included.",
	}
	var es []catalog.Entry
	provs, err := readCSV(filepath.Join(dir, "provinces.csv"))
	if err != nil {
		return c, err
	}
	for _, r := range provs {
		es = append(es, catalog.Entry{Code: r["code"] + "0000", Name: r["name"]})
	}
	cities, err := readCSV(filepath.Join(dir, "cities.csv"))
	if err != nil {
		return c, err
	}
	for _, r := range cities {
		es = append(es, catalog.Entry{Code: r["code"] + "00", Name: r["name"], Parent: r["provinceCode"] + "0000"})
	}
	counties, err := readCSV(filepath.Join(dir, "areas.csv"))
	if err != nil {
		return c, err
	}
	cityAt := map[string]int{}
	for i, e := range es {
		cityAt[e.Code] = i
	}
	for _, r := range counties {
		if i, ok := cityAt[r["code"]]; ok && es[i].Name == r["name"] {
			// 东莞市, 中山市, 儋州市 …: cities without counties, listed again at county level
			// under their own code. One entry serves both levels.
			es[i].Extra = map[string]string{"county_level": "true"}
			continue
		}
		es = append(es, catalog.Entry{Code: r["code"], Name: r["name"], Parent: r["cityCode"] + "00"})
	}
	for _, e := range es {
		if len(e.Code) != 6 {
			return c, fmt.Errorf("areas: code %q is not 6 digits", e.Code)
		}
	}
	if err := treeSort(es, nil, true); err != nil {
		return c, fmt.Errorf("areas: %w", err)
	}
	c.Entries = es
	return c, nil
}

func industryCatalog(path string) (catalog.Catalog, error) {
	c := catalog.Catalog{
		Name: catalog.Industry, Title: "国民经济行业分类 (GB/T 4754-2017)", Version: "GB/T 4754-2017",
		Source:        "GB/T 4754-2017; data/gbt4754-2017/industry.csv (transcribed by ramwin/china-public-data, ten names repaired; see its SOURCE.md)",
		EffectiveFrom: "2017-10-01",
		Notes:         "Levels 1 门类 (A–T), 2 大类, 3 中类, 4 小类 (cards carry the 4-digit 小类); category: the 门类 letter; extra.level_name.",
	}
	rows, err := readCSV(path)
	if err != nil {
		return c, err
	}
	var es []catalog.Entry
	for _, r := range rows {
		es = append(es, catalog.Entry{Code: r["code"], Name: r["name"], Parent: r["parent"],
			Extra: map[string]string{"level_name": r["level"]}})
	}
	if err := treeSort(es, nil, true); err != nil {
		return c, fmt.Errorf("industry: %w", err)
	}
	want := map[string]int{"门类": 1, "大类": 2, "中类": 3, "小类": 4}
	section := map[string]string{}
	for i := range es {
		e := &es[i]
		if want[e.Extra["level_name"]] != e.Level {
			return c, fmt.Errorf("industry: %s is %s at depth %d", e.Code, e.Extra["level_name"], e.Level)
		}
		if e.Level == 1 {
			section[e.Code] = e.Code
		} else {
			section[e.Code] = section[e.Parent]
		}
		e.Category = section[e.Code]
	}
	c.Entries = es
	return c, nil
}

func economicCatalog(path string) (catalog.Catalog, error) {
	c := catalog.Catalog{
		Name: catalog.EconomicType, Title: "经济类型分类与代码 (GB/T 12402-2000)", Version: "GB/T 12402-2000",
		Source: "GB/T 12402-2000, named by the exchange spec for ECONOMIC_TYPE_CODE; data/codes/economic-type.csv (compiled from public copies, see its SOURCE.md)",
		Notes: "3-digit codes; level by depth. Not the statistical 登记注册类型 lists, which reuse the same codes with other meanings. " +
			"Status P: compiled from public copies that agree on the codes (REFERENCE.md §6.5); U for the 2xx names, which differ between copies.",
	}
	rows, err := readCSV(path)
	if err != nil {
		return c, err
	}
	var es []catalog.Entry
	for _, r := range rows {
		st := catalog.StatusPartial
		if strings.HasPrefix(r["code"], "2") {
			st = catalog.StatusUnverified
		}
		es = append(es, catalog.Entry{Code: r["code"], Name: r["name"], Parent: r["parent"], Status: st})
	}
	if err := treeSort(es, nil, true); err != nil {
		return c, fmt.Errorf("economic type: %w", err)
	}
	c.Entries = es
	return c, nil
}

// norm is the matching key of a hazard name (see catalog.NormalizeName).
func norm(s string) string { return catalog.NormalizeName(s) }

// stripBrackets removes bracketed parts, full- or half-width, with their contents.
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（':
			depth++
		case ')', '）':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return strings.TrimSpace(b.String())
}
