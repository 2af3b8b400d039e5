package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
)

// resultsArchive initialises an archive with an exam doctor (password in the returned file)
// and one registered exam, and returns the archive path, the password file and the exam
// number.
func resultsArchive(t *testing.T) (string, string, string) {
	t.Helper()
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	dir := t.TempDir()
	db := filepath.Join(dir, "archive.db")
	pw := filepath.Join(dir, "pw.txt")
	if err := os.WriteFile(pw, []byte("tijian2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc := run([]string{"init", "--db", db, "--institution", "闽清县职业病防治院", "--code", "350124001", "--area", "350124",
		"--admin", "admin", "--password-file", pw}); rc != exitOK {
		t.Fatalf("init: exit %d", rc)
	}
	a, err := openArchive(db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
	u, err := a.svc.Auth.Login(ctx, "admin", "tijian2026")
	if err != nil {
		t.Fatal(err)
	}
	ctx = app.NewContextWithUser(ctx, u)
	if err := a.svc.Users.CreateUser(ctx, &app.User{Username: "tijian", Name: "赵医生", Roles: []app.Role{app.RoleExamDoctor, app.RoleRegistrar}}, "tijian2026"); err != nil {
		t.Fatal(err)
	}
	emp := &app.Employer{Name: "闽清示例水泥有限公司", CreditCode: "91350100M000100Y43", AreaCode: "350124", IndustryCode: "3011", EconomicTypeCode: "173", SizeCode: "03"}
	if _, err := a.svc.Employers.CreateEmployer(ctx, emp); err != nil {
		t.Fatal(err)
	}
	body := "35012219780315001"
	start := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	w := &app.Worker{Name: "王建国", DocType: app.DocResidentID, IDNumber: body + string(app.IDCheckChar(body)),
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "烧成车间", JobName: "窑操作工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "1038", Start: start}}}
	if err := a.svc.Workers.CreateWorker(ctx, w); err != nil {
		t.Fatal(err)
	}
	e, err := a.svc.Exams.Register(ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, Type: app.ExamPeriodic,
		Hazards: []string{"1038"}, Date: time.Now(), Workshop: "烧成车间", JobName: "窑操作工"})
	if err != nil {
		t.Fatal(err)
	}
	return db, pw, e.Number
}

// lisFile writes a small 血常规 export.
func lisFile(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	header := []any{"条码号", "姓名", "WBC", "HGB"}
	if err := f.SetSheetRow("Sheet1", "A1", &header); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestResults_ImportThenWatch(t *testing.T) {
	db, pw, number := resultsArchive(t)
	common := []string{"--db", db, "--user", "tijian", "--password-file", pw}
	in := filepath.Join(t.TempDir(), "血常规.xlsx")
	lisFile(t, in, [][]any{{number, "王建国", 5.6, 135}, {"126999999", "无此人", 6.0, 140}})

	// A preview with a row for an unknown exam: exit 1, nothing written, mapping not saved.
	if rc := run(append([]string{"results", "import", in, "--source", "检验科LIS", "--commit"}, common...)); rc != exitError {
		t.Fatalf("import with a rejected row: exit %d", rc)
	}
	if rc := run(append([]string{"results", "watch", t.TempDir(), "--source", "检验科LIS", "--once"}, common...)); rc != exitError {
		t.Fatalf("the refused import saved the mapping: watch exit %d", rc)
	}
	lisFile(t, in, [][]any{{number, "王建国", 5.6, 135}})
	if rc := run(append([]string{"results", "import", in, "--source", "检验科LIS"}, common...)); rc != exitOK {
		t.Fatalf("preview: exit %d", rc)
	}
	if rc := run(append([]string{"results", "import", in, "--source", "检验科LIS", "--commit"}, common...)); rc != exitOK {
		t.Fatalf("commit: exit %d", rc)
	}

	// The watched folder: one good file, one with a bad row, one still being written.
	dir := t.TempDir()
	lisFile(t, filepath.Join(dir, "第二批.xlsx"), [][]any{{number, "王建国", 5.9, 133}})
	lisFile(t, filepath.Join(dir, "错误.xlsx"), [][]any{{"126999999", "无此人", 6.0, 140}})
	lisFile(t, filepath.Join(dir, "写入中.xlsx.tmp"), [][]any{{number, "王建国", 1, 1}})
	if err := os.WriteFile(filepath.Join(dir, "说明.doc"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	rc := run(append([]string{"results", "watch", dir, "--source", "检验科LIS", "--interval", "10ms", "--once"}, common...))
	if rc != exitError {
		t.Errorf("watch with a failed file: exit %d", rc)
	}
	for _, p := range []string{"已导入/第二批.xlsx", "已导入/第二批.xlsx.txt", "失败/错误.xlsx", "失败/错误.xlsx.txt", "失败/说明.doc", "写入中.xlsx.tmp"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "第二批.xlsx")); err == nil {
		t.Error("imported file left in the folder")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "失败", "错误.xlsx.txt"))
	if !strings.Contains(string(b), "126999999") || !strings.Contains(string(b), "结果：失败") {
		t.Errorf("outcome of the failed file:\n%s", b)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "已导入", "第二批.xlsx.txt"))
	if !strings.Contains(string(b), "结果：已导入") {
		t.Errorf("outcome of the imported file:\n%s", b)
	}

	// The exam has the watched file's values (the later import replaced the earlier one).
	a, err := openArchive(db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
	u, err := a.svc.Auth.Login(ctx, "tijian", "tijian2026")
	if err != nil {
		t.Fatal(err)
	}
	e, err := a.svc.Exams.FindExamByNumber(app.NewContextWithUser(ctx, u), number)
	if err != nil {
		t.Fatal(err)
	}
	wbc, _ := e.Record.ResultFor("", "4010100")
	for _, r := range e.Record.Results {
		if r.ItemCode == "4010100" {
			wbc = r
		}
	}
	if wbc.Value != "5.9" {
		t.Errorf("WBC %q after the watched import (%+v)", wbc.Value, e.Record)
	}
}

func TestResults_WatchNeedsSavedMapping(t *testing.T) {
	db, pw, _ := resultsArchive(t)
	rc := run([]string{"results", "watch", t.TempDir(), "--source", "听力计", "--once", "--db", db, "--user", "tijian", "--password-file", pw})
	if rc != exitError {
		t.Errorf("watch for an unsaved source: exit %d", rc)
	}
}

func TestResults_WatchLeavesFilesWhileArchiveInUse(t *testing.T) {
	db, pw, number := resultsArchive(t)
	a, err := openArchive(db, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
	u, err := a.svc.Auth.Login(ctx, "tijian", "tijian2026")
	if err != nil {
		t.Fatal(err)
	}
	m := app.ResultMapping{Source: "检验科LIS", Columns: []app.ResultImportColumn{
		{Header: "条码号", Key: app.ImportKeyExamNumber}, {Header: "WBC", Key: app.ImportKeyItem, ItemCode: "4010100"}}}
	if err := a.svc.Records.SaveResultMapping(app.NewContextWithUser(ctx, u), m); err != nil {
		t.Fatal(err)
	}
	defer a.db.Close() // the program's window has the archive open
	dir := t.TempDir()
	lisFile(t, filepath.Join(dir, "血常规.xlsx"), [][]any{{number, "王建国", 5.6, 135}})
	rc := run([]string{"results", "watch", dir, "--source", "检验科LIS", "--interval", "10ms", "--once", "--db", db, "--user", "tijian", "--password-file", pw})
	if rc != exitLocked {
		t.Errorf("watch --once on an archive in use: exit %d, want %d", rc, exitLocked)
	}
	if _, err := os.Stat(filepath.Join(dir, "血常规.xlsx")); err != nil {
		t.Errorf("the file did not stay: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, watchFailed)); err == nil {
		t.Error("a file was failed because the archive was in use")
	}
}
