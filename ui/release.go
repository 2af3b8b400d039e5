package ui

import (
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
		ID: "release", Group: "体检", Title: "报告发放", Order: 70,
		Roles:  []app.Role{app.RoleRegistrar, app.RoleReviewer, app.RoleAdmin},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "RecordService.Release",
		New:    func(env *Env) fyne.CanvasObject { return newReleaseScreen(env).content() },
	})
}

// Recipient kinds and receipt ways of a handover.
const (
	recipientSelf     = "本人"
	recipientEmployer = "用人单位"
	recipientProxy    = "代领"
	receiptSign       = "签字"
	receiptPost       = "邮寄"
	reportDocument    = "职业健康检查报告"
)

// releaseScreen hands reviewed reports over (发放): who received which documents and how the
// receipt was taken, the handover log of the exam, and for released exams the 补充更正.
type releaseScreen struct {
	env   *Env
	table *rules.Table
	list  *examWorklist
	b     *examBundle

	summary     *widget.Label
	recipient   *widget.Entry
	kind        *widget.RadioGroup
	docs        *widget.CheckGroup
	receipt     *widget.RadioGroup
	postNumber  *widget.Entry
	recipMsg    *widget.Label
	docsMsg     *widget.Label
	receiptMsg  *widget.Label
	releaseBtn  *widget.Button
	addendumBtn *widget.Button
	log         *widget.Label
	status      *widget.Label
	noticeBox   *fyne.Container
	// job is the last notice rendered; pdfHook, when set, gets the PDF (tests).
	job     *printJob
	pdfHook func([]byte)

	// addendum is the entry of the last 补充更正 dialog (tests).
	addendum       *widget.Entry
	addendumDialog *dialog.CustomDialog
	addendumOK     *widget.Button
}

func newReleaseScreen(env *Env) *releaseScreen {
	v := &releaseScreen{env: env, table: ruleTableOf(env)}
	v.list = newExamWorklist(env, []app.ExamState{app.ExamReviewed}, "含已发放（补发）", app.ExamReleased)
	v.list.OnOpen = func(e *app.Exam) { v.open(e.ID) }
	v.summary = wrapLabel("")
	v.recipient = widget.NewEntry()
	v.recipient.SetPlaceHolder("领取人姓名")
	v.kind = widget.NewRadioGroup([]string{recipientSelf, recipientEmployer, recipientProxy}, func(s string) {
		if s == recipientSelf && v.b != nil && strings.TrimSpace(v.recipient.Text) == "" {
			v.recipient.SetText(v.b.worker.Name)
		}
	})
	v.kind.Horizontal = true
	v.docs = widget.NewCheckGroup(nil, nil)
	v.receipt = widget.NewRadioGroup([]string{receiptSign, receiptPost}, func(s string) {
		setMsg(v.receiptMsg, "")
		if s == receiptPost {
			v.postNumber.Show()
			focusIfShown(v.postNumber)
		} else {
			v.postNumber.Hide()
		}
	})
	v.receipt.Horizontal = true
	v.postNumber = widget.NewEntry()
	v.postNumber.SetPlaceHolder("邮寄单号")
	v.postNumber.Hide()
	enterMovesOn(v.postNumber)
	v.recipMsg, v.docsMsg, v.receiptMsg = newMsg(), newMsg(), newMsg()
	v.releaseBtn = widget.NewButton("登记发放（Ctrl+S）", v.release)
	v.releaseBtn.Importance = widget.HighImportance
	v.addendumBtn = widget.NewButton("补充更正…", v.askAddendum)
	if _, ok := app.ScopeOf(env.User, "RecordService.AddAddendum"); !ok {
		v.addendumBtn.Hide()
	}
	v.log = wrapLabel("")
	v.status = newMsg()
	v.noticeBox = container.NewHBox()
	env.setActions(v.release, nil)
	env.Focus = v.list.lookup
	v.list.reload()
	v.show(nil)
	return v
}

func (v *releaseScreen) content() fyne.CanvasObject {
	form := formGrid(
		formRow{"领取人", v.recipient, v.recipMsg},
		formRow{"领取方式", v.kind, nil},
		formRow{"发放文书", v.docs, v.docsMsg},
		formRow{"签收方式", container.NewVBox(v.receipt, withWidth(200, v.postNumber)), v.receiptMsg},
	)
	body := container.NewVBox(heading("报告发放"), v.summary, widget.NewSeparator(), form,
		container.NewHBox(v.releaseBtn, v.addendumBtn, printButton(v.env, func() *examBundle { return v.b })), v.status, v.noticeBox, widget.NewSeparator(), heading("发放记录"), v.log)
	split := container.NewHSplit(v.list.content(), container.NewVScroll(container.NewPadded(body)))
	split.Offset = 0.26
	return split
}

func (v *releaseScreen) open(id int64) {
	b, err := loadBundle(v.env, id)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	setMsg(v.status, "")
	v.show(b)
	if !v.releaseBtn.Disabled() {
		focusIfShown(v.recipient)
	}
}

// documentsFor lists what an exam hands over: the report, then the notices its conclusion
// calls for, each for the worker and the employer.
func documentsFor(e *app.Exam) []string {
	out := []string{reportDocument}
	for _, k := range noticeKinds(recordOf(e).Conclusion) {
		out = append(out, noticeTitle(k)+"（劳动者）", noticeTitle(k)+"（用人单位）")
	}
	return out
}

func (v *releaseScreen) show(b *examBundle) {
	v.b = b
	for _, m := range []*widget.Label{v.recipMsg, v.docsMsg, v.receiptMsg} {
		setMsg(m, "")
	}
	v.recipient.SetText("")
	v.kind.SetSelected("")
	v.receipt.SetSelected(receiptSign)
	v.postNumber.SetText("")
	v.noticeBox.Objects = nil
	v.noticeBox.Refresh()
	if b == nil {
		v.summary.SetText("请从左侧选择已审核的体检，或扫描体检号。")
		v.docs.Options = nil
		v.docs.Refresh()
		v.log.SetText("")
		v.releaseBtn.Disable()
		v.addendumBtn.Disable()
		return
	}
	e := b.exam
	v.summary.SetText(examHeaderText(v.env, b) + "\n" + conclusionSummary(v.env, e))
	v.docs.Options = documentsFor(e)
	v.docs.SetSelected([]string{reportDocument})
	v.docs.Refresh()
	v.log.SetText(handoverLog(v.env, e))
	for _, kind := range noticeKinds(recordOf(e).Conclusion) {
		for _, to := range []string{"劳动者", "用人单位"} {
			kind, to := kind, to
			v.noticeBox.Add(widget.NewButton("打印"+noticeTitle(kind)+"（"+to+"）", func() {
				v.job = noticeJob(v.env, v.b, kind, to, v.pdfHook)
				v.job.run()
			}))
		}
	}
	v.noticeBox.Refresh()
	if e.State == app.ExamReviewed || e.State == app.ExamReleased {
		v.releaseBtn.Enable()
	} else {
		v.releaseBtn.Disable()
		setNote(v.status, "此体检的状态为“"+e.State.Name()+"”，审核通过后才能发放。")
	}
	if e.State == app.ExamReleased {
		v.addendumBtn.Enable()
	} else {
		v.addendumBtn.Disable()
	}
}

// handoverLog words the handovers and addenda of an exam.
func handoverLog(env *Env, e *app.Exam) string {
	rec := recordOf(e)
	var lines []string
	for _, h := range rec.Releases {
		lines = append(lines, formatDateTime(h.At)+"　"+h.Recipient+"（"+h.RecipientKind+"）领取 "+
			strings.Join(h.Documents, "、")+"　签收："+h.Receipt+"　经办："+h.Login)
	}
	if len(lines) == 0 {
		lines = append(lines, "尚未发放。")
	}
	for _, a := range rec.Addenda {
		lines = append(lines, "补充更正 "+formatDateTime(a.At)+" "+a.Name+"："+a.Text)
	}
	return strings.Join(lines, "\n")
}

// handover reads the form; each problem is shown under its field.
func (v *releaseScreen) handover() (app.Handover, bool) {
	h := app.Handover{Recipient: strings.TrimSpace(v.recipient.Text), RecipientKind: v.kind.Selected}
	ok := true
	switch {
	case h.Recipient == "":
		setMsg(v.recipMsg, "请填写领取人")
		ok = false
	case h.RecipientKind == "":
		setMsg(v.recipMsg, "请选择领取方式（本人、用人单位或代领）")
		ok = false
	default:
		setMsg(v.recipMsg, "")
	}
	for _, d := range v.docs.Options {
		for _, s := range v.docs.Selected {
			if s == d {
				h.Documents = append(h.Documents, d)
			}
		}
	}
	if len(h.Documents) == 0 {
		setMsg(v.docsMsg, "请至少选择一份发放的文书")
		ok = false
	} else {
		setMsg(v.docsMsg, "")
	}
	switch v.receipt.Selected {
	case receiptSign:
		h.Receipt = receiptSign
		setMsg(v.receiptMsg, "")
	case receiptPost:
		n := strings.TrimSpace(v.postNumber.Text)
		if n == "" {
			setMsg(v.receiptMsg, "邮寄时请填写邮寄单号")
			ok = false
		} else {
			h.Receipt = "邮寄单号 " + n
			setMsg(v.receiptMsg, "")
		}
	default:
		setMsg(v.receiptMsg, "请选择签收方式")
		ok = false
	}
	return h, ok
}

// release records the handover.
func (v *releaseScreen) release() {
	if v.b == nil || !v.releaseBtn.Visible() || v.releaseBtn.Disabled() {
		return
	}
	h, ok := v.handover()
	if !ok {
		setMsg(v.status, "请按提示补全发放信息")
		return
	}
	e, err := v.env.Services.Records.Release(v.env.Ctx, v.b.exam.ID, v.b.exam.Version, h)
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	v.b.exam = e
	v.show(v.b)
	setNote(v.status, "已登记发放："+h.Recipient+" 领取 "+strings.Join(h.Documents, "、")+"。")
	v.list.reload()
}

// askAddendum asks for the text of a correction to a released exam.
func (v *releaseScreen) askAddendum() {
	if v.b == nil {
		return
	}
	v.addendum = widget.NewMultiLineEntry()
	v.addendum.SetMinRowsVisible(4)
	v.addendum.Wrapping = fyne.TextWrapWord
	v.addendum.SetPlaceHolder("补充或更正的内容（原报告保持不变，本内容附在其后）")
	msg := newMsg()
	var d *dialog.CustomDialog
	ok := widget.NewButton("保存补充更正", func() {
		t := strings.TrimSpace(v.addendum.Text)
		if t == "" {
			setMsg(msg, "请填写补充更正的内容")
			return
		}
		e, err := v.env.Services.Records.AddAddendum(v.env.Ctx, v.b.exam.ID, v.b.exam.Version, t)
		if err != nil {
			setMsg(msg, app.ErrorMessage(err))
			return
		}
		d.Hide()
		v.b.exam = e
		v.show(v.b)
		setNote(v.status, "补充更正已保存。")
	})
	ok.Importance = widget.HighImportance
	v.addendumOK = ok
	cancel := widget.NewButton("取消", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("补充更正　体检号 "+v.b.exam.Number, container.NewVBox(v.addendum, msg), v.env.Window)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(520, 300))
	v.addendumDialog = d
	d.Show()
	v.env.Window.Canvas().Focus(v.addendum)
}
