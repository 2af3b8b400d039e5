package assets_test

import (
	"bytes"
	"encoding/binary"
	"golang.org/x/image/math/fixed"
	"image/png"
	"io/fs"
	"testing"

	"golang.org/x/image/font/sfnt"

	"occhealth/assets"
)

// tables returns the table tags of a single-face sfnt file, failing the test
// if the header is not a TrueType-outline font.
func tables(t *testing.T, b []byte) map[string]bool {
	t.Helper()
	if len(b) < 12 {
		t.Fatalf("font too short: %d bytes", len(b))
	}
	switch tag := string(b[:4]); {
	case tag == "ttcf":
		t.Fatalf("font is a TrueType collection (ttcf); Fyne and gopdf reject collections")
	case tag == "OTTO":
		t.Fatalf("font has CFF outlines (OTTO); gopdf needs glyf outlines")
	case binary.BigEndian.Uint32(b[:4]) != 0x00010000:
		t.Fatalf("sfnt version = %x, want 00010000", b[:4])
	}
	n := int(binary.BigEndian.Uint16(b[4:6]))
	if len(b) < 12+16*n {
		t.Fatalf("table directory truncated: %d tables", n)
	}
	got := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		rec := b[12+16*i : 12+16*(i+1)]
		off := binary.BigEndian.Uint32(rec[8:12])
		size := binary.BigEndian.Uint32(rec[12:16])
		if uint64(off)+uint64(size) > uint64(len(b)) {
			t.Fatalf("table %q runs past the end of the file", rec[:4])
		}
		got[string(rec[:4])] = true
	}
	return got
}

func TestFonts_TrueType(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"FontUI", assets.FontUI},
		{"FontScreen", assets.FontScreen},
		{"FontFallback", assets.FontFallback},
		{"FontSong", assets.FontSong},
		{"FontRare", assets.FontRare},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tabs := tables(t, tc.b)
			for _, want := range []string{"glyf", "loca", "cmap", "head", "hmtx", "name"} {
				if !tabs[want] {
					t.Errorf("no %q table", want)
				}
			}
		})
	}
}

func TestIcon_PNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(assets.Icon))
	if err != nil {
		t.Fatalf("decode icon: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("icon is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
}

func TestCatalogs_Embedded(t *testing.T) {
	files, err := fs.Glob(assets.Catalogs, "catalog/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("%d catalogs embedded, want at least 20: %v", len(files), files)
	}
	for _, want := range []string{"catalog/hazards.json", "catalog/diseases_2024.json", "catalog/areas.json"} {
		if _, err := fs.Stat(assets.Catalogs, want); err != nil {
			t.Errorf("%s: %v", want, err)
		}
	}
}

// TestFontScreen_Coverage checks that the screen font has the characters of rare names
// (CJK Ext-A, from the merged fallback) as well as ordinary text and ASCII, which the
// fallback alone lacks.
func TestFontScreen_Coverage(t *testing.T) {
	f, err := sfnt.Parse(assets.FontScreen)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, r := range "张三·阿依古丽A1㐀㛃䶮" {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			t.Errorf("%q (U+%04X): glyph %d, %v", r, r, gi, err)
		}
	}
}

// TestFontScreen_NoBlankSymbols: Micro Hei maps ℃, Ⅴ and Ⅹ to empty
// outlines; the merged screen font must draw them (composed from its own glyphs).
func TestFontScreen_NoBlankSymbols(t *testing.T) {
	f, err := sfnt.Parse(assets.FontScreen)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, r := range "℃ⅠⅡⅢⅣⅤⅥⅩ张" {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			t.Errorf("%q (U+%04X): no glyph (%v)", r, r, err)
			continue
		}
		segs, err := f.LoadGlyph(&buf, gi, fixed.I(64), nil)
		if err != nil || len(segs) == 0 {
			t.Errorf("%q (U+%04X): glyph %d has no outline (%v)", r, r, gi, err)
		}
	}
}
