package ui

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

func init() {
	registerScreen(ScreenDef{
		ID: "register", Group: "体检", Title: "体检登记", Order: 20,
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "ExamService.Register",
		New:    func(env *Env) fyne.CanvasObject { return newExamRegScreen(env).content() },
	})
}

const noContract = "（个人体检，不属于体检任务）"

// examRegScreen registers one worker for an exam: who, for which employer and contract,
// which type and hazards, on which day, with which packages; it shows the items the rule
// table plans as they are chosen, and after registration the exam number with its guide
// sheet and labels.
type examRegScreen struct {
	env  *Env
	cats *catalog.Set

	worker    *picker
	current   *app.Worker
	info      *widget.Label
	employer  *picker
	contract  *widget.Select
	contracts map[string]*app.Contract
	examType  *widget.Select
	recheck   *widget.Check
	previous  *widget.Select
	earlier   map[string]*app.Exam
	hazards   *hazardMulti
	date      *widget.Entry
	packages  *widget.CheckGroup
	noPkg     *widget.Label
	pkgIDs    map[string]int64
	pkgGroups map[int64][]app.PackageGroup
	pkgs      []*app.ExamPackage

	plan, planNotes *widget.Label
	msg             *widget.Label
	registerBtn     *widget.Button

	number            *canvas.Text
	done              *widget.Label
	resultBox         *fyne.Container
	guideBtn, tubeBtn *widget.Button
	last              *app.Exam
	job               *printJob
	pdfHook           func([]byte)
	loading           bool
}

func newExamRegScreen(env *Env) *examRegScreen {
	v := &examRegScreen{env: env, cats: catalogsOf(env.Services), contracts: map[string]*app.Contract{}, earlier: map[string]*app.Exam{}}
	v.worker = newPicker("证件号、后 6 位、姓名或拼音首字母", workerSearch(env))
	v.worker.OnChanged = func() {
		if it, ok := v.worker.Selected(); ok {
			id, _ := strconv.ParseInt(it.Key, 10, 64)
			if v.current == nil || v.current.ID != id {
				v.loadWorker(id)
			}
		} else if v.current != nil {
			v.loadWorker(0)
		}
	}
	v.info = widget.NewLabel("")
	v.info.Wrapping = fyne.TextWrapWord
	v.employer = newPicker("单位名称或拼音首字母", employerSearch(env))
	v.employer.OnChanged = func() { v.loadContracts(); v.refresh() }
	v.contract = widget.NewSelect(nil, func(s string) { v.contractChosen() })
	v.examType = widget.NewSelect(examTypeLabels(), func(string) { v.refresh() })
	v.examType.PlaceHolder = "请选择"
	v.recheck = widget.NewCheck("复查", func(bool) { v.showPrevious(); v.refresh() })
	v.previous = widget.NewSelect(nil, func(string) { v.refresh() })
	v.previous.PlaceHolder = "被复查的上次体检"
	v.hazards = newHazardMulti(v.cats)
	v.hazards.OnChanged = v.refresh
	v.date = widget.NewEntry()
	v.date.SetPlaceHolder("年-月-日")
	v.date.OnChanged = func(string) { v.refresh() }
	enterMovesOn(v.date)
	v.packages = widget.NewCheckGroup(nil, func([]string) { v.refresh() })
	v.plan = widget.NewLabel("")
	v.plan.Wrapping = fyne.TextWrapWord
	v.planNotes = widget.NewLabel("")
	v.planNotes.Wrapping = fyne.TextWrapWord
	v.planNotes.Importance = widget.WarningImportance
	v.msg = newMsg()
	v.registerBtn = widget.NewButton("登记（Ctrl+S）", v.register)
	v.registerBtn.Importance = widget.HighImportance
	v.number = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	v.number.TextSize = 40
	v.number.TextStyle.Monospace = true
	v.done = widget.NewLabel("")
	v.done.Wrapping = fyne.TextWrapWord
	v.guideBtn = widget.NewButton("打印导检单", func() { v.print(false) })
	v.tubeBtn = widget.NewButton("打印条码", func() { v.print(true) })
	next := widget.NewButton("登记下一位", v.clear)
	v.resultBox = container.NewVBox(widget.NewLabel("已登记，体检号"), v.number, v.done,
		container.NewHBox(v.guideBtn, v.tubeBtn, next), widget.NewSeparator())
	v.loadPackages()
	env.setActions(v.register, v.clear)
	env.Focus = v.worker.entry
	v.clear()
	return v
}

func (v *examRegScreen) content() fyne.CanvasObject {
	form := formGrid(
		formRow{"劳动者", container.NewVBox(v.worker.content(), v.info), nil},
		formRow{"用人单位", v.employer.content(), nil},
		formRow{"体检任务", v.contract, nil},
		formRow{"体检类型", container.NewHBox(withWidth(150, v.examType), v.recheck, v.previous), nil},
		formRow{"危害因素", v.hazards.content(), nil},
		formRow{"体检日期", withWidth(160, v.date), nil},
		formRow{"套餐", container.NewVBox(v.packages, v.noPkg), nil},
	)
	left := container.NewVScroll(container.NewPadded(container.NewVBox(form, v.msg,
		container.NewHBox(v.registerBtn))))
	// The exam number stands at the top of the right column, where it is seen without
	// scrolling, above the items it was registered with.
	right := container.NewBorder(v.resultBox, nil, nil, nil,
		container.NewBorder(heading("体检项目（按科室）"), nil, nil, nil,
			container.NewVScroll(container.NewVBox(v.planNotes, v.plan))))
	split := container.NewHSplit(container.NewBorder(heading("体检登记"), nil, nil, nil, left), right)
	split.Offset = 0.58
	return split
}

// workerSearch finds workers as the worker screen's search box does (ID number, its last 6,
// phone, name, pinyin initials), first 30 matches.
func workerSearch(env *Env) func(string) []pickItem {
	return func(q string) []pickItem {
		// The picker shows the first matches only: a limit keeps a one-character name
		// prefix (张) fast on an archive of 100,000 workers.
		ids, err := env.Services.Workers.SearchWorkers(env.Ctx, app.WorkerSearch{Query: strings.TrimSpace(q), Limit: 30})
		if err != nil || len(ids) == 0 {
			return nil
		}
		ids = ids[:min(len(ids), 30)]
		ws, err := env.Services.Workers.WorkersByIDs(env.Ctx, ids)
		if err != nil {
			return nil
		}
		out := make([]pickItem, 0, len(ws))
		for _, w := range ws {
			out = append(out, pickItem{Key: strconv.FormatInt(w.ID, 10), Label: w.Name + "　" + workerSummary(w), Text: w.Name})
		}
		return out
	}
}

// clear empties the form for the next worker.
func (v *examRegScreen) clear() {
	v.loading = true
	v.worker.setText("")
	v.current = nil
	v.info.SetText("")
	v.info.Hide()
	v.employer.setText("")
	v.hazards.set(nil)
	v.examType.ClearSelected()
	v.recheck.SetChecked(false)
	v.date.SetText(formatDate(v.env.Now()))
	v.packages.SetSelected(nil)
	v.loading = false
	v.last = nil
	v.resultBox.Hide()
	setMsg(v.msg, "")
	v.loadContracts()
	v.showPrevious()
	v.refresh()
	focusIfShown(v.worker.entry)
}

// loadWorker takes the worker with id (0: none) and defaults the employer, hazards and the
// earlier exams from their archive.
func (v *examRegScreen) loadWorker(id int64) {
	v.current = nil
	v.info.SetText("")
	v.info.Hide()
	v.earlier = map[string]*app.Exam{}
	v.previous.Options = nil
	v.previous.ClearSelected()
	if id != 0 {
		w, err := v.env.Services.Workers.FindWorkerByID(v.env.Ctx, id)
		if err != nil {
			showError(v.env.Window, err)
			return
		}
		v.current = w
		v.info.SetText(workerSummary(w))
		v.info.Show()
		v.loading = true
		if emp := currentEmployer(w); emp != 0 {
			v.employer.setSelected(employerItem(v.env, emp))
		}
		var hz []string
		for _, x := range w.Exposures {
			if x.End.IsZero() && x.HazardCode != "" {
				hz = append(hz, x.HazardCode)
			}
		}
		v.hazards.set(hz)
		v.loading = false
		if exams, _, err := v.env.Services.Exams.FindExams(v.env.Ctx, app.ExamFilter{WorkerID: id, Limit: 50}); err == nil {
			for _, e := range exams {
				l := e.Number + "　" + formatDate(e.Date) + "　" + e.Type.Name() + "　" + e.State.Name()
				v.earlier[l] = e
				v.previous.Options = append(v.previous.Options, l)
			}
		}
	}
	v.previous.Refresh()
	v.loadContracts()
	v.showPrevious()
	v.refresh()
}

// currentEmployer is the employer of the worker's current job (the latest without an end).
func currentEmployer(w *app.Worker) int64 {
	var best *app.WorkPeriod
	for i := range w.WorkHistory {
		p := &w.WorkHistory[i]
		if p.End.IsZero() && (best == nil || p.Start.After(best.Start)) {
			best = p
		}
	}
	if best == nil {
		return 0
	}
	return best.EmployerID
}

func (v *examRegScreen) employerID() int64 {
	if it, ok := v.employer.Selected(); ok {
		id, _ := strconv.ParseInt(it.Key, 10, 64)
		return id
	}
	return 0
}

// loadContracts offers the open contracts of the chosen employer.
func (v *examRegScreen) loadContracts() {
	v.contracts = map[string]*app.Contract{}
	opts := []string{noContract}
	// A dispatched worker's round may be the host employer's (用工单位).
	for _, emp := range []int64{v.employerID(), v.hostEmployerID()} {
		if emp == 0 {
			continue
		}
		if cs, _, err := v.env.Services.Contracts.FindContracts(v.env.Ctx, app.ContractFilter{EmployerID: emp, OpenOnly: true}); err == nil {
			for _, c := range cs {
				l := c.Number
				if c.Title != "" {
					l += "　" + c.Title
				}
				if _, dup := v.contracts[l]; dup {
					continue
				}
				v.contracts[l] = c
				opts = append(opts, l)
			}
		}
	}
	v.contract.Options = opts
	if len(opts) == 2 {
		v.contract.SetSelected(opts[1]) // the one open round of this employer
	} else {
		v.contract.SetSelected(noContract)
	}
}

// currentPeriod is the worker's current job at the chosen employer, if any.
func (v *examRegScreen) currentPeriod() (app.WorkPeriod, bool) {
	if v.current == nil {
		return app.WorkPeriod{}, false
	}
	emp := v.employerID()
	for _, p := range v.current.WorkHistory {
		if p.End.IsZero() && p.EmployerID == emp && emp != 0 {
			return p, true
		}
	}
	return app.WorkPeriod{}, false
}

// hostEmployerID is the 用工单位 of the worker's current job at the chosen employer (0: none).
func (v *examRegScreen) hostEmployerID() int64 {
	p, _ := v.currentPeriod()
	return p.HostEmployerID
}

// contractChosen defaults the exam type from the contract.
func (v *examRegScreen) contractChosen() {
	if c := v.contracts[v.contract.Selected]; c != nil && len(c.ExamTypes) > 0 && v.examType.Selected == "" {
		v.examType.SetSelected(examTypeLabel(app.ExamType(c.ExamTypes[0])))
	}
	v.refresh()
}

func (v *examRegScreen) showPrevious() {
	if v.recheck.Checked {
		v.previous.Show()
		if len(v.previous.Options) == 0 {
			v.previous.PlaceHolder = "此人没有以前的体检"
		} else {
			v.previous.PlaceHolder = "被复查的上次体检"
		}
		v.previous.Refresh()
	} else {
		v.previous.Hide()
	}
}

// loadPackages reads the active packages; offerPackages shows those meant for the form.
func (v *examRegScreen) loadPackages() {
	v.pkgIDs = map[string]int64{}
	v.pkgGroups = map[int64][]app.PackageGroup{}
	v.pkgs = nil
	if ps, err := v.env.Services.Packages.FindPackages(v.env.Ctx, false); err == nil {
		v.pkgs = ps
		for _, p := range ps {
			v.pkgIDs[packageLabel(p)] = p.ID
			v.pkgGroups[p.ID] = p.Groups
		}
	}
	if v.noPkg == nil {
		v.noPkg = widget.NewLabel("")
		v.noPkg.Importance = widget.LowImportance
	}
	v.offerPackages()
}

func packageLabel(p *app.ExamPackage) string {
	return p.Name + "（" + formatFen(p.TotalFen()) + " 元）"
}

// offerPackages lists the active packages meant for the exam type and hazards chosen (a
// package without a type or hazards suits any), keeping the ticks of those still listed.
func (v *examRegScreen) offerPackages() {
	typ, hazards := examTypeOf(v.examType.Selected), v.hazards.Codes()
	var opts []string
	for _, p := range v.pkgs {
		if p.Type != "" && p.Type != typ {
			continue
		}
		if len(p.Hazards) > 0 && !slices.ContainsFunc(p.Hazards, func(h string) bool { return slices.Contains(hazards, h) }) {
			continue
		}
		opts = append(opts, packageLabel(p))
	}
	var keep []string
	for _, s := range v.packages.Selected {
		if slices.Contains(opts, s) {
			keep = append(keep, s)
		}
	}
	v.packages.Options, v.packages.Selected = opts, keep
	v.packages.Refresh()
	switch {
	case len(v.pkgs) == 0:
		v.noPkg.SetText("（没有启用的套餐：只做 GBZ 188 规定的项目）")
		v.noPkg.Show()
	case len(opts) == 0:
		v.noPkg.SetText("（没有适用于所选体检类型和危害因素的套餐）")
		v.noPkg.Show()
	default:
		v.noPkg.Hide()
	}
}

// registration collects the form.
func (v *examRegScreen) registration() (app.Registration, error) {
	r := app.Registration{Type: examTypeOf(v.examType.Selected), Recheck: v.recheck.Checked, Hazards: v.hazards.Codes()}
	if v.current != nil {
		r.WorkerID = v.current.ID
	}
	r.EmployerID = v.employerID()
	if c := v.contracts[v.contract.Selected]; c != nil {
		r.ContractID = c.ID
	}
	if e := v.earlier[v.previous.Selected]; e != nil && r.Recheck {
		r.PreviousExamID = e.ID
	}
	for _, s := range v.packages.Selected {
		r.PackageIDs = append(r.PackageIDs, v.pkgIDs[s])
	}
	d, err := parseDate(v.date.Text)
	r.Date = d
	if p, ok := v.currentPeriod(); ok {
		r.HostEmployerID, r.Workshop, r.JobCode, r.JobName = p.HostEmployerID, p.Workshop, p.JobCode, p.JobName
	}
	return r, err
}

// register registers the exam and shows its number.
func (v *examRegScreen) register() {
	r, err := v.registration()
	if err != nil {
		setMsg(v.msg, "体检日期："+fieldMessage(err))
		return
	}
	if v.worker.Text() != "" && v.current == nil {
		setMsg(v.msg, "劳动者：请从列表中选择（新的劳动者先在“劳动者”中建档）")
		return
	}
	if err := r.Validate(); err != nil {
		setMsg(v.msg, joinProblems(err))
		return
	}
	if v.registerBtn.Disabled() {
		return // Ctrl+S again after a registration, with nothing changed
	}
	e, err := v.env.Services.Exams.Register(v.env.Ctx, r)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	setMsg(v.msg, "")
	v.last = e
	v.number.Text = e.Number
	v.number.Refresh()
	text := v.current.Name + "　" + e.Type.Name() + recheckMark(e) + "　" + formatDate(e.Date) + "　共 " + strconv.Itoa(len(e.Items)) + " 项"
	if len(e.PlanNotes) > 0 {
		text += "\n请注意：" + strings.Join(e.PlanNotes, "；")
	}
	v.done.SetText(text)
	v.resultBox.Show()
	v.registerBtn.Disable()
}

// joinProblems lists the field problems of a validation error, sorted.
func joinProblems(err error) string {
	var lines []string
	for f, m := range fieldProblems(err) {
		if f != "" {
			m = f + "：" + m
		}
		lines = append(lines, m)
	}
	sort.Strings(lines)
	return strings.Join(lines, "；")
}

// print prints the guide sheet or labels of the exam just registered.
func (v *examRegScreen) print(labels bool) {
	if v.last != nil {
		v.job = printExams(v.env, []*app.Exam{v.last}, labels, "体检"+v.last.Number, v.pdfHook)
	}
}

// gbz2025Start is when GBZ 188-2025 takes over, used only when the catalogs do not say.
var gbz2025Start = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
