package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// The field names of app.Contract.Validate, which key the messages.
const (
	fCNumber   = "合同编号"
	fCEmployer = "用人单位"
	fCTitle    = "名称"
	fCStart    = "开始日期"
	fCEnd      = "结束日期"
	fCPlace    = "体检地点"
	fCAddress  = "外出地址"
	fCHazards  = "危害因素"
	fCTypes    = "体检类型"
	fCNote     = "备注"
)

const (
	placeIn     = "院内"
	placeOut    = "外出（到企业现场）"
	stateOpen   = "进行中"
	stateClosed = "已结束"
)

// contractForm edits one contract (or a new one).
type contractForm struct {
	env   *Env
	cats  *catalog.Set
	saved func(*app.Contract)

	current *app.Contract
	dirty   bool
	loading bool
	touched map[string]bool

	title                *widget.Label
	number, name         *widget.Entry
	start, end, address  *widget.Entry
	note                 *widget.Entry
	employer             *picker
	place, state         *widget.RadioGroup
	hazards              *hazardMulti
	types                *widget.CheckGroup
	packages             *rowList[*contractPackageRow]
	monitoring           *rowList[*monitoringRow]
	attachments          *fyne.Container
	attachKind           *widget.Select
	uploadBtn, importBtn *widget.Button
	msgs                 map[string]*widget.Label
	status               *widget.Label
	saveBtn, newBtn      *widget.Button
	canCreate, canUpdate bool
	// importRoster switches to the roster tab and asks for a file (set by the screen).
	importRoster func()
	cleared      func()
}

func newContractForm(env *Env, saved func(*app.Contract)) *contractForm {
	f := &contractForm{env: env, cats: catalogsOf(env.Services), saved: saved, touched: map[string]bool{}, msgs: map[string]*widget.Label{}}
	_, f.canCreate = app.ScopeOf(env.User, "ContractService.CreateContract")
	_, f.canUpdate = app.ScopeOf(env.User, "ContractService.UpdateContract")
	f.title = heading("新建体检任务")
	entry := func(field, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { f.changed(field) }
		return e
	}
	f.number = entry(fCNumber, "如 2026-018，不可与其他任务重复")
	f.name = entry(fCTitle, "如 2026 年在岗期间职业健康检查")
	f.start = entry(fCStart, "年-月-日")
	f.end = entry(fCEnd, "年-月-日，可留空")
	f.address = entry(fCAddress, "外出体检的地点")
	enterMovesOn(f.number, f.start, f.end)
	f.note = widget.NewMultiLineEntry()
	f.note.SetMinRowsVisible(2)
	f.note.OnChanged = func(string) { f.changed(fCNote) }
	f.employer = newPicker("单位名称或拼音首字母", employerSearch(env))
	f.employer.OnChanged = func() { f.changed(fCEmployer) }
	f.place = widget.NewRadioGroup([]string{placeIn, placeOut}, func(string) { f.changed(fCPlace); f.showAddress() })
	f.place.Horizontal = true
	f.state = widget.NewRadioGroup([]string{stateOpen, stateClosed}, func(string) { f.changed("") })
	f.state.Horizontal = true
	f.hazards = newHazardMulti(f.cats)
	f.hazards.OnChanged = func() { f.changed(fCHazards) }
	f.types = widget.NewCheckGroup(examTypeLabels(), func([]string) { f.changed(fCTypes) })
	f.types.Horizontal = true
	f.packages = newRowList("约定套餐与价格", "添加套餐", func() *contractPackageRow { return newContractPackageRow(f) })
	f.packages.changed = func() { f.changed("") }
	f.monitoring = newRowList("工作场所检测结果", "添加检测结果", func() *monitoringRow { return newMonitoringRow(f) })
	f.monitoring.changed = func() { f.changed("") }
	f.attachments = container.NewVBox()
	f.attachKind = widget.NewSelect([]string{"名单", "检测报告", "其他"}, nil)
	f.attachKind.SetSelected("检测报告")
	f.uploadBtn = widget.NewButton("上传附件…", f.chooseAttachment)
	f.importBtn = widget.NewButton("导入名单…", func() {
		if f.importRoster != nil {
			f.importRoster()
		}
	})
	for _, k := range []string{fCNumber, fCEmployer, fCTitle, fCStart, fCEnd, fCPlace, fCAddress, fCHazards, fCTypes, fCNote, ""} {
		f.msgs[k] = newMsg()
	}
	f.status = newMsg()
	f.saveBtn = widget.NewButton("保存（Ctrl+S）", f.save)
	f.saveBtn.Importance = widget.HighImportance
	f.newBtn = widget.NewButton("新建（Ctrl+N）", func() { f.confirmDiscard(f.clear) })
	if !f.canCreate {
		f.newBtn.Hide()
	}
	f.clear()
	return f
}

func (f *contractForm) content() fyne.CanvasObject {
	form := formGrid(
		formRow{"合同编号", f.number, f.msgs[fCNumber]},
		formRow{"用人单位", f.employer.content(), f.msgs[fCEmployer]},
		formRow{"任务名称", f.name, f.msgs[fCTitle]},
		formRow{"开始日期", f.start, f.msgs[fCStart]},
		formRow{"结束日期", f.end, f.msgs[fCEnd]},
		formRow{"体检地点", container.NewVBox(f.place, f.address, f.msgs[fCAddress]), f.msgs[fCPlace]},
		formRow{"危害因素", f.hazards.content(), f.msgs[fCHazards]},
		formRow{"体检类型", f.types, f.msgs[fCTypes]},
		formRow{"状态", f.state, nil},
	)
	attach := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, heading("附件（单位提供的材料）"), container.NewHBox(f.attachKind, f.uploadBtn)),
		f.attachments)
	body := container.NewVBox(form,
		f.packages.content(), f.monitoring.content(), attach,
		formGrid(formRow{"备注", f.note, f.msgs[fCNote]}),
		f.msgs[""], f.status)
	top := container.NewBorder(nil, nil, f.title, container.NewHBox(f.importBtn, f.newBtn, f.saveBtn))
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

func (f *contractForm) showAddress() {
	if f.place.Selected == placeOut {
		f.address.Show()
	} else {
		f.address.Hide()
	}
}

// clear shows an empty form for a new contract.
func (f *contractForm) clear() {
	f.loading = true
	f.current = nil
	for _, e := range []*widget.Entry{f.number, f.name, f.end, f.address, f.note} {
		e.SetText("")
	}
	f.start.SetText(formatDate(f.env.Now()))
	if f.canCreate {
		f.number.SetText(f.suggestNumber())
	}
	f.employer.setText("")
	f.place.SetSelected(placeIn)
	f.state.SetSelected(stateOpen)
	f.hazards.set(nil)
	f.types.SetSelected(nil)
	f.packages.set(nil)
	f.monitoring.set(nil)
	f.loading = false
	f.touched = map[string]bool{}
	f.dirty = false
	f.title.SetText("新建体检任务")
	if !f.canCreate {
		f.title.SetText("在左侧选择体检任务查看")
	}
	setMsg(f.status, "")
	f.showAttachments()
	f.check()
	f.setEditable(f.canCreate)
	f.showAddress()
	if f.cleared != nil {
		f.cleared()
	}
}

// suggestNumber proposes the next free number of the year, e.g. 2026-007; the desk may
// type its own.
func (f *contractForm) suggestNumber() string {
	prefix := strconv.Itoa(f.env.Now().Year()) + "-"
	_, n, err := f.env.Services.Contracts.FindContracts(f.env.Ctx, app.ContractFilter{Query: prefix, Limit: 1})
	if err != nil {
		return ""
	}
	for i := n + 1; i < n+1000; i++ {
		cand := fmt.Sprintf("%s%03d", prefix, i)
		if _, taken, err := f.env.Services.Contracts.FindContracts(f.env.Ctx, app.ContractFilter{Query: cand, Limit: 1}); err == nil && taken == 0 {
			return cand
		}
	}
	return ""
}

// load shows c.
func (f *contractForm) load(c *app.Contract) {
	f.loading = true
	cp := *c
	f.current = &cp
	f.number.SetText(c.Number)
	f.employer.setSelected(employerItem(f.env, c.EmployerID))
	f.name.SetText(c.Title)
	f.start.SetText(formatDate(c.Start))
	f.end.SetText(formatDate(c.End))
	if c.Place == app.PlaceOnSite {
		f.place.SetSelected(placeOut)
	} else {
		f.place.SetSelected(placeIn)
	}
	f.address.SetText(c.PlaceNote)
	if c.State == app.ContractClosed {
		f.state.SetSelected(stateClosed)
	} else {
		f.state.SetSelected(stateOpen)
	}
	f.hazards.set(c.Hazards)
	var types []string
	for _, t := range c.ExamTypes {
		types = append(types, examTypeLabel(app.ExamType(t)))
	}
	f.types.SetSelected(types)
	var prows []*contractPackageRow
	for _, p := range c.Packages {
		r := newContractPackageRow(f)
		r.load(p)
		prows = append(prows, r)
	}
	f.packages.set(prows)
	var mrows []*monitoringRow
	for _, m := range c.Monitoring {
		r := newMonitoringRow(f)
		r.load(m)
		mrows = append(mrows, r)
	}
	f.monitoring.set(mrows)
	f.note.SetText(c.Note)
	f.loading = false
	f.touched = map[string]bool{}
	f.dirty = false
	f.title.SetText("体检任务：" + c.Number)
	setNote(f.status, contractDueNote(f.env, c)) // the report deadline (ui/overdue.go)
	f.showAttachments()
	f.check()
	f.setEditable(f.canUpdate)
	f.showAddress()
}

func (f *contractForm) setEditable(ok bool) {
	for _, w := range []fyne.Disableable{f.number, f.name, f.start, f.end, f.address, f.note, f.employer.entry, f.place, f.state, f.types} {
		if ok {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	f.hazards.setEditable(ok)
	f.packages.setEditable(ok)
	f.monitoring.setEditable(ok)
	if ok {
		f.saveBtn.Show()
	} else {
		f.saveBtn.Hide()
	}
	_, canAttach := app.ScopeOf(f.env.User, "ContractService.AddAttachment")
	_, canImport := app.ScopeOf(f.env.User, "IntakeService.PreviewRoster")
	if f.current != nil && canAttach {
		f.uploadBtn.Show()
		f.attachKind.Show()
	} else {
		f.uploadBtn.Hide()
		f.attachKind.Hide()
	}
	if f.current != nil && canImport {
		f.importBtn.Show()
	} else {
		f.importBtn.Hide()
	}
}

func (f *contractForm) confirmDiscard(next func(), kept ...func()) {
	if !f.dirty {
		next()
		return
	}
	confirmDiscard(f.env.Window, next, kept...)
}

func (f *contractForm) changed(field string) {
	if f.loading {
		return
	}
	f.dirty = true
	if field != "" {
		f.touched[field] = true
	}
	f.check()
}

// contract collects the form.
func (f *contractForm) contract() *app.Contract {
	c := &app.Contract{}
	if f.current != nil {
		*c = *f.current
	}
	c.Number = strings.TrimSpace(f.number.Text)
	c.EmployerID = 0
	if it, ok := f.employer.Selected(); ok {
		c.EmployerID, _ = strconv.ParseInt(it.Key, 10, 64)
	}
	c.Title = strings.TrimSpace(f.name.Text)
	c.Start, _ = parseDate(f.start.Text)
	c.End, _ = parseDate(f.end.Text)
	c.Place = app.PlaceInHouse
	c.PlaceNote = ""
	if f.place.Selected == placeOut {
		c.Place = app.PlaceOnSite
		c.PlaceNote = strings.TrimSpace(f.address.Text)
	}
	c.State = app.ContractOpen
	if f.state.Selected == stateClosed {
		c.State = app.ContractClosed
	}
	c.Hazards = f.hazards.Codes()
	c.ExamTypes = nil
	for _, l := range examTypeLabels() { // code order, whatever order they were ticked in
		for _, s := range f.types.Selected {
			if s == l {
				c.ExamTypes = append(c.ExamTypes, string(examTypeOf(l)))
			}
		}
	}
	c.Packages = nil
	for _, r := range f.packages.rows {
		c.Packages = append(c.Packages, r.value())
	}
	c.Monitoring = nil
	for _, r := range f.monitoring.rows {
		c.Monitoring = append(c.Monitoring, r.value())
	}
	c.Note = strings.TrimSpace(f.note.Text)
	return c
}

// check validates the form as typed; it returns whether it may be saved.
func (f *contractForm) check() bool {
	c := f.contract()
	probs := fieldProblems(c.Validate())
	for field, e := range map[string]*widget.Entry{fCStart: f.start, fCEnd: f.end} {
		if _, err := parseDate(e.Text); err != nil {
			probs[field] = fieldMessage(err)
		}
	}
	if f.employer.Text() != "" && c.EmployerID == 0 {
		probs[fCEmployer] = "请从列表中选择（单位须先在“用人单位”中登记）"
	}
	var rest []string
	for i, r := range f.packages.rows {
		if msg := r.problem(); msg != "" {
			rest = append(rest, "套餐第 "+strconv.Itoa(i+1)+" 行："+msg)
		}
	}
	for i, r := range f.monitoring.rows {
		if msg := r.problem(); msg != "" {
			rest = append(rest, "检测结果第 "+strconv.Itoa(i+1)+" 行："+msg)
		}
	}
	var other []string
	for field, m := range probs {
		if _, ok := f.msgs[field]; !ok || field == "" {
			other = append(other, strings.TrimPrefix(field+"：", "：")+m)
		}
	}
	sort.Strings(other)
	rest = append(rest, other...)
	for field, l := range f.msgs {
		if field == "" {
			continue
		}
		if !f.touched[field] {
			setMsg(l, "")
			continue
		}
		setMsg(l, probs[field])
	}
	if f.touched["*"] || len(f.packages.rows)+len(f.monitoring.rows) > 0 && f.dirty {
		setMsg(f.msgs[""], strings.Join(rest, "；"))
	} else {
		setMsg(f.msgs[""], "")
	}
	bad := len(rest) > 0
	for field := range probs {
		if _, ok := f.msgs[field]; ok && field != "" {
			bad = true
		}
	}
	return !bad
}

// save creates or updates the contract. On ECONFLICT and other errors the typed values stay
// in the form.
func (f *contractForm) save() {
	if (f.current == nil && !f.canCreate) || (f.current != nil && !f.canUpdate) {
		return
	}
	for field := range f.msgs {
		f.touched[field] = true
	}
	f.touched["*"] = true
	if !f.check() {
		setMsg(f.status, "请先改正上面标红的内容。")
		return
	}
	c := f.contract()
	var err error
	if f.current == nil {
		err = f.env.Services.Contracts.CreateContract(f.env.Ctx, c)
	} else {
		err = f.env.Services.Contracts.UpdateContract(f.env.Ctx, c)
	}
	if err != nil {
		setMsg(f.status, app.ErrorMessage(err))
		showError(f.env.Window, err)
		return
	}
	f.load(c)
	setNote(f.status, "已保存。")
	if f.saved != nil {
		f.saved(c)
	}
}
