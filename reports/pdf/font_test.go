package pdf

import (
	"testing"

	"github.com/signintech/gopdf"

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

// TestChains checks the fallback order: the rune comes from the first face of the chain
// that has it.
func TestChains(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		primary Face
		r       rune
		want    Face
		found   bool
	}{
		{Hei, '张', Hei, true},
		{Song, '张', Song, true},
		{Song, '✓', Hei, true},     // not in AR PL SungtiL GB
		{Hei, '㐀', fallback, true}, // CJK Ext-A: Droid Sans Fallback only
		{Song, '㐀', fallback, true},
		{Hei, 0x20000, 0, false}, // CJK Ext-B: none
		{Hei, 'A', Hei, true},
	}
	for _, tt := range tests {
		got := fs.resolve(tt.primary, tt.r)
		if got.found != tt.found || (got.found && got.face != tt.want) || (got.found && got.gid == 0) {
			t.Errorf("%s %q: %+v, want face %s found %v", tt.primary, tt.r, got, tt.want, tt.found)
		}
	}
}
