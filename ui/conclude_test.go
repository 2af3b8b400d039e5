package ui

import (
	"bytes"
	"fyne.io/fyne/v2/widget"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// The four screens of the conclusion side: who sees them, and that each fits beside the
// navigation on a 1024-pixel screen.
func TestConclude_ScreensByRole(t *testing.T) {
	env := newIntakeEnv(t)
	want := map[app.Role][]string{
		app.RoleChiefExaminer:      {"conclude", "referrals"},
		app.RoleReviewer:           {"review", "release", "referrals"},
		app.RoleRegistrar:          {"release"},
		app.RoleDiagnosisPhysician: {"referrals"},
		app.RoleReportingClerk:     {"referrals"},
		app.RoleExamDoctor:         {},
		app.RoleFollowUpNurse:      {},
	}
	mine := []string{"conclude", "review", "release", "referrals"}
	for role, ids := range want {
		u := &app.User{Username: "x", Roles: []app.Role{role}}
		var got []string
		for _, d := range visibleScreens(Screens(), u, env.Institution) {
			if slices.Contains(mine, d.ID) {
				got = append(got, d.ID)
			}
		}
		slices.Sort(got)
		w := slices.Clone(ids)
		slices.Sort(w)
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%s sees %v, want %v", role.Name(), got, w)
		}
	}
	staff := staffAs(t, env, "quanbu", "全部", app.RoleChiefExaminer, app.RoleReviewer, app.RoleRegistrar)
	for _, d := range Screens() {
		if !slices.Contains(mine, d.ID) {
			continue
		}
		o := d.New(staff)
		show(staff, o)
		if w := o.MinSize().Width; w > 800 {
			t.Errorf("%s: minimum width %.0f px does not fit a 1024-pixel screen", d.ID, w)
		}
	}
}

// Under GBZ 188-2014 复查 is a conclusion: choosing it turns the recheck order on, signing
// needs its items and date, and the signed order registers the linked 复查 exam.
func TestConclude_Recheck2014(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	w := &app.Worker{Name: "林小燕", DocType: app.DocResidentID, IDNumber: idNumber("35012219900520002")}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID,
		Type: app.ExamPeriodic, Hazards: []string{"3008"}, Date: time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if e.Edition != "2014" {
		t.Fatalf("edition %s", e.Edition)
	}
	doc := staffAs(t, env, "tijian", "陈医生", app.RoleExamDoctor)
	var rs []app.Result
	for _, r := range flowResults(t, env) {
		if r.GroupCode != "G1101" {
			rs = append(rs, r)
		}
	}
	e = saveResults(t, doc, e, rs)
	chief := staffAs(t, env, "zhujian", "李主检", app.RoleChiefExaminer)
	v := newConcludeScreen(chief)
	show(chief, v.content())
	scan(v.list, e.Number)
	noise := v.hazardForm("3008")
	if got := strings.Join(noise.code.Options, ","); got != "目前未见异常,复查,疑似职业病,职业禁忌证,其他疾病或异常" {
		t.Errorf("2014 conclusions: %s", got)
	}
	noise.code.SetSelected("复查")
	if !v.recheck.on.Checked {
		t.Fatal("复查 did not turn the recheck order on")
	}
	test.Tap(v.signBtn)
	if v.signDialog != nil || !strings.Contains(v.recheck.msg.Text, "请选择复查项目") || !strings.Contains(v.recheck.msg.Text, "请填写复查日期") {
		t.Errorf("a recheck without items or date goes to signing: %q", v.recheck.msg.Text)
	}
	v.recheck.groups.SetSelected([]string{v.recheck.groups.Options[0]})
	typeInto(v.recheck.date, "2026-08-20")
	typeInto(v.recheck.reason, "脱离噪声 48 小时后复查纯音听阈")
	test.Tap(v.signBtn)
	v.signDialog.Confirm()
	if v.b.exam.State != app.ExamConcluded {
		t.Fatalf("not signed: %q %q", v.status.Text, dialogText(chief.Window))
	}
	re := recordOf(v.b.exam).RecheckExamID
	if re == 0 || !strings.Contains(v.status.Text, "复查") {
		t.Fatalf("no linked recheck exam (%d), status %q", re, v.status.Text)
	}
	// The signed recheck order offers the 复查通知书, rendered from the signed exam.
	var labels []string
	for _, o := range v.noticeBox.Objects {
		if b, ok := o.(*widget.Button); ok {
			labels = append(labels, b.Text)
		}
	}
	if len(labels) == 0 || !strings.Contains(labels[0], "复查通知书") {
		t.Fatalf("notice buttons after a recheck order: %q", labels)
	}
	var pdf []byte
	v.pdfHook = func(b []byte) { pdf = b }
	test.Tap(v.noticeBox.Objects[0].(*widget.Button))
	v.job.wait()
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("复查通知书: %d bytes; dialog %q", len(pdf), dialogText(chief.Window))
	}
	closeDialogs(chief.Window)
	got, err := env.Services.Exams.FindExamByID(env.Ctx, re)
	if err != nil || !got.Recheck || got.PreviousExamID != e.ID || formatDate(got.Date) != "2026-08-20" {
		t.Errorf("recheck exam %+v %v", got, err)
	}

	// The recheck exam shows the first exam beside it: its values and its conclusion.
	got = saveResults(t, doc, got, []app.Result{{GroupCode: got.Items[0].GroupCode, Status: app.ResultRefused}})
	scan(v.list, got.Number)
	if v.b == nil || v.b.exam.ID != re || len(v.b.earlier) != 1 || v.b.earlier[0].ID != e.ID {
		t.Fatalf("earlier exams of the recheck: %+v", v.b)
	}
	v.tabs.SelectIndex(1)
	for _, s := range []string{"本次 2026-08-20", "2026-07-15 在岗期间", "噪声：复查", "55 ↑"} {
		if !markupHas(chief.Window, s) {
			t.Errorf("comparison lacks %q", s)
		}
	}
	shot(t, chief.Window, "conclude-earlier.png")
}
