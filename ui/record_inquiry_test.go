package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// symptom returns the row of a symptom by name.
func (f *inquiryForm) symptom(t *testing.T, name string) *symptomRow {
	t.Helper()
	for _, s := range f.symptoms {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no symptom %s", name)
	return nil
}

func TestRecord_Inquiry(t *testing.T) {
	env := newIntakeEnv(t)
	e, _, emp := recordingExam(t, env)
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	v := newRecordScreen(doc)
	show(doc, v.content())

	// Pinyin initials find the worker; his only exam opens.
	typeInto(v.search, "wjg")
	enter(v.search)
	if v.exam == nil || v.exam.ID != e.ID || !strings.Contains(v.listMsg.Text, "1 位受检者") {
		t.Fatalf("lookup by initials: %q", v.listMsg.Text)
	}
	f := v.inquiry

	// The occupational history comes from the archive.
	if len(f.history) != 1 {
		t.Fatalf("history rows %d", len(f.history))
	}
	h := f.history[0]
	if h.employer.Text != emp.Name || h.workshop.Text != "烧成车间" || h.job.Text != "窑操作工" || h.from.Text != "2015-03-01" ||
		h.to.Text != "" || strings.Join(h.hazards.Codes(), ",") != "1038,3008" {
		t.Errorf("history row: %q %q %q %q %v", h.employer.Text, h.workshop.Text, h.job.Text, h.from.Text, h.hazards.Codes())
	}
	// The symptom focus of 矽尘 is on top, its symptoms listed first.
	if !strings.Contains(f.focusText.Text, "矽尘") || !strings.Contains(f.focusText.Text, "咳嗽、咳痰、胸痛、呼吸困难") {
		t.Errorf("focus: %q", f.focusText.Text)
	}
	var focus []string
	for _, s := range f.symptoms {
		if s.focus {
			focus = append(focus, s.name)
		}
	}
	if got := strings.Join(focus, ","); got != "咳嗽,咳痰,胸痛,呼吸困难,咯血" {
		t.Errorf("focus symptoms %s", got)
	}
	if !f.symptoms[0].focus || len(f.focusBox.Objects) != len(focus) {
		t.Errorf("focus symptoms not first: %d in box", len(f.focusBox.Objects))
	}
	if f.women.Visible() {
		t.Error("menstrual history shown for a man")
	}

	cough := f.symptom(t, "咳嗽")
	test.Tap(cough.check)
	if !cough.detail.Visible() {
		t.Error("degree and duration not offered for a present symptom")
	}
	cough.degree.SetSelected("轻")
	typeInto(cough.since, "2年")
	test.Tap(f.symptom(t, "耳鸣").check)
	f.smoke.status.SetSelected("经常")
	typeInto(f.smoke.perDay, "2O") // letter O for zero
	typeInto(f.smoke.year, "10")
	f.drink.status.SetSelected("无")
	typeInto(f.past, "高血压病史 5 年")
	typeInto(f.occDisease, "无")
	typeInto(f.marriage, "已婚")
	h.to.SetText("2015-13-01")

	test.Tap(v.saveBtn)
	if !strings.Contains(f.msg.Text, "吸烟（每日量）") || !strings.Contains(h.msg.Text, "职业史第 1 段") || !strings.Contains(h.msg.Text, "终止日期") {
		t.Errorf("errors: %q / %q", f.msg.Text, h.msg.Text)
	}
	if got, _ := env.Services.Exams.FindExamByID(env.Ctx, e.ID); got.Version != e.Version {
		t.Error("a bad inquiry was saved")
	}
	f.smoke.perDay.SetText("20")
	h.to.SetText("")
	// Enter in a text field does not save.
	enter(f.past)
	if got, _ := env.Services.Exams.FindExamByID(env.Ctx, e.ID); got.Version != e.Version {
		t.Error("Enter saved the inquiry")
	}
	v.save() // Ctrl+S
	if v.exam.State != app.ExamInProgress || v.exam.Record == nil || v.exam.Record.Inquiry == nil {
		t.Fatalf("not saved: %q", v.msg.Text)
	}
	in := v.exam.Record.Inquiry
	if in.Smoking != (app.Habit{Status: app.HabitRegular, PerDay: 20, Years: 10}) || in.Drinking.Status != app.HabitNever ||
		in.PastHistory != "高血压病史 5 年" || in.Doctor != "tijian" || len(in.History) != 1 || in.History[0].Employer != emp.Name {
		t.Errorf("inquiry stored %+v", in)
	}
	answers := map[string]app.SymptomAnswer{}
	for _, a := range in.Symptoms {
		answers[a.Name] = a
	}
	if a := answers["咳嗽"]; a.Code != "1390000" || !a.Present || a.Degree != "轻" || a.Since != "2年" {
		t.Errorf("咳嗽 %+v", a)
	}
	if a, ok := answers["胸痛"]; !ok || a.Present {
		t.Errorf("胸痛 (asked, absent) %+v %v", a, ok)
	}
	if a := answers["耳鸣"]; !a.Present {
		t.Errorf("耳鸣 %+v", a)
	}
	if _, ok := answers["脱发"]; ok {
		t.Error("a symptom neither in focus nor present was recorded")
	}

	// Reopened, the inquiry is as saved.
	v2 := newRecordScreen(doc)
	show(doc, v2.content())
	v2.open(e.ID)
	f2 := v2.inquiry
	if !f2.symptom(t, "咳嗽").check.Checked || f2.symptom(t, "咳嗽").degree.Selected != "轻" || f2.smoke.status.Selected != "经常" ||
		f2.smoke.perDay.Text != "20" || f2.past.Text != "高血压病史 5 年" || f2.dirty {
		t.Error("inquiry not shown as saved")
	}
	recordShot(t, doc.Window, "record-inquiry.png")
}

func TestRecord_InquiryWoman(t *testing.T) {
	env := newIntakeEnv(t)
	e, w := recordExamFor(t, env, "林秀英", "35012419850202002", "3008")
	if w.Sex != app.SexFemale {
		t.Fatalf("worker sex %q", w.Sex)
	}
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	v := newRecordScreen(doc)
	show(doc, v.content())
	typeInto(v.search, e.Number)
	enter(v.search)
	f := v.inquiry
	if !f.women.Visible() {
		t.Fatal("menstrual history hidden for a woman")
	}
	typeInto(f.menarche, "13")
	typeInto(f.period, "4-6")
	typeInto(f.cycle, "28-30")
	typeInto(f.children, "1")
	v.save()
	in := v.exam.Record.Inquiry
	if in == nil || in.MenarcheAge != 13 || in.PeriodDays != "4-6" || in.CycleDays != "28-30" || in.Children != 1 {
		t.Fatalf("stored %+v (%q)", in, v.msg.Text)
	}
}

func TestRecord_Lookup(t *testing.T) {
	env := newIntakeEnv(t)
	e, _, _ := recordingExam(t, env)
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	v := newRecordScreen(doc)
	show(doc, v.content())

	typeInto(v.search, "129999999")
	enter(v.search)
	if v.exam != nil || !strings.Contains(v.listMsg.Text, "没有体检号为“129999999”") {
		t.Errorf("unknown number: %q", v.listMsg.Text)
	}
	v.search.SetText("")
	typeInto(v.search, "张无忌")
	enter(v.search)
	if v.exam != nil || !strings.Contains(v.listMsg.Text, "没有找到“张无忌”") {
		t.Errorf("unknown name: %q", v.listMsg.Text)
	}
	// An empty box shows the worklist again; Enter on a row opens it.
	v.search.SetText("")
	enter(v.search)
	if len(v.hits) != 1 || !strings.Contains(v.listMsg.Text, "今日待检") {
		t.Fatalf("worklist: %q", v.listMsg.Text)
	}
	v.list.Select(0)
	if v.exam == nil || v.exam.ID != e.ID {
		t.Fatal("worklist row did not open the exam")
	}
	// The hearing room has its group (the audiogram panel, or plain rows without it).
	var hearing *deptForm
	for _, d := range v.depts {
		if d.dept == "听力室" {
			hearing = d
		}
	}
	if hearing == nil || len(hearing.groups) != 1 || hearing.groups[0].item.GroupCode != "G1301" {
		t.Fatalf("听力室 form: %+v", hearing)
	}
	if g := hearing.groups[0]; g.panel == nil && len(g.rows) != 24 {
		t.Errorf("audiometry rows %d", len(g.rows))
	}
	if v.planNotes.Visible() {
		t.Errorf("plan notes shown for a fully planned exam: %q", v.planNotes.Text)
	}
	// Notes of the registration (a hazard the rule table could not plan) stand under the header.
	x := *v.exam
	x.PlanNotes = []string{"危害因素 1999（其他粉尘）在 GBZ 188-2025 中无在岗期间规则，请手工添加项目（待核实）"}
	v.show(&x)
	if !v.planNotes.Visible() || !strings.Contains(v.planNotes.Text, "请手工添加项目") {
		t.Errorf("plan notes: %q", v.planNotes.Text)
	}
}

func TestRecord_CtrlSAndLockedExam(t *testing.T) {
	env := newIntakeEnv(t)
	e, _, _ := recordingExam(t, env)
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	var save func()
	doc.SetActions = func(s, create func()) {
		save = s
		if create != nil {
			t.Error("the recording screen offers 新建")
		}
	}
	v := newRecordScreen(doc)
	show(doc, v.content())
	if save == nil || doc.Focus != v.search {
		t.Fatal("Ctrl+S not bound or the search box not focused")
	}
	v.open(e.ID)
	typeInto(v.inquiry.marriage, "已婚")
	save() // the shell's Ctrl+S
	if v.exam.Record == nil || v.exam.Record.Inquiry == nil || v.exam.Record.Inquiry.Marriage != "已婚" {
		t.Fatalf("Ctrl+S did not save: %q", v.msg.Text)
	}

	// A released exam is shown read-only.
	x := *v.exam
	x.State = app.ExamReleased
	v.show(&x)
	if !v.saveBtn.Disabled() || !v.inquiry.marriage.Disabled() || !strings.Contains(v.msg.Text, "不能再修改") {
		t.Errorf("released exam editable: %q", v.msg.Text)
	}
	ecg := v.dept(t, "心电图室").group(t, "G0901")
	if !ecg.rows[0].entry.Disabled() || !ecg.refuseBtn.Disabled() {
		t.Error("results of a released exam editable")
	}
	save()
	if v.exam.Version != x.Version {
		t.Error("Ctrl+S saved a released exam")
	}
}
