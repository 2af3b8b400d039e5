package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"occhealth/app"
)

// resultXLSX builds a 血常规 export of the laboratory's LIS: a title, then 条码号, 姓名, WBC,
// HGB and an instrument column "A05" that no header guess knows (the analyser's PLT channel).
func resultXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetCellStr("Sheet1", "A1", "检验科 血常规 2026-11-30")
	header := []any{"条码号", "姓名", "WBC(10^9/L)", "HGB(g/L)", "A05"}
	if err := f.SetSheetRow("Sheet1", "A2", &header); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// secondExam registers an individual exam of a second worker of emp (a woman).
func secondExam(t *testing.T, env *Env, emp *app.Employer) *app.Exam {
	t.Helper()
	w := &app.Worker{Name: "林秀英", DocType: app.DocResidentID, IDNumber: idNumber("35012219820611002"), Phone: "13905910002",
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "包装车间", JobName: "包装工", Start: testNow.AddDate(-5, 0, 0)}},
		Exposures:   []app.Exposure{{HazardCode: "1038", Start: testNow.AddDate(-5, 0, 0)}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatalf("create worker: %v", err)
	}
	e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID,
		Type: app.ExamPeriodic, Hazards: []string{"1038"}, Date: testNow, Workshop: "包装车间", JobName: "包装工"})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return e
}

// resultShot writes the window as PNG into $OCCHEALTH_SHOTS, to look at.
func resultShot(t *testing.T, env *Env, name string) {
	t.Helper()
	dir := os.Getenv("OCCHEALTH_SHOTS")
	if dir == "" {
		return
	}
	relayout(env.Window)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, env.Window.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

func (v *resultImportView) row(header string) *mappingRow {
	for _, r := range v.rows {
		if r.header == header {
			return r
		}
	}
	return nil
}

func TestResultImport_MapPreviewFixCommit(t *testing.T) {
	env := newIntakeEnv(t)
	e1, _, emp := recordingExam(t, env)
	e2 := secondExam(t, env, emp)
	doc := staffAs(t, env, "tijian", "赵医生", app.RoleExamDoctor)
	v := newResultImportView(doc)
	show(doc, v.content())
	if !v.previewBtn.Disabled() || !v.importBtn.Disabled() {
		t.Fatal("preview or import enabled before a file is chosen")
	}

	// The second row's WBC was typed by hand in the LIS as "5..8".
	typeInto(v.source, "检验科LIS")
	v.load("血常规.xlsx", resultXLSX(t, [][]any{
		{e1.Number, "王建国", 5.6, 135, 210},
		{e2.Number, "林秀英", "5..8", 118, 190},
	}))
	v.settle()
	if !strings.Contains(v.mapInfo.Text, "自动识别") {
		t.Errorf("mapping info %q", v.mapInfo.Text)
	}
	for h, want := range map[string]string{"条码号": useExamNumber, "姓名": useIgnore, "WBC(10^9/L)": useItem, "HGB(g/L)": useItem, "A05": useIgnore} {
		if r := v.row(h); r == nil || r.use.Selected != want {
			t.Fatalf("column %s: %+v, want %s", h, r, want)
		}
	}
	if it, _ := v.row("WBC(10^9/L)").item.Selected(); it.Key != "4010100" {
		t.Errorf("WBC guessed as %q", it.Key)
	}
	// The guess was complete: the preview ran at once, and refuses the bad row.
	if v.preview == nil || v.preview.Rejected != 1 || v.preview.Accepted+v.preview.Warned != 1 {
		t.Fatalf("preview %+v (%s)", v.preview, v.result.Text)
	}
	if !v.importBtn.Disabled() || !strings.Contains(v.counts.Text, "拒绝 1") || v.filter.Selected != rosterRejected {
		t.Fatalf("counts %q import disabled %v filter %q", v.counts.Text, v.importBtn.Disabled(), v.filter.Selected)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !strings.Contains(v.detail.Text, "第 4 行（拒绝）") || !strings.Contains(v.detail.Text, "WBC(10^9/L)") {
		t.Errorf("detail %q", v.detail.Text)
	}
	resultShot(t, doc, "result-import-rejected.png")

	// Map the analyser's A05 channel to 血小板计数 by pinyin initials, and save the mapping.
	a05 := v.row("A05")
	a05.use.SetSelected(useItem)
	if !a05.item.entry.Visible() {
		t.Fatal("item picker hidden for an item column")
	}
	pick(t, a05.item, "xxbjs")
	if it, ok := a05.item.Selected(); !ok || it.Key != "4012600" {
		t.Fatalf("A05 picked %+v", it)
	}
	if v.preview != nil || !v.importBtn.Disabled() {
		t.Fatal("a preview of the old mapping survived a mapping change")
	}
	test.Tap(v.saveMapBtn)
	if !strings.Contains(v.result.Text, "已保存") {
		t.Fatalf("save mapping: %q", v.result.Text)
	}
	ms, err := doc.Services.Records.ResultMappings(doc.Ctx)
	if err != nil || len(ms) != 1 || ms[0].Source != "检验科LIS" || len(ms[0].Columns) != 5 || ms[0].Columns[4].ItemCode != "4012600" {
		t.Fatalf("saved mappings %+v %v", ms, err)
	}

	// The laboratory corrects the value and exports again: the saved mapping applies.
	v.load("血常规-更正.xlsx", resultXLSX(t, [][]any{
		{e1.Number, "王建国", 5.6, 135, 210},
		{e2.Number, "林秀英", 5.8, 118, 190},
	}))
	v.settle()
	if !strings.Contains(v.mapInfo.Text, "已保存的列对应“检验科LIS”") {
		t.Errorf("mapping info %q", v.mapInfo.Text)
	}
	if v.preview == nil || v.preview.Rejected != 0 || len(v.preview.Rows) != 2 || v.importBtn.Disabled() {
		t.Fatalf("corrected preview %+v import disabled %v (%s)", v.preview, v.importBtn.Disabled(), v.result.Text)
	}
	resultShot(t, doc, "result-import-preview.png")
	test.Tap(v.importBtn)
	v.settle()
	if !strings.Contains(v.result.Text, "已导入“血常规-更正.xlsx”：2 行，共 6 项结果") {
		t.Fatalf("outcome %q", v.result.Text)
	}
	if !v.importBtn.Disabled() {
		t.Error("import still enabled after commit")
	}
	got, err := doc.Services.Exams.FindExamByID(doc.Ctx, e2.ID)
	if err != nil {
		t.Fatal(err)
	}
	var wbc, plt string
	for _, r := range got.Record.Results {
		switch r.ItemCode {
		case "4010100":
			wbc = r.Value
		case "4012600":
			plt = r.Value
		}
	}
	if wbc != "5.8" || plt != "190" {
		t.Errorf("exam 2 results WBC %q PLT %q (%+v)", wbc, plt, got.Record)
	}
}

func TestResultImport_RegistrarCannotSee(t *testing.T) {
	env := newIntakeEnv(t)
	clerk := staffAs(t, env, "dengji", "钱登记", app.RoleRegistrar)
	if _, ok := app.ScopeOf(clerk.User, "RecordService.PreviewResultImport"); ok {
		t.Fatal("a registrar may preview result imports")
	}
	admin := staffAs(t, env, "guanli", "孙管理", app.RoleAdmin)
	v := newResultImportView(admin)
	show(admin, v.content())
	v.load("血常规.xlsx", resultXLSX(t, [][]any{{"126000001", "王建国", 5.6, 135, 210}}))
	v.settle()
	if v.preview == nil || !v.importBtn.Disabled() {
		t.Errorf("admin: preview %v, import disabled %v (admins preview and map, doctors import)", v.preview != nil, v.importBtn.Disabled())
	}
}

func TestResultImport_SavedMappingMeetsChangedHeaders(t *testing.T) {
	env := newIntakeEnv(t)
	v := newResultImportView(env)
	show(env, v.content())
	saved := app.ResultMapping{Source: "检验科LIS", Columns: []app.ResultImportColumn{
		{Header: "条码号", Key: app.ImportKeyExamNumber},
		{Header: "WBC", Key: app.ImportKeyItem, ItemCode: "4010100"},
		{Header: "PLT", Key: app.ImportKeyItem, ItemCode: "4012600"},
		{Header: "姓名", Key: app.ImportKeyIgnore},
	}}
	// After a LIS upgrade: PLT is now "PLT#", and the name column is gone.
	v.showMapping([]string{"条码号", "ｗｂｃ", "PLT#"}, saved, true)
	if !strings.Contains(v.mapInfo.Text, "新列（暂不导入）：PLT#") || !strings.Contains(v.mapInfo.Text, "在本文件中没有：PLT。") {
		t.Errorf("mapping info %q", v.mapInfo.Text)
	}
	if r := v.row("ｗｂｃ"); r == nil || r.use.Selected != useItem {
		t.Fatalf("full-width header not matched to the saved WBC column: %+v", r)
	}
	if v.row("PLT#").use.Selected != useIgnore || v.mappingComplete() != true {
		t.Error("new column not ignored, or mapping incomplete")
	}
	m, err := v.mapping()
	if err != nil || len(m.Columns) != 3 || m.Columns[1].Header != "ｗｂｃ" || m.Columns[1].ItemCode != "4010100" {
		t.Errorf("mapping %+v %v", m, err)
	}
	// An item column without a picked item is named when saving or previewing.
	v.row("PLT#").use.SetSelected(useItem)
	if _, err := v.mapping(); err == nil || !strings.Contains(app.ErrorMessage(err), "列“PLT#”：请选择对应的检查项目") {
		t.Errorf("mapping with an unpicked item: %v", err)
	}
}
