package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "criticals", Group: "体检", Title: "危急值", Order: 35,
		Roles:  []app.Role{app.RoleExamDoctor, app.RoleChiefExaminer, app.RoleReviewer},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "RecordService.OpenCriticals",
		New: func(env *Env) fyne.CanvasObject {
			s := newCriticalsScreen(env)
			env.Focus = s.list
			return s.content()
		},
	})
}

// criticalAdvice are the phrases a doctor most often says on a critical-value call; a tap
// adds one to the advice.
var criticalAdvice = []string{
	"建议立即到医院急诊就诊",
	"建议立即到医院就诊",
	"建议尽快到专科门诊复查",
	"已同时告知用人单位联系人",
	"已告知暂停接触职业病危害作业",
}

// criticalRow is one open critical value on the worklist.
type criticalRow struct {
	exam   *app.Exam
	worker *app.Worker
	call   app.CriticalCall
}

// criticalsScreen is the critical-value worklist (危急值): every result flagged critical and
// not yet called back, oldest first; choosing one opens the call-back form (who was told, on
// which phone, what was advised). Logging the call closes it and the row leaves the list;
// the exam's earlier call-backs are listed under the form.
type criticalsScreen struct {
	env    *Env
	rows   []criticalRow
	list   *keyList
	status *widget.Label

	sel       *criticalRow
	selTitle  *widget.Label
	recipient *widget.Entry
	phone     *widget.Entry
	advice    *widget.Entry
	msgs      map[string]*widget.Label
	save      *widget.Button
	done      *widget.Label
	log       *fyne.Container
	logBox    *fyne.Container
	form      fyne.CanvasObject

	root fyne.CanvasObject
}

// critColumns are the widths of the worklist's columns.
var critColumns = []float32{130, 90, 120, 180, 110, 130, 140}

var critHeaders = []string{"体检号", "姓名", "电话", "项目", "结果", "标志", "出现时间"}

func newCriticalsScreen(env *Env) *criticalsScreen {
	s := &criticalsScreen{env: env, msgs: map[string]*widget.Label{}}
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord

	s.list = newKeyList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			objs := make([]fyne.CanvasObject, len(critHeaders))
			for i := range objs {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				objs[i] = l
			}
			return container.New(&fixedCols{widths: critColumns, shrink: true}, objs...)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.rows) {
				return
			}
			texts := s.rowTexts(s.rows[i])
			for j, c := range o.(*fyne.Container).Objects {
				l := c.(*widget.Label)
				l.Importance = widget.MediumImportance
				if j == 4 || j == 5 {
					l.Importance = widget.DangerImportance
				}
				l.Text = texts[j]
				l.Refresh()
			}
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.rows) {
			s.choose(s.rows[i])
		}
	}

	hdr := make([]fyne.CanvasObject, len(critHeaders))
	for i, h := range critHeaders {
		hdr[i] = widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	refresh := widget.NewButton("刷新", func() { s.reload() })

	// The form.
	s.selTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.selTitle.Wrapping = fyne.TextWrapWord
	s.recipient = widget.NewEntry()
	s.recipient.SetPlaceHolder("被告知的人：本人或用人单位联系人")
	s.phone = widget.NewEntry()
	s.phone.SetPlaceHolder("拨打的电话号码")
	s.advice = widget.NewMultiLineEntry()
	s.advice.SetPlaceHolder("告知的内容和建议；可点击下面的常用语")
	s.advice.Wrapping = fyne.TextWrapWord
	s.advice.SetMinRowsVisible(3)
	for _, f := range []string{"接听人", "电话", "建议"} {
		s.msgs[f] = newMsg()
	}
	// Only the phone number is typed without an input method: Enter there moves on. The
	// name and the advice are Chinese, where Enter commits the IME (TECH.md) and saves nothing.
	enterMovesOn(s.phone)
	phrases := container.NewHBox()
	for _, p := range criticalAdvice {
		phrases.Add(widget.NewButton(p, func() { s.addAdvice(p) }))
	}
	s.save = widget.NewButton("登记回访（Ctrl+S）", func() { s.logCall() })
	s.save.Importance = widget.HighImportance
	s.done = newMsg()
	s.log = container.NewVBox()
	s.form = container.NewVBox(
		heading("回访登记"),
		s.selTitle,
		formGrid(
			formRow{"接听人", s.recipient, s.msgs["接听人"]},
			formRow{"电话", s.phone, s.msgs["电话"]},
			formRow{"建议", s.advice, s.msgs["建议"]},
			formRow{"常用语", container.NewHScroll(phrases), nil},
		),
		container.NewHBox(s.save),
	)
	s.form.Hide()
	s.logBox = container.NewVBox(heading("本次体检已回访的危急值"), s.log)
	s.logBox.Hide()

	top := container.NewVBox(
		container.NewBorder(nil, nil, heading("危急值（未回访）"), refresh, s.status),
		container.New(&fixedCols{widths: critColumns, shrink: true}, hdr...),
	)
	listArea := container.NewBorder(top, nil, nil, nil, s.list)
	formArea := container.NewVScroll(container.NewVBox(s.done, s.form, s.logBox))
	split := container.NewVSplit(listArea, formArea)
	split.Offset = 0.42
	s.root = split
	env.setActions(func() {
		if s.sel != nil {
			s.logCall()
		}
	}, nil)
	s.reload()
	env.live(s.reload, app.ChangeExam, app.ChangeWorker)
	return s
}

func (s *criticalsScreen) content() fyne.CanvasObject { return s.root }

// critTime formats a time for the worklist and the log.
func critTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// critValue is a call's value as the lab prints it, with the flag's arrow.
func critValue(c app.CriticalCall) string {
	return strings.TrimSpace(c.Value + " " + c.Flag.Arrow())
}

func critItem(c app.CriticalCall) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ItemCode
}

func (s *criticalsScreen) rowTexts(r criticalRow) []string {
	name, phone := "", ""
	if r.worker != nil {
		name, phone = r.worker.Name, r.worker.Phone
	}
	return []string{r.exam.Number, name, phone, critItem(r.call), critValue(r.call), r.call.Flag.Name(), critTime(r.call.FlaggedAt)}
}

// reload reads the open critical values again, keeps the chosen one chosen while it is still
// open, and says how many there are.
func (s *criticalsScreen) reload() {
	exams, err := s.env.Services.Records.OpenCriticals(s.env.Ctx)
	if err != nil {
		showError(s.env.Window, err)
		return
	}
	ids := make([]int64, 0, len(exams))
	for _, e := range exams {
		if !slices.Contains(ids, e.WorkerID) {
			ids = append(ids, e.WorkerID)
		}
	}
	workers := map[int64]*app.Worker{}
	if len(ids) > 0 {
		ws, err := s.env.Services.Workers.WorkersByIDs(s.env.Ctx, ids)
		if err != nil {
			showError(s.env.Window, err)
			return
		}
		for _, w := range ws {
			if w != nil {
				workers[w.ID] = w
			}
		}
	}
	var rows []criticalRow
	for _, e := range exams {
		if e.Record == nil {
			continue
		}
		for _, c := range e.Record.CriticalCalls {
			if !c.Done {
				rows = append(rows, criticalRow{exam: e, worker: workers[e.WorkerID], call: c})
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b criticalRow) int {
		return cmp.Or(a.call.FlaggedAt.Compare(b.call.FlaggedAt), cmp.Compare(a.exam.Number, b.exam.Number))
	})
	s.rows = rows
	s.list.UnselectAll()
	s.list.Refresh()
	if len(rows) == 0 {
		s.status.SetText("没有未回访的危急值。")
	} else {
		s.status.SetText(fmt.Sprintf("共 %d 项未回访，最早的在前。选中一行（↑↓ 选择，回车打开）登记电话告知。", len(rows)))
	}
	if s.sel != nil {
		for i, r := range rows {
			if r.exam.ID == s.sel.exam.ID && r.call.GroupCode == s.sel.call.GroupCode && r.call.ItemCode == s.sel.call.ItemCode {
				s.list.Select(i)
				return
			}
		}
	}
}

// choose opens the call-back form for r: the recipient and phone from the worker's archive.
func (s *criticalsScreen) choose(r criticalRow) {
	same := s.sel != nil && s.sel.exam.ID == r.exam.ID && s.sel.call.GroupCode == r.call.GroupCode && s.sel.call.ItemCode == r.call.ItemCode
	s.sel = &r
	name := ""
	if r.worker != nil {
		name = r.worker.Name
	}
	s.selTitle.SetText(fmt.Sprintf("体检号 %s  %s  %s %s  %s  %s 出现", r.exam.Number, name, critItem(r.call), critValue(r.call),
		r.call.Flag.Name(), critTime(r.call.FlaggedAt)))
	if !same {
		s.recipient.SetText(name)
		s.phone.SetText("")
		if r.worker != nil {
			s.phone.SetText(r.worker.Phone)
		}
		s.advice.SetText("")
		for _, m := range s.msgs {
			setMsg(m, "")
		}
	}
	setMsg(s.done, "")
	s.showLog(r.exam)
	s.form.Show()
	s.logBox.Show()
	focusIfShown(s.recipient)
}

// showLog lists the exam's closed call-backs.
func (s *criticalsScreen) showLog(e *app.Exam) {
	s.log.RemoveAll()
	if e == nil || e.Record == nil {
		return
	}
	var calls []app.CriticalCall
	for _, c := range e.Record.CriticalCalls {
		if c.Done {
			calls = append(calls, c)
		}
	}
	if len(calls) == 0 {
		s.log.Add(widget.NewLabel("（尚无）"))
		return
	}
	slices.SortStableFunc(calls, func(a, b app.CriticalCall) int { return a.CalledAt.Compare(b.CalledAt) })
	for _, c := range calls {
		text := fmt.Sprintf("%s  %s %s（%s）：已告知 %s", critTime(c.CalledAt), critItem(c), critValue(c), c.Flag.Name(), c.Recipient)
		if c.Phone != "" {
			text += "（" + c.Phone + "）"
		}
		caller := c.Caller
		if u := s.env.User; u != nil && u.Username == c.Caller && u.Name != "" {
			caller = u.Name + "（" + c.Caller + "）"
		}
		text += "，通知人 " + caller
		if c.Advice != "" {
			text += "。" + c.Advice
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		s.log.Add(l)
	}
}

// addAdvice appends a phrase to the advice, once.
func (s *criticalsScreen) addAdvice(p string) {
	t := strings.TrimSpace(s.advice.Text)
	if strings.Contains(t, p) {
		return
	}
	if t != "" && !strings.HasSuffix(t, "。") && !strings.HasSuffix(t, "；") {
		t += "；"
	}
	s.advice.SetText(t + p)
}

// checkPhone accepts what a phone field may hold: digits, with - or spaces between.
func checkPhone(p string) string {
	p = strings.TrimSpace(app.HalfWidth(p))
	if p == "" {
		return "请填写拨打的电话号码"
	}
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == ' ':
		default:
			return fmt.Sprintf("“%s”不是电话号码：只能有数字和“-”", p)
		}
	}
	if digits < 7 {
		return "电话号码太短"
	}
	return ""
}

// logCall records the call-back of the chosen critical value.
func (s *criticalsScreen) logCall() {
	if s.sel == nil {
		return
	}
	for _, m := range s.msgs {
		setMsg(m, "")
	}
	bad := false
	if strings.TrimSpace(s.recipient.Text) == "" {
		setMsg(s.msgs["接听人"], "请填写被告知的人（本人或用人单位联系人）")
		bad = true
	}
	if m := checkPhone(s.phone.Text); m != "" {
		setMsg(s.msgs["电话"], m)
		bad = true
	}
	if strings.TrimSpace(s.advice.Text) == "" {
		setMsg(s.msgs["建议"], "请填写告知的内容和建议（可点击常用语）")
		bad = true
	}
	if bad {
		return
	}
	r := *s.sel
	login := ""
	if s.env.User != nil {
		login = s.env.User.Username
	}
	call := app.CriticalCall{GroupCode: r.call.GroupCode, ItemCode: r.call.ItemCode, Caller: login,
		Recipient: strings.TrimSpace(s.recipient.Text), Phone: strings.TrimSpace(app.HalfWidth(s.phone.Text)),
		Advice: strings.TrimSpace(s.advice.Text), CalledAt: s.env.Now()}
	e, err := s.env.Services.Records.LogCriticalCall(s.env.Ctx, r.exam.ID, r.exam.Version, call)
	if err != nil {
		probs := fieldProblems(err)
		shown := false
		for f, m := range probs {
			if l, ok := s.msgs[f]; ok {
				setMsg(l, m)
				shown = true
			}
		}
		if !shown {
			showError(s.env.Window, err)
		}
		if app.ErrorCode(err) == app.ECONFLICT {
			// Someone else recorded on the exam meanwhile: read it again, keep the form.
			s.reload()
		}
		return
	}
	s.sel = nil
	s.form.Hide()
	setNote(s.done, fmt.Sprintf("已登记：体检号 %s %s %s，已告知 %s。", e.Number, critItem(r.call), critValue(r.call), call.Recipient))
	s.reload()
	// The exam's log stays in view under the message, with the call just made.
	s.showLog(e)
	s.logBox.Show()
	focusIfShown(s.list)
}
