package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/results"
	"occhealth/app/rules"
)

// deptForm is one department's form: every item group of the exam done there, a row per
// item (a number with its unit, reference range and flag; a text finding with phrases; the
// chest film's code), and per group 弃检 and 未检. A physical-exam department starts with the
// normal descriptions of its template; they are saved only once the doctor has touched the
// department (edited a row, or tapped 全部正常).
type deptForm struct {
	env    *Env
	table  *rules.Table
	exam   *app.Exam
	worker *app.Worker
	dept   string
	tmpl   results.Template
	// physical is true for a department whose template starts from normal descriptions.
	physical bool

	groups    []*groupBox
	dirty     bool
	loading   bool
	editable  bool
	hint      *widget.Label
	critical  *widget.Label
	allNormal *widget.Button
	// edited, when set, is called after every edit by the doctor.
	edited func()
}

// groupBox is one item group inside a department form.
type groupBox struct {
	f      *deptForm
	item   app.ExamItem
	rows   []*resultRow
	panel  groupPanel
	status app.ResultStatus // ResultRefused or ResultMissing for the whole group, "" otherwise
	stored app.ResultStatus // the group status recorded

	noItems bool // the group lists no national item codes

	statusLbl             *widget.Label
	refuseBtn, missingBtn *widget.Button
	msg                   *widget.Label
}

// resultRow is one item.
type resultRow struct {
	g       *groupBox
	code    string
	name    string
	unit    string
	kind    app.ResultKind
	rng     results.Range
	hasRng  bool
	tmpl    results.TemplateItem
	entry   *widget.Entry  // numeric and text items
	sel     *widget.Select // code items (the chest film)
	phrases *fyne.Container
	flag    *widget.Label
	msg     *widget.Label
	stored  *app.Result
}

// chestLabels are the options of the chest film select: the four national codes.
func chestLabels() []string {
	out := make([]string, len(results.ChestFilms))
	for i, c := range results.ChestFilms {
		out[i] = string(c) + " " + c.Name()
	}
	return out
}

func newDeptForm(env *Env, table *rules.Table, e *app.Exam, w *app.Worker, dept string) *deptForm {
	f := &deptForm{env: env, table: table, exam: e, worker: w, dept: dept, editable: true}
	f.tmpl, _ = physicalTemplates().ForDepartment(dept)
	f.physical = f.tmpl.Physical
	f.hint = widget.NewLabel("")
	f.hint.Wrapping = fyne.TextWrapWord
	f.hint.Hide()
	f.critical = newMsg()
	f.allNormal = widget.NewButton("全部正常", f.fillNormal)
	f.loading = true
	for _, it := range e.Items {
		d := it.Department
		if d == "" {
			d = "其他"
		}
		if d == dept {
			f.groups = append(f.groups, f.newGroup(it))
		}
	}
	f.load(e.Record)
	f.loading = false
	f.refreshCritical()
	return f
}

// newGroup builds the rows of an item group from the rule table's item codes.
func (f *deptForm) newGroup(it app.ExamItem) *groupBox {
	g := &groupBox{f: f, item: it, msg: newMsg(), statusLbl: widget.NewLabel("")}
	g.statusLbl.Importance = widget.WarningImportance
	g.refuseBtn = widget.NewButton("弃检", func() { g.toggle(app.ResultRefused) })
	g.missingBtn = widget.NewButton("未检", func() { g.toggle(app.ResultMissing) })
	if mk, ok := groupPanels[it.GroupCode]; ok {
		g.panel = mk(f.env, f.exam, f.worker, func() {
			if !f.loading {
				f.touch()
			}
		})
		return g
	}
	var grp rules.Group
	ok := false
	if f.table != nil {
		grp, ok = f.table.GroupByCode(it.GroupCode)
	}
	if !ok || len(grp.Items) == 0 {
		// A group without national item codes (痰细胞学检查, 心理测试 …) has nothing a result
		// could be filed under: only 弃检 or 未检 can be recorded for it.
		g.noItems = true
		return g
	}
	for _, code := range grp.Items {
		if ti, ok := f.tmpl.Item(code); ok && len(ti.Parts) > 0 {
			for _, p := range ti.Parts {
				g.rows = append(g.rows, f.newRow(g, p, ""))
			}
			continue
		}
		g.rows = append(g.rows, f.newRow(g, code, ""))
	}
	return g
}

// newRow builds the row of an item: its kind, name and unit come from the department's
// template, else from the reference ranges, else from the items catalog (as text).
func (f *deptForm) newRow(g *groupBox, code, name string) *resultRow {
	r := &resultRow{g: g, code: code, name: name, kind: app.ResultText, flag: widget.NewLabel(""), msg: newMsg()}
	if code != "" {
		if rng, ok := f.env.Ranges().Lookup(code); ok {
			r.rng, r.hasRng = rng, true
			r.kind, r.unit, r.name = rng.Kind, rng.Unit, rng.Name
		}
		if ti, ok := f.tmpl.Item(code); ok {
			r.tmpl = ti
			if ti.Kind != "" {
				r.kind = ti.Kind
			}
			if ti.Unit != "" {
				r.unit = ti.Unit
			}
			if r.name == "" {
				r.name = ti.Name
			}
		}
		if r.name == "" {
			if n, ok := catalogsOf(f.env.Services).CodeName(app.CatalogItems, code); ok {
				r.name = n
			} else {
				r.name = code
			}
		}
	}
	if r.kind == app.ResultCode {
		r.sel = widget.NewSelect(chestLabels(), func(string) { r.changed() })
		r.sel.PlaceHolder = "请选择"
		return r
	}
	if r.kind == app.ResultNumeric {
		r.entry = widget.NewEntry()
		// Numbers are typed without an input method: Enter moves on, as Tab does.
		enterMovesOn(r.entry)
	} else {
		// A text finding may be typed in Chinese: Enter belongs to the input method.
		r.entry = widget.NewEntry()
	}
	r.entry.OnChanged = func(string) { r.changed() }
	if len(r.tmpl.Phrases) > 0 {
		r.phrases = phraseBar(r.tmpl, r.entry)
	}
	return r
}

func (f *deptForm) content() fyne.CanvasObject {
	var top []fyne.CanvasObject
	if f.physical {
		top = append(top, container.NewBorder(nil, nil, f.allNormal, nil, f.hint))
	} else {
		top = append(top, f.hint)
	}
	top = append(top, f.critical)
	box := container.NewVBox(top...)
	for _, g := range f.groups {
		box.Add(g.content())
	}
	// Scrolling both ways keeps a wide panel (the audiogram) from squeezing the lookup column
	// when the window is narrow.
	return container.NewScroll(container.NewPadded(box))
}

func (g *groupBox) content() fyne.CanvasObject {
	title := g.item.Name
	if g.item.Required {
		title += "（必检）"
	} else {
		title += "（选检）"
	}
	head := container.NewHBox(heading(title), layout.NewSpacer(), g.statusLbl, g.refuseBtn, g.missingBtn)
	var body fyne.CanvasObject
	if g.panel != nil {
		body = g.panel.content()
	} else if g.noItems {
		l := widget.NewLabel("本组在健康指标代码表中没有对应代码，这里只能记为弃检或未检；检查结果请写入报告附页（待核实）。")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		body = l
	} else {
		grid := container.New(layout.NewFormLayout())
		for _, r := range g.rows {
			lbl := widget.NewLabelWithStyle(r.name, fyne.TextAlignTrailing, fyne.TextStyle{})
			grid.Add(lbl)
			grid.Add(r.content())
		}
		body = grid
	}
	parts := []fyne.CanvasObject{head}
	if g.item.Note != "" {
		n := widget.NewLabel(g.item.Note)
		n.Importance = widget.LowImportance
		parts = append(parts, n)
	}
	parts = append(parts, g.msg, body, widget.NewSeparator())
	return container.NewVBox(parts...)
}

func (r *resultRow) content() fyne.CanvasObject {
	var field fyne.CanvasObject
	if r.sel != nil {
		field = withWidth(200, r.sel)
	} else if r.kind == app.ResultNumeric {
		field = withWidth(120, r.entry)
	} else {
		field = withWidth(420, r.entry)
	}
	unit := widget.NewLabel(r.unit)
	ref := ""
	if r.hasRng {
		ref = r.rng.ForSex(r.g.f.worker.Sex).String()
		if ref != "" {
			ref = "参考 " + ref
		}
	}
	refLbl := widget.NewLabel(ref)
	refLbl.Importance = widget.LowImportance
	line := container.NewHBox(field, unit, refLbl, r.flag)
	parts := []fyne.CanvasObject{line}
	if r.phrases != nil {
		parts = append(parts, r.phrases)
	}
	parts = append(parts, r.msg)
	return container.NewVBox(parts...)
}

// load shows the recorded results; items without one start empty, or with the template's
// normal description in a physical-exam department.
func (f *deptForm) load(rec *app.ExamRecord) {
	f.loading = true
	defer func() { f.loading = false }()
	prefilled := false
	for _, g := range f.groups {
		g.stored, g.status = "", ""
		itemDone := false
		if g.panel != nil {
			g.panel.load(rec)
		}
		for _, r := range g.rows {
			r.stored = nil
			if x, ok := rec.ResultFor(g.item.GroupCode, r.code); ok && r.code != "" {
				x := x
				r.stored = &x
				if x.Status == app.ResultDone {
					itemDone = true
				}
			}
		}
		if x, ok := rec.ResultFor(g.item.GroupCode, ""); ok && x.Status != app.ResultDone {
			// Values recorded after the mark win: the group was done after all.
			g.stored = x.Status
			if !itemDone {
				g.status = x.Status
			}
		}
		for _, r := range g.rows {
			r.show(r.stored)
			if r.stored == nil && g.status == "" && f.physical && r.tmpl.Normal != "" && r.entry != nil {
				r.entry.SetText(r.tmpl.Normal)
				prefilled = true
			}
		}
		g.refreshStatus()
	}
	f.dirty = false
	if prefilled {
		setNote(f.hint, "已填入正常描述，请逐项核对，异常处修改或点短语；保存后才记入。")
	} else {
		setNote(f.hint, "")
	}
}

// firstEmpty returns the first enabled entry without a value, nil when none.
func (f *deptForm) firstEmpty() *widget.Entry {
	for _, g := range f.groups {
		for _, r := range g.rows {
			if r.entry != nil && !r.entry.Disabled() && strings.TrimSpace(r.entry.Text) == "" {
				return r.entry
			}
		}
	}
	return nil
}

// rebase takes the exam as another station saved it as the baseline of what changed,
// keeping what the doctor typed.
func (f *deptForm) rebase(e *app.Exam) {
	f.exam = e
	for _, g := range f.groups {
		g.stored = ""
		if x, ok := e.Record.ResultFor(g.item.GroupCode, ""); ok && x.Status != app.ResultDone {
			g.stored = x.Status
		}
		for _, r := range g.rows {
			r.stored = nil
			if x, ok := e.Record.ResultFor(g.item.GroupCode, r.code); ok {
				r.stored = &x
			}
		}
	}
}

// reload takes the exam as saved.
func (f *deptForm) reload(e *app.Exam) {
	f.exam = e
	f.load(e.Record)
	f.refreshCritical()
}

// show puts a recorded result into the row (or empties it).
func (r *resultRow) show(x *app.Result) {
	val := ""
	if x != nil && x.Status == app.ResultDone {
		val = x.Value
	}
	if r.sel != nil {
		r.sel.ClearSelected()
		for _, o := range r.sel.Options {
			if val != "" && strings.HasPrefix(o, val+" ") {
				r.sel.SetSelected(o)
			}
		}
		if x != nil && x.Status == app.ResultMissing {
			r.sel.SetSelected(chestLabels()[3])
		}
	} else {
		r.entry.SetText(val)
	}
	r.judge()
}

// changed follows an edit: the flag now, and the department counts as edited.
func (r *resultRow) changed() {
	r.judge()
	f := r.g.f
	if f.loading {
		return
	}
	f.touch()
	f.refreshCritical()
}

func (f *deptForm) touch() {
	f.dirty = true
	setNote(f.hint, "")
	if f.edited != nil {
		f.edited()
	}
}

// judge shows the row's flag for what is typed: words and arrows, 危急值 in red.
func (r *resultRow) judge() {
	res, err := r.typed()
	setMsg(r.msg, "")
	if err != nil {
		setMsg(r.msg, fieldMessage(err))
		r.setFlag(app.FlagNone)
		return
	}
	if res == nil || res.Status != app.ResultDone || !r.hasRng {
		r.setFlag(app.FlagNone)
		return
	}
	r.setFlag(results.Evaluate(res, r.rng, r.g.f.worker.Sex))
}

func (r *resultRow) setFlag(fl app.ResultFlag) {
	text := strings.TrimSpace(fl.Name() + " " + fl.Arrow())
	switch {
	case fl.Critical():
		r.flag.Importance = widget.DangerImportance
	case fl.Abnormal():
		r.flag.Importance = widget.WarningImportance
	case fl == app.FlagNormal:
		r.flag.Importance = widget.SuccessImportance
	default:
		r.flag.Importance = widget.MediumImportance
	}
	r.flag.TextStyle.Bold = fl.Abnormal()
	r.flag.SetText(text)
}

// typed returns the result as typed: nil for an empty row, an error for what cannot be read.
func (r *resultRow) typed() (*app.Result, error) {
	res := &app.Result{ItemCode: r.code, GroupCode: r.g.item.GroupCode, Kind: r.kind, Unit: r.unit}
	if r.sel != nil {
		if r.sel.Selected == "" {
			return nil, nil
		}
		c, _ := results.ParseChestFilm(strings.Fields(r.sel.Selected)[0])
		if c == results.ChestNotExamined {
			// 3 未检查 is recorded as the item not done, never as a reading.
			res.MarkMissing()
			return res, nil
		}
		if err := res.SetValue(string(c)); err != nil {
			return nil, err
		}
		return res, nil
	}
	if strings.TrimSpace(r.entry.Text) == "" {
		return nil, nil
	}
	if err := res.SetValue(r.entry.Text); err != nil {
		return nil, err
	}
	return res, nil
}

// refreshCritical says which typed values are critical: they need a call-back once saved.
func (f *deptForm) refreshCritical() {
	var crit []string
	for _, g := range f.groups {
		if g.status != "" {
			continue
		}
		for _, r := range g.rows {
			if res, err := r.typed(); err == nil && res != nil && r.hasRng && results.Critical(res, r.rng) {
				fl := results.Evaluate(res, r.rng, f.worker.Sex)
				crit = append(crit, r.name+" "+res.Value+" "+fl.Arrow())
			}
		}
	}
	if len(crit) == 0 {
		setMsg(f.critical, "")
		return
	}
	setMsg(f.critical, "危急值："+strings.Join(crit, "、")+"。请立即复核，电话通知受检者或用人单位，并在“危急值”中登记回访。")
}

// toggle marks the whole group 弃检 or 未检, or takes the mark off again.
func (g *groupBox) toggle(s app.ResultStatus) {
	if g.status == s {
		g.status = ""
	} else {
		g.status = s
	}
	g.refreshStatus()
	g.f.touch()
	g.f.refreshCritical()
}

func (g *groupBox) refreshStatus() {
	g.refuseBtn.SetText("弃检")
	g.missingBtn.SetText("未检")
	switch g.status {
	case app.ResultRefused:
		g.statusLbl.SetText("本组已记为弃检")
		g.refuseBtn.SetText("撤销弃检")
	case app.ResultMissing:
		g.statusLbl.SetText("本组已记为未检")
		g.missingBtn.SetText("撤销未检")
	default:
		g.statusLbl.SetText("")
	}
	g.refreshEnabled()
}

func (g *groupBox) refreshEnabled() {
	on := g.f.editable
	for _, b := range []*widget.Button{g.refuseBtn, g.missingBtn} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	rowsOn := on && g.status == ""
	if p, ok := g.panel.(interface{ setEditable(bool) }); ok {
		p.setEditable(rowsOn)
	}
	for _, r := range g.rows {
		switch {
		case r.sel != nil && rowsOn:
			r.sel.Enable()
		case r.sel != nil:
			r.sel.Disable()
		case rowsOn:
			r.entry.Enable()
		default:
			r.entry.Disable()
		}
	}
}

func (f *deptForm) setEditable(ok bool) {
	f.editable = ok
	if ok {
		f.allNormal.Enable()
	} else {
		f.allNormal.Disable()
	}
	for _, g := range f.groups {
		g.refreshEnabled()
	}
}

// fillNormal puts the normal description into every text item of the department that has one.
func (f *deptForm) fillNormal() {
	for _, g := range f.groups {
		if g.status != "" {
			continue
		}
		for _, r := range g.rows {
			if r.entry != nil && r.tmpl.Normal != "" {
				r.entry.SetText(r.tmpl.Normal)
			}
		}
	}
	f.touch()
}

// changed returns the results to save: nothing unless the department was edited; then every
// row whose value differs from the one recorded, and the group marks. A row that cannot be
// read, or a recorded value emptied, is an error shown beside it.
func (f *deptForm) changed() ([]app.Result, error) {
	if !f.dirty {
		return nil, nil
	}
	var out []app.Result
	var bad error
	now, by := f.env.Now(), f.env.User.Username
	stamp := func(r app.Result) app.Result {
		r.Doctor, r.Time = by, now
		if r.Status == app.ResultDone && r.ItemCode != "" {
			f.env.Ranges().Judge(&r, f.worker.Sex)
		}
		return r
	}
	for _, g := range f.groups {
		setMsg(g.msg, "")
		if g.status == "" && g.stored == app.ResultRefused {
			// A refusal taken back: the group is not done until its values come.
			r := app.Result{GroupCode: g.item.GroupCode, Kind: app.ResultText}
			r.MarkMissing()
			out = append(out, stamp(r))
		}
		if g.status != "" {
			if g.status != g.stored {
				r := app.Result{GroupCode: g.item.GroupCode, Kind: app.ResultText}
				if g.status == app.ResultRefused {
					r.Refuse()
				} else {
					r.MarkMissing()
				}
				out = append(out, stamp(r))
			}
			continue
		}
		if g.panel != nil {
			rs, err := g.panel.results()
			if err != nil {
				setMsg(g.msg, fieldMessage(err))
				bad = err
				continue
			}
			for _, r := range rs {
				if old, ok := f.exam.Record.ResultFor(r.GroupCode, r.ItemCode); ok && old.Status == r.Status && old.Value == r.Value {
					continue
				}
				out = append(out, stamp(r))
			}
			continue
		}
		for _, r := range g.rows {
			res, err := r.typed()
			if err != nil {
				setMsg(r.msg, r.name+"："+fieldMessage(err))
				bad = err
				continue
			}
			if res == nil {
				if r.stored != nil && r.stored.Status == app.ResultDone {
					err := app.FieldError(r.name, "已保存的结果不能清空；请填写结果，或将本组记为弃检、未检")
					setMsg(r.msg, r.name+"：已保存的结果不能清空；请填写结果，或将本组记为弃检、未检")
					bad = err
				}
				continue
			}
			if r.stored != nil && r.stored.Status == res.Status && r.stored.Value == res.Value {
				continue
			}
			out = append(out, stamp(*res))
		}
	}
	if bad != nil {
		return nil, bad
	}
	return out, nil
}

// showServiceError puts a refusal of the store beside the rows (or groups) it names; true when
// one did.
func (f *deptForm) showServiceError(err error) bool {
	probs := fieldProblems(err)
	hit := false
	for _, g := range f.groups {
		if m, ok := probs[g.item.Name]; ok {
			setMsg(g.msg, g.item.Name+"："+m)
			hit = true
		}
		for _, r := range g.rows {
			if m, ok := probs[r.name]; ok && r.name != "" {
				setMsg(r.msg, r.name+"："+m)
				hit = true
			}
		}
	}
	return hit
}
