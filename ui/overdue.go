package ui

import (
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
		ID: "overdue", Group: "体检", Title: "报告期限", Order: 78,
		Roles:  []app.Role{app.RoleRegistrar, app.RoleReviewer, app.RoleChiefExaminer, app.RoleAdmin},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "ExamService.FindExams",
		New:    func(env *Env) fyne.CanvasObject { return newOverdueScreen(env).content() },
	})
}

// pendingStates are the states of an exam whose report is still owed: everything between
// registration and release (cancelled, no-show and voided exams owe none).
var pendingStates = []app.ExamState{app.ExamRegistered, app.ExamInProgress, app.ExamAwaiting,
	app.ExamConcluded, app.ExamReturned, app.ExamReviewed}

// deadline is one contract's report deadline and what of it is not yet released, or one
// individual exam's (Contract nil, the exam alone in Pending).
type deadline struct {
	Contract *app.Contract
	Employer string
	// End is when the exams ended: the contract's End, else its last exam date (EndFromExams).
	End          time.Time
	EndFromExams bool
	Due          time.Time
	WeekendsOnly bool // the count ran past the calendar's data
	// Left is the working days from today to Due: 0 due today, negative overdue.
	Left    int
	Pending []*app.Exam // not yet released, oldest first
}

// label names the row: the contract number, or 个人 and the exam number.
func (d deadline) label() string {
	if d.Contract == nil {
		return "个人 " + d.Pending[0].Number
	}
	return d.Contract.Number
}

// leftText says how much time is left, e.g. 剩 5 个工作日, 今天到期, 已超期 3 个工作日.
func (d deadline) leftText() string {
	switch {
	case d.Left > 0:
		return fmt.Sprintf("剩 %d 个工作日", d.Left)
	case d.Left == 0:
		return "今天到期"
	}
	return fmt.Sprintf("已超期 %d 个工作日", -d.Left)
}

// stateCounts summarises the pending exams by state, e.g. 检查中 3、待总检 1.
func (d deadline) stateCounts() string {
	n := map[app.ExamState]int{}
	for _, e := range d.Pending {
		n[e.State]++
	}
	var parts []string
	for _, s := range pendingStates {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s.Name(), n[s]))
		}
	}
	return strings.Join(parts, "、")
}

// loadDeadlines finds every contract with exams not yet released, and every unreleased exam
// outside a contract, with its report deadline on the calendar, most urgent (overdue) first.
func loadDeadlines(env *Env, cal *app.Calendar, today time.Time) ([]deadline, error) {
	byContract := map[int64][]*app.Exam{}
	var single []*app.Exam
	for _, s := range pendingStates {
		es, _, err := env.Services.Exams.FindExams(env.Ctx, app.ExamFilter{State: s})
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.ContractID != 0 {
				byContract[e.ContractID] = append(byContract[e.ContractID], e)
			} else {
				single = append(single, e)
			}
		}
	}
	employers := map[int64]string{}
	employer := func(id int64) (string, error) {
		if n, ok := employers[id]; ok || id == 0 {
			return n, nil
		}
		emp, err := env.Services.Employers.FindEmployerByID(env.Ctx, id)
		if err != nil {
			return "", err
		}
		employers[id] = emp.Name
		return emp.Name, nil
	}
	var out []deadline
	for _, e := range single {
		d := deadline{End: e.Date, Pending: []*app.Exam{e}}
		var err error
		if d.Employer, err = employer(e.EmployerID); err != nil {
			return nil, err
		}
		d.Due, d.WeekendsOnly = app.ReportDue(cal, d.End)
		d.Left = app.WorkingDaysBetween(cal, today, d.Due)
		out = append(out, d)
	}
	for id, pending := range byContract {
		c, err := env.Services.Contracts.FindContractByID(env.Ctx, id)
		if err != nil {
			return nil, err
		}
		d := deadline{Contract: c, End: c.End, Pending: pending}
		if d.End.IsZero() {
			end, err := lastExamDate(env, id)
			if err != nil {
				return nil, err
			}
			d.End, d.EndFromExams = end, true
		}
		if d.Employer, err = employer(c.EmployerID); err != nil {
			return nil, err
		}
		d.Due, d.WeekendsOnly = app.ReportDue(cal, d.End)
		d.Left = app.WorkingDaysBetween(cal, today, d.Due)
		slices.SortFunc(d.Pending, func(a, b *app.Exam) int {
			if c := a.Date.Compare(b.Date); c != 0 {
				return c
			}
			return strings.Compare(a.Number, b.Number)
		})
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b deadline) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.label(), b.label())
	})
	return out, nil
}

// lastExamDate is the date of a contract's last exam that took place or may still (cancelled,
// no-show and voided exams left out).
func lastExamDate(env *Env, contractID int64) (time.Time, error) {
	es, _, err := env.Services.Exams.FindExams(env.Ctx, app.ExamFilter{ContractID: contractID})
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, e := range es {
		switch e.State {
		case app.ExamCancelled, app.ExamNoShow, app.ExamVoided:
			continue
		}
		if e.Date.After(last) {
			last = e.Date
		}
	}
	return last, nil
}

var overdueColumns = []adminColumn{{"合同 / 个人体检", 150}, {"用人单位", 240}, {"体检结束", 180}, {"报告期限", 150}, {"剩余", 150}, {"未发放", 70}, {"其中", 230}}

var overdueExamColumns = []adminColumn{{"体检号", 130}, {"姓名", 100}, {"体检日期", 110}, {"状态", 90}, {"车间", 160}, {"岗位", 160}}

// overdueScreen lists the contracts whose reports are still owed with their deadlines, overdue
// first, and the unreleased exams of the contract selected.
type overdueScreen struct {
	env      *Env
	cal      *app.Calendar
	rows     []deadline
	selected int
	names    map[int64]string // worker names of the selected contract's exams

	table   *widget.Table
	exams   *widget.Table
	summary *widget.Label
	warn    *widget.Label
	detail  *widget.Label
	refresh *widget.Button
}

func newOverdueScreen(env *Env) *overdueScreen {
	v := &overdueScreen{env: env, selected: -1}
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.warn = newMsg()
	v.detail = widget.NewLabel("选择一行，下方列出其尚未发放的体检。")
	v.detail.Wrapping = fyne.TextWrapWord
	v.table = newAdminTable(overdueColumns, func() int { return len(v.rows) }, v.updateCell)
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.rows) {
			v.selectRow(id.Row)
		}
	}
	v.exams = newAdminTable(overdueExamColumns, func() int {
		if v.selected < 0 {
			return 0
		}
		return len(v.rows[v.selected].Pending)
	}, v.updateExamCell)
	v.refresh = widget.NewButton("刷新", v.reload)
	v.reload()
	env.Focus = v.table
	env.live(v.liveReload, app.ChangeExam, app.ChangeContract, app.ChangeSettings)
	return v
}

func (v *overdueScreen) reload() {
	cal, err := v.env.Services.Calendar.Calendar(v.env.Ctx)
	if err != nil {
		setMsg(v.warn, app.ErrorMessage(err))
		return
	}
	v.cal = cal
	now := v.env.Now()
	rows, err := loadDeadlines(v.env, cal, now)
	if err != nil {
		setMsg(v.warn, app.ErrorMessage(err))
		return
	}
	v.rows, v.selected = rows, -1
	over, soon, weekendsOnly, exams, contracts := 0, 0, false, 0, 0
	for _, d := range rows {
		if d.Contract != nil {
			contracts++
		}
		switch {
		case d.Left < 0:
			over++
		case d.Left <= 5:
			soon++
		}
		weekendsOnly = weekendsOnly || d.WeekendsOnly
		exams += len(d.Pending)
	}
	if len(rows) == 0 {
		setNote(v.summary, "所有体检报告都已发放。")
	} else {
		who := fmt.Sprintf("%d 个合同", contracts)
		if n := len(rows) - contracts; n > 0 {
			who += fmt.Sprintf("、%d 个个人体检", n)
		}
		setNote(v.summary, fmt.Sprintf("今天 %s：%s尚有 %d 份报告未发放，其中已超期 %d 个，5 个工作日内到期 %d 个。报告期限为体检结束后第 %d 个工作日（合同未填结束日期的，按最后一人的体检日期）。",
			formatDay(now), who, exams, over, soon, app.ReportDueWorkingDays))
	}
	if w := calendarWarning(cal, now); w != "" && (weekendsOnly || len(rows) == 0) {
		setWarn(v.warn, "工作日历"+w+"请管理员在“系统管理 → 工作日历”中录入下一年的放假安排。")
	} else {
		setMsg(v.warn, "")
	}
	v.table.UnselectAll()
	v.table.Refresh()
	v.names = nil
	v.exams.Refresh()
	v.detail.SetText("选择一行，下方列出其尚未发放的体检。")
}

func (v *overdueScreen) updateCell(id widget.TableCellID, l *widget.Label) {
	if id.Row >= len(v.rows) {
		return
	}
	d := v.rows[id.Row]
	switch id.Col {
	case 0:
		l.SetText(d.label())
	case 1:
		l.SetText(d.Employer)
	case 2:
		s := formatDate(d.End)
		if d.EndFromExams {
			s += "（末次体检）"
		}
		l.SetText(s)
	case 3:
		s := formatDay(d.Due)
		if d.WeekendsOnly {
			s += " *"
		}
		l.SetText(s)
	case 4:
		switch {
		case d.Left < 0:
			l.Importance = widget.DangerImportance
		case d.Left <= 5:
			l.Importance = widget.WarningImportance
		}
		l.SetText(d.leftText())
	case 5:
		l.SetText(fmt.Sprint(len(d.Pending)))
	case 6:
		l.SetText(d.stateCounts())
	}
}

func (v *overdueScreen) selectRow(i int) {
	v.selected = i
	d := v.rows[i]
	v.names = map[int64]string{}
	for _, e := range d.Pending {
		if _, ok := v.names[e.WorkerID]; ok {
			continue
		}
		if w, err := v.env.Services.Workers.FindWorkerByID(v.env.Ctx, e.WorkerID); err == nil {
			v.names[e.WorkerID] = w.Name
		}
	}
	text := fmt.Sprintf("%s %s：体检结束 %s，报告期限 %s，%s；%d 份未发放。", d.label(), d.Employer, formatDate(d.End), formatDay(d.Due), d.leftText(), len(d.Pending))
	if d.WeekendsOnly {
		text += "（* 期限跨入工作日历没有数据的年份，只按周末计算。）"
	}
	v.detail.SetText(text)
	v.exams.Refresh()
}

func (v *overdueScreen) updateExamCell(id widget.TableCellID, l *widget.Label) {
	if v.selected < 0 || id.Row >= len(v.rows[v.selected].Pending) {
		return
	}
	e := v.rows[v.selected].Pending[id.Row]
	switch id.Col {
	case 0:
		l.SetText(e.Number)
	case 1:
		l.SetText(v.names[e.WorkerID])
	case 2:
		l.SetText(formatDate(e.Date))
	case 3:
		if e.State == app.ExamReturned {
			l.Importance = widget.WarningImportance
		}
		l.SetText(e.State.Name())
	case 4:
		l.SetText(e.Workshop)
	case 5:
		l.SetText(e.JobName)
	}
}

func (v *overdueScreen) content() fyne.CanvasObject {
	v.env.setActions(nil, nil)
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading("报告期限"), v.refresh),
		v.summary,
		v.warn,
	)
	lower := container.NewBorder(v.detail, nil, nil, nil, v.exams)
	split := container.NewVSplit(v.table, lower)
	split.SetOffset(0.55)
	return container.NewBorder(top, nil, nil, nil, split)
}

// contractDueNote is the line the contract form shows under a contract: its report deadline
// and how many reports are still owed ("" when it has no end date and no exams yet).
func contractDueNote(env *Env, c *app.Contract) string {
	if env.Services.Calendar == nil || env.Services.Exams == nil || c == nil || c.ID == 0 {
		return ""
	}
	cal, err := env.Services.Calendar.Calendar(env.Ctx)
	if err != nil {
		return ""
	}
	es, _, err := env.Services.Exams.FindExams(env.Ctx, app.ExamFilter{ContractID: c.ID})
	if err != nil {
		return ""
	}
	end, fromExams, pending := c.End, false, 0
	for _, e := range es {
		if slices.Contains(pendingStates, e.State) {
			pending++
		}
		owed := slices.Contains(pendingStates, e.State) || e.State == app.ExamReleased
		if c.End.IsZero() && owed && e.Date.After(end) {
			end, fromExams = e.Date, true
		}
	}
	if end.IsZero() {
		return ""
	}
	due, weekendsOnly := app.ReportDue(cal, end)
	d := deadline{Due: due, Left: app.WorkingDaysBetween(cal, env.Now(), due)}
	basis := "体检结束 " + formatDate(end)
	if fromExams {
		basis = "末次体检 " + formatDate(end)
	}
	s := fmt.Sprintf("报告期限：%s，期限 %s", basis, formatDay(due))
	if pending == 0 {
		s += "；报告已全部发放。"
	} else {
		s += fmt.Sprintf("，%s；%d 份报告未发放。", d.leftText(), pending)
	}
	if weekendsOnly {
		s += "（期限跨入工作日历没有数据的年份，只按周末计算。）"
	}
	return s
}
