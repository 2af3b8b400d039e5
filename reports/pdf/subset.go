package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// subsetTTF returns a TrueType font with only the glyphs of runes (and glyph 0 and the
// components of composite glyphs), renumbered, with a (3,1) format 4 cmap for them.
//
// Why: gopdf embeds, besides the used glyphs, the font's whole hmtx and loca tables (about
// 400 KB for Micro Hei's 49,000 glyphs) and deflates them at the default level in every
// document: about 15 ms, most of a one-page document. A face cut to GB 2312 once per process
// (about 7,900 glyphs) makes those tables 60 KB. Runes outside it fall back to the full face.
//
// Glyph outlines, metrics and hinting tables are copied unchanged; composite glyphs have their
// component indexes rewritten. Only BMP runes are kept (format 4). gid, when not nil, gives
// the glyph of a rune (0 for none) instead of the font's cmap, which then is not parsed: the
// per-document cut of Options.SubsetFonts has the lookups at hand.
func subsetTTF(font []byte, runes []rune, gid func(rune) int) ([]byte, error) {
	tables, err := ttfTables(font)
	if err != nil {
		return nil, err
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "name", "OS/2", "post"} {
		if _, ok := tables[tag]; !ok {
			return nil, fmt.Errorf("subset: no %s table", tag)
		}
	}
	head, hhea, maxp := tables["head"], tables["hhea"], tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("subset: short head, hhea or maxp")
	}
	numGlyphs := int(be16(maxp[4:]))
	numHM := int(be16(hhea[34:]))
	longLoca := be16(head[50:]) == 1
	loca, glyf, hmtx := tables["loca"], tables["glyf"], tables["hmtx"]
	if numHM < 1 || numHM > numGlyphs || len(hmtx) < 4*numHM+2*(numGlyphs-numHM) {
		return nil, errors.New("subset: bad hmtx")
	}
	offset := func(g int) (int, error) {
		var o int
		if longLoca {
			if 4*g+4 > len(loca) {
				return 0, errors.New("subset: loca out of range")
			}
			o = int(be32(loca[4*g:]))
		} else {
			if 2*g+2 > len(loca) {
				return 0, errors.New("subset: loca out of range")
			}
			o = 2 * int(be16(loca[2*g:]))
		}
		if o > len(glyf) {
			return 0, errors.New("subset: glyf out of range")
		}
		return o, nil
	}
	glyph := func(g int) ([]byte, error) {
		if g < 0 || g >= numGlyphs {
			return nil, fmt.Errorf("subset: glyph %d out of range", g)
		}
		a, err := offset(g)
		if err != nil {
			return nil, err
		}
		b, err := offset(g + 1)
		if err != nil || b < a {
			return nil, errors.New("subset: bad loca")
		}
		return glyf[a:b], nil
	}
	if gid == nil {
		cmap, err := cmap4(tables["cmap"])
		if err != nil {
			return nil, err
		}
		gid = func(r rune) int { return cmap[r] }
	}

	// The glyph set: 0, the runes' glyphs, then composite components (to a fixed point).
	keep := map[int]bool{0: true}
	var mapped []rune
	gids := make(map[rune]int, len(runes))
	for _, r := range runes {
		if g := gid(r); g > 0 && g < numGlyphs && r <= 0xFFFF {
			gids[r] = g
			keep[g] = true
			mapped = append(mapped, r)
		}
	}
	for queue := sortedKeys(keep); len(queue) > 0; {
		g := queue[0]
		queue = queue[1:]
		data, err := glyph(g)
		if err != nil {
			return nil, err
		}
		comps, err := components(data)
		if err != nil {
			return nil, fmt.Errorf("subset: glyph %d: %w", g, err)
		}
		for _, c := range comps {
			if !keep[c] {
				keep[c] = true
				queue = append(queue, c)
			}
		}
	}
	old := sortedKeys(keep)
	newID := make(map[int]int, len(old))
	for i, g := range old {
		newID[g] = i
	}

	var nglyf []byte
	nloca := make([]byte, 4*(len(old)+1))
	nhmtx := make([]byte, 4*len(old))
	for i, g := range old {
		binary.BigEndian.PutUint32(nloca[4*i:], uint32(len(nglyf)))
		data, _ := glyph(g)
		data = slices.Clone(data)
		if err := renumberComponents(data, newID); err != nil {
			return nil, err
		}
		nglyf = append(nglyf, data...)
		for len(nglyf)%4 != 0 {
			nglyf = append(nglyf, 0)
		}
		adv := be16(hmtx[4*min(g, numHM-1):])
		var lsb uint16
		if g < numHM {
			lsb = be16(hmtx[4*g+2:])
		} else {
			lsb = be16(hmtx[4*numHM+2*(g-numHM):])
		}
		binary.BigEndian.PutUint16(nhmtx[4*i:], adv)
		binary.BigEndian.PutUint16(nhmtx[4*i+2:], lsb)
	}
	binary.BigEndian.PutUint32(nloca[4*len(old):], uint32(len(nglyf)))

	ncmap, err := buildCmap4(mapped, func(r rune) int { return newID[gids[r]] })
	if err != nil {
		return nil, err
	}
	nhead := slices.Clone(head)
	binary.BigEndian.PutUint32(nhead[8:], 0) // checkSumAdjustment: not recomputed
	binary.BigEndian.PutUint16(nhead[50:], 1)
	nhhea := slices.Clone(hhea)
	binary.BigEndian.PutUint16(nhhea[34:], uint16(len(old)))
	nmaxp := slices.Clone(maxp)
	binary.BigEndian.PutUint16(nmaxp[4:], uint16(len(old)))
	post := tables["post"]
	if len(post) < 32 {
		return nil, errors.New("subset: short post")
	}
	npost := slices.Clone(post[:32])
	binary.BigEndian.PutUint32(npost[0:], 0x00030000) // no glyph names

	out := map[string][]byte{
		"cmap": ncmap, "glyf": nglyf, "head": nhead, "hhea": nhhea, "hmtx": nhmtx,
		"loca": nloca, "maxp": nmaxp, "name": tables["name"], "OS/2": tables["OS/2"], "post": npost,
	}
	for _, tag := range []string{"cvt ", "fpgm", "prep", "gasp"} {
		if t, ok := tables[tag]; ok {
			out[tag] = t
		}
	}
	return writeTTF(out), nil
}

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }

func sortedKeys(m map[int]bool) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}

// ttfTables splits a TrueType font into its tables.
func ttfTables(font []byte) (map[string][]byte, error) {
	if len(font) < 12 || be32(font) != 0x00010000 {
		return nil, errors.New("subset: not a TrueType font")
	}
	n := int(be16(font[4:]))
	if len(font) < 12+16*n {
		return nil, errors.New("subset: short table directory")
	}
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		e := font[12+16*i:]
		off, ln := int(be32(e[8:])), int(be32(e[12:]))
		if off < 0 || ln < 0 || off+ln > len(font) {
			return nil, fmt.Errorf("subset: table %q out of range", e[:4])
		}
		tables[string(e[:4])] = font[off : off+ln]
	}
	return tables, nil
}

// cmap4 reads the (3,1) format 4 subtable: rune → glyph.
func cmap4(t []byte) (map[rune]int, error) {
	if len(t) < 4 {
		return nil, errors.New("subset: short cmap")
	}
	var sub []byte
	for i := 0; i < int(be16(t[2:])); i++ {
		e := t[4+8*i:]
		if len(e) < 8 {
			return nil, errors.New("subset: short cmap")
		}
		if be16(e) == 3 && be16(e[2:]) == 1 {
			off := int(be32(e[4:]))
			if off+14 > len(t) {
				return nil, errors.New("subset: cmap out of range")
			}
			sub = t[off:]
		}
	}
	if sub == nil || be16(sub) != 4 {
		return nil, errors.New("subset: no (3,1) format 4 cmap")
	}
	segX2 := int(be16(sub[6:]))
	if 16+4*segX2 > len(sub) {
		return nil, errors.New("subset: cmap out of range")
	}
	ends, starts := sub[14:], sub[16+segX2:]
	deltas, ranges := sub[16+2*segX2:], sub[16+3*segX2:]
	m := map[rune]int{}
	for s := 0; s < segX2/2; s++ {
		end, start := int(be16(ends[2*s:])), int(be16(starts[2*s:]))
		delta, ro := int(be16(deltas[2*s:])), int(be16(ranges[2*s:]))
		for c := start; c <= end && c != 0xFFFF; c++ {
			var g int
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				p := 16 + 3*segX2 + 2*s + ro + 2*(c-start)
				if p+2 > len(sub) {
					return nil, errors.New("subset: cmap glyph array out of range")
				}
				if g = int(be16(sub[p:])); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g != 0 {
				m[rune(c)] = g
			}
		}
	}
	return m, nil
}

// Composite glyph flags.
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	compositeHeader = 10
)

// componentOffsets returns the byte offsets of the component glyph indexes of a composite
// glyph (none for a simple or empty one).
func componentOffsets(g []byte) ([]int, error) {
	if len(g) < compositeHeader || int16(be16(g)) >= 0 {
		return nil, nil
	}
	var offs []int
	p := compositeHeader
	for {
		if p+4 > len(g) {
			return nil, errors.New("truncated composite glyph")
		}
		flags := be16(g[p:])
		offs = append(offs, p+2)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			return offs, nil
		}
	}
}

func components(g []byte) ([]int, error) {
	offs, err := componentOffsets(g)
	cs := make([]int, len(offs))
	for i, o := range offs {
		cs[i] = int(be16(g[o:]))
	}
	return cs, err
}

func renumberComponents(g []byte, newID map[int]int) error {
	offs, err := componentOffsets(g)
	for _, o := range offs {
		binary.BigEndian.PutUint16(g[o:], uint16(newID[int(be16(g[o:]))]))
	}
	return err
}

// buildCmap4 writes a cmap with one (3,1) format 4 subtable. Runes closer than 32 code points
// share a segment with a glyph array (0 for the gaps), which keeps the segment count small:
// gopdf looks segments up one by one.
func buildCmap4(runes []rune, gid func(rune) int) ([]byte, error) {
	runes = slices.Clone(runes)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	type seg struct{ start, end int }
	var segs []seg
	for _, r := range runes {
		if n := len(segs); n > 0 && int(r)-segs[n-1].end <= 32 {
			segs[n-1].end = int(r)
		} else {
			segs = append(segs, seg{int(r), int(r)})
		}
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF})
	n := len(segs)
	set := map[rune]bool{}
	for _, r := range runes {
		set[r] = true
	}
	var glyphs []uint16
	ends, starts := make([]uint16, n), make([]uint16, n)
	deltas, ranges := make([]uint16, n), make([]uint16, n)
	for i, s := range segs {
		ends[i], starts[i] = uint16(s.end), uint16(s.start)
		if i == n-1 {
			deltas[i] = 1 // 0xFFFF → glyph 0
			continue
		}
		ranges[i] = uint16(2*(n-i) + 2*len(glyphs))
		for c := s.start; c <= s.end; c++ {
			g := 0
			if set[rune(c)] {
				g = gid(rune(c))
			}
			glyphs = append(glyphs, uint16(g))
		}
	}
	length := 16 + 8*n + 2*len(glyphs)
	if length > 0xFFFF {
		return nil, fmt.Errorf("subset: cmap subtable of %d bytes exceeds format 4", length)
	}
	sub := make([]byte, 0, length)
	put := func(v ...uint16) {
		for _, x := range v {
			sub = binary.BigEndian.AppendUint16(sub, x)
		}
	}
	entrySel := 0
	for (2 << entrySel) <= n {
		entrySel++
	}
	searchRange := 2 * (1 << entrySel)
	put(4, uint16(length), 0, uint16(2*n), uint16(searchRange), uint16(entrySel), uint16(2*n-searchRange))
	put(ends...)
	put(0)
	put(starts...)
	put(deltas...)
	put(ranges...)
	put(glyphs...)
	head := []byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}
	return append(head, sub...), nil
}

// writeTTF assembles tables into a font file with a sorted, checksummed table directory.
func writeTTF(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	entrySel := 0
	for (2 << entrySel) <= n {
		entrySel++
	}
	searchRange := 16 * (1 << entrySel)
	out := binary.BigEndian.AppendUint32(nil, 0x00010000)
	out = binary.BigEndian.AppendUint16(out, uint16(n))
	out = binary.BigEndian.AppendUint16(out, uint16(searchRange))
	out = binary.BigEndian.AppendUint16(out, uint16(entrySel))
	out = binary.BigEndian.AppendUint16(out, uint16(16*n-searchRange))
	off := 12 + 16*n
	var body []byte
	for _, t := range tags {
		data := tables[t]
		out = append(out, t...)
		out = binary.BigEndian.AppendUint32(out, checksum(data))
		out = binary.BigEndian.AppendUint32(out, uint32(off+len(body)))
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		body = append(body, data...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	return append(out, body...)
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
