package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"occhealth/app/catalog"
)

// gbzFactor says which national hazard codes a factor of the GBZ 188 rule table covers.
// named: the standard names the code's factor; inferred: our reading (the 2013 pneumoconiosis
// dusts under 其他致尘肺病的无机粉尘, generic 振动 for 手传振动), kept as status U.
type gbzFactor struct {
	named, inferred []string
}

var gbzFactors = map[string]gbzFactor{
	"矽尘(游离二氧化硅粉尘)": {named: []string{"1038"}},
	"煤尘(含煤矽尘)":     {named: []string{"1021"}},
	"石棉粉尘":         {named: []string{"1032"}},
	"其他致尘肺病的无机粉尘(含电焊烟尘、水泥粉尘)": {named: []string{"1006", "1034"},
		inferred: []string{"1033", "1035", "1013", "1043", "1050", "1019", "1049"}},
	"苯":           {named: []string{"2013"}},
	"甲苯(二甲苯参照执行)": {named: []string{"2145", "2073"}},
	"铅及其无机化合物":    {named: []string{"2237"}},
	"锰及其无机化合物":    {named: []string{"2223"}},
	"汞及其无机化合物":    {named: []string{"2120"}},
	"正己烷":         {named: []string{"2376"}},
	"甲醛":          {named: []string{"2158"}},
	"氨":           {named: []string{"2002"}},
	"一氧化碳":        {named: []string{"2331"}},
	"硫化氢":         {named: []string{"2184"}},
	"氯气":          {named: []string{"2198"}},
	"噪声":          {named: []string{"3008"}},
	"高温":          {named: []string{"3007"}},
	"手传振动":        {inferred: []string{"3009"}},
	"紫外辐射":        {named: []string{"3006"}},
	"电离辐射(放射工作人员, GBZ 98-2020)": {named: []string{"5001", "5002", "5003", "5004", "5005", "5009", "5011", "5012"}},
	"布鲁菌属":      {named: []string{"4004"}},
	"电工作业":      {named: []string{"6001"}},
	"高处作业":      {named: []string{"6002"}},
	"压力容器作业":    {named: []string{"6003"}},
	"职业机动车驾驶作业": {named: []string{"6006"}},
}

type gbzRule struct {
	Factor  string `json:"factor"`
	Edition string `json:"edition"`
	Section string `json:"section"`
	Status  string `json:"status"`
}

var reSection = regexp.MustCompile(`^\d+(\.(\d+|x))*`)

// gbz188 returns the editions catalog and the mapping national hazard code → GBZ 188 section
// per edition, from the rule table's factor names and sub-sections (6.1.1, 6.1.2 … → 6.1).
func gbz188(path string, hz catalog.Catalog) (catalog.Catalog, catalog.Catalog, error) {
	eds := catalog.Catalog{
		Name: catalog.GBZ188Editions, Title: "GBZ 188 职业健康监护技术规范 版本", Version: "2025",
		Source: "REFERENCE.md §0 (GBZ 188-2014 发布 2014-05-14, 实施 2014-10-01 [V]; GBZ 188—2025 实施 2026-08-01 [P])",
		Notes:  "extra.effective_from/effective_to: the exam dates each edition governs.",
		Entries: []catalog.Entry{
			{Code: "2014", Name: "GBZ 188-2014 职业健康监护技术规范", Status: catalog.StatusVerified,
				Extra: map[string]string{"effective_from": "2014-10-01", "effective_to": "2026-07-31"}},
			{Code: "2025", Name: "GBZ 188—2025 职业健康监护技术规范", Status: catalog.StatusPartial,
				Extra: map[string]string{"effective_from": "2026-08-01", "effective_to": ""}},
		},
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return eds, catalog.Catalog{}, fmt.Errorf("read GBZ 188 rules: %w", err)
	}
	var rules []gbzRule
	if err := json.Unmarshal(b, &rules); err != nil {
		return eds, catalog.Catalog{}, fmt.Errorf("decode GBZ 188 rules: %w", err)
	}
	type key struct{ factor, edition string }
	type sec struct{ section, status string }
	found := map[key]sec{}
	var order []key
	for _, r := range rules {
		if _, ok := gbzFactors[r.Factor]; !ok {
			return eds, catalog.Catalog{}, fmt.Errorf("GBZ 188 rules: factor %q has no national codes in the generator", r.Factor)
		}
		s, st := r.Section, r.Status
		if strings.Contains(s, "unverified") {
			st = catalog.StatusUnverified
		}
		if m := reSection.FindString(s); m != "" {
			parts := strings.Split(m, ".")
			if len(parts) > 2 {
				parts = parts[:len(parts)-1]
			}
			s = strings.Join(parts, ".")
		} else if i := strings.Index(s, " ("); i > 0 { // "GBZ 98-2020 (离岗前)"
			s = s[:i]
		}
		k := key{r.Factor, r.Edition}
		old, seen := found[k]
		if !seen {
			order = append(order, k)
			found[k] = sec{s, st}
			continue
		}
		if old.section != s {
			return eds, catalog.Catalog{}, fmt.Errorf("GBZ 188 rules: %s (%s) in sections %s and %s", r.Factor, r.Edition, old.section, s)
		}
		if rank(st) > rank(old.status) {
			found[k] = sec{s, st}
		}
	}
	hzByCode := map[string]catalog.Entry{}
	for _, e := range hz.Entries {
		hzByCode[e.Code] = e
	}
	out := map[string]*catalog.Entry{}
	for _, k := range order {
		f := gbzFactors[k.factor]
		s := found[k]
		for _, list := range []struct {
			codes    []string
			inferred bool
		}{{f.named, false}, {f.inferred, true}} {
			for _, code := range list.codes {
				h, ok := hzByCode[code]
				if !ok || h.Level != 2 {
					return eds, catalog.Catalog{}, fmt.Errorf("GBZ 188 %s: no hazard factor %s", k.factor, code)
				}
				e := out[code]
				if e == nil {
					e = &catalog.Entry{Code: code, Name: h.Name, Category: h.Category, Extra: map[string]string{}}
					out[code] = e
				}
				if prev := e.Extra["section_"+k.edition]; prev != "" && prev != s.section {
					return eds, catalog.Catalog{}, fmt.Errorf("GBZ 188 %s: code %s already in section %s", k.edition, code, prev)
				}
				st := s.status
				if list.inferred {
					st = catalog.StatusUnverified
				}
				e.Extra["section_"+k.edition] = s.section
				e.Extra["factor_"+k.edition] = k.factor
				e.Extra["status_"+k.edition] = st
			}
		}
	}
	secs := catalog.Catalog{
		Name: catalog.GBZ188Sections, Title: "职业病危害因素 → GBZ 188 章节", Version: "2014+2025",
		Source: "domain/gbz188-rules.json (factor, section, status per edition); national hazard codes: " + specSource,
		Notes: "One entry per national hazard code that a GBZ 188 section covers; extra.section_<edition>, factor_<edition>, status_<edition>. " +
			"Section = the rule table's sub-sections without their last number (6.1.1 → 6.1); ionising radiation is governed by GBZ 98-2020. " +
			"Status per edition: the best mark of the rule rows in that section; U where our code assignment is inferred. " +
			"Entry status: the weakest of the editions. Factors the rule table lacks are absent.",
	}
	var codes []string
	for code := range out {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		e := out[code]
		e.Status = catalog.StatusVerified
		for _, ed := range []string{"2014", "2025"} {
			if st, ok := e.Extra["status_"+ed]; ok && rank(st) < rank(e.Status) {
				e.Status = st
			}
		}
		secs.Entries = append(secs.Entries, *e)
	}
	if err := treeSort(secs.Entries, nil, false); err != nil {
		return eds, secs, err
	}
	return eds, secs, nil
}

// rank orders status marks: V above P above U.
func rank(s string) int {
	switch s {
	case catalog.StatusVerified:
		return 3
	case catalog.StatusPartial:
		return 2
	case catalog.StatusUnverified:
		return 1
	}
	return 0
}
