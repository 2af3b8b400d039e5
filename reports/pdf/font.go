package pdf

import (
	"fmt"
	"sync"
	"unicode"

	"github.com/signintech/gopdf"
	"golang.org/x/text/encoding/simplifiedchinese"

	"occhealth/assets"
)

// Face is the typeface of a text style. A rune the face lacks is taken from the next font of
// its fallback chain.
type Face uint8

const (
	// Hei is WenQuanYi Micro Hei: headings, forms, labels. Chain: Micro Hei cut to GB 2312,
	// Micro Hei, Droid Sans Fallback, the HanaMinB cut.
	Hei Face = iota
	// Song is AR PL SungtiL GB (GB 2312 only): body text of statutory documents. Chain: Song,
	// then as Hei.
	Song
	numFaces
)

// String returns the face's name.
func (f Face) String() string {
	switch f {
	case Hei:
		return "Hei"
	case Song:
		return "Song"
	}
	return fmt.Sprintf("Face(%d)", f)
}

// font is one embedded font program.
type font uint8

const (
	// heiGB is Micro Hei cut to GB 2312 and common symbols, made once per process: gopdf
	// embeds a font's whole hmtx and loca tables in every document, 400 KB to deflate for
	// the full Micro Hei against 60 KB for this cut (see subsetTTF).
	heiGB font = iota
	hei
	song
	// droid is Droid Sans Fallback: CJK Ext-A. It has no ASCII, so it is never first.
	droid
	// rare is HanaMinB cut to the supplementary-plane hanzi of the 通用规范汉字表 (CJK Ext-B
	// to E, names like 𠅤 and 𩽾): the last resort of every chain.
	rare
	numFonts
)

// family is the font's name inside the PDF (the BaseFont of the embedded subset).
var family = [numFonts]string{"WenQuanYiMicroHei-GB2312", "WenQuanYiMicroHei", "ARPLSungtiLGB", "DroidSansFallback", "HanaMinB-Rare"}

var chains = [numFaces][]font{
	Hei:  {heiGB, hei, droid, rare},
	Song: {song, heiGB, hei, droid, rare},
}

// Placeholder is printed in place of a rune that no bundled font has (the GB convention for a
// character the type case lacks). Such runes are also reported by Document.Missing.
const Placeholder = '〓'

// fontSet holds the bundled fonts, parsed once per process: container for embedding into each
// document (gopdf copies the parsed tables by reference), lookup for cmap and advance widths.
type fontSet struct {
	container gopdf.FontContainer
	// data are the font files (heiGB the cut), for the per-document cuts of SubsetFonts.
	data   [numFonts][]byte
	lookup [numFonts]*gopdf.SubsetFontObj
	// glyphs caches resolve per face: rune → resolved; gids caches glyph per font.
	glyphs [numFaces]sync.Map
	gids   [numFonts]sync.Map
}

// resolved is where a rune's glyph comes from for one face.
type resolved struct {
	font  font
	gid   uint
	adv   uint // advance width in 1/1000 em, as gopdf computes it
	found bool
}

var (
	fontsOnce sync.Once
	fontsVal  *fontSet
	fontsErr  error
)

// loadFonts parses the bundled fonts the first time it is called; later calls return the
// same set. Cutting Micro Hei to GB 2312 and parsing everything twice (gopdf's container keeps
// its parse private) costs about 60 ms once per process (BenchmarkParseFonts), where
// gopdf.AddTTFFontData would cost about 20 ms every document.
func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		fontsVal, fontsErr = parseFonts()
	})
	return fontsVal, fontsErr
}

func parseFonts() (*fontSet, error) {
	gb, err := subsetTTF(assets.FontUI, gbRunes(), nil)
	if err != nil {
		return nil, fmt.Errorf("cut Micro Hei to GB 2312: %w", err)
	}
	data := [numFonts][]byte{heiGB: gb, hei: assets.FontUI, song: assets.FontSong, droid: assets.FontFallback, rare: assets.FontRare}
	fs := &fontSet{data: data}
	for f := font(0); f < numFonts; f++ {
		if err := fs.container.AddTTFFontData(family[f], data[f]); err != nil {
			return nil, fmt.Errorf("parse font %s: %w", family[f], err)
		}
		lk := new(gopdf.SubsetFontObj)
		if err := lk.SetTTFData(data[f]); err != nil {
			return nil, fmt.Errorf("parse font %s: %w", family[f], err)
		}
		fs.lookup[f] = lk
	}
	return fs, nil
}

// gbRunes lists GB 2312 (all 7,445 characters) with ASCII, Latin-1 and the symbol blocks
// forms use: the runes of the heiGB cut.
func gbRunes() []rune {
	var rs []rune
	for r := rune(0x20); r <= 0xFF; r++ {
		if r < 0x7F || r >= 0xA0 {
			rs = append(rs, r)
		}
	}
	for _, blk := range [][2]rune{
		{0x2000, 0x206F}, // general punctuation
		{0x2100, 0x21FF}, // letterlike, number forms (Ⅱ, ℃), arrows
		{0x2200, 0x22FF}, // mathematical operators
		{0x2460, 0x24FF}, // enclosed alphanumerics (①)
		{0x2500, 0x27BF}, // box drawing, shapes, symbols, dingbats (✓)
		{0x3000, 0x303F}, // CJK symbols and punctuation
		{0xFF00, 0xFFEF}, // fullwidth forms
	} {
		for r := blk[0]; r <= blk[1]; r++ {
			rs = append(rs, r)
		}
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	for hi := 0xA1; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			b, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				continue
			}
			for _, r := range string(b) {
				if r != unicode.ReplacementChar {
					rs = append(rs, r)
				}
			}
		}
	}
	return rs
}

// glyph returns the glyph ID of r in font f, or 0 when f has no drawable glyph for it. A cmap
// entry that points at an empty outline counts as missing for a visible rune: it would print
// as a blank.
func (fs *fontSet) glyph(f font, r rune) uint {
	if v, ok := fs.gids[f].Load(r); ok {
		return v.(uint)
	}
	g := fs.lookupGlyph(f, r)
	fs.gids[f].Store(r, g)
	return g
}

func (fs *fontSet) lookupGlyph(f font, r rune) uint {
	lk := fs.lookup[f]
	gid, err := lk.CharCodeToGlyphIndex(r)
	if err != nil || gid == 0 {
		return 0
	}
	p := lk.GetTTFParser()
	if int(gid)+1 >= len(p.LocaTable) || int(gid) >= int(p.NumGlyphs()) {
		return 0
	}
	if p.LocaTable[gid+1] == p.LocaTable[gid] && !unicode.IsSpace(r) {
		return 0
	}
	return gid
}

// resolve finds the font of r for face f along f's fallback chain.
func (fs *fontSet) resolve(f Face, r rune) resolved {
	if v, ok := fs.glyphs[f].Load(r); ok {
		return v.(resolved)
	}
	res := resolved{}
	for _, c := range chains[f] {
		if gid := fs.glyph(c, r); gid != 0 {
			res = resolved{font: c, gid: gid, adv: fs.lookup[c].GlyphIndexToPdfWidth(gid), found: true}
			break
		}
	}
	fs.glyphs[f].Store(r, res)
	return res
}

// Has reports whether some bundled font has a glyph for r, when text is set in face f.
func Has(f Face, r rune) (bool, error) {
	fs, err := loadFonts()
	if err != nil {
		return false, err
	}
	return fs.resolve(f, r).found, nil
}
