package rules

import (
	"fmt"
	"sort"
	"strings"

	"occhealth/app"
)

// PlanItems returns the item groups the rules require for an exam of type t under edition
// (app.ItemPlanner): the required groups of every hazard's rule, united without duplicates,
// each carrying the hazards that need it (in the order given), Required true, Source "rule",
// and its department and tube; ordered by department (Departments) and then by the order of
// the group list. Optional groups and 补充 checks are not planned: the doctor adds them.
//
// The notes, in Chinese, name every hazard the doctor must look at by hand: one without a rule
// for this type and edition, one whose rule is unverified (status U, or a hazard code only
// inferred to belong to its section), and one whose rule lists no required items. Duplicate
// and empty hazard codes are ignored.
func (t *Table) PlanItems(hazards []string, typ app.ExamType, edition string) ([]app.ExamItem, []string) {
	var items []app.ExamItem
	byCode := map[string]int{}
	var notes []string
	seen := map[string]bool{}
	for _, h := range hazards {
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		r, ok := t.Rule(h, typ, edition)
		if !ok {
			notes = append(notes, fmt.Sprintf("危害因素 %s 在 %s 中无%s规则，请手工添加项目（待核实）",
				t.hazardLabel(h), editionName(edition), typ.Name()))
			continue
		}
		switch {
		case r.Status == StatusUnverified:
			notes = append(notes, fmt.Sprintf("危害因素 %s的 %s %s规则未找到可靠来源，请核对项目（待核实）",
				t.hazardLabel(h), editionName(edition), typ.Name()))
		case r.CodeInferred:
			notes = append(notes, fmt.Sprintf("危害因素 %s 归入 %s 第 %s 节“%s”系推断，请核对项目（待核实）",
				t.hazardLabel(h), editionName(edition), r.Section, r.Factor))
		}
		if len(r.Required) == 0 {
			notes = append(notes, fmt.Sprintf("危害因素 %s的 %s %s规则未列必检项目，请手工添加项目（待核实）",
				t.hazardLabel(h), editionName(edition), typ.Name()))
		}
		for _, code := range r.Required {
			if i, ok := byCode[code]; ok {
				items[i].Hazards = append(items[i].Hazards, h)
				continue
			}
			g := t.d.GroupList[t.groupIx[code]] // New checked that every code is known
			byCode[code] = len(items)
			items = append(items, app.ExamItem{
				GroupCode: g.Code, Name: g.Name, Department: g.Department,
				Required: true, Source: "rule", Hazards: []string{h}, Tube: g.Tube,
				Note: itemNote(r.ItemNotes, g.Name),
			})
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if da, db := t.deptOrder[a.Department], t.deptOrder[b.Department]; da != db {
			return da < db
		}
		return t.groupIx[a.GroupCode] < t.groupIx[b.GroupCode]
	})
	return items, notes
}

// hazardLabel is "2223（锰及其无机化合物（按 MnO2 计））" when a rule names the code, else the code.
func (t *Table) hazardLabel(h string) string {
	if n := t.names[h]; n != "" {
		return h + "（" + n + "）"
	}
	return h
}

// editionName is how the notes name an edition: "GBZ 188-2014", "GBZ 188-2025".
func editionName(edition string) string { return "GBZ 188-" + edition }

// itemNote returns the text of the rule's item note about group name ("血常规：含血嗜酸粒细胞计数"
// → "含血嗜酸粒细胞计数"), or "".
func itemNote(notes []string, name string) string {
	for _, n := range notes {
		if head, text, ok := strings.Cut(n, "："); ok && strings.Contains(head, name) {
			return text
		}
	}
	return ""
}
