package ui

import (
	"strings"

	"occhealth/app"
)

// refresh shows the items the rule table plans for the form as it stands.
func (v *examRegScreen) refresh() {
	if v.loading || v.plan == nil {
		return
	}
	// A change after a registration asks for a new one (the button is off meanwhile, so that
	// a second click does not register the same exam twice).
	v.registerBtn.Enable()
	v.offerPackages()
	r, err := v.registration()
	if err != nil || r.Date.IsZero() || !r.Type.Valid() || len(r.Hazards) == 0 {
		v.plan.SetText("选择体检类型、危害因素和体检日期后，这里列出按 GBZ 188 应检的项目。")
		v.planNotes.SetText("")
		v.planNotes.Hide()
		return
	}
	edition := v.cats.GBZ188Edition(r.Date)
	if edition == "" {
		edition = "2025"
		if r.Date.Before(gbz2025Start) {
			edition = "2014"
		}
	}
	items, notes := v.planItems(r, edition)
	v.plan.SetText("依据 GBZ 188-" + edition + "（按体检日期）\n\n" + planText(items))
	if len(notes) > 0 {
		v.planNotes.SetText(strings.Join(notes, "\n"))
		v.planNotes.Show()
	} else {
		v.planNotes.SetText("")
		v.planNotes.Hide()
	}
}

// planItems unites the rule table's items with the chosen packages' groups, as registration
// does.
func (v *examRegScreen) planItems(r app.Registration, edition string) ([]app.ExamItem, []string) {
	var items []app.ExamItem
	var notes []string
	if pl := v.env.Services.Planner; pl != nil {
		items, notes = pl.PlanItems(r.Hazards, r.Type, edition)
	} else {
		notes = append(notes, "未加载 GBZ 188 规则表，请手工添加体检项目")
	}
	have := map[string]bool{}
	for _, it := range items {
		have[it.GroupCode] = true
	}
	for _, pid := range r.PackageIDs {
		for _, g := range v.pkgGroups[pid] {
			if have[g.GroupCode] {
				continue
			}
			have[g.GroupCode] = true
			it := app.ExamItem{GroupCode: g.GroupCode, Name: g.GroupCode, Source: "package"}
			if pl := v.env.Services.Planner; pl != nil {
				if gi, ok := pl.Group(g.GroupCode); ok {
					it.Name, it.Department = gi.Name, gi.Department
				}
			}
			items = append(items, it)
		}
	}
	return items, notes
}

// planText lists items by department in the order they come: "检验科：血常规、尿常规".
func planText(items []app.ExamItem) string {
	if len(items) == 0 {
		return "（规则表没有列出项目）"
	}
	var depts []string
	by := map[string][]string{}
	for _, it := range items {
		d := it.Department
		if d == "" {
			d = "其他"
		}
		if _, ok := by[d]; !ok {
			depts = append(depts, d)
		}
		name := it.Name
		switch {
		case it.Source == "package":
			name += "（套餐）"
		case !it.Required:
			name += "（选检）"
		}
		by[d] = append(by[d], name)
	}
	var b strings.Builder
	for _, d := range depts {
		b.WriteString(d + "：" + strings.Join(by[d], "、") + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
