package app

import (
	"strconv"
	"strings"
	"unicode"
)

// Qualifier is the comparison a lab writes before a number it cannot give exactly:
// "<0.1" below the detection limit, ">1000" above the measuring range.
type Qualifier string

const (
	QualNone      Qualifier = ""
	QualLess      Qualifier = "<"
	QualLessEq    Qualifier = "≤"
	QualGreater   Qualifier = ">"
	QualGreaterEq Qualifier = "≥"
)

// qualifierPrefixes are tried in order, longer spellings first (after HalfWidth, so ＜ is <).
var qualifierPrefixes = []struct {
	text string
	q    Qualifier
}{
	{"<=", QualLessEq}, {"≤", QualLessEq}, {"≦", QualLessEq}, {"小于等于", QualLessEq}, {"不大于", QualLessEq},
	{">=", QualGreaterEq}, {"≥", QualGreaterEq}, {"≧", QualGreaterEq}, {"大于等于", QualGreaterEq}, {"不小于", QualGreaterEq},
	{"<", QualLess}, {"小于", QualLess}, {"低于", QualLess},
	{">", QualGreater}, {"大于", QualGreater}, {"高于", QualGreater},
}

// ParseNumeric parses a numeric result as people type it in China: 全角 digits and signs
// (４．５, －２), the IME's 。 for the decimal point (4。5), a leading or trailing dot (.5, 5.),
// and a leading qualifier (<0.1, ＜0.1, ≤0.1, 小于0.1), which it strips: "<0.1" gives 0.1, and
// the qualifier stays in Result.Value (see Result.Qualifier). It refuses, with a Chinese
// *Error (EINVALID), what could be read two ways or is not a number: a comma (4,5 — decimal
// comma or thousands?), two decimal points, a range (1-2, 1~2), units or words, and the
// qualitative 阴性/阳性/+ of a text item.
func ParseNumeric(s string) (float64, error) {
	_, _, n, err := ParseQualified(s)
	return n, err
}

// ParseQualified returns the qualifier, the number in canonical form (half-width, "." as the
// point, no leading "+" or superfluous zeros, trailing zeros kept: they carry precision) and its
// value.
func ParseQualified(s string) (Qualifier, string, float64, error) {
	orig := strings.TrimSpace(s)
	t := strings.TrimSpace(HalfWidth(s))
	if t == "" {
		return QualNone, "", 0, invalid("请填写数值，或记为弃检、未检")
	}
	q := QualNone
	for _, p := range qualifierPrefixes {
		if strings.HasPrefix(t, p.text) {
			q, t = p.q, strings.TrimSpace(t[len(p.text):])
			break
		}
	}
	if t == "" {
		return q, "", 0, invalid("“%s”缺少数值", orig)
	}
	if qualitative(t) {
		return q, "", 0, invalid("“%s”是定性结果，本项目需填写数值", orig)
	}
	t = strings.ReplaceAll(t, "。", ".")
	switch {
	case strings.ContainsAny(t, ",，、"):
		return q, "", 0, invalid("“%s”含逗号，无法确定是小数点还是千位分隔，请用小数点", orig)
	case strings.Count(t, ".") > 1:
		return q, "", 0, invalid("“%s”有多个小数点", orig)
	case strings.ContainsAny(t, "~～—–至到") || strings.Contains(t[1:], "-"):
		return q, "", 0, invalid("“%s”像是一个范围，请只填写一个数值", orig)
	}
	sign := ""
	if t[0] == '-' || t[0] == '+' {
		if t[0] == '-' {
			sign = "-"
		}
		t = t[1:]
	}
	intPart, frac, _ := strings.Cut(t, ".")
	if intPart == "" && frac == "" {
		return q, "", 0, invalid("“%s”缺少数值", orig)
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return q, "", 0, invalid("“%s”不是数值，请只填写数字（单位不必填写）", orig)
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	text := intPart
	if frac != "" {
		text += "." + frac
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil { // only digits and one point reach here: an overflow
		return q, "", 0, invalid("“%s”超出数值范围", orig)
	}
	if sign == "-" && n != 0 {
		return q, sign + text, -n, nil
	}
	return q, text, n, nil
}

func invalid(format string, args ...any) error {
	return Errorf(EINVALID, format, args...)
}

// HalfWidth maps 全角 ASCII (０-９, ．, －, ＜ …) and the ideographic space to their
// half-width forms; other characters stay.
func HalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		case r == '−': // U+2212 MINUS SIGN, from Word and some LIS exports
			return '-'
		}
		return r
	}, s)
}

// textSpellings maps the qualitative spellings seen in lab reports and typed by hand (after
// HalfWidth, lower-casing and removing spaces and brackets) to the one the report prints.
var textSpellings = map[string]string{
	"阴性": "阴性", "阴": "阴性", "-": "阴性", "neg": "阴性", "negative": "阴性", "—": "阴性",
	"阳性": "阳性", "阳": "阳性", "+": "阳性", "pos": "阳性", "positive": "阳性",
	"±": "±", "+-": "±", "+/-": "±", "弱阳性": "±", "微量": "±", "trace": "±", "tr": "±",
	"1+": "1+", "2+": "2+", "3+": "3+", "4+": "4+",
	"++": "2+", "+++": "3+", "++++": "4+",
	"正常": "正常", "norm": "正常", "normal": "正常",
}

// NormalizeText trims a text result and, when it is one of the qualitative spellings (阴性, -,
// (-), neg, 阳性, +, ±, 微量, 1+ … 4+, ++ …, 正常, in 全角 or half-width), returns the lab's
// form: 阴性, 阳性, ±, 1+ … 4+, 正常. A single + is read as 阳性 (1+ when graded). Any other text
// (a physician's finding) comes back only trimmed: its Chinese punctuation is kept.
func NormalizeText(s string) string {
	t := strings.TrimSpace(s)
	key := strings.ToLower(strings.Map(func(r rune) rune {
		switch r {
		case '(', ')', '（', '）', '[', ']':
			return -1
		}
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, HalfWidth(t)))
	if v, ok := textSpellings[key]; ok {
		return v
	}
	return t
}

// qualitative reports whether t (half-width, trimmed) is a qualitative result such as 阴性 or ++.
func qualitative(t string) bool {
	_, ok := textSpellings[strings.ToLower(strings.Trim(t, "()（）"))]
	return ok || strings.Contains(t, "阴性") || strings.Contains(t, "阳性")
}
