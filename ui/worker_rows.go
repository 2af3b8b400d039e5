package ui

import (
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// formListRow is one editable row of a worker's history or exposures.
type formListRow interface {
	content(remove func()) fyne.CanvasObject
	setEditable(bool)
	touch()
	focus() fyne.Focusable
}

// rowList is a table of rows the user adds and removes (work history, exposures). Rows are
// few per worker, so they are plain widgets, not a virtual table.
type rowList[R formListRow] struct {
	title    string
	rows     []R
	box      *fyne.Container
	add      *widget.Button
	empty    *widget.Label
	newRow   func() R
	changed  func()
	editable bool
}

func newRowList[R formListRow](title, addLabel string, newRow func() R) *rowList[R] {
	l := &rowList[R]{title: title, newRow: newRow, box: container.NewVBox(), editable: true}
	l.add = widget.NewButton(addLabel, l.append)
	l.empty = widget.NewLabel("（无）")
	l.empty.Importance = widget.LowImportance
	return l
}

func (l *rowList[R]) content() fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, heading(l.title), l.add), l.box)
}

func (l *rowList[R]) set(rows []R) {
	l.rows = rows
	l.rebuild()
}

func (l *rowList[R]) rebuild() {
	objs := []fyne.CanvasObject{}
	if len(l.rows) == 0 {
		objs = append(objs, l.empty)
	}
	for i, r := range l.rows {
		r.setEditable(l.editable)
		objs = append(objs, r.content(func() { l.remove(i) }))
	}
	l.box.Objects = objs
	l.box.Refresh()
}

// append adds an empty row and puts the cursor in its first field.
func (l *rowList[R]) append() {
	r := l.newRow()
	l.rows = append(l.rows, r)
	l.rebuild()
	if c := fyne.CurrentApp().Driver().CanvasForObject(l.box); c != nil {
		c.Focus(r.focus())
	}
	if l.changed != nil {
		l.changed()
	}
}

func (l *rowList[R]) remove(i int) {
	if i < 0 || i >= len(l.rows) {
		return
	}
	l.rows = append(l.rows[:i:i], l.rows[i+1:]...)
	l.rebuild()
	if l.changed != nil {
		l.changed()
	}
}

func (l *rowList[R]) setEditable(ok bool) {
	l.editable = ok
	if ok {
		l.add.Show()
	} else {
		l.add.Hide()
	}
	for _, r := range l.rows {
		r.setEditable(ok)
	}
}

func (l *rowList[R]) touchAll() {
	for _, r := range l.rows {
		r.touch()
	}
}

// labeled puts a short label before o.
func labeled(label string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, withWidth(72, widget.NewLabel(label)), nil, o)
}

// dateEntry is an entry for a date typed in any of parseDate's forms.
func dateEntry(placeholder string, changed func()) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	e.OnChanged = func(string) { changed() }
	enterMovesOn(e)
	return e
}

// rowProblems returns the messages of Validate about row i of a table (prefix such as
// "工作经历第 1 行") by field, plus the date entries that do not parse.
func rowProblems(prefix string, probs map[string]string, dates map[string]*widget.Entry) map[string]string {
	out := map[string]string{}
	for k, m := range probs {
		if strings.HasPrefix(k, prefix) {
			out[strings.TrimPrefix(k, prefix)] = m
		}
	}
	for name, e := range dates {
		if _, err := parseDate(e.Text); err != nil {
			out[name] = fieldMessage(err)
		}
	}
	return out
}

// showRowProblems shows the problems of the touched fields of a row (all when all is set)
// and returns whether the row has none at all.
func showRowProblems(msg *widget.Label, ps map[string]string, touched map[string]bool, all bool) bool {
	var lines []string
	for field, m := range ps {
		if all || touched[field] {
			lines = append(lines, field+"："+m)
		}
	}
	sort.Strings(lines)
	setMsg(msg, strings.Join(lines, "；"))
	return len(ps) == 0
}

// top keeps o at its minimum height at the top of a taller cell.
func top(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVBox(o) }

// historyRow is one job: 用人单位, 用工单位 (dispatched labour), 车间, 工种, start and end.
type historyRow struct {
	f          *workerForm
	employer   *picker
	host       *picker
	workshop   *widget.Entry
	job        *picker
	start, end *widget.Entry
	del        *widget.Button
	msg        *widget.Label
	touched    map[string]bool
	all        bool
}

func newHistoryRow(f *workerForm) *historyRow {
	r := &historyRow{f: f, msg: newMsg(), touched: map[string]bool{}}
	changed := func(field string) func() {
		return func() { r.touched[field] = true; f.changed("") }
	}
	r.employer = newPicker("单位名称或拼音首字母", employerSearch(f.env))
	r.employer.OnChanged = changed("用人单位")
	r.host = newPicker("劳务派遣时填写", employerSearch(f.env))
	r.host.OnChanged = changed("用工单位")
	r.workshop = widget.NewEntry()
	r.workshop.OnChanged = func(string) { changed("车间")() }
	r.job = newPicker("工种名称或代码", catalogSearch(f.cats, app.CatalogJobs, nil, codeLabel))
	r.job.freeText = true
	r.job.OnChanged = changed("工种")
	r.start = dateEntry("年-月-日", changed("开始日期"))
	r.end = dateEntry("在岗留空", changed("结束日期"))
	r.del = widget.NewButton("删除", nil)
	return r
}

func (r *historyRow) content(remove func()) fyne.CanvasObject {
	r.del.OnTapped = remove
	return container.NewVBox(
		container.NewGridWithColumns(2, top(labeled("用人单位", r.employer.content())), top(labeled("用工单位", r.host.content()))),
		container.NewGridWithColumns(2, top(labeled("工种", r.job.content())), top(labeled("车间", r.workshop))),
		container.NewBorder(nil, nil, nil, top(r.del), container.NewGridWithColumns(2,
			top(labeled("开始", r.start)), top(labeled("结束", r.end)))),
		r.msg,
	)
}

func (r *historyRow) focus() fyne.Focusable { return r.employer.entry }

func (r *historyRow) touch() { r.all = true }

func (r *historyRow) setEditable(ok bool) {
	for _, w := range []fyne.Disableable{r.employer.entry, r.host.entry, r.workshop, r.job.entry, r.start, r.end} {
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

func (r *historyRow) period() app.WorkPeriod {
	p := app.WorkPeriod{Workshop: strings.TrimSpace(r.workshop.Text)}
	if it, ok := r.employer.Selected(); ok {
		p.EmployerID, _ = strconv.ParseInt(it.Key, 10, 64)
	}
	if it, ok := r.host.Selected(); ok {
		p.HostEmployerID, _ = strconv.ParseInt(it.Key, 10, 64)
	}
	if it, ok := r.job.Selected(); ok {
		p.JobCode = it.Key
	} else {
		p.JobName = r.job.Text()
	}
	p.Start, _ = parseDate(r.start.Text)
	p.End, _ = parseDate(r.end.Text)
	return p
}

func (r *historyRow) load(p app.WorkPeriod) {
	r.employer.setSelected(employerItem(r.f.env, p.EmployerID))
	if p.HostEmployerID != 0 {
		r.host.setSelected(employerItem(r.f.env, p.HostEmployerID))
	}
	r.workshop.SetText(p.Workshop)
	if it, ok := catalogItem(r.f.cats, app.CatalogJobs, p.JobCode, codeLabel); ok {
		r.job.setSelected(it)
	} else {
		r.job.setText(p.JobName)
	}
	r.start.SetText(formatDate(p.Start))
	r.end.SetText(formatDate(p.End))
	r.touched, r.all = map[string]bool{}, false
}

// check shows the problems of row i; it returns whether the row is valid.
func (r *historyRow) check(i int, probs map[string]string) bool {
	ps := rowProblems("工作经历第 "+strconv.Itoa(i+1)+" 行", probs, map[string]*widget.Entry{"开始日期": r.start, "结束日期": r.end})
	if r.employer.Text() != "" {
		if _, ok := r.employer.Selected(); !ok {
			ps["用人单位"] = "请从列表中选择（单位须先在“用人单位”中登记）"
		}
	}
	if r.host.Text() != "" {
		if _, ok := r.host.Selected(); !ok {
			ps["用工单位"] = "请从列表中选择"
		}
	}
	return showRowProblems(r.msg, ps, r.touched, r.all)
}

// employerSearch finds employers for a picker by name, credit code or pinyin initials.
func employerSearch(env *Env) func(string) []pickItem {
	return func(q string) []pickItem {
		es, _, err := env.Services.Employers.FindEmployers(env.Ctx, app.EmployerFilter{Query: q, Limit: 30})
		if err != nil {
			return nil
		}
		out := make([]pickItem, 0, len(es))
		for _, e := range es {
			out = append(out, pickItem{Key: strconv.FormatInt(e.ID, 10), Label: e.Name + "（" + e.CreditCode + "）", Text: e.Name})
		}
		return out
	}
}

// employerItem returns the pick item of an employer ID.
func employerItem(env *Env, id int64) pickItem {
	key := strconv.FormatInt(id, 10)
	e, err := env.Services.Employers.FindEmployerByID(env.Ctx, id)
	if err != nil {
		return pickItem{Key: key, Label: "用人单位 " + key + "（" + app.ErrorMessage(err) + "）"}
	}
	return pickItem{Key: key, Label: e.Name + "（" + e.CreditCode + "）", Text: e.Name}
}

// exposureRow is exposure to one hazard factor, with start and end.
type exposureRow struct {
	f          *workerForm
	hazard     *picker
	start, end *widget.Entry
	del        *widget.Button
	msg        *widget.Label
	touched    map[string]bool
	all        bool
}

func newExposureRow(f *workerForm) *exposureRow {
	r := &exposureRow{f: f, msg: newMsg(), touched: map[string]bool{}}
	changed := func(field string) func() {
		return func() { r.touched[field] = true; f.changed("") }
	}
	r.hazard = newPicker("危害因素名称、别名或代码，如 矽尘、噪声", catalogSearch(f.cats, app.CatalogHazards,
		func(e catalog.Entry) bool { return e.Level >= 2 }, codeLabel))
	r.hazard.freeText = true
	r.hazard.OnChanged = changed("危害因素")
	r.start = dateEntry("年-月-日", changed("开始接害日期"))
	r.end = dateEntry("仍在接触留空", changed("结束日期"))
	r.del = widget.NewButton("删除", nil)
	return r
}

func (r *exposureRow) content(remove func()) fyne.CanvasObject {
	r.del.OnTapped = remove
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, top(r.del), container.NewGridWithColumns(2,
			top(labeled("危害因素", r.hazard.content())),
			top(container.NewGridWithColumns(2, labeled("开始", r.start), labeled("结束", r.end))))),
		r.msg,
	)
}

func (r *exposureRow) focus() fyne.Focusable { return r.hazard.entry }

func (r *exposureRow) touch() { r.all = true }

func (r *exposureRow) setEditable(ok bool) {
	for _, w := range []fyne.Disableable{r.hazard.entry, r.start, r.end} {
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

// exposure reads the row. A typed name that is exactly a factor's name or alias counts as
// that factor (catalog.Set.MatchHazard); any other text is kept as 其他 (HazardName).
func (r *exposureRow) exposure() app.Exposure {
	x := app.Exposure{}
	if it, ok := r.hazard.Selected(); ok {
		x.HazardCode = it.Key
	} else if e, ok := r.f.cats.MatchHazard(r.hazard.Text()); ok {
		x.HazardCode = e.Code
	} else {
		x.HazardName = r.hazard.Text()
	}
	x.Start, _ = parseDate(r.start.Text)
	x.End, _ = parseDate(r.end.Text)
	return x
}

func (r *exposureRow) load(x app.Exposure) {
	if it, ok := catalogItem(r.f.cats, app.CatalogHazards, x.HazardCode, codeLabel); ok {
		r.hazard.setSelected(it)
	} else {
		r.hazard.setText(x.HazardName)
	}
	r.start.SetText(formatDate(x.Start))
	r.end.SetText(formatDate(x.End))
	r.touched, r.all = map[string]bool{}, false
}

func (r *exposureRow) check(i int, probs map[string]string) bool {
	ps := rowProblems("接害史第 "+strconv.Itoa(i+1)+" 行", probs, map[string]*widget.Entry{"开始接害日期": r.start, "结束日期": r.end})
	ok := showRowProblems(r.msg, ps, r.touched, r.all)
	if x := r.exposure(); ok && x.HazardCode == "" && x.HazardName != "" && (r.all || r.touched["危害因素"]) {
		// Not an error: 其他 factors are kept by name. Say so, so that a typo is noticed.
		setWarn(r.msg, "“"+x.HazardName+"”不是目录中的危害因素，将按“其他”以名称保存")
	}
	return ok
}
