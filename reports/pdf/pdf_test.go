package pdf_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"occhealth/reports/pdf"
	"occhealth/reports/pdf/pdftest"
)

var update = flag.Bool("update", false, "rewrite the layout goldens in testdata/")

// golden compares got with testdata/name, rewriting it with -update. On a mismatch it writes
// got to testdata/failed/name for a diff.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join("testdata", "failed", name)
		_ = os.MkdirAll(filepath.Dir(failed), 0o755)
		_ = os.WriteFile(failed, got, 0o644)
		t.Errorf("layout differs from %s: see %s (go test -update accepts it)", path, failed)
	}
}

func newDoc(t testing.TB, o pdf.Options) *pdf.Document {
	t.Helper()
	d, err := pdf.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const (
	noStart = "，。、；：？！）》」』’”…—】〕%％"
	noEnd   = "（《「『‘“【〔"
)

func checkLines(t *testing.T, lines []string) {
	t.Helper()
	for i, l := range lines {
		rs := []rune(l)
		if len(rs) == 0 {
			continue
		}
		if i > 0 && strings.ContainsRune(noStart, rs[0]) {
			t.Errorf("line %d starts with %q: %q", i+1, rs[0], l)
		}
		if i < len(lines)-1 && strings.ContainsRune(noEnd, rs[len(rs)-1]) {
			t.Errorf("line %d ends with %q: %q", i+1, rs[len(rs)-1], l)
		}
	}
}

// TestDocument_Wrap checks the line-breaking rules on lines exactly ten ideographs wide, where
// a greedy break would put the punctuation in the wrong place.
func TestDocument_Wrap(t *testing.T) {
	d := newDoc(t, pdf.Options{})
	st := pdf.Style{Face: pdf.Song, Size: 10}
	const w = 100 // ten ideographs of 10 pt
	tests := []struct {
		name, text string
		want       []string
	}{
		{"fits", "一二三四五六七八九十", []string{"一二三四五六七八九十"}},
		{"comma would start a line", "一二三四五六七八九十，一二三", []string{"一二三四五六七八九", "十，一二三"}},
		{"two closers", "一二三四五六七八九十）。一二", []string{"一二三四五六七八九", "十）。一二"}},
		{"ellipsis", "一二三四五六七八九十……", []string{"一二三四五六七八九", "十……"}},
		{"opener would end a line", "一二三四五六七八九（一）二三", []string{"一二三四五六七八九", "（一）二三"}},
		{"closing quote", "一二三四五六七八九“十”一二", []string{"一二三四五六七八九", "“十”一二"}},
		{"words stay whole", "依据职业健康监护技术规范GBZ 188-2014和2025-08-01起的新版执行", nil},
		{"hard break", "第一行\n第二行", []string{"第一行", "第二行"}},
		{"long word splits", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", nil},
		{"all punctuation", "，，，，，，，，，，，，", nil},
		{"dash stays whole", "一二三四五六七八九——十一", []string{"一二三四五六七八", "九——十一"}},
		{"square brackets", "一二三四五六七八九【十】一", []string{"一二三四五六七八九", "【十】一"}},
		{"tortoise shell", "一二三四五六七八〔九〕十", []string{"一二三四五六七八", "〔九〕十"}},
		{"percent", "一二三四五六七八九十％一", []string{"一二三四五六七八九", "十％一"}},
		{"opener at the end", "一二三四五六七八九〔十〕", []string{"一二三四五六七八九", "〔十〕"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.Wrap(tt.text, w, st)
			for _, l := range got {
				if lw := d.Measure(l, st); lw > w+1e-6 {
					t.Errorf("line %q is %.2f pt wide, more than %d", l, lw, w)
				}
			}
			squash := strings.NewReplacer("\n", "", " ", "")
			if squash.Replace(strings.Join(got, "")) != squash.Replace(tt.text) {
				t.Errorf("text lost: %q from %q", got, tt.text)
			}
			if tt.want != nil && strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, word := range []string{"GBZ", "188-2014", "2025-08-01"} {
				if strings.Contains(tt.text, word) && !strings.Contains(strings.Join(got, "\n"), word) {
					t.Errorf("%q broken: %q", word, got)
				}
			}
			if tt.name != "all punctuation" {
				checkLines(t, got)
			}
		})
	}
}

// TestDocument_Paragraph is the layout golden of a paragraph whose greedy breaks would start
// lines with ， and 。 and end one with （.
func TestDocument_Paragraph(t *testing.T) {
	d := newDoc(t, pdf.Options{Page: pdf.Size{W: 200, H: 300}, Margin: pdf.Margins{Top: 20, Right: 20, Bottom: 20, Left: 20}})
	d.AddPage()
	st := pdf.Style{Face: pdf.Song, Size: 10, Leading: 1.6}
	text := "劳动者应按导检单所列项目检查完毕，" + // 16 ideographs fill a line: the 17th (，) would start line 2
		"交回前台后方可离开本院检查区域（不含外出体检），" +
		"检查结果将于三十个工作日内送达用人单位。"
	d.Paragraph(text, st)
	l := d.Layout()
	lines := l.Texts(0)
	checkLines(t, lines)
	if lines[0] != "劳动者应按导检单所列项目检查完" {
		t.Errorf("first line %q: the break should move 毕 down with the comma", lines[0])
	}
	golden(t, "paragraph.json", l.JSON())
}

// TestDocument_Table is the layout golden of a table that spills over three pages: rows move
// whole to the next page under a repeated header, and a row taller than a page splits.
func TestDocument_Table(t *testing.T) {
	d := newDoc(t, pdf.Options{Page: pdf.Size{W: 300, H: 220}, Margin: pdf.Margins{Top: 20, Right: 20, Bottom: 30, Left: 20}, PageNumbers: true})
	d.AddPage()
	d.Text(20, 20, 260, "表头重复测试", pdf.Style{Face: pdf.Hei, Size: 12, Align: pdf.Center})
	d.SetY(40)
	rows := [][]string{
		{"1", "内科", "血压、心率"},
		{"2", "外科", "皮肤、淋巴结、甲状腺、脊柱四肢"},
		{"3", "检验科", "血常规"},
		{"4", "检验科", "尿常规"},
		{"5", "检验科", "肝功能（ALT）"},
		{"6", "心电图室", "心电图"},
		{"7", "放射科", strings.Repeat("高千伏胸部后前位X射线摄影或数字化摄影（DR），", 12)},
		{"8", "耳鼻喉科", "纯音听阈测试"},
	}
	d.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "序号", Width: 30, Align: pdf.Center}, {Title: "科室", Width: 60}, {Title: "检查项目"}},
		Rows:    rows,
		Body:    pdf.Style{Face: pdf.Song, Size: 9},
		Header:  pdf.Style{Face: pdf.Hei, Size: 9},
	})
	l := d.Layout()
	if len(l.Pages) < 3 {
		t.Fatalf("%d pages, want the table over at least 3", len(l.Pages))
	}
	for i := range l.Pages {
		texts := l.Texts(i)
		if !contains(texts, "检查项目") {
			t.Errorf("page %d has no header row: %q", i+1, texts)
		}
		if !contains(texts, "第 "+itoa(i+1)+" 页 共 "+itoa(len(l.Pages))+" 页") {
			t.Errorf("page %d: no page number in %q", i+1, texts)
		}
		for _, b := range l.Pages[i].Boxes {
			if float64(b.Y+b.H) > 220-30+0.01 && !strings.HasPrefix(b.Text, "第 ") {
				t.Errorf("page %d: %s box %q ends at %.2f, below the bottom margin", i+1, b.Kind, b.Text, b.Y+b.H)
			}
		}
	}
	golden(t, "table_split.json", l.JSON())
	b, err := d.PDF()
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "table_split.pdf", b)
}

// TestDocument_TableHeadings is the layout golden of a results table grouped by department:
// a heading never ends a page, and a group that continues on the next page repeats its heading
// with （续） under the repeated header.
func TestDocument_TableHeadings(t *testing.T) {
	d := newDoc(t, pdf.Options{Page: pdf.Size{W: 300, H: 240}, Margin: pdf.Margins{Top: 20, Right: 20, Bottom: 30, Left: 20}, PageNumbers: true})
	d.AddPage()
	rows := [][]string{
		{"内科"},
		{"血压", "128/80", "mmHg"},
		{"心率", "72", "次/分"},
		{"检验科 · 血常规"},
		{"白细胞计数", "11.2 ↑", "×10⁹/L"},
		{"红细胞计数", "4.5", "×10¹²/L"},
		{"血红蛋白", "150", "g/L"},
		{"血小板计数", "弃检", ""},
		{"中性粒细胞百分比", "65", "%"},
		{"淋巴细胞百分比", "28", "%"},
		{"检验科 · 尿常规"},
		{"尿蛋白", "阴性", ""},
		{"尿糖", "阴性", ""},
	}
	heads := map[int]bool{0: true, 3: true, 10: true}
	d.Table(pdf.Table{
		Columns:  []pdf.Column{{Title: "项目"}, {Title: "结果", Width: 70}, {Title: "单位", Width: 60}},
		Rows:     rows,
		Headings: heads,
		Body:     pdf.Style{Face: pdf.Song, Size: 9},
		Header:   pdf.Style{Face: pdf.Hei, Size: 9},
	})
	l := d.Layout()
	if len(l.Pages) < 2 {
		t.Fatalf("%d pages, want the table over at least 2", len(l.Pages))
	}
	for i := range l.Pages {
		texts := l.Texts(i)
		if !contains(texts, "项目") {
			t.Errorf("page %d has no header row: %q", i+1, texts)
		}
		// The last body text of a page is never a heading.
		last := ""
		for _, s := range texts {
			if !strings.HasPrefix(s, "第 ") {
				last = s
			}
		}
		for r := range heads {
			if last == rows[r][0] || last == rows[r][0]+"（续）" {
				t.Errorf("page %d ends with the heading %q", i+1, last)
			}
		}
	}
	// Page 2 starts inside a group: its heading is repeated.
	if p2 := l.Texts(1); len(p2) < 4 || !strings.HasSuffix(p2[3], "（续）") {
		t.Errorf("page 2 does not repeat the group heading: %q", p2)
	}
	golden(t, "table_headings.json", l.JSON())

	// On every page height, no page ends with a heading and every row is drawn once.
	moved := 0
	for h := 150.0; h <= 400; h++ {
		d := newDoc(t, pdf.Options{Page: pdf.Size{W: 300, H: h}, Margin: pdf.Margins{Top: 20, Right: 20, Bottom: 30, Left: 20}})
		d.AddPage()
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: "项目"}, {Title: "结果", Width: 70}, {Title: "单位", Width: 60}},
			Rows: rows, Headings: heads, Body: pdf.Style{Face: pdf.Song, Size: 9}, Header: pdf.Style{Face: pdf.Hei, Size: 9}})
		l := d.Layout()
		count := map[string]int{}
		for i := range l.Pages {
			texts := l.Texts(i)
			for _, s := range texts {
				count[s]++
			}
			if last := texts[len(texts)-1]; heads[0] && (last == "内科" || strings.HasPrefix(last, "检验科")) {
				t.Errorf("page height %.0f: page %d ends with the heading %q", h, i+1, last)
			}
			// A page whose last row was left empty for a heading moved on.
			if i > 0 && len(texts) > 3 && !strings.HasSuffix(texts[3], "（续）") {
				moved++
			}
		}
		for r, row := range rows {
			if !heads[r] && count[row[0]] != 1 {
				t.Errorf("page height %.0f: row %q drawn %d times", h, row[0], count[row[0]])
			}
		}
	}
	if moved == 0 {
		t.Error("no page height moved a heading to the next page: the test does not test that")
	}
}

// dump writes a PDF into $OCCHEALTH_PDF_OUT, when set, to be looked at.
func dump(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("OCCHEALTH_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Error(err)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestDocument_RareCharacters prints a name with a CJK Ext-A character (㐀, only in Droid Sans
// Fallback) and an Ext-B one (𠀀, in no bundled font), in both primary faces. Every printed
// rune must reach the PDF as a non-zero glyph with an outline in the embedded subset, and the
// Ext-B rune must be reported, not printed as a blank.
func TestDocument_RareCharacters(t *testing.T) {
	d := newDoc(t, pdf.Options{})
	d.AddPage()
	name := "张㐀𠀀明"
	d.Text(50, 50, 0, "姓名："+name, pdf.Style{Face: pdf.Hei, Size: 14})
	d.Text(50, 80, 0, "姓名："+name+" ABC 123", pdf.Style{Face: pdf.Song, Size: 14})
	b, err := d.PDF()
	if err != nil {
		t.Fatal(err)
	}
	miss := d.Missing()
	if len(miss) != 1 || miss[0].Rune != 0x20000 || miss[0].Count != 2 {
		t.Fatalf("missing = %v, want 𠀀 twice", miss)
	}
	var me *pdf.MissingGlyphsError
	if err := d.MissingErr(); err == nil || !strings.Contains(err.Error(), "U+20000") {
		t.Errorf("MissingErr = %v", err)
	} else if e, ok := err.(*pdf.MissingGlyphsError); !ok {
		t.Errorf("MissingErr is %T", err)
	} else {
		me = e
	}
	_ = me
	gs, err := pdftest.Glyphs(b)
	if err != nil {
		t.Fatal(err)
	}
	want := "姓名：张㐀〓明" + "姓名：张㐀〓明 ABC 123"
	if got := pdftest.Text(gs); got != want {
		t.Errorf("PDF shows %q, want %q", got, want)
	}
	for _, g := range gs {
		if g.GID == 0 || (!g.Outline && g.Rune != ' ') {
			t.Errorf("%q: glyph %d in %s, outline %v", g.Rune, g.GID, g.Font, g.Outline)
		}
		if g.Rune == '㐀' && g.Font != "DroidSansFallback" {
			t.Errorf("㐀 from %s, want DroidSansFallback", g.Font)
		}
	}
	for _, r := range "𠀀" {
		if ok, _ := pdf.Has(pdf.Hei, r); ok {
			t.Errorf("a bundled font now has %q: pick another rune for this test", r)
		}
	}
}

// TestDocument_ExtB prints names with CJK Ext-A (㛃, 䶮) and Ext-B characters of the
// 通用规范汉字表 (𠅤, 𡎚, 𩽾) in both faces: each must reach the PDF as a non-zero glyph ID with an
// outline in the embedded subset (Droid Sans Fallback for Ext-A, the HanaMinB cut for Ext-B),
// and nothing is reported missing.
func TestDocument_ExtB(t *testing.T) {
	d := newDoc(t, pdf.Options{})
	d.AddPage()
	names := "王㛃𠅤 李䶮𡎚 𩽾明"
	d.Text(50, 50, 0, names, pdf.Style{Face: pdf.Hei, Size: 14})
	d.Text(50, 80, 0, names, pdf.Style{Face: pdf.Song, Size: 14})
	b, err := d.PDF()
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "extb.pdf", b)
	checkXref(t, b)
	if m := d.Missing(); len(m) != 0 {
		t.Fatalf("missing %v", m)
	}
	gs, err := pdftest.Glyphs(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := pdftest.Text(gs); got != names+names {
		t.Errorf("PDF shows %q, want %q twice", got, names)
	}
	fonts := map[rune]string{'㛃': "DroidSansFallback", '䶮': "DroidSansFallback",
		0x20164: "HanaMinB-Rare", 0x2139A: "HanaMinB-Rare", 0x29F7E: "HanaMinB-Rare"}
	seen := map[rune]int{}
	for _, g := range gs {
		if g.GID == 0 || (!g.Outline && g.Rune != ' ') {
			t.Errorf("%q: glyph %d in %s, outline %v", g.Rune, g.GID, g.Font, g.Outline)
		}
		if want, ok := fonts[g.Rune]; ok {
			seen[g.Rune]++
			if g.Font != want {
				t.Errorf("%q (U+%X) from %s, want %s", g.Rune, g.Rune, g.Font, want)
			}
		}
	}
	for r := range fonts {
		if seen[r] != 2 {
			t.Errorf("%q shown %d times, want 2", r, seen[r])
		}
	}
}

// checkXref checks that every cross-reference entry points at its object and startxref at
// the table (the ToUnicode fix moves them).
func checkXref(t *testing.T, b []byte) {
	t.Helper()
	x := bytes.LastIndex(b, []byte("\nxref\n")) + 1
	tail := string(b[bytes.LastIndex(b, []byte("startxref\n"))+10:])
	if want := strconv.Itoa(x); !strings.HasPrefix(tail, want+"\n") {
		t.Errorf("startxref %q, table at %s", tail, want)
	}
	lines := strings.Split(string(b[x:]), "\n")
	for i, l := range lines[3:] {
		if !strings.HasSuffix(l, " 00000 n ") {
			break
		}
		off, _ := strconv.Atoi(l[:10])
		if want := strconv.Itoa(i+1) + " 0 obj"; !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, b[off:min(off+12, len(b))])
		}
	}
}

// TestDocument_SubsetFonts renders the same page with gopdf's subsets and with the fonts cut
// to the document's characters: the PDF shows the same text, every glyph has its outline, and
// the cut one is much smaller.
func TestDocument_SubsetFonts(t *testing.T) {
	build := func(cut bool) []byte {
		d := newDoc(t, pdf.Options{SubsetFonts: cut, PageNumbers: true})
		d.AddPage()
		d.Text(50, 50, 0, "职业健康检查报告 ABC 123", pdf.Style{Face: pdf.Hei, Size: 16})
		d.SetY(80)
		d.Paragraph("白细胞计数 11.2 ×10⁹/L ↑ 偏高；姓名 王㛃𠅤、张𠀀；（矽尘）——目前未见异常。", pdf.Style{Face: pdf.Song})
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: "项目"}, {Title: "结果"}}, Rows: [][]string{{"玥", "阴性"}}})
		b, err := d.PDF()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	full, cut := build(false), build(true)
	if !bytes.Equal(cut, build(true)) {
		t.Error("two renders with cut fonts differ")
	}
	checkXref(t, cut)
	text := func(b []byte) string {
		gs, err := pdftest.Glyphs(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gs {
			if g.GID == 0 || (!g.Outline && g.Rune != ' ') {
				t.Errorf("%q: glyph %d in %s, outline %v", g.Rune, g.GID, g.Font, g.Outline)
			}
		}
		return pdftest.Text(gs)
	}
	if a, b := text(full), text(cut); a != b || !strings.Contains(b, "×10⁹/L") || !strings.Contains(b, "王㛃𠅤") {
		t.Errorf("cut fonts show %q, gopdf's subsets %q", b, a)
	}
	if len(cut)*3 > len(full) {
		t.Errorf("cut fonts: %d bytes, gopdf's subsets %d", len(cut), len(full))
	}
	t.Logf("%d bytes with cut fonts, %d without", len(cut), len(full))
	dump(t, "subset_fonts.pdf", cut)
}

// TestDocument_PDF checks that the same input gives the same bytes, that the injected
// creation date and title are written, and that a filled rectangle does not colour the text
// after it.
func TestDocument_PDF(t *testing.T) {
	build := func() []byte {
		d := newDoc(t, pdf.Options{Info: pdf.Info{Title: "测试", Creator: "职业健康工作站",
			Created: time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))}, PageNumbers: true})
		d.AddPage()
		d.Rect(50, 50, 100, 20, 0, &pdf.RGB{R: 200})
		d.Text(50, 80, 0, "填充之后的文字", pdf.Style{})
		if _, err := d.Code128(50, 120, pdf.Dots(4, 300), 30, "2526000001"); err != nil {
			t.Fatal(err)
		}
		if err := d.QR(300, 120, 60, "2526000001"); err != nil {
			t.Fatal(err)
		}
		b, err := d.PDF()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := build(), build()
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same document differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate(D:20260301093000+08'00')")) {
		t.Error("creation date not written as injected")
	}
	if bytes.Contains(a, []byte(time.Now().Format("20060102"))) {
		t.Error("today's date found in the PDF")
	}
	// Every stream is compressed (contents and ToUnicode maps after the fact) and the
	// cross-reference table points at the objects.
	if bytes.Contains(a, []byte("<<\n/Length ")) {
		t.Error("an uncompressed stream is left")
	}
	checkXref(t, a)
	if _, err := pdftest.Glyphs(a); err != nil {
		t.Errorf("read back: %v", err)
	}
}

// TestDocument_Invisible drops zero-width and control characters instead of reporting them
// or printing 〓.
func TestDocument_Invisible(t *testing.T) {
	d := newDoc(t, pdf.Options{})
	d.AddPage()
	name := "\ufeff张\u200b三\u00ad\r丰\ufe00"
	w := d.Text(10, 10, 0, name, pdf.Style{})
	if m := d.Missing(); len(m) != 0 {
		t.Errorf("missing %v", m)
	}
	if want := d.Measure("张三丰", pdf.Style{}); w != want {
		t.Errorf("width %.2f, want %.2f", w, want)
	}
	b, err := d.PDF()
	if err != nil {
		t.Fatal(err)
	}
	gs, err := pdftest.Glyphs(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := pdftest.Text(gs); got != "张三丰" {
		t.Errorf("PDF shows %q", got)
	}
}

// TestDocument_TinyPage lays a table out on a page with no room for a body line under its
// header: it must end, overflowing, rather than add pages forever.
func TestDocument_TinyPage(t *testing.T) {
	d := newDoc(t, pdf.Options{Page: pdf.Size{W: 100, H: 40}})
	d.AddPage()
	d.Table(pdf.Table{Columns: []pdf.Column{{Title: "项目"}}, Rows: [][]string{{"一二三四五六七八九十一二三四五六七八九十"}}})
	if n := d.Pages(); n > 20 {
		t.Errorf("%d pages", n)
	}
}

// TestDocument_Concurrent builds documents on several goroutines: the shared fonts are
// read-only (run with -race).
func TestDocument_Concurrent(t *testing.T) {
	done := make(chan []byte)
	for i := 0; i < 4; i++ {
		go func() {
			d, err := pdf.New(pdf.Options{})
			if err != nil {
				t.Error(err)
				done <- nil
				return
			}
			d.AddPage()
			d.Paragraph("职业健康检查导检单，张㐀𠀀与李四同时打印。", pdf.Style{Face: pdf.Song})
			b, err := d.PDF()
			if err != nil {
				t.Error(err)
			}
			done <- b
		}()
	}
	var first []byte
	for i := 0; i < 4; i++ {
		b := <-done
		if first == nil {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Error("concurrent documents differ")
		}
	}
}

// TestDocument_Stream checks that drawing sections as they complete gives the same bytes as
// drawing the whole layout at the end, page numbers included.
func TestDocument_Stream(t *testing.T) {
	build := func(stream bool) ([]byte, *pdf.Document) {
		d := newDoc(t, pdf.Options{Page: pdf.Size{W: 200, H: 160}, Margin: pdf.Margins{Top: 10, Right: 10, Bottom: 20, Left: 10},
			PageNumbers: true, Stream: stream})
		for i := 0; i < 3; i++ {
			d.NewSection()
			if _, err := d.Code128(10, 10, 1, 20, "25260000"+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
			d.SetY(40)
			d.Paragraph(strings.Repeat("第"+strconv.Itoa(i+1)+"份文件的正文，", 10*(i+1)), pdf.Style{Face: pdf.Song})
		}
		b, err := d.PDF()
		if err != nil {
			t.Fatal(err)
		}
		return b, d
	}
	a, _ := build(false)
	b, d := build(true)
	if !bytes.Equal(a, b) {
		t.Error("streamed PDF differs")
	}
	if n := len(d.Layout().Pages); n != 0 {
		t.Errorf("streamed document keeps %d pages of layout", n)
	}
}
