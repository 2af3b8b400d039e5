package pdf

import (
	"strings"
	"unicode"
)

// Characters that must not start a line (行首禁则) or end one (行尾禁则). The Chinese set is
// the one of GB/T 15834 practice; ASCII closers and openers are added for mixed text. The
// ellipsis …… and the dash —— are in the first set, so that their two halves never part.
const (
	noStartChars = "，。、；：？！）》」』’”…—" + "〕】〗〉﹚］｝％‰℃·～" + ",.;:?!)]}%"
	noEndChars   = "（《「『‘“" + "〔【〖〈［｛" + "([{"
)

func noStart(r rune) bool { return strings.ContainsRune(noStartChars, r) }
func noEnd(r rune) bool   { return strings.ContainsRune(noEndChars, r) }

// wordRune reports whether r joins its neighbours into one unbreakable word: Latin letters,
// digits and ASCII punctuation, so that "GBZ 188-2014", "2025-08-01" and "3.5" stay whole.
func wordRune(r rune) bool {
	return r < 0x2E80 && !unicode.IsSpace(r) && !strings.ContainsRune("…‘’“”—·", r)
}

// unit is a breakable piece of a paragraph: one CJK character, one word or one space.
type unit struct {
	start, end int // rune indexes
	w          float64
	space      bool
}

// units splits rs into units. A word wider than max is split into single runes, so it can
// be broken anywhere rather than overflow.
func units(rs []rune, adv func(rune) float64, max float64) []unit {
	var us []unit
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			us = append(us, unit{i, i + 1, adv(r), true})
			i++
		case wordRune(r):
			j, w := i, 0.0
			for j < len(rs) && wordRune(rs[j]) {
				w += adv(rs[j])
				j++
			}
			if w > max {
				for k := i; k < j; k++ {
					us = append(us, unit{k, k + 1, adv(rs[k]), false})
				}
			} else {
				us = append(us, unit{i, j, w, false})
			}
			i = j
		default:
			us = append(us, unit{i, i + 1, adv(r), false})
			i++
		}
	}
	return us
}

// wrapRunes breaks one paragraph (no newlines) into lines no wider than width, by the
// greedy rule with line-start and line-end prohibitions: when the unit that overflows may not
// start a line, or the last unit that fits may not end one, the break moves back and carries
// the last character(s) down (推出). Only when a whole line would have to move does a
// prohibition yield. Spaces at a soft break are dropped. It returns rune ranges [start, end).
func wrapRunes(rs []rune, width float64, adv func(rune) float64) [][2]int {
	const eps = 1e-6
	us := units(rs, adv, width)
	var lines [][2]int
	emit := func(a, b int) { // units [a, b), trailing spaces trimmed
		for b > a && us[b-1].space {
			b--
		}
		if b > a {
			lines = append(lines, [2]int{us[a].start, us[b-1].end})
		} else {
			lines = append(lines, [2]int{us[a].start, us[a].start})
		}
	}
	i := 0
	for i < len(us) {
		for i < len(us) && us[i].space && len(lines) > 0 {
			i++ // spaces at the start of a wrapped line
		}
		if i == len(us) {
			break
		}
		start, x, j := i, 0.0, i
		for j < len(us) && (j == start || x+us[j].w <= width+eps) {
			x += us[j].w
			j++
		}
		if j == len(us) {
			emit(start, j)
			break
		}
		b := j
		bad := func(b int) bool {
			return startsBad(rs, us[b]) || endsBad(rs, us[b-1]) || (b < j && us[b].space)
		}
		if !us[b].space {
			for b > start+1 && bad(b) {
				b--
			}
			if b == start+1 && bad(b) {
				b = j
			}
		}
		emit(start, b)
		i = b
	}
	if len(lines) == 0 {
		lines = append(lines, [2]int{0, 0})
	}
	return lines
}

func startsBad(rs []rune, u unit) bool { return !u.space && noStart(rs[u.start]) }
func endsBad(rs []rune, u unit) bool   { return !u.space && noEnd(rs[u.end-1]) }
