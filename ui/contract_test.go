package ui

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"occhealth/app"
	"occhealth/app/rules"
	"occhealth/assets"
	"occhealth/reports"
	"occhealth/reports/lisdrop"
	"occhealth/store"
	"occhealth/store/bolt"
)

// newIntakeEnv is newTestEnv wired as main wires the archive for intake: the real GBZ 188
// rule table and roster warning thresholds from assets, and the documents of package reports
// (roster reading, guide sheets, labels, rule workbooks).
func newIntakeEnv(t *testing.T) *Env {
	t.Helper()
	newTestApp(t)
	set := testCatalogs(t)
	table, err := rules.Load(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := fs.ReadFile(assets.Rules, "rules/intake_warnings.json")
	if err != nil {
		t.Fatal(err)
	}
	warn, err := app.LoadIntakeWarnings(wb)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "archive.db")
	db, err := bolt.Open(path, bolt.Options{Keys: store.NewMemoryKeyRing(testNow), Codes: set, FastPasswords: true, Now: testClock,
		BackupDir: filepath.Join(t.TempDir(), "backups"), Planner: table, IntakeWarnings: warn, Ranges: (*Env)(nil).Ranges(), Criteria: (*Env)(nil).Criteria(),
		Calendar: testCalendar(t), CardSealer: reports.CardSealer()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	svc := db.Services(set)
	svc.Documents = reports.Documents{}
	svc.PC, svc.Drops = store.PCSettingsFile{}, lisdrop.Folders{}
	ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
	if _, err := svc.Setup.Initialize(ctx, testSetup()); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	u, err := svc.Auth.Login(ctx, testAdmin, testPassword)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	ctx = app.NewContextWithUser(ctx, u)
	inst, err := svc.Institution.Institution(ctx)
	if err != nil {
		t.Fatalf("institution: %v", err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 760))
	return &Env{Services: svc, Window: w, User: u, Institution: inst, Ctx: ctx, ArchivePath: path}
}

// addContract files an open contract for emp with 矽尘 and 噪声, in-service exams.
func addContract(t *testing.T, env *Env, emp *app.Employer, number string) *app.Contract {
	t.Helper()
	c := &app.Contract{Number: number, EmployerID: emp.ID, Title: "2026 年在岗体检", Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Place: app.PlaceInHouse, Hazards: []string{"1038", "3008"}, ExamTypes: []string{"02"}}
	if err := env.Services.Contracts.CreateContract(env.Ctx, c); err != nil {
		t.Fatalf("create contract: %v", err)
	}
	return c
}

// pick types q into a picker and takes the first match with Enter.
func pick(t *testing.T, p *picker, q string) {
	t.Helper()
	typeInto(p.entry, q)
	if len(p.items) == 0 {
		t.Fatalf("picker: no match for %q", q)
	}
	enter(p.entry)
}

func TestContract_CreateByTyping(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	pkg := &app.ExamPackage{Name: "粉尘套餐", Active: true, Groups: []app.PackageGroup{{GroupCode: "G0101", PriceFen: 3000}}}
	if err := env.Services.Packages.CreatePackage(env.Ctx, pkg); err != nil {
		t.Fatal(err)
	}
	v := newContractScreen(env)
	show(env, v.content())
	f := v.form

	if f.number.Text != "2026-001" {
		t.Errorf("suggested number %q", f.number.Text)
	}
	f.number.SetText("")
	typeInto(f.number, "2026-018")
	pick(t, f.employer, "闽清示例")
	typeInto(f.name, "2026 年在岗期间职业健康检查")
	f.start.SetText("")
	typeInto(f.start, "2026/11/2")
	env.Window.Canvas().Focus(f.start)
	enter(f.start) // a date is typed without an input method: Enter moves on like Tab
	if env.Window.Canvas().Focused() != f.end {
		t.Errorf("Enter in 开始日期 focused %T %q", env.Window.Canvas().Focused(), env.Window.Canvas().Focused().(*widget.Entry).PlaceHolder)
	}
	f.place.SetSelected(placeOut)
	typeInto(f.address, "闽清县梅城镇工业路 8 号")
	pick(t, f.hazards.pick, "矽尘")
	pick(t, f.hazards.pick, "噪声")
	f.types.SetSelected([]string{examTypeLabel(app.ExamPeriodic)})

	test.Tap(f.packages.add)
	row := f.packages.rows[0]
	row.pkg.SetSelected(row.pkg.Options[0])
	if row.price.Text != "30.00" {
		t.Errorf("package price default %q, want 30.00", row.price.Text)
	}
	row.price.SetText("")
	typeInto(row.price, "28.5")

	test.Tap(f.monitoring.add)
	m := f.monitoring.rows[0]
	pick(t, m.hazard, "矽尘")
	typeInto(m.workshop, "破碎车间")
	typeInto(m.date, "2026-10-12")
	typeInto(m.result, "0.85")
	typeInto(m.unit, "mg/m³")
	m.ctype.SetSelected("01 CTWA")
	typeInto(m.grade, "Ⅰ级")

	f.save()
	if !markupHas(env.Window, "已保存。") {
		t.Fatalf("not saved: %q %q", f.status.Text, f.msgs[""].Text)
	}
	cs, total, err := env.Services.Contracts.FindContracts(env.Ctx, app.ContractFilter{})
	if err != nil || total != 1 {
		t.Fatalf("contracts: %d, %v", total, err)
	}
	c := cs[0]
	if c.Number != "2026-018" || c.EmployerID != emp.ID || c.Place != app.PlaceOnSite || !strings.Contains(c.PlaceNote, "工业路") ||
		strings.Join(c.Hazards, ",") != "1038,3008" || strings.Join(c.ExamTypes, ",") != "02" || formatDate(c.Start) != "2026-11-02" {
		t.Errorf("saved contract: %+v", c)
	}
	if len(c.Packages) != 1 || c.Packages[0].PriceFen != 2850 || c.Packages[0].PackageID != pkg.ID {
		t.Errorf("packages: %+v", c.Packages)
	}
	if len(c.Monitoring) != 1 || c.Monitoring[0].ConcentrationType != "01" || c.Monitoring[0].Value != "0.85" || c.Monitoring[0].HazardCode != "1038" {
		t.Errorf("monitoring: %+v", c.Monitoring)
	}
	if !markupHas(env.Window, "2026-018　进行中　登记 0 人（待检 0）") || !markupHas(env.Window, "2026-11-02　外出") {
		t.Error("the list does not show the new contract with its counts")
	}

	// An attachment is stored and listed.
	f.addAttachment("检测报告.pdf", []byte("%PDF-1.4 test"))
	if !markupHas(env.Window, "检测报告.pdf　检测报告") {
		t.Error("attachment not listed")
	}

	// A stale version: the typed values stay and the conflict is explained.
	other := *c
	other.Title = "别处修改"
	got, _ := env.Services.Contracts.FindContractByID(env.Ctx, c.ID)
	other.Version = got.Version
	if err := env.Services.Contracts.UpdateContract(env.Ctx, &other); err != nil {
		t.Fatal(err)
	}
	f.name.SetText("")
	typeInto(f.name, "我改的名称")
	f.save()
	if !strings.Contains(dialogText(env.Window), "仍保留在表单中") || f.name.Text != "我改的名称" {
		t.Errorf("conflict: dialog %q, name %q", dialogText(env.Window), f.name.Text)
	}
	closeDialogs(env.Window)
}

func TestRoster_ClosedContract(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	c := addContract(t, env, emp, "2026-050")
	c.State = app.ContractClosed
	if err := env.Services.Contracts.UpdateContract(env.Ctx, c); err != nil {
		t.Fatal(err)
	}
	v := newContractScreen(env)
	show(env, v.content())
	v.open(c.ID)
	r := v.roster
	if !strings.Contains(r.fileLbl.Text, "已结束") {
		t.Errorf("closed contract not explained: %q", r.fileLbl.Text)
	}
	r.load("名单.xlsx", rosterXLSX(t, [][]string{{"张三", idNumber("35012419800101001"), "男", "破碎车间", "破碎工", "矽尘", "在岗"}}))
	r.settle()
	if r.preview == nil || r.preview.Rejected != 0 || !r.importBtn.Disabled() {
		t.Errorf("closed contract: preview %v, import disabled %v", r.preview != nil, r.importBtn.Disabled())
	}
}

func TestContract_HazardOutsideFiledCategories(t *testing.T) {
	env := newIntakeEnv(t)
	addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	v := newContractScreen(env)
	show(env, v.content())
	f := v.form
	f.number.SetText("")
	typeInto(f.number, "2026-019")
	pick(t, f.employer, "闽清示例")
	pick(t, f.hazards.pick, "4003") // 炭疽杆菌: 生物因素, not filed by the test institution
	f.types.SetSelected([]string{examTypeLabel(app.ExamPeriodic)})
	f.save()
	if !strings.Contains(dialogText(env.Window), "生物因素") {
		t.Errorf("dialog %q does not name the unfiled category", dialogText(env.Window))
	}
	if f.number.Text != "2026-019" {
		t.Error("typed values lost")
	}
}

// rosterXLSX builds a roster workbook with a title row, as units send them.
func rosterXLSX(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetCellStr("Sheet1", "A1", "闽清示例水泥有限公司 2026 年职业健康检查名单")
	header := []any{"序号", "姓名", "身份证号码", "性别", "车间", "工种", "接触危害因素", "体检类型"}
	if err := f.SetSheetRow("Sheet1", "A2", &header); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		vals := []any{i + 1}
		for _, s := range r {
			vals = append(vals, s)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoster_PreviewRejectsThenImports(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	c := addContract(t, env, emp, "2026-020")
	v := newContractScreen(env)
	show(env, v.content())
	v.open(c.ID)
	v.tabs.Select(v.rosterTab)

	good := []string{"张三", idNumber("35012419800101001"), "男", "破碎车间", "破碎工", "矽尘、噪声", "在岗期间"}
	bad := []string{"李四", "350124198001010099", "男", "包装车间", "包装工", "噪声", "在岗"}
	warn := []string{"王芳", idNumber("35012419900202002"), "男", "化验室", "化验员", "苯", "在岗"}
	r := v.roster
	r.load("名单.xlsx", rosterXLSX(t, [][]string{good, bad, warn}))
	r.settle()
	if r.preview == nil {
		t.Fatal("no preview")
	}
	if !strings.Contains(r.counts.Text, "通过 1，有提示 1，拒绝 1，已在档案 0") {
		t.Errorf("counts %q", r.counts.Text)
	}
	if !r.importBtn.Disabled() {
		t.Error("导入 enabled with a rejected row")
	}
	if r.filter.Selected != rosterRejected || len(r.shown) != 1 {
		t.Errorf("filter %q shows %d rows", r.filter.Selected, len(r.shown))
	}
	if ids, _ := env.Services.Workers.SearchWorkers(env.Ctx, app.WorkerSearch{Query: "张三"}); len(ids) != 0 {
		t.Fatal("a preview wrote workers")
	}
	if w := env.Window.Content().MinSize().Width; w > 1024*0.85 {
		t.Errorf("the preview widens the screen to %.0f", w)
	}
	assertMarkup(t, "roster_preview_errors.xml", env.Window)
	r.filter.SetSelected(rosterAll)
	if len(r.shown) != 3 {
		t.Errorf("全部 shows %d rows", len(r.shown))
	}
	out, err := r.outcomeBytes()
	if err != nil || len(out) < 100 {
		t.Fatalf("outcome: %d bytes, %v", len(out), err)
	}

	// Fixed file: the bad row gets a valid number.
	bad[1] = idNumber("35012419800101009")
	r.load("名单.xlsx", rosterXLSX(t, [][]string{good, bad, warn}))
	r.settle()
	if r.preview.Rejected != 0 || r.importBtn.Disabled() {
		t.Fatalf("fixed roster: %s, import disabled %v", r.counts.Text, r.importBtn.Disabled())
	}
	r.register.SetChecked(true)
	if r.examType.Selected != examTypeLabel(app.ExamPeriodic) || r.date.Text != "2026-11-30" {
		t.Errorf("options default to %q %q", r.examType.Selected, r.date.Text)
	}
	test.Tap(r.importBtn)
	r.settle()
	if !strings.Contains(r.result.Text, "新建档案 3 人") || !strings.Contains(r.result.Text, "登记体检 3 人次") {
		t.Fatalf("result %q", r.result.Text)
	}
	if _, n, _ := env.Services.Exams.FindExams(env.Ctx, app.ExamFilter{ContractID: c.ID}); n != 3 {
		t.Errorf("%d exams registered", n)
	}
	if v.exams.total != 3 || !strings.Contains(v.exams.count.Text, "3 人次") {
		t.Errorf("registered tab: %q", v.exams.count.Text)
	}
}

func TestContractExams_CancelVoidAndBatch(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	c := addContract(t, env, emp, "2026-021")
	var ids []int64
	for i, body := range []string{"35012419800101001", "35012419800101002"} {
		w := &app.Worker{Name: []string{"张三", "赵六"}[i], DocType: app.DocResidentID, IDNumber: idNumber(body)}
		if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
			t.Fatal(err)
		}
		e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, ContractID: c.ID,
			Type: app.ExamPeriodic, Hazards: []string{"1038"}, Date: testNow})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	clerk := envAs(t, env, app.RoleRegistrar)
	v := newContractScreen(clerk)
	show(clerk, v.content())
	v.open(c.ID)
	v.tabs.Select(v.examsTab)
	x := v.exams
	if x.total != 2 || !x.voidBtn.Hidden {
		t.Fatalf("exams %d; void hidden for a registrar: %v", x.total, x.voidBtn.Hidden)
	}
	// The search box finds a person of the round by pinyin initials or by exam number.
	typeInto(x.search, "zs")
	if len(x.found) != 1 || x.found[0].ID != ids[0] || !strings.Contains(x.count.Text, "找到 1 人次") {
		t.Errorf("search zs: %v %q", x.found, x.count.Text)
	}
	first, _ := env.Services.Exams.FindExamByID(env.Ctx, ids[0])
	x.search.SetText(first.Number)
	if len(x.found) != 1 || x.found[0].ID != ids[0] {
		t.Errorf("search by number: %v", x.found)
	}
	x.search.SetText("")
	if x.found != nil || x.list.Length() != 2 {
		t.Error("clearing the search does not show the whole round")
	}
	x.list.Select(0) // newest first: 赵六
	if !strings.Contains(x.sel.Text, "赵六") {
		t.Fatalf("selected %q", x.sel.Text)
	}
	test.Tap(x.cancelBtn)
	adminTapButton(t, clerk.Window, "取消登记") // without a reason: refused in the dialog
	if !adminDialogHas(clerk.Window, "请填写原因") {
		t.Error("empty reason accepted")
	}
	typeInto(x.reason, "单位通知此人已离职")
	adminTapButton(t, clerk.Window, "取消登记")
	e, _ := env.Services.Exams.FindExamByID(env.Ctx, ids[1])
	if e.State != app.ExamCancelled || e.StateNote != "单位通知此人已离职" {
		t.Errorf("exam state %s %q", e.State, e.StateNote)
	}
	if !strings.Contains(x.status.Text, "已取消") {
		t.Errorf("status %q", x.status.Text)
	}
	// A cancelled exam cannot be cancelled again.
	x.list.Select(0)
	if !x.cancelBtn.Disabled() {
		t.Error("取消登记 enabled on a cancelled exam")
	}

	// The batch guide sheet prints the one exam still to be done, in one PDF.
	var pdf []byte
	x.pdfHook = func(b []byte) { pdf = b }
	test.Tap(x.batchGuide)
	x.job.wait()
	if !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("batch guide sheets: %.20q", pdf)
	}
	pdf = nil
	test.Tap(x.batchTube)
	x.job.wait()
	if !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("batch labels: %.20q", pdf)
	}

	// The administrator voids with a reason.
	va := newContractScreen(env)
	show(env, va.content())
	va.open(c.ID)
	va.exams.list.Select(1) // 张三
	test.Tap(va.exams.voidBtn)
	typeInto(va.exams.reason, "重复登记")
	adminTapButton(t, env.Window, "作废")
	if e, _ := env.Services.Exams.FindExamByID(env.Ctx, ids[0]); e.State != app.ExamVoided {
		t.Errorf("void: %s", e.State)
	}
}
