package ui

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"occhealth/app"
	"occhealth/app/catalog"
)

// chooseCatalog selects the catalog called name in the screen's select.
func chooseCatalog(t *testing.T, v *catalogScreen, name string) {
	t.Helper()
	opt := v.optionOf(name)
	if opt == "" {
		t.Fatalf("no option for catalog %s", name)
	}
	v.choose.SetSelected(opt)
	if v.name != name {
		t.Fatalf("chose %s, screen shows %s", name, v.name)
	}
}

// selectRow selects the shown row whose code is code.
func selectRow(t *testing.T, v *catalogScreen, code string) {
	t.Helper()
	for row, i := range v.shown {
		if v.work.Entries[i].Code == code {
			v.table.Select(widget.TableCellID{Row: row, Col: 1})
			return
		}
	}
	t.Fatalf("code %s not shown", code)
}

func TestAdminCatalogs_EditSaveReset(t *testing.T) {
	env := newAdminEnv(t)
	w := env.Window
	v := newCatalogScreen(env)
	show(env, v.content())
	if v.name != catalog.Hazards || len(v.shown) != 602 {
		t.Fatalf("opens on %s with %d rows", v.name, len(v.shown))
	}

	// gbz188_sections has unverified rows: counted, shown as 待核实 in the table.
	chooseCatalog(t, v, catalog.GBZ188Sections)
	if !strings.Contains(v.count.Text, "待核实 17 条") {
		t.Errorf("count = %q", v.count.Text)
	}
	if !markupHas(w, "待核实") {
		t.Error("no 待核实 in the table")
	}
	test := func(q string, want int) {
		t.Helper()
		v.search.SetText("")
		typeInto(v.search, q)
		if len(v.shown) != want {
			t.Errorf("search %q: %d rows, want %d", q, len(v.shown), want)
		}
	}
	test("电焊", 1)
	test("1006", 1)
	v.search.SetText("")
	v.onlyU.SetChecked(true)
	if len(v.shown) != 17 {
		t.Errorf("only 待核实: %d rows", len(v.shown))
	}
	v.onlyU.SetChecked(false)

	// Edit 1006: name and status, then save with a reason.
	selectRow(t, v, "1006")
	if v.edName.Text != "电焊烟尘" || v.edStatus.Selected != "待核实（U）" || !strings.Contains(v.edInfo.Text, "待核实") {
		t.Fatalf("editor shows %q %q %q", v.edName.Text, v.edStatus.Selected, v.edInfo.Text)
	}
	v.edName.SetText("")
	typeInto(v.edName, "电焊烟尘（核实）")
	typeInto(v.edAliases, "焊接烟尘、「焊烟、电焊烟」")
	v.edStatus.SetSelected("已核实（V）")
	// The GBZ 188 mapping is a field of the entry: its 2014 status is edited here too.
	j := -1
	for k, key := range v.edExtraKeys {
		if key == "status_2014" {
			j = k
		}
	}
	if j < 0 || v.edExtra[j].Text != "U" || !markupHas(w, "GBZ 188-2014 章节") {
		t.Fatalf("mapping fields in the editor: %v", v.edExtraKeys)
	}
	v.edExtra[j].SetText("")
	typeInto(v.edExtra[j], "V")
	adminTapButton(t, w, "修改此条目")
	if v.changes != 1 || !strings.Contains(v.count.Text, "未保存的修改 1 处") || !strings.Contains(v.count.Text, "待核实 16 条") {
		t.Fatalf("after edit: changes %d, count %q", v.changes, v.count.Text)
	}
	if e, _ := env.Services.Catalogs.Lookup(catalog.GBZ188Sections, "1006"); e.Name != "电焊烟尘" {
		t.Fatal("an unsaved edit reached the catalog set")
	}
	adminTapButton(t, w, "保存字典…")
	adminTapButton(t, w, "保存")
	if !strings.Contains(v.saveDlg.msg.Text, "请填写修改原因") {
		t.Fatalf("save without reason: %q", v.saveDlg.msg.Text)
	}
	typeInto(v.saveReason, "据 GBZ 188-2014 原文核实")
	adminTapButton(t, w, "保存")
	if !strings.HasPrefix(v.status.Text, "已保存字典") {
		t.Fatalf("save: status %q, message %q", v.status.Text, v.saveDlg.msg.Text)
	}
	e, _ := env.Services.Catalogs.Lookup(catalog.GBZ188Sections, "1006")
	if e.Name != "电焊烟尘（核实）" || e.Status != catalog.StatusVerified || strings.Join(e.Aliases, "|") != "焊接烟尘|焊烟、电焊烟" {
		t.Errorf("saved entry = %+v", e)
	}
	if e.Extra["section_2014"] != "6.4" || e.Extra["status_2014"] != "V" {
		t.Errorf("saving dropped the entry's other fields: %+v", e.Extra)
	}
	ov, err := env.Services.Catalog.CatalogOverrides(env.Ctx)
	if err != nil || ov[catalog.GBZ188Sections].Name == "" {
		t.Fatalf("override not stored: %v", err)
	}
	if !v.overridden || v.resetBtn.Disabled() || v.changes != 0 {
		t.Errorf("after save: overridden %v, reset disabled %v, changes %d", v.overridden, v.resetBtn.Disabled(), v.changes)
	}
	entries, _, err := env.Services.Audit.FindAudit(env.Ctx, app.AuditFilter{Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].Action != "CatalogService.SaveCatalog" || entries[0].Note != "据 GBZ 188-2014 原文核实" {
		t.Errorf("audit of the save: %+v %v", entries, err)
	}

	// Add a local entry: a national-looking code is refused, an L-code accepted.
	chooseCatalog(t, v, catalog.Diseases2024)
	adminTapButton(t, w, "添加本地条目")
	a := &v.addFields
	a.code.SetText("")
	typeInto(a.code, "1999")
	typeInto(a.name, "某县地方性职业病（试）")
	typeInto(a.parent, "1")
	adminTapButton(t, w, "添加")
	if !strings.Contains(v.addDlg.msg.Text, "本地代码应以大写字母 L 加数字开头") {
		t.Fatalf("national code accepted as local: %q", v.addDlg.msg.Text)
	}
	a.code.SetText("")
	typeInto(a.code, "L1901")
	adminTapButton(t, w, "添加")
	if v.changes != 1 || !strings.Contains(v.status.Text, "L1901") {
		t.Fatalf("add: changes %d status %q msg %q", v.changes, v.status.Text, v.addDlg.msg.Text)
	}
	adminTapButton(t, w, "保存字典…")
	typeInto(v.saveReason, "本省增补")
	adminTapButton(t, w, "保存")
	added, ok := env.Services.Catalogs.Lookup(catalog.Diseases2024, "L1901")
	if !ok || !added.Local || added.Level != 2 || added.Category != "职业性尘肺病及其他呼吸系统疾病" {
		t.Fatalf("added entry = %+v %v (status %q)", added, ok, v.status.Text)
	}

	// A local entry can be deleted again; a national one offers no such button.
	selectRow(t, v, "1101")
	if v.edDelete.Visible() {
		t.Error("delete offered for a national code")
	}
	selectRow(t, v, "L1901")
	adminTapButton(t, w, "删除此本地条目")
	adminTapButton(t, w, "删除")
	if _, ok := v.work.Lookup("L1901"); ok || v.changes != 1 {
		t.Fatalf("after delete: changes %d, status %q", v.changes, v.status.Text)
	}
	adminTapButton(t, w, "保存字典…")
	typeInto(v.saveReason, "误加，删除")
	adminTapButton(t, w, "保存")
	if _, ok := env.Services.Catalogs.Lookup(catalog.Diseases2024, "L1901"); ok {
		t.Error("the deleted local entry is still in force")
	}

	// Reset gbz188_sections to the bundled version.
	chooseCatalog(t, v, catalog.GBZ188Sections)
	adminTapButton(t, w, "恢复出厂版本")
	adminTapButton(t, w, "恢复出厂版本") // the confirmation's button, on top
	if e, _ := env.Services.Catalogs.Lookup(catalog.GBZ188Sections, "1006"); e.Name != "电焊烟尘" || e.Status != catalog.StatusUnverified {
		t.Errorf("after reset: %+v (status %q)", e, v.status.Text)
	}
	if !v.resetBtn.Disabled() {
		t.Error("reset still offered for a bundled catalog")
	}
}

func TestAdminCatalogs_ExportImport(t *testing.T) {
	env := newAdminEnv(t)
	w := env.Window
	v := newCatalogScreen(env)
	show(env, v.content())
	chooseCatalog(t, v, catalog.ExamTypes)
	if v.exportBtn.Disabled() || v.importBtn.Disabled() {
		t.Fatal("export/import disabled although the exchange is wired")
	}
	// The buttons open the file dialogs (the tests then call what the dialogs call back).
	for _, btn := range []string{"导出 .xlsx", "导入 .xlsx"} {
		adminTapButton(t, w, btn)
		if w.Canvas().Overlays().Top() == nil {
			t.Errorf("%s opened no dialog", btn)
		}
		closeDialogs(w)
	}
	b, err := v.exportBytes()
	if err != nil {
		t.Fatal(err)
	}
	edited := editWorkbook(t, b, func(f *excelize.File) {
		rows, _ := f.GetRows("条目")
		if len(rows) < 3 {
			t.Fatalf("exported rows = %v", rows)
		}
		_ = f.SetCellStr("条目", "B2", rows[1][1]+"（本地说明）")
		_ = f.SetSheetRow("条目", "A"+strconv.Itoa(len(rows)+1), &[]any{"L9", "本地体检类型", "", "", "", "", "是", "U"})
	})
	v.importBytes(edited)
	if !adminDialogHas(w, "新增 1 条，修改 1 条，删除 0 条") {
		t.Fatalf("import diff dialog = %q", dialogText(w))
	}
	typeInto(v.saveReason, "按本院用法补充")
	adminTapButton(t, w, "保存")
	if e, ok := env.Services.Catalogs.Lookup(catalog.ExamTypes, "L9"); !ok || !e.Unverified() {
		t.Fatalf("imported entry = %+v %v (status %q)", e, ok, v.status.Text)
	}
	if !markupHas(w, "待核实") {
		t.Error("the imported U entry is not shown as 待核实")
	}

	// A workbook without a row: the deletion is counted and warned about; 取消 saves nothing.
	now, err := v.exportBytes()
	if err != nil {
		t.Fatal(err)
	}
	fewer := editWorkbook(t, now, func(f *excelize.File) { _ = f.RemoveRow("条目", 3) })
	v.importBytes(fewer)
	if !adminDialogHas(w, "新增 0 条，修改 0 条，删除 1 条") || !adminDialogHas(w, "被删除的 1 个代码如已在档案中使用") {
		t.Errorf("deletion dialog = %q", dialogText(w))
	}
	adminTapButton(t, w, "取消")
	if c, _ := env.Services.Catalogs.Catalog(catalog.ExamTypes); len(c.Entries) != 6 {
		t.Errorf("cancelled import changed the catalog: %d entries", len(c.Entries))
	}

	// A workbook with a bad cell: the error names the row and the column.
	bad := editWorkbook(t, b, func(f *excelize.File) { _ = f.SetCellStr("条目", "C3", "99") })
	v.importBytes(bad)
	if !adminDialogHas(w, "第 3 行 C 列") {
		t.Errorf("bad workbook dialog = %q", dialogText(w))
	}
	closeDialogs(w)
	// Another catalog's workbook is refused.
	chooseCatalog(t, v, catalog.Sex)
	v.importBytes(b)
	if !adminDialogHas(w, "不是当前选中的字典") {
		t.Errorf("wrong catalog dialog = %q", dialogText(w))
	}
}

func editWorkbook(t *testing.T, b []byte, fn func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	fn(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
