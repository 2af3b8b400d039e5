package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPersonName is the longest name accepted, in characters: the exchange specification
// allows A..50 for WORKER_NAME, and transliterated minority names are long.
const MaxPersonName = 50

// NormalizePersonName trims the name, folds runs of spaces and turns the various dots used in
// minority and foreign names (・ • ‧ ･ . ．) into the standard middle dot ·.
func NormalizePersonName(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch r {
		case '・', '•', '‧', '･', '．', '.', '∙', '⋅':
			r = '·'
		case '\u3000', '\t', '\u00a0':
			r = ' '
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CheckPersonName checks a person's name: Chinese characters of every CJK block (including
// Ext-A/B 生僻字), the middle dot of minority names, and Latin letters with spaces for
// foreigners; no digits or other symbols; at most MaxPersonName characters.
func CheckPersonName(field, s string) (string, error) {
	n := NormalizePersonName(s)
	if n == "" {
		return "", FieldError(field, "不能为空")
	}
	if c := utf8.RuneCountInString(n); c > MaxPersonName {
		return "", FieldError(field, "过长（%d 个字，最多 %d 个）", c, MaxPersonName)
	}
	if strings.HasPrefix(n, "·") || strings.HasSuffix(n, "·") || strings.Contains(n, "··") {
		return "", FieldError(field, "间隔号“·”只能用在两个字之间")
	}
	for _, r := range n {
		switch {
		case unicode.Is(unicode.Han, r), r == '·', r == ' ', r == '\u3007': // 〇
		case unicode.IsLetter(r) && r < 0x2000: // Latin, Greek, Cyrillic letters with accents
		case unicode.Is(unicode.Mn, r): // combining marks in transliterations
		case r >= 0xE000 && r <= 0xF8FF:
			return "", FieldError(field, "含有私用区字符 U+%04X（造字），请改用标准汉字或在备注中说明", r)
		default:
			return "", FieldError(field, "含有不允许的字符“%c”", r)
		}
	}
	return n, nil
}
