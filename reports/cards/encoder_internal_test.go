package cards

import (
	"math/rand/v2"
	"testing"
)

// TestAppendEscaped_FastPathMatchesSlow: values written as they are (no special byte, valid
// UTF-8 without U+FFFE/U+FFFF) and values escaped byte by byte come out the same.
func TestAppendEscaped_FastPathMatchesSlow(t *testing.T) {
	cases := []string{"", "abc", "张三（男）", "A&B <公司>", "\x00\x1f\t\n", "\xff\xfe", "a\uFFFEb", "\uFFFF", "\xef\xbf", "]]>", "\"'",
		"ｆｕｌｌ，。", "\U0002A6A5", "\xed\xa0\x80"}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "<", "&", "\x01", "\t", "张", "\xef", "\xbf", "\xbe", "\xff", "\uFFFE", "\uFFFF", "，", "\U0002A6A5"}
	for range 20000 {
		s := ""
		for range r.IntN(8) {
			s += pieces[r.IntN(len(pieces))]
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		if got, want := string(appendEscaped([]byte("x"), s)), string(appendEscapedSlow([]byte("x"), s)); got != want {
			t.Fatalf("%q: fast %q, slow %q", s, got, want)
		}
	}
}
