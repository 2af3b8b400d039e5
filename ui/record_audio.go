package ui

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/criteria"
)

// Pure-tone audiometry (纯音听阈测试) as the results screen records it: the item group of the
// rule data, the unit, and what an audiometer can give.
const (
	audiometryGroup = "G1301"
	audiometryUnit  = "dB HL"
	// Audiometers test from −10 to 120 dB HL in 5 dB steps; a level off the 5 dB grid is
	// kept (some devices step by 1 or 2 dB) but pointed out.
	audioMinLevel = -10
	audioMaxLevel = 120
	audioStep     = 5
)

// The results screen shows the pure-tone group with this panel instead of item rows.
func init() {
	groupPanels[audiometryGroup] = func(env *Env, exam *app.Exam, worker *app.Worker, changed func()) groupPanel {
		p := newAudiogramPanel(env, exam, worker)
		p.OnChanged = changed
		return p
	}
}

// audioConduction is one row kind of the grid: air conduction (气导) or bone (骨导).
type audioConduction struct {
	bone bool
	name string
}

var audioConductions = []audioConduction{{false, "气导"}, {true, "骨导"}}

// audiogramPanel records one exam's pure-tone audiogram: a grid per ear of thresholds at
// 500–6000 Hz (bone conduction on request), the averages GBZ 188 and GBZ 49 use, computed as
// the doctor types, the age/sex-corrected values beside the raw ones, the criteria's
// suggestions for the exam's hazards, and an audiogram plot. The results screen embeds it for
// the 纯音听阈测试 group: load fills it from the record, results gives what to save.
type audiogramPanel struct {
	env    *Env
	exam   *app.Exam
	worker *app.Worker
	set    *criteria.Set

	// cells[bone][side][i] is the entry of criteria.StandardFreqs[i].
	cells    [2][2][]*widget.Entry
	boneRows []fyne.CanvasObject
	boneBox  *widget.Check
	// loaded holds the item codes that had a level when the record was loaded: clearing one
	// records it as 未检 rather than silently keeping the old level.
	loaded map[string]bool
	msg    *widget.Label
	warn   *widget.Label

	// baseline is the air-conduction audiogram of the worker's latest pre-employment exam
	// before this one (噪声敏感者 compares with it), nil when there is none.
	baseline     *criteria.Audiogram
	baselineDate time.Time
	baselineNote *widget.Label

	calc     *fyne.Container
	findings *fyne.Container
	plot     *audiogramPlot
	root     fyne.CanvasObject

	// OnChanged, when set, is called after every edit (the host tracks unsaved changes).
	OnChanged func()
}

// newAudiogramPanel builds the panel for an exam of worker (the worker gives age and sex
// for the corrected values).
func newAudiogramPanel(env *Env, exam *app.Exam, worker *app.Worker) *audiogramPanel {
	p := &audiogramPanel{env: env, exam: exam, worker: worker, set: env.Criteria(), loaded: map[string]bool{}}
	p.msg, p.warn = newMsg(), newMsg()
	p.baselineNote = widget.NewLabel("")
	p.baselineNote.Wrapping = fyne.TextWrapWord
	p.findBaseline()
	p.calc = container.NewVBox()
	p.findings = container.NewVBox()
	p.plot = newAudiogramPlot()

	widths := []float32{90}
	header := []fyne.CanvasObject{widget.NewLabel("")}
	for _, hz := range criteria.StandardFreqs {
		widths = append(widths, 62)
		header = append(header, widget.NewLabelWithStyle(strconv.Itoa(hz)+" Hz", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	}
	// A last, empty column takes the rest of the width, so the cells keep theirs.
	header = append(header, layout.NewSpacer())
	grid := container.NewVBox(container.New(&fixedCols{widths: widths}, header...))
	var order []*widget.Entry
	for _, side := range criteria.Sides {
		for _, c := range audioConductions {
			row := []fyne.CanvasObject{widget.NewLabelWithStyle(side.Name()+" "+c.name, fyne.TextAlignLeading, fyne.TextStyle{Bold: !c.bone})}
			for range criteria.StandardFreqs {
				e := widget.NewEntry()
				e.SetPlaceHolder("—")
				e.OnChanged = func(string) { p.changed() }
				p.cells[audioIdx(c.bone)][side] = append(p.cells[audioIdx(c.bone)][side], e)
				order = append(order, e)
				row = append(row, e)
			}
			r := container.New(&fixedCols{widths: widths}, append(row, layout.NewSpacer())...)
			if c.bone {
				p.boneRows = append(p.boneRows, r)
				r.Hide()
			}
			grid.Add(r)
		}
	}
	// Levels are digits: no input method, so Enter may move on like Tab.
	enterMovesOn(order...)
	p.boneBox = widget.NewCheck("录入骨导听阈", func(on bool) {
		for _, r := range p.boneRows {
			if on {
				r.Show()
			} else {
				r.Hide()
			}
		}
	})

	hint := widget.NewLabel(fmt.Sprintf("单位 dB HL，%d～%d，按听力计的步距（一般 %d dB）填写；未测的频率留空。Tab 或回车移到下一格。"+
		"下面的语频平均取 500/1000/2000 Hz，高频平均取 3000/4000/6000 Hz。", audioMinLevel, audioMaxLevel, audioStep))
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapBreak // Chinese has no spaces to wrap at

	// The grid with the plot beside it, then the computed values and the suggestions across
	// the whole width (the results screen gives the panel about 950 pixels).
	entry := container.NewVBox(grid, p.boneBox, p.msg, p.warn, hint)
	p.root = container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewVBox(p.plot), entry),
		p.calc, p.baselineNote, p.findings,
	)
	p.recompute()
	return p
}

// findBaseline looks for the worker's latest pre-employment exam before this one that has
// air-conduction levels, and says which it found. It reads the archive once, when the panel
// is built; a failure to read only leaves the baseline out.
func (p *audiogramPanel) findBaseline() {
	p.baselineNote.SetText("")
	if p.exam == nil || p.exam.Type == app.ExamPreEmployment || p.exam.WorkerID == 0 {
		p.baselineNote.Hide()
		return
	}
	exams, _, err := p.env.Services.Exams.FindExams(p.env.Ctx, app.ExamFilter{WorkerID: p.exam.WorkerID})
	if err != nil {
		exams = nil
	}
	slices.SortFunc(exams, func(a, b *app.Exam) int { return b.Date.Compare(a.Date) })
	for _, e := range exams {
		if e.ID == p.exam.ID || e.Type != app.ExamPreEmployment || !e.Date.Before(p.exam.Date) {
			continue
		}
		switch e.State {
		case app.ExamCancelled, app.ExamNoShow, app.ExamVoided:
			continue
		}
		full, err := p.env.Services.Exams.FindExamByID(p.env.Ctx, e.ID)
		if err != nil || full.Record == nil {
			continue
		}
		levels := map[string]float64{}
		for _, r := range full.Record.Results {
			if r.Status == app.ResultDone && r.Kind == app.ResultNumeric && r.Qualifier() == app.QualNone {
				levels[r.ItemCode] = r.Number
			}
		}
		_, a := p.set.FromItems(levels)
		if a == nil || len(a.Left)+len(a.Right) == 0 {
			continue
		}
		p.baseline, p.baselineDate = &criteria.Audiogram{Left: a.Left, Right: a.Right}, e.Date
		p.baselineNote.SetText(fmt.Sprintf("上岗前听阈：取自上岗前体检 %s（%s），供“噪声敏感者”一条比较。", e.Number, e.Date.Format("2006-01-02")))
		p.baselineNote.Show()
		return
	}
	p.baselineNote.SetText("档案中没有本人上岗前体检的听阈，“噪声敏感者”一条无法判断。")
	p.baselineNote.Show()
}

// setEditable enables or disables every cell and the bone check (a signed or released exam
// is shown read-only).
func (p *audiogramPanel) setEditable(on bool) {
	for _, b := range []bool{false, true} {
		for _, s := range criteria.Sides {
			for _, e := range p.cells[audioIdx(b)][s] {
				if on {
					e.Enable()
				} else {
					e.Disable()
				}
			}
		}
	}
	if on {
		p.boneBox.Enable()
	} else {
		p.boneBox.Disable()
	}
}

// content returns the panel's widgets.
func (p *audiogramPanel) content() fyne.CanvasObject { return p.root }

func audioIdx(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cell returns the entry of one ear, conduction and frequency (nil if none).
func (p *audiogramPanel) cell(side criteria.Side, bone bool, hz int) *widget.Entry {
	i := slices.Index(criteria.StandardFreqs, hz)
	if i < 0 {
		return nil
	}
	return p.cells[audioIdx(bone)][side][i]
}

// audioCellName names a cell in messages: 左耳气导 4000 Hz.
func audioCellName(side criteria.Side, bone bool, hz int) string {
	c := "气导"
	if bone {
		c = "骨导"
	}
	return fmt.Sprintf("%s%s %d Hz", side.Name(), c, hz)
}

// load fills the grid from the record's audiometry results (any group: an import may have
// filed them elsewhere) and recomputes. A whole group marked 弃检 or 未检 is the host's
// business (the results screen shows it and disables the panel).
func (p *audiogramPanel) load(rec *app.ExamRecord) {
	p.loaded = map[string]bool{}
	for _, b := range []bool{false, true} {
		for _, s := range criteria.Sides {
			for _, e := range p.cells[audioIdx(b)][s] {
				e.SetText("")
			}
		}
	}
	bone := false
	if rec != nil {
		for _, r := range rec.Results {
			if r.Status != app.ResultDone || r.ItemCode == "" {
				continue
			}
			side, isBone, hz, ok := p.itemOf(r.ItemCode)
			if !ok {
				continue
			}
			if e := p.cell(side, isBone, hz); e != nil {
				e.SetText(r.Value)
				p.loaded[r.ItemCode] = true
				bone = bone || isBone
			}
		}
	}
	if bone {
		p.boneBox.SetChecked(true)
	}
	p.recompute()
}

// itemOf finds the ear, conduction and frequency an item code records.
func (p *audiogramPanel) itemOf(code string) (criteria.Side, bool, int, bool) {
	for _, b := range []bool{false, true} {
		for _, s := range criteria.Sides {
			for _, hz := range criteria.StandardFreqs {
				if p.set.AudiogramItem(s, b, hz) == code {
					return s, b, hz, true
				}
			}
		}
	}
	return criteria.Left, false, 0, false
}

// parseHearingLevel reads what a doctor typed in a cell: "" is not tested; digits may be full-width.
// It returns the level, whether one was given, and an error in Chinese.
func parseHearingLevel(text string) (float64, bool, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, false, nil
	}
	v, err := app.ParseNumeric(text)
	if err != nil {
		return 0, true, fmt.Errorf("“%s”不是数字", text)
	}
	if v != math.Trunc(v) {
		return 0, true, fmt.Errorf("%s 不是整数：听阈按 dB 整数记录", strconv.FormatFloat(v, 'f', -1, 64))
	}
	if v < audioMinLevel || v > audioMaxLevel {
		return 0, true, fmt.Errorf("%g 超出 %d～%d dB HL", v, audioMinLevel, audioMaxLevel)
	}
	return v, true, nil
}

// audiogram reads the grid: the valid levels, and the problems (one line per bad cell) and
// remarks (levels off the 5 dB grid).
func (p *audiogramPanel) audiogram() (criteria.Audiogram, []string, []string) {
	a := criteria.Audiogram{Left: map[int]float64{}, Right: map[int]float64{}, BoneLeft: map[int]float64{}, BoneRight: map[int]float64{}}
	var bad, odd []string
	for _, b := range []bool{false, true} {
		for _, s := range criteria.Sides {
			m := a.Ear(s)
			if b {
				m = a.BoneLeft
				if s == criteria.Right {
					m = a.BoneRight
				}
			}
			for i, hz := range criteria.StandardFreqs {
				v, ok, err := parseHearingLevel(p.cells[audioIdx(b)][s][i].Text)
				switch {
				case err != nil:
					bad = append(bad, audioCellName(s, b, hz)+"："+err.Error())
				case ok:
					m[hz] = v
					if math.Mod(v, audioStep) != 0 {
						odd = append(odd, audioCellName(s, b, hz))
					}
				}
			}
		}
	}
	return a, bad, odd
}

func (p *audiogramPanel) changed() {
	p.recompute()
	if p.OnChanged != nil {
		p.OnChanged()
	}
}

// recompute refreshes the messages, the computed values, the suggestions and the plot.
func (p *audiogramPanel) recompute() {
	a, bad, odd := p.audiogram()
	setMsg(p.msg, strings.Join(bad, "\n"))
	warn := ""
	if len(odd) > 0 {
		warn = fmt.Sprintf("%s 不是 %d dB 的整数倍，请核对听力计的读数。", strings.Join(odd, "、"), audioStep)
	}
	setWarn(p.warn, warn)
	p.plot.set(a)
	p.calc.Objects = p.calcRows(a)
	p.calc.Refresh()
	p.findings.Objects = p.findingRows(a)
	p.findings.Refresh()
}

// age returns the worker's age in whole years on the exam date (-1 when unknown).
func (p *audiogramPanel) age() int {
	if p.worker == nil || p.worker.BirthDate.IsZero() || p.exam == nil {
		return -1
	}
	return yearsOn(p.worker.BirthDate, p.exam.Date)
}

// yearsOn returns the age in whole years on day.
func yearsOn(birth, day time.Time) int {
	y := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		y--
	}
	return y
}

func (p *audiogramPanel) sex() app.Sex {
	if p.worker == nil {
		return ""
	}
	return p.worker.Sex
}

// dB formats a level: one decimal at most.
func fmtDB(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + " dB HL"
}

// vpuNote says how far a datum is verified: V shows nothing.
func vpuNote(status string) string {
	switch status {
	case criteria.StatusUnverified:
		return "待核实"
	case criteria.StatusPartial:
		return "部分核实"
	}
	return ""
}

// audioValues are the computed values of one audiogram, as shown.
type audioValues struct {
	speech, high [2]string
	binaural     string
	weighted     string
}

// values computes the averages of a and the better ear's weighted value with its grade;
// a value that cannot be computed shows what is missing.
func (p *audiogramPanel) values(a criteria.Audiogram) audioValues {
	show := func(v float64, err error) string {
		if err == nil {
			return fmtDB(v)
		}
		var m *criteria.MissingError
		if errors.As(err, &m) {
			return "—（" + m.Error() + "）"
		}
		return "—（" + app.ErrorMessage(err) + "）"
	}
	var out audioValues
	for _, s := range criteria.Sides {
		out.speech[s] = show(a.SpeechAverage(s))
		out.high[s] = show(a.HighAverage(s))
	}
	out.binaural = show(a.BinauralHighAverage())
	side, v, err := a.BetterEarWeighted(p.set.Weighting())
	if err != nil {
		out.weighted = show(0, err)
	} else {
		g, ok := p.set.Grade(v)
		if !ok {
			g = "未达噪声聋分级"
		}
		out.weighted = fmt.Sprintf("%s %s（%s）", side.Name(), fmtDB(v), g)
	}
	return out
}

// calcRows lays the computed values out: the raw value and, beside it, the age/sex-corrected
// one (REFERENCE §1.6), with how far the table, the weighting and the grades are verified.
func (p *audiogramPanel) calcRows(a criteria.Audiogram) []fyne.CanvasObject {
	raw := p.values(a)
	corr := p.set.Correction()
	var fixed audioValues
	corrHead := "年龄性别修正后"
	if n := vpuNote(corr.Status); n != "" {
		corrHead += "（修正表" + n + "）"
	}
	ca, err := criteria.Corrected(criteria.Audiogram{Left: a.Left, Right: a.Right}, p.age(), p.sex(), corr)
	if err != nil {
		why := "—（" + app.ErrorMessage(err) + "）"
		if p.age() < 0 {
			why = "—（出生日期未知，无法修正）"
		}
		fixed = audioValues{speech: [2]string{why, why}, high: [2]string{why, why}, binaural: why, weighted: why}
	} else {
		fixed = p.values(ca)
		sex := app.SexMale
		if p.sex() == app.SexFemale {
			sex = app.SexFemale
		}
		corrHead = fmt.Sprintf("%s：%d 岁，%s", corrHead, p.age(), audioSexName(sex))
	}
	wName := "较好耳加权值（GBZ 49）"
	var notes []string
	if n := vpuNote(p.set.Weighting().Status); n != "" {
		notes = append(notes, "加权公式"+n)
	}
	if n := vpuNote(p.set.Info().GradeStatus); n != "" {
		notes = append(notes, "分级"+n)
	}
	if len(notes) > 0 {
		wName += "\n" + strings.Join(notes, "，")
	}
	widths := []float32{230, 200}
	row := func(name, v, c string, bold bool) fyne.CanvasObject {
		st := fyne.TextStyle{Bold: bold}
		n := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, st)
		rv := widget.NewLabelWithStyle(v, fyne.TextAlignLeading, st)
		cv := widget.NewLabelWithStyle(c, fyne.TextAlignLeading, st)
		rv.Wrapping, cv.Wrapping = fyne.TextWrapBreak, fyne.TextWrapBreak // Chinese has no spaces
		if !bold {
			cv.Importance = widget.MediumImportance
		}
		return container.New(&fixedCols{widths: widths}, n, rv, cv)
	}
	rows := []fyne.CanvasObject{row("计算值", "实测值", corrHead, true)}
	for _, s := range criteria.Sides {
		rows = append(rows, row(s.Name()+"语频平均听阈", raw.speech[s], fixed.speech[s], false))
	}
	for _, s := range criteria.Sides {
		rows = append(rows, row(s.Name()+"高频平均听阈", raw.high[s], fixed.high[s], false))
	}
	rows = append(rows,
		row("双耳高频平均听阈", raw.binaural, fixed.binaural, false),
		row(wName, raw.weighted, fixed.weighted, false))
	return rows
}

func audioSexName(s app.Sex) string {
	switch s {
	case app.SexMale:
		return "男"
	case app.SexFemale:
		return "女"
	}
	return "性别未知"
}

// audioEvaluator reports whether a criterion reads the audiogram (the panel shows those; the
// conclusion screen shows the rest).
func audioEvaluator(name string) bool {
	switch name {
	case "noise_sensitive", "gbz49_screen", "driving_hearing":
		return true
	}
	return strings.HasPrefix(name, "pta_")
}

// findingRows evaluates, for every hazard of the exam with hearing criteria in its edition,
// the criteria that read the audiogram, and lists each finding with its clause and status.
func (p *audiogramPanel) findingRows(a criteria.Audiogram) []fyne.CanvasObject {
	if p.exam == nil {
		return nil
	}
	var rows []fyne.CanvasObject
	for _, h := range p.exam.Hazards {
		ids := map[string]bool{}
		for _, c := range p.set.Criteria(h, p.exam.Type, p.exam.Edition) {
			if audioEvaluator(c.Evaluator) {
				ids[c.ID] = true
			}
		}
		if len(ids) == 0 {
			continue
		}
		in := criteria.Input{Hazard: h, ExamType: p.exam.Type, Edition: p.exam.Edition, Age: p.age(), Sex: p.sex(),
			Values: map[string]float64{}}
		if len(a.Left)+len(a.Right) > 0 {
			in.Audiogram = &criteria.Audiogram{Left: a.Left, Right: a.Right, BoneLeft: a.BoneLeft, BoneRight: a.BoneRight}
		}
		in.Baseline = p.baseline
		if m, ok := p.exposureMonths(h); ok {
			in.Values[criteria.MeasNoiseMonths] = m
		}
		name := p.set.HazardName(h)
		if name == "" {
			name = h
		}
		rows = append(rows, heading(fmt.Sprintf("规则提示：%s（GBZ 188-%s）— 建议，由医师判断", name, p.exam.Edition)))
		for _, f := range p.set.Evaluate(in) {
			if !ids[f.Criterion] {
				continue
			}
			rows = append(rows, audioFindingLabel(f))
		}
	}
	return rows
}

// exposureMonths returns how many months the worker has worked with hazard by the exam date
// (the 噪声敏感者 rule needs it): from the archive's exposure start, or else from the
// pre-employment exam the baseline comes from.
func (p *audiogramPanel) exposureMonths(hazard string) (float64, bool) {
	if p.exam == nil {
		return 0, false
	}
	var start time.Time
	if p.worker != nil {
		for _, x := range p.worker.Exposures {
			if x.HazardCode == hazard && !x.Start.IsZero() && !x.Start.After(p.exam.Date) {
				start = x.Start
				break
			}
		}
	}
	if start.IsZero() {
		start = p.baselineDate
	}
	if start.IsZero() {
		return 0, false
	}
	d := p.exam.Date
	m := (d.Year()-start.Year())*12 + int(d.Month()-start.Month())
	if d.Day() < start.Day() {
		m--
	}
	return float64(max(m, 0)), true
}

// audioFindingLabel shows one finding: outcome, what it points to, the text with its clause, the
// source's V/P/U and what the doctor must confirm.
func audioFindingLabel(f criteria.Finding) fyne.CanvasObject {
	text := fmt.Sprintf("【%s】%s", f.Outcome.Name(), f.Text)
	if n := vpuNote(f.Status); n != "" {
		text += "  〔条文" + n + "〕"
	}
	if f.Outcome == criteria.Met && f.Confirm != "" {
		text += "\n需医师确认：" + f.Confirm
	}
	if f.Outcome == criteria.Met && f.Action != "" {
		text += "\n" + f.Action
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	switch f.Outcome {
	case criteria.Met:
		l.Importance = widget.DangerImportance
	case criteria.Unknown:
		l.Importance = widget.WarningImportance
	default:
		l.Importance = widget.LowImportance
	}
	return l
}

// results returns the audiogram as results of the 纯音听阈测试 group, one numeric result in
// dB HL per tested frequency under its national item code, judged against the reference
// ranges for the worker's sex. A level loaded from the record and now cleared comes back as
// 未检. A bad cell makes it fail (EINVALID naming every bad cell) and return nothing.
func (p *audiogramPanel) results() ([]app.Result, error) {
	var out []app.Result
	var es app.Errors
	login := ""
	if p.env.User != nil {
		login = p.env.User.Username
	}
	now := p.env.Now()
	for _, s := range criteria.Sides {
		for _, b := range []bool{false, true} {
			for i, hz := range criteria.StandardFreqs {
				code := p.set.AudiogramItem(s, b, hz)
				if code == "" {
					continue
				}
				text := p.cells[audioIdx(b)][s][i].Text
				r := app.Result{ItemCode: code, GroupCode: audiometryGroup, Kind: app.ResultNumeric, Unit: audiometryUnit, Doctor: login, Time: now}
				_, ok, err := parseHearingLevel(text)
				switch {
				case err != nil:
					es = append(es, app.FieldError(audioCellName(s, b, hz), "%s", err.Error()))
					continue
				case !ok:
					if p.loaded[code] {
						r.MarkMissing()
						out = append(out, r)
					}
					continue
				}
				if err := r.SetValue(text); err != nil {
					es = append(es, app.FieldError(audioCellName(s, b, hz), "%s", app.ErrorMessage(err)))
					continue
				}
				if rg := p.env.Ranges(); rg != nil {
					rg.Judge(&r, p.sex())
				}
				out = append(out, r)
			}
		}
	}
	if err := es.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// fixedCols lays objects out in fixed-width columns, the last one taking what is left; the
// row is as tall as its tallest object. With shrink, the columns narrow in proportion when
// the row is narrower than their widths (truncating labels take it), down to the objects'
// own minimum widths.
type fixedCols struct {
	widths []float32
	shrink bool
}

const fixedColsPad = 4

func (c *fixedCols) width(i int) float32 {
	if i < len(c.widths) {
		return c.widths[i]
	}
	return 0
}

func (c *fixedCols) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		ms := o.MinSize()
		cw := c.width(i)
		switch {
		case c.shrink:
			cw = min(cw, ms.Width)
		case i == len(objs)-1:
			cw = max(cw, ms.Width)
		}
		w += cw
		if i > 0 {
			w += fixedColsPad
		}
		h = max(h, ms.Height)
	}
	return fyne.NewSize(w, h)
}

func (c *fixedCols) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	scale := float32(1)
	if c.shrink && len(objs) > 0 {
		var total float32
		for i := range objs {
			total += c.width(i)
		}
		if avail := size.Width - float32(len(objs)-1)*fixedColsPad; total > 0 && avail < total {
			scale = max(avail, 0) / total
		}
	}
	x := float32(0)
	for i, o := range objs {
		w := c.width(i) * scale
		if c.shrink {
			w = max(w, min(c.width(i), o.MinSize().Width))
		}
		if i == len(objs)-1 {
			w = max(w, size.Width-x)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + fixedColsPad
	}
}

var _ fyne.Layout = (*fixedCols)(nil)
