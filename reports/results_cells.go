package reports

import (
	"math"
	"strconv"
	"strings"
)

// Cells of a result file as text: the exam number exactly or with what is wrong with it,
// results as written without a writer's float noise.

// excelErrors are the error values a formula cell can hold.
var excelErrors = map[string]bool{
	"#N/A": true, "#DIV/0!": true, "#VALUE!": true, "#REF!": true, "#NAME?": true, "#NUM!": true, "#NULL!": true,
	"#GETTING_DATA": true, "#SPILL!": true, "#CALC!": true,
}

// readExamNumber returns the exam number of a cell, or what is wrong with it.
func readExamNumber(c rosterCell) (string, string) {
	text := strings.TrimSpace(c.text)
	if c.kind != cellText {
		v, err := strconv.ParseFloat(c.raw, 64)
		if err != nil {
			return text, "体检号“" + text + "”不是数字"
		}
		if v != math.Trunc(v) || v <= 0 || v >= 1e15 {
			return c.raw, "单元格是数字，体检号已丢失末几位（" + strconv.FormatFloat(v, 'E', 5, 64) + "）：请在 LIS 的导出设置或 Excel 中把该列设为文本后重新导出"
		}
		return strconv.FormatFloat(v, 'f', 0, 64), ""
	}
	if len(text) > 3 && strings.HasPrefix(text, `="`) && strings.HasSuffix(text, `"`) {
		text = text[2 : len(text)-1]
	}
	text = strings.TrimPrefix(text, "'")
	text = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ' ' || r == '\u3000' || r == '\t' || r == '\u00a0':
			return -1
		}
		return r
	}, text)
	if sciNumber.MatchString(text) {
		return text, "体检号是科学计数法（" + text + "），已丢失末几位：请在 LIS 的导出设置或 Excel 中把该列设为文本后重新导出"
	}
	for _, r := range text {
		if r < '0' || r > '9' {
			return text, "体检号“" + text + "”应全为数字（体检号印在导检单和条码上）"
		}
	}
	return text, ""
}

// resultCellText is a result cell as written: a number cell without float noise (Excel
// keeps 15 significant digits; writers store 17), text trimmed and without the ="…" or '
// that keeps Excel from reading it as a number.
func resultCellText(c rosterCell) string {
	text := strings.TrimSpace(c.text)
	if c.kind != cellText {
		raw := strings.TrimSpace(c.raw)
		if plainDecimal(raw) {
			return raw
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return text
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	if len(text) > 3 && strings.HasPrefix(text, `="`) && strings.HasSuffix(text, `"`) {
		text = strings.TrimSpace(text[2 : len(text)-1])
	}
	if strings.HasPrefix(text, "'") {
		text = strings.TrimSpace(text[1:])
	}
	return strings.ReplaceAll(text, "\r\n", "\n")
}

// plainDecimal reports whether s is a decimal as a person writes it ("5.6", "-0.30", "120"):
// at most 15 significant digits and 6 decimals, so that it is already what Excel shows and
// its trailing zeros are the lab's precision, not a writer's %.15g ("0.300000000000000").
func plainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 6 {
		return false
	}
	digits, dot, lead := 0, false, true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if dot || i == 0 || i == len(s)-1 {
				return false
			}
			dot = true
		case c >= '0' && c <= '9':
			if lead && c == '0' {
				continue
			}
			lead = false
			digits++
		default:
			return false
		}
	}
	return digits <= 15
}
