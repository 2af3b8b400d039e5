package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

func TestRegister_OneWorker(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	c := addContract(t, env, emp, "2026-030")
	start := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	w := &app.Worker{Name: "张三", DocType: app.DocResidentID, IDNumber: idNumber("35012419800101001"),
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "破碎车间", JobName: "破碎工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "1038", Start: start}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	pkg := &app.ExamPackage{Name: "加做肝功能", Active: true, Groups: []app.PackageGroup{{GroupCode: "G0101", PriceFen: 2000}}}
	if err := env.Services.Packages.CreatePackage(env.Ctx, pkg); err != nil {
		t.Fatal(err)
	}

	pre := &app.ExamPackage{Name: "上岗前加项", Active: true, Type: app.ExamPreEmployment, Groups: []app.PackageGroup{{GroupCode: "G0101", PriceFen: 1000}}}
	noise := &app.ExamPackage{Name: "噪声加项", Active: true, Hazards: []string{"3008"}, Groups: []app.PackageGroup{{GroupCode: "G0101", PriceFen: 1000}}}
	for _, p := range []*app.ExamPackage{pre, noise} {
		if err := env.Services.Packages.CreatePackage(env.Ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	v := newExamRegScreen(env)
	show(env, v.content())
	pick(t, v.worker, "zs") // pinyin initials, as in the worker search box
	if v.current == nil || v.current.ID != w.ID {
		t.Fatal("worker not taken")
	}
	if v.employer.Text() != emp.Name || strings.Join(v.hazards.Codes(), ",") != "1038" {
		t.Errorf("defaults: employer %q hazards %v", v.employer.Text(), v.hazards.Codes())
	}
	if !strings.HasPrefix(v.contract.Selected, c.Number) {
		t.Errorf("contract default %q", v.contract.Selected)
	}
	if v.examType.Selected != examTypeLabel(app.ExamPeriodic) {
		t.Errorf("exam type default %q", v.examType.Selected)
	}
	if !strings.Contains(v.plan.Text, "GBZ 188-2025") || !strings.Contains(v.plan.Text, "：") {
		t.Errorf("plan %q", v.plan.Text)
	}
	// Only the packages meant for 在岗期间 and 矽尘 are offered.
	if len(v.packages.Options) != 1 || !strings.HasPrefix(v.packages.Options[0], "加做肝功能") {
		t.Errorf("packages offered: %v", v.packages.Options)
	}
	v.examType.SetSelected(examTypeLabel(app.ExamPreEmployment))
	if len(v.packages.Options) != 2 {
		t.Errorf("packages offered for 上岗前: %v", v.packages.Options)
	}
	v.examType.SetSelected(examTypeLabel(app.ExamPeriodic))
	v.packages.SetSelected([]string{v.packages.Options[0]})

	// 复查 without the earlier exam is refused before the service is asked.
	v.recheck.SetChecked(true)
	test.Tap(v.registerBtn)
	if !strings.Contains(v.msg.Text, "复查") {
		t.Errorf("recheck without an earlier exam: %q", v.msg.Text)
	}
	v.recheck.SetChecked(false)

	test.Tap(v.registerBtn)
	if v.last == nil {
		t.Fatalf("not registered: %q", v.msg.Text)
	}
	if v.number.Text != v.last.Number || !v.resultBox.Visible() || !markupHas(env.Window, v.last.Number) {
		t.Errorf("exam number not shown: %q", v.number.Text)
	}
	first := v.last
	test.Tap(v.registerBtn) // a second click registers nothing more
	if _, n, _ := env.Services.Exams.FindExams(env.Ctx, app.ExamFilter{WorkerID: w.ID}); n != 1 || v.last != first {
		t.Errorf("a second click registered again: %d exams", n)
	}
	e, err := env.Services.Exams.FindExamByNumber(env.Ctx, v.last.Number)
	if err != nil || e.ContractID != c.ID || e.Type != app.ExamPeriodic || e.Edition != "2025" || len(e.PackageIDs) != 1 || e.Workshop != "破碎车间" {
		t.Fatalf("stored exam %+v, %v", e, err)
	}

	// The guide sheet and the labels render as PDFs.
	var pdf []byte
	v.pdfHook = func(b []byte) { pdf = b }
	test.Tap(v.guideBtn)
	v.job.wait()
	if !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("guide sheet: %.20q", pdf)
	}
	pdf = nil
	test.Tap(v.tubeBtn)
	v.job.wait()
	if !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("labels: %.20q", pdf)
	}

	// 登记下一位, then a 复查 of the first exam.
	v.clear()
	if v.resultBox.Visible() || v.current != nil {
		t.Error("登记下一位 kept the last worker")
	}
	pick(t, v.worker, idNumber("35012419800101001"))
	v.recheck.SetChecked(true)
	if len(v.previous.Options) != 1 {
		t.Fatalf("earlier exams: %v", v.previous.Options)
	}
	v.previous.SetSelected(v.previous.Options[0])
	test.Tap(v.registerBtn)
	if v.last == nil || !v.last.Recheck || v.last.PreviousExamID != e.ID {
		t.Fatalf("recheck: %+v %q", v.last, v.msg.Text)
	}
}

func TestRegister_PlanNotesAndRefusals(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	w := &app.Worker{Name: "李四", DocType: app.DocResidentID, IDNumber: idNumber("35012419800101002")}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	v := newExamRegScreen(env)
	show(env, v.content())
	pick(t, v.worker, "李四")
	pick(t, v.employer, "闽清示例")
	if v.contract.Selected != noContract {
		t.Errorf("contract %q for an employer without open rounds", v.contract.Selected)
	}
	v.examType.SetSelected(examTypeLabel(app.ExamPreEmployment))
	pick(t, v.hazards.pick, "4003") // 生物因素: the institution has not filed it
	test.Tap(v.registerBtn)
	if v.last != nil || !strings.Contains(v.msg.Text, "生物因素") {
		t.Errorf("unfiled hazard: %q", v.msg.Text)
	}
	closeDialogs(env.Window)
	_ = emp

	// Before 2026-08-01 the 2014 edition applies; a rule not verified says 待核实.
	v.hazards.set(nil)
	pick(t, v.hazards.pick, "1006") // 电焊烟尘: its 2014 rules are unverified in the shipped table
	v.examType.SetSelected(examTypeLabel(app.ExamPeriodic))
	v.date.SetText("2026-03-02")
	if !strings.Contains(v.plan.Text, "GBZ 188-2014") || !v.planNotes.Visible() || !strings.Contains(v.planNotes.Text, "待核实") {
		t.Errorf("2014 plan %q, notes %q", v.plan.Text, v.planNotes.Text)
	}
}

func TestContract_ReadOnlyForDoctors(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	c := addContract(t, env, emp, "2026-040")
	doc := envAs(t, env, app.RoleExamDoctor)
	v := newContractScreen(doc)
	show(doc, v.content())
	if v.form.saveBtn.Visible() || v.form.newBtn.Visible() || !markupHas(doc.Window, "在左侧选择体检任务查看") {
		t.Error("a doctor is offered a new-contract form")
	}
	v.open(c.ID)
	if v.form.saveBtn.Visible() || !v.form.number.Disabled() || v.form.importBtn.Visible() || v.form.uploadBtn.Visible() {
		t.Error("a doctor may edit the contract or import a roster")
	}
	if v.exams.cancelBtn.Visible() || v.exams.voidBtn.Visible() {
		t.Error("a doctor is offered 取消登记 or 作废")
	}
	for _, d := range visibleScreens(Screens(), doc.User, doc.Institution) {
		if d.ID == "register" || d.ID == "admin_packages" || d.ID == "admin_rules" {
			t.Errorf("a doctor sees %s", d.ID)
		}
	}
}

// creditCodeFor completes a 17-character credit-code body with its check character.
func creditCodeFor(t *testing.T, body string) string {
	c, ok := app.CreditCodeCheckChar(body)
	if !ok {
		t.Fatalf("credit code body %q", body)
	}
	return body + string(c)
}

func TestRegister_DispatchedWorker(t *testing.T) {
	env := newIntakeEnv(t)
	agency := addEmployer(t, env, "闽清劳务派遣有限公司", validCreditCode)
	host := addEmployer(t, env, "闽清示例水泥有限公司", creditCodeFor(t, "91350100M000200Y4"))
	c := addContract(t, env, host, "2026-060")
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	w := &app.Worker{Name: "韦丽丽", DocType: app.DocResidentID, IDNumber: idNumber("45010219900101002"),
		WorkHistory: []app.WorkPeriod{{EmployerID: agency.ID, HostEmployerID: host.ID, Workshop: "包装车间", JobName: "包装工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "3008", Start: start}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	v := newExamRegScreen(env)
	show(env, v.content())
	pick(t, v.worker, "wll")
	if v.employer.Text() != agency.Name || !strings.HasPrefix(v.contract.Selected, c.Number) {
		t.Fatalf("employer %q, contract %q: the host's round is not offered", v.employer.Text(), v.contract.Selected)
	}
	test.Tap(v.registerBtn)
	if v.last == nil || v.last.HostEmployerID != host.ID || v.last.ContractID != c.ID || v.last.EmployerID != agency.ID {
		t.Fatalf("registered %+v, %q", v.last, v.msg.Text)
	}
}
