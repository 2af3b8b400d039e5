package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// gopdf writes the ToUnicode map of a font as "<gid><gid><rune>" with the rune in hex, which is
// right for the Basic Multilingual Plane only: a PDF reader takes the destination as UTF-16BE,
// so 𠅤 (U+20164) written as <20164> copies, searches and extracts as garbage. fixToUnicode
// rewrites such entries of the finished file as surrogate pairs (<D840DD64>) and moves the
// cross-reference offsets by what the streams grew. Only the HanaMinB cut has such runes.

var (
	wideEntry = regexp.MustCompile(`<([0-9A-F]{4})><([0-9A-F]{4})><([0-9A-F]{5,6})>`)
	lengthKey = regexp.MustCompile(`/Length (\d+)\n`)
)

// bfrangeBlocks returns the ranges from "beginbfrange" to "endbfrange" (bytes.Index is much
// faster than a regular expression over a whole PDF).
func bfrangeBlocks(b []byte) [][2]int {
	var out [][2]int
	for pos := 0; ; {
		i := bytes.Index(b[pos:], []byte("beginbfrange\n"))
		if i < 0 {
			return out
		}
		j := bytes.Index(b[pos+i:], []byte("endbfrange"))
		if j < 0 {
			return out
		}
		out = append(out, [2]int{pos + i, pos + i + j + len("endbfrange")})
		pos += i + j
	}
}

type edit struct {
	start, end int // replaced range of the original
	with       []byte
}

func fixToUnicode(b []byte) ([]byte, error) {
	var edits []edit
	for _, loc := range bfrangeBlocks(b) {
		block := b[loc[0]:loc[1]]
		if !wideEntry.Match(block) {
			continue
		}
		fixed := wideEntry.ReplaceAllFunc(block, func(m []byte) []byte {
			s := wideEntry.FindSubmatch(m)
			r, _ := strconv.ParseUint(string(s[3]), 16, 32)
			hi, lo := utf16.EncodeRune(rune(r))
			return fmt.Appendf(nil, "<%s><%s><%04X%04X>", s[1], s[2], hi, lo)
		})
		// The stream's /Length is in the dictionary just before "stream\n".
		st := bytes.LastIndex(b[:loc[0]], []byte("stream\n"))
		if st < 0 {
			return nil, fmt.Errorf("ToUnicode map without a stream")
		}
		dict := b[:st]
		obj := bytes.LastIndex(dict, []byte(" 0 obj"))
		lm := lengthKey.FindAllSubmatchIndex(dict[obj:], -1)
		if obj < 0 || lm == nil {
			return nil, fmt.Errorf("ToUnicode stream without /Length")
		}
		m := lm[len(lm)-1]
		n, _ := strconv.Atoi(string(dict[obj+m[2] : obj+m[3]]))
		edits = append(edits,
			edit{obj + m[2], obj + m[3], strconv.AppendInt(nil, int64(n+len(fixed)-len(block)), 10)},
			edit{loc[0], loc[1], fixed})
	}
	if len(edits) == 0 {
		return b, nil
	}
	shift := func(off int) int {
		for _, e := range edits {
			if e.start < off {
				off += len(e.with) - (e.end - e.start)
			}
		}
		return off
	}
	xref := bytes.LastIndex(b, []byte("\nxref\n"))
	sx := bytes.LastIndex(b, []byte("startxref\n"))
	if xref < 0 || sx < xref {
		return nil, fmt.Errorf("no cross-reference table")
	}
	// Cross-reference entries: "0000012345 00000 n \n".
	entry := regexp.MustCompile(`(?m)^(\d{10}) 00000 n $`)
	table := entry.ReplaceAllFunc(b[xref:sx], func(m []byte) []byte {
		off, _ := strconv.Atoi(string(m[:10]))
		return fmt.Appendf(nil, "%010d 00000 n ", shift(off))
	})
	rest := b[sx+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 {
		return nil, fmt.Errorf("startxref without an offset")
	}
	old, err := strconv.Atoi(string(rest[:end]))
	if err != nil {
		return nil, fmt.Errorf("startxref: %w", err)
	}
	out := make([]byte, 0, len(b)+256)
	pos := 0
	for _, e := range edits {
		out = append(out, b[pos:e.start]...)
		out = append(out, e.with...)
		pos = e.end
	}
	out = append(out, b[pos:xref]...)
	out = append(out, table...)
	out = append(out, "startxref\n"...)
	out = strconv.AppendInt(out, int64(shift(old)), 10)
	out = append(out, rest[end:]...)
	return out, nil
}
