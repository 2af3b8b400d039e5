package app

import "strings"

// creditCodeAlphabet is the 31 symbols of GB 32100 (no I, O, S, V, Z).
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar returns the GB 32100 check character for the first 17 characters, and
// false when one of them is outside the alphabet.
func CreditCodeCheckChar(body string) (byte, bool) {
	if len(body) < 17 {
		return 0, false
	}
	s := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeAlphabet, body[i])
		if v < 0 {
			return 0, false
		}
		s += v * creditCodeWeights[i]
	}
	return creditCodeAlphabet[(31-s%31)%31], true
}

// NormalizeCreditCode trims spaces and turns full-width and lower-case letters into ASCII
// upper case.
func NormalizeCreditCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0':
			continue
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r >= 'ａ' && r <= 'ｚ':
			b.WriteRune('A' + (r - 'ａ'))
		case r >= 'Ａ' && r <= 'Ｚ':
			b.WriteRune('A' + (r - 'Ａ'))
		default:
			b.WriteRune(r)
		}
	}
	return strings.ToUpper(b.String())
}

// CheckCreditCode checks a 统一社会信用代码 by GB 32100 and returns it normalised, or an
// EINVALID error saying what is wrong.
func CheckCreditCode(s string) (string, error) {
	const field = "统一社会信用代码"
	n := NormalizeCreditCode(s)
	if n == "" {
		return "", FieldError(field, "不能为空")
	}
	if len([]rune(n)) != 18 {
		return "", FieldError(field, "应为 18 位（现为 %d 位）", len([]rune(n)))
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(creditCodeAlphabet, n[i]) < 0 {
			return "", FieldError(field, "第 %d 位“%c”不是有效字符（不使用 I、O、S、V、Z）", i+1, n[i])
		}
	}
	if !allDigits(n[2:8]) {
		return "", FieldError(field, "第 3–8 位应为行政区划代码（数字）")
	}
	c, _ := CreditCodeCheckChar(n)
	if c != n[17] {
		return "", FieldError(field, "校验位错误（最后一位应为 %c），请核对", c)
	}
	return n, nil
}
