package ui

import (
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
)

// recordExamFor registers, on an intake environment, an individual in-service exam dated
// testNow of a worker (sex from the ID number) exposed to hazards; 矽尘 (1038) with 振动 (3009)
// gives lab groups, 内科, 神经科, 外科 and the chest film.
func recordExamFor(t *testing.T, env *Env, name, idBody string, hazards ...string) (*app.Exam, *app.Worker) {
	t.Helper()
	emp := addEmployer(t, env, "闽清示例机械有限公司", validCreditCode)
	start := time.Date(2016, 4, 1, 0, 0, 0, 0, time.UTC)
	var xs []app.Exposure
	for _, h := range hazards {
		xs = append(xs, app.Exposure{HazardCode: h, Start: start})
	}
	w := &app.Worker{Name: name, DocType: app.DocResidentID, IDNumber: idNumber(idBody), Phone: "13905910002",
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "铸造车间", JobName: "打磨工", Start: start}},
		Exposures:   xs}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatalf("create worker: %v", err)
	}
	e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID,
		Type: app.ExamPeriodic, Hazards: hazards, Date: testNow, Workshop: "铸造车间", JobName: "打磨工"})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return e, w
}

// dept returns the form of a department of the open exam.
func (v *recordScreen) dept(t *testing.T, name string) *deptForm {
	t.Helper()
	for i, d := range v.depts {
		if d.dept == name {
			v.tabs.SelectIndex(i + 1)
			return d
		}
	}
	t.Fatalf("no department %s among %v", name, examDepartments(v.exam, v.table))
	return nil
}

// group returns a group of the form.
func (f *deptForm) group(t *testing.T, code string) *groupBox {
	t.Helper()
	for _, g := range f.groups {
		if g.item.GroupCode == code {
			return g
		}
	}
	t.Fatalf("%s: no group %s", f.dept, code)
	return nil
}

// row returns the row of an item.
func (g *groupBox) row(t *testing.T, code string) *resultRow {
	t.Helper()
	for _, r := range g.rows {
		if r.code == code {
			return r
		}
	}
	t.Fatalf("%s: no item %s", g.item.Name, code)
	return nil
}

// recordShot writes the window as a PNG into /tmp/h/shots (to look at; not a golden).
func recordShot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := "/tmp/h/shots"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot dir: %v", err)
		return
	}
	relayout(w)
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Logf("screenshot: %v", err)
	}
}

func TestRecord_ResultsWorkflow(t *testing.T) {
	env := newIntakeEnv(t)
	e, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "1038", "3009")
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	v := newRecordScreen(doc)
	show(doc, v.content())

	// Today's worklist holds the registered exam.
	if len(v.hits) != 1 || v.hits[0].ID != e.ID || !strings.Contains(v.listMsg.Text, "共 1 人") {
		t.Fatalf("worklist %d hits: %q", len(v.hits), v.listMsg.Text)
	}
	// A scanner types the number and Enter.
	typeInto(v.search, e.Number)
	enter(v.search)
	if v.exam == nil || v.exam.ID != e.ID {
		t.Fatalf("exam not opened: %q", v.listMsg.Text)
	}
	for _, s := range []string{e.Number, "陈振华", "男", "矽尘", "振动", "在岗期间", "GBZ 188-2025", "已登记"} {
		if !strings.Contains(v.header.Text+v.state.Text, s) {
			t.Errorf("header lacks %q: %q", s, v.header.Text)
		}
	}
	if got := strings.Join(examDepartments(v.exam, v.table), ","); got != "检验科,内科,外科,神经科,心电图室,放射科,肺功能室" {
		t.Errorf("departments %s", got)
	}

	// 内科 starts from the normal descriptions, but nothing is saved until it is touched.
	med := v.dept(t, "内科")
	heart := med.group(t, "G0201").row(t, "2030200")
	if heart.entry.Text != "心界不大，各瓣膜听诊区未闻及病理性杂音" || med.dirty || !med.hint.Visible() {
		t.Errorf("内科 defaults: %q dirty %v", heart.entry.Text, med.dirty)
	}
	if rs, _ := med.changed(); len(rs) != 0 {
		t.Errorf("untouched defaults would be saved: %d", len(rs))
	}
	// Blood pressure is entered as 收缩压 and 舒张压, with their ranges.
	sys := med.group(t, "G0201").row(t, "2010501")
	typeInto(sys.entry, "128")
	typeInto(med.group(t, "G0201").row(t, "2010502").entry, "82")
	typeInto(med.group(t, "G0201").row(t, "2010200").entry, "172")
	if sys.flag.Text != "正常" {
		t.Errorf("收缩压 128 flag %q", sys.flag.Text)
	}
	lung := med.group(t, "G0201").row(t, "2030300")
	// Tab goes from finding to finding: the phrase chips take no focus.
	doc.Window.Canvas().Focus(heart.entry)
	doc.Window.Canvas().FocusNext()
	if doc.Window.Canvas().Focused() != lung.entry {
		t.Errorf("Tab from 心 went to %T", doc.Window.Canvas().Focused())
	}
	test.Tap(phraseButton(t, lung, "双肺呼吸音粗"))
	test.Tap(phraseButton(t, lung, "可闻及干性啰音"))
	if lung.entry.Text != "双肺呼吸音粗，可闻及干性啰音" {
		t.Errorf("phrases: %q", lung.entry.Text)
	}

	// 检验科: a high WBC is flagged with words and an arrow; a critical platelet count in red
	// with the call-back notice.
	lab := v.dept(t, "检验科")
	cbc := lab.group(t, "G0101")
	wbc := cbc.row(t, "4010100")
	typeInto(wbc.entry, "12.5")
	if wbc.flag.Text != "偏高 ↑" || wbc.flag.Importance != widget.WarningImportance {
		t.Errorf("WBC 12.5: %q", wbc.flag.Text)
	}
	// Enter in a numeric field moves on to the next item, as Tab does.
	doc.Window.Canvas().Focus(wbc.entry)
	enter(wbc.entry)
	if doc.Window.Canvas().Focused() != cbc.row(t, "4010200").entry {
		t.Errorf("Enter did not move on: focus %T", doc.Window.Canvas().Focused())
	}
	plt := cbc.row(t, "4012600")
	typeInto(plt.entry, "２０") // full-width digits, as an IME gives them
	if plt.flag.Text != "危急值（偏低） ↓↓" || plt.flag.Importance != widget.DangerImportance {
		t.Errorf("PLT 20: %q", plt.flag.Text)
	}
	if !lab.critical.Visible() || !strings.Contains(lab.critical.Text, "血小板计数(PLT) 20") || !strings.Contains(lab.critical.Text, "电话通知") {
		t.Errorf("critical notice: %q", lab.critical.Text)
	}
	hb := cbc.row(t, "4012000")
	typeInto(hb.entry, "14,5")
	if !hb.msg.Visible() || !strings.Contains(hb.msg.Text, "逗号") {
		t.Errorf("comma refused: %q", hb.msg.Text)
	}
	// The wrong value blocks saving with the message beside the field, and nothing is lost.
	test.Tap(v.saveBtn)
	if !strings.Contains(v.msg.Text, "填写错误") || !strings.Contains(hb.msg.Text, "血红蛋白") {
		t.Errorf("save with a bad value: %q / %q", v.msg.Text, hb.msg.Text)
	}
	if got, _ := env.Services.Exams.FindExamByID(env.Ctx, e.ID); got.Version != e.Version {
		t.Error("a bad value saved something")
	}
	hb.entry.SetText("")
	typeInto(hb.entry, "145")
	// 类风湿因子 refused.
	rf := lab.group(t, "G0108")
	test.Tap(rf.refuseBtn)
	if rf.statusLbl.Text != "本组已记为弃检" || !rf.rows[0].entry.Disabled() {
		t.Errorf("弃检: %q", rf.statusLbl.Text)
	}

	// Enter in a text finding (typed with an input method) saves nothing.
	enter(lung.entry)
	if got, _ := env.Services.Exams.FindExamByID(env.Ctx, e.ID); got.Version != e.Version {
		t.Error("Enter in a text field saved")
	}

	recordShot(t, doc.Window, "record-results-lab.png")
	test.Tap(v.saveBtn)
	if v.exam.State != app.ExamInProgress || v.state.Text != "检查中" {
		t.Fatalf("after save: %s %q", v.exam.State, v.msg.Text)
	}
	if !strings.Contains(v.msg.Text, "已保存") || !strings.Contains(v.msg.Text, "危急值") || !strings.Contains(v.msg.Text, "尚缺") {
		t.Errorf("save note: %q", v.msg.Text)
	}
	rec := v.exam.Record
	if r, ok := rec.ResultFor("G0101", "4010100"); !ok || r.Value != "12.5" || r.Flag != app.FlagHigh || r.Doctor != "tijian" {
		t.Errorf("WBC stored %+v", r)
	}
	if r, ok := rec.ResultFor("G0101", "4012600"); !ok || r.Value != "20" || !r.Flag.Critical() {
		t.Errorf("PLT stored %+v", r)
	}
	if r, ok := rec.ResultFor("G0108", ""); !ok || r.Status != app.ResultRefused {
		t.Errorf("RF stored %+v", r)
	}
	if r, ok := rec.ResultFor("G0201", "2030200"); !ok || r.Value != "心界不大，各瓣膜听诊区未闻及病理性杂音" {
		t.Errorf("内科 default not saved once touched: %+v", r)
	}
	if _, ok := rec.ResultFor("G0401", "2050200"); ok {
		t.Error("神经科 defaults saved though nobody touched them")
	}
	if len(rec.CriticalCalls) != 1 || rec.CriticalCalls[0].ItemCode != "4012600" {
		t.Errorf("critical calls %+v", rec.CriticalCalls)
	}

	// Reopened on another screen: the values are there.
	v2 := newRecordScreen(doc)
	show(doc, v2.content())
	typeInto(v2.search, e.Number)
	enter(v2.search)
	lab2 := v2.dept(t, "检验科")
	if got := lab2.group(t, "G0101").row(t, "4010100").entry.Text; got != "12.5" {
		t.Errorf("WBC reopened %q", got)
	}
	if g := lab2.group(t, "G0108"); g.status != app.ResultRefused {
		t.Errorf("RF reopened %q", g.status)
	}
	if got := v2.dept(t, "内科").group(t, "G0201").row(t, "2030300").entry.Text; got != "双肺呼吸音粗，可闻及干性啰音" {
		t.Errorf("肺 reopened %q", got)
	}

	// The refusal is taken back and the value typed after all.
	rf2 := lab2.group(t, "G0108")
	if rf2.refuseBtn.Text != "撤销弃检" || !rf2.rows[0].entry.Disabled() {
		t.Errorf("refused group: button %q", rf2.refuseBtn.Text)
	}
	test.Tap(rf2.refuseBtn)
	typeInto(rf2.rows[0].entry, "阴性")
	// The rest: 血沉, 血糖, 神经科 and 外科 all normal, chest film 0, ECG, lung function.
	typeInto(lab2.group(t, "G0107").row(t, "4070300").entry, "8")
	typeInto(lab2.group(t, "G0105").row(t, "4070500").entry, "5.1")
	test.Tap(v2.dept(t, "神经科").allNormal)
	test.Tap(v2.dept(t, "外科").allNormal)
	chest := v2.dept(t, "放射科").group(t, "G1101").row(t, "3080200")
	if len(chest.sel.Options) != 4 || chest.sel.Options[1] != "1 尘肺样改变" || chest.sel.Options[3] != "3 未检查" {
		t.Errorf("chest film options %v", chest.sel.Options)
	}
	chest.sel.SetSelected("0 未见异常")
	ecg := v2.dept(t, "心电图室").group(t, "G0901").row(t, "3060100")
	test.Tap(phraseButton(t, ecg, "窦性心动过缓"))
	pf := v2.dept(t, "肺功能室").group(t, "G1201")
	typeInto(pf.row(t, "3020100").entry, "92")
	typeInto(pf.row(t, "3020200").entry, "88")
	typeInto(pf.row(t, "3020300").entry, "81")
	test.Tap(phraseButton(t, pf.row(t, "3021700"), "肺通气功能正常"))
	v2.dept(t, "神经科")
	recordShot(t, doc.Window, "record-physical-neuro.png")
	v2.save()
	if v2.exam.State != app.ExamAwaiting || v2.state.Text != "待总检" || !strings.Contains(v2.msg.Text, "待总检") {
		t.Fatalf("not 待总检: %s %q", v2.exam.State, v2.msg.Text)
	}
	if r, _ := v2.exam.Record.ResultFor("G1101", "3080200"); r.Value != "0" || r.Kind != app.ResultCode {
		t.Errorf("chest film stored %+v", r)
	}
	if r, _ := v2.exam.Record.ResultFor("G0108", "4395900"); r.Value != "阴性" {
		t.Errorf("RF after the refusal was taken back: %+v", r)
	}
	if r, _ := v2.exam.Record.ResultFor("G0108", ""); r.Status != app.ResultMissing {
		t.Errorf("the refusal still stands: %+v", r)
	}
	if g := v2.dept(t, "检验科").group(t, "G0108"); g.status != "" || g.rows[0].entry.Disabled() {
		t.Errorf("RF group after save: %q", g.status)
	}
	if _, ok := v2.exam.Record.ResultFor("G1101", "3080100"); ok {
		t.Error("the chest film not taken was recorded")
	}
	// Saving again with nothing changed writes nothing.
	ver := v2.exam.Version
	v2.save()
	if v2.exam.Version != ver || !strings.Contains(v2.msg.Text, "没有需要保存") {
		t.Errorf("empty save: %q", v2.msg.Text)
	}
	lab3 := v2.dept(t, "检验科")
	recordShot(t, doc.Window, "record-results-saved.png")
	_ = lab3
}

// phraseButton returns the phrase chip with text under a row.
func phraseButton(t *testing.T, r *resultRow, text string) *phraseChip {
	t.Helper()
	var found *phraseChip
	if r.phrases == nil {
		t.Fatalf("%s: no phrases", r.name)
	}
	walk(r.phrases, func(o fyne.CanvasObject) {
		if b, ok := o.(*phraseChip); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("%s: no phrase %q", r.name, text)
	}
	return found
}

func TestRecord_GroupWithoutItemCodes(t *testing.T) {
	env := newIntakeEnv(t)
	e, w := recordExamFor(t, env, "陈振华", "35012419800101003", "1038")
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	x := *e
	x.Items = []app.ExamItem{{GroupCode: "G0126", Name: "痰细胞学检查", Department: "检验科", Required: true}}
	f := newDeptForm(doc, ruleTable(doc), &x, w, "检验科")
	show(doc, f.content())
	g := f.group(t, "G0126")
	if !g.noItems || len(g.rows) != 0 || !markupHas(doc.Window, "只能记为弃检或未检") {
		t.Fatalf("group without codes: rows %d", len(g.rows))
	}
	test.Tap(g.refuseBtn)
	rs, err := f.changed()
	if err != nil || len(rs) != 1 || rs[0].ItemCode != "" || rs[0].Status != app.ResultRefused || rs[0].Doctor != "tijian" {
		t.Errorf("results %+v %v", rs, err)
	}
}

func TestRecord_TwoStations(t *testing.T) {
	env := newIntakeEnv(t)
	e, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "1038", "3009")
	lab := staffAs(t, env, "jianyan", "检验科李医生", app.RoleExamDoctor)
	med := staffAs(t, env, "neike", "内科周医生", app.RoleExamDoctor)
	a := newRecordScreen(lab)
	show(lab, a.content())
	a.open(e.ID)
	b := newRecordScreen(med)
	b.open(e.ID)

	// The lab saves first; the internist, who opened the exam before, saves other items: the
	// screen saves them on the newer version without asking.
	typeInto(a.dept(t, "检验科").group(t, "G0101").row(t, "4010100").entry, "6.1")
	a.save()
	test.Tap(b.dept(t, "内科").allNormal)
	b.save()
	if !strings.Contains(b.msg.Text, "已保存") {
		t.Fatalf("second station: %q", b.msg.Text)
	}
	if r, _ := b.exam.Record.ResultFor("G0101", "4010100"); r.Value != "6.1" {
		t.Errorf("the lab's value lost: %+v", r)
	}
	if got := b.dept(t, "检验科").group(t, "G0101").row(t, "4010100").entry.Text; got != "6.1" {
		t.Errorf("second station does not show the lab's value: %q", got)
	}

	// Both change the same item: the second is told which, keeps what was typed, and a second
	// save records it.
	wbcA := a.dept(t, "检验科").group(t, "G0101").row(t, "4010100")
	wbcA.entry.SetText("6.3")
	wbcB := b.dept(t, "检验科").group(t, "G0101").row(t, "4010100")
	wbcB.entry.SetText("6.4")
	b.save()
	a.save()
	if !strings.Contains(a.msg.Text, "其他工作站") || !strings.Contains(a.msg.Text, "白细胞总数") || wbcA.entry.Text != "6.3" {
		t.Fatalf("clash: %q (%q)", a.msg.Text, wbcA.entry.Text)
	}
	if got, _ := env.Services.Exams.FindExamByID(env.Ctx, e.ID); got.Record == nil {
		t.Fatal("no record")
	} else if r, _ := got.Record.ResultFor("G0101", "4010100"); r.Value != "6.4" {
		t.Errorf("the clash overwrote silently: %+v", r)
	}
	a.save()
	if r, _ := a.exam.Record.ResultFor("G0101", "4010100"); r.Value != "6.3" || r.Doctor != "jianyan" {
		t.Errorf("second save: %+v (%q)", r, a.msg.Text)
	}
}

func TestRecord_PhysicalMarkup(t *testing.T) {
	env := newIntakeEnv(t)
	e, w := recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	f := newDeptForm(doc, ruleTable(doc), e, w, "内科")
	show(doc, f.content())
	assertMarkup(t, "record_physical_neike.xml", doc.Window)
}

// refusingRecords refuses every SaveResults as a store does, naming an item.
type refusingRecords struct {
	app.RecordService
	err error
}

func (r refusingRecords) SaveResults(context.Context, int64, int64, []app.Result) (*app.Exam, error) {
	return nil, r.err
}

func TestRecord_ServiceRefusalBesideTheField(t *testing.T) {
	env := newIntakeEnv(t)
	e, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	doc.Services.Records = refusingRecords{doc.Services.Records,
		app.Errors{app.FieldError("白细胞总数（WBC）", "本次体检已总检，结果不能再修改")}}
	v := newRecordScreen(doc)
	show(doc, v.content())
	v.open(e.ID)
	wbc := v.dept(t, "检验科").group(t, "G0101").row(t, "4010100")
	typeInto(wbc.entry, "5.2")
	v.save()
	if !strings.Contains(v.msg.Text, "保存未成功") || !wbc.msg.Visible() || !strings.Contains(wbc.msg.Text, "已总检") {
		t.Errorf("refusal: %q / %q", v.msg.Text, wbc.msg.Text)
	}
	if wbc.entry.Text != "5.2" {
		t.Error("the typed value was lost")
	}
}

func TestRecord_StationKeepsItsPage(t *testing.T) {
	env := newIntakeEnv(t)
	e1, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	w2 := &app.Worker{Name: "刘海", DocType: app.DocResidentID, IDNumber: idNumber("35012419790505001")}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w2); err != nil {
		t.Fatal(err)
	}
	e2, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w2.ID, EmployerID: e1.EmployerID,
		Type: app.ExamPeriodic, Hazards: []string{"3009"}, Date: testNow})
	if err != nil {
		t.Fatal(err)
	}
	doc := staffAs(t, env, "jianyan", "检验科李医生", app.RoleExamDoctor)
	v := newRecordScreen(doc)
	show(doc, v.content())
	typeInto(v.search, e1.Number)
	enter(v.search)
	lab := v.dept(t, "检验科")
	wbc := lab.group(t, "G0101").row(t, "4010100")
	typeInto(wbc.entry, "5.5")
	v.save()
	if doc.Window.Canvas().Focused() != v.search {
		t.Error("after saving, the keyboard is not back in the search box for the next scan")
	}
	// The next worker's exam opens on 检验科, the keyboard in its first field.
	typeInto(v.search, e2.Number)
	enter(v.search)
	if v.exam.ID != e2.ID || v.tabs.Selected().Text != "检验科" {
		t.Fatalf("next exam on page %q", v.tabs.Selected().Text)
	}
	first := v.dept(t, "检验科").group(t, "G0101").row(t, "4010100").entry
	if doc.Window.Canvas().Focused() != first {
		t.Errorf("focus %T, want the first result field", doc.Window.Canvas().Focused())
	}
}

func TestRecord_UnsavedChangesAsked(t *testing.T) {
	env := newIntakeEnv(t)
	e1, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	w2 := &app.Worker{Name: "刘海", DocType: app.DocResidentID, IDNumber: idNumber("35012419790505001")}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w2); err != nil {
		t.Fatal(err)
	}
	e2, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w2.ID, EmployerID: e1.EmployerID,
		Type: app.ExamPeriodic, Hazards: []string{"3009"}, Date: testNow})
	if err != nil {
		t.Fatal(err)
	}
	doc := staffAs(t, env, "jianyan", "检验科李医生", app.RoleExamDoctor)
	v := newRecordScreen(doc)
	show(doc, v.content())
	v.open(e1.ID)
	typeInto(v.dept(t, "检验科").group(t, "G0101").row(t, "4010100").entry, "5.5")
	v.open(e2.ID)
	if v.exam.ID != e1.ID || !strings.Contains(dialogText(doc.Window), "未保存的修改") {
		t.Fatalf("no question before dropping what was typed: exam %d", v.exam.ID)
	}
	tapDialogButton(t, doc.Window, "继续编辑")
	if v.exam.ID != e1.ID || v.dept(t, "检验科").group(t, "G0101").row(t, "4010100").entry.Text != "5.5" {
		t.Error("继续编辑 lost the typing")
	}
	v.open(e2.ID)
	tapDialogButton(t, doc.Window, "放弃修改")
	if v.exam.ID != e2.ID {
		t.Error("放弃修改 did not open the other exam")
	}
}
