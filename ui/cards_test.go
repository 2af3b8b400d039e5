package ui

import (
	"context"
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

// releasedCardExam registers, as recordingExam does, the cement worker's in-service exam for
// 矽尘 and 噪声 — with the job's national code (回转窑工), which a card must carry — and
// takes it through results, conclusion, signature, review and release, through the services
// as the staff's screens do. With complete, the employer's address and contact are on file
// before the signature (the card reads the parties as signed); without, the card lacks them.
func releasedCardExam(t *testing.T, env *Env, complete bool) (*app.Exam, *app.Employer) {
	t.Helper()
	es, emp := releasedCardExams(t, env, complete, 1)
	return es[0], emp
}

// cardWorkers are the workers of releasedCardExams: name and the 17-digit body of the ID.
var cardWorkers = [][2]string{{"王建国", "35012219780315001"}, {"林秀英", "35012219800612002"}, {"陈志强", "35012219850101003"}}

// releasedCardExams releases the exams of the first n cardWorkers, of one employer.
func releasedCardExams(t *testing.T, env *Env, complete bool, n int) ([]*app.Exam, *app.Employer) {
	t.Helper()
	emp := &app.Employer{Name: "闽清示例水泥有限公司", CreditCode: validCreditCode, AreaCode: "350124", IndustryCode: "3011", EconomicTypeCode: "173", SizeCode: "03"}
	if complete {
		emp.Address, emp.ZipCode, emp.ContactPerson, emp.ContactPhone = "闽清县梅城镇工业路 8 号", "350800", "陈经理", "0591-22334455"
	}
	if _, err := env.Services.Employers.CreateEmployer(env.Ctx, emp); err != nil {
		t.Fatalf("create employer: %v", err)
	}
	ct := addContract(t, env, emp, "2026-050")
	doc := staffAs(t, env, "tijian", "陈医生", app.RoleExamDoctor)
	chief := staffAs(t, env, "zhujian", "李主检", app.RoleChiefExaminer)
	rev := staffAs(t, env, "shenhe", "周审核", app.RoleReviewer)
	desk := staffAs(t, env, "dengji", "吴登记", app.RoleRegistrar)
	start := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	var out []*app.Exam
	for _, cw := range cardWorkers[:n] {
		w := &app.Worker{Name: cw[0], DocType: app.DocResidentID, IDNumber: idNumber(cw[1]), Phone: "13905910001",
			WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, Workshop: "烧成车间", JobCode: "15-122", JobName: "回转窑工", Start: start}},
			Exposures:   []app.Exposure{{HazardCode: "1038", Start: start}, {HazardCode: "3008", Start: start}}}
		if err := env.Services.Workers.CreateWorker(env.Ctx, w); err != nil {
			t.Fatalf("create worker: %v", err)
		}
		e, err := env.Services.Exams.Register(env.Ctx, app.Registration{WorkerID: w.ID, EmployerID: emp.ID, ContractID: ct.ID,
			Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"}, Date: testNow, Workshop: "烧成车间", JobCode: "15-122", JobName: "回转窑工"})
		if err != nil {
			t.Fatalf("register: %v", err)
		}
		e = refuseLung(t, doc, saveResults(t, doc, e, flowResults(t, env)))
		c := app.ExamConclusion{Hazards: []app.HazardConclusion{
			{Hazard: "1038", Code: app.ConclusionNormal},
			{Hazard: "3008", Code: app.ConclusionOther, Other: "双耳高频听力下降", Basis: "双耳高频平均听阈 50 dB HL"},
		}, Advice: "定期复查听力，做好个人防护。"}
		if e, err = chief.Services.Records.SaveConclusion(chief.Ctx, e.ID, e.Version, c); err != nil {
			t.Fatalf("conclusion: %v", err)
		}
		if e, err = chief.Services.Records.Sign(chief.Ctx, e.ID, e.Version); err != nil {
			t.Fatalf("sign: %v", err)
		}
		if e, err = rev.Services.Records.Review(rev.Ctx, e.ID, e.Version, app.ReviewApprove, ""); err != nil {
			t.Fatalf("review: %v", err)
		}
		h := app.Handover{Recipient: cw[0], RecipientKind: recipientSelf, Documents: []string{reportDocument}, Receipt: receiptSign}
		if e, err = desk.Services.Records.Release(desk.Ctx, e.ID, e.Version, h); err != nil {
			t.Fatalf("release: %v", err)
		}
		out = append(out, e)
	}
	return out, emp
}

// shotWithDialogs lays the window and its dialogs out again (as the driver does when a
// minimum size changed) and saves a screenshot.
func shotWithDialogs(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	var lay func(o fyne.CanvasObject)
	lay = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			if x.Layout != nil {
				x.Layout.Layout(x.Objects, x.Size())
			}
			for _, c := range x.Objects {
				lay(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			r.Layout(x.Size())
			for _, c := range r.Objects() {
				lay(c)
			}
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		lay(o)
		lay(o)
	}
	saveShot(t, w, name)
}

// openCards builds the 个案卡 screen for env, waits for its first reading and runs its later
// background work on the test goroutine.
func openCards(env *Env) *cardsScreen {
	v := newCardsScreen(env)
	v.settle()
	v.background = func(work func()) { work() }
	return v
}

// cardRowText is the worklist row's cells joined by |.
func cardRowText(v *cardsScreen, row int) string {
	r := v.at(row)
	if r == nil {
		return ""
	}
	var cells []string
	for c := range cardColumns {
		cells = append(cells, cardCell(r, c))
	}
	return strings.Join(cells, "|")
}

// issueFor returns the index of the first finding sent to screen, or -1.
func issueFor(d *cardDetail, screen string) int {
	for i, is := range d.issues {
		if is.Screen == screen {
			return i
		}
	}
	return -1
}

// fillCardSettings types complete reporting settings into the 上报设置 screen as the
// administrator and saves them.
func fillCardSettings(t *testing.T, admin *Env, dueDays string, reporterPhone ...string) {
	t.Helper()
	v := newCardSettingsScreen(admin)
	show(admin, v.content())
	phone := "13905910002"
	if len(reporterPhone) > 0 {
		phone = reporterPhone[0]
	}
	for _, f := range []struct {
		e    *widget.Entry
		text string
	}{{v.zone, "350124000"}, {v.org, "350124001"}, {v.license, "LIC-2026-0001"}, {v.writer, "郑统计"},
		{v.writerPhone, "0591-22334455"}, {v.reporter, "林院长"}, {v.reporterPhone, phone}, {v.due, dueDays}} {
		f.e.SetText("")
		typeInto(f.e, f.text)
	}
	test.Tap(v.save)
	if !strings.Contains(v.msg.Text, "已保存") {
		t.Fatalf("settings not saved: %q", v.msg.Text)
	}
}

func TestCards_WorklistCheckExportStatus(t *testing.T) {
	env := newIntakeEnv(t)
	e, _ := releasedCardExam(t, env, true)
	clerk := staffAs(t, env, "tongji", "郑统计", app.RoleReportingClerk)
	var opened []string
	clerk.Open = func(screen string, id int64) bool {
		opened = append(opened, screen)
		return screen != "admin_cards" // a clerk may not open the settings
	}

	v := openCards(clerk)
	show(clerk, v.content())
	if v.view.Selected != cardViewDue || v.total != 1 {
		t.Fatalf("应上报: %d cards (%q)", v.total, v.count.Text)
	}
	row := cardRowText(v, 0)
	for _, s := range []string{e.Number, "王建国", "闽清示例水泥有限公司", "2026-11-30", "待上报", "新增", "错误"} {
		if !strings.Contains(row, s) {
			t.Errorf("worklist row lacks %q: %s", s, row)
		}
	}
	if v.settings.Visible() || !v.exportBtn.Visible() || !v.feedBtn.Visible() {
		t.Error("a clerk's buttons: 上报设置 shown or export/feedback hidden")
	}

	// The card fails only on the institution's reporting settings, which are empty; each
	// finding leads to 上报设置, which a clerk may not open: the note says who can.
	v.table.Select(widget.TableCellID{Row: 0, Col: 1})
	d := v.detail
	if v.row == nil || v.row.Card.ExamID != e.ID {
		t.Fatal("selecting the row did not show the card")
	}
	if !strings.Contains(d.header.Text, e.Number) || !strings.Contains(d.header.Text, "待上报") {
		t.Errorf("card header: %q", d.header.Text)
	}
	if len(d.issues) < 3 {
		t.Fatalf("findings: %+v", d.issues)
	}
	for _, is := range d.issues {
		if is.Screen != "card_settings" || is.Level != app.LevelError {
			t.Errorf("unexpected finding: %+v", is)
		}
	}
	if rows := d.findings.Objects; len(rows) != len(d.issues) {
		t.Errorf("%d finding rows for %d findings", len(rows), len(d.issues))
	}
	test.Tap(d.fixBtns[0])
	if len(opened) != 1 || opened[0] != "admin_cards" || !strings.Contains(d.msg.Text, "上报设置") {
		t.Errorf("the settings finding opened %v; note %q", opened, d.msg.Text)
	}
	saveShot(t, clerk.Window, "cards-failing.png")

	// 预检未通过 lists it too.
	v.view.SetSelected(cardViewFailing)
	if v.total != 1 {
		t.Errorf("预检未通过: %d cards", v.total)
	}

	// Export while it fails: the card is listed as blocked, nothing is written.
	dir := t.TempDir()
	v.openExport()
	x := v.export
	x.from.SetText("2026-11-01")
	x.folder.SetText(dir)
	test.Tap(x.exportBtn)
	if !x.blocked.Visible() || !strings.Contains(x.blocked.Text, e.Number) || !strings.Contains(x.msg.Text, "没有需要导出") {
		t.Errorf("blocked card not listed: %q %q", x.blocked.Text, x.msg.Text)
	}
	if fs, _ := os.ReadDir(dir); len(fs) != 0 {
		t.Errorf("files written for a failing card: %d", len(fs))
	}
	closeDialogs(clerk.Window)

	// The administrator fills the settings in; the card passes.
	fillCardSettings(t, env, "30")
	show(clerk, v.content())
	test.Tap(v.queryBtn)
	if v.view.Selected != cardViewFailing || v.total != 0 {
		t.Errorf("预检未通过 after the settings: %d cards", v.total)
	}
	v.view.SetSelected(cardViewDue)
	if v.total != 1 || !strings.Contains(cardRowText(v, 0), "通过") || !strings.Contains(cardRowText(v, 0), "2026-12-30") {
		t.Fatalf("应上报 after the settings: %d %q", v.total, cardRowText(v, 0))
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if len(d.issues) != 0 || !strings.Contains(test.RenderToMarkup(clerk.Window.Canvas()), "预检通过") {
		t.Errorf("findings after the settings: %+v", d.issues)
	}

	// Export: the files are written, the card is 已导出 with its batch.
	v.openExport()
	x = v.export
	if x.to.Text != "2026-11-30" {
		t.Errorf("export range ends %q, want today", x.to.Text)
	}
	x.from.SetText("")
	test.Tap(x.exportBtn)
	if !strings.Contains(x.msg.Text, "起止") {
		t.Errorf("export without a start date: %q", x.msg.Text)
	}
	x.from.SetText("2026-11-01")
	x.folder.SetText(filepath.Join(dir, "没有这个文件夹"))
	test.Tap(x.exportBtn)
	if !strings.Contains(x.msg.Text, "不存在") {
		t.Errorf("export to a missing folder: %q", x.msg.Text)
	}
	x.folder.SetText(dir)
	test.Tap(x.exportBtn)
	if !x.summary.Visible() || !strings.Contains(x.summary.Text, "已导出 1 张个案卡") || x.blocked.Visible() {
		t.Fatalf("export: %q %q %q", x.summary.Text, x.msg.Text, x.blocked.Text)
	}
	if strings.Contains(x.summary.Text, "预先生成") {
		t.Errorf("a card read at export counted as sealed: %q", x.summary.Text)
	}
	fs, _ := os.ReadDir(dir)
	if len(fs) == 0 || len(fs) != len(x.written) {
		t.Fatalf("files in the folder %d, written %v", len(fs), x.written)
	}
	for _, f := range fs {
		if strings.HasSuffix(f.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", f.Name())
		}
	}
	shotWithDialogs(t, clerk.Window, "cards-export.png")

	// A second export finds nothing new to send.
	test.Tap(x.exportBtn)
	if !strings.Contains(x.msg.Text, "没有需要导出") || !strings.Contains(x.msg.Text, "已导出且内容未变") {
		t.Errorf("second export: %q", x.msg.Text)
	}
	test.Tap(x.closeBtn)

	v.view.SetSelected(cardViewExported)
	if v.total != 1 {
		t.Fatalf("已导出未确认: %d cards", v.total)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	c := v.row.Card
	if c.Status != app.CardExported || c.Batch == "" || c.DocumentID == "" || !strings.Contains(d.history.Text, c.Batch) {
		t.Errorf("exported card %+v; history %q", c, d.history.Text)
	}
	if !strings.Contains(d.header.Text, "上次导出：新增　下次导出：新增") {
		t.Errorf("header of an unchanged exported card: %q", d.header.Text)
	}

	// The reporter's phone changes: the card changed after export and goes out again as
	// 订正 (Update) under the same DocumentId, without ticking 重新导出.
	fillCardSettings(t, env, "30", "0591-22334466")
	show(clerk, v.content())
	test.Tap(v.queryBtn)
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !strings.Contains(d.header.Text, "下次导出：订正（导出后内容有变化") {
		t.Errorf("header of a changed card: %q", d.header.Text)
	}
	first := c
	v.openExport()
	x = v.export
	x.from.SetText("2026-11-01")
	x.folder.SetText(dir)
	test.Tap(x.exportBtn)
	if !strings.Contains(x.summary.Text, "已导出 1 张个案卡") {
		t.Fatalf("export of the 订正: %q %q", x.summary.Text, x.msg.Text)
	}
	test.Tap(x.closeBtn)
	v.view.SetSelected(cardViewAll)
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	c = v.row.Card
	if c.Operate != app.CardUpdate || c.DocumentID != first.DocumentID || !strings.Contains(cardRowText(v, 0), "订正") {
		t.Errorf("after the 订正 export: %+v (first %s)", c, first.DocumentID)
	}
	v.view.SetSelected(cardViewExported)
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if d.returnBtn.Disabled() || d.reportedBtn.Disabled() {
		t.Error("status actions disabled on an exported card")
	}

	// 标记已上报: the card leaves 已导出未确认 and stays selected.
	test.Tap(d.reportedBtn)
	if v.total != 0 || v.row == nil || v.row.Card.Status != app.CardReported || !strings.Contains(d.header.Text, "已上报") {
		t.Fatalf("after 已上报: %d listed, %q %q", v.total, d.header.Text, dialogText(clerk.Window))
	}

	// 退回 needs the platform's reason.
	v.view.SetSelected(cardViewAll)
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(d.returnBtn)
	test.Tap(d.returnDlg.confirm)
	if !strings.Contains(d.returnDlg.msg.Text, "请填写") || v.row.Card.Status != app.CardReported {
		t.Errorf("退回 without a reason: %q %s", d.returnDlg.msg.Text, v.row.Card.Status)
	}
	reason := "职业史中接害工龄与出生日期不符，请核实后重新上报"
	typeInto(d.reason, reason)
	test.Tap(d.returnDlg.confirm)
	if v.row.Card.Status != app.CardReturned || !strings.Contains(d.header.Text, reason) {
		t.Fatalf("after 退回: %s %q %q", v.row.Card.Status, d.header.Text, d.returnDlg.msg.Text)
	}
	closeDialogs(clerk.Window)
	if !strings.Contains(d.history.Text, "退回") || !strings.Contains(d.history.Text, "已上报") {
		t.Errorf("history: %q", d.history.Text)
	}
	v.view.SetSelected(cardViewReturned)
	if v.total != 1 || !strings.Contains(cardRowText(v, 0), "退回") {
		t.Errorf("退回 view: %d %q", v.total, cardRowText(v, 0))
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	relayout(clerk.Window)
	saveShot(t, clerk.Window, "cards-returned.png")

	// The platform's feedback file: a line for an unknown card refuses the whole file; the
	// corrected file sets the card 已上报.
	bad := filepath.Join(dir, "反馈-错.csv")
	good := filepath.Join(dir, "反馈.csv")
	if err := os.WriteFile(bad, []byte("体检号,状态,原因\n"+e.Number+",审核通过,\n999999999,审核通过,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("体检号,状态,原因\n"+e.Number+",审核通过,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v.openFeedback()
	fb := v.feedback
	test.Tap(fb.importBtn)
	if !strings.Contains(fb.msg.Text, "请选择") {
		t.Errorf("import without a file: %q", fb.msg.Text)
	}
	typeInto(fb.path, bad)
	test.Tap(fb.importBtn)
	if !strings.Contains(fb.msg.Text, "999999999") || fb.result.Visible() {
		t.Errorf("feedback with an unknown card: %q", fb.msg.Text)
	}
	if v.total != 1 {
		t.Errorf("a refused feedback file changed the cards: %d returned", v.total)
	}
	fb.path.SetText("")
	typeInto(fb.path, good)
	test.Tap(fb.importBtn)
	if !fb.result.Visible() || !strings.Contains(fb.result.Text, "更新 1 张") || !strings.Contains(fb.result.Text, "已上报 1 张") {
		t.Fatalf("feedback: %q %q", fb.result.Text, fb.msg.Text)
	}
	shotWithDialogs(t, clerk.Window, "cards-feedback.png")
	closeDialogs(clerk.Window)
	if v.total != 0 {
		t.Errorf("退回 view after the feedback: %d", v.total)
	}
	v.view.SetSelected(cardViewAll)
	if !strings.Contains(cardRowText(v, 0), "已上报") {
		t.Errorf("after the feedback: %q", cardRowText(v, 0))
	}

	// The provincial format, sent again on purpose (重新生成).
	hubei := t.TempDir()
	v.openExport()
	x = v.export
	x.format.SetSelected("湖北格式")
	x.from.SetText("2026-11-01")
	x.folder.SetText(hubei)
	test.Tap(x.exportBtn)
	if !strings.Contains(x.msg.Text, "没有需要导出") {
		t.Errorf("a reported, unchanged card exported again without 重新生成: %q %q", x.msg.Text, x.summary.Text)
	}
	x.again.SetChecked(true)
	test.Tap(x.exportBtn)
	if !strings.Contains(x.summary.Text, "已导出 1 张个案卡") || !strings.Contains(x.summary.Text, "湖北格式") {
		t.Fatalf("Hubei export: %q %q", x.summary.Text, x.msg.Text)
	}
	if fs, _ := os.ReadDir(hubei); len(fs) == 0 {
		t.Error("no Hubei files")
	}
	closeDialogs(clerk.Window)
}

// A card whose employer, as signed, lacks address and contact: the findings lead to that
// employer; an overdue card's due date is red; a chief examiner sees the counts only.
func TestCards_EmployerFindingOverdueRoles(t *testing.T) {
	env := newIntakeEnv(t)
	e, emp := releasedCardExam(t, env, false)
	fillCardSettings(t, env, "1")
	clerk := staffAs(t, env, "tongji", "郑统计", app.RoleReportingClerk)
	later := *clerk // three days after the release
	later.Services.Now = func() time.Time { return testNow.AddDate(0, 0, 3) }
	var opened []string
	var ids []int64
	later.Open = func(screen string, id int64) bool {
		opened, ids = append(opened, screen), append(ids, id)
		return true
	}
	v := openCards(&later)
	show(&later, v.content())
	if v.total != 1 {
		t.Fatalf("应上报: %d", v.total)
	}
	due := widget.NewLabel("")
	v.cell(widget.TableCellID{Row: 0, Col: colDue}, due)
	if due.Text != "2026-12-01" || due.Importance != widget.DangerImportance {
		t.Errorf("due cell %q importance %v, want 2026-12-01 in red", due.Text, due.Importance)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	d := v.detail
	if !strings.Contains(d.header.Text, "应报日期 2026-12-01（已逾期）") {
		t.Errorf("header: %q", d.header.Text)
	}
	j := issueFor(d, "employer")
	if j < 0 || d.fixBtns[j] == nil {
		t.Fatalf("no employer finding with a button: %+v", d.issues)
	}
	if !markupHas(later.Window, "登记信息取档案现值") {
		t.Error("no note that the card reads the registry facts live")
	}
	for _, is := range d.issues {
		if is.Screen != "employer" || is.EntityID != emp.ID {
			t.Errorf("finding not about the employer: %+v", is)
		}
	}
	test.Tap(d.fixBtns[j])
	if len(opened) != 1 || opened[0] != "employers" || ids[0] != emp.ID || d.msg.Visible() {
		t.Errorf("the finding opened %v %v (want employers %d); note %q", opened, ids, emp.ID, d.msg.Text)
	}
	saveShot(t, later.Window, "cards-employer-finding.png")

	// The chief examiner: the worklist and its counts, no export, feedback or status actions.
	chief := staffAs(t, env, "zhujian2", "赵主检", app.RoleChiefExaminer)
	vc := openCards(chief)
	show(chief, vc.content())
	if vc.total != 1 || vc.exportBtn.Visible() || vc.feedBtn.Visible() || vc.settings.Visible() || vc.detail.reportedBtn.Visible() || vc.detail.returnBtn.Visible() {
		t.Fatalf("chief examiner: %d cards; buttons shown", vc.total)
	}
	vc.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !markupHas(chief.Window, "预检明细由统计上报员查看") || !markupHas(chief.Window, "个错误") || !strings.Contains(vc.detail.header.Text, e.Number) {
		t.Errorf("chief examiner's detail: %q", vc.detail.header.Text)
	}
	// The registrar has no 个案卡 screen.
	desk := staffAs(t, env, "dengji2", "吴登记", app.RoleRegistrar)
	for _, s := range visibleScreens(Screens(), desk.User, desk.Institution) {
		if s.ID == "cards" || s.ID == "admin_cards" {
			t.Errorf("a registrar sees %s", s.ID)
		}
	}
	for _, s := range visibleScreens(Screens(), clerk.User, clerk.Institution) {
		if s.ID == "admin_cards" {
			t.Error("a reporting clerk sees 上报设置")
		}
	}
}

// A whole batch is marked 已上报 at once once the platform took the upload.
func TestCards_BatchReported(t *testing.T) {
	env := newIntakeEnv(t)
	es, _ := releasedCardExams(t, env, true, 3)
	fillCardSettings(t, env, "30")
	clerk := staffAs(t, env, "tongji", "郑统计", app.RoleReportingClerk)
	v := openCards(clerk)
	show(clerk, v.content())
	if v.total != 3 {
		t.Fatalf("应上报: %d", v.total)
	}
	// All three go out in one batch.
	v.openExport()
	x := v.export
	x.from.SetText("2026-11-30")
	dir := t.TempDir()
	x.folder.SetText(dir)
	test.Tap(x.exportBtn)
	if !strings.Contains(x.summary.Text, "已导出 3 张个案卡") {
		t.Fatalf("export: %q %q", x.summary.Text, x.msg.Text)
	}
	closeDialogs(clerk.Window)
	// The platform returned one before the clerk marks the batch: only the other two are
	// marked.
	if err := clerk.Services.Cards.SetCardStatus(clerk.Ctx, app.CardFeedback{ExamNumber: es[2].Number, Status: app.CardReturned, Reason: "联系电话有误"}); err != nil {
		t.Fatal(err)
	}
	v.view.SetSelected(cardViewExported)
	if v.total != 2 {
		t.Fatalf("已导出未确认: %d", v.total)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: colNumber})
	d := v.detail
	if d.batchBtn.Disabled() {
		t.Fatal("整批标记已上报 disabled on an exported card")
	}
	test.Tap(d.batchBtn)
	if msg := dialogText(clerk.Window); !strings.Contains(msg, "2 张") || !strings.Contains(msg, v.row.Card.Batch) {
		t.Fatalf("confirmation: %q", msg)
	}
	adminTapButton(t, clerk.Window, "全部标记已上报")
	if v.total != 0 || !strings.Contains(d.msg.Text, "2 张个案卡已登记为“已上报”") {
		t.Errorf("after the batch: %d exported, %q %q", v.total, d.msg.Text, dialogText(clerk.Window))
	}
	v.view.SetSelected(cardViewAll)
	got := map[string]string{}
	for i := 0; i < v.total; i++ {
		got[cardCell(v.at(i), colNumber)] = cardCell(v.at(i), colStatus)
	}
	want := map[string]string{es[0].Number: "已上报", es[1].Number: "已上报", es[2].Number: "退回"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("card %s: %q, want %q", k, got[k], w)
		}
	}
}

// refusingDocs is an export the element table refuses as a whole (a document shared by the
// batch, such as the employer's, that the pre-flight let through): nothing is written.
type refusingDocs struct{ app.Documents }

func (refusingDocs) ExportCardBatch(ctx context.Context, cs app.CardService, req app.CardBatchRequest) (*app.CardBatchResult, error) {
	return nil, app.Errorf(app.EINVALID, "批次 %s：HEALTH_EXAM_RECORD/WORK_TYPE_CODE（工种代码）：不能为空", req.Batch)
}

// failingCards cannot record an export (e.g. the disk filled up after the files were written).
type failingCards struct{ app.CardService }

func (failingCards) RecordExported(ctx context.Context, batch, format string, cards []app.Card) error {
	return app.Errorf(app.EINTERNAL, "disk full")
}

// An export that fails at the adapter or when it is recorded leaves no file behind and the
// card 待上报.
func TestCards_ExportFailureLeavesNothing(t *testing.T) {
	env := newIntakeEnv(t)
	e, _ := releasedCardExam(t, env, true)
	fillCardSettings(t, env, "30")
	clerk := staffAs(t, env, "tongji", "郑统计", app.RoleReportingClerk)
	for _, c := range []struct {
		name string
		env  func(*Env)
		want string
	}{
		{"adapter refuses", func(x *Env) { x.Services.Documents = refusingDocs{x.Services.Documents} }, "WORK_TYPE_CODE"},
		{"export not recorded", func(x *Env) { x.Services.Cards = failingCards{x.Services.Cards} }, "disk full"},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := *clerk
			c.env(&x)
			v := openCards(&x)
			show(&x, v.content())
			v.openExport()
			ex := v.export
			ex.from.SetText("2026-11-01")
			dir := t.TempDir()
			ex.folder.SetText(dir)
			test.Tap(ex.exportBtn)
			if !ex.blocked.Visible() || !strings.Contains(ex.blocked.Text, c.want) || ex.summary.Visible() || !strings.Contains(ex.stage.Text, "没有写入任何文件") {
				t.Errorf("outcome %q %q; summary %q", ex.stage.Text, ex.blocked.Text, ex.summary.Text)
			}
			if fs, _ := os.ReadDir(dir); len(fs) != 0 {
				t.Errorf("%d files left in the folder", len(fs))
			}
			if ex.exportBtn.Disabled() || ex.closeBtn.Disabled() {
				t.Error("the dialog's buttons stay disabled after a failure")
			}
			closeDialogs(x.Window)
			rows, _, err := env.Services.Cards.Cards(env.Ctx, app.CardFilter{})
			if err != nil || len(rows) != 1 || rows[0].Card.Status != app.CardPending || rows[0].Card.ExamNumber != e.Number {
				t.Errorf("card after the failed export: %+v %v", rows, err)
			}
		})
	}
}

// TestCards_ExportSealed: an export takes the cards the store sealed ahead as they are and
// reads the others; the summary says how many were sealed.
func TestCards_ExportSealed(t *testing.T) {
	env := newIntakeEnv(t)
	es, _ := releasedCardExams(t, env, true, 2)
	fillCardSettings(t, env, "30")
	clerk := staffAs(t, env, "tongji", "郑统计", app.RoleReportingClerk)
	// The first card sealed by the store, as the background sealer does after a release.
	sealer := env.Services.Cards.(interface {
		SealPending(context.Context, []int64) (int, error)
	})
	if n, err := sealer.SealPending(context.Background(), []int64{es[0].ID}); err != nil || n != 1 {
		t.Fatalf("sealed %d: %v", n, err)
	}
	v := openCards(clerk)
	show(clerk, v.content())
	v.openExport()
	x := v.export
	x.from.SetText("2026-11-01")
	dir := t.TempDir()
	x.folder.SetText(dir)
	test.Tap(x.exportBtn)
	if !x.summary.Visible() || !strings.Contains(x.summary.Text, "已导出 2 张个案卡") || x.blocked.Visible() {
		t.Fatalf("export: %q %q %q", x.summary.Text, x.msg.Text, x.blocked.Text)
	}
	if !strings.Contains(x.summary.Text, "其中 1 张为发放后预先生成的个案卡（内容核对一致）。") {
		t.Errorf("summary does not count the sealed card: %q", x.summary.Text)
	}
	shotWithDialogs(t, clerk.Window, "cards-export-sealed.png")
	fs, _ := os.ReadDir(dir)
	if len(fs) == 0 || len(fs) != len(x.written) {
		t.Fatalf("files in the folder %d, written %v", len(fs), x.written)
	}
	for _, f := range fs {
		if !strings.Contains(x.summary.Text, f.Name()) {
			t.Errorf("summary does not name %s: %q", f.Name(), x.summary.Text)
		}
	}
	rows, _, err := env.Services.Cards.Cards(env.Ctx, app.CardFilter{})
	if err != nil || len(rows) != 2 {
		t.Fatalf("cards after the export: %+v %v", rows, err)
	}
	for _, r := range rows {
		if r.Card.Status != app.CardExported || r.Card.Batch == "" || r.Card.ExportedHash == "" {
			t.Errorf("card %s after the export: %+v", r.Card.ExamNumber, r.Card)
		}
	}
	closeDialogs(clerk.Window)
}
