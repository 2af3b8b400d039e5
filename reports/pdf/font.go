package pdf

import (
	"fmt"
	"sync"
	"unicode"

	"github.com/signintech/gopdf"

	"occhealth/assets"
)

// Face is a primary typeface of a text style. A rune the face lacks is taken from the next face
// of its fallback chain.
type Face uint8

const (
	// Hei is WenQuanYi Micro Hei: headings, forms, labels. Fallback: Droid Sans Fallback.
	Hei Face = iota
	// Song is AR PL SungtiL GB (GB 2312 only): body text of statutory documents. Fallback:
	// Micro Hei, then Droid Sans Fallback.
	Song
	// fallback is Droid Sans Fallback. It has no ASCII, so it is never a primary face.
	fallback
	numFaces
)

// family is the font's name inside the PDF (the BaseFont of the embedded subset).
var family = [numFaces]string{"WenQuanYiMicroHei", "ARPLSungtiLGB", "DroidSansFallback"}

var chains = [numFaces][]Face{
	Hei:      {Hei, fallback},
	Song:     {Song, Hei, fallback},
	fallback: {fallback},
}

// String returns the face's PDF font name.
func (f Face) String() string {
	if f < numFaces {
		return family[f]
	}
	return fmt.Sprintf("Face(%d)", f)
}

// Placeholder is printed in place of a rune that no bundled font has (the GB convention for a
// character the type case lacks). Such runes are also reported by Document.Missing.
const Placeholder = '〓'

// fontSet holds the bundled faces, parsed once per process: container for embedding into each
// document (gopdf copies the parsed tables by reference), lookup for cmap and advance widths.
type fontSet struct {
	container gopdf.FontContainer
	lookup    [numFaces]*gopdf.SubsetFontObj
	// glyphs caches rune → (face chain position) results per primary face.
	glyphs [numFaces]sync.Map // rune → resolved
}

// resolved is where a rune's glyph comes from for one primary face.
type resolved struct {
	face  Face
	gid   uint
	adv   uint // advance width in 1/1000 em, as gopdf computes it
	found bool
}

var (
	fontsOnce sync.Once
	fontsVal  *fontSet
	fontsErr  error
)

// loadFonts parses the bundled faces the first time it is called; later calls return the
// same set. Parsing the three faces costs about 20 ms, and parseFonts parses each twice
// (BenchmarkParseFonts: about 45 ms once per process, against about 20 ms every document
// would pay with gopdf.AddTTFFontData).
func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		fontsVal, fontsErr = parseFonts()
	})
	return fontsVal, fontsErr
}

func parseFonts() (*fontSet, error) {
	data := [numFaces][]byte{Hei: assets.FontUI, Song: assets.FontSong, fallback: assets.FontFallback}
	fs := &fontSet{}
	for f := Face(0); f < numFaces; f++ {
		if err := fs.container.AddTTFFontData(family[f], data[f]); err != nil {
			return nil, fmt.Errorf("parse font %s: %w", family[f], err)
		}
		// The container keeps its parsed copy private, so cmap lookups and widths use a
		// second parse of the same bytes. Both are shared read-only afterwards.
		lk := new(gopdf.SubsetFontObj)
		if err := lk.SetTTFData(data[f]); err != nil {
			return nil, fmt.Errorf("parse font %s: %w", family[f], err)
		}
		fs.lookup[f] = lk
	}
	return fs, nil
}

// glyph returns the glyph ID of r in face f, or 0 when f has no drawable glyph for it. A cmap
// entry that points at an empty outline counts as missing for a visible rune: it would print
// as a blank.
func (fs *fontSet) glyph(f Face, r rune) uint {
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

// resolve finds the face of r for primary face f along f's fallback chain.
func (fs *fontSet) resolve(f Face, r rune) resolved {
	if v, ok := fs.glyphs[f].Load(r); ok {
		return v.(resolved)
	}
	res := resolved{}
	for _, c := range chains[f] {
		if gid := fs.glyph(c, r); gid != 0 {
			res = resolved{face: c, gid: gid, adv: fs.lookup[c].GlyphIndexToPdfWidth(gid), found: true}
			break
		}
	}
	fs.glyphs[f].Store(r, res)
	return res
}

// Has reports whether some bundled face has a glyph for r, when text is set in face f.
func Has(f Face, r rune) (bool, error) {
	fs, err := loadFonts()
	if err != nil {
		return false, err
	}
	return fs.resolve(f, r).found, nil
}
