package ui

import (
	"reflect"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
)

// inquiryForm is the 问诊 of an exam (the card's healthSurvey block): the occupational history
// pre-filled from the archive, past and occupational disease history, smoking and drinking,
// marriage, for women the menstrual and reproductive history, and the symptoms asked with the
// national 健康指标 codes, the symptom focus of the exam's hazards first.
type inquiryForm struct {
	env    *Env
	table  *rules.Table
	exam   *app.Exam
	worker *app.Worker
	cats   *catalog.Set

	history    []*occupationRow
	historyBox *fyne.Container
	addRow     *widget.Button

	past, occDisease, marriage, note *widget.Entry
	smoke, drink                     *habitFields

	women                                                      *fyne.Container
	menarche, period, cycle, menopause                         *widget.Entry
	children, abortions, stillbirths, premature, abnormalFetal *widget.Entry
	focusText                                                  *widget.Label
	symptoms                                                   []*symptomRow
	focusBox, otherBox, otherDetails                           *fyne.Container
	msg                                                        *widget.Label
	dirty, loading, editable                                   bool
	entries                                                    []*widget.Entry
}

// habitFields are the smoking or drinking fields.
type habitFields struct {
	status       *widget.Select
	perDay, year *widget.Entry
}

// occupationRow is one line of the occupational history.
type occupationRow struct {
	from, to                         *widget.Entry
	employer, workshop, job, protect *widget.Entry
	hazards                          *hazardMulti
	remove                           *widget.Button
	msg                              *widget.Label
}

// symptomRow is one symptom: asked (checked when present), degree and since when.
type symptomRow struct {
	code, name string
	focus      bool
	check      *widget.Check
	degree     *widget.Select
	since      *widget.Entry
	detail     *fyne.Container
}

var habitLabels = []string{app.HabitNames[app.HabitNever], app.HabitNames[app.HabitSometimes], app.HabitNames[app.HabitRegular], app.HabitNames[app.HabitQuit]}

func habitCode(label string) string {
	for c, n := range app.HabitNames {
		if n == label {
			return c
		}
	}
	return ""
}

func newInquiryForm(env *Env, table *rules.Table, e *app.Exam, w *app.Worker) *inquiryForm {
	f := &inquiryForm{env: env, table: table, exam: e, worker: w, cats: catalogsOf(env.Services), editable: true, loading: true}
	f.historyBox = container.NewVBox()
	f.addRow = widget.NewButton("添加一行职业史", func() {
		f.appendRow(app.OccupationEntry{})
		f.touch()
	})
	f.past = f.multi("既往患病、手术史，无则填“无”")
	f.occDisease = f.entry("既往职业病诊断，无则填“无”")
	f.marriage = f.entry("如：已婚，配偶健康")
	f.note = f.multi("")
	f.smoke = f.habit()
	f.drink = f.habit()
	f.menarche, f.period, f.cycle, f.menopause = f.number(), f.entry("如 5 或 4-6"), f.entry("如 28-30"), f.number()
	f.children, f.abortions, f.stillbirths, f.premature, f.abnormalFetal = f.number(), f.number(), f.number(), f.number(), f.number()
	f.msg = newMsg()
	f.focusText = widget.NewLabel("")
	f.focusText.Wrapping = fyne.TextWrapWord
	f.focusText.Importance = widget.HighImportance
	f.focusBox = container.NewVBox()
	f.otherBox = container.New(layout.NewRowWrapLayout())
	f.otherDetails = container.NewVBox()
	f.buildSymptoms()
	f.load()
	f.loading = false
	return f
}

func (f *inquiryForm) entry(placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	e.OnChanged = func(string) { f.touch() }
	f.entries = append(f.entries, e)
	return e
}

func (f *inquiryForm) multi(placeholder string) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.SetPlaceHolder(placeholder)
	e.SetMinRowsVisible(2)
	e.Wrapping = fyne.TextWrapWord
	e.OnChanged = func(string) { f.touch() }
	f.entries = append(f.entries, e)
	return e
}

// number is a field of whole numbers: typed without an input method, so Enter moves on.
func (f *inquiryForm) number() *widget.Entry {
	e := f.entry("")
	enterMovesOn(e)
	return e
}

func (f *inquiryForm) habit() *habitFields {
	h := &habitFields{status: widget.NewSelect(habitLabels, func(string) { f.touch() }), perDay: f.number(), year: f.number()}
	h.status.PlaceHolder = "请选择"
	return h
}

func (f *inquiryForm) touch() {
	if !f.loading {
		f.dirty = true
	}
}

// buildSymptoms lists the national symptom codes (children of 1000000 症状询问): those the
// hazards' symptom focus names come first, checked one by one; the others below.
func (f *inquiryForm) buildSymptoms() {
	var focus []string
	if t := f.table; t != nil {
		for _, h := range f.exam.Hazards {
			if r, ok := t.Rule(h, f.exam.Type, f.exam.Edition); ok && r.SymptomFocus != "" {
				name := r.HazardName
				if name == "" {
					name = hazardLabel(f.cats, h)
				}
				focus = append(focus, name+"："+r.SymptomFocus)
			}
		}
	}
	if len(focus) > 0 {
		f.focusText.SetText("重点询问　" + strings.Join(focus, "\n"))
	} else {
		f.focusText.SetText("本次体检的危害因素在规则表中没有列出重点症状，请按常规询问。")
	}
	all := strings.Join(focus, " ")
	items, _ := f.cats.Catalog(app.CatalogItems)
	for _, e := range items.Children("1000000") {
		s := &symptomRow{code: e.Code, name: e.Name, focus: symptomNamed(all, e.Name)}
		s.check = widget.NewCheck(e.Name, func(on bool) {
			if on {
				s.detail.Show()
			} else {
				s.detail.Hide()
			}
			f.touch()
		})
		s.degree = widget.NewSelect([]string{"轻", "中", "重"}, func(string) { f.touch() })
		s.degree.PlaceHolder = "程度"
		s.since = f.entry("多久，如 3年")
		s.detail = container.NewHBox(withWidth(90, s.degree), withWidth(120, s.since))
		s.detail.Hide()
		f.symptoms = append(f.symptoms, s)
	}
	// Focus symptoms first, in the order the focus text names them.
	at := func(s *symptomRow) int {
		if !s.focus {
			return len(all) + 1
		}
		if i := strings.Index(all, s.name); i >= 0 {
			return i
		}
		if i := strings.IndexAny(s.name, "（("); i > 0 {
			return strings.Index(all, s.name[:i])
		}
		return len(all)
	}
	sort.SliceStable(f.symptoms, func(i, j int) bool { return at(f.symptoms[i]) < at(f.symptoms[j]) })
	for _, s := range f.symptoms {
		if s.focus {
			f.focusBox.Add(container.NewHBox(s.check, s.detail))
		} else {
			// The other symptoms flow as checks; the degree and duration of those present
			// stand in a list below, so that the grid keeps its width.
			f.otherBox.Add(s.check)
			s.detail.Objects = append([]fyne.CanvasObject{withWidth(130, widget.NewLabel(s.name))}, s.detail.Objects...)
			f.otherDetails.Add(s.detail)
		}
	}
}

// symptomNamed reports whether a focus text names a symptom. Catalog names such as
// 头（晕）昏 or 肌无力及关节疼痛 are matched by their main word too.
func symptomNamed(text, name string) bool {
	if text == "" {
		return false
	}
	if strings.Contains(text, name) {
		return true
	}
	if i := strings.IndexAny(name, "（("); i > 0 {
		return strings.Contains(text, name[:i])
	}
	return false
}

// load shows the recorded inquiry, or a new one pre-filled from the worker's archive.
func (f *inquiryForm) load() {
	var in app.Inquiry
	if f.exam.Record != nil && f.exam.Record.Inquiry != nil {
		in = *f.exam.Record.Inquiry
	} else {
		in.History = f.archiveHistory()
	}
	f.history = nil
	f.historyBox.RemoveAll()
	for _, h := range in.History {
		f.appendRow(h)
	}
	if len(in.History) == 0 {
		f.appendRow(app.OccupationEntry{})
	}
	f.past.SetText(in.PastHistory)
	f.occDisease.SetText(in.OccupationalDiseaseHistory)
	f.marriage.SetText(in.Marriage)
	f.note.SetText(in.Note)
	f.smoke.set(in.Smoking)
	f.drink.set(in.Drinking)
	setInt(f.menarche, in.MenarcheAge)
	f.period.SetText(in.PeriodDays)
	f.cycle.SetText(in.CycleDays)
	setInt(f.menopause, in.MenopauseAge)
	setInt(f.children, in.Children)
	setInt(f.abortions, in.Abortions)
	setInt(f.stillbirths, in.Stillbirths)
	setInt(f.premature, in.Premature)
	setInt(f.abnormalFetal, in.AbnormalFetal)
	answers := map[string]app.SymptomAnswer{}
	for _, a := range in.Symptoms {
		answers[a.Code] = a
	}
	for _, s := range f.symptoms {
		a := answers[s.code]
		s.check.SetChecked(a.Present)
		s.degree.ClearSelected()
		if a.Degree != "" {
			s.degree.SetSelected(a.Degree)
		}
		s.since.SetText(a.Since)
	}
	f.dirty = false
}

func setInt(e *widget.Entry, n int) {
	if n == 0 {
		e.SetText("")
		return
	}
	e.SetText(strconv.Itoa(n))
}

func (h *habitFields) set(x app.Habit) {
	h.status.ClearSelected()
	if n, ok := app.HabitNames[x.Status]; ok && x.Status != "" {
		h.status.SetSelected(n)
	}
	setInt(h.perDay, x.PerDay)
	setInt(h.year, x.Years)
}

// archiveHistory is the worker's work history with the exposures of each period.
func (f *inquiryForm) archiveHistory() []app.OccupationEntry {
	var out []app.OccupationEntry
	for _, p := range f.worker.WorkHistory {
		o := app.OccupationEntry{From: p.Start, To: p.End, Workshop: p.Workshop, Job: p.JobName}
		if emp, err := f.env.Services.Employers.FindEmployerByID(f.env.Ctx, p.EmployerID); err == nil {
			o.Employer = emp.Name
		}
		if o.Job == "" && p.JobCode != "" {
			o.Job, _ = f.cats.CodeName(app.CatalogJobs, p.JobCode)
		}
		for _, x := range f.worker.Exposures {
			overlaps := (p.End.IsZero() || !x.Start.After(p.End)) && (x.End.IsZero() || !x.End.Before(p.Start))
			if overlaps && x.HazardCode != "" {
				o.Hazards = append(o.Hazards, x.HazardCode)
			}
		}
		out = append(out, o)
	}
	return out
}

func (f *inquiryForm) appendRow(o app.OccupationEntry) {
	r := &occupationRow{msg: newMsg()}
	r.from = f.entry("起，年-月-日")
	r.to = f.entry("止，空为至今")
	enterMovesOn(r.from, r.to)
	r.employer = f.entry("单位")
	r.workshop = f.entry("车间")
	r.job = f.entry("工种")
	r.protect = f.entry("防护措施")
	r.hazards = newHazardMulti(f.cats)
	r.hazards.OnChanged = f.touch
	r.from.SetText(formatDate(o.From))
	r.to.SetText(formatDate(o.To))
	r.employer.SetText(o.Employer)
	r.workshop.SetText(o.Workshop)
	r.job.SetText(o.Job)
	r.protect.SetText(o.Protection)
	r.hazards.set(o.Hazards)
	r.remove = widget.NewButton("删除此行", func() {
		for i, x := range f.history {
			if x == r {
				f.history = append(f.history[:i], f.history[i+1:]...)
				break
			}
		}
		f.rebuildHistory()
		f.touch()
	})
	f.history = append(f.history, r)
	f.rebuildHistory()
}

func (f *inquiryForm) rebuildHistory() {
	f.historyBox.RemoveAll()
	for i, r := range f.history {
		line1 := container.NewGridWithColumns(5, r.from, r.to, r.employer, r.workshop, r.job)
		line2 := container.NewBorder(nil, nil, nil, container.NewVBox(r.remove),
			container.NewGridWithColumns(2, r.hazards.content(), container.NewVBox(r.protect)))
		f.historyBox.Add(container.NewVBox(widget.NewLabel("第 "+strconv.Itoa(i+1)+" 段"), line1, line2, r.msg))
	}
}

func (f *inquiryForm) content() fyne.CanvasObject {
	smoke := container.NewHBox(withWidth(100, f.smoke.status), withWidth(70, f.smoke.perDay), widget.NewLabel("支/日"),
		withWidth(70, f.smoke.year), widget.NewLabel("年"))
	drink := container.NewHBox(withWidth(100, f.drink.status), withWidth(70, f.drink.perDay), widget.NewLabel("mL/日"),
		withWidth(70, f.drink.year), widget.NewLabel("年"))
	form := formGrid(
		formRow{"既往史", f.past, nil},
		formRow{"职业病史", f.occDisease, nil},
		formRow{"吸烟", smoke, nil},
		formRow{"饮酒", drink, nil},
		formRow{"婚姻史", f.marriage, nil},
	)
	f.women = container.NewVBox(heading("月经及生育史"), formGrid(
		formRow{"初潮年龄", container.NewHBox(withWidth(70, f.menarche), widget.NewLabel("岁")), nil},
		formRow{"经期 / 周期", container.NewHBox(withWidth(90, f.period), widget.NewLabel("天　/"), withWidth(90, f.cycle), widget.NewLabel("天")), nil},
		formRow{"绝经年龄", container.NewHBox(withWidth(70, f.menopause), widget.NewLabel("岁（未绝经不填）")), nil},
		formRow{"生育", container.NewHBox(widget.NewLabel("子女"), withWidth(50, f.children), widget.NewLabel("流产"), withWidth(50, f.abortions),
			widget.NewLabel("死产"), withWidth(50, f.stillbirths), widget.NewLabel("早产"), withWidth(50, f.premature),
			widget.NewLabel("异常胎"), withWidth(50, f.abnormalFetal)), nil},
	))
	if f.worker.Sex != app.SexFemale {
		f.women.Hide()
	}
	box := container.NewVBox(
		heading("症状询问"), f.focusText, f.focusBox,
		widget.NewAccordion(widget.NewAccordionItem("其他症状", f.otherBox)), f.otherDetails,
		widget.NewSeparator(),
		container.NewHBox(heading("职业史"), layout.NewSpacer(), f.addRow), f.historyBox,
		widget.NewSeparator(), form, f.women,
		formGrid(formRow{"备注", f.note, nil}), f.msg,
	)
	return container.NewScroll(container.NewPadded(box))
}

func (f *inquiryForm) setEditable(ok bool) {
	f.editable = ok
	for _, e := range f.entries {
		if ok {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	for _, s := range []*widget.Select{f.smoke.status, f.drink.status} {
		if ok {
			s.Enable()
		} else {
			s.Disable()
		}
	}
	for _, s := range f.symptoms {
		if ok {
			s.check.Enable()
			s.degree.Enable()
		} else {
			s.check.Disable()
			s.degree.Disable()
		}
	}
	for _, r := range f.history {
		r.hazards.setEditable(ok)
		if ok {
			r.remove.Enable()
		} else {
			r.remove.Disable()
		}
	}
	if ok {
		f.addRow.Enable()
	} else {
		f.addRow.Disable()
	}
}

// saved takes the exam the inquiry was saved on as the form's baseline.
func (f *inquiryForm) saved(e *app.Exam) { f.dirty, f.exam = false, e }

// saving reports whether the inquiry of fresh is still the one this form was loaded with (so
// saving over it loses nothing another station wrote).
func (f *inquiryForm) saving(fresh *app.Exam) bool {
	var was, now *app.Inquiry
	if f.exam.Record != nil {
		was = f.exam.Record.Inquiry
	}
	if fresh.Record != nil {
		now = fresh.Record.Inquiry
	}
	return reflect.DeepEqual(canonicalInquiry(was), canonicalInquiry(now))
}

// canonicalInquiry strips what a store round trip may change without changing the inquiry:
// the clock's monotonic reading and the time zone.
func canonicalInquiry(in *app.Inquiry) *app.Inquiry {
	if in == nil {
		return nil
	}
	c := *in
	c.Date = c.Date.UTC().Round(0)
	c.History = append([]app.OccupationEntry(nil), in.History...)
	for i := range c.History {
		c.History[i].From = c.History[i].From.UTC().Round(0)
		c.History[i].To = c.History[i].To.UTC().Round(0)
	}
	return &c
}

// rebase takes fresh as the baseline; what is typed stays.
func (f *inquiryForm) rebase(fresh *app.Exam) { f.exam = fresh }

// value reads the form; the error messages name the field (and the history line) and stand
// under the form.
func (f *inquiryForm) value() (*app.Inquiry, error) {
	in := &app.Inquiry{Date: f.env.Now(), Doctor: f.env.User.Username,
		PastHistory: strings.TrimSpace(f.past.Text), OccupationalDiseaseHistory: strings.TrimSpace(f.occDisease.Text),
		Marriage: strings.TrimSpace(f.marriage.Text), Note: strings.TrimSpace(f.note.Text)}
	var es app.Errors
	num := func(e *widget.Entry, field string) int {
		s := strings.TrimSpace(app.HalfWidth(e.Text))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			es = append(es, app.FieldError(field, "“%s”不是整数", s))
			return 0
		}
		return n
	}
	for i, r := range f.history {
		setMsg(r.msg, "")
		line := "职业史第 " + strconv.Itoa(i+1) + " 段"
		o := app.OccupationEntry{Employer: strings.TrimSpace(r.employer.Text), Workshop: strings.TrimSpace(r.workshop.Text),
			Job: strings.TrimSpace(r.job.Text), Protection: strings.TrimSpace(r.protect.Text), Hazards: r.hazards.Codes()}
		var rowErr []string
		var err error
		if o.From, err = parseDate(r.from.Text); err != nil {
			rowErr = append(rowErr, "起始日期："+fieldMessage(err))
		}
		if o.To, err = parseDate(r.to.Text); err != nil {
			rowErr = append(rowErr, "终止日期："+fieldMessage(err))
		}
		if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
			rowErr = append(rowErr, "终止日期早于起始日期")
		}
		empty := o.Employer == "" && o.Workshop == "" && o.Job == "" && len(o.Hazards) == 0 && o.From.IsZero() && o.To.IsZero() && o.Protection == ""
		if empty {
			continue
		}
		if o.Employer == "" {
			rowErr = append(rowErr, "请填写单位")
		}
		if len(rowErr) > 0 {
			setMsg(r.msg, line+"："+strings.Join(rowErr, "；"))
			es = append(es, app.FieldError(line, "%s", strings.Join(rowErr, "；")))
			continue
		}
		in.History = append(in.History, o)
	}
	for _, h := range []struct {
		f    *habitFields
		name string
		into *app.Habit
	}{{f.smoke, "吸烟", &in.Smoking}, {f.drink, "饮酒", &in.Drinking}} {
		h.into.Status = habitCode(h.f.status.Selected)
		h.into.PerDay = num(h.f.perDay, h.name+"（每日量）")
		h.into.Years = num(h.f.year, h.name+"（年数）")
		if h.into.Status == app.HabitNever && (h.into.PerDay > 0 || h.into.Years > 0) {
			es = append(es, app.FieldError(h.name, "选择了“无”，却填写了数量或年数"))
		}
		if h.into.Status == "" && (h.into.PerDay > 0 || h.into.Years > 0) {
			es = append(es, app.FieldError(h.name, "请选择情况（无、偶尔、经常、已戒）"))
		}
	}
	if f.worker.Sex == app.SexFemale {
		in.MenarcheAge = num(f.menarche, "初潮年龄")
		in.PeriodDays, in.CycleDays = strings.TrimSpace(f.period.Text), strings.TrimSpace(f.cycle.Text)
		in.MenopauseAge = num(f.menopause, "绝经年龄")
		in.Children = num(f.children, "子女数")
		in.Abortions = num(f.abortions, "流产次数")
		in.Stillbirths = num(f.stillbirths, "死产次数")
		in.Premature = num(f.premature, "早产次数")
		in.AbnormalFetal = num(f.abnormalFetal, "异常胎次数")
		if in.MenarcheAge > 0 && (in.MenarcheAge < 8 || in.MenarcheAge > 20) {
			es = append(es, app.FieldError("初潮年龄", "%d 岁不在 8–20 岁之间，请核对", in.MenarcheAge))
		}
	}
	for _, s := range f.symptoms {
		if !s.focus && !s.check.Checked {
			continue
		}
		a := app.SymptomAnswer{Code: s.code, Name: s.name, Present: s.check.Checked}
		if a.Present {
			a.Degree, a.Since = s.degree.Selected, strings.TrimSpace(s.since.Text)
		}
		in.Symptoms = append(in.Symptoms, a)
	}
	if err := es.Err(); err != nil {
		setMsg(f.msg, "问诊："+app.ErrorMessage(err))
		return nil, err
	}
	setMsg(f.msg, "")
	return in, nil
}
