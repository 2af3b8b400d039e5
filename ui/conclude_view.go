package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/rules"
)

// The read-only parts of an exam that the 主检, 审核 and 发放 screens show alike.

// wrapLabel returns a label that wraps words.
func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// examHeaderText is who was examined, for which hazards, and where the exam stands.
func examHeaderText(env *Env, b *examBundle) string {
	e, w := b.exam, b.worker
	var s strings.Builder
	s.WriteString("体检号 " + e.Number + "　" + w.Name + "　" + w.Sex.Name())
	if a := ageOn(w.BirthDate, e.Date); a > 0 {
		s.WriteString("　" + strconv.Itoa(a) + " 岁")
	}
	s.WriteString("　" + w.IDNumber + "\n")
	s.WriteString(b.employer.Name)
	if e.Workshop != "" {
		s.WriteString("　" + e.Workshop)
	}
	if e.JobName != "" {
		s.WriteString("　" + e.JobName)
	}
	s.WriteString("\n" + e.Type.Name() + "职业健康检查" + recheckMark(e) + "　" + formatDate(e.Date) +
		"　GBZ 188-" + e.Edition + "　危害因素：" + strings.Join(hazardNames(catalogsOf(env.Services), e.Hazards), "、") +
		"　状态：" + e.State.Name())
	if ed := recordOf(e).Edition; ed > 0 {
		s.WriteString("（第 " + strconv.Itoa(ed) + " 版）")
	}
	return s.String()
}

// inquiryText summarises the 问诊.
func inquiryText(in *app.Inquiry) string {
	if in == nil {
		return "尚未问诊"
	}
	var parts []string
	for _, h := range in.History {
		to := "至今"
		if !h.To.IsZero() {
			to = formatDate(h.To)
		}
		parts = append(parts, "职业史："+formatDate(h.From)+"—"+to+" "+strings.TrimSpace(h.Employer+" "+h.Workshop+" "+h.Job))
	}
	if in.PastHistory != "" {
		parts = append(parts, "既往史："+in.PastHistory)
	}
	if in.OccupationalDiseaseHistory != "" {
		parts = append(parts, "职业病史："+in.OccupationalDiseaseHistory)
	}
	parts = append(parts, "吸烟："+habitText(in.Smoking, "支")+"；饮酒："+habitText(in.Drinking, "mL"))
	var sym []string
	for _, a := range in.Symptoms {
		if a.Present {
			t := a.Name
			if a.Degree != "" {
				t += "（" + a.Degree + "）"
			}
			sym = append(sym, t)
		}
	}
	if len(sym) > 0 {
		parts = append(parts, "自觉症状："+strings.Join(sym, "、"))
	} else if len(in.Symptoms) > 0 {
		parts = append(parts, "自觉症状：无")
	}
	if in.Note != "" {
		parts = append(parts, "备注："+in.Note)
	}
	return strings.Join(parts, "\n")
}

func habitText(h app.Habit, unit string) string {
	n := app.HabitNames[h.Status]
	if n == "" {
		return "未问"
	}
	if h.PerDay > 0 {
		n += " " + strconv.Itoa(h.PerDay) + unit + "/日"
	}
	if h.Years > 0 {
		n += " " + strconv.Itoa(h.Years) + " 年"
	}
	return n
}

// itemName returns the name of a national item code (from the range kept with a result,
// else the items catalog).
func itemName(env *Env, r app.Result) string {
	if r.Range.Name != "" {
		return r.Range.Name
	}
	if cs := catalogsOf(env.Services); cs != nil {
		if n, ok := cs.CodeName(app.CatalogItems, r.ItemCode); ok {
			return n
		}
	}
	return r.ItemCode
}

// resultText is one result as the chief examiner reads it: value, unit, flag and range.
func resultText(r app.Result) string {
	switch r.Status {
	case app.ResultRefused:
		return "弃检"
	case app.ResultMissing:
		return "未检"
	}
	s := r.Value
	if r.Unit != "" {
		s += " " + r.Unit
	}
	if a := r.Flag.Arrow(); a != "" {
		s += " " + a
	}
	if r.Flag.Abnormal() {
		s += "（" + r.Flag.Name() + "）"
	}
	ref := r.Range.Text
	if r.Kind == app.ResultNumeric && (r.Range.Low != nil || r.Range.High != nil) {
		ref = app.FormatBounds(r.Range.Low, r.Range.High)
	}
	if ref != "" {
		s += "　参考 " + ref
	}
	return s
}

// resultsView lists the results grouped by department in the order of the exam's items,
// abnormal ones highlighted; it returns the view and the number of abnormal results.
func resultsView(env *Env, t *rules.Table, e *app.Exam) (fyne.CanvasObject, int) {
	box := container.NewVBox()
	abnormal := 0
	byGroup := map[string][]app.Result{}
	for _, r := range orderedResults(t, e) {
		byGroup[r.GroupCode] = append(byGroup[r.GroupCode], r)
	}
	dept := ""
	shown := map[string]bool{}
	for _, it := range e.Items {
		if shown[it.GroupCode] {
			continue
		}
		shown[it.GroupCode] = true
		if it.Department != dept {
			dept = it.Department
			box.Add(heading(dept))
		}
		rs := byGroup[it.GroupCode]
		title := it.Name
		if !it.Required {
			title += "（选检）"
		}
		if len(rs) == 0 {
			l := widget.NewLabel(title + "：未录入")
			l.Importance = widget.LowImportance
			box.Add(l)
			continue
		}
		box.Add(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, r := range rs {
			name := itemName(env, r)
			if r.ItemCode == "" {
				name = "整组"
			}
			l := wrapLabel("　" + name + "　" + resultText(r))
			if r.Flag.Abnormal() {
				l.Importance = widget.DangerImportance
				abnormal++
			}
			box.Add(l)
		}
	}
	// Results of groups outside the exam's items (an import keyed by item code).
	var others []string
	for g := range byGroup {
		if !shown[g] {
			others = append(others, g)
		}
	}
	slices.Sort(others)
	for _, g := range others {
		rs := byGroup[g]
		name := g
		if t != nil {
			if grp, ok := t.GroupByCode(g); ok {
				name = grp.Name
			}
		}
		if name == "" {
			name = "其他"
		}
		box.Add(widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, r := range rs {
			l := wrapLabel("　" + itemName(env, r) + "　" + resultText(r))
			if r.Flag.Abnormal() {
				l.Importance = widget.DangerImportance
				abnormal++
			}
			box.Add(l)
		}
	}
	return box, abnormal
}

// orderedResults returns the results of an exam in the order of its item groups, and within
// a group in the order of the group's items (whole-group entries first).
func orderedResults(t *rules.Table, e *app.Exam) []app.Result {
	rs := slices.Clone(recordOf(e).Results)
	groupPos := map[string]int{}
	for i, it := range e.Items {
		if _, ok := groupPos[it.GroupCode]; !ok {
			groupPos[it.GroupCode] = i
		}
	}
	itemPos := func(r app.Result) int {
		if r.ItemCode == "" {
			return -1
		}
		if t != nil {
			if g, ok := t.GroupByCode(r.GroupCode); ok {
				if i := slices.Index(g.Items, r.ItemCode); i >= 0 {
					return i
				}
			}
		}
		return 1 << 20
	}
	slices.SortStableFunc(rs, func(a, b app.Result) int {
		ga, oka := groupPos[a.GroupCode]
		gb, okb := groupPos[b.GroupCode]
		if !oka {
			ga = len(e.Items)
		}
		if !okb {
			gb = len(e.Items)
		}
		if ga != gb {
			return ga - gb
		}
		if a.GroupCode != b.GroupCode {
			return strings.Compare(a.GroupCode, b.GroupCode)
		}
		if pa, pb := itemPos(a), itemPos(b); pa != pb {
			return pa - pb
		}
		return strings.Compare(a.ItemCode, b.ItemCode)
	})
	return rs
}

// comparisonView shows this exam's results beside the same items of the earlier exams, and
// each exam's conclusions.
func comparisonView(env *Env, t *rules.Table, b *examBundle) fyne.CanvasObject {
	if len(b.earlier) == 0 {
		l := widget.NewLabel("该劳动者没有更早的体检记录。")
		l.Importance = widget.LowImportance
		return l
	}
	exams := append([]*app.Exam{b.exam}, b.earlier...)
	cols := 1 + len(exams)
	cell := func(s string, imp widget.Importance, bold bool) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
		l.Wrapping = fyne.TextWrapWord
		l.Importance = imp
		return l
	}
	grid := container.NewGridWithColumns(cols)
	grid.Add(cell("项目", widget.MediumImportance, true))
	for i, x := range exams {
		t := formatDate(x.Date) + " " + x.Type.Name()
		if i == 0 {
			t = "本次 " + t
		}
		grid.Add(cell(t, widget.MediumImportance, true))
	}
	// Items in the order this exam recorded them, then items only earlier exams have.
	var order []string
	names := map[string]string{}
	for _, x := range exams {
		for _, r := range orderedResults(t, x) {
			if r.ItemCode == "" {
				continue
			}
			if _, ok := names[r.ItemCode]; !ok {
				names[r.ItemCode] = itemName(env, r)
				order = append(order, r.ItemCode)
			}
		}
	}
	for _, code := range order {
		grid.Add(cell(names[code], widget.MediumImportance, false))
		for _, x := range exams {
			txt, imp := "—", widget.LowImportance
			rec := recordOf(x)
			if r, ok := rec.ResultFor(groupOfItem(rec, code), code); ok {
				txt, imp = r.Value+" "+r.Flag.Arrow(), widget.MediumImportance
				if r.Status != app.ResultDone {
					txt = r.Status.Name()
				}
				if r.Flag.Abnormal() {
					imp = widget.DangerImportance
				}
			}
			grid.Add(cell(strings.TrimSpace(txt), imp, false))
		}
	}
	grid.Add(cell("结论", widget.MediumImportance, true))
	cats := catalogsOf(env.Services)
	for _, x := range exams {
		c := recordOf(x).Conclusion
		if c == nil || recordOf(x).Signature == nil && x != b.exam {
			grid.Add(cell("—", widget.LowImportance, false))
			continue
		}
		var lines []string
		for _, h := range c.Hazards {
			lines = append(lines, strings.Join(hazardNames(cats, []string{h.Hazard}), "")+"："+conclusionText(h))
		}
		if x == b.exam && recordOf(x).Signature == nil {
			lines = append(lines, "（草稿）")
		}
		grid.Add(cell(strings.Join(lines, "\n"), widget.MediumImportance, false))
	}
	return grid
}

// conclusionSummary words a conclusion for a dialog or a read-only view.
func conclusionSummary(env *Env, e *app.Exam) string {
	rec := recordOf(e)
	c := rec.Conclusion
	if c == nil {
		return "尚无主检结论"
	}
	cats := catalogsOf(env.Services)
	var lines []string
	for _, h := range c.Hazards {
		line := strings.Join(hazardNames(cats, []string{h.Hazard}), "") + "：" + conclusionText(h)
		if h.Basis != "" {
			line += "\n　依据：" + h.Basis
		}
		lines = append(lines, line)
	}
	if c.Recheck != nil {
		lines = append(lines, "复查："+formatDate(c.Recheck.Date)+" 前复查 "+groupNames(e, c.Recheck.Groups)+recheckReason(c.Recheck))
	}
	if c.Advice != "" {
		lines = append(lines, "主检建议："+c.Advice)
	}
	if s := rec.Signature; s != nil {
		lines = append(lines, "主检医师："+s.Name+"　"+formatDateTime(s.At)+"　"+s.Qualification)
	}
	if s := rec.Review; s != nil {
		lines = append(lines, "审核医师："+s.Name+"　"+formatDateTime(s.At))
	}
	return strings.Join(lines, "\n")
}

func recheckReason(r *app.RecheckOrder) string {
	if r.Reason == "" {
		return ""
	}
	return "（" + r.Reason + "）"
}

// groupNames names item groups of an exam by code.
func groupNames(e *app.Exam, codes []string) string {
	var out []string
	for _, c := range codes {
		n := c
		for _, it := range e.Items {
			if it.GroupCode == c {
				n = it.Name
				break
			}
		}
		out = append(out, n)
	}
	return strings.Join(out, "、")
}

// formatDateTime shows a moment to the minute in the local time.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// examDetail is the whole exam read-only: header, inquiry, results by department, earlier
// exams side by side, plan notes and missing items.
func examDetail(env *Env, t *rules.Table, b *examBundle) fyne.CanvasObject {
	e := b.exam
	box := container.NewVBox(wrapLabel(examHeaderText(env, b)))
	if miss := missingGroups(t, e); len(miss) > 0 && e.State.Editable() {
		l := wrapLabel("缺少结果（未录入也未弃检）：" + strings.Join(miss, "、"))
		l.Importance = widget.DangerImportance
		box.Add(l)
	}
	for _, n := range e.PlanNotes {
		l := wrapLabel("规划提示：" + n)
		l.Importance = widget.WarningImportance
		box.Add(l)
	}
	box.Add(widget.NewSeparator())
	box.Add(heading("问诊"))
	box.Add(wrapLabel(inquiryText(recordOf(e).Inquiry)))
	box.Add(widget.NewSeparator())
	res, n := resultsView(env, t, e)
	title := "检查结果"
	if n > 0 {
		title += "（异常 " + strconv.Itoa(n) + " 项）"
	}
	box.Add(heading(title))
	box.Add(res)
	box.Add(widget.NewSeparator())
	box.Add(heading("历次体检对比"))
	box.Add(comparisonView(env, t, b))
	return box
}
