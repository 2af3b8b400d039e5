package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_packages", Group: "系统管理", Title: "体检套餐", Order: 60,
		Roles:  []app.Role{app.RoleAdmin},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "PackageService.CreatePackage",
		New:    func(env *Env) fyne.CanvasObject { return newPackageScreen(env).content() },
	})
}

const anyExamType = "（任意类型）"

// packageScreen lists the hospital's item sets (套餐) and edits one: what it is meant for,
// its item groups from the rule table with a price each, and whether it is offered.
type packageScreen struct {
	env    *Env
	cats   *catalog.Set
	groups []rules.Group
	byCode map[string]rules.Group

	pkgs    []*app.ExamPackage
	list    *keyList
	empty   *widget.Label
	current *app.ExamPackage
	dirty   bool
	loading bool

	title    *widget.Label
	name     *widget.Entry
	note     *widget.Entry
	hazards  *hazardMulti
	examType *widget.Select
	active   *widget.Check
	add      *picker
	rows     *fyne.Container
	items    []*packageGroupRow
	total    *widget.Label
	msg      *widget.Label
	status   *widget.Label
}

// packageGroupRow is one group of a package with its price.
type packageGroupRow struct {
	code  string
	price *widget.Entry
}

func newPackageScreen(env *Env) *packageScreen {
	v := &packageScreen{env: env, cats: catalogsOf(env.Services), byCode: map[string]rules.Group{}}
	v.msg = newMsg()
	v.status = newMsg()
	if env.Services.RuleTable != nil {
		if b, err := env.Services.RuleTable(); err == nil {
			if t, err := rules.Unmarshal(b); err == nil {
				v.groups = t.Groups()
			} else {
				setMsg(v.status, "无法读取规则表的项目组合："+err.Error())
			}
		} else {
			setMsg(v.status, "无法读取规则表的项目组合："+app.ErrorMessage(err))
		}
	}
	for _, g := range v.groups {
		v.byCode[g.Code] = g
	}
	v.list = newKeyList(
		func() int { return len(v.pkgs) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if i >= len(v.pkgs) {
				return
			}
			p := v.pkgs[i]
			text := p.Name + "　" + formatFen(p.TotalFen()) + " 元"
			if !p.Active {
				text += "（已停用）"
			}
			l.SetText(text)
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.pkgs) {
			p := v.pkgs[i]
			v.confirmDiscard(func() { v.load(p) }, v.list.UnselectAll)
		}
	}
	v.title = heading("新建体检套餐")
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder("如 粉尘作业在岗套餐")
	v.name.OnChanged = func(string) { v.changed() }
	v.note = widget.NewMultiLineEntry()
	v.note.SetMinRowsVisible(2)
	v.note.OnChanged = func(string) { v.changed() }
	v.hazards = newHazardMulti(v.cats)
	v.hazards.OnChanged = v.changed
	v.examType = widget.NewSelect(append([]string{anyExamType}, examTypeLabels()...), func(string) { v.changed() })
	v.active = widget.NewCheck("启用（登记时可选）", func(bool) { v.changed() })
	v.add = newPicker("添加项目组合：名称、代码或科室，如 血常规、G0101、放射科", v.searchGroups)
	v.add.OnChanged = func() {
		if it, ok := v.add.Selected(); ok {
			v.add.setText("")
			v.addGroup(it.Key, 0)
			v.changed()
			// The price next: the new row stands above the picker, where Tab would not go.
			for _, r := range v.items {
				if r.code == it.Key {
					focusIfShown(r.price)
				}
			}
		}
	}
	v.rows = container.NewVBox()
	v.total = widget.NewLabel("")
	v.empty = widget.NewLabel("尚无套餐：在右侧填写后保存。")
	v.empty.Wrapping = fyne.TextWrapWord
	v.empty.Importance = widget.LowImportance
	v.reloadList()
	v.clear()
	env.setActions(v.save, func() { v.confirmDiscard(v.clear) })
	env.Focus = v.name
	return v
}

func (v *packageScreen) content() fyne.CanvasObject {
	newBtn := widget.NewButton("新建（Ctrl+N）", func() { v.confirmDiscard(v.clear) })
	saveBtn := widget.NewButton("保存（Ctrl+S）", v.save)
	saveBtn.Importance = widget.HighImportance
	hint := widget.NewLabel("套餐在 GBZ 188 必检项目之外增加项目；登记时两者合并，套餐不能减少必检项目。")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	form := formGrid(
		formRow{"套餐名称", v.name, nil},
		formRow{"适用危害因素", v.hazards.content(), nil},
		formRow{"适用体检类型", v.examType, nil},
		formRow{"状态", v.active, nil},
	)
	groups := container.NewVBox(widget.NewSeparator(), heading("项目组合与价格（元）"), v.rows, v.add.content(), v.total)
	body := container.NewVBox(hint, form, groups, formGrid(formRow{"备注", v.note, nil}), v.msg, v.status)
	right := container.NewBorder(container.NewBorder(nil, nil, v.title, container.NewHBox(newBtn, saveBtn)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(body)))
	left := container.NewBorder(container.NewVBox(heading("体检套餐"), v.empty), nil, nil, nil, v.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.28
	return split
}

// searchGroups finds item groups by code, name or department.
func (v *packageScreen) searchGroups(q string) []pickItem {
	q = strings.ToUpper(strings.TrimSpace(q))
	var out []pickItem
	for _, g := range v.groups {
		if strings.HasPrefix(g.Code, q) || strings.Contains(g.Name, q) || strings.Contains(g.Department, q) {
			out = append(out, pickItem{Key: g.Code, Label: groupLabel(g), Text: g.Name})
		}
	}
	return out
}

func groupLabel(g rules.Group) string {
	s := g.Code + " " + g.Name + "（" + g.Department + "）"
	if g.Status == rules.StatusUnverified {
		s += "（待核实）"
	}
	return s
}

func (v *packageScreen) reloadList() {
	ps, err := v.env.Services.Packages.FindPackages(v.env.Ctx, true)
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		return
	}
	v.pkgs = ps
	if len(ps) == 0 {
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
	v.list.UnselectAll()
	v.list.Refresh()
}

func (v *packageScreen) confirmDiscard(next func(), kept ...func()) {
	if !v.dirty {
		next()
		return
	}
	confirmDiscard(v.env.Window, next, kept...)
}

func (v *packageScreen) changed() {
	if v.loading {
		return
	}
	v.dirty = true
	v.showTotal()
}

func (v *packageScreen) clear() {
	v.load(&app.ExamPackage{Active: true})
	v.current = nil
	v.title.SetText("新建体检套餐")
	v.list.UnselectAll()
}

func (v *packageScreen) load(p *app.ExamPackage) {
	v.loading = true
	cp := *p
	v.current = &cp
	v.name.SetText(p.Name)
	v.note.SetText(p.Note)
	v.hazards.set(p.Hazards)
	if p.Type == "" {
		v.examType.SetSelected(anyExamType)
	} else {
		v.examType.SetSelected(examTypeLabel(p.Type))
	}
	v.active.SetChecked(p.Active)
	v.items = nil
	for _, g := range p.Groups {
		v.addGroup(g.GroupCode, g.PriceFen)
	}
	v.rebuildRows()
	v.loading = false
	v.dirty = false
	v.title.SetText("体检套餐：" + p.Name)
	setMsg(v.msg, "")
	v.showTotal()
}

// addGroup adds a group (once) with a price.
func (v *packageScreen) addGroup(code string, fen int64) {
	for _, r := range v.items {
		if r.code == code {
			return
		}
	}
	r := &packageGroupRow{code: code, price: widget.NewEntry()}
	r.price.SetPlaceHolder("0.00")
	if fen != 0 {
		r.price.SetText(formatFen(fen))
	}
	r.price.OnChanged = func(string) { v.changed() }
	enterMovesOn(r.price)
	v.items = append(v.items, r)
	v.rebuildRows()
}

func (v *packageScreen) rebuildRows() {
	var objs []fyne.CanvasObject
	if len(v.items) == 0 {
		l := widget.NewLabel("（尚未添加项目组合）")
		l.Importance = widget.LowImportance
		objs = append(objs, l)
	}
	for i, r := range v.items {
		idx := i
		name := r.code + "（规则表中已没有此项目组合）"
		if g, ok := v.byCode[r.code]; ok {
			name = groupLabel(g)
		}
		l := widget.NewLabel(name)
		l.Truncation = fyne.TextTruncateEllipsis
		del := widget.NewButton("删除", func() {
			v.items = append(v.items[:idx:idx], v.items[idx+1:]...)
			v.rebuildRows()
			v.changed()
		})
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewHBox(withWidth(110, r.price), del), l))
	}
	v.rows.Objects = objs
	v.rows.Refresh()
}

// showTotal shows the sum of the prices, or what is wrong with one.
func (v *packageScreen) showTotal() {
	p, err := v.pkg()
	if err != nil {
		v.total.SetText("合计：—（" + fieldMessage(err) + "）")
		return
	}
	v.total.SetText("合计：" + formatFen(p.TotalFen()) + " 元")
}

// pkg collects the form.
func (v *packageScreen) pkg() (*app.ExamPackage, error) {
	p := &app.ExamPackage{Active: true}
	if v.current != nil {
		*p = *v.current
	}
	p.Name = strings.TrimSpace(v.name.Text)
	p.Note = strings.TrimSpace(v.note.Text)
	p.Hazards = v.hazards.Codes()
	p.Type = ""
	if v.examType.Selected != anyExamType {
		p.Type = examTypeOf(v.examType.Selected)
	}
	p.Active = v.active.Checked
	p.Groups = nil
	for _, r := range v.items {
		fen, err := parseYuan(r.price.Text)
		if err != nil {
			return p, err
		}
		p.Groups = append(p.Groups, app.PackageGroup{GroupCode: r.code, PriceFen: fen})
	}
	return p, nil
}

func (v *packageScreen) save() {
	p, err := v.pkg()
	if err == nil {
		err = p.Validate()
	}
	if err != nil {
		setMsg(v.msg, joinProblems(err))
		return
	}
	if v.current == nil || v.current.ID == 0 {
		err = v.env.Services.Packages.CreatePackage(v.env.Ctx, p)
	} else {
		err = v.env.Services.Packages.UpdatePackage(v.env.Ctx, p)
	}
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	v.reloadList()
	v.load(p)
	setNote(v.msg, "已保存套餐“"+p.Name+"”。")
}
