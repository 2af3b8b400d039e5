package assets

import _ "embed"

// FontUI is WenQuanYi Micro Hei (face 0 of Debian's wqy-microhei.ttc), the
// interface font and the heading face of printed documents.
//
//go:embed fonts/wqy-microhei.ttf
var FontUI []byte

// FontFallback is Droid Sans Fallback Full, which covers CJK Ext-A characters
// that FontUI lacks. Use it per rune when FontUI has no glyph.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var FontFallback []byte

// FontSong is AR PL SungtiL GB, a Song-style face covering GB 2312, for the
// body text of statutory documents. It has no Latin bold and no rare
// characters: fall back to FontUI, then FontFallback.
//
//go:embed fonts/gbsn00lp.ttf
var FontSong []byte

// Icon is the 512×512 application icon (PNG), drawn by icon.sh.
//
//go:embed icon.png
var Icon []byte
