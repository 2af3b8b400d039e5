package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

func init() {
	registerScreen(ScreenDef{
		ID: "employers", Group: "档案", Title: "用人单位", Order: 10,
		Action: "EmployerService.FindEmployers",
		New:    func(env *Env) fyne.CanvasObject { return newEmployerScreen(env).content() },
	})
}

// employerPage is how many employers a list page decodes at once.
const employerPage = 50

// employerScreen lists employers (searchable, virtual) beside the form of one of them.
type employerScreen struct {
	env  *Env
	cats *catalog.Set

	search *searchEntry
	list   *keyList
	count  *widget.Label
	query  string
	total  int
	pages  map[int][]*app.Employer

	form *employerForm
}

func newEmployerScreen(env *Env) *employerScreen {
	v := &employerScreen{env: env, cats: catalogsOf(env.Services), pages: map[int][]*app.Employer{}}
	v.search = newSearchEntry("单位名称、统一社会信用代码或拼音首字母")
	v.search.OnChanged = func(s string) { v.runSearch(s) }
	v.search.OnSubmitted = func(s string) { v.runSearch(s) }
	v.count = widget.NewLabel("")
	v.list = newKeyList(
		func() int { return v.total },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			name, sub := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
			e := v.at(i)
			if e == nil {
				name.SetText("…")
				sub.SetText("")
				return
			}
			name.SetText(e.Name)
			sub.SetText(e.CreditCode + "　" + areaName(v.cats, e.AreaCode))
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if e := v.at(i); e != nil {
			v.form.confirmDiscard(func() { v.form.load(e) }, v.list.UnselectAll)
		}
	}
	v.form = newEmployerForm(env, func(e *app.Employer) { v.runSearch(v.search.Text) })
	v.runSearch("")
	env.setActions(v.form.save, func() { v.form.confirmDiscard(v.form.clear) })
	v.form.cleared = func() {
		v.list.UnselectAll()
		focusIfShown(v.form.name)
	}
	v.search.onDown = func() {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.list); c != nil && v.list.Length() > 0 {
			c.Focus(v.list)
		}
	}
	env.Focus = v.search
	if env.OpenID != 0 {
		if e, err := env.Services.Employers.FindEmployerByID(env.Ctx, env.OpenID); err == nil {
			v.form.load(e)
		}
	}
	return v
}

func (v *employerScreen) content() fyne.CanvasObject {
	left := container.NewBorder(container.NewVBox(heading("用人单位"), v.search, v.count), nil, nil, nil, v.list)
	split := container.NewHSplit(left, v.form.content())
	split.Offset = 0.32
	return split
}

// runSearch counts the matches of q; the list decodes pages as it scrolls.
func (v *employerScreen) runSearch(q string) {
	v.query = strings.TrimSpace(q)
	v.pages = map[int][]*app.Employer{}
	_, total, err := v.env.Services.Employers.FindEmployers(v.env.Ctx, app.EmployerFilter{Query: v.query, Limit: 1})
	if err != nil {
		v.total = 0
		v.count.SetText(app.ErrorMessage(err))
	} else {
		v.total = total
		v.count.SetText("共 " + strconv.Itoa(total) + " 家")
	}
	v.list.UnselectAll()
	v.list.Refresh()
}

// at returns the i-th match, decoding its page when needed.
func (v *employerScreen) at(i int) *app.Employer {
	p := i / employerPage
	page, ok := v.pages[p]
	if !ok {
		var err error
		page, _, err = v.env.Services.Employers.FindEmployers(v.env.Ctx, app.EmployerFilter{Query: v.query, Offset: p * employerPage, Limit: employerPage})
		if err != nil {
			return nil
		}
		v.pages[p] = page
	}
	if j := i - p*employerPage; j < len(page) {
		return page[j]
	}
	return nil
}

// employerForm edits one employer (or a new one).
type employerForm struct {
	env   *Env
	cats  *catalog.Set
	saved func(*app.Employer)

	current *app.Employer // nil for a new employer
	dirty   bool
	touched map[string]bool
	loading bool

	title                                      *widget.Label
	name, credit, address, zip, contact, phone *widget.Entry
	note                                       *widget.Entry
	area                                       *areaPicker
	industry                                   *picker
	econ, size                                 *widget.Select
	msgs                                       map[string]*widget.Label
	status                                     *widget.Label
	saveBtn                                    *widget.Button
	canCreate, canUpdate                       bool
	formFrame
	cleared func() // after clear: the screen unselects its list
}

// The field names of app.Employer.Validate, which key the messages.
const (
	fEmpName     = "单位名称"
	fEmpCredit   = "统一社会信用代码"
	fEmpArea     = "所属地区"
	fEmpIndustry = "行业类别"
	fEmpEcon     = "经济类型"
	fEmpSize     = "企业规模"
	fEmpAddress  = "详细地址"
	fEmpZip      = "邮政编码"
	fEmpContact  = "联系人"
	fEmpPhone    = "联系电话"
	fEmpNote     = "备注"
	noneOption   = "（不填）"
)

func newEmployerForm(env *Env, saved func(*app.Employer)) *employerForm {
	f := &employerForm{env: env, cats: catalogsOf(env.Services), saved: saved, touched: map[string]bool{}, msgs: map[string]*widget.Label{}}
	_, f.canCreate = app.ScopeOf(env.User, "EmployerService.CreateEmployer")
	_, f.canUpdate = app.ScopeOf(env.User, "EmployerService.UpdateEmployer")
	f.title = heading("新建用人单位")
	entry := func(field, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { f.changed(field) }
		return e
	}
	f.name = entry(fEmpName, "营业执照上的全称")
	f.credit = entry(fEmpCredit, "18 位，如 91350100M000100Y43")
	f.address = entry(fEmpAddress, "")
	f.zip = entry(fEmpZip, "6 位数字")
	f.contact = entry(fEmpContact, "")
	f.phone = entry(fEmpPhone, "")
	f.note = widget.NewMultiLineEntry()
	f.note.SetMinRowsVisible(3)
	f.note.OnChanged = func(string) { f.changed(fEmpNote) }
	enterMovesOn(f.credit, f.zip, f.phone)
	f.area = newAreaPicker(f.cats)
	f.area.OnChanged = func() { f.changed(fEmpArea) }
	f.industry = newPicker("输入行业名称或代码，如 水泥、3011", catalogSearch(f.cats, app.CatalogIndustry,
		func(e catalog.Entry) bool { return len(e.Code) == 4 && isDigits(e.Code) }, codeLabel))
	f.industry.OnChanged = func() { f.changed(fEmpIndustry) }
	f.econ = widget.NewSelect(catalogOptions(f.cats, app.CatalogEconomicType), func(string) { f.changed(fEmpEcon) })
	f.size = widget.NewSelect(catalogOptions(f.cats, app.CatalogEnterpriseSize), func(string) { f.changed(fEmpSize) })
	f.econ.PlaceHolder, f.size.PlaceHolder = "请选择", "请选择"
	for _, k := range []string{fEmpName, fEmpCredit, fEmpIndustry, fEmpEcon, fEmpSize, fEmpAddress, fEmpZip, fEmpContact, fEmpPhone, fEmpNote, ""} {
		f.msgs[k] = newMsg()
	}
	f.status = newMsg()
	f.saveBtn = widget.NewButton("保存（Ctrl+S）", f.save)
	f.saveBtn.Importance = widget.HighImportance
	f.clear()
	return f
}

// catalogOptions returns the "code name" options of a small catalog, led by 不填.
func catalogOptions(set *catalog.Set, name string) []string {
	out := []string{noneOption}
	if c, ok := set.Catalog(name); ok {
		for _, e := range c.Entries {
			out = append(out, strings.Repeat("　", max(e.Level-1, 0))+codeLabel(e))
		}
	}
	return out
}

// optionCode returns the code of a "code name" option ("" for 不填 or nothing).
func optionCode(s string) string {
	s = strings.TrimLeft(s, "　")
	if s == "" || s == noneOption {
		return ""
	}
	code, _, _ := strings.Cut(s, " ")
	return code
}

// selectCode selects the option of code in s (or 不填).
func selectCode(s *widget.Select, code string) {
	for _, o := range s.Options {
		if code != "" && optionCode(o) == code {
			s.SetSelected(o)
			return
		}
	}
	if code == "" {
		s.SetSelected(noneOption)
	} else {
		s.ClearSelected()
	}
}

func (f *employerForm) content() fyne.CanvasObject {
	newBtn := widget.NewButton("新建（Ctrl+N）", func() { f.confirmDiscard(f.clear) })
	if !f.canCreate {
		newBtn.Hide()
	}
	form := formGrid(
		formRow{"单位名称", f.name, f.msgs[fEmpName]},
		formRow{"统一社会信用代码", f.credit, f.msgs[fEmpCredit]},
		formRow{"所属地区", f.area.content(), nil},
		formRow{"行业类别", f.industry.content(), f.msgs[fEmpIndustry]},
		formRow{"经济类型", f.econ, f.msgs[fEmpEcon]},
		formRow{"企业规模", f.size, f.msgs[fEmpSize]},
		formRow{"详细地址", f.address, f.msgs[fEmpAddress]},
		formRow{"邮政编码", f.zip, f.msgs[fEmpZip]},
		formRow{"联系人", f.contact, f.msgs[fEmpContact]},
		formRow{"联系电话", f.phone, f.msgs[fEmpPhone]},
		formRow{"备注", f.note, f.msgs[fEmpNote]},
	)
	top := container.NewBorder(nil, nil, f.title, container.NewHBox(newBtn, f.saveBtn))
	return f.frame(top, container.NewVBox(form, f.msgs[""], f.status), "在左侧查找用人单位，再从列表中选择查看。", f.current != nil || f.canCreate)
}

// clear shows an empty form for a new employer.
func (f *employerForm) clear() {
	f.loading = true
	f.current = nil
	for _, e := range []*widget.Entry{f.name, f.credit, f.address, f.zip, f.contact, f.phone, f.note} {
		e.SetText("")
	}
	f.area.SetCode("")
	f.industry.setText("")
	f.econ.ClearSelected()
	f.size.ClearSelected()
	f.loading = false
	f.touched = map[string]bool{}
	f.dirty = false
	f.title.SetText("新建用人单位")
	if !f.canCreate {
		f.title.SetText("用人单位")
	}
	setMsg(f.status, "")
	f.check()
	f.setEditable(f.canCreate)
	f.showBody(f.canCreate)
	if f.cleared != nil {
		f.cleared()
	}
}

// load shows e.
func (f *employerForm) load(e *app.Employer) {
	f.loading = true
	c := *e
	f.current = &c
	f.name.SetText(e.Name)
	f.credit.SetText(e.CreditCode)
	f.area.SetCode(e.AreaCode)
	if it, ok := catalogItem(f.cats, app.CatalogIndustry, e.IndustryCode, codeLabel); ok {
		f.industry.setSelected(it)
	} else {
		f.industry.setText(e.IndustryCode)
	}
	selectCode(f.econ, e.EconomicTypeCode)
	selectCode(f.size, e.SizeCode)
	f.address.SetText(e.Address)
	f.zip.SetText(e.ZipCode)
	f.contact.SetText(e.ContactPerson)
	f.phone.SetText(e.ContactPhone)
	f.note.SetText(e.Note)
	f.loading = false
	f.touched = map[string]bool{}
	f.dirty = false
	f.title.SetText("用人单位：" + e.Name)
	setMsg(f.status, "")
	f.check()
	f.setEditable(f.canUpdate)
	f.showBody(true)
}

func (f *employerForm) setEditable(ok bool) {
	for _, w := range []fyne.Disableable{f.name, f.credit, f.address, f.zip, f.contact, f.phone, f.note, f.econ, f.size, f.industry.entry, f.area.code, f.area.prov, f.area.city, f.area.county} {
		if ok {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	if ok {
		f.saveBtn.Show()
	} else {
		f.saveBtn.Hide()
	}
}

// confirmDiscard runs next, first asking when the form has unsaved changes; kept runs when
// the user keeps them (may be nil).
func (f *employerForm) confirmDiscard(next func(), kept ...func()) {
	if !f.dirty {
		next()
		return
	}
	confirmDiscard(f.env.Window, next, kept...)
}

func (f *employerForm) changed(field string) {
	if f.loading {
		return
	}
	f.dirty = true
	f.touched[field] = true
	if field == fEmpCredit {
		// The 3rd–8th characters are the registering authority's area: a good default.
		if cc, err := app.CheckCreditCode(f.credit.Text); err == nil && f.area.Code() == "" {
			f.area.SetCode(cc[2:8])
		}
	}
	if field == fEmpArea {
		f.touched[fEmpArea] = true
	}
	f.check()
}

// employer collects the form.
func (f *employerForm) employer() *app.Employer {
	e := &app.Employer{}
	if f.current != nil {
		*e = *f.current
	}
	e.Name = strings.TrimSpace(f.name.Text)
	e.CreditCode = strings.TrimSpace(f.credit.Text)
	e.AreaCode = f.area.Code()
	if it, ok := f.industry.Selected(); ok {
		e.IndustryCode = it.Key
	} else {
		e.IndustryCode = f.industry.Text()
	}
	e.EconomicTypeCode = optionCode(f.econ.Selected)
	e.SizeCode = optionCode(f.size.Selected)
	e.Address = strings.TrimSpace(f.address.Text)
	e.ZipCode = strings.TrimSpace(f.zip.Text)
	e.ContactPerson = strings.TrimSpace(f.contact.Text)
	e.ContactPhone = strings.TrimSpace(f.phone.Text)
	e.Note = strings.TrimSpace(f.note.Text)
	return e
}

// check validates the form as it is typed and shows each problem under its field, for the
// fields the user has touched (all of them after a save attempt).
func (f *employerForm) check() (ok bool) {
	e := f.employer()
	probs := fieldProblems(e.Validate())
	_, err := e.ValidateCodes(f.cats)
	for k, m := range fieldProblems(err) {
		if _, ok := probs[k]; !ok {
			probs[k] = m
		}
	}
	for field, l := range f.msgs {
		if field == "" || !f.touched[field] {
			setMsg(l, "")
			continue
		}
		setMsg(l, probs[field])
	}
	if f.touched[fEmpCredit] && probs[fEmpCredit] == "" && e.CreditCode != "" {
		setNote(f.msgs[fEmpCredit], "校验通过")
	}
	return len(probs) == 0
}

// save creates or updates the employer. On ECONFLICT and other errors the typed values stay
// in the form.
func (f *employerForm) save() {
	if (f.current == nil && !f.canCreate) || (f.current != nil && !f.canUpdate) {
		return
	}
	for field := range f.msgs {
		f.touched[field] = true
	}
	if !f.check() {
		setMsg(f.status, "请先改正上面标红的内容。")
		return
	}
	e := f.employer()
	var warnings []string
	var err error
	if f.current == nil {
		warnings, err = f.env.Services.Employers.CreateEmployer(f.env.Ctx, e)
	} else {
		warnings, err = f.env.Services.Employers.UpdateEmployer(f.env.Ctx, e)
	}
	if err != nil {
		setMsg(f.status, app.ErrorMessage(err))
		showError(f.env.Window, err)
		return
	}
	f.load(e)
	if len(warnings) > 0 {
		setWarn(f.status, "已保存。请注意："+strings.Join(warnings, "；"))
	} else {
		setNote(f.status, "已保存。")
	}
	if f.saved != nil {
		f.saved(e)
	}
}
