package reports_test

import (
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/code128"

	"occhealth/app"
	"occhealth/reports"
	"occhealth/reports/pdf"
)

func tubeLabels() []reports.TubeLabel {
	date := time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local)
	return []reports.TubeLabel{
		{Name: "黄丽娟", ExamNumber: "012600001001", Tube: "紫头管（EDTA-K2）", Items: []string{"血常规"}, Date: date},
		{Name: "黄丽娟", ExamNumber: "012600001001", Tube: "黄头管（促凝分离胶）",
			Items: []string{"肝功能", "肾功能", "血糖", "血脂四项", "乙肝两对半", "甲状腺功能", "心肌酶谱"}, Date: date},
		{Name: "阿卜杜热合曼·买买提依明", ExamNumber: "012600001002", Tube: "紫头管（EDTA-K2，微量元素专用）",
			Items: []string{"血铅", "血锰"}, Date: date},
	}
}

// TestLayoutTubeLabels is the layout golden of three labels: a plain one, one with more item
// groups than fit (cut to 等 N 项) and one with a long name and tube (shrunk).
func TestLayoutTubeLabels(t *testing.T) {
	l, err := reports.LayoutTubeLabels(tubeLabels())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pages) != 3 {
		t.Fatalf("%d pages, want one per label", len(l.Pages))
	}
	for i, p := range l.Pages {
		if p.W != pdf.Num(pdf.MM(50)) || p.H != pdf.Num(pdf.MM(30)) {
			t.Errorf("page %d is %.2f×%.2f pt, want 50×30 mm", i+1, p.W, p.H)
		}
		for _, b := range p.Boxes {
			if b.Kind == pdf.KindImage {
				continue // the barcode's quiet zones may reach into the margins
			}
			m := pdf.Num(pdf.MM(1.5)) - 0.01
			if b.X < m || b.Y < m || b.X+b.W > p.W-m || b.Y+b.H > p.H-m {
				t.Errorf("label %d: %q (%.2f,%.2f %.2f×%.2f) outside the printable area", i+1, b.Text, b.X, b.Y, b.W, b.H)
			}
		}
	}
	if texts := strings.Join(l.Texts(1), "|"); !strings.Contains(texts, "等 7 项") {
		t.Errorf("long item list not cut: %s", texts)
	}
	layoutGolden(t, "labels/labels.json", l.JSON())
}

func TestNewTubeLabels(t *testing.T) {
	e := &app.Exam{Number: "012600001001", Date: time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local), Items: []app.ExamItem{
		{Name: "血常规", Tube: "紫头管（EDTA-K2）"},
		{Name: "内科常规检查"},
		{Name: "肝功能", Tube: "黄头管（促凝分离胶）"},
		{Name: "血糖", Tube: "黄头管（促凝分离胶）"},
		{Name: "尿常规", Tube: "尿杯"},
	}}
	got := reports.NewTubeLabels("黄丽娟", e)
	var s []string
	for _, l := range got {
		s = append(s, l.Tube+":"+strings.Join(l.Items, "、"))
	}
	want := "紫头管（EDTA-K2）:血常规|黄头管（促凝分离胶）:肝功能、血糖|尿杯:尿常规"
	if strings.Join(s, "|") != want {
		t.Errorf("labels %q, want %q", s, want)
	}
}

func TestRenderTubeLabels_Refuses(t *testing.T) {
	for _, n := range []string{"", "01260000100A", strings.Repeat("9", 61)} {
		ls := tubeLabels()[:1]
		ls[0].ExamNumber = n
		if _, err := reports.RenderTubeLabels(ls); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("exam number %q: err %v, want EINVALID", n, err)
		}
	}
	ls := tubeLabels()[:1]
	ls[0].Name = "张𠀀"
	b, err := reports.RenderTubeLabels(ls)
	var me *pdf.MissingGlyphsError
	if !errors.As(err, &me) || len(b) == 0 {
		t.Errorf("name with 𠀀: err %v, %d bytes; want the PDF and a MissingGlyphsError", err, len(b))
	}
}

// TestRenderTubeLabels_Bars renders the labels at the 203 dpi of a thermal printer, with
// poppler and with Ghostscript (each skipped when missing; CUPS filters use one or the
// other), and reads the bars back along a row through the symbol: every bar and space must
// be a whole number of 2-dot modules, and the modules must be exactly those of the Code128
// symbol of the exam number.
func TestRenderTubeLabels_Bars(t *testing.T) {
	labels := tubeLabels()
	b, err := reports.RenderTubeLabels(labels)
	if err != nil {
		t.Fatal(err)
	}
	dumpPDF(t, "labels.pdf", b)
	dir := t.TempDir()
	f := filepath.Join(dir, "labels.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	renderers := []struct {
		name string
		args []string
		glob string
	}{
		{"pdftoppm", []string{"-r", "203", "-gray", "-png", f, filepath.Join(dir, "poppler")}, "poppler*.png"},
		{"gs", []string{"-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", "-r203",
			"-sOutputFile=" + filepath.Join(dir, "gs-%d.png"), f}, "gs-*.png"},
	}
	for _, rd := range renderers {
		t.Run(rd.name, func(t *testing.T) {
			if _, err := exec.LookPath(rd.name); err != nil {
				t.Skipf("%s not installed", rd.name)
			}
			if out, err := exec.Command(rd.name, rd.args...).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", rd.name, err, out)
			}
			pngs, _ := filepath.Glob(filepath.Join(dir, rd.glob))
			sort.Strings(pngs)
			if len(pngs) != len(labels) {
				t.Fatalf("%d pages rendered, want %d", len(pngs), len(labels))
			}
			for i, p := range pngs {
				img := readPNG(t, p)
				if w := img.Bounds().Dx(); w < 399 || w > 401 {
					t.Errorf("label %d is %d dots wide at 203 dpi, want 400", i+1, w)
				}
				// Row through the middle of the bars: 1.5 mm margin, the name line, half the bars.
				row := int((pdf.MM(1.5) + 12*1.2 + pdf.MM(5)) * 203 / 72)
				got, ok := modulesOnRow(img, row, 2)
				if !ok {
					t.Errorf("label %d: bars are not whole 2-dot modules on row %d: %s", i+1, row, got)
					continue
				}
				if want := symbolModules(t, labels[i].ExamNumber); got != want {
					t.Errorf("label %d: bars read back\n%s\nwant\n%s", i+1, got, want)
				}
			}
		})
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// modulesOnRow reads the dark/light runs between the first and last dark pixel of a row as
// modules of the given width ("1" bar, "0" space). ok is false when a run is not a whole
// number of modules.
func modulesOnRow(img image.Image, y, dots int) (string, bool) {
	return modulesOnRowFrom(img, y, img.Bounds().Min.X, dots)
}

// modulesOnRowFrom is modulesOnRow right of x0.
func modulesOnRowFrom(img image.Image, y, x0, dots int) (string, bool) {
	b := img.Bounds()
	b.Min.X = x0
	dark := func(x int) bool {
		r, _, _, _ := img.At(x, y).RGBA()
		return r < 0x8000
	}
	first, last := -1, -1
	for x := b.Min.X; x < b.Max.X; x++ {
		if dark(x) {
			if first < 0 {
				first = x
			}
			last = x
		}
	}
	if first < 0 {
		return "no bars", false
	}
	var s strings.Builder
	ok := true
	for x := first; x <= last; {
		d, n := dark(x), 0
		for x <= last && dark(x) == d {
			x++
			n++
		}
		if n%dots != 0 {
			ok = false
		}
		bit := "0"
		if d {
			bit = "1"
		}
		s.WriteString(strings.Repeat(bit, (n+dots/2)/dots))
	}
	return s.String(), ok
}

func symbolModules(t *testing.T, data string) string {
	bc, err := code128.Encode(data)
	if err != nil {
		t.Fatal(err)
	}
	var s strings.Builder
	for x := bc.Bounds().Min.X; x < bc.Bounds().Max.X; x++ {
		if r, _, _, _ := bc.At(x, 0).RGBA(); r < 0x8000 {
			s.WriteByte('1')
		} else {
			s.WriteByte('0')
		}
	}
	return s.String()
}

// BenchmarkTubeLabels renders the three test labels (three 50×30 mm pages).
func BenchmarkTubeLabels(b *testing.B) {
	ls := tubeLabels()
	if _, err := reports.RenderTubeLabels(ls); err != nil {
		b.Fatal(err)
	}
	var size int
	cpu := cpuTime()
	for b.Loop() {
		out, err := reports.RenderTubeLabels(ls)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1e3, "KB")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}
