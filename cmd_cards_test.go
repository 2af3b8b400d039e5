package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/app"
)

// cardsArchive initialises an archive with staff (password in the returned file), the card
// settings, and the released noise exams of two workers (exam numbers in release order); the
// second worker has no phone, a pre-flight error.
func cardsArchive(t *testing.T) (db, pw string, numbers []string) {
	t.Helper()
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	dir := t.TempDir()
	db = filepath.Join(dir, "archive.db")
	pw = filepath.Join(dir, "pw.txt")
	if err := os.WriteFile(pw, []byte("tongji2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc := run([]string{"init", "--db", db, "--institution", "南宁市职业病防治院", "--code", "450102001", "--area", "450102",
		"--kinds", "exam", "--hazards", "1,2,3", "--admin", "admin", "--password-file", pw}); rc != exitOK {
		t.Fatalf("init: exit %d", rc)
	}
	a, err := openArchive(db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
	admin, err := a.svc.Auth.Login(ctx, "admin", "tongji2026")
	if err != nil {
		t.Fatal(err)
	}
	actx := app.NewContextWithUser(ctx, admin)
	staff := func(login, name string, roles ...app.Role) context.Context {
		u := &app.User{Username: login, Name: name, Roles: roles}
		for _, r := range roles {
			if r == app.RoleChiefExaminer {
				u.Qualifications = []app.Qualification{{Kind: app.QualificationChiefExaminer, Number: "ZJ-1", ValidUntil: time.Now().AddDate(3, 0, 0)}}
			}
		}
		if err := a.svc.Users.CreateUser(actx, u, "tongji2026"); err != nil {
			t.Fatal(err)
		}
		return app.NewContextWithUser(ctx, u)
	}
	doctor := staff("tijian", "赵医生", app.RoleExamDoctor, app.RoleRegistrar)
	chief := staff("zhujian", "李主检", app.RoleChiefExaminer)
	reviewer := staff("shenhe", "钱审核", app.RoleReviewer)
	staff("tongji", "周统计", app.RoleReportingClerk)
	if err := a.svc.Cards.SaveCardSettings(actx, app.CardSettings{ReportZoneCode: "450102000", ReportOrgCode: "450102001", License: "LIC-0001",
		Writer: "周统计", WriterPhone: "0771-5550001", Reporter: "吴报告", ReporterPhone: "0771-5550002"}); err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	emp := &app.Employer{Name: "南宁红星机械有限公司", CreditCode: "91450100M000100Y4R", AreaCode: "450102", IndustryCode: "3411", EconomicTypeCode: "173",
		SizeCode: "03", Address: "兴宁区工业路 8 号", ContactPerson: "李四", ContactPhone: "0771-1234567"}
	if _, err := a.svc.Employers.CreateEmployer(actx, emp); err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	start := time.Date(2015, 3, 1, 0, 0, 0, 0, time.Local)
	for i, body := range []string{"45010219800101001", "45010219820202003"} {
		w := &app.Worker{Name: []string{"王建国", "陈立新"}[i], DocType: app.DocResidentID, IDNumber: body + string(app.IDCheckChar(body)), Phone: "13800000000",
			WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "冲压车间", JobCode: "00-33", JobName: "冲压工", Start: start}},
			Exposures:   []app.Exposure{{HazardCode: "3008", Start: start}}}
		if i == 1 {
			w.Phone = ""
		}
		if err := a.svc.Workers.CreateWorker(actx, w); err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		e, err := a.svc.Exams.Register(actx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, Type: app.ExamPeriodic,
			Hazards: []string{"3008"}, Date: time.Now(), Workshop: "冲压车间", JobCode: "00-33", JobName: "冲压工"})
		if err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		var rs []app.Result
		for _, it := range e.Items {
			if !it.Required {
				continue
			}
			switch it.GroupCode {
			case "G1301":
				for _, code := range []string{"3040100", "3040200", "3040300", "3040400", "3040500", "3040600", "3040800", "3040900", "3041000", "3041100", "3041200", "3041300",
					"3050100", "3050200", "3050300", "3050400", "3050500", "3050600", "3050800", "3050900", "3051000", "3051100", "3051200", "3051300"} {
					rs = append(rs, app.Result{GroupCode: it.GroupCode, ItemCode: code, Value: "20"})
				}
			case "G0901":
				rs = append(rs, app.Result{GroupCode: it.GroupCode, ItemCode: "3060100", Kind: app.ResultText, Value: "窦性心律，正常心电图"})
			default:
				r := app.Result{GroupCode: it.GroupCode}
				r.Refuse()
				rs = append(rs, r)
			}
		}
		if e, err = a.svc.Records.SaveResults(doctor, e.ID, e.Version, rs); err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		if e, err = a.svc.Records.SaveConclusion(chief, e.ID, e.Version, app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "3008", Code: "01"}}, Advice: "定期复查"}); err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		if e, err = a.svc.Records.Sign(chief, e.ID, e.Version); err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		if e, err = a.svc.Records.Review(reviewer, e.ID, e.Version, app.ReviewApprove, ""); err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		if e, err = a.svc.Records.Release(doctor, e.ID, e.Version, app.Handover{Recipient: w.Name, RecipientKind: "本人", Documents: []string{"职业健康检查报告"}}); err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		numbers = append(numbers, e.Number)
	}
	return db, pw, numbers
}

// capture runs the command and returns its exit code and standard output.
func capture(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var rc int
	out := captureStdout(t, func() { rc = run(args) })
	return rc, out
}

func TestCmdCards(t *testing.T) {
	db, pw, numbers := cardsArchive(t)
	common := []string{"--db", db, "--user", "tongji", "--password-file", pw}
	today := time.Now().Format("2006-01-02")

	t.Run("usage", func(t *testing.T) {
		if rc := run([]string{"cards"}); rc != exitUsage {
			t.Errorf("cards: exit %d", rc)
		}
		if rc := run(append([]string{"cards", "export", "--format", "national"}, common...)); rc != exitUsage {
			t.Errorf("export without dates and folder: exit %d", rc)
		}
		if rc := run(append([]string{"cards", "check", "--format", "zhejiang"}, common...)); rc != exitError {
			t.Errorf("unknown format: exit %d", rc)
		}
	})

	t.Run("check lists the failing card", func(t *testing.T) {
		rc, out := capture(t, append([]string{"cards", "check"}, common...)...)
		if rc != exitError || !strings.Contains(out, numbers[1]) || !strings.Contains(out, "陈立新") || strings.Contains(out, numbers[0]+"  王建国") ||
			!strings.Contains(out, "共 2 张个案卡：1 张未通过预检") {
			t.Errorf("exit %d:\n%s", rc, out)
		}
		rc, out = capture(t, append([]string{"cards", "check", "--json", "--from", today, "--to", today, "--format", "hubei"}, common...)...)
		var res struct {
			Cards, Failing int
			Results        []cardResult
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || rc != exitError || res.Cards != 2 || res.Failing != 1 {
			t.Fatalf("exit %d, %v:\n%s", rc, err, out)
		}
		for _, r := range res.Results {
			if (r.ExamNumber == numbers[1]) != (r.Errors > 0) {
				t.Errorf("%+v", r)
			}
		}
	})

	t.Run("export holds back the failing card and writes the rest", func(t *testing.T) {
		dir := t.TempDir()
		rc, out := capture(t, append([]string{"cards", "export", "--from", today, "--to", today, "--format", "national", "-o", dir}, common...)...)
		if rc != exitError || !strings.Contains(out, "以下 1 张个案卡未通过预检") || !strings.Contains(out, "已导出 1 张个案卡") {
			t.Fatalf("exit %d:\n%s", rc, out)
		}
		zips, _ := filepath.Glob(filepath.Join(dir, "450102001-*.zip"))
		manifests, _ := filepath.Glob(filepath.Join(dir, "450102001-*.manifest.json"))
		if len(zips) != 1 || len(manifests) != 1 {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("files %v %v in %v:\n%s", zips, manifests, entries, out)
		}
		zr, err := zip.OpenReader(zips[0])
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		if len(zr.File) != 2 || !strings.Contains(zr.File[0].Name, "ENTERPRISE_INFO") || !strings.Contains(zr.File[1].Name, "HEALTH_EXAM_RECORD") {
			t.Errorf("zip holds %d files", len(zr.File))
		}
		// Exported and unchanged: a second export has nothing to do, unless --again.
		rc, out = capture(t, append([]string{"cards", "export", "--from", today, "--to", today, "--format", "national", "-o", dir}, common...)...)
		if rc != exitError || !strings.Contains(out, "1 张已导出且内容未变") {
			t.Errorf("second export: exit %d:\n%s", rc, out)
		}
		rc, out = capture(t, append([]string{"cards", "export", "--from", today, "--to", today, "--format", "hubei", "-o", dir, "--again", "--json"}, common...)...)
		var o cardExportOutcome
		if err := json.Unmarshal([]byte(out), &o); err != nil || o.Exported != 1 || len(o.Blocked) != 1 || len(o.Files) != 2 || o.Manifest == nil || o.Manifest.Cards != 1 {
			t.Errorf("again: exit %d, %v:\n%s", rc, err, out)
		}
	})
}
