package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/rules"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_rules", Group: "系统管理", Title: "GBZ 188 规则表", Order: 70,
		Roles:  []app.Role{app.RoleAdmin},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "RuleService.SaveRuleTable",
		New:    func(env *Env) fyne.CanvasObject { return newRuleScreen(env).content() },
	})
}

const allOption = "全部"

// ruleScreen shows the GBZ 188 rule table in force: a filtered virtual table, the detail of
// one rule, its status and notes for correction, and the .xlsx export and import by which an
// administrator maintains the table in Excel.
type ruleScreen struct {
	env   *Env
	table *rules.Table
	all   []rules.Rule
	shown []int
	sel   int // index into all, -1 for none

	query            *widget.Entry
	edition, typ     *widget.Select
	grid             *widget.Table
	count, status    *widget.Label
	detail           *widget.Label
	ruleStatus       *widget.Select
	notes            *widget.Entry
	saveRuleBtn      *widget.Button
	exportBtn        *widget.Button
	importBtn, reset *widget.Button
	// reason is the entry of the last reason dialog opened, editor the last rule editor
	// (tests).
	reason  *widget.Entry
	editor  *ruleEditor
	editBtn *widget.Button
}

var ruleColumns = []struct {
	title string
	width float32
}{
	{"危害因素", 170}, {"体检类型", 76}, {"版本", 50}, {"条款", 64}, {"必检项目", 250}, {"状态", 76},
}

func newRuleScreen(env *Env) *ruleScreen {
	v := &ruleScreen{env: env, sel: -1}
	v.count = widget.NewLabel("")
	v.status = newMsg()
	v.query = widget.NewEntry()
	v.query.SetPlaceHolder("危害因素名称或代码，如 矽尘、1038")
	v.query.OnChanged = func(string) { v.applyFilter() }
	v.edition = widget.NewSelect([]string{allOption, "2014", "2025"}, func(string) { v.applyFilter() })
	v.typ = widget.NewSelect(append([]string{allOption}, examTypeLabels()...), func(string) { v.applyFilter() })
	v.grid = widget.NewTable(
		func() (int, int) { return len(v.shown), len(ruleColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		v.updateCell)
	for i, c := range ruleColumns {
		v.grid.SetColumnWidth(i, c.width)
	}
	v.grid.ShowHeaderRow = true
	v.grid.CreateHeader = headerLabel
	v.grid.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(ruleColumns) {
			o.(*widget.Label).SetText(ruleColumns[id.Col].title)
		}
	}
	v.grid.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.shown) {
			v.choose(v.shown[id.Row])
		}
	}
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord
	v.ruleStatus = widget.NewSelect([]string{ruleStatusLabel(rules.StatusVerified), ruleStatusLabel(rules.StatusPartial), ruleStatusLabel(rules.StatusUnverified)}, nil)
	v.ruleStatus.PlaceHolder = "—"
	v.notes = widget.NewMultiLineEntry()
	v.notes.SetMinRowsVisible(2)
	v.notes.SetPlaceHolder("核实情况、出处等说明")
	v.saveRuleBtn = widget.NewButton("保存此条修改…", v.saveRule)
	v.editBtn = widget.NewButton("编辑此条全部内容…", v.editRule)
	v.exportBtn = widget.NewButton("导出 .xlsx…", v.exportFile)
	v.importBtn = widget.NewButton("导入 .xlsx…", v.importFile)
	v.reset = widget.NewButton("恢复出厂规则表…", v.confirmReset)
	v.edition.SetSelected(allOption)
	v.typ.SetSelected(allOption)
	v.reload()
	env.Focus = v.query
	return v
}

func (v *ruleScreen) content() fyne.CanvasObject {
	hint := widget.NewLabel("规则表决定登记时按 GBZ 188 应检的项目。标为“待核实”的内容尚未与标准原文核对，请核实后修改状态。整表可导出为 Excel 修改后再导入。")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewLabel("版本"), v.edition, widget.NewLabel("类型"), v.typ), v.query)
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading("GBZ 188 规则表"), container.NewHBox(v.exportBtn, v.importBtn, v.reset)),
		hint, filters, v.count, v.status)
	edit := container.NewVBox(widget.NewSeparator(), formGrid(
		formRow{"核实状态", v.ruleStatus, nil},
		formRow{"说明", v.notes, nil},
	), container.NewHBox(v.saveRuleBtn, v.editBtn))
	right := container.NewBorder(heading("规则详情"), edit, nil, nil, container.NewVScroll(v.detail))
	split := container.NewHSplit(v.grid, right)
	split.Offset = 0.64
	return container.NewBorder(top, nil, nil, nil, split)
}

// reload reads the table in force.
func (v *ruleScreen) reload() {
	v.table, v.all = nil, nil
	if v.env.Services.RuleTable == nil {
		setMsg(v.status, "本程序未加载 GBZ 188 规则表")
	} else if b, err := v.env.Services.RuleTable(); err != nil {
		setMsg(v.status, app.ErrorMessage(err))
	} else if t, err := rules.Unmarshal(b); err != nil {
		setMsg(v.status, "规则表无法读取："+err.Error())
	} else {
		v.table, v.all = t, t.Rules()
	}
	v.sel = -1
	v.applyFilter()
	v.choose(-1)
}

func (v *ruleScreen) applyFilter() {
	q := strings.TrimSpace(v.query.Text)
	v.shown = v.shown[:0]
	unverified := 0
	for i, r := range v.all {
		if q != "" && !strings.HasPrefix(r.Hazard, q) && !strings.Contains(r.HazardName, q) && !strings.Contains(r.Factor, q) {
			continue
		}
		if e := v.edition.Selected; e != "" && e != allOption && r.Edition != e {
			continue
		}
		if t := v.typ.Selected; t != "" && t != allOption && r.ExamType != examTypeOf(t) {
			continue
		}
		if r.Unverified() {
			unverified++
		}
		v.shown = append(v.shown, i)
	}
	v.count.SetText(fmt.Sprintf("共 %d 条规则，显示 %d 条，其中待核实 %d 条", len(v.all), len(v.shown), unverified))
	v.grid.UnselectAll()
	v.grid.Refresh()
}

func ruleStatusLabel(s string) string {
	switch s {
	case rules.StatusVerified:
		return "V 已核实"
	case rules.StatusPartial:
		return "P 部分核实"
	}
	return "U 待核实"
}

func (v *ruleScreen) groupNames(codes []string) string {
	var names []string
	for _, c := range codes {
		if g, ok := v.table.GroupByCode(c); ok {
			names = append(names, g.Name)
		} else {
			names = append(names, c)
		}
	}
	return strings.Join(names, "、")
}

func (v *ruleScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	l.Importance = widget.MediumImportance
	if id.Row >= len(v.shown) {
		l.SetText("")
		return
	}
	r := v.all[v.shown[id.Row]]
	var text string
	switch id.Col {
	case 0:
		text = r.Hazard + " " + r.HazardName
	case 1:
		text = r.ExamType.Name()
	case 2:
		text = r.Edition
	case 3:
		text = r.Section
	case 4:
		text = v.groupNames(r.Required)
	case 5:
		text = ruleStatusText(r)
		if r.Unverified() {
			l.Importance = widget.WarningImportance
		}
	}
	l.SetText(text)
}

// ruleStatusText is the status as the table shows it: 待核实 for status U or an inferred code.
func ruleStatusText(r rules.Rule) string {
	switch {
	case r.Unverified():
		return "待核实"
	case r.Status == rules.StatusVerified:
		return "已核实"
	case r.Status == rules.StatusPartial:
		return "部分核实"
	}
	return ""
}

// choose shows the rule at index i of all (-1: none).
func (v *ruleScreen) choose(i int) {
	v.sel = i
	if i < 0 || i >= len(v.all) {
		v.detail.SetText("在左侧表中选择一条规则查看详情。")
		v.ruleStatus.ClearSelected()
		v.notes.SetText("")
		v.ruleStatus.Disable()
		v.notes.Disable()
		v.saveRuleBtn.Disable()
		v.editBtn.Disable()
		return
	}
	r := v.all[i]
	var b strings.Builder
	line := func(k, val string) {
		if strings.TrimSpace(val) != "" {
			b.WriteString(k + "：" + val + "\n")
		}
	}
	line("危害因素", r.Hazard+" "+r.HazardName)
	line("标准中的名称", r.Factor)
	line("体检类型", examTypeLabel(r.ExamType))
	line("版本", "GBZ 188-"+r.Edition)
	line("条款", r.Section)
	line("核实状态", ruleStatusText(r))
	if r.CodeInferred {
		line("注意", "此危害因素代码归入本条款是本程序的推断，待核实")
	}
	if r.RecommendedOnly {
		line("性质", "推荐性体检（不作逾期提醒）")
	}
	line("必检项目", v.groupNames(r.Required))
	line("选检项目", v.groupNames(r.Optional))
	line("补充检查", strings.Join(r.Conditional, "；"))
	line("项目说明", strings.Join(r.ItemNotes, "；"))
	line("目标疾病", strings.Join(r.TargetDiseases, "、"))
	line("职业禁忌证", strings.Join(r.Contraindications, "、"))
	line("症状询问重点", r.SymptomFocus)
	line("体格检查", r.PhysicalExam)
	line("体检周期", r.Interval)
	line("来源", r.Source)
	line("说明", r.Notes)
	v.detail.SetText(strings.TrimSuffix(b.String(), "\n"))
	v.ruleStatus.SetSelected(ruleStatusLabel(r.Status))
	v.notes.SetText(r.Notes)
	v.ruleStatus.Enable()
	v.notes.Enable()
	v.saveRuleBtn.Enable()
	v.editBtn.Enable()
}

// saveRule stores the status and notes of the selected rule in an edited table.
func (v *ruleScreen) saveRule() {
	if v.sel < 0 || v.table == nil {
		return
	}
	r := v.all[v.sel]
	status, _, _ := strings.Cut(v.ruleStatus.Selected, " ")
	notes := strings.TrimSpace(v.notes.Text)
	if status == r.Status && notes == r.Notes {
		setNote(v.status, "这条规则没有修改。")
		return
	}
	d := v.table.Data()
	for i := range d.RuleList {
		x := &d.RuleList[i]
		if x.Hazard == r.Hazard && x.ExamType == r.ExamType && x.Edition == r.Edition {
			x.Status, x.Notes = status, notes
		}
	}
	t, err := rules.New(d)
	if err != nil {
		showError(v.env.Window, app.Errorf(app.EINVALID, "规则表有误：%v", err))
		return
	}
	b, err := rules.Marshal(t)
	if err != nil {
		showError(v.env.Window, app.Errorf(app.EINTERNAL, "规则表编码失败：%v", err))
		return
	}
	key := r.Hazard + "/" + string(r.ExamType) + "/" + r.Edition
	v.askReasonAndSave("保存规则修改", "修改规则 "+r.Hazard+" "+r.HazardName+"（"+r.ExamType.Name()+"，GBZ 188-"+r.Edition+"）的核实状态与说明。", b, func() {
		v.reselect(key)
	})
}

// reselect selects the rule with key hazard/type/edition after a reload.
func (v *ruleScreen) reselect(key string) {
	for i, r := range v.all {
		if r.Hazard+"/"+string(r.ExamType)+"/"+r.Edition == key {
			v.choose(i)
			return
		}
	}
}

// askReasonAndSave asks for the reason and saves the table b.
func (v *ruleScreen) askReasonAndSave(title, summary string, b []byte, after func()) {
	v.reason = reasonDialog(v.env, title, summary+"\n保存后立即生效（已登记的体检不受影响）。修改原因（记入审计日志）：", "保存", true, func(reason string) error {
		if err := v.env.Services.Rules.SaveRuleTable(v.env.Ctx, b, reason); err != nil {
			return err
		}
		v.reload()
		if after != nil {
			after()
		}
		setNote(v.status, "规则表已保存，原因："+reason)
		return nil
	})
}

func (v *ruleScreen) confirmReset() {
	d := dialog.NewConfirm("恢复出厂规则表", "放弃本机构对规则表的全部修改，恢复为程序自带的规则表？已登记的体检不受影响。", func(ok bool) {
		if !ok {
			return
		}
		if err := v.env.Services.Rules.ResetRuleTable(v.env.Ctx); err != nil {
			showError(v.env.Window, err)
			return
		}
		v.reload()
		setNote(v.status, "已恢复出厂规则表。")
	}, v.env.Window)
	d.SetConfirmText("恢复出厂")
	d.SetDismissText("取消")
	d.Show()
}
