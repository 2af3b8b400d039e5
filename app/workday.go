package app

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Working days (REFERENCE §10). A period of N working days starts on the day after the event
// (民法典 第201条: the event's own day is not counted) and counts only working days: make-up
// workdays (调休上班) count, holidays and ordinary weekends do not. The N-th working day is the
// last day of the period; being a working day itself, it never needs the rest-day extension of
// 民法典 第203条.

// dayKey identifies a calendar day by its own date fields (a day stored in another time zone
// keeps its date).
func dayKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// CalendarCovers reports whether the calendar has data for the year.
func CalendarCovers(cal *Calendar, year int) bool {
	return cal != nil && slices.Contains(cal.Years, year)
}

// CalendarLastYear returns the last year the calendar covers, 0 when none.
func CalendarLastYear(cal *Calendar) int {
	if cal == nil || len(cal.Years) == 0 {
		return 0
	}
	return slices.Max(cal.Years)
}

// IsWorkingDay reports whether day is a working day: a make-up workday, or a weekday that is not
// a holiday. A nil calendar (or a year it does not cover) counts plain weekends.
func IsWorkingDay(cal *Calendar, day time.Time) bool {
	if cal != nil {
		k := dayKey(day)
		for _, w := range cal.Workdays {
			if dayKey(w) == k {
				return true
			}
		}
		for _, h := range cal.Holidays {
			if dayKey(h) == k {
				return false
			}
		}
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the n-th working day after from (the day after from is the first day
// that may count), at midnight in from's location. weekendsOnly is true when the count ran
// through a year the calendar does not cover, where only weekends were taken as rest days (the
// deadline must say so). n ≤ 0 returns from's day.
func AddWorkingDays(cal *Calendar, from time.Time, n int) (day time.Time, weekendsOnly bool) {
	y, m, d := from.Date()
	day = time.Date(y, m, d, 0, 0, 0, 0, from.Location())
	if !CalendarCovers(cal, y) && n > 0 {
		weekendsOnly = true
	}
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if !CalendarCovers(cal, day.Year()) {
			weekendsOnly = true
		}
		if IsWorkingDay(cal, day) {
			n--
		}
	}
	return day, weekendsOnly
}

// ReportDue returns the last day for the individual and summary reports of an exam round that
// ended on examEnd: the ReportDueWorkingDays-th working day after it. weekendsOnly as for
// AddWorkingDays.
func ReportDue(cal *Calendar, examEnd time.Time) (due time.Time, weekendsOnly bool) {
	return AddWorkingDays(cal, examEnd, ReportDueWorkingDays)
}

// WorkingDaysBetween counts the working days after from up to and including to; negative (the
// working days after to up to and including from) when to is before from. It tells how many
// working days are left until a due date (positive) or by how many it was missed (negative).
func WorkingDaysBetween(cal *Calendar, from, to time.Time) int {
	a, b := dayKey(from), dayKey(to)
	if a == b {
		return 0
	}
	sign := 1
	if b < a {
		from, to, sign = to, from, -1
		a, b = b, a
	}
	y, m, d := from.Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	n := 0
	for dayKey(day) < b {
		day = day.AddDate(0, 0, 1)
		if IsWorkingDay(cal, day) {
			n++
		}
	}
	return sign * n
}

// calendarFile is the bundled calendar's format (assets/calendar/cn-workdays.json).
type calendarFile struct {
	Source string `json:"source"`
	Years  []struct {
		Year     int    `json:"year"`
		Notice   string `json:"notice"`
		Holidays []struct {
			Name string `json:"name"`
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"holidays"`
		Workdays []string `json:"workdays"`
	} `json:"years"`
}

// LoadCalendar reads a calendar in the bundled format: per year, named holiday ranges and the
// make-up workdays. Days are midnight in loc (time.Local for the program). It refuses a file
// whose days lie outside their year, a range that ends before it starts, a make-up workday on a
// weekday or one that is also a holiday.
func LoadCalendar(data []byte, loc *time.Location) (*Calendar, error) {
	var f calendarFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	parse := func(s string, year int) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			return t, fmt.Errorf("calendar %d: day %q: %w", year, s, err)
		}
		if t.Year() != year {
			return t, fmt.Errorf("calendar %d: day %s lies in another year", year, s)
		}
		return t, nil
	}
	c := &Calendar{Source: f.Source}
	holiday := map[int]bool{}
	for _, y := range f.Years {
		if slices.Contains(c.Years, y.Year) {
			return nil, fmt.Errorf("calendar: year %d twice", y.Year)
		}
		c.Years = append(c.Years, y.Year)
		for _, h := range y.Holidays {
			from, err := parse(h.From, y.Year)
			if err != nil {
				return nil, err
			}
			to, err := parse(h.To, y.Year)
			if err != nil {
				return nil, err
			}
			if to.Before(from) {
				return nil, fmt.Errorf("calendar %d: %s ends before it starts", y.Year, h.Name)
			}
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				c.Holidays = append(c.Holidays, d)
				holiday[dayKey(d)] = true
			}
		}
		for _, s := range y.Workdays {
			d, err := parse(s, y.Year)
			if err != nil {
				return nil, err
			}
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, fmt.Errorf("calendar %d: make-up workday %s is a weekday", y.Year, s)
			}
			if holiday[dayKey(d)] {
				return nil, fmt.Errorf("calendar %d: %s is both a holiday and a make-up workday", y.Year, s)
			}
			c.Workdays = append(c.Workdays, d)
		}
	}
	slices.Sort(c.Years)
	return c, nil
}

// Reading the State Council's notice (国务院办公厅关于某年部分节假日安排的通知) as published:
// sections "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。".
var (
	noticeSection = regexp.MustCompile(`[一二三四五六七八九十]、`)
	noticeParens  = regexp.MustCompile(`（[^（）]*）|\([^()]*\)`)
	noticeDay     = regexp.MustCompile(`(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日`)
)

// ParseHolidayNotice reads the days off and the make-up workdays from the text of a State
// Council holiday notice for year (pasted as published, with or without the preamble): in each
// numbered section, a sentence that says 上班 lists make-up workdays; one that says 放假, 补休 or
// 休息 lists days off, as ranges "A至B" or single days. A day without a month takes the month
// before it in the sentence; without a year, year. Days are midnight in loc. It returns an
// error when the text has no numbered section with a day in it.
func ParseHolidayNotice(year int, text string, loc *time.Location) (holidays, workdays []time.Time, err error) {
	text = strings.NewReplacer("　", " ", "\r", "").Replace(text)
	// Parentheses first: 农历腊月二十八、周日 holds a section mark.
	text = noticeParens.ReplaceAllString(text, "")
	marks := noticeSection.FindAllStringIndex(text, -1)
	for i, m := range marks {
		end := len(text)
		if i+1 < len(marks) {
			end = marks[i+1][0]
		}
		section := text[m[1]:end]
		if j := strings.Index(section, "\n\n"); j >= 0 {
			section = section[:j]
		}
		for _, sentence := range strings.Split(strings.ReplaceAll(section, "\n", ""), "。") {
			work := strings.Contains(sentence, "上班")
			off := strings.Contains(sentence, "放假") || strings.Contains(sentence, "补休") || strings.Contains(sentence, "休息")
			if !work && !off {
				continue
			}
			days, between, err := noticeDays(sentence, year, loc)
			if err != nil {
				return nil, nil, err
			}
			for k := 0; k < len(days); k++ {
				if work {
					workdays = append(workdays, days[k])
					continue
				}
				if k+1 < len(days) && strings.TrimSpace(between[k]) == "至" {
					for d := days[k]; !d.After(days[k+1]); d = d.AddDate(0, 0, 1) {
						holidays = append(holidays, d)
					}
					k++
					continue
				}
				holidays = append(holidays, days[k])
			}
		}
	}
	if len(holidays) == 0 && len(workdays) == 0 {
		return nil, nil, fmt.Errorf("notice: no numbered section with a day in it")
	}
	return holidays, workdays, nil
}

// noticeDays finds the days of a sentence and the text between each and the next.
func noticeDays(sentence string, year int, loc *time.Location) ([]time.Time, []string, error) {
	var days []time.Time
	var between []string
	month, prevEnd := 0, -1
	y := year
	for _, m := range noticeDay.FindAllStringSubmatchIndex(sentence, -1) {
		if prevEnd >= 0 {
			between = append(between, sentence[prevEnd:m[0]])
		}
		prevEnd = m[1]
		if m[2] >= 0 {
			y, _ = strconv.Atoi(sentence[m[2]:m[3]])
		}
		if m[4] >= 0 {
			month, _ = strconv.Atoi(sentence[m[4]:m[5]])
		}
		day, _ := strconv.Atoi(sentence[m[6]:m[7]])
		if month == 0 {
			return nil, nil, fmt.Errorf("notice: %q: a day without its month", sentence)
		}
		t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, loc)
		if t.Day() != day || int(t.Month()) != month {
			return nil, nil, fmt.Errorf("notice: %d月%d日 is not a date", month, day)
		}
		days = append(days, t)
	}
	return days, append(between, ""), nil
}
