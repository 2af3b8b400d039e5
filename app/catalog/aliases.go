package catalog

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrUnpairedQuote is returned by SplitAliases for a 「 without its 」.
var ErrUnpairedQuote = errors.New("「」未配对")

// JoinAliases writes aliases separated by 、, putting an alias that itself contains 、 (such as
// 三氧化铬、铬酸盐、重铬酸盐) inside 「」 so that SplitAliases gets it back whole. The catalog
// workbook and the catalog editor use the same convention.
func JoinAliases(aliases []string) string {
	parts := make([]string, len(aliases))
	for i, a := range aliases {
		if strings.ContainsAny(a, "、「」") {
			a = "「" + a + "」"
		}
		parts[i] = a
	}
	return strings.Join(parts, "、")
}

// SplitAliases reads a list written by JoinAliases (or typed by a user): aliases separated by
// 、, an alias in 「」 taken whole, spaces around each alias trimmed, empty ones dropped.
func SplitAliases(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	quoted := false
	flush := func() {
		if a := strings.TrimSpace(cur.String()); a != "" {
			out = append(out, a)
		}
		cur.Reset()
	}
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r == '「' && !quoted:
			quoted = true
		case r == '」' && quoted:
			quoted = false
		case r == '、' && !quoted:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	if quoted {
		return nil, ErrUnpairedQuote
	}
	flush()
	return out, nil
}
