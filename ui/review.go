package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/rules"
)

func init() {
	registerScreen(ScreenDef{
		ID: "review", Group: "体检", Title: "审核", Order: 60,
		Roles:  []app.Role{app.RoleReviewer},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "RecordService.Review",
		New:    func(env *Env) fyne.CanvasObject { return newReviewScreen(env).content() },
	})
}

// reviewScreen is the reviewer's desk: signed exams (已总检) read-only with their conclusion
// and signature; 通过 or 退回 with a reason; the history of signed editions.
type reviewScreen struct {
	env   *Env
	table *rules.Table
	list  *examWorklist
	b     *examBundle

	summary    *widget.Label
	detail     *fyne.Container
	approveBtn *widget.Button
	returnBtn  *widget.Button
	historyBtn *widget.Button
	status     *widget.Label

	// reason is the entry of the last 退回 dialog, reasonMsg its message, returnDialog the
	// dialog and history the text of the last 历次版本 view (tests).
	reason       *widget.Entry
	reasonMsg    *widget.Label
	returnDialog *dialog.CustomDialog
	returnOK     *widget.Button
	approveAsk   *dialog.ConfirmDialog
	history      string
}

func newReviewScreen(env *Env) *reviewScreen {
	v := &reviewScreen{env: env, table: ruleTableOf(env)}
	v.list = newExamWorklist(env, []app.ExamState{app.ExamConcluded}, "")
	v.list.OnOpen = func(e *app.Exam) { v.open(e.ID) }
	v.summary = wrapLabel("")
	v.detail = container.NewVBox()
	v.approveBtn = widget.NewButton("审核通过…", v.askApprove)
	v.approveBtn.Importance = widget.HighImportance
	v.returnBtn = widget.NewButton("退回…", v.askReturn)
	v.returnBtn.Importance = widget.DangerImportance
	v.historyBtn = widget.NewButton("历次版本", v.showHistory)
	v.status = newMsg()
	env.Focus = v.list.lookup
	v.list.reload()
	v.show(nil)
	return v
}

func (v *reviewScreen) content() fyne.CanvasObject {
	top := container.NewVBox(heading("主检结论"), v.summary, widget.NewSeparator())
	actions := container.NewVBox(widget.NewSeparator(), v.status, container.NewHBox(v.approveBtn, v.returnBtn, v.historyBtn, printButton(v.env, func() *examBundle { return v.b })))
	right := container.NewBorder(nil, actions, nil, nil, container.NewVScroll(container.NewPadded(container.NewVBox(top, v.detail))))
	split := container.NewHSplit(v.list.content(), right)
	split.Offset = 0.26
	return split
}

func (v *reviewScreen) open(id int64) {
	b, err := loadBundle(v.env, id)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	setMsg(v.status, "")
	v.show(b)
}

func (v *reviewScreen) show(b *examBundle) {
	v.b = b
	v.detail.Objects = nil
	if b == nil {
		v.summary.SetText("请从左侧选择已总检的体检，或扫描体检号。")
		v.approveBtn.Disable()
		v.returnBtn.Disable()
		v.historyBtn.Disable()
		v.detail.Refresh()
		return
	}
	v.summary.SetText(conclusionSummary(v.env, b.exam))
	v.detail.Add(examDetail(v.env, v.table, b))
	v.detail.Refresh()
	v.historyBtn.Enable()
	if b.exam.State == app.ExamConcluded {
		v.approveBtn.Enable()
		v.returnBtn.Enable()
	} else {
		v.approveBtn.Disable()
		v.returnBtn.Disable()
		setNote(v.status, "此体检的状态为“"+b.exam.State.Name()+"”，不在待审核之列。")
	}
}

func (v *reviewScreen) askApprove() {
	if v.b == nil {
		return
	}
	d := dialog.NewConfirm("审核通过", "体检号 "+v.b.exam.Number+"（"+v.b.worker.Name+"）审核通过？通过后可发放报告。",
		func(ok bool) {
			if ok {
				v.review(app.ReviewApprove, "")
			}
		}, v.env.Window)
	v.approveAsk = d
	d.Show()
}

// askReturn asks for the reason in a dialog; 退回 stays refused while the reason is empty.
func (v *reviewScreen) askReturn() {
	if v.b == nil {
		return
	}
	v.reason = widget.NewMultiLineEntry()
	v.reason.SetMinRowsVisible(3)
	v.reason.Wrapping = fyne.TextWrapWord
	v.reason.SetPlaceHolder("退回原因（必填），如 噪声结论与听阈结果不符，请核对")
	v.reasonMsg = newMsg()
	var d *dialog.CustomDialog
	ok := widget.NewButton("退回", func() {
		r := strings.TrimSpace(v.reason.Text)
		if r == "" {
			setMsg(v.reasonMsg, "请填写退回原因")
			return
		}
		d.Hide()
		v.review(app.ReviewReturn, r)
	})
	ok.Importance = widget.DangerImportance
	v.returnOK = ok
	cancel := widget.NewButton("取消", func() { d.Hide() })
	body := container.NewVBox(widget.NewLabel("体检号 "+v.b.exam.Number+"（"+v.b.worker.Name+"）退回主检医师修改。"), v.reason, v.reasonMsg)
	d = dialog.NewCustomWithoutButtons("退回", body, v.env.Window)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(520, 300))
	v.returnDialog = d
	d.Show()
	v.env.Window.Canvas().Focus(v.reason)
}

func (v *reviewScreen) review(decision, reason string) {
	e, err := v.env.Services.Records.Review(v.env.Ctx, v.b.exam.ID, v.b.exam.Version, decision, reason)
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	v.b.exam = e
	v.show(v.b)
	if decision == app.ReviewApprove {
		setNote(v.status, "已审核通过，可以发放。")
	} else {
		setNote(v.status, "已退回主检医师："+reason)
	}
	v.list.reload()
}

// historyText words every signed edition of an exam: who signed it, what it concluded, and
// who returned it and why.
func historyText(env *Env, snaps []app.ExamSnapshot) string {
	if len(snaps) == 0 {
		return "尚无已签名的版本。"
	}
	// Who returned an edition is in the Returns of the later editions' records.
	returns := map[int]app.ReturnNote{}
	for _, s := range snaps {
		for _, n := range s.Record.Returns {
			returns[n.Edition] = n
		}
	}
	var parts []string
	for i, s := range snaps {
		e := s.Exam
		r := s.Record
		e.Record = &r
		title := "第 " + strconv.Itoa(s.Edition) + " 版"
		if i == len(snaps)-1 && s.ReturnedAt.IsZero() {
			title += "（当前）"
		}
		lines := []string{title}
		lines = append(lines, conclusionSummary(env, &e))
		if !s.ReturnedAt.IsZero() {
			by := ""
			if n, ok := returns[s.Edition]; ok {
				by = n.Name + " "
			}
			lines = append(lines, "退回："+by+formatDateTime(s.ReturnedAt)+"　原因："+s.Reason)
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

// showHistory shows the signed editions of the exam (ExamHistory).
func (v *reviewScreen) showHistory() {
	if v.b == nil {
		return
	}
	showExamHistory(v.env, v.b.exam, func(s string) { v.history = s })
}

// showExamHistory reads and shows the history of e in a dialog; seen, when set, gets the text.
func showExamHistory(env *Env, e *app.Exam, seen func(string)) {
	snaps, err := env.Services.Records.ExamHistory(env.Ctx, e.ID)
	if err != nil {
		showError(env.Window, err)
		return
	}
	text := historyText(env, snaps)
	if seen != nil {
		seen(text)
	}
	d := dialog.NewCustom("历次版本　体检号 "+e.Number, "关闭", container.NewVScroll(wrapLabel(text)), env.Window)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}
