package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_calendar", Group: "系统管理", Title: "工作日历", Order: 80,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "CalendarService.SaveCalendar",
		New:    func(env *Env) fyne.CanvasObject { return newCalendarScreen(env).content() },
	})
}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// formatDay shows a day with its weekday, e.g. 2026-10-10 星期六.
func formatDay(t time.Time) string { return formatDate(t) + " " + weekdayNames[t.Weekday()] }

// calendarScreen edits the working-day calendar one year at a time: the days off (放假, weekend
// days inside a holiday run included) and the weekend days worked (调休上班), whether the year is
// complete (then deadlines in it count these days; otherwise plain weekends), and the source.
type calendarScreen struct {
	env  *Env
	cal  app.Calendar // the working copy, saved as a whole
	year int

	yearSel  *widget.Select
	addYear  *widget.Button
	fromText *widget.Button
	// the 从通知读入 dialog, kept for tests
	noticeDlg  *adminDialog
	noticeText *widget.Entry
	covered    *widget.Check
	holidays   []time.Time // of year, sorted
	workdays   []time.Time
	holList    *widget.List
	workList   *widget.List
	holSel     int
	workSel    int

	holEntry, workEntry *widget.Entry
	holAdd, workAdd     *widget.Button
	holDel, workDel     *widget.Button
	source              *widget.Entry
	coverage            *widget.Label
	tryEnd              *widget.Entry
	tryBtn              *widget.Button
	tryOut              *widget.Label
	msg                 *widget.Label
	save                *widget.Button
}

func newCalendarScreen(env *Env) *calendarScreen {
	v := &calendarScreen{env: env, holSel: -1, workSel: -1}
	v.yearSel = widget.NewSelect(nil, func(s string) {
		if y, err := strconv.Atoi(strings.TrimSuffix(s, " 年")); err == nil {
			v.showYear(y)
		}
	})
	v.addYear = widget.NewButton("增加下一年", v.addNextYear)
	v.fromText = widget.NewButton("从通知原文读入…", v.showNotice)
	v.covered = widget.NewCheck("本年放假安排已按国务院办公厅通知完整录入（期限按本页计算）", nil) // showYear binds it
	v.holList = widget.NewList(func() int { return len(v.holidays) }, func() fyne.CanvasObject { return widget.NewLabel("2026-10-01 星期四") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(formatDay(v.holidays[id])) })
	v.workList = widget.NewList(func() int { return len(v.workdays) }, func() fyne.CanvasObject { return widget.NewLabel("2026-10-01 星期四") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(formatDay(v.workdays[id])) })
	v.holList.OnSelected = func(id widget.ListItemID) { v.holSel = id; v.holDel.Enable() }
	v.holList.OnUnselected = func(widget.ListItemID) { v.holSel = -1; v.holDel.Disable() }
	v.workList.OnSelected = func(id widget.ListItemID) { v.workSel = id; v.workDel.Enable() }
	v.workList.OnUnselected = func(widget.ListItemID) { v.workSel = -1; v.workDel.Disable() }

	v.holEntry, v.workEntry = widget.NewEntry(), widget.NewEntry()
	v.holEntry.SetPlaceHolder("如 2027-10-01，或一段：2027-10-01 至 2027-10-07")
	v.workEntry.SetPlaceHolder("如 2027-09-26（周六或周日）")
	// Enter adds the typed day to its list (dates are typed without an input method); it never
	// saves: saving is the button or Ctrl+S.
	v.holEntry.OnSubmitted = func(string) { v.addHoliday() }
	v.workEntry.OnSubmitted = func(string) { v.addWorkday() }
	v.holAdd = widget.NewButton("添加放假日", v.addHoliday)
	v.workAdd = widget.NewButton("添加调休上班日", v.addWorkday)
	v.holDel = widget.NewButton("删除所选", func() { v.remove(true) })
	v.workDel = widget.NewButton("删除所选", func() { v.remove(false) })
	v.holDel.Disable()
	v.workDel.Disable()

	v.source = widget.NewMultiLineEntry()
	v.source.SetMinRowsVisible(2)
	v.source.Wrapping = fyne.TextWrapWord
	v.source.SetPlaceHolder("依据：国务院办公厅关于某年部分节假日安排的通知（文号、日期）")
	v.coverage = widget.NewLabel("")
	v.coverage.Wrapping = fyne.TextWrapWord
	v.tryEnd = widget.NewEntry()
	v.tryEnd.SetPlaceHolder("体检结束日，如 2026-09-18")
	v.tryEnd.OnSubmitted = func(string) { v.try() }
	v.tryBtn = widget.NewButton("试算报告期限", v.try)
	v.tryOut = widget.NewLabel("")
	v.tryOut.Wrapping = fyne.TextWrapWord
	v.msg = newMsg()
	v.save = widget.NewButton("保存（Ctrl+S）", v.saveNow)
	v.save.Importance = widget.HighImportance
	v.load()
	env.Focus = v.holEntry
	return v
}

// load reads the calendar in force (the stored one, else the bundled one) and shows the year of
// the services' clock.
func (v *calendarScreen) load() {
	c, err := v.env.Services.Calendar.Calendar(v.env.Ctx)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	v.cal = *c
	v.cal.Holidays = slices.Clone(c.Holidays)
	v.cal.Workdays = slices.Clone(c.Workdays)
	v.cal.Years = slices.Clone(c.Years)
	v.source.SetText(c.Source)
	y := v.env.Now().Year()
	if v.year != 0 {
		y = v.year
	}
	v.refreshYears(y)
}

// yearsShown are the years with data, the clock's year and the next.
func (v *calendarScreen) yearsShown(extra ...int) []int {
	ys := slices.Clone(v.cal.Years)
	for _, d := range append(slices.Clone(v.cal.Holidays), v.cal.Workdays...) {
		ys = append(ys, d.Year())
	}
	now := v.env.Now().Year()
	ys = append(append(ys, now, now+1), extra...)
	slices.Sort(ys)
	return slices.Compact(ys)
}

func (v *calendarScreen) refreshYears(show int, extra ...int) {
	var opts []string
	for _, y := range v.yearsShown(append(extra, show)...) {
		opts = append(opts, fmt.Sprintf("%d 年", y))
	}
	v.yearSel.Options = opts
	v.yearSel.SetSelected(fmt.Sprintf("%d 年", show)) // calls showYear
	v.yearSel.Refresh()
}

func (v *calendarScreen) addNextYear() {
	ys := v.yearsShown()
	next := ys[len(ys)-1] + 1
	v.refreshYears(next, next)
	setNote(v.msg, fmt.Sprintf("已增加 %d 年：请按国务院办公厅的通知录入放假日和调休上班日，勾选“已完整录入”后保存。", next))
}

func (v *calendarScreen) showYear(y int) {
	v.year = y
	v.holidays = daysOfYear(v.cal.Holidays, y)
	v.workdays = daysOfYear(v.cal.Workdays, y)
	v.holList.UnselectAll()
	v.workList.UnselectAll()
	v.holList.Refresh()
	v.workList.Refresh()
	v.covered.OnChanged, v.covered.Checked = nil, slices.Contains(v.cal.Years, y)
	v.covered.Refresh()
	v.covered.OnChanged = func(on bool) {
		has := slices.Contains(v.cal.Years, v.year)
		if on && !has {
			v.cal.Years = append(v.cal.Years, v.year)
			slices.Sort(v.cal.Years)
		} else if !on && has {
			v.cal.Years = slices.DeleteFunc(v.cal.Years, func(y int) bool { return y == v.year })
		}
		v.showCoverage()
	}
	v.showCoverage()
}

func daysOfYear(ds []time.Time, y int) []time.Time {
	var out []time.Time
	for _, d := range ds {
		if d.Year() == y {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// calendarWarning is the sentence that says where the data ends ("" when the calendar covers
// the next year).
func calendarWarning(cal *app.Calendar, now time.Time) string {
	last := app.CalendarLastYear(cal)
	switch {
	case last == 0:
		return "工作日历没有任何年份的放假安排，期限只按周末计算。"
	case last <= now.Year():
		return fmt.Sprintf("数据只到 %d 年，之后只按周末计算。", last)
	}
	return ""
}

func (v *calendarScreen) showCoverage() {
	var ys []string
	for _, y := range v.cal.Years {
		ys = append(ys, strconv.Itoa(y))
	}
	text := "已完整录入的年份：无。"
	if len(ys) > 0 {
		text = "已完整录入的年份：" + strings.Join(ys, "、") + "。"
	}
	if w := calendarWarning(&v.cal, v.env.Now()); w != "" {
		setWarn(v.coverage, text+w+"国务院办公厅一般在每年 11 月公布下一年的安排，公布后请在此录入。")
		return
	}
	setNote(v.coverage, text)
}

// parseDays reads one day or a range "A 至 B" (also 到, ~, ～).
func parseDays(s string) ([]time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, app.FieldError("日期", "请输入日期")
	}
	var from, to string
	for _, sep := range []string{"至", "到", "～", "~"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			from, to = a, b
			break
		}
	}
	if from == "" && to == "" {
		from, to = s, s
	}
	a, err := parseDate(from)
	if err != nil {
		return nil, err
	}
	b, err := parseDate(to)
	if err != nil {
		return nil, err
	}
	if b.Before(a) {
		return nil, app.Errorf(app.EINVALID, "%s 早于 %s，请把较早的日期写在前面", formatDate(b), formatDate(a))
	}
	if b.Sub(a) > 31*24*time.Hour {
		return nil, app.Errorf(app.EINVALID, "一段放假不会超过一个月，请核对 %s 至 %s", formatDate(a), formatDate(b))
	}
	var out []time.Time
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out, nil
}

func containsDay(ds []time.Time, d time.Time) bool {
	return slices.ContainsFunc(ds, func(x time.Time) bool { return sameDate(x, d) })
}

// sameDate compares the date fields of two days, each in its own location.
func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func (v *calendarScreen) addHoliday() {
	days, err := parseDays(v.holEntry.Text)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	added := 0
	for _, d := range days {
		if d.Year() != v.year {
			setMsg(v.msg, fmt.Sprintf("%s 不在 %d 年：请先在上方选择该年份", formatDate(d), v.year))
			return
		}
		if containsDay(v.cal.Workdays, d) {
			setMsg(v.msg, fmt.Sprintf("%s 已登记为调休上班日，不能同时是放假日", formatDate(d)))
			return
		}
	}
	for _, d := range days {
		if !containsDay(v.cal.Holidays, d) {
			v.cal.Holidays = append(v.cal.Holidays, d)
			added++
		}
	}
	v.holEntry.SetText("")
	v.showYear(v.year)
	setNote(v.msg, fmt.Sprintf("已添加 %d 个放假日（尚未保存）。", added))
}

func (v *calendarScreen) addWorkday() {
	days, err := parseDays(v.workEntry.Text)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	for _, d := range days {
		if d.Year() != v.year {
			setMsg(v.msg, fmt.Sprintf("%s 不在 %d 年：请先在上方选择该年份", formatDate(d), v.year))
			return
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			setMsg(v.msg, fmt.Sprintf("%s 是%s，本来就是工作日；调休上班日只登记周六、周日", formatDate(d), weekdayNames[wd]))
			return
		}
		if containsDay(v.cal.Holidays, d) {
			setMsg(v.msg, fmt.Sprintf("%s 已登记为放假日，不能同时是调休上班日", formatDate(d)))
			return
		}
	}
	added := 0
	for _, d := range days {
		if !containsDay(v.cal.Workdays, d) {
			v.cal.Workdays = append(v.cal.Workdays, d)
			added++
		}
	}
	v.workEntry.SetText("")
	v.showYear(v.year)
	setNote(v.msg, fmt.Sprintf("已添加 %d 个调休上班日（尚未保存）。", added))
}

func (v *calendarScreen) remove(holiday bool) {
	list, sel := &v.cal.Workdays, v.workSel
	shown := v.workdays
	if holiday {
		list, sel, shown = &v.cal.Holidays, v.holSel, v.holidays
	}
	if sel < 0 || sel >= len(shown) {
		return
	}
	d := shown[sel]
	*list = slices.DeleteFunc(*list, func(x time.Time) bool { return sameDate(x, d) })
	v.showYear(v.year)
	setNote(v.msg, fmt.Sprintf("已删除 %s（尚未保存）。", formatDay(d)))
}

// showNotice asks for the text of the State Council's notice of the year shown and reads its
// days off and make-up workdays into the lists (not saved: the administrator checks them).
func (v *calendarScreen) showNotice() {
	v.noticeText = widget.NewMultiLineEntry()
	v.noticeText.Wrapping = fyne.TextWrapWord
	v.noticeText.SetMinRowsVisible(12)
	v.noticeText.SetPlaceHolder("把《国务院办公厅关于" + strconv.Itoa(v.year) + "年部分节假日安排的通知》的正文复制到这里（从“一、元旦”起即可）")
	v.noticeDlg = newAdminDialog(v.env.Window, fmt.Sprintf("从通知原文读入 %d 年放假安排", v.year), "读入", v.noticeText, func() error {
		return v.readNotice(v.noticeText.Text)
	})
	v.noticeDlg.show(760)
}

// readNotice adds the days of a notice's text to the calendar of the year shown.
func (v *calendarScreen) readNotice(text string) error {
	hol, work, err := app.ParseHolidayNotice(v.year, text, time.UTC)
	if err != nil {
		return app.Errorf(app.EINVALID, "没有从文字中读出日期：请复制通知中“一、元旦：……”起的各条（每条写明几月几日放假、几月几日上班）")
	}
	for _, d := range work {
		if containsDay(v.cal.Holidays, d) && !containsDay(hol, d) {
			return app.Errorf(app.EINVALID, "%s 已登记为放假日，通知却写它上班：请先在列表中删除", formatDate(d))
		}
	}
	for _, d := range hol {
		if containsDay(v.cal.Workdays, d) && !containsDay(work, d) {
			return app.Errorf(app.EINVALID, "%s 已登记为调休上班日，通知却写它放假：请先在列表中删除", formatDate(d))
		}
		if containsDay(work, d) {
			return app.Errorf(app.EINVALID, "通知中 %s 既放假又上班，请核对原文", formatDate(d))
		}
	}
	nh, nw := 0, 0
	for _, d := range hol {
		if !containsDay(v.cal.Holidays, d) {
			v.cal.Holidays = append(v.cal.Holidays, d)
			nh++
		}
	}
	for _, d := range work {
		if !containsDay(v.cal.Workdays, d) {
			v.cal.Workdays = append(v.cal.Workdays, d)
			nw++
		}
	}
	v.showYear(v.year)
	setWarn(v.msg, fmt.Sprintf("从通知读入放假日 %d 天、调休上班日 %d 天（尚未保存）。请逐日与通知核对，勾选“已完整录入”，填写依据后保存。", nh, nw))
	return nil
}

// try shows the report deadline of an exam ending on the typed day, by the calendar as edited.
func (v *calendarScreen) try() {
	end, err := parseDate(v.tryEnd.Text)
	if err == nil && end.IsZero() {
		err = app.FieldError("体检结束日", "请输入日期")
	}
	if err != nil {
		setMsg(v.tryOut, app.ErrorMessage(err))
		return
	}
	due, weekendsOnly := app.ReportDue(&v.cal, end)
	text := fmt.Sprintf("体检 %s 结束，报告期限为 %s（自次日起第 %d 个工作日）。", formatDate(end), formatDay(due), app.ReportDueWorkingDays)
	if weekendsOnly {
		setWarn(v.tryOut, text+"其中有未录入放假安排的年份，只按周末计算。")
		return
	}
	setNote(v.tryOut, text)
}

func (v *calendarScreen) saveNow() {
	c := v.cal
	c.Source = strings.TrimSpace(v.source.Text)
	if c.Source == "" {
		setMsg(v.msg, "依据：请填写放假安排的来源（国务院办公厅通知的名称、文号或日期）")
		return
	}
	if err := v.env.Services.Calendar.SaveCalendar(v.env.Ctx, c); err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	v.load()
	setNote(v.msg, "已保存。报告期限从现在起按新的工作日历计算。")
}

func (v *calendarScreen) content() fyne.CanvasObject {
	v.env.setActions(v.saveNow, nil)
	help := widget.NewLabel("报告期限为体检结束后第 30 个工作日：结束当天不算，从次日起数工作日；放假日（含放假期间的周六、周日）不算，调休上班的周六、周日算。")
	help.Wrapping = fyne.TextWrapWord
	col := func(title string, list *widget.List, entry *widget.Entry, add, del *widget.Button) fyne.CanvasObject {
		top := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewBorder(nil, nil, nil, add, entry))
		return container.NewBorder(top, adminRow(del), nil, nil, list)
	}
	lists := container.NewGridWithColumns(2,
		col("放假日", v.holList, v.holEntry, v.holAdd, v.holDel),
		col("调休上班日（周六、周日上班）", v.workList, v.workEntry, v.workAdd, v.workDel))
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading("工作日历"), v.save),
		help,
		adminRow(widget.NewLabel("年份"), withWidth(120, v.yearSel), v.addYear, v.fromText),
		v.covered,
		v.coverage,
		v.msg,
	)
	bottom := container.NewVBox(
		widget.NewSeparator(),
		formGrid(
			formRow{label: "依据", field: v.source},
			formRow{label: "试算", field: container.NewBorder(nil, nil, nil, v.tryBtn, v.tryEnd)},
		),
		v.tryOut,
	)
	return container.NewBorder(top, bottom, nil, nil, lists)
}
