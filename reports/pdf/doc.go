// Package pdf is the layout module of the printed documents: a small model of positioned text
// runs, rules, rectangles and images over github.com/signintech/gopdf.
//
// What it adds to gopdf:
//
//   - fonts parsed once per process and shared by every document (a 4–5 MB TrueType face takes
//     5–10 ms to parse), Micro Hei also cut to GB 2312 once, because gopdf embeds a font's
//     whole metrics and glyph index tables in every document (subset.go);
//   - per-rune font fallback (Micro Hei's GB 2312 cut or Song first, then the full Micro Hei,
//     then Droid Sans Fallback for CJK Ext-A, then HanaMinB cut to the Ext-B to E hanzi of the
//     通用规范汉字表), checked against each font's cmap, so that a
//     rune no bundled font has is reported by Document.Missing and printed as 〓, never
//     silently as a blank; zero-width and control characters are dropped;
//   - flowing text with Chinese line breaking (no line starts with ，。、；：？！）》」』】〕’”…—%
//     and none ends with （《「『【〔‘“; …… and —— never part);
//   - tables whose rows split across pages with the header row repeated, and group headings
//     that never end a page and repeat with （续） where their group continues;
//   - page numbers "第 N 页 共 M 页", counted per section, so a batch of documents in one PDF
//     numbers each document on its own, and (Options.Stream) sections drawn as they complete;
//   - Code 128 and QR symbols as one-pixel-per-module images, bars on a printer's dot grid;
//   - a layout model (Layout) that tests compare as JSON goldens, and output that is the same
//     bytes for the same input: no clock is read, the creation date is an option;
//   - fonts cut to the document's characters (Options.SubsetFonts) for single documents, and
//     content streams deflated after the fact with one reused writer (compress.go), since
//     gopdf would allocate a new one per page;
//   - ToUnicode maps that are right for supplementary-plane characters (tounicode.go).
//
// Coordinates are PostScript points from the top-left corner of the page; MM converts.
package pdf
