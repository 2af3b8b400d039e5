package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"occhealth/app"
	"occhealth/reports/lisdrop"
	"occhealth/store"
)

// lisDropTest keeps this PC's settings in a temporary folder and the ticker out of the way
// (the test polls by hand).
func lisDropTest(t *testing.T) {
	t.Helper()
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	old := lisDropInterval
	lisDropInterval = time.Hour
	t.Cleanup(func() { lisDropInterval = old })
}

// tapMiddle clicks the middle of a widget (a check box reacts only on its box and label).
func tapMiddle(o interface {
	fyne.Tappable
	Size() fyne.Size
}) {
	test.TapAt(o, fyne.NewPos(o.Size().Width/4, o.Size().Height/2))
}

// pollLIS advances the watch of env's archive by one poll.
func pollLIS(t *testing.T, env *Env) {
	t.Helper()
	d := lisDropFor(env.ArchivePath)
	if d.run == nil {
		t.Fatal("the window does not watch the folder")
	}
	d.pollOnce(d.run)
}

func TestLISDrop_SetFolderDropFilesSeeResults(t *testing.T) {
	lisDropTest(t)
	env := newIntakeEnv(t)
	e1, _, emp := recordingExam(t, env)
	e2 := secondExam(t, env, emp)
	doc := staffAs(t, env, "tijian", "赵医生", app.RoleExamDoctor)
	t.Cleanup(func() { stopLISDrop(doc.ArchivePath) })
	v := newResultImportView(doc)
	show(doc, v.content())
	if v.lis == nil {
		t.Fatal("no 本机监视文件夹 panel for an exam doctor")
	}

	// The first file of the LIS is imported by hand, which saves the source's mapping.
	typeInto(v.source, "检验科LIS")
	v.load("血常规.xlsx", resultXLSX(t, [][]any{{e1.Number, "王建国", 5.6, 135, 210}}))
	v.settle()
	test.Tap(v.importBtn)
	v.settle()
	if !strings.Contains(v.result.Text, "已导入") || len(v.lis.source.Options) != 1 {
		t.Fatalf("first import: %q, sources %v", v.result.Text, v.lis.source.Options)
	}

	// Set the folder: a folder that does not exist and a missing source are refused.
	if v.lis.row.Visible() || !strings.HasPrefix(v.lis.status.Text, "本机没有监视结果文件夹") {
		t.Fatalf("before the settings: row shown %v, status %q", v.lis.row.Visible(), v.lis.status.Text)
	}
	test.Tap(v.lis.toggle)
	if !v.lis.row.Visible() || doc.Window.Canvas().Focused() != v.lis.folder {
		t.Fatal("监视设置… did not open the settings with the keyboard in the folder box")
	}
	dir := filepath.Join(t.TempDir(), "LIS结果")
	typeInto(v.lis.folder, dir)
	tapMiddle(v.lis.on)
	test.Tap(v.lis.save)
	if !v.lis.msg.Visible() || !strings.Contains(v.lis.msg.Text, "不存在") {
		t.Fatalf("missing folder: %q", v.lis.msg.Text)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	test.Tap(v.lis.save)
	if !strings.Contains(v.lis.msg.Text, "请选择来源") {
		t.Fatalf("missing source: %q", v.lis.msg.Text)
	}
	if cfg, _ := store.LoadWorkstationConfig(); cfg.LISWatch {
		t.Fatal("refused settings were saved")
	}
	resultShot(t, doc, "result-import-lisdrop-settings.png")
	v.lis.source.SetSelected("检验科LIS")
	test.Tap(v.lis.save)
	if v.lis.msg.Visible() || v.lis.row.Visible() {
		t.Fatalf("save: %q, settings still open %v", v.lis.msg.Text, v.lis.row.Visible())
	}
	cfg, err := store.LoadWorkstationConfig()
	if err != nil || cfg.LISFolder != dir || cfg.LISSource != "检验科LIS" || !cfg.LISWatch {
		t.Fatalf("saved settings %+v %v", cfg, err)
	}
	if !strings.Contains(v.lis.status.Text, "正在监视“"+dir+"”（来源“检验科LIS”），每 60 分钟检查一次，导入人：赵医生") {
		t.Fatalf("status %q", v.lis.status.Text)
	}

	// The LIS drops a good file, a file with a row of an unknown exam, and one still being
	// written under a temporary name.
	drop := func(name string, rows [][]any) {
		if err := os.WriteFile(filepath.Join(dir, name), resultXLSX(t, rows), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	drop("血常规_0930.xlsx", [][]any{{e2.Number, "林秀英", 5.8, 118, 190}})
	drop("血常规_0931.xlsx", [][]any{{e1.Number, "王建国", 9.9, 150, 210}, {"126999999", "无此人", 6.0, 140, 200}})
	drop("血常规_0932.xlsx.tmp", [][]any{{e1.Number, "王建国", 1, 1, 1}})
	pollLIS(t, doc)
	pollLIS(t, doc)
	if _, err := os.Stat(filepath.Join(dir, "血常规_0930.xlsx")); err != nil {
		t.Fatal("a file was imported before it was seen unchanged twice")
	}
	test.AssertNotificationSent(t, fyne.NewNotification("结果文件夹", "已导入 1 个文件，1 个失败（见“失败”文件夹）"), func() {
		pollLIS(t, doc)
	})
	if !strings.Contains(v.lis.status.Text, "最近：09:30 已导入 1 个文件，1 个失败（见“失败”文件夹）") {
		t.Errorf("status after the poll %q", v.lis.status.Text)
	}
	for _, p := range []string{"已导入/血常规_0930.xlsx", "已导入/血常规_0930.xlsx.txt", "失败/血常规_0931.xlsx", "失败/血常规_0931.xlsx.txt", "血常规_0932.xlsx.tmp"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, lisdrop.FailedDir, "血常规_0931.xlsx.txt"))
	if !strings.Contains(string(b), "126999999") || !strings.Contains(string(b), "结果：失败") {
		t.Errorf("outcome of the failed file:\n%s", b)
	}
	resultShot(t, doc, "result-import-lisdrop.png")

	// The exam has the dropped file's results, recorded as the logged-in doctor; the failed
	// file wrote nothing (王建国 keeps 5.6).
	results := func(e *app.Exam) map[string]string {
		got, err := doc.Services.Exams.FindExamByID(doc.Ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, r := range got.Record.Results {
			m[r.ItemCode] = r.Value
		}
		return m
	}
	if r := results(e2); r["4010100"] != "5.8" || r["4012000"] != "118" {
		t.Errorf("exam 2 results %v", r)
	}
	if r := results(e1); r["4010100"] != "5.6" {
		t.Errorf("exam 1 WBC %q after the failed file", r["4010100"])
	}

	// The audit log tells the folder's import from the one made by hand.
	entries, _, err := env.Services.Audit.FindAudit(env.Ctx, app.AuditFilter{User: "tijian", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	byWorkstation := map[string]int{}
	for _, a := range entries {
		if a.Action == "RecordService.CommitResultImport" {
			byWorkstation[a.Workstation]++
		}
	}
	if byWorkstation["测试机"] == 0 || byWorkstation["测试机（结果文件夹）"] == 0 {
		t.Errorf("imports in the audit log by workstation: %v", byWorkstation)
	}

	// Turned off: the watch stops.
	test.Tap(v.lis.toggle)
	tapMiddle(v.lis.on)
	test.Tap(v.lis.save)
	if lisDropFor(doc.ArchivePath).run != nil || !strings.HasPrefix(v.lis.status.Text, "本机没有监视结果文件夹") {
		t.Errorf("still watching after turning off: %q", v.lis.status.Text)
	}
	if cfg, _ := store.LoadWorkstationConfig(); cfg.LISWatch || cfg.LISFolder != dir {
		t.Errorf("settings after turning off %+v", cfg)
	}
}

func TestLISDrop_WatchesFromLoginToLogout(t *testing.T) {
	lisDropTest(t)
	dir := t.TempDir()
	if err := store.SaveWorkstationConfig(store.WorkstationConfig{LISFolder: dir, LISSource: "检验科LIS", LISWatch: true}); err != nil {
		t.Fatal(err)
	}
	s := loginAs(t, app.RoleExamDoctor)
	t.Cleanup(func() { stopLISDrop(s.opts.ArchivePath) })
	d := lisDropFor(s.opts.ArchivePath)
	if d.run == nil || d.run.env.User.Username != "clerk" {
		t.Fatal("no watch after the login of an exam doctor")
	}
	first := d.run
	if d.top == nil || !d.top.Visible() || d.top.Text != "结果文件夹：监视中" {
		t.Fatalf("top bar %+v", d.top)
	}
	// No saved mapping for the source in this archive: the file stays and the window says why.
	if err := os.WriteFile(filepath.Join(dir, "血常规.csv"), []byte("体检号,WBC\n126000001,5.6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		d.pollOnce(d.run)
	}
	if !strings.Contains(d.status, "还没有保存列对应") || d.top.Text != "结果文件夹：暂停导入（见“结果导入”）" {
		t.Errorf("status %q, top %q", d.status, d.top.Text)
	}
	resultShot(t, s.shell.env, "lisdrop-topbar.png")
	if _, err := os.Stat(filepath.Join(dir, "血常规.csv")); err != nil {
		t.Error("the file did not stay")
	}
	// One watch per archive: starting again stops the first.
	startLISDrop(s.shell.env)
	if first.ctx.Err() == nil || d.run == first || d.run == nil {
		t.Error("two watches of one archive")
	}
	s.shell.logout()
	if d.run != nil || d.top.Visible() {
		t.Error("still watching after logout")
	}
}

func TestLISDrop_NeverForAUserWithoutThePermission(t *testing.T) {
	lisDropTest(t)
	if err := store.SaveWorkstationConfig(store.WorkstationConfig{LISFolder: t.TempDir(), LISSource: "检验科LIS", LISWatch: true}); err != nil {
		t.Fatal(err)
	}
	s := loginAs(t, app.RoleRegistrar)
	t.Cleanup(func() { stopLISDrop(s.opts.ArchivePath) })
	d := lisDropFor(s.opts.ArchivePath)
	if d.run != nil || d.top.Visible() {
		t.Error("a registrar's window watches the result folder")
	}
}
