package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// recordCriticals saves a blood count with two critical values (WBC 35 ×10⁹/L, Hb 55 g/L)
// and one normal value on exam, as doctor.
func recordCriticals(t *testing.T, doctor *Env, exam *app.Exam) *app.Exam {
	t.Helper()
	var rs []app.Result
	for code, v := range map[string]string{"4010100": "35", "4012000": "55", "4012600": "200"} {
		r := app.Result{ItemCode: code, GroupCode: "G0101", Kind: app.ResultNumeric}
		if err := r.SetValue(v); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	e, err := doctor.Services.Records.SaveResults(doctor.Ctx, exam.ID, exam.Version, rs)
	if err != nil {
		t.Fatalf("save results: %v", err)
	}
	open := 0
	for _, c := range e.Record.CriticalCalls {
		if !c.Done {
			open++
		}
	}
	if open != 2 {
		t.Fatalf("store opened %d critical calls, want 2: %+v", open, e.Record.CriticalCalls)
	}
	return e
}

// buttonIn returns the button labelled text inside o.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(o, func(x fyne.CanvasObject) {
		if b, ok := x.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func TestCriticals_CallBack(t *testing.T) {
	env := newIntakeEnv(t)
	exam, worker, _ := recordingExam(t, env)
	doctor := staffAs(t, env, "tijian", "张医生", app.RoleExamDoctor)
	exam = recordCriticals(t, doctor, exam)

	var save func()
	doctor.SetActions = func(s, _ func()) { save = s }
	s := newCriticalsScreen(doctor)
	show(doctor, s.content())
	w := doctor.Window

	if len(s.rows) != 2 {
		t.Fatalf("worklist has %d rows, want 2", len(s.rows))
	}
	for _, want := range []string{"共 2 项未回访", exam.Number, "王建国", "13905910001", "危急值（偏高）", "危急值（偏低）", "35×10⁹/L ↑↑", "55g/L ↓↓"} {
		if !markupHas(w, want) {
			t.Errorf("worklist lacks %q", want)
		}
	}
	if s.form.Visible() {
		t.Fatal("form shown before a row was chosen")
	}

	// The keyboard: focus the list, Enter opens the first row; the form is pre-filled from the
	// worker's archive and takes the focus.
	w.Canvas().Focus(s.list)
	s.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !s.form.Visible() || s.sel == nil {
		t.Fatal("Enter on the list did not open the call-back form")
	}
	first := s.sel.call
	if s.recipient.Text != worker.Name || s.phone.Text != worker.Phone {
		t.Errorf("form pre-filled with %q %q", s.recipient.Text, s.phone.Text)
	}
	if w.Canvas().Focused() != s.recipient {
		t.Errorf("focus on %v, want the recipient", w.Canvas().Focused())
	}
	if !strings.Contains(s.selTitle.Text, first.Name) || !strings.Contains(s.selTitle.Text, exam.Number) {
		t.Errorf("form title %q", s.selTitle.Text)
	}
	saveShot(t, w, "criticals.png")

	// Enter in the (Chinese) recipient field saves nothing.
	s.recipient.SetText("")
	typeInto(s.recipient, "王建国（本人）")
	enter(s.recipient)
	if len(s.rows) != 2 || s.done.Visible() {
		t.Fatal("Enter in the recipient field logged the call")
	}
	// Without advice the form says what is missing and logs nothing.
	test.Tap(s.save)
	if !s.msgs["建议"].Visible() || !strings.Contains(s.msgs["建议"].Text, "请填写告知的内容和建议") {
		t.Errorf("advice message %q", s.msgs["建议"].Text)
	}
	// A bad phone number is refused where it is.
	s.phone.SetText("139abc")
	test.Tap(buttonIn(t, s.form, "建议立即到医院就诊"))
	test.Tap(s.save)
	if !strings.Contains(s.msgs["电话"].Text, "不是电话号码") || len(s.rows) != 2 {
		t.Fatalf("phone message %q, %d rows", s.msgs["电话"].Text, len(s.rows))
	}
	s.phone.SetText("")
	typeInto(s.phone, "13905910001")
	test.Tap(buttonIn(t, s.form, "已同时告知用人单位联系人"))
	if s.advice.Text != "建议立即到医院就诊；已同时告知用人单位联系人" {
		t.Errorf("advice %q", s.advice.Text)
	}
	test.Tap(s.save)
	if s.msgs["建议"].Visible() || s.msgs["电话"].Visible() {
		t.Fatalf("messages after a good save: %q %q", s.msgs["建议"].Text, s.msgs["电话"].Text)
	}

	// The row left the list; the log of the exam shows the call.
	if len(s.rows) != 1 || (s.rows[0].call.ItemCode == first.ItemCode) {
		t.Fatalf("after logging: %d rows", len(s.rows))
	}
	for _, want := range []string{"已登记：体检号 " + exam.Number, "共 1 项未回访", "本次体检已回访的危急值",
		"已告知 王建国（本人）（13905910001），通知人 张医生（tijian）。建议立即到医院就诊；已同时告知用人单位联系人"} {
		if !markupHas(w, want) {
			t.Errorf("after logging, screen lacks %q", want)
		}
	}

	saveShot(t, w, "criticals-logged.png")

	// The second with Ctrl+S (the window's save command).
	s.list.Select(0)
	typeInto(s.advice, "建议立即到血液科就诊")
	if save == nil {
		t.Fatal("the screen bound no save command")
	}
	save()
	if len(s.rows) != 0 || !markupHas(w, "没有未回访的危急值。") {
		t.Fatalf("after the second call: %d rows", len(s.rows))
	}

	// The store has both calls, closed, with who called and what was said.
	got, err := doctor.Services.Exams.FindExamByID(doctor.Ctx, exam.ID)
	if err != nil {
		t.Fatal(err)
	}
	var advice []string
	for _, c := range got.Record.CriticalCalls {
		if !c.Done || c.Caller != "tijian" || c.Phone != "13905910001" || c.CalledAt.IsZero() {
			t.Errorf("call %+v", c)
		}
		advice = append(advice, c.Advice)
	}
	slices.Sort(advice)
	if len(advice) != 2 || advice[1] != "建议立即到血液科就诊" {
		t.Errorf("advice stored %q", advice)
	}
	if open, err := doctor.Services.Records.OpenCriticals(doctor.Ctx); err != nil || len(open) != 0 {
		t.Errorf("open criticals after both calls: %d, %v", len(open), err)
	}
}

func TestCriticals_Screen(t *testing.T) {
	var def *ScreenDef
	for _, d := range Screens() {
		if d.ID == "criticals" {
			def = &d
		}
	}
	if def == nil {
		t.Fatal("screen criticals not registered")
	}
	if def.Group != "体检" || def.Title != "危急值" || def.Order != 35 || def.Action != "RecordService.OpenCriticals" ||
		!slices.Equal(def.Roles, []app.Role{app.RoleExamDoctor, app.RoleChiefExaminer, app.RoleReviewer}) {
		t.Errorf("screen %+v", *def)
	}

	// A registration clerk is refused by the store, whatever the screen shows.
	env := newIntakeEnv(t)
	exam, _, _ := recordingExam(t, env)
	recordCriticals(t, staffAs(t, env, "tijian", "张医生", app.RoleExamDoctor), exam)
	clerk := staffAs(t, env, "dengji", "李登记", app.RoleRegistrar)
	if _, err := clerk.Services.Records.OpenCriticals(clerk.Ctx); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("clerk OpenCriticals: %v, want EFORBIDDEN", err)
	}
	// A reviewer sees the list.
	rev := staffAs(t, env, "shenhe", "赵审核", app.RoleReviewer)
	s := newCriticalsScreen(rev)
	show(rev, s.content())
	if len(s.rows) != 2 {
		t.Errorf("reviewer sees %d rows", len(s.rows))
	}
	// The screen fits a 1024-pixel screen beside the navigation.
	if w := s.content().MinSize().Width; w > 800 {
		t.Errorf("minimum width %.0f px", w)
	}
	rev.Window.Resize(fyne.NewSize(820, 700))
	relayout(rev.Window)
	saveShot(t, rev.Window, "criticals-narrow.png")
}

// Someone saves on the exam between opening the form and logging the call: the store refuses
// the stale version, the screen says so, reads the exam again and keeps what was typed; the
// second try goes through.
func TestCriticals_Conflict(t *testing.T) {
	env := newIntakeEnv(t)
	exam, _, _ := recordingExam(t, env)
	doctor := staffAs(t, env, "tijian", "张医生", app.RoleExamDoctor)
	exam = recordCriticals(t, doctor, exam)
	s := newCriticalsScreen(doctor)
	show(doctor, s.content())
	s.list.Select(0)
	test.Tap(buttonIn(t, s.form, "建议立即到医院急诊就诊"))

	// Meanwhile the lab adds a result.
	r := app.Result{ItemCode: "4011700", GroupCode: "G0101", Kind: app.ResultNumeric}
	if err := r.SetValue("0.45"); err != nil {
		t.Fatal(err)
	}
	if _, err := doctor.Services.Records.SaveResults(doctor.Ctx, exam.ID, exam.Version, []app.Result{r}); err != nil {
		t.Fatal(err)
	}

	test.Tap(s.save)
	if !strings.Contains(dialogText(doctor.Window), "您输入的内容仍保留在表单中") {
		t.Errorf("conflict dialog: %q", dialogText(doctor.Window))
	}
	closeDialogs(doctor.Window)
	if len(s.rows) != 2 || s.sel == nil || s.advice.Text != "建议立即到医院急诊就诊" || !s.form.Visible() {
		t.Fatalf("after the conflict: %d rows, advice %q", len(s.rows), s.advice.Text)
	}
	test.Tap(s.save)
	if len(s.rows) != 1 {
		t.Fatalf("second try: %d rows left", len(s.rows))
	}
}
