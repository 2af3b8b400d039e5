package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// waitSeen waits for one live refresh.
func waitSeen(t *testing.T, seen chan struct{}, what string) {
	t.Helper()
	select {
	case <-seen:
	case <-time.After(2 * time.Second):
		t.Fatalf("no refresh within 2 s: %s", what)
	}
}

// noRefresh checks that no live refresh runs within d.
func noRefresh(t *testing.T, seen chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-seen:
		t.Fatalf("refreshed: %s", what)
	case <-time.After(d):
	}
}

// liveEnv gives env a fake change feed and a screen context, as the shell does.
func liveEnv(t *testing.T, env *Env) (*fakeFeed, chan struct{}, context.CancelFunc) {
	feed := newFakeFeed()
	env.Services.Changes = feed
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	env.ScreenCtx = ctx
	seen := make(chan struct{}, 16)
	env.liveSeen = seen
	return feed, seen, cancel
}

// 检查录入: another workstation registers a worker; a notice makes today's worklist show the
// new exam within the debounce, while the exam open here, its typed result and the focus
// stay as they were. A burst of notices costs one query; a notice of another kind none; the
// subscription ends with the screen.
func TestLive_RecordWorklist(t *testing.T) {
	env := newIntakeEnv(t)
	e1, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	feed, seen, cancel := liveEnv(t, doc)
	v := newRecordScreen(doc)
	show(doc, v.content())
	if feed.subscribers() != 1 {
		t.Fatalf("subscribers %d", feed.subscribers())
	}
	v.open(e1.ID)
	v.list.Select(0)
	wbc := v.dept(t, "检验科").group(t, "G0101").row(t, "4010100")
	typeInto(wbc.entry, "5.2")
	doc.Window.Canvas().Focus(wbc.entry)

	// The front desk registers another worker (on the server: no notice reaches this test's
	// feed until the test publishes it).
	e2 := registerAnother(t, env)
	feed.publish(app.ChangeAudit) // a login elsewhere: not a worklist's business
	noRefresh(t, seen, 2*liveDelay, "an audit-only notice")
	if len(v.hits) != 1 {
		t.Fatal("listed before a notice")
	}
	start := time.Now()
	for i := 0; i < 5; i++ {
		feed.publish(app.ChangeExam, e2.ID)
	}
	waitSeen(t, seen, "exam notice")
	if took := time.Since(start); took < liveDelay/2 || took > time.Second {
		t.Errorf("refresh after %v, want about %v", took, liveDelay)
	}
	noRefresh(t, seen, 2*liveDelay, "a burst of five notices refreshed more than once")
	if len(v.hits) != 2 || !strings.Contains(v.listMsg.Text, "共 2 人") {
		t.Fatalf("worklist after the notice: %d hits, %q", len(v.hits), v.listMsg.Text)
	}
	if v.exam == nil || v.exam.ID != e1.ID || wbc.entry.Text != "5.2" {
		t.Errorf("the open exam was disturbed: exam %v, WBC %q", v.exam, wbc.entry.Text)
	}
	if doc.Window.Canvas().Focused() != wbc.entry {
		t.Errorf("focus moved to %T", doc.Window.Canvas().Focused())
	}

	// A search's hits are not replaced by the worklist.
	typeInto(v.search, "czh")
	enter(v.search)
	feed.publish(app.ChangeExam)
	waitSeen(t, seen, "exam notice during a search")
	if !strings.Contains(v.listMsg.Text, "找到") {
		t.Errorf("a notice replaced the search: %q", v.listMsg.Text)
	}

	// The screen goes away: the subscription ends.
	cancel()
	eventually(t, "unsubscribed", func() bool { return feed.subscribers() == 0 })
}

// registerAnother registers a second worker for today, as the front desk would.
func registerAnother(t *testing.T, env *Env) *app.Exam {
	t.Helper()
	ws, err := env.Services.Workers.SearchWorkers(env.Ctx, app.WorkerSearch{Query: "陈振华"})
	if err != nil || len(ws) == 0 {
		t.Fatalf("search: %v", err)
	}
	w0, err := env.Services.Workers.WorkersByIDs(env.Ctx, ws[:1])
	if err != nil {
		t.Fatal(err)
	}
	empID := w0[0].WorkHistory[0].EmployerID
	start := time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC)
	w := &app.Worker{Name: "林秀英", DocType: app.DocResidentID, IDNumber: idNumber("35012419850505002"),
		WorkHistory: []app.WorkPeriod{{EmployerID: empID, Workshop: "铸造车间", JobName: "打磨工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "3009", Start: start}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: empID,
		Type: app.ExamPeriodic, Hazards: []string{"3009"}, Date: testNow, Workshop: "铸造车间", JobName: "打磨工"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// 报告期限 in the shell of a 联网 workstation: a notice brings another workstation's exam into
// the list; opening another screen or logging out ends the screen's subscription.
func TestLive_ShellSubscriptionFollowsTheScreen(t *testing.T) {
	env := newIntakeEnv(t)
	srv := newFakeServerOn(env.Services)
	s := loginServer(t, srv)
	seen := make(chan struct{}, 16)
	s.shell.env.liveSeen = seen
	s.shell.nav.Select("overdue")
	if srv.feed.subscribers() != 1 {
		t.Fatalf("报告期限 shown: %d subscribers", srv.feed.subscribers())
	}
	if !strings.Contains(labelTexts(s.win), "所有体检报告都已发放") {
		t.Fatalf("empty list: %s", labelTexts(s.win))
	}
	recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	srv.feed.publish(app.ChangeExam)
	waitSeen(t, seen, "exam notice on 报告期限")
	if !strings.Contains(labelTexts(s.win), "尚有 1 份报告未发放") {
		t.Errorf("after the notice: %s", labelTexts(s.win))
	}
	s.shell.nav.Select("home")
	eventually(t, "报告期限 left: unsubscribed", func() bool { return srv.feed.subscribers() == 0 })
	s.shell.nav.Select("contracts")
	eventually(t, "体检任务 shown: subscribed", func() bool { return srv.feed.subscribers() == 1 })
	s.shell.logout()
	eventually(t, "logged out: unsubscribed", func() bool { return srv.feed.subscribers() == 0 })
}

// newFakeServerOn is a fake server on services already set up.
func newFakeServerOn(svc app.Services) *fakeServer {
	return &fakeServer{svc: svc, conn: &fakeConn{st: app.ConnectionState{Online: true, Address: testServerAddr}},
		feed: newFakeFeed(),
		info: app.ServerInfo{Address: testServerAddr, Fingerprint: testFP, Institution: testSetup().Institution.Name, Version: "1.4.0", Protocol: 1, Compatible: true}}
}

// flakyWorkers fails the first CreateWorker as the remote client does when the server is
// away (nothing saved), then works.
type flakyWorkers struct {
	app.WorkerService
	fails atomic.Int32
}

func (f *flakyWorkers) CreateWorker(ctx context.Context, w *app.Worker) error {
	if f.fails.Add(-1) >= 0 {
		return app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（连接被拒绝）。刚才的操作没有保存；您输入的内容仍在窗口中，连接恢复后请再保存。", testServerAddr)
	}
	return f.WorkerService.CreateWorker(ctx, w)
}

// The server is away while a new worker is saved: the message says nothing was saved, every
// field keeps what was typed, and saving again once it is back stores exactly that.
func TestUnavailable_WorkerFormKeepsInput(t *testing.T) {
	env := newTestEnv(t)
	fw := &flakyWorkers{WorkerService: env.Services.Workers}
	fw.fails.Store(1)
	env.Services.Workers = fw
	v := newWorkerScreen(env)
	v.delay = -1
	show(env, v.content())
	f := v.form
	typeInto(f.name, "张三丰")
	id := idNumber("35012419900307123")
	typeInto(f.number, id)
	typeInto(f.phone, "13905912345")
	f.save()
	if d := dialogText(env.Window); !strings.Contains(d, "无法连接服务器") || !strings.Contains(d, "没有保存") {
		t.Errorf("dialog %q", d)
	}
	if f.name.Text != "张三丰" || f.number.Text != id || f.phone.Text != "13905912345" || f.current != nil {
		t.Fatalf("input lost: %q %q %q", f.name.Text, f.number.Text, f.phone.Text)
	}
	closeDialogs(env.Window)
	f.save()
	if f.current == nil {
		t.Fatalf("retry not saved: %q", f.status.Text)
	}
	w, err := env.Services.Workers.WorkersByIDs(env.Ctx, []int64{f.current.ID})
	if err != nil || len(w) != 1 || w[0].Name != "张三丰" || w[0].Phone != "13905912345" {
		t.Fatalf("stored: %+v %v", w, err)
	}
}

// flakyExams fails the first Register.
type flakyExams struct {
	app.ExamService
	fails atomic.Int32
}

func (f *flakyExams) Register(ctx context.Context, r app.Registration) (*app.Exam, error) {
	if f.fails.Add(-1) >= 0 {
		return nil, app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（服务器无响应）。刚才的操作没有保存；您输入的内容仍在窗口中，连接恢复后请再保存。", testServerAddr)
	}
	return f.ExamService.Register(ctx, r)
}

// 体检登记 while the server is away: the choices stay; the retry registers them.
func TestUnavailable_RegistrationKeepsInput(t *testing.T) {
	env := newIntakeEnv(t)
	emp := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	addContract(t, env, emp, "2026-030")
	start := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	w := &app.Worker{Name: "张三", DocType: app.DocResidentID, IDNumber: idNumber("35012419800101001"),
		WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "破碎车间", JobName: "破碎工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "1038", Start: start}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
		t.Fatal(err)
	}
	fe := &flakyExams{ExamService: env.Services.Exams}
	fe.fails.Store(1)
	env.Services.Exams = fe
	v := newExamRegScreen(env)
	show(env, v.content())
	pick(t, v.worker, "zs")
	v.examType.SetSelected(examTypeLabel(app.ExamPreEmployment))
	v.date.SetText("")
	typeInto(v.date, "2026-12-01")
	test.Tap(v.registerBtn)
	if v.last != nil || !strings.Contains(v.msg.Text, "没有保存") {
		t.Fatalf("unavailable: last %v, msg %q", v.last, v.msg.Text)
	}
	if v.current == nil || v.current.ID != w.ID || v.examType.Selected != examTypeLabel(app.ExamPreEmployment) ||
		v.date.Text != "2026-12-01" || strings.Join(v.hazards.Codes(), ",") != "1038" {
		t.Fatalf("choices lost: worker %v type %q date %q", v.current, v.examType.Selected, v.date.Text)
	}
	closeDialogs(env.Window)
	test.Tap(v.registerBtn)
	if v.last == nil {
		t.Fatalf("retry: %q", v.msg.Text)
	}
	if v.last.Type != app.ExamPreEmployment || v.last.WorkerID != w.ID || !v.last.Date.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.Local)) &&
		v.last.Date.Format("2006-01-02") != "2026-12-01" {
		t.Errorf("registered %+v", v.last)
	}
}

// flakyRecords fails the first SaveResults.
type flakyRecords struct {
	app.RecordService
	fails atomic.Int32
}

func (f *flakyRecords) SaveResults(ctx context.Context, id, version int64, rs []app.Result) (*app.Exam, error) {
	if f.fails.Add(-1) >= 0 {
		return nil, app.Errorf(app.EUNAVAILABLE, "无法连接服务器 %s（服务器无响应）。刚才的操作没有保存；您输入的内容仍在窗口中，连接恢复后请再保存。", testServerAddr)
	}
	return f.RecordService.SaveResults(ctx, id, version, rs)
}

// 检查录入 while the server is away: the typed results stay; the retry saves them.
func TestUnavailable_ResultsKeepInput(t *testing.T) {
	env := newIntakeEnv(t)
	e, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	fr := &flakyRecords{RecordService: doc.Services.Records}
	fr.fails.Store(1)
	doc.Services.Records = fr
	v := newRecordScreen(doc)
	show(doc, v.content())
	v.open(e.ID)
	cbc := v.dept(t, "检验科").group(t, "G0101")
	wbc, rbc := cbc.row(t, "4010100"), cbc.row(t, "4010200")
	typeInto(wbc.entry, "5.2")
	typeInto(rbc.entry, "4.6")
	v.save()
	if !strings.Contains(v.msg.Text, "保存未成功") || !strings.Contains(v.msg.Text, "没有保存") {
		t.Errorf("unavailable: %q", v.msg.Text)
	}
	if wbc.entry.Text != "5.2" || rbc.entry.Text != "4.6" {
		t.Fatalf("typed results lost: %q %q", wbc.entry.Text, rbc.entry.Text)
	}
	v.save()
	if !strings.HasPrefix(v.msg.Text, "已保存") {
		t.Fatalf("retry: %q", v.msg.Text)
	}
	got, err := env.Services.Exams.FindExamByNumber(env.Ctx, e.Number)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, r := range got.Record.Results {
		values[r.ItemCode] = r.Value
	}
	if values["4010100"] != "5.2" || values["4010200"] != "4.6" {
		t.Errorf("stored %v", values)
	}
}

// 体检任务 → 已登记: a registration on another workstation appears in the contract's exams;
// the exam chosen stays chosen with its actions, and the contract's form is left alone.
func TestLive_ContractExams(t *testing.T) {
	env := newIntakeEnv(t)
	e1, _, _ := recordingExam(t, env)
	feed, seen, _ := liveEnv(t, env)
	v := newContractScreen(env)
	show(env, v.content())
	v.open(e1.ContractID)
	if v.exams.total != 1 {
		t.Fatalf("exams %d", v.exams.total)
	}
	v.exams.list.Select(0)
	if v.exams.selected == nil || v.exams.selected.ID != e1.ID {
		t.Fatal("exam not chosen")
	}
	v.form.name.SetText("改过但未保存的名称")
	ws, _ := env.Services.Workers.SearchWorkers(env.Ctx, app.WorkerSearch{Query: "王建国"})
	w, _ := env.Services.Workers.WorkersByIDs(env.Ctx, ws)
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	w2 := &app.Worker{Name: "李四", DocType: app.DocResidentID, IDNumber: idNumber("35012219790101002"),
		WorkHistory: []app.WorkPeriod{{EmployerID: w[0].WorkHistory[0].EmployerID, Workshop: "烧成车间", JobName: "窑操作工", Start: start}},
		Exposures:   []app.Exposure{{HazardCode: "1038", Start: start}}}
	if err := env.Services.Workers.CreateWorker(env.Ctx, w2); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w2.ID, EmployerID: w2.WorkHistory[0].EmployerID,
		ContractID: e1.ContractID, Type: app.ExamPeriodic, Hazards: []string{"1038"}, Date: testNow}); err != nil {
		t.Fatal(err)
	}
	feed.publish(app.ChangeExam)
	waitSeen(t, seen, "registration notice")
	if v.exams.total != 2 || !strings.Contains(v.exams.count.Text, "已登记 2 人次") {
		t.Errorf("exams after the notice: %d %q", v.exams.total, v.exams.count.Text)
	}
	if v.exams.selected == nil || v.exams.selected.ID != e1.ID || !strings.Contains(v.exams.sel.Text, e1.Number) || v.exams.guideBtn.Disabled() {
		t.Errorf("choice lost: %v %q", v.exams.selected, v.exams.sel.Text)
	}
	if v.form.name.Text != "改过但未保存的名称" {
		t.Errorf("the form was reloaded: %q", v.form.name.Text)
	}
}

// The worklist of 主检, 审核 and 发放: a notice lists the new exam; the exam chosen stays
// selected and is not opened again (its form beside the list is left as it is).
func TestLive_ExamWorklist(t *testing.T) {
	env := newIntakeEnv(t)
	e1, _ := recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	feed, seen, _ := liveEnv(t, env)
	v := newExamWorklist(env, []app.ExamState{app.ExamRegistered}, "")
	opened := 0
	v.OnOpen = func(*app.Exam) { opened++ }
	show(env, v.content())
	v.reload()
	v.list.Select(0)
	if opened != 1 || v.selected != e1.ID {
		t.Fatalf("opened %d", opened)
	}
	e2 := registerAnother(t, env)
	feed.publish(app.ChangeExam, e2.ID)
	waitSeen(t, seen, "exam notice")
	if len(v.exams) != 2 || !strings.Contains(v.count.Text, "2 人次") {
		t.Fatalf("worklist: %d %q", len(v.exams), v.count.Text)
	}
	if opened != 1 || v.selected != e1.ID {
		t.Errorf("the refresh opened the exam again (%d) or lost it (%d)", opened, v.selected)
	}
}

// 单机: the archive's own change feed (store/bolt) drives the same refresh, here for a
// registration made through the services as another screen of this program would.
func TestLive_LocalArchiveFeed(t *testing.T) {
	env := newIntakeEnv(t)
	recordExamFor(t, env, "陈振华", "35012419800101003", "3009")
	doc := staffAs(t, env, "tijian", "王医生", app.RoleExamDoctor)
	if doc.Services.Changes == nil {
		t.Fatal("the archive's services have no change feed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	doc.ScreenCtx = ctx
	seen := make(chan struct{}, 16)
	doc.liveSeen = seen
	v := newRecordScreen(doc)
	show(doc, v.content())
	registerAnother(t, env)
	waitSeen(t, seen, "the archive's notice of a registration")
	if len(v.hits) != 2 {
		t.Errorf("worklist after a registration: %d hits", len(v.hits))
	}
}
