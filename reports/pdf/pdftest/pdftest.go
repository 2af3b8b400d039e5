// Package pdftest reads back what the PDFs of package pdf draw, for tests: which glyph of
// which embedded font each shown character is, and whether the embedded subset really holds
// an outline for it. It understands the PDFs gopdf writes (uncompressed object headers,
// direct stream lengths, Type0 fonts with Identity-H and a ToUnicode CMap), not PDF in
// general.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// Glyph is one glyph shown by a content stream.
type Glyph struct {
	Font    string // BaseFont of the embedded font
	GID     int    // glyph ID (Identity-H: the CID is the glyph ID)
	Rune    rune   // from the font's ToUnicode map (0 when unmapped)
	Outline bool   // the embedded font program has a non-empty outline for GID
	Page    int    // 1-based
}

type object struct {
	dict   string
	stream []byte // decoded
}

var (
	objHead   = regexp.MustCompile(`(?m)^(\d+) 0 obj\s*`)
	lengthRe  = regexp.MustCompile(`/Length (\d+)`)
	refRe     = func(key string) *regexp.Regexp { return regexp.MustCompile(key + `\s*\[?\s*(\d+) 0 R`) }
	fontRes   = regexp.MustCompile(`/(F\d+) (\d+) 0 R`)
	baseFont  = regexp.MustCompile(`/BaseFont /(\S+)`)
	contentRe = regexp.MustCompile(`/Contents\s+((?:\d+ 0 R\s*)+)`)
	pageRe    = regexp.MustCompile(`/Type /Page\b`)
	bfrange   = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	textOp    = regexp.MustCompile(`/(F\d+) [\d.]+ Tf|\[<([0-9A-Fa-f]*)>\] TJ`)
)

func parse(b []byte) (map[int]*object, []int, error) {
	objs := map[int]*object{}
	var order []int
	pos := 0
	for {
		loc := objHead.FindSubmatchIndex(b[pos:])
		if loc == nil {
			break
		}
		num, _ := strconv.Atoi(string(b[pos+loc[2] : pos+loc[3]]))
		start := pos + loc[1]
		end := bytes.Index(b[start:], []byte("endobj"))
		st := bytes.Index(b[start:], []byte("stream\n"))
		o := &object{}
		if st >= 0 && (end < 0 || st < end) {
			o.dict = string(b[start : start+st])
			m := lengthRe.FindStringSubmatch(o.dict)
			if m == nil {
				return nil, nil, fmt.Errorf("object %d: stream without a direct /Length", num)
			}
			n, _ := strconv.Atoi(m[1])
			data := b[start+st+7 : start+st+7+n]
			if bytes.Contains([]byte(o.dict), []byte("FlateDecode")) && !bytes.Contains([]byte(o.dict), []byte("/Subtype /Image")) {
				r, err := zlib.NewReader(bytes.NewReader(data))
				if err != nil {
					return nil, nil, fmt.Errorf("object %d: %w", num, err)
				}
				if data, err = io.ReadAll(r); err != nil {
					return nil, nil, fmt.Errorf("object %d: %w", num, err)
				}
			}
			o.stream = data
			pos = start + st + 7 + n
		} else {
			if end < 0 {
				return nil, nil, fmt.Errorf("object %d: no endobj", num)
			}
			o.dict = string(b[start : start+end])
			pos = start + end
		}
		objs[num] = o
		order = append(order, num)
	}
	return objs, order, nil
}

func ref(o *object, key string) int {
	m := refRe(key).FindStringSubmatch(o.dict)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

type font struct {
	name    string
	toUni   map[int]rune
	outline func(gid int) bool
}

func loadFont(objs map[int]*object, n int) (*font, error) {
	o := objs[n]
	if o == nil {
		return nil, fmt.Errorf("font object %d missing", n)
	}
	f := &font{toUni: map[int]rune{}}
	if m := baseFont.FindStringSubmatch(o.dict); m != nil {
		f.name = m[1]
	}
	if tu := objs[ref(o, "/ToUnicode")]; tu != nil {
		for _, m := range bfrange.FindAllStringSubmatch(string(tu.stream), -1) {
			lo, _ := strconv.ParseInt(m[1], 16, 32)
			hi, _ := strconv.ParseInt(m[2], 16, 32)
			u, err := hex.DecodeString(m[3])
			if err != nil || len(u)%2 != 0 {
				continue
			}
			var us []uint16
			for i := 0; i < len(u); i += 2 {
				us = append(us, binary.BigEndian.Uint16(u[i:]))
			}
			rs := utf16.Decode(us)
			if len(rs) != 1 {
				continue
			}
			for g := lo; g <= hi; g++ {
				f.toUni[int(g)] = rs[0] + rune(g-lo)
			}
		}
	}
	cid := objs[ref(o, "/DescendantFonts")]
	if cid == nil {
		return nil, fmt.Errorf("font %s: no descendant font", f.name)
	}
	desc := objs[ref(cid, "/FontDescriptor")]
	if desc == nil {
		return nil, fmt.Errorf("font %s: no descriptor", f.name)
	}
	ff := objs[ref(desc, "/FontFile2")]
	if ff == nil {
		return nil, fmt.Errorf("font %s: not embedded", f.name)
	}
	out, err := outlines(ff.stream)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", f.name, err)
	}
	f.outline = out
	return f, nil
}

// outlines reads the loca table of a TrueType font program and reports for a glyph ID
// whether its glyf entry is non-empty.
func outlines(ttf []byte) (func(int) bool, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("font program too short")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		e := ttf[12+16*i:]
		off, ln := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
		if int(off+ln) > len(ttf) {
			return nil, fmt.Errorf("table %s out of range", e[:4])
		}
		tables[string(e[:4])] = ttf[off : off+ln]
	}
	head, loca := tables["head"], tables["loca"]
	if len(head) < 54 || loca == nil {
		return nil, fmt.Errorf("no head or loca table")
	}
	long := binary.BigEndian.Uint16(head[50:]) == 1
	at := func(g int) (int, bool) {
		if long {
			if 4*g+4 > len(loca) {
				return 0, false
			}
			return int(binary.BigEndian.Uint32(loca[4*g:])), true
		}
		if 2*g+2 > len(loca) {
			return 0, false
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*g:])), true
	}
	return func(g int) bool {
		a, ok1 := at(g)
		b, ok2 := at(g + 1)
		return ok1 && ok2 && b > a
	}, nil
}

// Glyphs lists every glyph the pages of a gopdf PDF show, in page and drawing order.
func Glyphs(pdf []byte) ([]Glyph, error) {
	objs, order, err := parse(pdf)
	if err != nil {
		return nil, err
	}
	fonts := map[string]*font{} // resource name → font
	for _, n := range order {
		for _, m := range fontRes.FindAllStringSubmatch(objs[n].dict, -1) {
			if _, ok := fonts[m[1]]; ok {
				continue
			}
			fn, _ := strconv.Atoi(m[2])
			f, err := loadFont(objs, fn)
			if err != nil {
				return nil, err
			}
			fonts[m[1]] = f
		}
	}
	var out []Glyph
	page := 0
	for _, n := range order {
		o := objs[n]
		if !pageRe.MatchString(o.dict) || o.stream != nil {
			continue
		}
		page++
		cm := contentRe.FindStringSubmatch(o.dict)
		if cm == nil {
			continue
		}
		for _, r := range regexp.MustCompile(`(\d+) 0 R`).FindAllStringSubmatch(cm[1], -1) {
			cn, _ := strconv.Atoi(r[1])
			c := objs[cn]
			if c == nil {
				return nil, fmt.Errorf("content %d missing", cn)
			}
			var cur *font
			for _, m := range textOp.FindAllStringSubmatch(string(c.stream), -1) {
				if m[1] != "" {
					cur = fonts[m[1]]
					if cur == nil {
						return nil, fmt.Errorf("font resource %s unknown", m[1])
					}
					continue
				}
				if cur == nil {
					return nil, fmt.Errorf("text shown before a font is set")
				}
				for i := 0; i+4 <= len(m[2]); i += 4 {
					g, _ := strconv.ParseInt(m[2][i:i+4], 16, 32)
					out = append(out, Glyph{Font: cur.name, GID: int(g), Rune: cur.toUni[int(g)], Outline: cur.outline(int(g)), Page: page})
				}
			}
		}
	}
	return out, nil
}

// Text is the runes of gs in order.
func Text(gs []Glyph) string {
	rs := make([]rune, len(gs))
	for i, g := range gs {
		rs[i] = g.Rune
	}
	return string(rs)
}
