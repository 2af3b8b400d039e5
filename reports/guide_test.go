package reports_test

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"occhealth/app"
	"occhealth/reports"
	"occhealth/reports/pdf"
	"occhealth/reports/pdf/pdftest"
)

// update rewrites the goldens of package reports' tests (go test -update): use it for
// other goldens here rather than defining the flag twice.
var update = flag.Bool("update", false, "rewrite the goldens in testdata/")

// layoutGolden compares got with testdata/name, rewriting it with -update; a mismatch is
// written to testdata/failed/name.
func layoutGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join("testdata", "failed", name)
		_ = os.MkdirAll(filepath.Dir(failed), 0o755)
		_ = os.WriteFile(failed, got, 0o644)
		t.Errorf("layout differs from %s: see %s (go test -update accepts it)", path, failed)
	}
}

// dumpPDF writes b into $OCCHEALTH_PDF_OUT when set, to be looked at.
func dumpPDF(t testing.TB, name string, b []byte) {
	if dir := os.Getenv("OCCHEALTH_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// testPhoto is a small grey portrait PNG standing in for an ID-card photo.
func testPhoto() []byte {
	img := image.NewGray(image.Rect(0, 0, 60, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 60; x++ {
			v := uint8(230)
			if dx, dy := x-30, y-30; dx*dx+dy*dy < 15*15 || (y > 55 && dx*dx < (y-40)*(y-40)) {
				v = 90
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func guideSheet(i int) reports.GuideSheet {
	return reports.GuideSheet{
		Institution: "广西壮族自治区某县人民医院（职业健康检查）",
		Worker: reports.GuideWorker{Name: "黄丽娟", Sex: "女", Age: 34,
			IDNumber: "450102199203150028", Phone: "13807710001"},
		Employer:   "广西某某锰业有限公司",
		Contract:   "HT2026-015",
		ExamNumber: "01260000" + strconv.Itoa(1000+i),
		ExamType:   "在岗期间",
		Date:       time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local),
		Workshop:   "电解车间",
		Job:        "电解工",
		Hazards:    []string{"锰及其无机化合物", "噪声", "高温", "硫酸"},
		Departments: []reports.GuideDepartment{
			{Name: "检验科", Items: []string{"血常规", "尿常规", "肝功能", "血糖", "尿锰"}},
			{Name: "内科", Items: []string{"内科常规检查", "血压"}},
			{Name: "神经科", Items: []string{"神经系统常规检查（含肌张力、共济运动、震颤）"}},
			{Name: "外科", Items: []string{"外科常规检查", "皮肤"}},
			{Name: "耳鼻喉科", Items: []string{"耳科常规检查"}},
			{Name: "听力室", Items: []string{"纯音听阈测试"}},
			{Name: "心电图室", Items: []string{"心电图"}},
			{Name: "放射科", Items: []string{"胸部X射线摄影（后前位）"}},
		},
		Notes: reports.DefaultGuideNotes,
	}
}

// TestLayoutGuideSheets is the layout golden of one guide sheet with a photo.
func TestLayoutGuideSheets(t *testing.T) {
	s := guideSheet(1)
	s.Worker.Photo = testPhoto()
	l, err := reports.LayoutGuideSheets([]reports.GuideSheet{s})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pages) != 1 {
		t.Errorf("%d pages, want 1", len(l.Pages))
	}
	var kinds []string
	for _, b := range l.Pages[0].Boxes {
		if b.Kind == pdf.KindImage {
			kinds = append(kinds, strings.SplitN(b.Image, ":", 2)[0])
		}
		if b.X < 0 || b.Y < 0 || float64(b.X+b.W) > float64(l.Pages[0].W)+0.01 || float64(b.Y+b.H) > float64(l.Pages[0].H)+0.01 {
			t.Errorf("%s box %q off the page: %+v", b.Kind, b.Text, *b)
		}
	}
	if strings.Join(kinds, ",") != "qr,code128,sha256" {
		t.Errorf("images %v, want QR, Code128 and the photo", kinds)
	}
	layoutGolden(t, "guide/sheet.json", l.JSON())
}

// TestRenderGuideSheets_Batch renders three sheets in one PDF, one of them long enough to
// continue on a second page: page numbers count per sheet, progress reaches the total, and
// the same input gives the same bytes.
func TestRenderGuideSheets_Batch(t *testing.T) {
	sheets := []reports.GuideSheet{guideSheet(1), guideSheet(2), guideSheet(3)}
	for i := 0; i < 14; i++ {
		sheets[1].Departments = append(sheets[1].Departments, reports.GuideDepartment{
			Name: "检验科" + strconv.Itoa(i), Items: []string{"血铅", "尿铅", "血锌原卟啉", "尿δ-氨基-γ-酮戊酸"}})
	}
	var calls []int
	b, err := reports.RenderGuideSheets(sheets, func(done, total int) {
		if total != 3 {
			t.Errorf("total %d", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || calls[2] != 3 {
		t.Errorf("progress calls %v", calls)
	}
	again, _ := reports.RenderGuideSheets(sheets, nil)
	if !bytes.Equal(b, again) {
		t.Error("the same sheets rendered to different bytes")
	}
	l, _ := reports.LayoutGuideSheets(sheets)
	var numbers []string
	for i := range l.Pages {
		for _, s := range l.Texts(i) {
			if strings.HasPrefix(s, "第 ") {
				numbers = append(numbers, s)
			}
		}
	}
	want := "第 1 页 共 1 页|第 1 页 共 2 页|第 2 页 共 2 页|第 1 页 共 1 页"
	if got := strings.Join(numbers, "|"); got != want {
		t.Errorf("page numbers %s, want %s", got, want)
	}
	if texts := strings.Join(l.Texts(2), "|"); !strings.Contains(texts, "导检单（续）") || !strings.Contains(texts, "检查项目") {
		t.Errorf("continuation page lacks its header or the table header: %s", texts)
	}
	dumpPDF(t, "guide_batch.pdf", b)
}

// TestRenderGuideSheets_Refuses checks that exam numbers are digits only.
func TestRenderGuideSheets_Refuses(t *testing.T) {
	for _, n := range []string{"", "A0126000001", "0126 00001"} {
		s := guideSheet(1)
		s.ExamNumber = n
		_, err := reports.RenderGuideSheets([]reports.GuideSheet{s}, nil)
		if app.ErrorCode(err) != app.EINVALID {
			t.Errorf("exam number %q: err %v, want EINVALID", n, err)
		}
	}
}

// TestRenderGuideSheets_RareName prints a name with a CJK Ext-A character (㐀, from Droid Sans
// Fallback) and an Ext-B one (𠀀, in no bundled font): every printed character has a non-zero
// glyph with an outline in the embedded subsets, and 𠀀 is reported while the PDF is complete.
func TestRenderGuideSheets_RareName(t *testing.T) {
	s := guideSheet(1)
	s.Worker.Name = "韦㐀𠀀"
	b, err := reports.RenderGuideSheets([]reports.GuideSheet{s}, nil)
	var me *pdf.MissingGlyphsError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want a *pdf.MissingGlyphsError", err)
	}
	if len(me.Glyphs) != 1 || me.Glyphs[0].Rune != 0x20000 || me.Glyphs[0].Text != "韦㐀𠀀" {
		t.Errorf("missing %v, want 𠀀 in 韦㐀𠀀", me.Glyphs)
	}
	if msg := app.ErrorMessage(err); app.ErrorCode(err) != app.EINVALID || !strings.Contains(msg, "U+20000") || strings.Contains(msg, "内部错误") {
		t.Errorf("code %s, message %q: want EINVALID naming U+20000", app.ErrorCode(err), msg)
	}
	if len(b) == 0 {
		t.Fatal("no PDF with the missing-glyph report")
	}
	gs, err := pdftest.Glyphs(b)
	if err != nil {
		t.Fatal(err)
	}
	shown := pdftest.Text(gs)
	if !strings.Contains(shown, "韦㐀〓") {
		t.Errorf("name not shown as 韦㐀〓 in %q", shown)
	}
	for _, g := range gs {
		if g.GID == 0 || g.Rune == 0 || (!g.Outline && !unicode.IsSpace(g.Rune)) {
			t.Errorf("%q (U+%04X): glyph %d of %s, outline %v", g.Rune, g.Rune, g.GID, g.Font, g.Outline)
		}
		if g.Rune == '㐀' && g.Font != "DroidSansFallback" {
			t.Errorf("㐀 drawn from %s", g.Font)
		}
	}
}

// TestRenderGuideSheets_Poppler renders a sheet to PNG and text with poppler (skipped when
// pdftoppm or pdftotext is missing) and counts the Chinese characters that come back.
func TestRenderGuideSheets_Poppler(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian poppler-utils)", tool)
		}
	}
	s := guideSheet(1)
	s.Worker.Photo = testPhoto()
	b, err := reports.RenderGuideSheets([]reports.GuideSheet{s}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "guide.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "80", "-png", f, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pngs) != 1 {
		t.Fatalf("pdftoppm made %d pages, want 1", len(pngs))
	}
	if fi, err := os.Stat(pngs[0]); err != nil || fi.Size() < 10000 {
		t.Errorf("page image %v suspiciously small", fi)
	}
	// The Code128 at the top right, at 300 dpi: bars of whole 4-dot modules, as printed.
	if out, err := exec.Command("pdftoppm", "-r", "300", "-gray", "-png", "-y", "0", "-H", "400", f, filepath.Join(dir, "hi")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	hi := readPNG(t, filepath.Join(dir, "hi-1.png"))
	row := int((pdf.MM(15) + 17) * 300 / 72)
	if got, ok := modulesOnRowFrom(hi, row, hi.Bounds().Dx()/2, 4); !ok || got != symbolModules(t, s.ExamNumber) {
		t.Errorf("guide sheet bars at 300 dpi (whole modules %v):\n%s\nwant\n%s", ok, got, symbolModules(t, s.ExamNumber))
	}
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	want := 0
	var expected []string
	expected = append(expected, s.Institution, "职业健康检查导检单", s.Worker.Name, s.Employer, "注意事项")
	expected = append(expected, s.Hazards...)
	for _, dep := range s.Departments {
		expected = append(expected, dep.Name)
	}
	for _, e := range expected {
		if !strings.Contains(strings.ReplaceAll(text, " ", ""), e) {
			t.Errorf("pdftotext lacks %q", e)
		}
	}
	l, _ := reports.LayoutGuideSheets([]reports.GuideSheet{s})
	for _, line := range l.Texts(0) {
		want += hanCount(line)
	}
	if got := hanCount(text); got != want {
		t.Errorf("pdftotext gave %d Chinese characters, the layout has %d", got, want)
	} else {
		t.Logf("%d Chinese characters read back from %d bytes of PDF", got, len(b))
	}
	dumpPDF(t, "guide.pdf", b)
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// BenchmarkGuideSheets3000 renders a contract's 3,000 guide sheets into one PDF and reports
// the size.
func BenchmarkGuideSheets3000(b *testing.B) {
	sheets := make([]reports.GuideSheet, 3000)
	for i := range sheets {
		sheets[i] = guideSheet(i)
		sheets[i].Worker.Name = []string{"黄丽娟", "韦国强", "覃秀梅", "莫志坚", "蓝海燕", "陆文斌"}[i%6]
	}
	if _, err := reports.RenderGuideSheets(sheets[:1], nil); err != nil { // fonts parsed once
		b.Fatal(err)
	}
	var size int
	cpu := cpuTime()
	for b.Loop() {
		out, err := reports.RenderGuideSheets(sheets, nil)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pdf")
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/pdf")
}

// BenchmarkGuideSheet renders one guide sheet (with photo), the fonts already parsed.
func BenchmarkGuideSheet(b *testing.B) {
	s := []reports.GuideSheet{guideSheet(1)}
	s[0].Worker.Photo = testPhoto()
	if _, err := reports.RenderGuideSheets(s, nil); err != nil {
		b.Fatal(err)
	}
	var size int
	cpu := cpuTime()
	for b.Loop() {
		out, err := reports.RenderGuideSheets(s, nil)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1e3, "KB")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}

// TestLayoutGuideSheets_Photo places a GIF photo (converted) and marks an unreadable one.
func TestLayoutGuideSheets_Photo(t *testing.T) {
	var gifBuf bytes.Buffer
	img, _ := png.Decode(bytes.NewReader(testPhoto()))
	if err := gif.Encode(&gifBuf, img, nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		photo []byte
		image bool
		text  string
	}{
		{"png", testPhoto(), true, ""},
		{"gif", gifBuf.Bytes(), true, ""},
		{"garbage", []byte("not a photo"), false, "照片无法显示"},
		{"none", nil, false, "照片"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := guideSheet(1)
			s.Worker.Photo = tt.photo
			b, err := reports.RenderGuideSheets([]reports.GuideSheet{s}, nil)
			if err != nil || len(b) == 0 {
				t.Fatal(err)
			}
			l, _ := reports.LayoutGuideSheets([]reports.GuideSheet{s})
			images := 0
			for _, b := range l.Pages[0].Boxes {
				if b.Kind == pdf.KindImage && strings.HasPrefix(b.Image, "sha256:") {
					images++
				}
			}
			if (images == 1) != tt.image {
				t.Errorf("%d photo images", images)
			}
			if tt.text != "" && !containsText(l.Texts(0), tt.text) {
				t.Errorf("no %q on the sheet", tt.text)
			}
		})
	}
}

func containsText(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestNewGuideSheet builds a sheet from app records: items grouped by department in order of
// first appearance, duplicates dropped, age on the exam date, 复查 carried.
func TestNewGuideSheet(t *testing.T) {
	in := &app.Institution{Name: "某县人民医院"}
	w := &app.Worker{Name: "黄丽娟", Sex: app.SexFemale, BirthDate: time.Date(1992, 3, 15, 0, 0, 0, 0, time.Local),
		IDNumber: "450102199203150028", Phone: "13807710001"}
	emp := &app.Employer{Name: "广西某某锰业有限公司"}
	e := &app.Exam{Number: "012600001001", Type: app.ExamPeriodic, Recheck: true,
		Date: time.Date(2026, 3, 14, 0, 0, 0, 0, time.Local), Workshop: "电解车间", JobName: "电解工",
		Items: []app.ExamItem{
			{Name: "血常规", Department: "检验科"},
			{Name: "内科常规检查", Department: "内科"},
			{Name: "尿锰", Department: "检验科"},
			{Name: "血常规", Department: "检验科"},
			{Name: "问诊"},
		}}
	s := reports.NewGuideSheet(in, w, emp, "HT2026-015", e, []string{"锰及其无机化合物"}, nil)
	var deps []string
	for _, d := range s.Departments {
		deps = append(deps, d.Name+":"+strings.Join(d.Items, "、"))
	}
	if got, want := strings.Join(deps, "|"), "检验科:血常规、尿锰|内科:内科常规检查|其他:问诊"; got != want {
		t.Errorf("departments %s, want %s", got, want)
	}
	if s.Worker.Age != 33 || s.Worker.Sex != "女" || s.ExamType != "在岗期间" || !s.Recheck ||
		s.Institution != "某县人民医院" || s.Employer != "广西某某锰业有限公司" || s.Contract != "HT2026-015" {
		t.Errorf("sheet %+v", s)
	}
	if _, err := reports.RenderGuideSheets([]reports.GuideSheet{s}, nil); err != nil {
		t.Error(err)
	}
}
