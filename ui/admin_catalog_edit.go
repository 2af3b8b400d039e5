package ui

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
)

// clearEditor empties the entry editor until a row is chosen.
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
	v.edDelete.Hide()
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
	// Only a local entry may go, and only without entries under it: national codes stay,
	// since archived records use them.
	if e.Local && len(v.work.Children(e.Code)) == 0 {
		v.edDelete.Show()
	} else {
		v.edDelete.Hide()
	}
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

// deleteLocal removes the selected local entry from the working copy, after a confirmation.
func (v *catalogScreen) deleteLocal() {
	if v.selected < 0 {
		return
	}
	e := v.work.Entries[v.selected]
	if !e.Local || len(v.work.Children(e.Code)) > 0 {
		return
	}
	adminConfirm(v.env.Window, "删除本地条目",
		"从本页删除本地条目 "+e.Code+" "+e.Name+"？\n如已有记录使用这个代码，这些记录将查不到它的名称。保存字典后才生效。", "删除", func() {
			i := v.selected
			if i < 0 || i >= len(v.work.Entries) || v.work.Entries[i].Code != e.Code {
				return
			}
			v.work.Entries = append(v.work.Entries[:i:i], v.work.Entries[i+1:]...)
			v.changes++
			v.selected = -1
			v.clearEditor()
			v.filter()
			v.refreshState()
			v.status.SetText("已删除本地条目 " + e.Code + "（尚未保存）")
		})
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
