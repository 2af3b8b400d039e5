package ui

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/criteria"
)

// flowResults are the results of the cement worker's exam except 肺功能: a normal DR chest
// film, a normal ECG, and an audiogram with normal speech frequencies and high frequencies at
// 50 dB HL in both ears (双耳高频平均听阈 ≥ 40 dB HL: the GBZ 49 screen is met).
func flowResults(t *testing.T, env *Env) []app.Result {
	t.Helper()
	set := env.Criteria()
	rs := []app.Result{
		{GroupCode: "G1101", ItemCode: "3080200", Kind: app.ResultCode, Value: "0"},
		{GroupCode: "G0901", ItemCode: "3060100", Kind: app.ResultText, Value: "窦性心律，正常心电图"},
	}
	for _, side := range []criteria.Side{criteria.Left, criteria.Right} {
		for hz, level := range map[int]string{500: "20", 1000: "20", 2000: "25", 3000: "45", 4000: "55", 6000: "50"} {
			code := set.AudiogramItem(side, false, hz)
			if code == "" {
				t.Fatalf("no item code for %v %d Hz", side, hz)
			}
			rs = append(rs, app.Result{GroupCode: "G1301", ItemCode: code, Kind: app.ResultNumeric, Value: level})
		}
	}
	return rs
}

// saveResults records results as doc and returns the exam.
func saveResults(t *testing.T, doc *Env, e *app.Exam, rs []app.Result) *app.Exam {
	t.Helper()
	got, err := doc.Services.Records.SaveResults(doc.Ctx, e.ID, e.Version, rs)
	if err != nil {
		t.Fatalf("save results: %v", err)
	}
	return got
}

// refuseLung marks the 肺功能 group 弃检.
func refuseLung(t *testing.T, doc *Env, e *app.Exam) *app.Exam {
	return saveResults(t, doc, e, []app.Result{{GroupCode: "G1201", Status: app.ResultRefused}})
}

// scan opens an exam on a worklist by typing its number and Enter, as a barcode scanner does.
func scan(l *examWorklist, number string) {
	l.lookup.SetText("")
	typeInto(l.lookup, number)
	enter(l.lookup)
}

// shot writes the window as a PNG into /tmp/h/shots (when that folder can be made).
func shot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := "/tmp/h/shots"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("no screenshot folder: %v", err)
		return
	}
	relayout(w)
	var b bytes.Buffer
	if err := png.Encode(&b, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
		t.Logf("screenshot: %v", err)
	}
}

func TestRecordingFlow_ConcludeReviewRelease(t *testing.T) {
	env := newIntakeEnv(t)
	e, _, _ := recordingExam(t, env)
	doc := staffAs(t, env, "tijian", "陈医生", app.RoleExamDoctor)
	chief := staffAs(t, env, "zhujian", "李主检", app.RoleChiefExaminer)
	rev := staffAs(t, env, "shenhe", "周审核", app.RoleReviewer)
	desk := staffAs(t, env, "dengji", "吴登记", app.RoleRegistrar)

	// The audiogram comes through the service (as the audiometer's import would); the chest
	// film and the ECG are typed on the 检查录入 screen.
	var audio []app.Result
	for _, r := range flowResults(t, env) {
		if r.GroupCode == "G1301" {
			audio = append(audio, r)
		}
	}
	e = saveResults(t, doc, e, audio)
	rec := newRecordScreen(doc)
	show(doc, rec.content())
	typeInto(rec.search, e.Number)
	enter(rec.search)
	if rec.exam == nil || rec.exam.ID != e.ID {
		t.Fatalf("检查录入 did not open the exam: %q", rec.listMsg.Text)
	}
	rec.dept(t, "放射科").group(t, "G1101").row(t, "3080200").sel.SetSelected("0 未见异常")
	typeInto(rec.dept(t, "心电图室").group(t, "G0901").row(t, "3060100").entry, "窦性心律，正常心电图")
	test.Tap(rec.saveBtn)
	e = rec.exam
	if e.State != app.ExamInProgress {
		t.Fatalf("state after results without 肺功能: %s %q", e.State.Name(), rec.msg.Text)
	}
	if r, ok := recordOf(e).ResultFor("G1101", "3080200"); !ok || r.Value != "0" {
		t.Fatalf("chest film not saved: %+v %q", r, rec.msg.Text)
	}

	// 主检: the exam is 检查中, so it is on the worklist only with 含检查中.
	v := newConcludeScreen(chief)
	show(chief, v.content())
	if len(v.list.exams) != 0 {
		t.Errorf("worklist without 检查中 lists %d exams", len(v.list.exams))
	}
	test.Tap(v.list.extraCheck)
	if len(v.list.exams) != 1 || v.list.exams[0].ID != e.ID {
		t.Fatalf("worklist with 检查中: %d exams", len(v.list.exams))
	}
	scan(v.list, e.Number)
	if v.b == nil || v.b.exam.ID != e.ID {
		t.Fatal("scanning the exam number did not open the exam")
	}
	if !strings.Contains(v.missing.Text, "肺功能") || !v.missing.Visible() {
		t.Errorf("missing items: %q", v.missing.Text)
	}
	if !strings.Contains(v.abnormal.Text, "4000Hz") {
		t.Errorf("abnormal results: %q", v.abnormal.Text)
	}
	// 2025 edition: four conclusions, 复查 is an order.
	if got := v.hazardForm("3008").code.Options; len(got) != 4 || strings.Contains(strings.Join(got, ","), "复查") {
		t.Errorf("2025 conclusion list: %v", got)
	}

	// The GBZ 49 screen is met for 噪声; adopting it fills the form, nothing more.
	var met *suggestion
	for _, s := range v.suggestions {
		if s.hazard == "3008" && s.finding.Kind == criteria.KindSuspected && s.finding.Outcome == criteria.Met {
			met = s
		}
	}
	if met == nil || met.adopt == nil {
		t.Fatalf("no met 疑似职业病 suggestion for 噪声: %+v", v.suggestions)
	}
	noise := v.hazardForm("3008")
	if noise.selectedCode() != "" {
		t.Fatal("a conclusion was chosen before the doctor adopted anything")
	}
	test.Tap(met.adopt)
	h := noise.value()
	if h.Code != app.ConclusionSuspected || !strings.Contains(h.Disease, "噪声聋") || h.DiseaseCode == "" || !strings.Contains(h.Basis, "GBZ") {
		t.Errorf("adopted conclusion: %+v", h)
	}
	dust := v.hazardForm("1038")
	dust.code.SetSelected("目前未见异常")
	v.phrase.SetSelected(advicePhrases[1])
	if !strings.Contains(v.advice.Text, "职业病诊断机构") {
		t.Errorf("advice phrase not added: %q", v.advice.Text)
	}
	test.Tap(v.saveBtn)
	if !strings.Contains(v.status.Text, "草稿已保存") {
		t.Fatalf("save draft: %q %q", v.status.Text, dialogText(chief.Window))
	}
	shot(t, chief.Window, "conclude-draft.png")
	v.tabs.SelectIndex(1)
	shot(t, chief.Window, "conclude-exam.png")
	v.tabs.SelectIndex(0)

	// Signing is refused while 肺功能 has neither result nor 弃检, in the screen and in the store.
	test.Tap(v.signBtn)
	if d := dialogText(chief.Window); !strings.Contains(d, "签名前缺少") || !strings.Contains(d, "肺功能") {
		t.Errorf("sign with 肺功能 missing: dialog %q", d)
	}
	closeDialogs(chief.Window)
	if _, err := chief.Services.Records.Sign(chief.Ctx, v.b.exam.ID, v.b.exam.Version); err == nil || !strings.Contains(app.ErrorMessage(err), "肺功能") {
		t.Errorf("store signs with 肺功能 missing: %v", err)
	}

	// The worker refuses the lung function test: 弃检 on the 检查录入 screen; the exam awaits
	// its conclusion.
	show(doc, rec.content())
	rec.search.SetText("")
	typeInto(rec.search, e.Number)
	enter(rec.search)
	test.Tap(rec.dept(t, "肺功能室").group(t, "G1201").refuseBtn)
	test.Tap(rec.saveBtn)
	e = rec.exam
	if e.State != app.ExamAwaiting {
		t.Fatalf("state after 弃检: %s %q", e.State.Name(), rec.msg.Text)
	}
	show(chief, v.content())
	v.list.extraCheck.SetChecked(false)
	if len(v.list.exams) != 1 {
		t.Errorf("待总检 worklist: %d", len(v.list.exams))
	}
	test.Tap(v.list.extraCheck)
	scan(v.list, e.Number)
	if v.missing.Visible() {
		t.Errorf("missing still shown: %q", v.missing.Text)
	}
	if got := v.hazardForm("3008").value(); got.Code != app.ConclusionSuspected || got.DiseaseCode != h.DiseaseCode {
		t.Errorf("draft not read back: %+v", got)
	}
	test.Tap(v.signBtn)
	if v.signDialog == nil {
		t.Fatalf("no confirmation before signing; dialog %q", dialogText(chief.Window))
	}
	if d := dialogText(chief.Window); !strings.Contains(d, "疑似职业病：职业性噪声聋") || !strings.Contains(d, "目前未见异常") {
		t.Errorf("confirmation does not show the conclusions: %q", d)
	}
	v.signDialog.Confirm()
	if v.b.exam.State != app.ExamConcluded || recordOf(v.b.exam).Edition != 1 {
		t.Fatalf("after signing: %s edition %d; %q %q", v.b.exam.State.Name(), recordOf(v.b.exam).Edition, v.status.Text, dialogText(chief.Window))
	}
	if v.saveBtn.Disabled() == false || v.signBtn.Disabled() == false {
		t.Error("a signed conclusion can still be edited")
	}
	if !strings.Contains(v.signature.Text, "李主检") || len(v.noticeBox.Objects) != 2 {
		t.Errorf("signature %q, notice buttons %d", v.signature.Text, len(v.noticeBox.Objects))
	}
	shot(t, chief.Window, "conclude-signed.png")

	// The 疑似职业病告知书 for the worker, rendered from the signed exam.
	var pdf []byte
	v.pdfHook = func(b []byte) { pdf = b }
	test.Tap(v.noticeBox.Objects[0].(*widget.Button))
	v.job.wait()
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("notice: %d bytes; dialog %q", len(pdf), dialogText(chief.Window))
	}
	closeDialogs(chief.Window)

	// The referral list has the worker.
	rl := newReferralScreen(chief)
	show(chief, rl.content())
	shot(t, chief.Window, "referrals.png")
	if len(rl.shown) != 1 || !strings.Contains(rl.shown[0].Disease, "噪声聋") {
		t.Errorf("referrals: %+v", rl.shown)
	}
	rl.grid.Select(widget.TableCellID{Row: 0, Col: 2})
	if !strings.Contains(rl.detail.Text, "疑似职业病：职业性噪声聋") {
		t.Errorf("referral detail: %q", rl.detail.Text)
	}
	pdf = nil
	rl.pdfHook = func(b []byte) { pdf = b }
	test.Tap(rl.employer)
	rl.job.wait()
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("notice to the employer from the referral list: %d bytes %q", len(pdf), dialogText(chief.Window))
	}

	// 审核: 退回 needs a reason.
	r := newReviewScreen(rev)
	show(rev, r.content())
	if len(r.list.exams) != 1 {
		t.Fatalf("review worklist: %d", len(r.list.exams))
	}
	r.list.list.Select(0)
	if r.b == nil || !strings.Contains(r.summary.Text, "职业性噪声聋") || !strings.Contains(r.summary.Text, "李主检") {
		t.Fatalf("review shows %q", r.summary.Text)
	}
	shot(t, rev.Window, "review.png")
	test.Tap(r.returnBtn)
	test.Tap(r.returnOK)
	if !strings.Contains(r.reasonMsg.Text, "请填写退回原因") || r.b.exam.State != app.ExamConcluded {
		t.Errorf("退回 without a reason: %q, state %s", r.reasonMsg.Text, r.b.exam.State.Name())
	}
	reason := "请在依据中注明脱离噪声 48 小时后复测的结果"
	typeInto(r.reason, reason)
	test.Tap(r.returnOK)
	if r.b.exam.State != app.ExamReturned {
		t.Fatalf("after 退回: %s %q", r.b.exam.State.Name(), dialogText(rev.Window))
	}
	if len(r.list.exams) != 0 {
		t.Errorf("returned exam still on the review worklist")
	}

	// The chief examiner sees the reason, corrects and signs edition 2.
	show(chief, v.content())
	v.list.reload()
	if len(v.list.exams) != 1 || v.list.exams[0].State != app.ExamReturned {
		t.Fatalf("returned exam not on the 主检 worklist")
	}
	v.list.list.Select(0)
	if !strings.Contains(v.returned.Text, reason) || !strings.Contains(v.returned.Text, "周审核") {
		t.Errorf("return note: %q", v.returned.Text)
	}
	if v.signBtn.Disabled() {
		t.Fatal("a returned exam cannot be signed again")
	}
	noise = v.hazardForm("3008")
	noise.basis.SetText("")
	typeInto(noise.basis, "脱离噪声 48 小时后复测：双耳高频平均听阈 50 dB HL，语频正常（GBZ 49-2014）")
	test.Tap(v.signBtn)
	v.signDialog.Confirm()
	if v.b.exam.State != app.ExamConcluded || recordOf(v.b.exam).Edition != 2 {
		t.Fatalf("second signature: %s edition %d %q", v.b.exam.State.Name(), recordOf(v.b.exam).Edition, dialogText(chief.Window))
	}

	// 审核通过.
	show(rev, r.content())
	r.list.reload()
	scan(r.list, e.Number)
	test.Tap(r.approveBtn)
	r.approveAsk.Confirm()
	if r.b.exam.State != app.ExamReviewed {
		t.Fatalf("after 审核通过: %s %q", r.b.exam.State.Name(), dialogText(rev.Window))
	}

	// 发放 by the front desk.
	rel := newReleaseScreen(desk)
	show(desk, rel.content())
	if len(rel.list.exams) != 1 {
		t.Fatalf("release worklist: %d", len(rel.list.exams))
	}
	if rel.addendumBtn.Visible() {
		t.Error("a registrar is offered 补充更正")
	}
	rel.list.list.Select(0)
	want := []string{reportDocument, "疑似职业病告知书（劳动者）", "疑似职业病告知书（用人单位）"}
	if strings.Join(rel.docs.Options, ",") != strings.Join(want, ",") {
		t.Errorf("documents offered: %v", rel.docs.Options)
	}
	test.Tap(rel.releaseBtn)
	if !strings.Contains(rel.recipMsg.Text, "请填写领取人") || rel.b.exam.State != app.ExamReviewed {
		t.Errorf("release without a recipient: %q", rel.recipMsg.Text)
	}
	if len(rel.noticeBox.Objects) != 2 {
		t.Errorf("notice buttons on release: %d", len(rel.noticeBox.Objects))
	}
	rel.kind.SetSelected(recipientSelf)
	if rel.recipient.Text != "王建国" {
		t.Errorf("本人 fills the recipient: %q", rel.recipient.Text)
	}
	rel.docs.SetSelected([]string{reportDocument, "疑似职业病告知书（劳动者）"})
	rel.receipt.SetSelected(receiptPost)
	test.Tap(rel.releaseBtn)
	if !strings.Contains(rel.receiptMsg.Text, "邮寄单号") {
		t.Errorf("post without a number: %q", rel.receiptMsg.Text)
	}
	rel.receipt.SetSelected(receiptSign)
	shot(t, desk.Window, "release-form.png")
	test.Tap(rel.releaseBtn)
	if rel.b.exam.State != app.ExamReleased {
		t.Fatalf("after 发放: %s %q %q", rel.b.exam.State.Name(), rel.status.Text, dialogText(desk.Window))
	}
	if !strings.Contains(rel.log.Text, "王建国（本人）领取 职业健康检查报告、疑似职业病告知书（劳动者）") || !strings.Contains(rel.log.Text, "签字") {
		t.Errorf("handover log: %q", rel.log.Text)
	}
	// A copy for the employer is added to the log.
	rel.list.extraCheck.SetChecked(true)
	scan(rel.list, e.Number)
	typeInto(rel.recipient, "张科长")
	rel.kind.SetSelected(recipientEmployer)
	rel.docs.SetSelected([]string{"疑似职业病告知书（用人单位）"})
	test.Tap(rel.releaseBtn)
	if got := len(recordOf(rel.b.exam).Releases); got != 2 {
		t.Errorf("handovers: %d; %q", got, rel.status.Text)
	}

	// 历次版本: both editions, who returned the first and why.
	show(rev, r.content())
	scan(r.list, e.Number)
	test.Tap(r.historyBtn)
	shot(t, rev.Window, "review-history.png")
	for _, s := range []string{"第 1 版", "第 2 版（当前）", "退回：周审核", reason, "李主检"} {
		if !strings.Contains(r.history, s) {
			t.Errorf("history lacks %q:\n%s", s, r.history)
		}
	}
	closeDialogs(rev.Window)

	// A released exam takes an addendum from the reviewer, never a change.
	rel2 := newReleaseScreen(rev)
	show(rev, rel2.content())
	rel2.list.extraCheck.SetChecked(true)
	scan(rel2.list, e.Number)
	if !rel2.addendumBtn.Visible() || rel2.addendumBtn.Disabled() {
		t.Fatal("no 补充更正 for a released exam")
	}
	test.Tap(rel2.addendumBtn)
	typeInto(rel2.addendum, "补充：心电图复核无异常。")
	test.Tap(rel2.addendumOK)
	if a := recordOf(rel2.b.exam).Addenda; len(a) != 1 || !strings.Contains(rel2.log.Text, "心电图复核无异常") {
		t.Errorf("addenda %+v log %q", a, rel2.log.Text)
	}
}

func TestConclude_ExpiredQualificationCannotSign(t *testing.T) {
	env := newIntakeEnv(t)
	e, _, _ := recordingExam(t, env)
	doc := staffAs(t, env, "tijian", "陈医生", app.RoleExamDoctor)
	e = refuseLung(t, doc, saveResults(t, doc, e, flowResults(t, env)))

	u := &app.User{Username: "laozhu", Name: "赵主检", Roles: []app.Role{app.RoleChiefExaminer},
		Qualifications: []app.Qualification{{Kind: app.QualificationChiefExaminer, Number: "ZJ2020-01",
			ValidUntil: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}}}
	if err := env.Services.Users.CreateUser(env.Ctx, u, "laozhu2026pw"); err != nil {
		t.Fatal(err)
	}
	chief := staffLogin(t, env, "laozhu", "laozhu2026pw")
	v := newConcludeScreen(chief)
	show(chief, v.content())
	if !strings.Contains(v.qualWarn.Text, "2026-06-30 到期") {
		t.Errorf("no warning of the expired qualification: %q", v.qualWarn.Text)
	}
	scan(v.list, e.Number)
	v.hazardForm("1038").code.SetSelected("目前未见异常")
	v.hazardForm("3008").code.SetSelected("其他疾病或异常")
	typeInto(v.hazardForm("3008").other, "双耳高频听力下降")
	test.Tap(v.signBtn)
	v.signDialog.Confirm()
	if d := dialogText(chief.Window); !strings.Contains(d, "主检医师资格") {
		t.Errorf("refusal not shown: %q", d)
	}
	if v.b.exam.State == app.ExamConcluded || recordOf(v.b.exam).Signature != nil {
		t.Fatal("signed with an expired qualification")
	}
	got, err := env.Services.Exams.FindExamByID(env.Ctx, e.ID)
	if err != nil || got.State == app.ExamConcluded {
		t.Fatalf("stored state %v %v", got.State, err)
	}
}

// staffLogin returns an environment on env's archive for an existing login.
func staffLogin(t *testing.T, env *Env, login, password string) *Env {
	t.Helper()
	base := app.NewContextWithWorkstation(context.Background(), "测试机")
	lu, err := env.Services.Auth.Login(base, login, password)
	if err != nil {
		t.Fatalf("login %s: %v", login, err)
	}
	e := *env
	e.User, e.Ctx = lu, app.NewContextWithUser(base, lu)
	return &e
}
