package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/criteria"
	"occhealth/app/rules"
)

func init() {
	registerScreen(ScreenDef{
		ID: "conclude", Group: "体检", Title: "主检", Order: 50,
		Roles:  []app.Role{app.RoleChiefExaminer},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "RecordService.Sign",
		New:    func(env *Env) fyne.CanvasObject { return newConcludeScreen(env).content() },
	})
}

// concludeScreen is the chief examiner's desk: a worklist of exams awaiting conclusion (and
// returned ones), the whole exam with the earlier exams beside it, the suggestions of the
// criteria, and per hazard the conclusion of the exam's edition; 保存草稿 and 签名.
type concludeScreen struct {
	env   *Env
	table *rules.Table
	list  *examWorklist
	b     *examBundle

	header      *widget.Label
	returned    *widget.Label
	qualWarn    *widget.Label
	detail      *fyne.Container
	abnormal    *widget.Label
	missing     *widget.Label
	suggestBox  *fyne.Container
	formBox     *fyne.Container
	hazards     []*hazardForm
	suggestions []*suggestion
	recheck     *recheckForm
	advice      *widget.Entry
	phrase      *widget.Select
	signature   *widget.Label
	noticeBox   *fyne.Container
	saveBtn     *widget.Button
	signBtn     *widget.Button
	status      *widget.Label
	tabs        *container.AppTabs
	body        *fyne.Container

	// signDialog is the last confirmation asked before signing (tests answer it).
	signDialog *dialog.ConfirmDialog
	// job is the last notice rendered; pdfHook, when set, gets the PDF instead of the save
	// dialog (tests).
	job     *printJob
	pdfHook func([]byte)
}

func newConcludeScreen(env *Env) *concludeScreen {
	v := &concludeScreen{env: env, table: ruleTableOf(env)}
	v.list = newExamWorklist(env, []app.ExamState{app.ExamAwaiting, app.ExamReturned}, "含检查中", app.ExamInProgress)
	v.list.OnOpen = func(e *app.Exam) { v.open(e.ID) }
	v.header = wrapLabel("")
	v.returned = newMsg()
	v.qualWarn = newMsg()
	v.detail = container.NewVBox()
	v.abnormal = newMsg()
	v.missing = newMsg()
	v.suggestBox = container.NewVBox()
	v.formBox = container.NewVBox()
	v.advice = widget.NewMultiLineEntry()
	v.advice.SetMinRowsVisible(3)
	v.advice.Wrapping = fyne.TextWrapWord
	v.advice.SetPlaceHolder("主检建议（打印在报告上）")
	v.phrase = widget.NewSelect(conclusionPhraseOptions(env), func(s string) { // with 文书设置’s phrases (admin_documents.go)
		if s != "" {
			v.addAdvice(s)
			v.phrase.ClearSelected()
		}
	})
	v.phrase.PlaceHolder = "常用建议…"
	v.signature = newMsg()
	v.noticeBox = container.NewHBox()
	v.saveBtn = widget.NewButton("保存草稿（Ctrl+S）", v.saveDraft)
	v.signBtn = widget.NewButton("签名…", v.askSign)
	v.signBtn.Importance = widget.HighImportance
	v.status = newMsg()
	v.recheck = newRecheckForm(&app.Exam{})
	v.checkQualification()
	env.setActions(v.saveDraft, nil)
	env.Focus = v.list.lookup
	v.list.reload()
	v.show(nil)
	return v
}

func (v *concludeScreen) content() fyne.CanvasObject {
	form := container.NewVBox(v.header, v.returned, v.qualWarn, v.abnormal, v.missing,
		widget.NewSeparator(), heading("主检结论"), v.suggestBox, v.formBox)
	actions := container.NewVBox(widget.NewSeparator(), v.status, v.signature, v.noticeBox,
		container.NewHBox(v.saveBtn, v.signBtn))
	conclusion := container.NewBorder(nil, actions, nil, nil, container.NewVScroll(container.NewPadded(form)))
	v.tabs = container.NewAppTabs(
		container.NewTabItem("主检结论", conclusion),
		container.NewTabItem("体检全貌", container.NewVScroll(container.NewPadded(v.detail))),
	)
	v.body = container.NewStack(v.tabs)
	split := container.NewHSplit(v.list.content(), v.body)
	split.Offset = 0.26
	return split
}

// checkQualification warns a chief examiner whose 主检医师 qualification is missing or expired
// (the store refuses the signature; the warning says so before the work is done).
func (v *concludeScreen) checkQualification() {
	u := v.env.User
	if u == nil || u.HasQualification(app.QualificationChiefExaminer, v.env.Now()) {
		setMsg(v.qualWarn, "")
		return
	}
	msg := "您没有有效的主检医师资格，不能签名（可以保存草稿）。请管理员在用户管理中登记或更新资格证书。"
	for _, q := range u.Qualifications {
		if q.Kind == app.QualificationChiefExaminer && !q.ValidUntil.IsZero() {
			msg = "您的主检医师资格已于 " + formatDate(q.ValidUntil) + " 到期，不能签名（可以保存草稿）。请管理员更新资格证书。"
		}
	}
	setMsg(v.qualWarn, msg)
}

// open reads an exam and shows it.
func (v *concludeScreen) open(id int64) {
	b, err := loadBundle(v.env, id)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	setMsg(v.status, "")
	v.show(b)
	// The keyboard goes on to the first conclusion (Space opens the list).
	if v.editable() && len(v.hazards) > 0 {
		v.tabs.SelectIndex(0)
		focusIfShown(v.hazards[0].code)
	}
}

// editable reports whether the exam's conclusion may change now.
func (v *concludeScreen) editable() bool {
	return v.b != nil && v.b.exam.State.Editable()
}

// show fills the screen with b (nil: nothing chosen).
func (v *concludeScreen) show(b *examBundle) {
	v.b = b
	v.hazards = nil
	v.formBox.Objects = nil
	v.suggestBox.Objects = nil
	v.detail.Objects = nil
	v.noticeBox.Objects = nil
	setMsg(v.returned, "")
	setMsg(v.abnormal, "")
	setMsg(v.missing, "")
	setNote(v.signature, "")
	if b == nil {
		v.header.SetText("请从左侧工作列表选择体检，或扫描体检号。")
		v.saveBtn.Disable()
		v.signBtn.Disable()
		v.refreshBoxes()
		return
	}
	e := b.exam
	rec := recordOf(e)
	v.header.SetText(examHeaderText(v.env, b))
	v.detail.Add(examDetail(v.env, v.table, b))
	if n := len(rec.Returns); n > 0 && e.State == app.ExamReturned {
		r := rec.Returns[n-1]
		setWarn(v.returned, "第 "+strconv.Itoa(r.Edition)+" 版已被 "+r.Name+" 于 "+formatDateTime(r.At)+" 退回："+r.Reason)
	}
	var ab []string
	for _, r := range orderedResults(v.table, e) {
		if r.Flag.Abnormal() {
			ab = append(ab, itemName(v.env, r)+" "+r.Value+r.Flag.Arrow())
		}
	}
	if len(ab) > 0 {
		setWarn(v.abnormal, "异常结果："+strings.Join(ab, "；"))
	}
	if miss := missingGroups(v.table, e); len(miss) > 0 && e.State.Editable() {
		setMsg(v.missing, "缺少结果（未录入也未弃检），签名前须补录或弃检："+strings.Join(miss, "、"))
	}
	v.suggestions = nil
	hint := wrapLabel("各危害因素下的判定提示依据 GBZ 188 的数值标准由程序给出，仅供参考；结论由主检医师决定，点“采纳”才会填入表单。")
	hint.Importance = widget.LowImportance
	v.suggestBox.Add(hint)

	// The conclusion form.
	var list criteria.ConclusionList
	ok := false
	if set := v.env.Criteria(); set != nil {
		list, ok = set.Conclusions(e.Edition)
	}
	if !ok {
		setMsg(v.status, "没有 GBZ 188-"+e.Edition+" 的结论表")
	}
	cats := catalogsOf(v.env.Services)
	stored := map[string]app.HazardConclusion{}
	if rec.Conclusion != nil {
		for _, h := range rec.Conclusion.Hazards {
			stored[h.Hazard] = h
		}
	}
	v.recheck = newRecheckForm(e)
	for _, hz := range e.Hazards {
		hf := newHazardForm(hz, strings.Join(hazardNames(cats, []string{hz}), ""), list,
			diseaseOptions(v.env, v.table, e, hz), contraindicationOptions(v.table, e, hz))
		if h, ok := stored[hz]; ok {
			hf.set(h)
		}
		hf.onChange = func() {
			if hf.selectedCode() == app.ConclusionRecheck && !v.recheck.on.Checked {
				v.recheck.on.SetChecked(true)
			}
		}
		v.hazards = append(v.hazards, hf)
		v.formBox.Add(hf.content(v.suggestionsFor(hz)))
		v.formBox.Add(widget.NewSeparator())
	}
	recheckNote := "复查：写明复查的项目和时间。"
	if list.RecheckAsAction {
		recheckNote = "GBZ 188-2025 中复查不是结论，而是附在本次体检上的复查安排（项目和日期）。"
	}
	note := wrapLabel(recheckNote)
	note.Importance = widget.LowImportance
	v.formBox.Add(container.NewVBox(note, v.recheck.content()))
	v.formBox.Add(widget.NewSeparator())
	v.formBox.Add(container.NewBorder(nil, nil, widget.NewLabel("主检建议"), v.phrase))
	v.formBox.Add(v.advice)
	if rec.Conclusion != nil {
		v.recheck.set(rec.Conclusion.Recheck)
		v.advice.SetText(rec.Conclusion.Advice)
	} else {
		v.advice.SetText("")
	}

	on := v.editable()
	for _, hf := range v.hazards {
		hf.setEditable(on)
	}
	v.recheck.setEditable(on)
	if on {
		v.advice.Enable()
		v.phrase.Enable()
		v.saveBtn.Enable()
		v.signBtn.Enable()
	} else {
		v.advice.Disable()
		v.phrase.Disable()
		v.saveBtn.Disable()
		v.signBtn.Disable()
	}
	v.showSigned()
	v.refreshBoxes()
}

// showSigned shows the signature and, for a signed exam, the notices its conclusion calls for.
func (v *concludeScreen) showSigned() {
	v.noticeBox.Objects = nil
	rec := recordOf(v.b.exam)
	if s := rec.Signature; s != nil && !v.editable() {
		setNote(v.signature, "已签名："+s.Name+"　"+formatDateTime(s.At)+"　"+s.Qualification+"　状态："+v.b.exam.State.Name())
		for _, kind := range noticeKinds(rec.Conclusion) {
			for _, to := range []string{"劳动者", "用人单位"} {
				kind, to := kind, to
				v.noticeBox.Add(widget.NewButton("打印"+noticeTitle(kind)+"（"+to+"）", func() { v.printNotice(kind, to) }))
			}
		}
	} else {
		setNote(v.signature, "")
	}
	v.noticeBox.Refresh()
}

func (v *concludeScreen) refreshBoxes() {
	for _, o := range []fyne.CanvasObject{v.formBox, v.suggestBox, v.detail, v.noticeBox} {
		o.Refresh()
	}
}

// hazardForm returns the form of a hazard.
func (v *concludeScreen) hazardForm(hz string) *hazardForm {
	for _, hf := range v.hazards {
		if hf.hazard == hz {
			return hf
		}
	}
	return nil
}

// addAdvice appends a phrase to the advice.
func (v *concludeScreen) addAdvice(s string) {
	cur := strings.TrimSpace(v.advice.Text)
	if strings.Contains(cur, s) {
		return
	}
	if cur != "" {
		cur += "\n"
	}
	v.advice.SetText(cur + s)
}

// conclusion reads the form.
func (v *concludeScreen) conclusion() (app.ExamConclusion, error) {
	c := app.ExamConclusion{Advice: strings.TrimSpace(v.advice.Text)}
	for _, hf := range v.hazards {
		c.Hazards = append(c.Hazards, hf.value())
	}
	r, err := v.recheck.value()
	if err != nil {
		setMsg(v.recheck.msg, fieldMessage(err))
		return c, err
	}
	c.Recheck = r
	return c, nil
}

// validate checks the form as the store will, and shows each message under its hazard.
func (v *concludeScreen) validate(c app.ExamConclusion) error {
	for _, hf := range v.hazards {
		setMsg(hf.msg, "")
	}
	setMsg(v.recheck.msg, "")
	cats := catalogsOf(v.env.Services)
	name := func(h string) string { return strings.Join(hazardNames(cats, []string{h}), "") }
	err := c.Validate(v.b.exam.Hazards, name)
	if err == nil {
		return nil
	}
	var es app.Errors
	switch x := err.(type) {
	case app.Errors:
		es = x
	case *app.Error:
		es = app.Errors{x}
	}
	for _, fe := range es {
		placed := false
		for _, hf := range v.hazards {
			if strings.HasPrefix(fe.Message, hf.name) {
				setMsg(hf.msg, strings.TrimSpace(hf.msg.Text+" "+fe.Message))
				placed = true
			}
		}
		if !placed {
			setMsg(v.recheck.msg, strings.TrimSpace(v.recheck.msg.Text+" "+fe.Message))
		}
	}
	return err
}

// saveDraft stores the conclusion without signing.
func (v *concludeScreen) saveDraft() {
	if !v.editable() {
		return
	}
	c, err := v.conclusion()
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		return
	}
	e, err := v.env.Services.Records.SaveConclusion(v.env.Ctx, v.b.exam.ID, v.b.exam.Version, c)
	if err != nil {
		// Name each problem under its hazard as well.
		_ = v.validate(c)
		setMsg(v.status, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	v.b.exam = e
	setNote(v.status, "草稿已保存（"+formatDateTime(v.env.Now())+"）。")
}

// askSign checks the form and the missing items, then asks for confirmation with the
// conclusions worded as they will be signed.
func (v *concludeScreen) askSign() {
	if !v.editable() {
		return
	}
	c, err := v.conclusion()
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		return
	}
	if err := v.validate(c); err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		return
	}
	if miss := missingGroups(v.table, v.b.exam); len(miss) > 0 {
		err := app.Errorf(app.EINVALID, "签名前缺少：%s。请补录结果，或在科室录入中标记弃检。", strings.Join(miss, "、"))
		setMsg(v.status, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	cats := catalogsOf(v.env.Services)
	var lines []string
	for _, h := range c.Hazards {
		lines = append(lines, strings.Join(hazardNames(cats, []string{h.Hazard}), "")+"："+conclusionText(h))
	}
	if c.Recheck != nil {
		lines = append(lines, "复查："+formatDate(c.Recheck.Date)+" 前复查 "+groupNames(v.b.exam, c.Recheck.Groups))
	}
	if c.Advice != "" {
		lines = append(lines, "主检建议："+c.Advice)
	}
	msg := wrapLabel("体检号 " + v.b.exam.Number + "　" + v.b.worker.Name + "\n\n" + strings.Join(lines, "\n") +
		"\n\n签名后结论不能再修改（审核退回后可改为新版本）。确认签名吗？")
	d := dialog.NewCustomConfirm("确认主检签名", "签名", "取消", container.NewVScroll(msg), func(ok bool) {
		if ok {
			v.sign(c)
		}
	}, v.env.Window)
	d.Resize(fyne.NewSize(560, 420))
	v.signDialog = d
	d.Show()
}

// sign saves the conclusion as shown in the confirmation and signs it.
func (v *concludeScreen) sign(c app.ExamConclusion) {
	svc, ctx := v.env.Services.Records, v.env.Ctx
	e, err := svc.SaveConclusion(ctx, v.b.exam.ID, v.b.exam.Version, c)
	if err == nil {
		v.b.exam = e
		e, err = svc.Sign(ctx, e.ID, e.Version)
	}
	if err != nil {
		setMsg(v.status, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	v.b.exam = e
	v.show(v.b)
	setNote(v.status, "已签名。")
	if rec := recordOf(e); rec.RecheckExamID != 0 {
		setNote(v.status, "已签名，并登记了复查体检。")
	}
	v.list.reload()
}

// printNotice renders a notice of the signed exam for the worker or the employer.
func (v *concludeScreen) printNotice(kind, addressee string) {
	b := v.b
	v.job = noticeJob(v.env, b, kind, addressee, v.pdfHook)
	v.job.run()
}

// noticeJob renders the notice of kind for addressee (劳动者 or 用人单位) from the signed exam.
func noticeJob(env *Env, b *examBundle, kind, addressee string, hook func([]byte)) *printJob {
	names := map[string]string{}
	cats := catalogsOf(env.Services)
	for _, h := range b.exam.Hazards {
		names[h] = strings.Join(hazardNames(cats, []string{h}), "")
	}
	in := app.NoticeInput{Institution: env.Institution, Exam: b.exam, Worker: b.worker, Employer: b.employer,
		Addressee: addressee, HazardNames: names}
	return &printJob{env: env, title: noticeTitle(kind), file: b.exam.Number + "-" + noticeTitle(kind) + "-" + addressee + ".pdf",
		render: func(func(int, int)) ([]byte, error) {
			docs, err := documentsOf(env)
			if err != nil {
				return nil, err
			}
			return docs.Notice(kind, in)
		}, rendered: hook}
}
