package main

import (
	"fmt"
	"strconv"
	"strings"

	"occhealth/app/catalog"
)

const diseaseRemark = "参照《职业病分类目录》"

// diseases2013 parses appendix 2 table 3, 职业病种类代码: the 2013 职业病分类和目录 with national
// codes. Categories are the 1–2 digit codes printed at the left margin; 11 尘肺病 and
// 12 其他呼吸系统疾病 are indented groups of category 1; the rest are diseases.
func diseases2013(s spec) (catalog.Catalog, error) {
	_, a2, err := s.appendixTables()
	if err != nil {
		return catalog.Catalog{}, err
	}
	t := a2[3]
	rs, err := s.rows(t, `\d{1,5}`, diseaseRemark)
	if err != nil {
		return catalog.Catalog{}, err
	}
	c := catalog.Catalog{
		Name: catalog.Diseases2013, Title: "职业病分类和目录 (2013)", Version: "2013",
		Source: "国卫疾控发〔2013〕48号 职业病分类和目录; codes and names: " + specSource +
			fmt.Sprintf(", 附录2 %s (spec.txt line %d)", t.title, t.start),
		EffectiveFrom: "2013-12-23", EffectiveTo: "2025-07-31",
		Notes: "extra.kind: none (0 无职业病), category (1–10), group (11 尘肺病, 12 其他呼吸系统疾病) or disease; " +
			"category: the disease's category name; parent: its category or group.",
	}
	var es []catalog.Entry
	cats := map[string]string{}
	for _, r := range rs {
		e := catalog.Entry{Code: r.code, Name: r.name}
		switch {
		case r.code == "0":
			e.Extra = map[string]string{"kind": "none"}
		case len(r.code) <= 2 && r.indent <= 1:
			e.Extra = map[string]string{"kind": "category"}
			cats[r.code] = r.name
		case len(r.code) == 2:
			e.Extra = map[string]string{"kind": "group"}
			e.Parent = r.code[:1]
		default:
			e.Extra = map[string]string{"kind": "disease"}
		}
		es = append(es, e)
	}
	groups := map[string]bool{}
	for _, e := range es {
		if e.Extra["kind"] == "group" {
			groups[e.Code] = true
		}
	}
	for i := range es {
		e := &es[i]
		switch e.Extra["kind"] {
		case "disease":
			cat := e.Code[:len(e.Code)-3] // 1101 → 1, 5011 → 5, 10001 → 10
			if g := e.Code[:2]; groups[g] {
				e.Parent = g
			} else {
				e.Parent = cat
			}
			if _, ok := cats[cat]; !ok {
				return c, fmt.Errorf("diseases 2013: code %s in no category", e.Code)
			}
			e.Category = cats[cat]
		case "group":
			e.Category = cats[e.Parent]
		case "category":
			e.Category = e.Name
		}
	}
	if err := treeSort(es, nil, true); err != nil {
		return c, fmt.Errorf("diseases 2013: %w", err)
	}
	c.Entries = es
	if n, k := countKind(es, "disease"), len(cats); n != 132 || k != 10 {
		return c, fmt.Errorf("diseases 2013: %d diseases in %d categories, want 132 in 10", n, k)
	}
	return c, nil
}

func countKind(es []catalog.Entry, kind string) int {
	n := 0
	for _, e := range es {
		if e.Extra["kind"] == kind {
			n++
		}
	}
	return n
}

// cat2024 is a category of the 2024 catalogue: its order (一 … 十二), the code it keeps from
// the 2013 national table, or a local code for the two new categories.
type cat2024 struct {
	order int
	code  string
	name  string
}

var categories2024 = []cat2024{
	{1, "1", "职业性尘肺病及其他呼吸系统疾病"},
	{2, "2", "职业性皮肤病"},
	{3, "3", "职业性眼病"},
	{4, "4", "职业性耳鼻喉口腔疾病"},
	{5, "5", "职业性化学中毒"},
	{6, "6", "物理因素所致职业病"},
	{7, "7", "职业性放射性疾病"},
	{8, "8", "职业性传染病"},
	{9, "9", "职业性肿瘤"},
	{10, "L10", "职业性肌肉骨骼疾病"},
	{11, "L11", "职业性精神和行为障碍"},
	{12, "10", "其他职业病"},
}

var chineseOrdinals = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"}

// change2024 is what the 2024 revision did to a disease (REFERENCE.md §3.2, the official
// explanation: verified change statements).
type change2024 struct {
	code2024, name2024, parent2024 string
	change                         string // moved, narrowed, split, new
	status                         string
}

var changes2024 = map[string][]change2024{ // by 2013 code; "" for new diseases
	"5011":  {{"5011", "", "7", "moved", catalog.StatusVerified}},
	"10002": {{"10002", "", "L10", "moved", catalog.StatusVerified}},
	"3003": {
		{"3003", "三硝基甲苯白内障", "3", "narrowed", catalog.StatusPartial},
		{"L7012", "放射性白内障", "7", "split", catalog.StatusVerified},
	},
	"": {
		{"L10001", "腕管综合征（限于长时间腕部重复作业或用力作业的制造业工人）", "L10", "new", catalog.StatusVerified},
		{"L11001", "创伤后应激障碍（限于参与突发事件处置的人民警察、医疗卫生人员、消防救援等应急救援人员）", "L11", "new", catalog.StatusVerified},
	},
}

// diseases2024 derives the 2024 catalogue (国卫职健发〔2024〕39号, in force 2025-08-01) from the
// 2013 one and the stated changes, and the mapping between them.
func diseases2024(d13 catalog.Catalog) (catalog.Catalog, catalog.Catalog, error) {
	src := "国卫职健发〔2024〕39号 职业病分类和目录 (2024-12-16, 实施 2025-08-01), as derived in REFERENCE.md §3.2 from the official explanation of changes; national codes of " + specSource
	c := catalog.Catalog{
		Name: catalog.Diseases2024, Title: "职业病分类和目录 (2024)", Version: "2024",
		Source: src, EffectiveFrom: "2025-08-01",
		Notes: "National 2013 codes are kept where the disease is the same (5011 铀及其化合物中毒 and 10002 滑囊炎 keep their codes in their new categories); " +
			"categories 十 and 十一 and the diseases new in 2024 have local L-codes; 十二 其他职业病 keeps code 10. " +
			"extra.ordinal: the category's number in the 2024 list. Status P: the 2024 structure is derived from the stated changes, " +
			"not read from the official list; the order of diseases inside a category is not known.",
	}
	m := catalog.Catalog{
		Name: catalog.DiseaseMap, Title: "职业病分类和目录 2013 → 2024 对照", Version: "2024",
		Source: src, EffectiveFrom: "2025-08-01",
		Notes: "One row per 2024 disease, keyed by its code: extra.code_2013/name_2013 the 2013 disease it continues (empty when new), " +
			"extra.change same, moved (other category), narrowed, split (taken out of a 2013 disease) or new. " +
			"Status V: a stated change; P: unchanged or renamed by derivation.",
	}
	byCode := map[string]catalog.Entry{}
	for _, e := range d13.Entries {
		byCode[e.Code] = e
	}
	catName := map[string]string{}
	order := map[string]int{}
	var es []catalog.Entry
	for _, k := range categories2024 {
		catName[k.code] = k.name
		order[k.code] = k.order
		e := catalog.Entry{Code: k.code, Name: k.name, Category: k.name, Local: strings.HasPrefix(k.code, "L"),
			Status: catalog.StatusPartial, Extra: map[string]string{"kind": "category", "ordinal": chineseOrdinals[k.order]}}
		if !e.Local {
			if old := byCode[k.code]; old.Name != k.name || old.Extra["kind"] != "category" {
				return c, m, fmt.Errorf("diseases 2024: category %s is %q in 2013", k.code, old.Name)
			}
		}
		es = append(es, e)
	}
	categoryOf := func(parent string) string {
		for catName[parent] == "" && parent != "" {
			parent = byCode[parent].Parent
		}
		return catName[parent]
	}
	addRow := func(e catalog.Entry, code13, name13, change, status string) {
		e.Status = status
		es = append(es, e)
		mx := map[string]string{"change": change, "category_2024": e.Category}
		if code13 != "" {
			mx["code_2013"] = code13
			mx["name_2013"] = name13
			mx["category_2013"] = byCode[code13].Category
		}
		m.Entries = append(m.Entries, catalog.Entry{Code: e.Code, Name: e.Name, Local: e.Local, Category: e.Category, Status: status, Extra: mx})
	}
	for _, old := range d13.Entries {
		switch old.Extra["kind"] {
		case "none":
			es = append(es, catalog.Entry{Code: old.Code, Name: old.Name, Extra: map[string]string{"kind": "none"}})
		case "group":
			g := old
			g.Extra = map[string]string{"kind": "group"}
			g.Status = catalog.StatusPartial
			es = append(es, g)
		case "disease":
			chs, ok := changes2024[old.Code]
			if !ok {
				e := catalog.Entry{Code: old.Code, Name: old.Name, Parent: old.Parent, Category: categoryOf(old.Parent), Extra: map[string]string{"kind": "disease"}}
				addRow(e, old.Code, old.Name, "same", catalog.StatusPartial)
				continue
			}
			for _, ch := range chs {
				name := ch.name2024
				if name == "" {
					name = old.Name
				}
				e := catalog.Entry{Code: ch.code2024, Name: name, Parent: ch.parent2024, Category: categoryOf(ch.parent2024),
					Local: strings.HasPrefix(ch.code2024, "L"), Extra: map[string]string{"kind": "disease"}}
				addRow(e, old.Code, old.Name, ch.change, ch.status)
			}
		}
	}
	for _, ch := range changes2024[""] {
		e := catalog.Entry{Code: ch.code2024, Name: ch.name2024, Parent: ch.parent2024, Category: categoryOf(ch.parent2024),
			Local: true, Extra: map[string]string{"kind": "disease"}}
		addRow(e, "", "", ch.change, ch.status)
	}
	key := func(e catalog.Entry) string {
		if o, ok := order[e.Code]; ok {
			return strconv.Itoa(o)
		}
		return e.Code
	}
	if err := treeSort(es, key, true); err != nil {
		return c, m, fmt.Errorf("diseases 2024: %w", err)
	}
	c.Entries = es
	// Map rows in the order of the 2024 catalogue.
	pos := map[string]int{}
	for i, e := range es {
		pos[e.Code] = i
	}
	rows := make([]catalog.Entry, len(es))
	for _, r := range m.Entries {
		rows[pos[r.Code]] = r
	}
	m.Entries = m.Entries[:0]
	for _, r := range rows {
		if r.Code != "" {
			m.Entries = append(m.Entries, r)
		}
	}
	perCat := map[string]int{}
	for _, e := range es {
		if e.Extra["kind"] == "disease" {
			perCat[e.Category]++
		}
	}
	want := map[string]int{"职业性尘肺病及其他呼吸系统疾病": 19, "职业性皮肤病": 9, "职业性眼病": 3, "职业性耳鼻喉口腔疾病": 4,
		"职业性化学中毒": 59, "物理因素所致职业病": 7, "职业性放射性疾病": 13, "职业性传染病": 5, "职业性肿瘤": 11,
		"职业性肌肉骨骼疾病": 2, "职业性精神和行为障碍": 1, "其他职业病": 2}
	for k, n := range want {
		if perCat[k] != n {
			return c, m, fmt.Errorf("diseases 2024: %s has %d diseases, want %d", k, perCat[k], n)
		}
	}
	if n := countKind(es, "disease"); n != 135 || len(m.Entries) != 135 {
		return c, m, fmt.Errorf("diseases 2024: %d diseases, %d map rows, want 135", n, len(m.Entries))
	}
	return c, m, nil
}
