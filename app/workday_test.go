package app_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"occhealth/app"
)

// bundledCalendar reads the bundled calendar file (the app package may not import assets).
func bundledCalendar(t *testing.T) *app.Calendar {
	t.Helper()
	b, err := os.ReadFile("../assets/calendar/cn-workdays.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := app.LoadCalendar(b, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLoadCalendar(t *testing.T) {
	c := bundledCalendar(t)
	if len(c.Years) != 2 || c.Years[0] != 2025 || c.Years[1] != 2026 {
		t.Errorf("years %v, want [2025 2026]", c.Years)
	}
	// 2025: 1+8+3+5+3+8 days off; 2026: 3+9+3+5+3+3+7.
	if len(c.Holidays) != 28+33 {
		t.Errorf("%d holidays, want 61", len(c.Holidays))
	}
	if len(c.Workdays) != 5+6 {
		t.Errorf("%d make-up workdays, want 11", len(c.Workdays))
	}
	if !strings.Contains(c.Source, "国办发明电〔2024〕12号") {
		t.Errorf("source %q", c.Source)
	}
	for _, tc := range []struct{ name, json, want string }{
		{"weekday make-up", `{"years":[{"year":2026,"workdays":["2026-10-09"]}]}`, "weekday"},
		{"both", `{"years":[{"year":2026,"holidays":[{"name":"x","from":"2026-10-10","to":"2026-10-10"}],"workdays":["2026-10-10"]}]}`, "both"},
		{"other year", `{"years":[{"year":2026,"workdays":["2027-01-02"]}]}`, "another year"},
		{"reversed", `{"years":[{"year":2026,"holidays":[{"name":"国庆","from":"2026-10-07","to":"2026-10-01"}]}]}`, "ends before"},
		{"bad day", `{"years":[{"year":2026,"workdays":["2026-02-30"]}]}`, "2026-02-30"},
		{"twice", `{"years":[{"year":2026},{"year":2026}]}`, "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := app.LoadCalendar([]byte(tc.json), time.UTC)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := bundledCalendar(t)
	for _, tc := range []struct {
		day  string
		want bool
	}{
		{"2026-10-01", false}, // 国庆 (Thu)
		{"2026-10-07", false}, // 国庆 (Wed)
		{"2026-10-08", true},  // Thu after
		{"2026-10-10", true},  // 调休 Saturday
		{"2026-10-11", false}, // ordinary Sunday
		{"2026-09-20", true},  // 调休 Sunday
		{"2026-02-14", true},  // 调休 Saturday before 春节
		{"2026-02-16", false}, // 春节 Monday
		{"2026-02-23", false}, // 春节 last day (Mon)
		{"2026-02-24", true},
		{"2026-02-28", true}, // 调休 Saturday after 春节
		{"2025-10-08", false},
		{"2025-10-11", true},
		{"2025-01-26", true},
		{"2026-11-30", true},
		{"2026-12-05", false},
		{"2027-01-01", true}, // no data for 2027: a plain Friday
	} {
		if got := app.IsWorkingDay(c, d(tc.day)); got != tc.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tc.day, got, tc.want)
		}
	}
	// The day is read in its own location: midnight in Beijing is the previous day in UTC.
	bj := time.FixedZone("CST", 8*3600)
	if app.IsWorkingDay(c, time.Date(2026, 10, 8, 0, 0, 0, 0, bj)) != true {
		t.Error("2026-10-08 00:00 CST is a working day")
	}
	if app.IsWorkingDay(nil, d("2026-10-01")) != true {
		t.Error("without a calendar only weekends rest")
	}
}

func TestReportDue(t *testing.T) {
	c := bundledCalendar(t)
	// Counted by hand on the printed calendar: the day after the end is the first that may
	// count; holidays and plain weekends do not count, 调休 Saturdays and Sundays do.
	for _, tc := range []struct {
		name, end, due string
		weekendsOnly   bool
	}{
		// 9-20 (Sun, 调休) is day 1, 中秋 9-25…27 and 国庆 10-1…7 skipped, 10-10 (Sat) counts.
		{"国庆 2026", "2026-09-18", "2026-11-05", false},
		// 2-14 (Sat) is day 11, 春节 2-15…23 skipped, 2-28 (Sat) is day 16.
		{"春节 2026", "2026-01-30", "2026-03-19", false},
		// Ends on a holiday: 10-8 is day 1.
		{"ends in 国庆", "2026-10-03", "2026-11-17", false},
		{"国庆 2025", "2025-09-26", "2025-11-13", false},
		{"春节 2025", "2025-01-24", "2025-03-13", false},
		// Runs into 2027, which the data does not cover: 1-1 is counted as a plain Friday.
		{"past the data", "2026-12-01", "2027-01-12", true},
		{"today", "2026-11-30", "2027-01-11", true},
		// 2024 is not covered; 2025-01-01 (元旦) is.
		{"before the data", "2024-12-02", "2025-01-14", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, wo := app.ReportDue(c, d(tc.end))
			if got.Format("2006-01-02") != tc.due || wo != tc.weekendsOnly {
				t.Errorf("ReportDue(%s) = %s %v, want %s %v", tc.end, got.Format("2006-01-02"), wo, tc.due, tc.weekendsOnly)
			}
			if !app.IsWorkingDay(c, got) {
				t.Errorf("due day %s is not a working day", got.Format("2006-01-02"))
			}
			if n := app.WorkingDaysBetween(c, d(tc.end), got); n != app.ReportDueWorkingDays {
				t.Errorf("WorkingDaysBetween(end, due) = %d", n)
			}
		})
	}
	if got, _ := app.AddWorkingDays(c, d("2026-10-09"), 1); got.Format("2006-01-02") != "2026-10-10" {
		t.Errorf("next working day after 10-09 = %s, want the 调休 Saturday", got.Format("2006-01-02"))
	}
	if got, _ := app.AddWorkingDays(c, d("2026-10-09"), 0); got.Format("2006-01-02") != "2026-10-09" {
		t.Errorf("0 working days = %s", got.Format("2006-01-02"))
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := bundledCalendar(t)
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-11-30", "2026-11-30", 0},
		{"2026-11-27", "2026-11-30", 1},  // Fri → Mon
		{"2026-11-30", "2026-11-27", -1}, // missed by one working day
		{"2026-09-30", "2026-10-09", 2},  // 10-8, 10-9
		{"2026-10-09", "2026-09-30", -2},
		{"2026-02-13", "2026-03-02", 7}, // 2-14, 2-24…27, 2-28, 3-2
	} {
		if got := app.WorkingDaysBetween(c, d(tc.from), d(tc.to)); got != tc.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestCalendarLastYear(t *testing.T) {
	if got := app.CalendarLastYear(bundledCalendar(t)); got != 2026 {
		t.Errorf("last year %d", got)
	}
	if app.CalendarLastYear(nil) != 0 || app.CalendarCovers(nil, 2026) {
		t.Error("nil calendar")
	}
}

// The holiday sections of the two notices, as published (with the 2025 notice's preamble,
// whose 1月1日 and 10月1日 must not be read as days), and the closing paragraph and date.
const (
	notice2025 = `经党中央、国务院批准，根据2024年11月修订的《全国年节及纪念日放假办法》，自2025年1月1日起，全体公民放假的假日增加2天，其中春节、劳动节各增加1天。据此对放假调休原则作进一步优化完善，除个别特殊情形外，春节自农历除夕起放假调休8天，国庆节自10月1日起放假调休7天，劳动节放假调休5天，元旦、清明节、端午节、中秋节分别放假调休或连休3天（如逢周三则只在当日放假），国庆节放假如逢中秋节则合并放假8天。

按照上述原则，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。

一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。

节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2024年11月12日`
	notice2026 = `一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日`
)

func TestParseHolidayNotice(t *testing.T) {
	c := bundledCalendar(t)
	of := func(ds []time.Time, y int) string {
		var s []string
		for _, d := range ds {
			if d.Year() == y {
				s = append(s, d.Format("01-02"))
			}
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		year int
		text string
	}{{2025, notice2025}, {2026, notice2026}} {
		h, w, err := app.ParseHolidayNotice(tc.year, tc.text, time.UTC)
		if err != nil {
			t.Fatalf("%d: %v", tc.year, err)
		}
		if of(h, tc.year) != of(c.Holidays, tc.year) || len(h) != len(strings.Fields(of(c.Holidays, tc.year))) {
			t.Errorf("%d holidays\n%s\nwant\n%s", tc.year, of(h, tc.year), of(c.Holidays, tc.year))
		}
		if of(w, tc.year) != of(c.Workdays, tc.year) || len(w) != len(strings.Fields(of(c.Workdays, tc.year))) {
			t.Errorf("%d workdays %s, want %s", tc.year, of(w, tc.year), of(c.Workdays, tc.year))
		}
	}
	// The whole notice on one line, and an older form with 补休 and a day of the year before.
	h, w, err := app.ParseHolidayNotice(2019, "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。二、清明节：4月5日放假，与周末连休。", time.UTC)
	if err != nil || len(h) != 4 || h[0].Format("2006-01-02") != "2018-12-30" || h[3].Format("01-02") != "04-05" ||
		len(w) != 1 || w[0].Format("2006-01-02") != "2018-12-29" {
		t.Errorf("2019: %v %v %v", h, w, err)
	}
	h, _, err = app.ParseHolidayNotice(2015, "一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。二、清明节：4月5日放假，4月6日（星期一）补休。", time.UTC)
	if err != nil || len(h) != 5 || h[4].Format("01-02") != "04-06" {
		t.Errorf("补休: %v %v", h, err)
	}
	for _, bad := range []string{"", "放假安排另行通知。", "一、元旦：2月30日放假。", "一、元旦：1日至3日放假。"} {
		if _, _, err := app.ParseHolidayNotice(2027, bad, time.UTC); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
}
