package ui

import (
	"strconv"
	"strings"
	"time"

	"occhealth/app"
)

// dateLayout is how dates are shown.
const dateLayout = "2006-01-02"

// parseDate reads a date as the front desk types it: 2024-03-05, 2024/3/5, 2024.3.5,
// 2024年3月5日 or 20240305. Full-width digits are accepted. An empty text is the zero time
// (no date). Dates are UTC midnight, as app.ParseIDNumber returns birth dates.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '年' || r == '月' || r == '/' || r == '.' || r == '－' || r == '／' || r == '．' || r == ' ':
			b.WriteByte('-')
		case r == '日':
		default:
			b.WriteRune(r)
		}
	}
	s = strings.Trim(b.String(), "-")
	var y, m, d int
	var err error
	if !strings.Contains(s, "-") {
		if len(s) != 8 {
			return time.Time{}, badDate(s)
		}
		y, err = strconv.Atoi(s[:4])
		if err == nil {
			m, err = strconv.Atoi(s[4:6])
		}
		if err == nil {
			d, err = strconv.Atoi(s[6:])
		}
	} else {
		parts := strings.Split(s, "-")
		if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) < 1 || len(parts[2]) > 2 {
			return time.Time{}, badDate(s)
		}
		y, err = strconv.Atoi(parts[0])
		if err == nil {
			m, err = strconv.Atoi(parts[1])
		}
		if err == nil {
			d, err = strconv.Atoi(parts[2])
		}
	}
	if err != nil || y < 1900 || y > 2999 {
		return time.Time{}, badDate(s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, app.Errorf(app.EINVALID, "%04d-%02d-%02d 不是有效日期", y, m, d)
	}
	return t, nil
}

func badDate(s string) error {
	return app.Errorf(app.EINVALID, "“%s”不是日期，请按 2024-03-05、2024/3/5 或 20240305 输入", s)
}

// formatDate shows a date, or "" for the zero time.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}
