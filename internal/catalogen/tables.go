package main

import (
	"fmt"
	"log"
	"strings"

	"occhealth/app/catalog"
)

const (
	specVersion = "2021"
	specDate    = "2021-05-14"
)

// specCatalog starts a catalog taken from the specification.
func specCatalog(name, title string, t table) catalog.Catalog {
	return catalog.Catalog{
		Name: name, Title: title, Version: specVersion, EffectiveFrom: specDate,
		Source: fmt.Sprintf("%s, %s (spec.txt line %d)", specSource, t.title, t.start),
	}
}

// flat turns rows into flat entries, with the 备注 in Extra["remark"].
func flat(rs []row) []catalog.Entry {
	es := make([]catalog.Entry, 0, len(rs))
	for _, r := range rs {
		e := catalog.Entry{Code: r.code, Name: r.name}
		if r.remark != "" {
			e.Extra = map[string]string{"remark": r.remark}
		}
		es = append(es, e)
	}
	return es
}

// valueTables returns appendix 1 tables 2–12, each checked against its expected size.
func valueTables(s spec) ([]catalog.Catalog, error) {
	a1, _, err := s.appendixTables()
	if err != nil {
		return nil, err
	}
	defs := []struct {
		num         int
		name, title string
		code        string
		n           int
	}{
		{2, catalog.ChestFilm, "胸片检查结果代码表", `\d`, 4},
		{3, catalog.AuditStatus, "审核状态代码表", `\d{2}`, 13},
		{4, catalog.Conclusions, "体检结论代码表", `\d{2}`, 5},
		{5, catalog.Complications, "合并症代码表", `\d{2}`, 5},
		{6, catalog.Outcomes, "转归代码表", `\d{2}`, 6},
		{7, catalog.ConcentrationTypes, "浓度/强度类型代码表", `\d{2}`, 4},
		{8, catalog.PesticideCauses, "农药中毒原因类型代码表", `\d{2}`, 4},
		{9, catalog.EnterpriseSize, "企业规模代码表", `\d{2}`, 5},
		{10, catalog.ExamTypes, "体检类型代码表", `\d{2}`, 5},
		{11, catalog.PneumoconiosisCaseTypes, "尘肺病病例类型代码表", `\d{2}`, 5},
		{12, catalog.PesticidePoisons, "农药中毒毒物名称代码表", `\d{1,2}`, 31},
	}
	var out []catalog.Catalog
	for _, d := range defs {
		t := a1[d.num]
		rs, err := s.rows(t, d.code)
		if err != nil {
			return nil, err
		}
		if len(rs) != d.n {
			return nil, fmt.Errorf("%s: %d codes, want %d", t.title, len(rs), d.n)
		}
		c := specCatalog(d.name, d.title, t)
		c.Entries = flat(rs)
		if err := treeSort(c.Entries, nil, false); err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// hazardCategories maps the first digit of a national hazard code to the table's own
// category name (checked) and the category of 职业病危害因素分类目录 (国卫疾控发〔2015〕92号).
// 6xxx 特殊作业 are not hazard factors of that catalogue but GBZ 188 chapter 9 work types.
var hazardCategories = map[string]struct{ table, cat2015 string }{
	"1": {"粉尘", "粉尘"},
	"2": {"化学有害因素", "化学因素"},
	"3": {"物理有害因素", "物理因素"},
	"4": {"生物因素", "生物因素"},
	"5": {"放射物质类", "放射性因素"},
	"6": {"特殊作业", "特殊作业"},
	"9": {"其他因素", "其他因素"},
}

// hazardAliases are the other names rosters and the GBZ standards use for a national hazard
// factor. The generator also adds each name without its bracketed qualifier when that is
// unique (煤尘（游离 SiO2 含量＜10%） → 煤尘).
var hazardAliases = map[string][]string{
	"1038": {"游离二氧化硅粉尘", "结晶型二氧化硅粉尘", "二氧化硅粉尘", "硅尘", "矽尘（游离二氧化硅含量≥10%）", "石英粉尘", "砂尘"},
	"1021": {"煤矽尘", "煤尘（含煤矽尘）", "煤粉尘"},
	"1006": {"焊接烟尘", "电焊烟", "焊烟"},
	"1032": {"石棉粉尘", "石棉尘", "石棉纤维"},
	"1035": {"碳黑粉尘", "炭黑尘"},
	"1034": {"水泥尘"},
	"1013": {"滑石尘"},
	"1019": {"铝粉尘", "氧化铝粉尘", "铝合金粉尘"},
	"1049": {"铸造尘", "型砂粉尘"},
	"1050": {"陶瓷粉尘", "瓷土粉尘"},
	"1023": {"木尘"},
	"2002": {"氨气"},
	"2013": {"纯苯"},
	"2120": {"金属汞", "汞蒸气", "汞"},
	"2237": {"铅", "铅及其化合物", "铅烟", "铅尘"},
	"2223": {"锰", "锰及其化合物", "锰烟", "锰尘"},
	"3001": {"超高频辐射"},
	"3002": {"高频辐射"},
	"3003": {"工频辐射"},
	"3006": {"紫外线", "紫外辐射"},
	"3007": {"高温作业"},
	"3008": {"噪音", "生产性噪声", "工业噪声"},
	"3009": {"手传振动", "手臂振动", "局部振动", "全身振动"},
	"4003": {"炭疽芽孢杆菌", "炭疽杆菌（炭疽芽孢杆菌）"},
	"4004": {"布鲁氏菌", "布氏杆菌", "布鲁菌"},
	"4007": {"艾滋病病毒（限于医疗卫生人员及人民警察）", "HIV"},
	"5001": {"X射线装置（含CT机）产生的电离辐射", "X线"},
	"6006": {"机动车驾驶作业", "驾驶作业"},
}

// hazards parses table 14, 职业病危害因素代码表.
func hazards(s spec) (catalog.Catalog, error) {
	a1, _, err := s.appendixTables()
	if err != nil {
		return catalog.Catalog{}, err
	}
	t := a1[14]
	rs, err := s.rows(t, `\d{1,4}`)
	if err != nil {
		return catalog.Catalog{}, err
	}
	c := specCatalog(catalog.Hazards, "职业病危害因素代码表", t)
	c.Notes = "Level 1: the table's categories (1 粉尘, 2 化学, 3 物理, 4 生物, 5 放射, 6 特殊作业, 9 其他); level 2: factors, parent = category. " +
		"category: the class of 职业病危害因素分类目录 (国卫疾控发〔2015〕92号), 特殊作业 for 6xxx. " +
		"extra.other = \"true\" marks the open 其他… codes that need a free-text name. " +
		"aliases: curated names used in rosters and GBZ 188, plus each name without its bracketed qualifier."
	var es []catalog.Entry
	for _, r := range rs {
		cat, ok := hazardCategories[r.code[:1]]
		if !ok {
			return c, fmt.Errorf("hazards: code %s in no known category", r.code)
		}
		e := catalog.Entry{Code: r.code, Name: r.name, Category: cat.cat2015}
		if len(r.code) == 1 {
			if r.name != cat.table {
				return c, fmt.Errorf("hazards: category %s is %q, want %q", r.code, r.name, cat.table)
			}
		} else {
			e.Parent = r.code[:1]
			if strings.HasPrefix(r.name, "其他") {
				e.Extra = map[string]string{"other": "true"}
			}
		}
		es = append(es, e)
	}
	// Aliases: curated ones, then the bare name when no other factor shares it.
	bare := map[string][]string{}
	names := map[string]bool{}
	for _, e := range es {
		names[norm(e.Name)] = true
		if b := strings.TrimSpace(stripBrackets(e.Name)); b != e.Name && b != "" {
			bare[norm(b)] = append(bare[norm(b)], e.Code)
		}
	}
	used := map[string]string{}
	for i := range es {
		e := &es[i]
		if e.Parent == "" {
			continue
		}
		var as []string
		if b := strings.TrimSpace(stripBrackets(e.Name)); b != e.Name && b != "" && len(bare[norm(b)]) == 1 && !names[norm(b)] {
			as = append(as, b)
		}
		if strings.Contains(e.Name, "，") { // 氯，氯气
			as = append(as, strings.Split(e.Name, "，")...)
		}
		for _, a := range hazardAliases[e.Code] {
			if !contains(as, a) {
				as = append(as, a)
			}
		}
		for _, a := range as {
			k := norm(a)
			if other, dup := used[k]; dup && other != e.Code {
				return c, fmt.Errorf("hazards: alias %q of %s already names %s", a, e.Code, other)
			}
			if names[k] && k != norm(e.Name) {
				return c, fmt.Errorf("hazards: alias %q of %s is another factor's name", a, e.Code)
			}
			used[k] = e.Code
		}
		e.Aliases = as
	}
	for code := range hazardAliases {
		if _, ok := used[norm(hazardAliases[code][0])]; !ok {
			return c, fmt.Errorf("hazards: curated aliases for unknown code %s", code)
		}
	}
	if err := treeSort(es, nil, true); err != nil {
		return c, fmt.Errorf("hazards: %w", err)
	}
	c.Entries = es
	n := 0
	for _, e := range es {
		if e.Level == 2 {
			n++
		}
	}
	if n < 400 {
		return c, fmt.Errorf("hazards: only %d factors", n)
	}
	return c, nil
}

// items parses table 13, 健康指标代码表. Codes are 7 digits ABBCCDD: A000000 is a group,
// ABB0000 an item or symptom, ABBCC00 and ABBCCDD sub-items.
func items(s spec) (catalog.Catalog, error) {
	a1, _, err := s.appendixTables()
	if err != nil {
		return catalog.Catalog{}, err
	}
	t := a1[13]
	rs, err := s.rows(t, `\d{7,8}`)
	if err != nil {
		return catalog.Catalog{}, err
	}
	c := specCatalog(catalog.Items, "健康指标代码表", t)
	c.Notes = "7-digit codes ABBCCDD; parent by code structure (A000000 ⊃ ABB0000 ⊃ ABBCC00 ⊃ ABBCCDD, nearest existing ancestor); level = depth. " +
		"extra.spec_code: the code as printed when it was corrected."
	have := map[string]bool{}
	var es []catalog.Entry
	for _, r := range rs {
		e := catalog.Entry{Code: r.code, Name: r.name}
		if len(r.code) == 8 {
			// The spec prints 43700000 for the group 生殖系统激素检查, whose children are 43701xx.
			fixed := strings.TrimSuffix(r.code, "0")
			if len(fixed) != 7 {
				return c, fmt.Errorf("items line %d: 8-digit code %s", r.line, r.code)
			}
			log.Printf("%s line %d: code %s read as %s", t.title, r.line, r.code, fixed)
			e.Code = fixed
			e.Status = catalog.StatusUnverified
			e.Extra = map[string]string{"spec_code": r.code}
		}
		if have[e.Code] {
			return c, fmt.Errorf("items: duplicate code %s", e.Code)
		}
		have[e.Code] = true
		es = append(es, e)
	}
	for i := range es {
		code := es[i].Code
		for _, p := range []string{code[:5] + "00", code[:3] + "0000", code[:1] + "000000"} {
			if p != code && have[p] {
				es[i].Parent = p
				break
			}
		}
		if es[i].Parent == "" && code[1:] != "000000" {
			log.Printf("%s: code %s %s has no group in the table", t.title, code, es[i].Name)
		}
	}
	if err := treeSort(es, nil, true); err != nil {
		return c, fmt.Errorf("items: %w", err)
	}
	c.Entries = es
	return c, nil
}

// jobs parses table 15, 工种代码表 (codes NN-NNN; the groups NN have no names in the table).
func jobs(s spec) (catalog.Catalog, error) {
	a1, _, err := s.appendixTables()
	if err != nil {
		return catalog.Catalog{}, err
	}
	t := a1[15]
	rs, err := s.rows(t, `\d{2}-\d{1,4}`)
	if err != nil {
		return catalog.Catalog{}, err
	}
	c := specCatalog(catalog.Jobs, "工种代码表", t)
	c.Notes = "Flat list; extra.group is the code's prefix (the table gives the groups no names)."
	c.Entries = flat(rs)
	for i := range c.Entries {
		c.Entries[i].Extra = map[string]string{"group": strings.SplitN(c.Entries[i].Code, "-", 2)[0]}
	}
	if err := treeSort(c.Entries, nil, false); err != nil {
		return c, fmt.Errorf("jobs: %w", err)
	}
	return c, nil
}

// appendix2 returns sex (GB/T 2261.1), ID document type (CV02.01.101, with local codes) and
// cause of death (ICD-10) from appendix 2 tables 1, 2 and 4.
func appendix2(s spec) ([]catalog.Catalog, error) {
	_, a2, err := s.appendixTables()
	if err != nil {
		return nil, err
	}
	sexRows, err := s.rows(a2[1], `\d`)
	if err != nil {
		return nil, err
	}
	sex := specCatalog(catalog.Sex, "人的性别代码 (GB/T 2261.1-2003)", a2[1])
	sex.Entries = flat(sexRows)

	docRows, err := s.rows(a2[2], `\d{2}`)
	if err != nil {
		return nil, err
	}
	doc := specCatalog(catalog.IDDocTypes, "身份证件类型代码 (WS 364.3 CV02.01.101)", a2[2])
	doc.Notes = "National codes 01–07 and 88 as the spec prints them; L-codes are local additions for documents the national list lacks (map them to 88 or the provincial code on export)."
	doc.Entries = flat(docRows)
	doc.Entries = append(doc.Entries,
		catalog.Entry{Code: "L01", Name: "港澳台居民居住证", Local: true},
		catalog.Entry{Code: "L02", Name: "外国人永久居留身份证", Local: true},
		catalog.Entry{Code: "L99", Name: "其他", Local: true},
	)

	deathRows, err := s.rowsDup(a2[4], true, `[A-Za-z]\d{2}(?:\.\d{1,2})?`)
	if err != nil {
		return nil, err
	}
	death := specCatalog(catalog.DeathCauses, "死亡原因代码 (ICD-10)", a2[4])
	death.Notes = "ICD-10 codes as the spec lists them (not the whole ICD-10). Codes printed twice keep the first name and carry the second as an alias; a lower-case code (k73.9) is upper-cased."
	at := map[string]int{}
	for _, r := range deathRows {
		code := strings.ToUpper(r.code)
		if i, dup := at[code]; dup {
			log.Printf("%s line %d: code %s repeated, %q kept as an alias of %q", a2[4].title, r.line, code, r.name, death.Entries[i].Name)
			death.Entries[i].Aliases = append(death.Entries[i].Aliases, r.name)
			continue
		}
		at[code] = len(death.Entries)
		death.Entries = append(death.Entries, catalog.Entry{Code: code, Name: r.name})
	}

	out := []catalog.Catalog{sex, doc, death}
	for i := range out {
		if err := treeSort(out[i].Entries, nil, false); err != nil {
			return nil, fmt.Errorf("%s: %w", out[i].Name, err)
		}
	}
	if len(sex.Entries) != 4 || len(docRows) != 8 {
		return nil, fmt.Errorf("appendix 2: %d sex codes (want 4), %d document types (want 8)", len(sex.Entries), len(docRows))
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
