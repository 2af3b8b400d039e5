package bolt_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/rules"
)

func (td *testDB) contract(t *testing.T, emp *app.Employer, number string, hazards ...string) *app.Contract {
	t.Helper()
	c := &app.Contract{Number: number, EmployerID: emp.ID, Title: "2026年度在岗体检", Start: td.clock.Now(), End: td.clock.Now().AddDate(0, 1, 0),
		Place: app.PlaceOnSite, PlaceNote: "厂区医务室", Hazards: hazards, ExamTypes: []string{"02"},
		Monitoring: []app.MonitoringResult{{HazardCode: "3008", Workshop: "破碎车间", Date: td.clock.Now().AddDate(0, -2, 0), Value: "88.5", Unit: "dB(A)", ConcentrationType: "99"}}}
	if err := td.svc.Contracts.CreateContract(td.admin, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContractService(t *testing.T) {
	td := MustOpenDB(t)
	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	c := td.contract(t, emp, "HT2026-001", "1038", "3008")
	t.Run("number unique", func(t *testing.T) {
		dup := *c
		if err := td.svc.Contracts.CreateContract(td.admin, &dup); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("hazard outside the filed categories", func(t *testing.T) {
		// The test institution filed 粉尘 and 物理因素 only; 锰 (2223) is a chemical.
		bad := &app.Contract{Number: "HT2026-002", EmployerID: emp.ID, Start: td.clock.Now(), Place: app.PlaceInHouse, Hazards: []string{"2223"}, ExamTypes: []string{"02"}}
		err := td.svc.Contracts.CreateContract(td.admin, bad)
		if err == nil || !strings.Contains(err.Error(), "未备案") || !strings.Contains(err.Error(), "化学") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("on-site needs a place", func(t *testing.T) {
		bad := &app.Contract{Number: "HT2026-003", EmployerID: emp.ID, Start: td.clock.Now(), Place: app.PlaceOnSite, Hazards: []string{"1038"}, ExamTypes: []string{"02"}}
		if err := td.svc.Contracts.CreateContract(td.admin, bad); err == nil || !strings.Contains(err.Error(), "外出地址") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("attachment round trip", func(t *testing.T) {
		att, err := td.svc.Contracts.AddAttachment(td.admin, c.ID, "名单.xlsx", "名单", []byte("roster bytes"))
		if err != nil || len(att.SHA256) != 64 {
			t.Fatalf("%+v %v", att, err)
		}
		b, err := td.svc.Contracts.Attachment(td.admin, att.SHA256)
		if err != nil || string(b) != "roster bytes" {
			t.Fatalf("%q %v", b, err)
		}
		got, _ := td.svc.Contracts.FindContractByID(td.admin, c.ID)
		if len(got.Attachments) != 1 || got.Version != 2 {
			t.Fatalf("%+v", got)
		}
		info, err := td.svc.Backup.Backup(td.admin, app.BackupManual)
		if err != nil {
			t.Fatal(err)
		}
		copied := filepath.Join(filepath.Dir(info.Path), "attachments", att.SHA256[:2], att.SHA256)
		if b, err := os.ReadFile(copied); err != nil || string(b) != "roster bytes" {
			t.Fatalf("attachment not in the backup: %v", err)
		}
	})
	t.Run("find by employer name", func(t *testing.T) {
		got, total, err := td.svc.Contracts.FindContracts(td.admin, app.ContractFilter{Query: "红星"})
		if err != nil || total != 1 || got[0].ID != c.ID {
			t.Fatalf("%v %d %v", got, total, err)
		}
	})
}

func TestExamService_Register(t *testing.T) {
	td := MustOpenDB(t)
	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	c := td.contract(t, emp, "HT2026-001", "1038", "3008")
	w := &app.Worker{Name: "张三", IDNumber: idNumber("45010219800101001")}
	if err := td.svc.Workers.CreateWorker(td.admin, w); err != nil {
		t.Fatal(err)
	}
	reg := app.Registration{WorkerID: w.ID, EmployerID: emp.ID, ContractID: c.ID, Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"}, Date: td.clock.Now()}
	e1, err := td.svc.Exams.Register(td.admin, reg)
	if err != nil {
		t.Fatal(err)
	}
	e2, err := td.svc.Exams.Register(td.admin, reg)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\d+$`).MatchString(e1.Number) || e1.Number != "126000001" || e2.Number != "126000002" {
		t.Fatalf("numbers %s %s", e1.Number, e2.Number)
	}
	if e1.Edition != "2025" || e1.State != app.ExamRegistered {
		t.Fatalf("%+v", e1)
	}
	old := reg
	old.Date = time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)
	if e, err := td.svc.Exams.Register(td.admin, old); err != nil || e.Edition != "2014" {
		t.Fatalf("2014 edition: %+v %v", e, err)
	}
	t.Run("find by number and contract", func(t *testing.T) {
		got, err := td.svc.Exams.FindExamByNumber(td.admin, e2.Number)
		if err != nil || got.ID != e2.ID {
			t.Fatalf("%v %v", got, err)
		}
		list, total, err := td.svc.Exams.FindExams(td.admin, app.ExamFilter{ContractID: c.ID})
		if err != nil || total != 3 || list[0].ID < list[1].ID {
			t.Fatalf("%d %v", total, err)
		}
	})
	t.Run("recheck must name an exam of the same worker", func(t *testing.T) {
		r := reg
		r.Recheck = true
		if _, err := td.svc.Exams.Register(td.admin, r); err == nil {
			t.Fatal("recheck without previous exam accepted")
		}
		r.PreviousExamID = e1.ID
		e, err := td.svc.Exams.Register(td.admin, r)
		if err != nil || !e.Recheck || e.PreviousExamID != e1.ID {
			t.Fatalf("%+v %v", e, err)
		}
	})
	t.Run("cancel, no-show, void", func(t *testing.T) {
		desk := td.as(t, "desk", app.RoleRegistrar)
		if _, err := td.svc.Exams.CancelExam(desk, e1.ID, e1.Version, false, ""); err == nil {
			t.Fatal("cancel without reason accepted")
		}
		got, err := td.svc.Exams.CancelExam(desk, e1.ID, e1.Version, true, "")
		if err != nil || got.State != app.ExamNoShow {
			t.Fatalf("%+v %v", got, err)
		}
		if _, err := td.svc.Exams.CancelExam(desk, got.ID, got.Version, false, "重复登记"); err == nil {
			t.Fatal("second cancel accepted")
		}
		if _, err := td.svc.Exams.VoidExam(desk, e2.ID, e2.Version, "录错"); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("registrar void: %v", err)
		}
		v, err := td.svc.Exams.VoidExam(td.admin, e2.ID, e2.Version, "录错")
		if err != nil || v.State != app.ExamVoided || v.StateNote != "录错" {
			t.Fatalf("%+v %v", v, err)
		}
	})
	t.Run("closed contract refuses registration", func(t *testing.T) {
		cur, _ := td.svc.Contracts.FindContractByID(td.admin, c.ID)
		cur.State = app.ContractClosed
		if err := td.svc.Contracts.UpdateContract(td.admin, cur); err != nil {
			t.Fatal(err)
		}
		if _, err := td.svc.Exams.Register(td.admin, reg); err == nil || !strings.Contains(err.Error(), "已结束") {
			t.Fatalf("err = %v", err)
		}
	})
	if r, err := td.svc.Audit.VerifyAudit(td.admin); err != nil || !r.OK {
		t.Fatalf("audit %+v %v", r, err)
	}
}

func TestExamService_PlannedItems(t *testing.T) {
	td := MustOpenDB(t)
	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	w := &app.Worker{Name: "李四", IDNumber: idNumber("45010219800101001")}
	if err := td.svc.Workers.CreateWorker(td.admin, w); err != nil {
		t.Fatal(err)
	}
	reg := app.Registration{WorkerID: w.ID, EmployerID: emp.ID, Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"}, Date: time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local)}
	e, err := td.svc.Exams.Register(td.admin, reg)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, it := range e.Items {
		names[it.Name]++
	}
	if names["心电图"] != 1 || names["纯音听阈测试"] != 1 {
		t.Fatalf("items of 矽尘+噪声 (2014 在岗): %v", names)
	}
	t.Run("a package adds items, never removes required ones", func(t *testing.T) {
		p := &app.ExamPackage{Name: "粉尘加做套餐", Active: true, Groups: []app.PackageGroup{{GroupCode: e.Items[0].GroupCode, PriceFen: 2500}}}
		for _, g := range []string{"G0601"} {
			if _, ok := td.svc.Planner.Group(g); ok {
				p.Groups = append(p.Groups, app.PackageGroup{GroupCode: g, PriceFen: 8000})
			}
		}
		if err := td.svc.Packages.CreatePackage(td.admin, p); err != nil {
			t.Fatal(err)
		}
		r := reg
		r.PackageIDs = []int64{p.ID}
		e2, err := td.svc.Exams.Register(td.admin, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(e2.Items) < len(e.Items) {
			t.Fatalf("package dropped items: %d < %d", len(e2.Items), len(e.Items))
		}
		bad := &app.ExamPackage{Name: "坏套餐", Groups: []app.PackageGroup{{GroupCode: "NOPE"}}}
		if err := td.svc.Packages.CreatePackage(td.admin, bad); err == nil {
			t.Fatal("unknown group accepted")
		}
	})
	t.Run("an edited rule table is in force at once and after reopening", func(t *testing.T) {
		d := ruleTable.Data()
		for i, r := range d.RuleList {
			if r.Hazard == "3008" && r.ExamType == app.ExamPeriodic && r.Edition == "2014" {
				d.RuleList[i].Required = []string{r.Required[0]}
			}
		}
		edited, err := rules.New(d)
		if err != nil {
			t.Fatal(err)
		}
		b, err := rules.Marshal(edited)
		if err != nil {
			t.Fatal(err)
		}
		if err := td.svc.Rules.SaveRuleTable(td.admin, b, "本院规定"); err != nil {
			t.Fatal(err)
		}
		r := reg
		r.Hazards = []string{"3008"}
		e3, err := td.svc.Exams.Register(td.admin, r)
		if err != nil || len(e3.Items) != 1 {
			t.Fatalf("%v %v", e3.Items, err)
		}
		if err := td.svc.Rules.ResetRuleTable(td.admin); err != nil {
			t.Fatal(err)
		}
		e4, _ := td.svc.Exams.Register(td.admin, r)
		if len(e4.Items) < 2 {
			t.Fatalf("reset: %v", e4.Items)
		}
	})
}

func rosterFile(rows ...map[app.RosterColumn]string) app.RosterFile {
	f := app.RosterFile{Name: "名单.xlsx", HeaderRow: 2, Headers: map[app.RosterColumn]string{
		app.ColName: "姓名", app.ColIDNumber: "身份证号", app.ColWorkshop: "车间", app.ColJob: "工种", app.ColHazards: "接触危害因素", app.ColExamType: "体检类型", app.ColPhone: "手机",
	}}
	for i, r := range rows {
		f.Records = append(f.Records, app.RosterRecord{Row: i + 3, Values: r})
	}
	return f
}

func TestIntakeService(t *testing.T) {
	td := MustOpenDB(t)
	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	c := td.contract(t, emp, "HT2026-001", "1038", "3008")
	known := &app.Worker{Name: "王五", IDNumber: idNumber("45010219700101003")}
	if err := td.svc.Workers.CreateWorker(td.admin, known); err != nil {
		t.Fatal(err)
	}
	good := func() app.RosterFile {
		return rosterFile(
			map[app.RosterColumn]string{app.ColName: "张三", app.ColIDNumber: idNumber("45010219800101001"), app.ColWorkshop: "破碎车间", app.ColJob: "破碎工", app.ColHazards: "矽尘、噪声", app.ColExamType: "在岗", app.ColPhone: "13812345678"},
			map[app.RosterColumn]string{app.ColName: "王五", app.ColIDNumber: idNumber("45010219700101003"), app.ColWorkshop: "破碎车间", app.ColJob: "破碎工", app.ColHazards: "游离二氧化硅粉尘", app.ColExamType: "在岗期间"},
		)
	}
	p, err := td.svc.Intake.PreviewRoster(td.admin, c.ID, good())
	if err != nil {
		t.Fatal(err)
	}
	if p.Rejected != 0 || p.Linked != 1 || p.Rows[1].ExistingWorkerID != known.ID {
		t.Fatalf("preview: %+v", p)
	}
	t.Run("a preview writes nothing", func(t *testing.T) {
		ids, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{})
		if len(ids) != 1 {
			t.Fatalf("%d workers", len(ids))
		}
	})
	t.Run("one bad row rejects the whole commit", func(t *testing.T) {
		f := good()
		f.Records = append(f.Records, app.RosterRecord{Row: 5, Values: map[app.RosterColumn]string{app.ColName: "李四", app.ColIDNumber: "450102198001010019", app.ColHazards: "噪声", app.ColExamType: "在岗"}})
		pp, _ := td.svc.Intake.PreviewRoster(td.admin, c.ID, f)
		if pp.Rejected != 1 || pp.Rows[2].Outcome != app.RowRejected {
			t.Fatalf("preview: %+v", pp.Rows[2])
		}
		_, err := td.svc.Intake.CommitRoster(td.admin, c.ID, f, app.RosterOptions{Register: true, Type: app.ExamPeriodic, Date: td.clock.Now()})
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "第 5 行") {
			t.Fatalf("err = %v", err)
		}
		ids, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{})
		if len(ids) != 1 {
			t.Fatalf("half-written: %d workers", len(ids))
		}
	})
	t.Run("a name that differs under a known number is an error", func(t *testing.T) {
		f := rosterFile(map[app.RosterColumn]string{app.ColName: "王六", app.ColIDNumber: idNumber("45010219700101003"), app.ColHazards: "噪声", app.ColExamType: "在岗"})
		pp, _ := td.svc.Intake.PreviewRoster(td.admin, c.ID, f)
		if pp.Rejected != 1 || !strings.Contains(pp.Rows[0].Messages[len(pp.Rows[0].Messages)-1].Message, "王五") {
			t.Fatalf("%+v", pp.Rows[0])
		}
	})
	t.Run("commit files, links and registers", func(t *testing.T) {
		res, err := td.svc.Intake.CommitRoster(td.admin, c.ID, good(), app.RosterOptions{Register: true, Type: app.ExamPeriodic, Date: td.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 1 || res.Updated != 1 || res.Registered != 2 {
			t.Fatalf("%+v", res)
		}
		w, _ := td.svc.Workers.FindWorkerByID(td.admin, known.ID)
		if len(w.WorkHistory) != 1 || w.WorkHistory[0].EmployerID != emp.ID || len(w.Exposures) != 1 || w.Exposures[0].HazardCode != "1038" {
			t.Fatalf("linked worker not extended: %+v", w)
		}
		exams, total, _ := td.svc.Exams.FindExams(td.admin, app.ExamFilter{ContractID: c.ID})
		if total != 2 || len(exams[0].Items) == 0 {
			t.Fatalf("%d exams, items %v", total, exams)
		}
		again, err := td.svc.Intake.PreviewRoster(td.admin, c.ID, good())
		if err != nil || again.Linked != 2 {
			t.Fatalf("re-import links both: %+v %v", again, err)
		}
	})
	if r, err := td.svc.Audit.VerifyAudit(td.admin); err != nil || !r.OK {
		t.Fatalf("audit %+v %v", r, err)
	}
}
