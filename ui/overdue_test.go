package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/rules"
	"occhealth/assets"
	"occhealth/demo"
	"occhealth/store"
	"occhealth/store/bolt"
)

// releasedExam takes e (of recordingExam) through results, a signed conclusion, review and
// release, through the services as the staff would on their screens.
func releasedExam(t *testing.T, env *Env, e *app.Exam) *app.Exam {
	t.Helper()
	doc := staffAs(t, env, "tijian", "陈医生", app.RoleExamDoctor)
	chief := staffAs(t, env, "zhujian", "李主检", app.RoleChiefExaminer)
	rev := staffAs(t, env, "shenhe", "周审核", app.RoleReviewer)
	desk := staffAs(t, env, "dengji", "吴登记", app.RoleRegistrar)
	e = saveResults(t, doc, e, flowResults(t, env))
	e = refuseLung(t, doc, e)
	var err error
	c := app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "01"}}}
	if e, err = chief.Services.Records.SaveConclusion(chief.Ctx, e.ID, e.Version, c); err != nil {
		t.Fatalf("conclusion: %v", err)
	}
	if e, err = chief.Services.Records.Sign(chief.Ctx, e.ID, e.Version); err != nil {
		t.Fatalf("sign: %v", err)
	}
	if e, err = rev.Services.Records.Review(rev.Ctx, e.ID, e.Version, app.ReviewApprove, ""); err != nil {
		t.Fatalf("review: %v", err)
	}
	if e, err = desk.Services.Records.Release(desk.Ctx, e.ID, e.Version, app.Handover{Recipient: "王建国", RecipientKind: "本人",
		Documents: []string{"职业健康检查报告"}, Receipt: "签字"}); err != nil {
		t.Fatalf("release: %v", err)
	}
	if e.State != app.ExamReleased {
		t.Fatalf("state %s", e.State)
	}
	return e
}

// overdueArchive files, on the test clock (Monday 2026-11-30), four contracts of one employer:
//   - 2026-050 (recordingExam): no end date; one exam on 2026-11-30 released, one registered;
//   - 2026-031: ended 2026-09-18 (due 2026-11-05, across 中秋 and 国庆 with their 调休 days):
//     two exams registered, one cancelled;
//   - 2026-040: ended 2026-10-19, due today 2026-11-30: one exam registered;
//   - 2026-020: ended 2026-08-31, its only exam cancelled: owes nothing;
//   - an individual exam (no contract) on 2026-10-20, due 2026-12-01.
func overdueArchive(t *testing.T) *Env {
	t.Helper()
	env := newIntakeEnv(t)
	e, _, emp := recordingExam(t, env)
	releasedExam(t, env, e)

	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	contract := func(number, start, end string) int64 {
		c := &app.Contract{Number: number, EmployerID: emp.ID, Title: "在岗体检", Start: day(start), End: day(end), Place: app.PlaceInHouse,
			Hazards: []string{"1038", "3008"}, ExamTypes: []string{"02"}}
		if err := env.Services.Contracts.CreateContract(env.Ctx, c); err != nil {
			t.Fatalf("contract %s: %v", number, err)
		}
		return c.ID
	}
	n := 0
	register := func(contractID int64, date, name string) *app.Exam {
		n++
		start := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
		w := &app.Worker{Name: name, DocType: app.DocResidentID, IDNumber: idNumber(fmt.Sprintf("35012219800101%03d", 10+n)),
			WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "包装车间", JobName: "包装工", Start: start}},
			Exposures:   []app.Exposure{{HazardCode: "1038", Start: start}, {HazardCode: "3008", Start: start}}}
		if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
			t.Fatalf("worker %s: %v", name, err)
		}
		x, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, ContractID: contractID,
			Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"}, Date: day(date), Workshop: "包装车间", JobName: "包装工"})
		if err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
		return x
	}
	cancel := func(x *app.Exam) {
		if _, err := env.Services.Exams.CancelExam(env.Ctx, x.ID, x.Version, false, "单位取消"); err != nil {
			t.Fatal(err)
		}
	}
	register(e.ContractID, "2026-11-30", "李四")
	c031 := contract("2026-031", "2026-09-14", "2026-09-18")
	register(c031, "2026-09-15", "张三")
	register(c031, "2026-09-14", "赵六")
	cancel(register(c031, "2026-09-16", "钱七"))
	c040 := contract("2026-040", "2026-10-12", "2026-10-19")
	register(c040, "2026-10-19", "孙八")
	c020 := contract("2026-020", "2026-08-24", "2026-08-31")
	cancel(register(c020, "2026-08-25", "周九"))
	register(0, "2026-10-20", "吴十")
	return env
}

// TestOverdue_Ordering lists the deadlines overdue first, with the days left counted in working
// days on the calendar.
func TestOverdue_Ordering(t *testing.T) {
	env := overdueArchive(t)
	cal, err := env.Services.Calendar.Calendar(env.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := loadDeadlines(env, cal, testNow)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range rows {
		got = append(got, fmt.Sprintf("%s end %s%s due %s%s %s pending %d [%s]", d.label(), formatDate(d.End), map[bool]string{true: "(exams)"}[d.EndFromExams],
			formatDate(d.Due), map[bool]string{true: "*"}[d.WeekendsOnly], d.leftText(), len(d.Pending), d.stateCounts()))
	}
	want := []string{
		"2026-031 end 2026-09-18 due 2026-11-05 已超期 17 个工作日 pending 2 [已登记 2]",
		"2026-040 end 2026-10-19 due 2026-11-30 今天到期 pending 1 [已登记 1]",
		"个人 126000008 end 2026-10-20 due 2026-12-01 剩 1 个工作日 pending 1 [已登记 1]",
		"2026-050 end 2026-11-30(exams) due 2027-01-11* 剩 30 个工作日 pending 1 [已登记 1]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("deadlines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The overdue contract's exams, oldest first.
	if p := rows[0].Pending; p[0].Date.Format("01-02") != "09-14" || p[1].Date.Format("01-02") != "09-15" {
		t.Errorf("pending order %v %v", p[0].Date, p[1].Date)
	}
}

// TestOverdue_Screen shows the same list in the window to a registrar, and a contract's
// unreleased exams on selection.
func TestOverdue_Screen(t *testing.T) {
	env := overdueArchive(t)
	desk := staffAs(t, env, "qiantai", "郑登记", app.RoleRegistrar)
	v := newOverdueScreen(desk)
	show(desk, v.content())
	if desk.Focus != v.table {
		t.Error("the keyboard does not start in the list")
	}
	if !strings.Contains(v.summary.Text, "3 个合同、1 个个人体检尚有 5 份报告未发放，其中已超期 1 个，5 个工作日内到期 2 个") {
		t.Errorf("summary %q", v.summary.Text)
	}
	if !strings.Contains(v.warn.Text, "数据只到 2026 年，之后只按周末计算") {
		t.Errorf("warning %q", v.warn.Text)
	}
	cell := func(tb *widget.Table, row, col int) *widget.Label {
		l := widget.NewLabel("")
		if tb == v.table {
			v.updateCell(widget.TableCellID{Row: row, Col: col}, l)
		} else {
			v.updateExamCell(widget.TableCellID{Row: row, Col: col}, l)
		}
		return l
	}
	if l := cell(v.table, 0, 4); l.Text != "已超期 17 个工作日" || l.Importance != widget.DangerImportance {
		t.Errorf("row 0 left %q %v", l.Text, l.Importance)
	}
	if l := cell(v.table, 0, 3); l.Text != "2026-11-05 星期四" {
		t.Errorf("row 0 due %q", l.Text)
	}
	if l := cell(v.table, 3, 3); l.Text != "2027-01-11 星期一 *" {
		t.Errorf("row 3 due %q", l.Text)
	}
	if l := cell(v.table, 3, 2); l.Text != "2026-11-30（末次体检）" {
		t.Errorf("row 3 end %q", l.Text)
	}
	if l := cell(v.table, 2, 0); l.Text != "个人 126000008" {
		t.Errorf("row 2 %q", l.Text)
	}
	if l := cell(v.table, 1, 4); l.Text != "今天到期" || l.Importance != widget.WarningImportance {
		t.Errorf("row 1 left %q", l.Text)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if v.exams.Length == nil {
		t.Fatal("no exam table")
	}
	if r, _ := v.exams.Length(); r != 2 {
		t.Fatalf("%d exams listed for 2026-031", r)
	}
	if cell(v.exams, 0, 1).Text != "赵六" || cell(v.exams, 1, 1).Text != "张三" || cell(v.exams, 0, 3).Text != "已登记" {
		t.Errorf("exams %q %q %q", cell(v.exams, 0, 1).Text, cell(v.exams, 1, 1).Text, cell(v.exams, 0, 3).Text)
	}
	if !strings.Contains(v.detail.Text, "2026-031") || !strings.Contains(v.detail.Text, "已超期 17 个工作日") {
		t.Errorf("detail %q", v.detail.Text)
	}
	saveShot(t, desk.Window, "overdue.png")
	v.table.Select(widget.TableCellID{Row: 2, Col: 0})
	if r, _ := v.exams.Length(); r != 1 || cell(v.exams, 0, 1).Text != "吴十" || !strings.HasPrefix(v.detail.Text, "个人 126000008") {
		t.Errorf("individual exam: %d rows, %q", r, v.detail.Text)
	}

	// The contract form shows the same deadline under the contract.
	f := newContractForm(desk, func(*app.Contract) {})
	f.load(v.rows[0].Contract)
	if !strings.Contains(f.status.Text, "报告期限：体检结束 2026-09-18，期限 2026-11-05 星期四，已超期 17 个工作日；2 份报告未发放。") {
		t.Errorf("contract form %q", f.status.Text)
	}
	f.load(v.rows[3].Contract)
	if !strings.Contains(f.status.Text, "末次体检 2026-11-30，期限 2027-01-11 星期一，剩 30 个工作日；1 份报告未发放。（期限跨入工作日历没有数据的年份") {
		t.Errorf("contract form %q", f.status.Text)
	}

	// The screen is offered to the registrar and not to an exam doctor.
	for _, s := range Screens() {
		if s.ID == "overdue" {
			if !slices.Contains(s.Roles, app.RoleRegistrar) || slices.Contains(s.Roles, app.RoleExamDoctor) {
				t.Errorf("roles %v", s.Roles)
			}
		}
	}
}

// BenchmarkOverdue_Deadlines reads the deadlines of a demo archive of 3,000 workers whose
// exams are all registered and none released (every exam owed: the most the list reads).
func BenchmarkOverdue_Deadlines(b *testing.B) {
	env := benchIntakeEnv(b)
	res, err := demo.Fill(env.Ctx, env.Services, demo.Options{Workers: 3000, Seed: 1, NoRecords: true})
	if err != nil {
		b.Fatal(err)
	}
	cal, err := env.Services.Calendar.Calendar(env.Ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var rows []deadline
	for b.Loop() {
		if rows, err = loadDeadlines(env, cal, testNow); err != nil {
			b.Fatal(err)
		}
	}
	n := 0
	for _, d := range rows {
		n += len(d.Pending)
	}
	b.ReportMetric(float64(len(rows)), "contracts")
	b.ReportMetric(float64(n), "exams")
	if n == 0 || n > res.Exams {
		b.Fatalf("%d exams owed of %d", n, res.Exams)
	}
}

// benchIntakeEnv is newIntakeEnv without a window, for benchmarks.
func benchIntakeEnv(b *testing.B) *Env {
	b.Helper()
	set := testCatalogs(b)
	table, err := rules.Load(assets.Rules)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "archive.db")
	db, err := bolt.Open(path, bolt.Options{Keys: store.NewMemoryKeyRing(testNow), Codes: set, FastPasswords: true, Now: testClock,
		BackupDir: filepath.Join(b.TempDir(), "backups"), Planner: table, Ranges: (*Env)(nil).Ranges(), Criteria: (*Env)(nil).Criteria(),
		Calendar: testCalendar(b)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := db.Services(set)
	ctx := app.NewContextWithWorkstation(context.Background(), "测试机")
	if _, err := svc.Setup.Initialize(ctx, testSetup()); err != nil {
		b.Fatal(err)
	}
	u, err := svc.Auth.Login(ctx, testAdmin, testPassword)
	if err != nil {
		b.Fatal(err)
	}
	return &Env{Services: svc, User: u, Ctx: app.NewContextWithUser(ctx, u)}
}
