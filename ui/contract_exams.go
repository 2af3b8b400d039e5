package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// examPage is how many exams the registered list decodes at once.
const examPage = 100

// contractExams lists the exams registered under a contract (virtual), with the desk's
// actions on the one selected and the batch guide sheets and labels of the whole round.
type contractExams struct {
	env     *Env
	changed func()

	contract *app.Contract
	total    int
	pages    map[int][]*app.Exam
	// found holds the matches of the search box (nil: no search, the list pages through all)
	found    []*app.Exam
	search   *searchEntry
	names    map[int64]string
	selected *app.Exam

	list                       *keyList
	count, sel, status         *widget.Label
	cancelBtn, noShowBtn       *widget.Button
	voidBtn, guideBtn, tubeBtn *widget.Button
	batchGuide, batchTube      *widget.Button
	// job is the last print started (tests wait on it); pdfHook, when set, gets the PDF
	// instead of the save dialog (tests).
	job     *printJob
	pdfHook func([]byte)
	// reason is the entry of the last reason dialog (tests).
	reason *widget.Entry
}

func newContractExams(env *Env, changed func()) *contractExams {
	v := &contractExams{env: env, changed: changed, pages: map[int][]*app.Exam{}, names: map[int64]string{}}
	v.count = widget.NewLabel("")
	v.sel = widget.NewLabel("")
	v.sel.Wrapping = fyne.TextWrapWord
	v.status = newMsg()
	v.search = newSearchEntry("体检号、姓名、证件号后 6 位或拼音首字母")
	v.search.OnChanged = func(string) { v.reload() }
	v.search.onDown = func() {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.list); c != nil && v.list.Length() > 0 {
			c.Focus(v.list)
		}
	}
	v.list = newKeyList(
		func() int {
			if v.found != nil {
				return len(v.found)
			}
			return v.total
		},
		func() fyne.CanvasObject {
			row := widget.NewLabel("")
			row.Truncation = fyne.TextTruncateEllipsis
			return row
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			e := v.at(i)
			if e == nil {
				l.SetText("…")
				return
			}
			l.SetText(e.Number + "　" + v.name(e.WorkerID) + "　" + e.Type.Name() + recheckMark(e) + "　" + formatDate(e.Date) + "　" + e.State.Name())
			switch e.State {
			case app.ExamCancelled, app.ExamNoShow, app.ExamVoided:
				l.Importance = widget.LowImportance
			default:
				l.Importance = widget.MediumImportance
			}
			l.Refresh()
		})
	v.list.OnSelected = func(i widget.ListItemID) { v.choose(v.at(i)) }
	v.cancelBtn = widget.NewButton("取消登记…", func() { v.cancel(false) })
	v.noShowBtn = widget.NewButton("未到检…", func() { v.cancel(true) })
	v.voidBtn = widget.NewButton("作废…", v.void)
	v.voidBtn.Importance = widget.DangerImportance
	v.guideBtn = widget.NewButton("打印导检单", func() { v.printOne(false) })
	v.tubeBtn = widget.NewButton("打印条码", func() { v.printOne(true) })
	v.batchGuide = widget.NewButton("批量导检单", func() { v.batch(false) })
	v.batchTube = widget.NewButton("批量条码", func() { v.batch(true) })
	if _, ok := app.ScopeOf(env.User, "ExamService.CancelExam"); !ok {
		v.cancelBtn.Hide()
		v.noShowBtn.Hide()
	}
	if _, ok := app.ScopeOf(env.User, "ExamService.VoidExam"); !ok {
		v.voidBtn.Hide()
	}
	v.choose(nil)
	return v
}

func recheckMark(e *app.Exam) string {
	if e.Recheck {
		return "（复查）"
	}
	return ""
}

func (v *contractExams) content() fyne.CanvasObject {
	top := container.NewVBox(
		container.NewBorder(nil, nil, v.count, container.NewHBox(v.batchGuide, v.batchTube)),
		v.search, widget.NewSeparator())
	actions := container.NewVBox(widget.NewSeparator(), v.sel,
		container.NewHBox(v.guideBtn, v.tubeBtn, v.cancelBtn, v.noShowBtn, v.voidBtn), v.status)
	return container.NewBorder(top, actions, nil, nil, v.list)
}

// setContract shows the exams of c (nil: none).
func (v *contractExams) setContract(c *app.Contract) {
	other := c == nil || v.contract == nil || c.ID != v.contract.ID
	v.contract = c
	if other && v.search.Text != "" {
		v.search.SetText("") // reloads
		return
	}
	v.reload()
}

// reload reads the count again, or the matches of the search box; rows decode as the list
// shows them.
func (v *contractExams) reload() {
	v.pages = map[int][]*app.Exam{}
	v.names = map[int64]string{}
	v.total = 0
	v.found = nil
	if v.contract != nil {
		_, total, err := v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{ContractID: v.contract.ID, Limit: 1})
		if err != nil {
			v.count.SetText(app.ErrorMessage(err))
		} else {
			v.total = total
			v.count.SetText("本任务已登记 " + strconv.Itoa(total) + " 人次")
		}
		if q := strings.TrimSpace(v.search.Text); q != "" {
			v.found = v.find(q)
			v.count.SetText(v.count.Text + "，找到 " + strconv.Itoa(len(v.found)) + " 人次")
		}
	} else {
		v.count.SetText("")
	}
	v.batchGuide.Disable()
	v.batchTube.Disable()
	if v.total > 0 {
		v.batchGuide.Enable()
		v.batchTube.Enable()
	}
	v.list.UnselectAll()
	v.list.Refresh()
	v.choose(nil)
}

// find returns the contract's exams of an exam number, or of the workers a search finds
// (as the worker search box reads it: ID number, its last 6, name, pinyin initials).
func (v *contractExams) find(q string) []*app.Exam {
	out := []*app.Exam{}
	svc, ctx, id := v.env.Services, v.env.Ctx, v.contract.ID
	if isDigits(q) && len(q) >= 9 {
		if es, _, err := svc.Exams.FindExams(ctx, app.ExamFilter{Number: q}); err == nil {
			for _, e := range es {
				if e.ContractID == id {
					out = append(out, e)
				}
			}
		}
		if len(out) > 0 {
			v.nameWorkers(out)
			return out
		}
	}
	ids, err := svc.Workers.SearchWorkers(ctx, app.WorkerSearch{Query: q, Limit: 200})
	if err != nil {
		return out
	}
	for _, wid := range ids {
		// By worker (a few exams each), not by contract (thousands each).
		es, _, err := svc.Exams.FindExams(ctx, app.ExamFilter{WorkerID: wid})
		if err != nil {
			continue
		}
		for _, e := range es {
			if e.ContractID == id {
				out = append(out, e)
			}
		}
	}
	v.nameWorkers(out)
	return out
}

// nameWorkers reads the names of the workers of exams.
func (v *contractExams) nameWorkers(exams []*app.Exam) {
	var ids []int64
	for _, e := range exams {
		if _, ok := v.names[e.WorkerID]; !ok {
			ids = append(ids, e.WorkerID)
		}
	}
	if len(ids) == 0 {
		return
	}
	if ws, err := v.env.Services.Workers.WorkersByIDs(v.env.Ctx, ids); err == nil {
		for _, w := range ws {
			v.names[w.ID] = w.Name
		}
	}
}

func (v *contractExams) at(i int) *app.Exam {
	if v.contract == nil || i < 0 {
		return nil
	}
	if v.found != nil {
		if i < len(v.found) {
			return v.found[i]
		}
		return nil
	}
	p := i / examPage
	page, ok := v.pages[p]
	if !ok {
		var err error
		page, _, err = v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{ContractID: v.contract.ID, Offset: p * examPage, Limit: examPage})
		if err != nil {
			return nil
		}
		v.pages[p] = page
		v.nameWorkers(page)
	}
	if j := i - p*examPage; j < len(page) {
		return page[j]
	}
	return nil
}

func (v *contractExams) name(id int64) string {
	if n, ok := v.names[id]; ok {
		return n
	}
	return "档案 " + strconv.FormatInt(id, 10)
}

// choose makes e the exam the action buttons act on.
func (v *contractExams) choose(e *app.Exam) {
	v.selected = e
	btns := []*widget.Button{v.cancelBtn, v.noShowBtn, v.voidBtn, v.guideBtn, v.tubeBtn}
	if e == nil {
		v.sel.SetText("在列表中选择一人次，可打印导检单、条码，或取消登记。")
		for _, b := range btns {
			b.Disable()
		}
		return
	}
	text := "体检号 " + e.Number + "　" + v.name(e.WorkerID) + "　" + e.Type.Name() + recheckMark(e) + "　" + e.State.Name()
	if e.StateNote != "" {
		text += "（" + e.StateNote + "）"
	}
	v.sel.SetText(text)
	for _, b := range btns {
		b.Enable()
	}
	if e.State != app.ExamRegistered {
		v.cancelBtn.Disable()
		v.noShowBtn.Disable()
	}
	if e.State == app.ExamVoided {
		v.voidBtn.Disable()
	}
}

// cancel marks the selected exam 已取消 or 未到检 with a reason. The service refuses an exam
// with results: its message is shown.
func (v *contractExams) cancel(noShow bool) {
	e := v.selected
	if e == nil {
		return
	}
	title, prompt := "取消登记", "取消体检 "+e.Number+"（"+v.name(e.WorkerID)+"）的登记。取消原因："
	if noShow {
		title, prompt = "未到检", "将体检 "+e.Number+"（"+v.name(e.WorkerID)+"）标记为未到检。说明（可不填）："
	}
	v.reason = reasonDialog(v.env, title, prompt, title, !noShow, func(reason string) error {
		got, err := v.env.Services.Exams.CancelExam(v.env.Ctx, e.ID, e.Version, noShow, reason)
		if err != nil {
			return err
		}
		v.after(got, "体检 "+got.Number+" 已标记为“"+got.State.Name()+"”。")
		return nil
	})
}

// void voids the selected exam (administrators), with a reason for the audit log.
func (v *contractExams) void() {
	e := v.selected
	if e == nil {
		return
	}
	v.reason = reasonDialog(v.env, "作废体检", "作废体检 "+e.Number+"（"+v.name(e.WorkerID)+"，"+e.State.Name()+"）。作废原因（记入审计日志）：", "作废", true, func(reason string) error {
		got, err := v.env.Services.Exams.VoidExam(v.env.Ctx, e.ID, e.Version, reason)
		if err != nil {
			return err
		}
		v.after(got, "体检 "+got.Number+" 已作废。")
		return nil
	})
}

func (v *contractExams) after(e *app.Exam, msg string) {
	v.reload()
	setNote(v.status, msg)
	if v.changed != nil {
		v.changed()
	}
}

// printOne prints the guide sheet or the labels of the selected exam.
func (v *contractExams) printOne(labels bool) {
	if e := v.selected; e != nil {
		v.job = printExams(v.env, []*app.Exam{e}, labels, "体检"+e.Number, v.pdfHook)
	}
}

// batch prints the guide sheets or labels of every exam of the contract still to be done
// (not cancelled, no-show or voided), in one PDF.
func (v *contractExams) batch(labels bool) {
	if v.contract == nil {
		return
	}
	exams, _, err := v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{ContractID: v.contract.ID})
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	var todo []*app.Exam
	for _, e := range exams {
		switch e.State {
		case app.ExamCancelled, app.ExamNoShow, app.ExamVoided:
			continue
		}
		todo = append(todo, e)
	}
	if len(todo) == 0 {
		setMsg(v.status, "本任务没有需要打印的体检（已取消、未到检和作废的不打印）。")
		return
	}
	// The list is newest first; print in registration order.
	for i, j := 0, len(todo)-1; i < j; i, j = i+1, j-1 {
		todo[i], todo[j] = todo[j], todo[i]
	}
	v.job = printExams(v.env, todo, labels, "任务"+v.contract.Number, v.pdfHook)
}

// printExams renders guide sheets (or labels) of exams with progress and saves the PDF.
// rendered, when not nil, gets the PDF instead of the save dialog (tests).
func printExams(env *Env, exams []*app.Exam, labels bool, name string, rendered func([]byte)) *printJob {
	j := &printJob{env: env, title: "导检单", file: name + "导检单.pdf", rendered: rendered}
	j.render = func(progress func(done, total int)) ([]byte, error) {
		return guideSheetPDF(env, exams, progress)
	}
	if labels {
		j.title, j.file = "条码", name+"条码.pdf"
		j.render = func(progress func(done, total int)) ([]byte, error) {
			progress(0, len(exams))
			return tubeLabelPDF(env, exams)
		}
	}
	if len(exams) > 1 {
		j.title = "批量" + j.title + "（" + strconv.Itoa(len(exams)) + " 人）"
	}
	j.run()
	return j
}
