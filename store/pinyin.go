package store

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// surnameInitials are surnames that pinyin libraries read with their common reading (曾 →
// ceng, 单 → dan) although as surnames they are read otherwise.
var surnameInitials = map[string]string{
	"尉迟": "yc", "万俟": "mq", "长孙": "zs", "澹台": "tt", "皇甫": "hf", "令狐": "lh", "单于": "cy",
	"曾": "z", "单": "s", "解": "x", "仇": "q", "朴": "p", "查": "z", "区": "o", "乐": "y",
	"覃": "q", "缪": "m", "盖": "g", "翟": "z", "种": "c", "冼": "x", "繁": "p", "员": "y",
	"召": "s", "华": "h", "过": "g", "折": "s", "黑": "h", "秘": "b", "那": "n", "宁": "n",
	"尉": "y", "句": "g", "费": "f", "长": "c", "重": "c", "郇": "h", "眭": "s",
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.FirstLetter
	a.Heteronym = true
	a.Fallback = func(r rune, a pinyin.Args) []string { return nil }
	return a
}()

// maxInitialVariants bounds the combinations of heteronyms indexed for one name.
const maxInitialVariants = 16

// NameInitials returns the pinyin initials of a name, one string per combination of the
// readings of its characters (张三 → [zs]; 曾乐 → [zl, zy]), the surname read as a surname.
// Letters in the name are kept lower-cased; characters without a reading are skipped.
func NameInitials(name string) []string { return initials(name, true) }

// TextInitials returns the pinyin initials of a catalog text (a job, industry or hazard name),
// one string per combination of heteronym readings, without the surname readings of names.
// Brackets, digits and punctuation are skipped: 木粉尘（硬） → [mfcy]; pick lists match by prefix.
func TextInitials(text string) []string { return initials(text, false) }

func initials(name string, person bool) []string {
	rs := []rune(strings.ReplaceAll(name, "·", ""))
	var options [][]string
	i := 0
	for n := 2; person && n >= 1 && i == 0; n-- {
		if len(rs) > n {
			if s, ok := surnameInitials[string(rs[:n])]; ok {
				for _, c := range s {
					options = append(options, []string{string(c)})
				}
				i = n
			}
		}
	}
	for ; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			// A Latin word contributes its first letter (John Li → jl).
			if i == 0 || !(rs[i-1] < unicode.MaxASCII && unicode.IsLetter(rs[i-1])) {
				options = append(options, []string{strings.ToLower(string(r))})
			}
		case unicode.Is(unicode.Han, r):
			ps := pinyin.SinglePinyin(r, pinyinArgs)
			uniq := map[string]bool{}
			var opts []string
			for _, p := range ps {
				if p != "" && !uniq[p[:1]] {
					uniq[p[:1]] = true
					opts = append(opts, p[:1])
				}
			}
			if len(opts) > 0 {
				options = append(options, opts)
			}
		}
	}
	out := []string{""}
	for _, opts := range options {
		var next []string
		for _, prefix := range out {
			for _, o := range opts {
				if len(next) < maxInitialVariants {
					next = append(next, prefix+o)
				}
			}
		}
		out = next
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}
