package ui

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "print", Group: "体检", Title: "报告打印", Order: 75,
		Roles:  []app.Role{app.RoleRegistrar, app.RoleReviewer, app.RoleChiefExaminer, app.RoleAdmin},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "PrintLogService.LogPrint",
		New:    func(env *Env) fyne.CanvasObject { return newPrintScreen(env).content() },
	})
}

// printDocOrder is the order of the document choices on the screen.
var printDocOrder = []string{app.DocReport, app.DocNotice, app.DocSummary, app.DocSettlement, app.DocGuide, app.DocLabels}

// printScreen prints a contract's (or one exam's) documents as one batch: individual reports
// in labelled copies, the notices the conclusions call for, the summary report and the
// settlement sheet; to a printer with copies and duplex, with a progress bar, or into PDF
// files. Every job is logged; the contract's print log is listed with reprints marked.
type printScreen struct {
	env      *Env
	contract *picker
	examNo   *searchEntry
	target   *widget.Label
	docs     map[string]*widget.Check
	copies   *widget.Entry
	copyMsg  *widget.Label
	duplex   *widget.Check
	printer  *widget.Select
	labels   *widget.Select // the tube labels' printer ("" the one above)
	printers []app.Printer
	plan     *widget.Label
	printBtn *widget.Button
	saveBtn  *widget.Button
	bar      *widget.ProgressBar
	status   *widget.Label
	result   *widget.Label
	log      *widget.List
	logs     []app.PrintRecord

	contractID, examID int64
	// src is what the chosen contract or exam prints from, read once on choosing.
	src  *app.PrintSource
	busy bool
	// wg is done when a print or save started from the screen has ended (tests wait).
	wg sync.WaitGroup
	// chooseDir asks for the folder of 另存为 PDF (tests replace it).
	chooseDir func(func(dir string))
}

func newPrintScreen(env *Env) *printScreen {
	v := &printScreen{env: env, docs: map[string]*widget.Check{}}
	v.contract = newPicker("体检任务：合同编号或单位名称", v.searchContracts)
	v.contract.OnChanged = func() {
		if it, ok := v.contract.Selected(); ok {
			id, _ := strconv.ParseInt(it.Key, 10, 64)
			v.choose(id, 0, it.Label)
		}
	}
	v.examNo = newSearchEntry("或扫描/输入体检号，回车")
	v.examNo.OnSubmitted = func(string) { v.findExam() }
	v.target = wrapLabel("请选择体检任务，或输入体检号")
	for _, d := range printDocOrder {
		v.docs[d] = widget.NewCheck(app.PrintDocNames[d], func(bool) { v.refreshPlan() })
	}
	v.docs[app.DocReport].SetChecked(true)
	v.docs[app.DocNotice].SetChecked(true)
	v.copies = widget.NewEntry()
	v.copies.SetText("2")
	v.copies.OnChanged = func(string) { v.refreshPlan() }
	v.copyMsg = newMsg()
	v.duplex = widget.NewCheck("双面（长边装订）", nil)
	v.printer = widget.NewSelect(nil, nil)
	v.printer.PlaceHolder = "（无打印机）"
	v.labels = widget.NewSelect(nil, nil)
	v.labels.PlaceHolder = "（与上面相同）"
	v.plan = wrapLabel("")
	v.printBtn = widget.NewButton("打印", v.print)
	v.printBtn.Importance = widget.HighImportance
	v.saveBtn = widget.NewButton("另存为 PDF…", v.save)
	v.bar = widget.NewProgressBar()
	v.bar.Hide()
	v.status = newMsg()
	v.result = wrapLabel("")
	v.log = widget.NewList(func() int { return len(v.logs) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(printLogLine(v.logs[i])) })
	v.chooseDir = func(done func(string)) {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil {
				showError(env.Window, err)
			} else if u != nil {
				done(u.Path())
			}
		}, env.Window)
		showFileDialog(d, env.Window)
	}
	v.loadPrinters()
	env.Focus = v.contract.entry
	if env.OpenID != 0 {
		if e, err := env.Services.Exams.FindExamByID(env.Ctx, env.OpenID); err == nil {
			v.examNo.SetText(e.Number)
			v.findExam()
		}
	}
	v.refreshPlan()
	return v
}

func (v *printScreen) content() fyne.CanvasObject {
	var checks []fyne.CanvasObject
	for _, d := range printDocOrder {
		checks = append(checks, v.docs[d])
	}
	refresh := widget.NewButton("刷新", v.loadPrinters)
	form := formGrid(
		formRow{"体检任务", v.contract.content(), nil},
		formRow{"体检号", withWidth(260, v.examNo), nil},
		formRow{"打印内容", container.NewHBox(checks...), nil},
		formRow{"份数", container.NewHBox(withWidth(80, v.copies), widget.NewLabel("个人报告每份印留存联次（劳动者留存、用人单位留存…）；告知书致劳动者、用人单位各一份；导检单、标签各一份")), v.copyMsg},
		formRow{"双面", v.duplex, nil},
		formRow{"打印机", container.NewBorder(nil, nil, nil, refresh, v.printer), nil},
		formRow{"标签打印机", v.labels, nil},
	)
	top := container.NewVBox(heading("报告打印"), v.target, form, widget.NewSeparator(), v.plan,
		container.NewHBox(v.printBtn, v.saveBtn), v.bar, v.status, v.result, widget.NewSeparator(), heading("打印记录"))
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, v.log)
}

func (v *printScreen) searchContracts(q string) []pickItem {
	cs, _, err := v.env.Services.Contracts.FindContracts(v.env.Ctx, app.ContractFilter{Query: q, Limit: 30})
	if err != nil {
		return nil
	}
	names := map[int64]string{}
	out := make([]pickItem, 0, len(cs))
	for _, c := range cs {
		name, ok := names[c.EmployerID]
		if !ok {
			if e, err := v.env.Services.Employers.FindEmployerByID(v.env.Ctx, c.EmployerID); err == nil {
				name = e.Name
			}
			names[c.EmployerID] = name
		}
		out = append(out, pickItem{Key: strconv.FormatInt(c.ID, 10), Label: c.Number + " " + name + " " + c.Title, Text: c.Number + " " + name})
	}
	return out
}

// findExam looks up the typed exam number (a lookup, never a print).
func (v *printScreen) findExam() {
	no := strings.TrimSpace(v.examNo.Text)
	if no == "" {
		return
	}
	e, err := v.env.Services.Exams.FindExamByNumber(v.env.Ctx, no)
	if err != nil {
		setMsg(v.status, "体检号 "+no+"："+app.ErrorMessage(err))
		return
	}
	name := ""
	if e.Record != nil && e.Record.Parties != nil {
		name = e.Record.Parties.Worker.Name
	} else if w, err := v.env.Services.Workers.FindWorkerByID(v.env.Ctx, e.WorkerID); err == nil {
		name = w.Name
	}
	v.contract.setText("")
	v.choose(0, e.ID, "体检 "+e.Number+" "+name+"（"+e.State.Name()+"）")
}

// choose makes a contract or an exam the one printed.
func (v *printScreen) choose(contractID, examID int64, label string) {
	v.contractID, v.examID = contractID, examID
	if contractID != 0 {
		v.examNo.SetText("")
	}
	v.target.SetText("打印：" + label)
	setMsg(v.status, "")
	src, err := app.LoadPrintSource(v.env.Ctx, v.env.Services, contractID, examID)
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
	}
	v.src = src
	v.result.SetText("")
	v.refreshPlan()
	v.refreshLog()
}

func (v *printScreen) loadPrinters() {
	v.printers = nil
	if v.env.Services.Spooler == nil {
		v.printer.SetOptions(nil)
		v.printer.PlaceHolder = "（本机未连接打印系统，请另存为 PDF）"
		v.printer.Refresh()
		return
	}
	list, err := v.env.Services.Spooler.Printers()
	if err != nil {
		v.printer.SetOptions(nil)
		v.printer.PlaceHolder = "（" + app.ErrorMessage(err) + "）"
		v.printer.Refresh()
		return
	}
	v.printers = list
	var cfg app.PCSettings
	if v.env.Services.PC != nil {
		cfg, _ = v.env.Services.PC.LoadPCSettings()
	}
	var opts []string
	sel, label := "", ""
	for _, p := range list {
		opts = append(opts, printerOption(p))
		if p.Default || len(list) == 1 {
			sel = printerOption(p)
		}
	}
	// The printers chosen last on this PC, while they exist.
	for _, p := range list {
		if p.Name == cfg.ReportPrinter {
			sel = printerOption(p)
		}
		if p.Name == cfg.LabelPrinter {
			label = printerOption(p)
		}
	}
	v.printer.SetOptions(opts)
	v.labels.SetOptions(append([]string{sameAsAbove}, opts...))
	if label != "" {
		v.labels.SetSelected(label)
	} else {
		v.labels.ClearSelected()
	}
	if len(list) == 0 {
		v.printer.PlaceHolder = "（本机没有打印机，请另存为 PDF）"
	} else {
		v.printer.PlaceHolder = "（请选择打印机）"
	}
	if sel != "" {
		v.printer.SetSelected(sel)
	} else {
		v.printer.ClearSelected()
	}
}

// sameAsAbove is the label printer's choice of the documents' printer.
const sameAsAbove = "（与上面相同）"

func printerOption(p app.Printer) string {
	s := p.Name
	if p.Default {
		s += "（默认）"
	}
	if p.Info != "" {
		s += " — " + p.Info
	}
	return s
}

// selectedPrinter returns the chosen printer's name.
func (v *printScreen) selectedPrinter() (string, bool) { return v.printerNamed(v.printer.Selected) }

func (v *printScreen) printerNamed(option string) (string, bool) {
	for _, p := range v.printers {
		if printerOption(p) == option {
			return p.Name, true
		}
	}
	return "", false
}

// remember keeps the chosen printers for this PC's next print.
func (v *printScreen) remember(report, label string) {
	if v.env.Services.PC == nil {
		return
	}
	cfg, err := v.env.Services.PC.LoadPCSettings()
	if err != nil || (cfg.ReportPrinter == report && cfg.LabelPrinter == label) {
		return
	}
	cfg.ReportPrinter, cfg.LabelPrinter = report, label
	if err := v.env.Services.PC.SavePCSettings(cfg); err != nil {
		setWarn(v.status, "打印机选择未能保存："+err.Error())
	}
}

// batch reads the choices; ok is false (with the message shown) when one is wrong.
func (v *printScreen) batch() (app.PrintBatch, bool) {
	b := app.PrintBatch{ContractID: v.contractID, ExamID: v.examID, Duplex: v.duplex.Checked}
	for _, d := range printDocOrder {
		if v.docs[d].Checked {
			b.Docs = append(b.Docs, d)
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.copies.Text))
	if err != nil || n < 1 || n > app.MaxPrintCopies {
		setMsg(v.copyMsg, fmt.Sprintf("份数应为 1 到 %d 的整数", app.MaxPrintCopies))
		return b, false
	}
	setMsg(v.copyMsg, "")
	b.Copies = n
	return b, true
}

// refreshPlan shows what 打印 would print.
func (v *printScreen) refreshPlan() {
	if v.plan == nil || v.busy {
		return
	}
	b, ok := v.batch()
	if v.src == nil || !ok {
		v.plan.SetText("")
		v.setEnabled(false)
		return
	}
	docs, notes, err := v.src.Plan(v.env.Ctx, v.env.Services, b)
	if err != nil {
		v.plan.SetText("")
		setMsg(v.status, app.ErrorMessage(err))
		v.setEnabled(false)
		return
	}
	var lines []string
	for _, d := range docs {
		line := "· " + d.Title
		if d.Copies > 1 {
			line += fmt.Sprintf(" × %d 份", d.Copies)
		}
		lines = append(lines, line)
	}
	for _, n := range notes {
		lines = append(lines, "（"+n+"）")
	}
	if len(docs) == 0 {
		lines = append([]string{"没有可打印的文书"}, lines...)
	}
	v.plan.SetText(strings.Join(lines, "\n"))
	v.setEnabled(len(docs) > 0)
}

func (v *printScreen) setEnabled(ok bool) {
	for _, b := range []*widget.Button{v.printBtn, v.saveBtn} {
		if ok && !v.busy {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (v *printScreen) refreshLog() {
	v.logs = nil
	if v.contractID != 0 || v.examID != 0 {
		cid := v.contractID
		logs, err := v.env.Services.PrintLog.FindPrints(v.env.Ctx, cid, v.examID)
		if err != nil {
			setMsg(v.status, app.ErrorMessage(err))
		}
		v.logs = logs
	}
	v.log.Refresh()
}

// printLogLine is one line of the print log: when, who, what, reprint, where, how many.
func printLogLine(r app.PrintRecord) string {
	name := app.PrintDocNames[r.Doc]
	if name == "" {
		name = r.Doc
	}
	s := r.Time.Local().Format("2006-01-02 15:04") + "  " + r.User + "  "
	if r.Reprint {
		s += "【重印】"
	}
	s += name
	if len(r.ExamIDs) > 1 {
		s += fmt.Sprintf(" %d 人", len(r.ExamIDs))
	}
	if r.Note != "" {
		s += "（" + r.Note + "）"
	}
	s += fmt.Sprintf("  %s  %d 页 × %d 份", r.Printer, r.Pages, r.Copies)
	return s
}

// print renders and sends the batch with a progress bar, off the UI thread.
func (v *printScreen) print() {
	if v.busy {
		return
	}
	b, ok := v.batch()
	if !ok {
		return
	}
	if v.env.Services.Spooler == nil {
		setMsg(v.status, "本机未连接打印系统：请“另存为 PDF”后打印")
		return
	}
	name, ok := v.selectedPrinter()
	if !ok {
		setMsg(v.status, "请选择打印机")
		return
	}
	b.Printer = name
	b.LabelPrinter, _ = v.printerNamed(v.labels.Selected)
	v.remember(b.Printer, b.LabelPrinter)
	v.run(b, false, func(docs []*app.PrintDoc, progress app.PrintProgress) ([]app.PrintOutcome, error) {
		return app.RunPrint(v.env.Ctx, v.env.Services, v.env.Services.Spooler, docs, b, progress)
	})
}

// save renders the batch into PDF files in a folder the user picks.
func (v *printScreen) save() {
	if v.busy {
		return
	}
	b, ok := v.batch()
	if !ok {
		return
	}
	v.chooseDir(func(dir string) {
		v.run(b, true, func(docs []*app.PrintDoc, progress app.PrintProgress) ([]app.PrintOutcome, error) {
			return app.SavePrint(docs, dir, progress)
		})
	})
}

func (v *printScreen) run(b app.PrintBatch, saving bool, do func([]*app.PrintDoc, app.PrintProgress) ([]app.PrintOutcome, error)) {
	if v.src == nil {
		setMsg(v.status, "请选择体检任务，或输入体检号")
		return
	}
	docs, _, err := v.src.Plan(v.env.Ctx, v.env.Services, b)
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		return
	}
	if len(docs) == 0 {
		setMsg(v.status, "没有可打印的文书")
		return
	}
	v.busy = true
	v.setEnabled(false)
	v.bar.SetValue(0)
	v.bar.Show()
	v.result.SetText("")
	setNote(v.status, "正在生成…")
	was := v.src
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		out, err := do(docs, func(stage string, d *app.PrintDoc, done, total int) {
			fyne.Do(func() {
				if total > 0 {
					v.bar.SetValue(float64(done) / float64(total))
				}
				setNote(v.status, fmt.Sprintf("正在%s：%s（%d/%d）", stage, d.Title, done, total))
			})
		})
		// Read the source again: exams reviewed meanwhile join the next print.
		src, serr := app.LoadPrintSource(v.env.Ctx, v.env.Services, was.ContractID(), was.ExamID())
		fyne.DoAndWait(func() {
			v.busy = false
			if serr == nil && v.src == was { // unless another contract was chosen meanwhile
				v.src = src
			}
			v.finish(out, err, saving)
			v.refreshPlan()
			v.refreshLog()
		})
	}()
}

// finish shows what became of each document.
func (v *printScreen) finish(out []app.PrintOutcome, err error, saved bool) {
	var lines []string
	printed, failed := 0, 0
	for _, o := range out {
		switch {
		case o.Jobs == 0:
			failed++
			lines = append(lines, "✗ "+o.Doc.Title+"："+app.ErrorMessage(o.Err))
		case saved:
			printed++
			for _, f := range o.Files {
				lines = append(lines, "✓ 已保存 "+f)
			}
		default:
			printed++
			mark := ""
			if o.Record != nil && o.Record.Reprint {
				mark = "【重印】"
			}
			lines = append(lines, fmt.Sprintf("✓ %s%s，%d 页 × %d 份", mark, o.Doc.Title, o.Pages, o.Doc.Copies))
		}
		for _, p := range o.Problems {
			failed++
			lines = append(lines, "✗ "+p)
		}
		for _, w := range o.Warnings {
			lines = append(lines, "！"+w)
		}
	}
	v.result.SetText(strings.Join(lines, "\n"))
	verb := "打印"
	if saved {
		verb = "保存"
	}
	switch {
	case err != nil:
		v.bar.Hide()
		setMsg(v.status, verb+"中断："+app.ErrorMessage(err))
		showError(v.env.Window, err)
	case failed > 0:
		setWarn(v.status, fmt.Sprintf("已%s %d 份文书，%d 份未能%s（见下）", verb, printed, failed, verb))
	default:
		setNote(v.status, fmt.Sprintf("已%s %d 份文书", verb, printed))
	}
}

// printButton opens 报告打印 on the exam a screen shows (release, review); hidden outside the
// shell or when the user may not print.
func printButton(env *Env, current func() *examBundle) fyne.CanvasObject {
	b := widget.NewButton("打印…", func() {
		if bd := current(); bd != nil && bd.exam != nil {
			env.Open("print", bd.exam.ID)
		}
	})
	if _, ok := app.ScopeOf(env.User, "PrintLogService.LogPrint"); !ok || env.Open == nil {
		b.Hide()
	}
	return b
}
