package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// The field names of app.Worker.Validate, which key the messages.
const (
	fWName    = "姓名"
	fWDocType = "证件类型"
	fWNumber  = "证件号码"
	fWSex     = "性别"
	fWBirth   = "出生日期"
	fWPhone   = "联系电话"
	fWAddress = "地址"
	fWNote    = "备注"
)

// workerForm edits one worker (or a new one). The identity number of a saved worker is
// changed only through 更正证件号码, which the audit log records with its reason.
type workerForm struct {
	env   *Env
	cats  *catalog.Set
	saved func(*app.Worker)

	current *app.Worker
	dirty   bool
	loading bool
	touched map[string]bool

	title                   *widget.Label
	name, number, birth     *widget.Entry
	phone, address, note    *widget.Entry
	docType, sex            *widget.Select
	photo                   *fyne.Container
	history                 *rowList[*historyRow]
	exposures               *rowList[*exposureRow]
	msgs                    map[string]*widget.Label
	status                  *widget.Label
	saveBtn, newBtn, fixBtn *widget.Button

	canCreate, canUpdate, canCorrect bool
	// correction is the open 更正证件号码 dialog, nil when none was opened.
	correction *correctionDialog
	formFrame
	cleared func() // after clear: the screen unselects its list
}

func docTypeNames() []string {
	var out []string
	for _, d := range app.DocTypes {
		out = append(out, d.Name())
	}
	return out
}

func docTypeByName(name string) app.DocType {
	for _, d := range app.DocTypes {
		if d.Name() == name {
			return d
		}
	}
	return app.DocResidentID
}

func sexByName(name string) app.Sex {
	switch name {
	case "男":
		return app.SexMale
	case "女":
		return app.SexFemale
	}
	return ""
}

func newWorkerForm(env *Env, saved func(*app.Worker)) *workerForm {
	f := &workerForm{env: env, cats: catalogsOf(env.Services), saved: saved, touched: map[string]bool{}, msgs: map[string]*widget.Label{}}
	_, f.canCreate = app.ScopeOf(env.User, "WorkerService.CreateWorker")
	_, f.canUpdate = app.ScopeOf(env.User, "WorkerService.UpdateWorker")
	_, f.canCorrect = app.ScopeOf(env.User, "WorkerService.CorrectIDNumber")
	f.title = heading("新建劳动者档案")
	entry := func(field, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { f.changed(field) }
		return e
	}
	f.name = entry(fWName, "可输入生僻字和间隔号“·”")
	f.number = entry(fWNumber, "18 位；15 位旧号码自动转换")
	f.birth = entry(fWBirth, "如 1990-03-07")
	f.phone = entry(fWPhone, "")
	f.address = entry(fWAddress, "")
	enterMovesOn(f.number, f.birth, f.phone)
	f.note = widget.NewMultiLineEntry()
	f.note.SetMinRowsVisible(2)
	f.note.OnChanged = func(string) { f.changed(fWNote) }
	f.docType = widget.NewSelect(docTypeNames(), func(string) { f.changed(fWDocType) })
	f.sex = widget.NewSelect([]string{"男", "女"}, func(string) { f.changed(fWSex) })
	f.docType.PlaceHolder, f.sex.PlaceHolder = "请选择", "请选择"
	for _, k := range []string{fWName, fWDocType, fWNumber, fWSex, fWBirth, fWPhone, fWAddress, fWNote, ""} {
		f.msgs[k] = newMsg()
	}
	f.history = newRowList("工作经历", "添加工作经历", func() *historyRow { return newHistoryRow(f) })
	f.exposures = newRowList("接害史", "添加接害史", func() *exposureRow { return newExposureRow(f) })
	f.history.changed = func() { f.changed("") }
	f.exposures.changed = func() { f.changed("") }
	f.photo = photoArea()
	f.status = newMsg()
	f.saveBtn = widget.NewButton("保存（Ctrl+S）", f.save)
	f.saveBtn.Importance = widget.HighImportance
	f.newBtn = widget.NewButton("新建（Ctrl+N）", func() { f.confirmDiscard(f.clear) })
	f.fixBtn = widget.NewButton("更正证件号码…", f.showCorrection)
	if !f.canCreate {
		f.newBtn.Hide()
	}
	f.clear()
	return f
}

// photoArea is the place of the ID-card photo. Photos come from ID-card readers in a later
// version; nothing here pretends to take one.
func photoArea() *fyne.Container {
	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeColor = theme.Color(theme.ColorNameDisabled)
	frame.StrokeWidth = 1
	frame.SetMinSize(fyne.NewSize(96, 128))
	none := widget.NewLabel("无照片")
	none.Importance = widget.LowImportance
	note := widget.NewLabel("照片由身份证阅读器读取（后续版本）")
	note.Importance = widget.LowImportance
	return container.NewHBox(container.NewStack(frame, container.NewCenter(none)), container.NewCenter(note))
}

func (f *workerForm) content() fyne.CanvasObject {
	basic := formGrid(
		formRow{"姓名", f.name, f.msgs[fWName]},
		formRow{"证件类型", f.docType, f.msgs[fWDocType]},
		formRow{"证件号码", f.number, f.msgs[fWNumber]},
		formRow{"性别", f.sex, f.msgs[fWSex]},
		formRow{"出生日期", f.birth, f.msgs[fWBirth]},
		formRow{"联系电话", f.phone, f.msgs[fWPhone]},
		formRow{"地址", f.address, f.msgs[fWAddress]},
		formRow{"照片", f.photo, nil},
	)
	body := container.NewVBox(
		basic,
		f.history.content(),
		f.exposures.content(),
		formGrid(formRow{"备注", f.note, f.msgs[fWNote]}),
		f.msgs[""], f.status,
	)
	top := container.NewBorder(nil, nil, f.title, container.NewHBox(f.fixBtn, f.newBtn, f.saveBtn))
	return f.frame(top, body, "在左侧查找劳动者，再从列表中选择查看。", f.current != nil || f.canCreate)
}

// clear shows an empty form for a new worker.
func (f *workerForm) clear() {
	f.loading = true
	f.current = nil
	for _, e := range []*widget.Entry{f.name, f.number, f.birth, f.phone, f.address, f.note} {
		e.SetText("")
	}
	f.docType.SetSelected(app.DocResidentID.Name())
	f.sex.ClearSelected()
	f.history.set(nil)
	f.exposures.set(nil)
	f.loading = false
	title := "新建劳动者档案"
	if !f.canCreate {
		title = "劳动者档案"
	}
	f.afterLoad(title, f.canCreate)
	f.showBody(f.canCreate)
	if f.cleared != nil {
		f.cleared()
	}
}

// loadByID reads a worker afresh and shows it.
func (f *workerForm) loadByID(id int64) {
	w, err := f.env.Services.Workers.FindWorkerByID(f.env.Ctx, id)
	if err != nil {
		showError(f.env.Window, err)
		return
	}
	f.load(w)
}

// load shows w.
func (f *workerForm) load(w *app.Worker) {
	f.loading = true
	c := *w
	f.current = &c
	f.name.SetText(w.Name)
	f.docType.SetSelected(w.DocType.Name())
	f.number.SetText(w.IDNumber)
	f.sex.SetSelected(w.Sex.Name())
	f.birth.SetText(formatDate(w.BirthDate))
	f.phone.SetText(w.Phone)
	f.address.SetText(w.Address)
	f.note.SetText(w.Note)
	var hs []*historyRow
	for _, p := range w.WorkHistory {
		r := newHistoryRow(f)
		r.load(p)
		hs = append(hs, r)
	}
	f.history.set(hs)
	var xs []*exposureRow
	for _, x := range w.Exposures {
		r := newExposureRow(f)
		r.load(x)
		xs = append(xs, r)
	}
	f.exposures.set(xs)
	f.loading = false
	f.afterLoad("劳动者："+w.Name, f.canUpdate)
	f.showBody(true)
	if w.Photo != "" {
		setNote(f.status, "档案中有一张照片（"+app.ShortHash(w.Photo)+"），本版本尚不能显示。")
	}
}

func (f *workerForm) afterLoad(title string, editable bool) {
	f.touched = map[string]bool{}
	f.dirty = false
	f.title.SetText(title)
	setMsg(f.status, "")
	f.setEditable(editable)
	f.check()
	if f.current != nil && f.canCorrect {
		f.fixBtn.Show()
	} else {
		f.fixBtn.Hide()
	}
}

func (f *workerForm) setEditable(ok bool) {
	for _, w := range []fyne.Disableable{f.name, f.phone, f.address, f.note} {
		if ok {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	// The number of a saved worker changes only through 更正证件号码.
	if ok && f.current == nil {
		f.docType.Enable()
		f.number.Enable()
	} else {
		f.docType.Disable()
		f.number.Disable()
	}
	f.history.setEditable(ok)
	f.exposures.setEditable(ok)
	if ok {
		f.saveBtn.Show()
	} else {
		f.saveBtn.Hide()
	}
	f.deriveFromNumber()
}

// confirmDiscard runs next, first asking when the form has unsaved changes; kept runs when
// the user keeps them (may be nil).
func (f *workerForm) confirmDiscard(next func(), kept ...func()) {
	if !f.dirty {
		next()
		return
	}
	confirmDiscard(f.env.Window, next, kept...)
}

func (f *workerForm) changed(field string) {
	if f.loading {
		return
	}
	f.dirty = true
	if field != "" {
		f.touched[field] = true
	}
	if field == fWNumber || field == fWDocType {
		f.deriveFromNumber()
	}
	f.check()
}

// deriveFromNumber fills sex and birth date from a checked number and makes them read-only,
// or makes them editable for documents without the check.
func (f *workerForm) deriveFromNumber() {
	doc := docTypeByName(f.docType.Selected)
	editable := (f.current == nil && f.canCreate) || (f.current != nil && f.canUpdate)
	if !doc.Checked() {
		for _, w := range []fyne.Disableable{f.sex, f.birth} {
			if editable {
				w.Enable()
			} else {
				w.Disable()
			}
		}
		return
	}
	f.sex.Disable()
	f.birth.Disable()
	info, err := app.ParseIDNumber(doc, f.number.Text, f.env.Now())
	if err != nil {
		return
	}
	was := f.loading
	f.loading = true
	f.sex.SetSelected(info.Sex.Name())
	f.birth.SetText(formatDate(info.Birth))
	f.loading = was
}

// numberNote says what a valid checked number means.
func (f *workerForm) numberNote() string {
	doc := docTypeByName(f.docType.Selected)
	if !doc.Checked() {
		return ""
	}
	info, err := app.ParseIDNumber(doc, f.number.Text, f.env.Now())
	if err != nil {
		return ""
	}
	s := "校验通过：" + info.Sex.Name() + "，" + formatDate(info.Birth) + " 出生，" + strconv.Itoa(app.AgeOn(info.Birth, f.env.Now())) + " 岁"
	if name := areaName(f.cats, info.AreaCode); name != "" {
		s += "，发证地 " + name
	}
	if info.Converted {
		s += "。15 位旧号码已转换为 18 位：" + info.Number
	}
	return s
}

// worker collects the form (dates that do not parse are left zero; their rows say so).
func (f *workerForm) worker() *app.Worker {
	w := &app.Worker{}
	if f.current != nil {
		*w = *f.current
	}
	w.Name = f.name.Text
	if f.current == nil {
		w.DocType = docTypeByName(f.docType.Selected)
		w.IDNumber = f.number.Text
	}
	w.Sex = sexByName(f.sex.Selected)
	w.BirthDate, _ = parseDate(f.birth.Text)
	w.Phone = strings.TrimSpace(f.phone.Text)
	w.Address = strings.TrimSpace(f.address.Text)
	w.Note = strings.TrimSpace(f.note.Text)
	w.WorkHistory = nil
	for _, r := range f.history.rows {
		w.WorkHistory = append(w.WorkHistory, r.period())
	}
	w.Exposures = nil
	for _, r := range f.exposures.rows {
		w.Exposures = append(w.Exposures, r.exposure())
	}
	return w
}

// check validates the form as typed and shows each problem under its field or row (for what
// the user has touched; everything after a save attempt). It returns whether all is valid.
func (f *workerForm) check() bool {
	w := f.worker()
	probs := fieldProblems(w.Validate(f.env.Now()))
	for k, m := range fieldProblems(w.ValidateCodes(f.cats)) {
		if _, ok := probs[k]; !ok {
			probs[k] = m
		}
	}
	// A birth date that does not parse is a problem Validate cannot see.
	if _, err := parseDate(f.birth.Text); err != nil && !f.birth.Disabled() {
		probs[fWBirth] = fieldMessage(err)
	}
	for field, l := range f.msgs {
		if field == "" || !f.touched[field] {
			setMsg(l, "")
			continue
		}
		setMsg(l, probs[field])
	}
	if f.current == nil && probs[fWNumber] == "" && f.touched[fWNumber] {
		setNote(f.msgs[fWNumber], f.numberNote())
	}
	ok := len(probs) == 0
	for i, r := range f.history.rows {
		ok = r.check(i, probs) && ok
	}
	for i, r := range f.exposures.rows {
		ok = r.check(i, probs) && ok
	}
	return ok
}

// save creates or updates the worker; on ECONFLICT and other errors the typed values stay.
func (f *workerForm) save() {
	if (f.current == nil && !f.canCreate) || (f.current != nil && !f.canUpdate) {
		return
	}
	for field := range f.msgs {
		f.touched[field] = true
	}
	f.history.touchAll()
	f.exposures.touchAll()
	if !f.check() {
		setMsg(f.status, "请先改正上面标红的内容。")
		return
	}
	w := f.worker()
	var err error
	if f.current == nil {
		err = f.env.Services.Workers.CreateWorker(f.env.Ctx, w)
	} else {
		w, err = f.env.Services.Workers.UpdateWorker(f.env.Ctx, f.current.ID, app.WorkerUpdate{
			Version: f.current.Version, Name: w.Name, Sex: w.Sex, BirthDate: w.BirthDate,
			Phone: w.Phone, Address: w.Address, Photo: f.current.Photo,
			WorkHistory: w.WorkHistory, Exposures: w.Exposures, Note: w.Note,
		})
	}
	if err != nil {
		setMsg(f.status, app.ErrorMessage(err))
		showError(f.env.Window, err)
		return
	}
	f.load(w)
	setNote(f.status, "已保存。")
	if f.saved != nil {
		f.saved(w)
	}
}

// showCorrection opens the dialog that corrects a saved worker's document type and number,
// with a required reason the audit log keeps.
func (f *workerForm) showCorrection() {
	if f.current == nil {
		return
	}
	cur := f.current
	doc := widget.NewSelect(docTypeNames(), nil)
	doc.SetSelected(cur.DocType.Name())
	number := widget.NewEntry()
	number.SetText(cur.IDNumber)
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder("必填，如：登记时输错一位，已核对身份证原件")
	reason.SetMinRowsVisible(3)
	numMsg, reasonMsg := newMsg(), newMsg()
	checkNumber := func() {
		d := docTypeByName(doc.Selected)
		if !d.Checked() {
			setMsg(numMsg, "")
			return
		}
		if info, err := app.ParseIDNumber(d, number.Text, f.env.Now()); err != nil {
			setMsg(numMsg, fieldMessage(err))
		} else {
			setNote(numMsg, "校验通过："+info.Sex.Name()+"，"+formatDate(info.Birth)+" 出生")
		}
	}
	number.OnChanged = func(string) { checkNumber() }
	doc.OnChanged = func(string) { checkNumber() }
	reason.OnChanged = func(string) { setMsg(reasonMsg, "") }
	note := widget.NewLabel("原证件：" + cur.DocType.Name() + " " + cur.IDNumber + "\n更正会记入审计日志（原号码、新号码、原因、操作人）。")
	form := formGrid(
		formRow{"证件类型", doc, nil},
		formRow{"证件号码", number, numMsg},
		formRow{"更正原因", reason, reasonMsg},
	)
	var d *dialog.CustomDialog
	ok := widget.NewButton("更正", func() {
		if strings.TrimSpace(reason.Text) == "" {
			setMsg(reasonMsg, "请填写更正原因")
			return
		}
		w, err := f.env.Services.Workers.CorrectIDNumber(f.env.Ctx, cur.ID, cur.Version, docTypeByName(doc.Selected), number.Text, strings.TrimSpace(reason.Text))
		if err != nil {
			showError(f.env.Window, err)
			return
		}
		d.Hide()
		f.load(w)
		setNote(f.status, "证件号码已更正。")
		if f.saved != nil {
			f.saved(w)
		}
	})
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("更正证件号码", withWidth(560, container.NewVBox(note, form, container.NewHBox(ok, cancel))), f.env.Window)
	d.Show()
	f.correction = &correctionDialog{doc: doc, number: number, reason: reason, ok: ok, numMsg: numMsg, reasonMsg: reasonMsg}
}

// correctionDialog keeps the widgets of the open correction dialog (for tests).
type correctionDialog struct {
	doc               *widget.Select
	number, reason    *widget.Entry
	ok                *widget.Button
	numMsg, reasonMsg *widget.Label
}
