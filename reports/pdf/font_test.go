package pdf

import (
	"testing"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"

	"occhealth/assets"
)

// BenchmarkParseFonts is what parsing the three bundled faces would cost every document
// (twice: once for gopdf's container, once for the lookups); loadFonts pays it once per
// process.
func BenchmarkParseFonts(b *testing.B) {
	for b.Loop() {
		if _, err := parseFonts(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddTTFFontData is gopdf's usual way, one parse of Micro Hei per document.
func BenchmarkAddTTFFontData(b *testing.B) {
	for b.Loop() {
		var gp gopdf.GoPdf
		gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: *gopdf.PageSizeA4})
		if err := gp.AddTTFFontData("hei", assets.FontUI); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew is a document's start with the fonts already parsed.
func BenchmarkNew(b *testing.B) {
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestChains checks the fallback order: the rune comes from the first font of the chain
// that has it.
func TestChains(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		face  Face
		r     rune
		want  font
		found bool
	}{
		{Hei, '张', heiGB, true},
		{Hei, 'A', heiGB, true},
		{Hei, '〓', heiGB, true},
		{Hei, '玥', hei, true}, // GBK, not GB 2312: the full Micro Hei
		{Song, '张', song, true},
		{Song, '✓', heiGB, true}, // not in AR PL SungtiL GB
		{Song, '玥', hei, true},
		{Hei, '㐀', droid, true}, // CJK Ext-A: Droid Sans Fallback only
		{Song, '㐀', droid, true},
		{Hei, 0x20164, rare, true},  // 𠅤, CJK Ext-B of the 通用规范汉字表: the HanaMinB cut
		{Song, 0x29F7E, rare, true}, // 𩽾
		{Song, 0x2C317, rare, true}, // 𬌗, Ext-E
		{Hei, '⁹', rare, true},      // ×10⁹/L: in no other bundled font
		{Hei, '⁴', hei, true},       // Micro Hei has ⁴ (not in GB 2312)
		{Hei, 0x20000, 0, false},    // 𠀀, CJK Ext-B outside the table: none
	}
	for _, tt := range tests {
		got := fs.resolve(tt.face, tt.r)
		if got.found != tt.found || (got.found && got.font != tt.want) || (got.found && got.gid == 0) {
			t.Errorf("%s %q: %+v, want %s found %v", tt.face, tt.r, got, family[tt.want], tt.found)
		}
	}
}

// TestSubsetTTF checks the GB 2312 cut of Micro Hei against the full font: every rune of the
// cut has the same advance and the same outline bytes (composite glyphs aside, whose component
// indexes are renumbered).
func TestSubsetTTF(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	cut, full := fs.lookup[heiGB], fs.lookup[hei]
	cp, fp := cut.GetTTFParser(), full.GetTTFParser()
	if n := cp.NumGlyphs(); n < 8000 || n > 16000 { // 8,110 mapped, and composite components
		t.Errorf("cut has %d glyphs", n)
	}
	glyf := func(p interface {
		GetTables() map[string]core.TableDirectoryEntry
		FontData() []byte
	}, loca []uint, g uint) []byte {
		off := p.GetTables()["glyf"].Offset
		return p.FontData()[off+loca[g] : off+loca[g+1]]
	}
	n := 0
	for _, r := range gbRunes() {
		fg, _ := full.CharCodeToGlyphIndex(r)
		if fg == 0 {
			continue
		}
		cg, err := cut.CharCodeToGlyphIndex(r)
		if err != nil || cg == 0 {
			t.Errorf("%q: in Micro Hei (glyph %d) but not in the cut", r, fg)
			continue
		}
		n++
		if a, b := cut.GlyphIndexToPdfWidth(cg), full.GlyphIndexToPdfWidth(fg); a != b {
			t.Errorf("%q: advance %d in the cut, %d in Micro Hei", r, a, b)
		}
		a, b := glyf(cp, cp.LocaTable, cg), glyf(fp, fp.LocaTable, fg)
		if len(a) > 1 && int16(uint16(a[0])<<8|uint16(a[1])) < 0 {
			continue // composite
		}
		if len(a) != len(b) && len(a) != (len(b)+3)/4*4 || string(a[:len(b)]) != string(b) {
			t.Errorf("%q: outline differs (%d bytes, %d in Micro Hei)", r, len(a), len(b))
		}
	}
	if n < 7400 {
		t.Errorf("only %d runes checked", n)
	}
}
