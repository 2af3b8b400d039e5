package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"occhealth/app"
	"occhealth/assets"
)

// testCalendar is the bundled working-day calendar (2025–2026), as the program opens archives with.
func testCalendar(t testing.TB) *app.Calendar {
	t.Helper()
	c, err := app.LoadCalendar(assets.CalendarCN, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func dayList(ds []time.Time) string {
	var s []string
	for _, d := range ds {
		s = append(s, formatDate(d))
	}
	return strings.Join(s, ",")
}

// TestCalendarScreen_AddYear adds 2027 by typing its days, is refused where the days contradict
// each other, saves with the source, and finds the saved calendar after reloading the screen.
func TestCalendarScreen_AddYear(t *testing.T) {
	env := newIntakeEnv(t)
	v := newCalendarScreen(env)
	show(env, v.content())

	if env.Focus != v.holEntry {
		t.Error("the keyboard does not start in the day field")
	}
	// The bundled calendar is in force; the clock's year (2026) is shown.
	if v.year != 2026 || len(v.holidays) != 33 || len(v.workdays) != 6 || !v.covered.Checked {
		t.Fatalf("year %d: %d holidays, %d workdays, covered %v", v.year, len(v.holidays), len(v.workdays), v.covered.Checked)
	}
	if !strings.Contains(v.coverage.Text, "数据只到 2026 年，之后只按周末计算") {
		t.Errorf("coverage %q", v.coverage.Text)
	}
	// The trial deadline across 国庆 with its 调休 days.
	typeInto(v.tryEnd, "2026-09-18")
	test.Tap(v.tryBtn)
	if !strings.Contains(v.tryOut.Text, "2026-11-05 星期四") || strings.Contains(v.tryOut.Text, "只按周末") {
		t.Errorf("trial %q", v.tryOut.Text)
	}
	v.tryEnd.SetText("")
	typeInto(v.tryEnd, "2026-12-01")
	test.Tap(v.tryBtn)
	if !strings.Contains(v.tryOut.Text, "2027-01-12") || !strings.Contains(v.tryOut.Text, "只按周末计算") {
		t.Errorf("trial past the data %q", v.tryOut.Text)
	}
	saveShot(t, env.Window, "calendar-2026.png")

	// The clock's next year is offered; 增加下一年 offers the one after it.
	if len(v.yearSel.Options) != 3 || v.yearSel.Options[2] != "2027 年" {
		t.Fatalf("years offered %v", v.yearSel.Options)
	}
	test.Tap(v.addYear)
	if v.year != 2028 || v.yearSel.Options[3] != "2028 年" || !strings.Contains(v.msg.Text, "已增加 2028 年") {
		t.Fatalf("after 增加下一年: %d %v %q", v.year, v.yearSel.Options, v.msg.Text)
	}
	v.yearSel.SetSelected("2027 年")
	if v.year != 2027 || len(v.holidays) != 0 || v.covered.Checked || v.yearSel.Selected != "2027 年" {
		t.Fatalf("2027: year %d, %d holidays, covered %v, selected %q", v.year, len(v.holidays), v.covered.Checked, v.yearSel.Selected)
	}
	// A range of days off, a single day typed with Enter, and a made-up 2027 schedule's
	// make-up Saturday.
	typeInto(v.holEntry, "2027-10-01 至 2027-10-07")
	test.Tap(v.holAdd)
	typeInto(v.holEntry, "2027/1/1")
	v.holEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	typeInto(v.workEntry, "2027-10-09")
	test.Tap(v.workAdd)
	if dayList(v.holidays) != "2027-01-01,2027-10-01,2027-10-02,2027-10-03,2027-10-04,2027-10-05,2027-10-06,2027-10-07" || dayList(v.workdays) != "2027-10-09" {
		t.Fatalf("holidays %s workdays %s (msg %q)", dayList(v.holidays), dayList(v.workdays), v.msg.Text)
	}
	// Refusals, with what is wrong and where; the lists stay as they were.
	for _, tc := range []struct {
		entry interface{ SetText(string) }
		typed string
		tap   func()
		want  string
	}{
		{v.workEntry, "2027-10-08", func() { test.Tap(v.workAdd) }, "2027-10-08 是星期五，本来就是工作日"},
		{v.workEntry, "2027-10-02", func() { test.Tap(v.workAdd) }, "2027-10-02 已登记为放假日"},
		{v.holEntry, "2027-10-09", func() { test.Tap(v.holAdd) }, "2027-10-09 已登记为调休上班日"},
		{v.holEntry, "2026-12-31", func() { test.Tap(v.holAdd) }, "2026-12-31 不在 2027 年"},
		{v.holEntry, "2027-13-01", func() { test.Tap(v.holAdd) }, "2027-13-01 不是有效日期"},
		{v.holEntry, "十月一日", func() { test.Tap(v.holAdd) }, "不是日期"},
		{v.holEntry, "2027-10-07 至 2027-10-01", func() { test.Tap(v.holAdd) }, "请把较早的日期写在前面"},
	} {
		tc.entry.SetText(tc.typed)
		tc.tap()
		if !strings.Contains(v.msg.Text, tc.want) {
			t.Errorf("%s: message %q, want %q", tc.typed, v.msg.Text, tc.want)
		}
	}
	v.holEntry.SetText("")
	v.workEntry.SetText("")
	if len(v.holidays) != 8 || len(v.workdays) != 1 {
		t.Fatalf("a refusal changed the lists: %s / %s", dayList(v.holidays), dayList(v.workdays))
	}
	// Remove 1-1 again: select it and delete.
	v.holList.Select(0)
	test.Tap(v.holDel)
	if len(v.holidays) != 7 || containsDay(v.holidays, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("after delete: %s", dayList(v.holidays))
	}
	v.covered.SetChecked(true)
	if !strings.Contains(v.coverage.Text, "2025、2026、2027") || strings.Contains(v.coverage.Text, "只按周末") {
		t.Errorf("coverage %q", v.coverage.Text)
	}

	// Saving needs the source.
	v.source.SetText("")
	test.Tap(v.save)
	if !strings.Contains(v.msg.Text, "依据") {
		t.Fatalf("saved without a source: %q", v.msg.Text)
	}
	if c, _ := env.Services.Calendar.Calendar(env.Ctx); app.CalendarCovers(c, 2027) {
		t.Fatal("saved without a source")
	}
	typeInto(v.source, "国务院办公厅关于2027年部分节假日安排的通知（测试）")
	test.Tap(v.save)
	if !strings.Contains(v.msg.Text, "已保存") {
		t.Fatalf("save: %q", v.msg.Text)
	}
	saveShot(t, env.Window, "calendar-2027.png")

	c, err := env.Services.Calendar.Calendar(env.Ctx)
	if err != nil || !app.CalendarCovers(c, 2027) || c.Source != "国务院办公厅关于2027年部分节假日安排的通知（测试）" || c.UpdatedBy != testAdmin {
		t.Fatalf("stored %+v %v", c, err)
	}
	if app.IsWorkingDay(c, time.Date(2027, 10, 4, 0, 0, 0, 0, time.UTC)) || !app.IsWorkingDay(c, time.Date(2027, 10, 9, 0, 0, 0, 0, time.UTC)) {
		t.Error("stored days")
	}
	if len(c.Holidays) != 61+7 || len(c.Workdays) != 11+1 {
		t.Errorf("stored %d holidays, %d workdays", len(c.Holidays), len(c.Workdays))
	}

	// A new screen reads it back.
	v2 := newCalendarScreen(env)
	show(env, v2.content())
	v2.yearSel.SetSelected("2027 年")
	if dayList(v2.holidays) != "2027-10-01,2027-10-02,2027-10-03,2027-10-04,2027-10-05,2027-10-06,2027-10-07" || !v2.covered.Checked {
		t.Fatalf("reloaded %s covered %v", dayList(v2.holidays), v2.covered.Checked)
	}
	if strings.Contains(v2.coverage.Text, "只按周末") {
		t.Errorf("coverage after 2027 is in: %q", v2.coverage.Text)
	}
	// The audit log has the change.
	es, _, err := env.Services.Audit.FindAudit(env.Ctx, app.AuditFilter{Entity: "doc_settings"})
	if err != nil || len(es) != 1 || es[0].Action != "CalendarService.SaveCalendar" {
		t.Fatalf("audit %+v %v", es, err)
	}
}

// TestCalendarScreen_Forbidden: a doctor neither sees the screen nor can save a calendar.
func TestCalendarScreen_Forbidden(t *testing.T) {
	env := newIntakeEnv(t)
	doc := envAs(t, env, app.RoleExamDoctor)
	if err := doc.Services.Calendar.SaveCalendar(doc.Ctx, *testCalendar(t)); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("doctor saved the calendar: %v", err)
	}
	for _, s := range Screens() {
		if s.ID == "admin_calendar" && (len(s.Roles) != 1 || s.Roles[0] != app.RoleAdmin) {
			t.Errorf("roles %v", s.Roles)
		}
	}
}

// TestCalendarScreen_FromNotice pastes a notice's text (made up for 2027 here) and finds its
// days in the lists, unsaved; text without days and a contradiction are refused in the dialog.
func TestCalendarScreen_FromNotice(t *testing.T) {
	env := newIntakeEnv(t)
	v := newCalendarScreen(env)
	show(env, v.content())
	v.yearSel.SetSelected("2027 年")
	test.Tap(v.fromText)
	typeInto(v.noticeText, "放假安排另行通知。")
	test.Tap(v.noticeDlg.confirm)
	if !strings.Contains(v.noticeDlg.msg.Text, "没有从文字中读出日期") {
		t.Fatalf("dialog message %q", v.noticeDlg.msg.Text)
	}
	v.noticeText.SetText("一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。")
	saveShot(t, env.Window, "calendar-notice.png")
	test.Tap(v.noticeDlg.confirm)
	if dayList(v.holidays) != "2027-01-01,2027-01-02,2027-01-03,2027-10-01,2027-10-02,2027-10-03,2027-10-04,2027-10-05,2027-10-06,2027-10-07" ||
		dayList(v.workdays) != "2027-09-26,2027-10-09" {
		t.Fatalf("read %s / %s", dayList(v.holidays), dayList(v.workdays))
	}
	if !strings.Contains(v.msg.Text, "放假日 10 天、调休上班日 2 天（尚未保存）") || v.covered.Checked {
		t.Errorf("message %q, covered %v", v.msg.Text, v.covered.Checked)
	}
	if c, _ := env.Services.Calendar.Calendar(env.Ctx); len(c.Holidays) != 61 {
		t.Error("read into the store without saving")
	}
	// A notice that says a listed holiday is worked is refused until the day is removed.
	test.Tap(v.fromText)
	v.noticeText.SetText("二、国庆节：10月2日（周六）上班。")
	test.Tap(v.noticeDlg.confirm)
	if !strings.Contains(v.noticeDlg.msg.Text, "2027-10-02 已登记为放假日，通知却写它上班") {
		t.Errorf("dialog message %q", v.noticeDlg.msg.Text)
	}
}
