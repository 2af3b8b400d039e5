package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_catalogs", Group: "系统管理", Title: "字典维护", Order: 20,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "CatalogService.SaveCatalog",
		New:    func(env *Env) fyne.CanvasObject { return newCatalogScreen(env).content() },
	})
}

// Status labels as the screen shows them; "U" is 待核实 everywhere in the program.
var catalogStatusNames = map[string]string{
	catalog.StatusVerified: "已核实", catalog.StatusPartial: "部分核实", catalog.StatusUnverified: "待核实", "": "",
}

// catalogStatusOptions are the choices of the status select, in order, with their codes.
var catalogStatusOptions = []struct{ label, code string }{
	{"照录来源（不标注）", ""},
	{"已核实（V）", catalog.StatusVerified},
	{"部分核实（P）", catalog.StatusPartial},
	{"待核实（U）", catalog.StatusUnverified},
}

func catalogStatusLabel(code string) string {
	for _, o := range catalogStatusOptions {
		if o.code == code {
			return o.label
		}
	}
	return code
}

func catalogStatusCode(label string) string {
	for _, o := range catalogStatusOptions {
		if o.label == label {
			return o.code
		}
	}
	return ""
}

// catalogColumns are the columns of the entries table.
var catalogTableColumns = []adminColumn{{"代码", 80}, {"名称", 280}, {"上级代码", 80}, {"类别", 130}, {"核实状态", 80}, {"本地", 50}}

// catalogFirst lists the catalogs an occupational-health department checks most, in the order
// the select offers them; the others follow by name.
var catalogFirst = []string{
	catalog.Hazards, catalog.GBZ188Sections, catalog.GBZ188Editions, catalog.Items, catalog.Conclusions,
	catalog.ExamTypes, catalog.Diseases2024, catalog.Diseases2013, catalog.DiseaseMap, catalog.Jobs,
	catalog.Industry, catalog.EconomicType, catalog.EnterpriseSize, catalog.Areas, catalog.IDDocTypes,
}

func catalogDisplayOrder(names []string) []string {
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	var out []string
	for _, n := range catalogFirst {
		if have[n] {
			out = append(out, n)
			delete(have, n)
		}
	}
	for _, n := range names { // names is sorted
		if have[n] {
			out = append(out, n)
		}
	}
	return out
}

// catalogScreen edits the catalogs: choose one, search and edit its entries in a working copy,
// add local entries, then save the whole catalog with a reason.
type catalogScreen struct {
	env  *Env
	set  *catalog.Set
	opts map[string]string // select option → catalog name

	choose     *widget.Select
	search     *widget.Entry
	onlyU      *widget.Check
	count      *widget.Label
	origin     *widget.Label
	table      *widget.Table
	status     *widget.Label
	saveBtn    *widget.Button
	discardBtn *widget.Button
	resetBtn   *widget.Button
	exportBtn  *widget.Button
	importBtn  *widget.Button
	addBtn     *widget.Button

	name       string          // the catalog chosen
	work       catalog.Catalog // working copy with unsaved edits
	changes    int             // edits in the working copy since the last save
	overridden bool            // the archive holds an edited version of this catalog
	shown      []int           // indexes into work.Entries that pass the search

	// entry editor
	selected  int // index into work.Entries, -1 for none
	edCode    *widget.Label
	edInfo    *widget.Label
	edName    *widget.Entry
	edAliases *widget.Entry
	edStatus  *widget.Select
	edApply   *widget.Button
	edDelete  *widget.Button // local entries only
	edMsg     *widget.Label
	// the catalog's own fields (Extra), mappings such as GBZ 188 sections among them
	edExtraBox  *fyne.Container
	edExtraKeys []string
	edExtra     []*widget.Entry

	// dialogs kept for tests
	saveDlg    *adminDialog
	saveReason *widget.Entry
	addDlg     *adminDialog
	addFields  struct{ code, name, parent, category, aliases *widget.Entry }
}

func newCatalogScreen(env *Env) *catalogScreen {
	v := &catalogScreen{env: env, set: env.Services.Catalogs, opts: map[string]string{}, selected: -1}
	var options []string
	if v.set != nil {
		for _, n := range catalogDisplayOrder(v.set.Names()) {
			c, _ := v.set.Catalog(n)
			label := c.Title
			if label == "" {
				label = n
			}
			label += "（" + n + "）"
			v.opts[label] = n
			options = append(options, label)
		}
	}
	v.choose = widget.NewSelect(options, func(s string) {
		if v.opts[s] == v.name {
			return // set back after the administrator kept their edits
		}
		v.confirmDiscard(func() { v.open(v.opts[s]) }, func() { v.choose.SetSelected(v.optionOf(v.name)) })
	})
	v.choose.PlaceHolder = "选择字典"
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("按代码、名称或别名查找")
	v.search.OnChanged = func(string) { v.filter() }
	v.onlyU = widget.NewCheck("只看待核实", func(bool) { v.filter() })
	v.count = widget.NewLabel("")
	v.origin = widget.NewLabel("")
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapBreak

	v.table = newAdminTable(catalogTableColumns, func() int { return len(v.shown) }, v.updateCell)
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.shown) {
			v.edit(v.shown[id.Row])
		}
	}

	v.saveBtn = widget.NewButton("保存字典…", v.showSave)
	v.saveBtn.Importance = widget.HighImportance
	v.discardBtn = widget.NewButton("放弃修改", func() {
		adminConfirm(env.Window, "放弃修改", "放弃对本字典尚未保存的修改？", "放弃修改", func() { v.open(v.name) })
	})
	v.resetBtn = widget.NewButton("恢复出厂版本", v.confirmReset)
	v.exportBtn = widget.NewButton("导出 .xlsx", v.exportFile)
	v.importBtn = widget.NewButton("导入 .xlsx", v.importFile)
	v.addBtn = widget.NewButton("添加本地条目", v.showAdd)

	v.edCode = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.edInfo = widget.NewLabel("")
	v.edInfo.Wrapping = fyne.TextWrapBreak
	v.edName = widget.NewEntry()
	v.edAliases = widget.NewEntry()
	v.edAliases.SetPlaceHolder("用、分隔；含、的别名用「」括起")
	labels := make([]string, len(catalogStatusOptions))
	for i, o := range catalogStatusOptions {
		labels[i] = o.label
	}
	v.edStatus = widget.NewSelect(labels, nil)
	v.edStatus.PlaceHolder = "选择核实状态"
	v.edApply = widget.NewButton("修改此条目", v.applyEdit)
	v.edApply.Importance = widget.HighImportance
	v.edDelete = widget.NewButton("删除此本地条目", v.deleteLocal)
	v.edDelete.Hide()
	v.edMsg = newMsg()
	v.edExtraBox = container.NewVBox()

	if len(options) > 0 {
		first := v.optionOf(catalog.Hazards)
		if first == "" {
			first = options[0]
		}
		v.choose.SetSelected(first)
	}
	env.setActions(v.showSave, v.showAdd)
	env.Focus = v.search
	return v
}

func (v *catalogScreen) optionOf(name string) string {
	for o, n := range v.opts {
		if n == name {
			return o
		}
	}
	return ""
}

func (v *catalogScreen) content() fyne.CanvasObject {
	top := container.NewVBox(
		heading("字典维护"),
		container.NewBorder(nil, nil, widget.NewLabel("字典"), nil, v.choose),
		v.origin,
		container.NewBorder(nil, nil, nil, container.NewHBox(v.onlyU, v.count), v.search),
		adminRow(v.saveBtn, v.discardBtn, v.addBtn, v.exportBtn, v.importBtn, v.resetBtn),
		v.status,
	)
	fields := container.NewVBox(
		heading("条目"),
		v.edCode, v.edInfo,
		formGrid(
			formRow{label: "名称", field: v.edName},
			formRow{label: "别名", field: v.edAliases},
			formRow{label: "核实状态", field: v.edStatus},
		),
		v.edExtraBox,
	)
	hint := widget.NewLabel("修改先记在本页；点“保存字典…”并填写原因后才生效。")
	hint.Wrapping = fyne.TextWrapBreak
	// The apply button stays in view below the fields, however many the catalog has.
	editor := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), v.edMsg, adminRow(v.edApply, v.edDelete), hint), nil, nil,
		container.NewVScroll(container.NewPadded(fields)))
	split := container.NewHSplit(v.table, editor)
	split.Offset = 0.66
	return container.NewBorder(top, nil, nil, nil, split)
}

// open loads catalog name into a fresh working copy.
func (v *catalogScreen) open(name string) {
	c, ok := v.set.Catalog(name)
	if !ok {
		v.status.SetText("字典“" + name + "”不存在")
		return
	}
	v.name = name
	v.work = cloneCatalog(c)
	v.changes = 0
	v.overridden = false
	if m, err := v.env.Services.Catalog.CatalogOverrides(v.env.Ctx); err == nil {
		_, v.overridden = m[name]
	} else {
		v.status.SetText(app.ErrorMessage(err))
	}
	v.selected = -1
	v.table.UnselectAll()
	v.clearEditor()
	v.status.SetText("")
	v.filter()
	v.refreshState()
}

// refreshState updates the header lines and enables the buttons that apply.
func (v *catalogScreen) refreshState() {
	src := "出厂版本"
	if v.overridden {
		src = "本机已修改的版本（可恢复出厂版本）"
	}
	period := ""
	if v.work.EffectiveFrom != "" || v.work.EffectiveTo != "" {
		period = "，适用 " + orDash(v.work.EffectiveFrom) + " 至 " + orDash(v.work.EffectiveTo)
	}
	exchange := ""
	if v.env.Services.Exchange == nil {
		exchange = "（本程序未接入 .xlsx 转换，导出导入不可用）"
	}
	v.origin.SetText(fmt.Sprintf("版本 %s%s；%s%s。来源：%s", v.work.Version, period, src, exchange, v.work.Source))
	v.origin.Wrapping = fyne.TextWrapBreak
	if v.changes > 0 {
		v.saveBtn.Enable()
		v.discardBtn.Enable()
	} else {
		v.saveBtn.Disable()
		v.discardBtn.Disable()
	}
	if v.overridden {
		v.resetBtn.Enable()
	} else {
		v.resetBtn.Disable()
	}
	if v.env.Services.Exchange == nil {
		// Not wired in this program (see app.Services.Exchange): say so rather than fail.
		v.exportBtn.Disable()
		v.importBtn.Disable()
	} else {
		v.exportBtn.Enable()
		v.importBtn.Enable()
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// filter recomputes the rows shown for the search text.
func (v *catalogScreen) filter() {
	q := catalog.NormalizeName(v.search.Text)
	v.shown = v.shown[:0]
	unverified := 0
	for i, e := range v.work.Entries {
		if e.Unverified() {
			unverified++
		}
		if v.onlyU.Checked && !e.Unverified() {
			continue
		}
		if q != "" && !entryMatches(e, q) {
			continue
		}
		v.shown = append(v.shown, i)
	}
	text := fmt.Sprintf("共 %d 条，待核实 %d 条", len(v.work.Entries), unverified)
	if len(v.shown) != len(v.work.Entries) {
		text += fmt.Sprintf("，显示 %d 条", len(v.shown))
	}
	if v.changes > 0 {
		text += fmt.Sprintf("；未保存的修改 %d 处", v.changes)
	}
	v.count.SetText(text)
	v.table.UnselectAll()
	v.table.Refresh()
}

func entryMatches(e catalog.Entry, q string) bool {
	if strings.HasPrefix(strings.ToLower(e.Code), q) || strings.Contains(catalog.NormalizeName(e.Name), q) {
		return true
	}
	for _, a := range e.Aliases {
		if strings.Contains(catalog.NormalizeName(a), q) {
			return true
		}
	}
	return false
}

func (v *catalogScreen) updateCell(id widget.TableCellID, l *widget.Label) {
	if id.Row < 0 || id.Row >= len(v.shown) {
		l.SetText("")
		return
	}
	e := v.work.Entries[v.shown[id.Row]]
	switch id.Col {
	case 0:
		l.SetText(e.Code)
	case 1:
		l.SetText(strings.Repeat("　", max(e.Level-1, 0)) + e.Name)
	case 2:
		l.SetText(e.Parent)
	case 3:
		l.SetText(e.Category)
	case 4:
		if e.Unverified() {
			l.Importance = widget.WarningImportance
		}
		l.SetText(catalogStatusNames[e.Status])
	case 5:
		if e.Local {
			l.SetText("本地")
		} else {
			l.SetText("")
		}
	}
}

func cloneCatalog(c catalog.Catalog) catalog.Catalog {
	c.Entries = append([]catalog.Entry(nil), c.Entries...)
	return c
}

// confirmDiscard runs next, after a confirmation when the working copy has unsaved edits;
// cancel runs when the administrator keeps them.
func (v *catalogScreen) confirmDiscard(next, cancel func()) {
	if v.changes == 0 {
		next()
		return
	}
	d := dialog.NewConfirm("放弃修改", fmt.Sprintf("“%s”有 %d 处修改尚未保存。放弃这些修改吗？", v.work.Title, v.changes), func(ok bool) {
		if ok {
			next()
		} else if cancel != nil {
			cancel()
		}
	}, v.env.Window)
	d.SetConfirmText("放弃修改")
	d.SetDismissText("取消")
	d.Show()
}
