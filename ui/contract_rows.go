package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// contractPackageRow is one agreed package with its price per person.
type contractPackageRow struct {
	f     *contractForm
	pkg   *widget.Select
	price *widget.Entry
	del   *widget.Button
	ids   map[string]*app.ExamPackage
	// kept is the row's package when it is inactive or renamed since (not among the options)
	kept *app.ContractPackage
}

func newContractPackageRow(f *contractForm) *contractPackageRow {
	r := &contractPackageRow{f: f, ids: map[string]*app.ExamPackage{}}
	var opts []string
	if ps, err := f.env.Services.Packages.FindPackages(f.env.Ctx, false); err == nil {
		for _, p := range ps {
			l := p.Name + "（" + formatFen(p.TotalFen()) + " 元）"
			r.ids[l] = p
			opts = append(opts, l)
		}
	}
	r.price = widget.NewEntry()
	r.price.SetPlaceHolder("约定价格（元）")
	r.price.OnChanged = func(string) { f.changed("") }
	enterMovesOn(r.price)
	r.pkg = widget.NewSelect(opts, func(s string) {
		r.kept = nil
		if p := r.ids[s]; p != nil && strings.TrimSpace(r.price.Text) == "" {
			r.price.SetText(formatFen(p.TotalFen()))
		}
		f.changed("")
	})
	r.pkg.PlaceHolder = "选择套餐"
	if len(opts) == 0 {
		r.pkg.PlaceHolder = "尚无套餐（系统管理 → 体检套餐）"
	}
	r.del = widget.NewButton("删除", nil)
	return r
}

func (r *contractPackageRow) content(remove func()) fyne.CanvasObject {
	r.del.OnTapped = remove
	return container.NewBorder(nil, nil, nil, r.del, container.NewGridWithColumns(2, r.pkg, labeled("元/人", r.price)))
}

func (r *contractPackageRow) setEditable(ok bool) {
	for _, w := range []fyne.Disableable{r.pkg, r.price} {
		if ok {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	if ok {
		r.del.Show()
	} else {
		r.del.Hide()
	}
}

func (r *contractPackageRow) touch()                {}
func (r *contractPackageRow) focus() fyne.Focusable { return r.pkg }

func (r *contractPackageRow) load(p app.ContractPackage) {
	for l, x := range r.ids {
		if x.ID == p.PackageID {
			r.pkg.SetSelected(l)
		}
	}
	if r.pkg.Selected == "" {
		kp := p
		r.kept = &kp
		r.pkg.PlaceHolder = p.Name + "（已停用）"
	}
	r.price.SetText(formatFen(p.PriceFen))
}

func (r *contractPackageRow) value() app.ContractPackage {
	var out app.ContractPackage
	if p := r.ids[r.pkg.Selected]; p != nil {
		out = app.ContractPackage{PackageID: p.ID, Name: p.Name}
	} else if r.kept != nil {
		out = app.ContractPackage{PackageID: r.kept.PackageID, Name: r.kept.Name}
	}
	out.PriceFen, _ = parseYuan(r.price.Text)
	return out
}

func (r *contractPackageRow) problem() string {
	if r.ids[r.pkg.Selected] == nil && r.kept == nil {
		return "请选择套餐"
	}
	if _, err := parseYuan(r.price.Text); err != nil {
		return fieldMessage(err)
	}
	return ""
}

// concentrationTypes are exchange-spec code table 7.
var concentrationTypes = []string{"01 CTWA", "02 CSTEL", "03 CMAC", "99 其他"}

// monitoringRow is one workplace monitoring result.
type monitoringRow struct {
	f                                   *contractForm
	hazard                              *picker
	workshop, date, result, unit, grade *widget.Entry
	ctype                               *widget.Select
	del                                 *widget.Button
}

func newMonitoringRow(f *contractForm) *monitoringRow {
	r := &monitoringRow{f: f}
	ch := func(string) { f.changed("") }
	r.hazard = newPicker("危害因素", catalogSearch(f.cats, app.CatalogHazards, func(e catalog.Entry) bool { return e.Level >= 2 }, codeLabel))
	r.hazard.OnChanged = func() { f.changed("") }
	mk := func(ph string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		e.OnChanged = ch
		return e
	}
	r.workshop, r.date, r.result, r.unit, r.grade = mk("车间/岗位"), mk("检测日期"), mk("结果，如 0.35"), mk("单位，如 mg/m³"), mk("作业分级，如 Ⅰ级")
	enterMovesOn(r.date, r.result)
	r.ctype = widget.NewSelect(concentrationTypes, ch)
	r.ctype.PlaceHolder = "浓度类型"
	r.del = widget.NewButton("删除", nil)
	return r
}

func (r *monitoringRow) content(remove func()) fyne.CanvasObject {
	r.del.OnTapped = remove
	return container.NewVBox(
		container.NewGridWithColumns(3, top(r.hazard.content()), r.workshop, r.date),
		container.NewBorder(nil, nil, nil, r.del, container.NewGridWithColumns(4, r.result, r.unit, r.ctype, r.grade)),
	)
}

func (r *monitoringRow) setEditable(ok bool) {
	for _, w := range []fyne.Disableable{r.hazard.entry, r.workshop, r.date, r.result, r.unit, r.grade, r.ctype} {
		if ok {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	if ok {
		r.del.Show()
	} else {
		r.del.Hide()
	}
}

func (r *monitoringRow) touch()                {}
func (r *monitoringRow) focus() fyne.Focusable { return r.hazard.entry }

func (r *monitoringRow) load(m app.MonitoringResult) {
	if it, ok := catalogItem(r.f.cats, app.CatalogHazards, m.HazardCode, codeLabel); ok {
		r.hazard.setSelected(it)
	} else {
		r.hazard.setText(m.HazardCode)
	}
	r.workshop.SetText(m.Workshop)
	r.date.SetText(formatDate(m.Date))
	r.result.SetText(m.Value)
	r.unit.SetText(m.Unit)
	r.grade.SetText(m.Grade)
	r.ctype.ClearSelected()
	for _, o := range concentrationTypes {
		if strings.HasPrefix(o, m.ConcentrationType+" ") && m.ConcentrationType != "" {
			r.ctype.SetSelected(o)
		}
	}
}

func (r *monitoringRow) value() app.MonitoringResult {
	m := app.MonitoringResult{Workshop: strings.TrimSpace(r.workshop.Text), Value: strings.TrimSpace(r.result.Text),
		Unit: strings.TrimSpace(r.unit.Text), Grade: strings.TrimSpace(r.grade.Text)}
	if it, ok := r.hazard.Selected(); ok {
		m.HazardCode = it.Key
	} else if e, ok := r.f.cats.MatchHazard(r.hazard.Text()); ok {
		m.HazardCode = e.Code
	}
	m.Date, _ = parseDate(r.date.Text)
	m.ConcentrationType, _, _ = strings.Cut(r.ctype.Selected, " ")
	return m
}

func (r *monitoringRow) problem() string {
	if r.value().HazardCode == "" {
		return "请从列表中选择危害因素"
	}
	if _, err := parseDate(r.date.Text); err != nil {
		return fieldMessage(err)
	}
	return ""
}
