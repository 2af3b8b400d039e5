package ui

import (
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
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
var catalogTableColumns = []struct {
	title string
	width float32
}{{"代码", 80}, {"名称", 280}, {"上级代码", 80}, {"类别", 130}, {"核实状态", 80}, {"本地", 50}}

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

// catalogMaxImport bounds the size of a workbook read for import.
const catalogMaxImport = 64 << 20

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

	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.shown), len(catalogTableColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(catalogTableColumns) {
			o.(*widget.Label).SetText(catalogTableColumns[id.Col].title)
		}
	}
	for i, c := range catalogTableColumns {
		v.table.SetColumnWidth(i, c.width)
	}
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
	editor := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), v.edMsg, adminRow(v.edApply), hint), nil, nil,
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

func (v *catalogScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(v.shown) {
		l.SetText("")
		return
	}
	e := v.work.Entries[v.shown[id.Row]]
	l.Importance = widget.MediumImportance
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

func (v *catalogScreen) clearEditor() {
	v.edCode.SetText("在左侧表格中选择一个条目")
	v.edInfo.SetText("")
	v.edName.SetText("")
	v.edAliases.SetText("")
	v.edStatus.ClearSelected()
	v.edName.Disable()
	v.edAliases.Disable()
	v.edStatus.Disable()
	v.edApply.Disable()
	v.edExtraBox.RemoveAll()
	v.edExtraKeys, v.edExtra = nil, nil
	setMsg(v.edMsg, "")
}

// edit shows entry i of the working copy in the editor.
func (v *catalogScreen) edit(i int) {
	e := v.work.Entries[i]
	v.selected = i
	v.edCode.SetText("代码 " + e.Code)
	info := []string{}
	if e.Parent != "" {
		pn := e.Parent
		if p, ok := v.work.Lookup(e.Parent); ok {
			pn += " " + p.Name
		}
		info = append(info, "上级："+pn)
	}
	if e.Category != "" {
		info = append(info, "类别："+e.Category)
	}
	if e.Local {
		info = append(info, "本地代码")
	}
	if e.Unverified() {
		info = append(info, "待核实：此条内容尚未与权威来源核对，请核实后改为“已核实”")
	}
	v.edInfo.SetText(strings.Join(info, "\n"))
	// Every field this catalog uses, so that a mapping missing on this entry can be added.
	v.edExtraKeys = catalogExtraKeys(v.work)
	v.edExtra = make([]*widget.Entry, len(v.edExtraKeys))
	v.edExtraBox.RemoveAll()
	if len(v.edExtraKeys) > 0 {
		rows := make([]formRow, len(v.edExtraKeys))
		for j, k := range v.edExtraKeys {
			en := widget.NewEntry()
			en.SetText(e.Extra[k])
			v.edExtra[j] = en
			rows[j] = formRow{label: extraFieldLabel(k), field: en}
		}
		v.edExtraBox.Add(widget.NewLabel("本字典的其他字段（含对照关系）："))
		v.edExtraBox.Add(formGrid(rows...))
	}
	v.edName.SetText(e.Name)
	v.edAliases.SetText(adminJoinAliases(e.Aliases))
	v.edStatus.SetSelected(catalogStatusLabel(e.Status))
	v.edName.Enable()
	v.edAliases.Enable()
	v.edStatus.Enable()
	v.edApply.Enable()
	setMsg(v.edMsg, "")
}

// extraFieldNames are the Chinese labels of the catalogs' own fields (see each catalog's
// Notes); a field not listed shows its key.
var extraFieldNames = map[string]string{
	"section_2014": "GBZ 188-2014 章节", "factor_2014": "GBZ 188-2014 因素名称", "status_2014": "2014 版核实状态（V/P/U）",
	"section_2025": "GBZ 188-2025 章节", "factor_2025": "GBZ 188-2025 因素名称", "status_2025": "2025 版核实状态（V/P/U）",
	"code_2013": "2013 版代码", "name_2013": "2013 版名称", "category_2013": "2013 版类别", "category_2024": "2024 版类别",
	"change": "变化（same/moved/narrowed/split/new）", "kind": "种类", "ordinal": "类别序号",
	"effective_from": "适用起始日期", "effective_to": "适用截止日期", "spec_code": "规范原印代码",
	"group": "分组", "other": "需填写名称的“其他”项", "county_level": "县级单位", "level_name": "层级名称",
}

func extraFieldLabel(k string) string {
	if n, ok := extraFieldNames[k]; ok {
		return n
	}
	return k
}

// catalogExtraKeys returns the Extra keys any entry of c uses, sorted.
func catalogExtraKeys(c catalog.Catalog) []string {
	seen := map[string]bool{}
	for _, e := range c.Entries {
		for k := range e.Extra {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// applyEdit writes the editor into the working copy.
func (v *catalogScreen) applyEdit() {
	if v.selected < 0 {
		return
	}
	e := v.work.Entries[v.selected]
	name := strings.TrimSpace(v.edName.Text)
	if name == "" {
		setMsg(v.edMsg, "名称不能为空")
		return
	}
	aliases, err := adminSplitAliases(v.edAliases.Text)
	if err != nil {
		setMsg(v.edMsg, app.ErrorMessage(err))
		return
	}
	e.Name, e.Aliases, e.Status = name, aliases, catalogStatusCode(v.edStatus.Selected)
	if len(v.edExtraKeys) > 0 {
		extra := map[string]string{}
		for k, val := range e.Extra { // keep fields the editor does not show
			extra[k] = val
		}
		for j, k := range v.edExtraKeys {
			if val := strings.TrimSpace(v.edExtra[j].Text); val != "" {
				extra[k] = val
			} else {
				delete(extra, k)
			}
		}
		e.Extra = extra
	}
	if entryEqual(e, v.work.Entries[v.selected]) {
		setMsg(v.edMsg, "")
		setNote(v.edMsg, "没有修改")
		return
	}
	v.work.Entries[v.selected] = e
	v.changes++
	setNote(v.edMsg, "已记下修改（尚未保存）")
	v.filter()
	v.refreshState()
}

// showSave asks for the reason and saves the working copy.
func (v *catalogScreen) showSave() {
	if v.changes == 0 {
		return
	}
	v.askReasonAndSave("保存字典", fmt.Sprintf("保存对“%s”的 %d 处修改。", v.work.Title, v.changes), v.work)
}

// askReasonAndSave shows a dialog with what is about to be saved and a required reason, then
// saves c through the catalog service and installs it in the catalog set.
func (v *catalogScreen) askReasonAndSave(title, summary string, c catalog.Catalog) {
	v.saveReason = widget.NewMultiLineEntry()
	v.saveReason.SetPlaceHolder("例如：据《职业病分类和目录》原文核实，更正名称")
	v.saveReason.SetMinRowsVisible(2)
	body := container.NewVBox(widget.NewLabel(summary), widget.NewLabel("修改原因（记入审计日志）："), v.saveReason)
	v.saveDlg = newAdminDialog(v.env.Window, title, "保存", body, func() error {
		reason := strings.TrimSpace(v.saveReason.Text)
		if reason == "" {
			return app.FieldError("修改原因", "请填写修改原因")
		}
		if err := v.env.Services.Catalog.SaveCatalog(v.env.Ctx, c, reason); err != nil {
			return err
		}
		// The service installs the catalog in its own set in 单机 mode; install it here too
		// so that the screens see it whichever implementation is wired.
		if err := v.set.Replace(c.Name, c); err != nil {
			return app.Errorf(app.EINTERNAL, "字典已保存，但未能立即生效（重新启动后生效）：%v", err)
		}
		v.open(c.Name)
		v.status.SetText("已保存字典“" + c.Title + "”，原因：" + reason)
		return nil
	})
	v.saveDlg.show(520)
	v.env.Window.Canvas().Focus(v.saveReason)
}

// showAdd asks for a local entry and adds it to the working copy.
func (v *catalogScreen) showAdd() {
	if v.name == "" {
		return
	}
	a := &v.addFields
	a.code, a.name, a.parent, a.category, a.aliases = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	a.code.SetPlaceHolder("L 加数字，如 L1001")
	a.code.SetText(v.nextLocalCode())
	a.parent.SetPlaceHolder("可空：上级条目的代码")
	a.aliases.SetPlaceHolder("用、分隔")
	status := widget.NewSelect(nil, nil)
	for _, o := range catalogStatusOptions {
		status.Options = append(status.Options, o.label)
	}
	status.SetSelected(catalogStatusLabel(catalog.StatusVerified))
	body := container.NewVBox(
		widget.NewLabel("本地条目不是国家代码，代码以大写字母 L 加数字开头，上报时按本地代码处理。"),
		formGrid(
			formRow{label: "代码", field: a.code},
			formRow{label: "名称", field: a.name},
			formRow{label: "上级代码", field: a.parent},
			formRow{label: "类别", field: a.category},
			formRow{label: "别名", field: a.aliases},
			formRow{label: "核实状态", field: status},
		))
	v.addDlg = newAdminDialog(v.env.Window, "添加本地条目", "添加", body, func() error {
		aliases, err := adminSplitAliases(a.aliases.Text)
		if err != nil {
			return err
		}
		e := catalog.Entry{
			Code: strings.TrimSpace(a.code.Text), Name: strings.TrimSpace(a.name.Text),
			Parent: strings.TrimSpace(a.parent.Text), Category: strings.TrimSpace(a.category.Text),
			Aliases: aliases, Local: true, Status: catalogStatusCode(status.Selected),
		}
		if err := v.checkLocalEntry(e); err != nil {
			return err
		}
		if p, ok := v.work.Lookup(e.Parent); ok {
			e.Level = p.Level + 1
			if e.Category == "" {
				e.Category = p.Category
			}
		} else if len(v.work.Entries) > 0 && v.work.Entries[0].Level > 0 {
			e.Level = 1
		}
		v.work.Entries = insertAfterSubtree(v.work.Entries, e)
		v.changes++
		v.search.SetText("")
		v.filter()
		v.refreshState()
		for row, i := range v.shown {
			if v.work.Entries[i].Code == e.Code {
				v.table.Select(widget.TableCellID{Row: row, Col: 0})
				v.table.ScrollTo(widget.TableCellID{Row: row, Col: 0})
				break
			}
		}
		v.status.SetText("已添加本地条目 " + e.Code + "（尚未保存）")
		return nil
	})
	v.addDlg.show(560)
	v.env.Window.Canvas().Focus(a.name)
}

// checkLocalEntry applies catalog.Catalog.Validate's rules to a new local entry, with
// messages that name the field.
func (v *catalogScreen) checkLocalEntry(e catalog.Entry) error {
	if len(e.Code) < 2 || !strings.HasPrefix(e.Code, catalog.LocalPrefix) || e.Code[1] < '0' || e.Code[1] > '9' {
		return app.FieldError("代码", "本地代码应以大写字母 %s 加数字开头，如 %s1001", catalog.LocalPrefix, catalog.LocalPrefix)
	}
	if strings.ContainsAny(e.Code, " \t　") {
		return app.FieldError("代码", "不能含空格")
	}
	if _, dup := v.work.Lookup(e.Code); dup {
		return app.FieldError("代码", "“%s”已在本字典中", e.Code)
	}
	if e.Name == "" {
		return app.FieldError("名称", "不能为空")
	}
	if e.Parent != "" {
		if _, ok := v.work.Lookup(e.Parent); !ok {
			return app.FieldError("上级代码", "“%s”不在本字典中", e.Parent)
		}
	}
	trial := v.work
	trial.Entries = append(append([]catalog.Entry(nil), v.work.Entries...), e)
	if err := trial.Validate(); err != nil {
		return app.Errorf(app.EINVALID, "条目不符合字典规则：%v", err)
	}
	return nil
}

// nextLocalCode proposes L1001, L1002 … (the first free one).
func (v *catalogScreen) nextLocalCode() string {
	for n := 1001; ; n++ {
		code := catalog.LocalPrefix + strconv.Itoa(n)
		if _, ok := v.work.Lookup(code); !ok {
			return code
		}
	}
}

// insertAfterSubtree puts e after the last descendant of its parent, keeping the catalog's
// tree order (parents before children); an entry without parent goes at the end.
func insertAfterSubtree(entries []catalog.Entry, e catalog.Entry) []catalog.Entry {
	if e.Parent == "" {
		return append(entries, e)
	}
	in := map[string]bool{e.Parent: true}
	last := -1
	for i, x := range entries {
		if x.Code == e.Parent || in[x.Parent] {
			in[x.Code] = true
			last = i
		}
	}
	if last < 0 {
		return append(entries, e)
	}
	out := make([]catalog.Entry, 0, len(entries)+1)
	out = append(out, entries[:last+1]...)
	out = append(out, e)
	return append(out, entries[last+1:]...)
}

// confirmReset drops the archive's edits of the catalog and installs the bundled version.
func (v *catalogScreen) confirmReset() {
	name := v.name
	adminConfirm(v.env.Window, "恢复出厂版本",
		"删除本机对“"+v.work.Title+"”的全部修改，恢复为程序自带的版本？此操作记入审计日志。", "恢复出厂版本", func() {
			bundled, err := bundledCatalog(name)
			if err != nil {
				showError(v.env.Window, err)
				return
			}
			if err := v.env.Services.Catalog.ResetCatalog(v.env.Ctx, name); err != nil {
				showError(v.env.Window, err)
				return
			}
			if err := v.set.Replace(name, bundled); err != nil {
				showError(v.env.Window, app.Errorf(app.EINTERNAL, "已删除修改，但出厂版本未能立即生效（重新启动后生效）：%v", err))
				return
			}
			v.open(name)
			v.status.SetText("已恢复“" + bundled.Title + "”的出厂版本")
		})
}

// bundledCatalog reads the catalog shipped with the program.
func bundledCatalog(name string) (catalog.Catalog, error) {
	b, err := fs.ReadFile(assets.Catalogs, "catalog/"+name+".json")
	if err != nil {
		return catalog.Catalog{}, app.Errorf(app.ENOTFOUND, "程序自带的字典中没有“%s”", name)
	}
	c, err := catalog.Unmarshal(b)
	if err != nil {
		return catalog.Catalog{}, fmt.Errorf("bundled catalog %s: %w", name, err)
	}
	return c, nil
}

// applyArchiveCatalogs makes the catalog set match the archive: its edited catalogs where it
// has them, the bundled ones elsewhere. A restore calls it, since the restored archive's edits
// may differ from those in force.
func applyArchiveCatalogs(env *Env) error {
	set := env.Services.Catalogs
	if set == nil {
		return nil
	}
	ov, err := env.Services.Catalog.CatalogOverrides(env.Ctx)
	if err != nil {
		return err
	}
	for _, name := range set.Names() {
		c, ok := ov[name]
		if !ok {
			if c, err = bundledCatalog(name); err != nil {
				continue // not a bundled catalog: nothing to return to
			}
		}
		if err := set.Replace(name, c); err != nil {
			return app.Errorf(app.EINTERNAL, "字典“%s”：%v", name, err)
		}
	}
	return nil
}

// exportBytes returns the working copy as a workbook.
func (v *catalogScreen) exportBytes() ([]byte, error) {
	if v.env.Services.Exchange == nil {
		return nil, app.Errorf(app.EINTERNAL, "本程序未接入 .xlsx 转换")
	}
	return v.env.Services.Exchange.ExportCatalog(v.work)
}

func (v *catalogScreen) exportFile() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(v.env.Window, err)
			return
		}
		if wc == nil {
			return // cancelled
		}
		b, err := v.exportBytes()
		if err != nil {
			wc.Close()
			showError(v.env.Window, err)
			return
		}
		_, werr := wc.Write(b)
		if cerr := wc.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			showError(v.env.Window, app.Errorf(app.EINTERNAL, "写入 %s 失败：%v", wc.URI().Path(), werr))
			return
		}
		note := ""
		if v.changes > 0 {
			note = "（含尚未保存的修改）"
		}
		v.status.SetText("已导出到 " + wc.URI().Path() + note)
	}, v.env.Window)
	d.SetFileName(v.name + ".xlsx")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	showFileDialog(d, v.env.Window)
}

func (v *catalogScreen) importFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(v.env.Window, err)
			return
		}
		if rc == nil {
			return
		}
		b, err := io.ReadAll(io.LimitReader(rc, catalogMaxImport+1))
		rc.Close()
		if err != nil {
			showError(v.env.Window, app.Errorf(app.EINTERNAL, "读取 %s 失败：%v", rc.URI().Path(), err))
			return
		}
		if len(b) > catalogMaxImport {
			showError(v.env.Window, app.Errorf(app.EINVALID, "文件太大（超过 %d MB），不像是字典工作簿", catalogMaxImport>>20))
			return
		}
		v.importBytes(b)
	}, v.env.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	showFileDialog(d, v.env.Window)
}

// importBytes reads a workbook, shows how it differs from the catalog in force and saves it
// after the administrator confirms with a reason.
func (v *catalogScreen) importBytes(b []byte) {
	if v.env.Services.Exchange == nil {
		showError(v.env.Window, app.Errorf(app.EINTERNAL, "本程序未接入 .xlsx 转换"))
		return
	}
	c, err := v.env.Services.Exchange.ImportCatalog(v.name, b)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	inForce, _ := v.set.Catalog(v.name)
	d := diffCatalogs(inForce, c)
	if d.total() == 0 {
		v.status.SetText("导入的文件与现行字典相同，没有需要保存的修改")
		return
	}
	summary := fmt.Sprintf("导入文件与现行“%s”相比：新增 %d 条，修改 %d 条，删除 %d 条%s。\n保存后将替换现行字典%s。",
		inForce.Title, d.added, d.changed, d.removed, d.headerNote(), map[bool]string{true: "，本页未保存的修改将被放弃", false: ""}[v.changes > 0])
	if d.removed > 0 {
		summary += fmt.Sprintf("\n注意：被删除的 %d 个代码如已在档案中使用，这些记录将查不到代码的名称；一般只删除误加的本地条目。", d.removed)
	}
	v.askReasonAndSave("导入字典", summary, c)
}

// catalogDiff counts the differences between two versions of a catalog.
type catalogDiff struct {
	added, changed, removed int
	header                  bool // title, version, source or effective period changed
}

func (d catalogDiff) total() int {
	n := d.added + d.changed + d.removed
	if d.header {
		n++
	}
	return n
}

func (d catalogDiff) headerNote() string {
	if d.header {
		return "，字典信息（标题、版本、来源或适用期）有改动"
	}
	return ""
}

func diffCatalogs(old, new catalog.Catalog) catalogDiff {
	var d catalogDiff
	byCode := make(map[string]catalog.Entry, len(old.Entries))
	for _, e := range old.Entries {
		byCode[e.Code] = e
	}
	seen := make(map[string]bool, len(new.Entries))
	for _, e := range new.Entries {
		seen[e.Code] = true
		o, ok := byCode[e.Code]
		switch {
		case !ok:
			d.added++
		case !entryEqual(o, e):
			d.changed++
		}
	}
	for _, e := range old.Entries {
		if !seen[e.Code] {
			d.removed++
		}
	}
	d.header = old.Title != new.Title || old.Version != new.Version || old.Source != new.Source ||
		old.EffectiveFrom != new.EffectiveFrom || old.EffectiveTo != new.EffectiveTo || old.Notes != new.Notes
	return d
}

// entryEqual compares entries, treating nil and empty aliases or extras (and empty extra
// values, which a workbook cannot tell from missing ones) alike.
func entryEqual(a, b catalog.Entry) bool {
	norm := func(e catalog.Entry) catalog.Entry {
		if len(e.Aliases) == 0 {
			e.Aliases = nil
		}
		m := map[string]string{}
		for k, v := range e.Extra {
			if v != "" {
				m[k] = v
			}
		}
		e.Extra = m
		return e
	}
	return reflect.DeepEqual(norm(a), norm(b))
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
