package ui

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/reports/pdf"
	"occhealth/reports/printer"
)

// printDocs renders the individual reports as one page per copy that names the exam and the
// copy label (the report's own layout is tested in reports), and keeps what it was asked
// for; everything else is the real renderer.
type printDocs struct {
	app.Documents
	mu     sync.Mutex
	copies []string // exam number + copy label of every report rendered
}

func (d *printDocs) ExamReports(in []app.ExamReportInput, progress func(done, total int)) ([]byte, error) {
	doc, err := pdf.New(pdf.Options{PageNumbers: true})
	if err != nil {
		return nil, err
	}
	for i, r := range in {
		if r.Exam.Record == nil || r.Exam.Record.Parties == nil {
			return nil, fmt.Errorf("report of %s without the signed parties", r.Exam.Number)
		}
		doc.NewSection()
		doc.Paragraph("职业健康检查报告 "+r.Exam.Number+" "+r.Exam.Record.Parties.Worker.Name+" "+r.Copy, pdf.Style{})
		d.mu.Lock()
		d.copies = append(d.copies, r.Exam.Number+" "+r.Copy)
		d.mu.Unlock()
		if progress != nil {
			progress(i+1, len(in))
		}
	}
	return doc.PDF()
}

// printReadyExam takes the cement worker's exam through results, a signed conclusion of
// 疑似职业病 (噪声聋), review and release, as the staff do on their screens.
func printReadyExam(t *testing.T, env *Env) (*app.Exam, *app.Contract) {
	t.Helper()
	e, _, _ := recordingExam(t, env)
	doc := staffAs(t, env, "tijian", "陈医生", app.RoleExamDoctor)
	chief := staffAs(t, env, "zhujian", "李主检", app.RoleChiefExaminer)
	rev := staffAs(t, env, "shenhe", "周审核", app.RoleReviewer)
	e = refuseLung(t, doc, saveResults(t, doc, e, flowResults(t, env)))
	c := app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: app.ConclusionNormal},
		{Hazard: "3008", Code: app.ConclusionSuspected, DiseaseCode: "4001", Disease: "职业性噪声聋",
			Basis: "双耳高频平均听阈 50 dB HL，脱离噪声 48 小时后复测（GBZ 49-2014）"}}}
	var err error
	if e, err = chief.Services.Records.SaveConclusion(chief.Ctx, e.ID, e.Version, c); err != nil {
		t.Fatalf("conclusion: %v", err)
	}
	if e, err = chief.Services.Records.Sign(chief.Ctx, e.ID, e.Version); err != nil {
		t.Fatalf("sign: %v", err)
	}
	if e, err = rev.Services.Records.Review(rev.Ctx, e.ID, e.Version, app.ReviewApprove, ""); err != nil {
		t.Fatalf("review: %v", err)
	}
	if e, err = env.Services.Records.Release(env.Ctx, e.ID, e.Version, app.Handover{Recipient: "王建国", RecipientKind: "本人",
		Documents: []string{"职业健康检查报告"}, Receipt: "签字"}); err != nil {
		t.Fatalf("release: %v", err)
	}
	ct, err := env.Services.Contracts.FindContractByID(env.Ctx, e.ContractID)
	if err != nil {
		t.Fatal(err)
	}
	return e, ct
}

func pdfPageCount(t *testing.T, b []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		return app.CountPDFPages(b)
	}
	cmd := exec.Command("pdfinfo", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	var n int
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Pages:") {
			fmt.Sscan(strings.TrimPrefix(l, "Pages:"), &n)
		}
	}
	return n
}

// The front desk batch-prints a contract with a released exam: two labelled copies of the
// report and the notices to the worker and the employer, to the default printer, duplex;
// the progress bar reaches the end, the log lists the jobs, and printing again marks them
// 重印. A missing printer and a refused job say so in Chinese.
func TestPrintScreen_BatchAndReprint(t *testing.T) {
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	env := newIntakeEnv(t)
	e, ct := printReadyExam(t, env)
	docs := &printDocs{Documents: env.Services.Documents}
	spool := &printer.Recorder{List: []app.Printer{{Name: "HP-一楼", Info: "前台"}, {Name: "体检科-Kyocera", Default: true}}}
	desk := staffAs(t, env, "dengji", "吴登记", app.RoleRegistrar)
	desk.Services.Documents, desk.Services.Spooler = docs, spool

	v := newPrintScreen(desk)
	show(desk, v.content())
	if v.printer.Selected != "体检科-Kyocera（默认）" {
		t.Errorf("default printer not selected: %q of %v", v.printer.Selected, v.printer.Options)
	}
	if !v.printBtn.Disabled() {
		t.Error("打印 enabled before a contract is chosen")
	}
	pick(t, v.contract, "2026-050")
	if v.contractID != ct.ID {
		t.Fatalf("contract %d, want %d", v.contractID, ct.ID)
	}
	for _, want := range []string{"个人体检报告 " + e.Number + " 王建国（每人 2 份）", "疑似职业病告知书 " + e.Number + " 王建国"} {
		if !strings.Contains(v.plan.Text, want) {
			t.Errorf("plan %q lacks %q", v.plan.Text, want)
		}
	}
	test.Tap(v.duplex)
	shot(t, desk.Window, "print-plan.png")

	test.Tap(v.printBtn)
	v.wg.Wait()
	if v.bar.Value != 1 {
		t.Errorf("progress ended at %v", v.bar.Value)
	}
	if !strings.Contains(v.status.Text, "已打印 2 份文书") {
		t.Errorf("status %q; result %q; dialog %q", v.status.Text, v.result.Text, dialogText(desk.Window))
	}
	jobs := spool.Printed()
	if len(jobs) != 3 {
		t.Fatalf("%d jobs, want the reports and two notices", len(jobs))
	}
	for _, j := range jobs {
		if j.Printer != "体检科-Kyocera" || !j.Duplex || j.Copies != 1 || !bytes.HasPrefix(j.PDF, []byte("%PDF")) {
			t.Errorf("job %q: printer %q duplex %v copies %d", j.Title, j.Printer, j.Duplex, j.Copies)
		}
	}
	if got := strings.Join(docs.copies, "|"); got != e.Number+" 劳动者留存|"+e.Number+" 用人单位留存" {
		t.Errorf("report copies %q", got)
	}
	if n := pdfPageCount(t, jobs[0].PDF); n != 2 {
		t.Errorf("reports: %d pages, want 2 (one a copy)", n)
	}
	if !strings.Contains(jobs[1].Title, "致劳动者") || !strings.Contains(jobs[2].Title, "致用人单位") {
		t.Errorf("notice jobs %q, %q", jobs[1].Title, jobs[2].Title)
	}
	if len(v.logs) != 2 || v.logs[0].Reprint || v.logs[1].Reprint {
		t.Fatalf("log after the first print: %+v", v.logs)
	}
	line := printLogLine(v.logs[1])
	for _, want := range []string{"dengji", "个人体检报告", "劳动者留存、用人单位留存", "体检科-Kyocera", "2 页 × 1 份"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
	shot(t, desk.Window, "print-done.png")

	// Again, to the other printer: both documents are reprints.
	v.printer.SetSelected(printerOption(spool.List[0]))
	test.Tap(v.printBtn)
	v.wg.Wait()
	if len(spool.Printed()) != 6 {
		t.Fatalf("%d jobs after the reprint", len(spool.Printed()))
	}
	if len(v.logs) != 4 || !v.logs[0].Reprint || !v.logs[1].Reprint || v.logs[0].Printer != "HP-一楼" {
		t.Fatalf("log after the reprint: %+v", v.logs)
	}
	if !strings.Contains(printLogLine(v.logs[0]), "【重印】") || !strings.Contains(v.result.Text, "【重印】") {
		t.Errorf("reprint not marked: %q / %q", printLogLine(v.logs[0]), v.result.Text)
	}
	shot(t, desk.Window, "print-reprint.png")

	// The log is the store's: the exam's own list has the same jobs.
	if got, err := desk.Services.PrintLog.FindPrints(desk.Ctx, 0, e.ID); err != nil || len(got) != 4 {
		t.Errorf("exam's print log: %d %v", len(got), err)
	}

	// Bad copies are refused where they were typed; nothing is sent.
	v.copies.SetText("")
	typeInto(v.copies, "0")
	if !v.printBtn.Disabled() || !strings.Contains(v.copyMsg.Text, "份数应为 1 到 50") {
		t.Errorf("copies 0: button disabled %v, message %q", v.printBtn.Disabled(), v.copyMsg.Text)
	}
	v.copies.SetText("1")

	// The printer refuses: the batch stops with the spooler's message and logs nothing.
	spool.Fail = app.Errorf(app.EINVALID, "CUPS 未运行：打印服务没有启动")
	test.Tap(v.printBtn)
	v.wg.Wait()
	if !strings.Contains(v.status.Text, "CUPS 未运行") || len(v.logs) != 4 {
		t.Errorf("refused job: status %q, %d log lines", v.status.Text, len(v.logs))
	}
	closeDialogs(desk.Window)
	spool.Fail = nil

	// 另存为 PDF writes the documents as files and logs nothing.
	dir := t.TempDir()
	v.chooseDir = func(done func(string)) { done(dir) }
	test.Tap(v.saveBtn)
	v.wg.Wait()
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) != 3 || len(v.logs) != 4 {
		t.Errorf("saved %v; %d log lines; status %q %q", files, len(v.logs), v.status.Text, v.result.Text)
	}
	for _, f := range files {
		if b, err := os.ReadFile(f); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Errorf("%s is not a PDF", f)
		}
	}
}

// One exam found by its number prints its report alone; an exam not yet reviewed says why
// nothing can be printed.
func TestPrintScreen_ExamNumber(t *testing.T) {
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	env := newIntakeEnv(t)
	e, _ := printReadyExam(t, env)
	env.Services.Documents = &printDocs{Documents: env.Services.Documents}
	env.Services.Spooler = &printer.Recorder{List: []app.Printer{{Name: "P1", Default: true}}}
	other := secondExam(t, env, mustEmployer(t, env, e.EmployerID))

	v := newPrintScreen(env)
	show(env, v.content())
	typeInto(v.examNo, other.Number)
	enter(v.examNo)
	if v.examID != other.ID || !v.printBtn.Disabled() || !strings.Contains(v.plan.Text, "个人报告须审核后打印") {
		t.Errorf("unreviewed exam: id %d, disabled %v, plan %q", v.examID, v.printBtn.Disabled(), v.plan.Text)
	}
	v.examNo.SetText("")
	typeInto(v.examNo, e.Number)
	enter(v.examNo)
	if !strings.Contains(v.target.Text, e.Number) || !strings.Contains(v.target.Text, "王建国") || v.printBtn.Disabled() {
		t.Fatalf("exam %q, plan %q", v.target.Text, v.plan.Text)
	}
	v.docs[app.DocNotice].SetChecked(false)
	v.copies.SetText("1")
	test.Tap(v.printBtn)
	v.wg.Wait()
	if len(v.logs) != 1 || v.logs[0].ContractID != e.ContractID || len(v.logs[0].ExamIDs) != 1 {
		t.Fatalf("log %+v; status %q", v.logs, v.status.Text)
	}
	v.examNo.SetText("")
	typeInto(v.examNo, "999999999")
	enter(v.examNo)
	if !strings.Contains(v.status.Text, "体检号 999999999") {
		t.Errorf("unknown number: %q", v.status.Text)
	}

	// 打印… on the release screen opens this screen on the exam shown there.
	var opened *printScreen
	env.Open = func(id string, entity int64) bool {
		if id != "print" {
			t.Errorf("opened %q", id)
		}
		env.OpenID = entity
		opened = newPrintScreen(env)
		env.OpenID = 0
		return true
	}
	b := printButton(env, func() *examBundle { return &examBundle{exam: e} })
	if !b.Visible() {
		t.Fatal("打印… hidden from a user who may print")
	}
	test.Tap(b.(*widget.Button))
	if opened == nil || opened.examID != e.ID || opened.printBtn.Disabled() || !strings.Contains(opened.target.Text, e.Number) {
		t.Errorf("print screen opened on %+v", opened)
	}
}

func mustEmployer(t *testing.T, env *Env, id int64) *app.Employer {
	t.Helper()
	emp, err := env.Services.Employers.FindEmployerByID(env.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return emp
}

// The guide sheets of a contract's registered exams go to the documents' printer and their
// tube labels to the label printer, one-sided; this PC remembers both printers.
func TestPrintScreen_LabelsToLabelPrinter(t *testing.T) {
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	env := newIntakeEnv(t)
	e, _, _ := recordingExam(t, env)
	spool := &printer.Recorder{List: []app.Printer{{Name: "A4-激光", Default: true}, {Name: "Zebra-GK888t", Info: "标签"}}}
	env.Services.Spooler = spool

	v := newPrintScreen(env)
	show(env, v.content())
	pick(t, v.contract, "2026-050")
	v.docs[app.DocReport].SetChecked(false)
	v.docs[app.DocNotice].SetChecked(false)
	test.Tap(v.docs[app.DocGuide])
	test.Tap(v.docs[app.DocLabels])
	test.Tap(v.duplex)
	v.labels.SetSelected(printerOption(spool.List[1]))
	if !strings.Contains(v.plan.Text, "导检单 "+e.Number) || !strings.Contains(v.plan.Text, "条码标签 "+e.Number) {
		t.Fatalf("plan %q", v.plan.Text)
	}
	test.Tap(v.printBtn)
	v.wg.Wait()
	jobs := spool.Printed()
	if len(jobs) != 2 {
		t.Fatalf("%d jobs; status %q %q", len(jobs), v.status.Text, v.result.Text)
	}
	if j := jobs[0]; j.Printer != "A4-激光" || !j.Duplex || !strings.HasPrefix(j.Title, "导检单") {
		t.Errorf("guide job %q to %q duplex %v", j.Title, j.Printer, j.Duplex)
	}
	if j := jobs[1]; j.Printer != "Zebra-GK888t" || j.Duplex || !strings.HasPrefix(j.Title, "条码标签") {
		t.Errorf("label job %q to %q duplex %v", j.Title, j.Printer, j.Duplex)
	}
	if len(v.logs) != 2 || v.logs[0].Printer != "Zebra-GK888t" || v.logs[0].Doc != app.DocLabels {
		t.Errorf("log %+v", v.logs)
	}

	// The next time on this PC the label printer is chosen already.
	w := newPrintScreen(env)
	if w.labels.Selected != printerOption(spool.List[1]) || w.printer.Selected != printerOption(spool.List[0]) {
		t.Errorf("remembered %q / %q", w.printer.Selected, w.labels.Selected)
	}
}

// 报告打印 is in the 体检 menu of the registrar, the chief examiner, the reviewer and the
// administrator, and of no one else.
func TestPrintScreen_Roles(t *testing.T) {
	env := newIntakeEnv(t)
	want := map[app.Role]bool{app.RoleRegistrar: true, app.RoleChiefExaminer: true, app.RoleReviewer: true, app.RoleAdmin: true}
	for _, r := range app.Roles {
		u := &app.User{Username: "x", Roles: []app.Role{r}}
		seen := false
		for _, d := range visibleScreens(Screens(), u, env.Institution) {
			if d.ID == "print" {
				seen = d.Group == "体检" && d.Title == "报告打印"
			}
		}
		if seen != want[r] {
			t.Errorf("%s: sees 报告打印 %v", r.Name(), seen)
		}
	}
}
