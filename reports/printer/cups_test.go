//go:build !windows

package printer

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"occhealth/app"
)

const lpstatOut = `printer 测试打印机 is idle.  enabled since Mon Nov 30 09:54:57 2026
	Form mounted:
	Description: 测试打印机
	Alerts: none
	Location: 
	Connection: direct
printer OCC-PDF is idle.  enabled since Mon Nov 30 09:55:36 2026
	Description: 职业健康测试 PDF 打印机
	Location: 虚拟
printer 二楼-HP disabled since Mon Nov 30 09:55:36 2026 -
	reason unknown
	Description: HP LaserJet
	Location: 二楼体检科
system default destination: OCC-PDF
`

func TestParseLpstat(t *testing.T) {
	got := parseLpstat(lpstatOut)
	want := []app.Printer{
		{Name: "测试打印机"},
		{Name: "OCC-PDF", Default: true, Info: "职业健康测试 PDF 打印机，虚拟"},
		{Name: "二楼-HP", Info: "HP LaserJet，二楼体检科，已停用"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("printers\n got %+v\nwant %+v", got, want)
	}
	if got := parseLpstat("no system default destination\n"); len(got) != 0 {
		t.Fatalf("no printers: %+v", got)
	}
}

// testPDF is a minimal PDF of n pages, each saying "Page i of n".
func testPDF(n int) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	kids := make([]string, n)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i := 1; i <= n; i++ {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*(i-1)))
		s := fmt.Sprintf("BT /F1 36 Tf 100 700 Td (Page %d of %d) Tj ET", i, n)
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s))
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, x)
	return b.Bytes()
}

func TestCheckJob(t *testing.T) {
	r := &Recorder{List: []app.Printer{{Name: "A", Default: true}}}
	cases := []struct {
		job  app.PrintJob
		want string
	}{
		{app.PrintJob{Printer: "A", Copies: 1}, "没有可打印的内容"},
		{app.PrintJob{Printer: "A", Copies: 1, PDF: []byte("hello")}, "不是 PDF"},
		{app.PrintJob{Printer: "A", Copies: 51, PDF: testPDF(1)}, "份数：应为 1 到 50，现为 51"},
		{app.PrintJob{Printer: "A", Copies: -1, PDF: testPDF(1)}, "份数"},
		{app.PrintJob{Printer: "B", Copies: 1, PDF: testPDF(1)}, "打印机“B”不存在"},
	}
	for _, c := range cases {
		err := r.Print(c.job)
		if err == nil || !strings.Contains(app.ErrorMessage(err), c.want) {
			t.Errorf("%+v: got %v, want %q", c.job.Copies, err, c.want)
		}
	}
	if err := r.Print(app.PrintJob{Printer: "A", PDF: testPDF(1)}); err != nil {
		t.Fatal(err)
	}
	if jobs := r.Printed(); len(jobs) != 1 || jobs[0].Copies != 1 {
		t.Fatalf("jobs %+v (copies 0 means 1)", jobs)
	}
}

// With the scheduler unreachable, listing and printing say that CUPS is not running.
func TestCUPSNotRunning(t *testing.T) {
	if _, err := exec.LookPath("lp"); err != nil {
		t.Skip("CUPS client tools (lp) not installed")
	}
	c := &CUPS{Env: []string{"CUPS_SERVER=" + filepath.Join(t.TempDir(), "no-cups.sock")}}
	if _, err := c.Printers(); err == nil || !strings.Contains(app.ErrorMessage(err), "CUPS 未运行") {
		t.Fatalf("Printers: %v", err)
	}
	err := c.Print(app.PrintJob{Printer: "OCC-PDF", Copies: 1, PDF: testPDF(1)})
	if err == nil || !strings.Contains(app.ErrorMessage(err), "CUPS 未运行") {
		t.Fatalf("Print: %v", err)
	}
}

// A command that does not answer gives an error within the timeout instead of a hang.
func TestCUPSTimeout(t *testing.T) {
	dir := t.TempDir()
	slow := filepath.Join(dir, "lp")
	if err := os.WriteFile(slow, []byte("#!/bin/sh\ncat >/dev/null\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := &CUPS{LP: slow, LPStat: slow, Timeout: 300 * time.Millisecond}
	start := time.Now()
	err := c.Print(app.PrintJob{Printer: "X", Copies: 1, PDF: testPDF(1)})
	if err == nil || !strings.Contains(app.ErrorMessage(err), "没有响应") {
		t.Fatalf("Print: %v", err)
	}
	if _, err := c.Printers(); err == nil || !strings.Contains(app.ErrorMessage(err), "没有响应") {
		t.Fatalf("Printers: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestCUPSMissingTools(t *testing.T) {
	c := &CUPS{LP: "/nonexistent/lp", LPStat: "/nonexistent/lpstat"}
	if _, err := c.Printers(); err == nil || !strings.Contains(app.ErrorMessage(err), "没有安装 CUPS") {
		t.Fatalf("Printers: %v", err)
	}
}

// TestCUPSPDF prints to the cups-pdf virtual queue that scripts/cups-check.sh sets up (queue
// OCC-PDF, output in $OCCHEALTH_CUPS_OUT): N pages in; N×copies pages out, in order, because
// the copies are collated; duplex pads an odd copy to an even number of pages so that the
// next copy starts on a new sheet.
func TestCUPSPDF(t *testing.T) {
	if os.Getenv("OCCHEALTH_CUPS_TEST") != "1" {
		t.Skip("set OCCHEALTH_CUPS_TEST=1 after scripts/cups-check.sh (make test does)")
	}
	queue := envOr("OCCHEALTH_CUPS_QUEUE", "OCC-PDF")
	out := envOr("OCCHEALTH_CUPS_OUT", "/var/spool/cups-pdf/occhealth-test")
	c := &CUPS{}
	list, err := c.Printers()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range list {
		found = found || p.Name == queue
	}
	if !found {
		t.Fatalf("queue %s not in %+v", queue, list)
	}
	if err := c.Print(app.PrintJob{Printer: "没有这台打印机", Copies: 1, PDF: testPDF(1)}); err == nil ||
		app.ErrorMessage(err) != "打印机“没有这台打印机”不存在" {
		t.Fatalf("unknown printer: %v", err)
	}
	for _, tc := range []struct {
		pages, copies int
		duplex        bool
		want          int
	}{
		{3, 2, false, 6},
		{3, 2, true, 8}, // 3 pages + a blank back, twice
		{4, 1, true, 4},
	} {
		token := fmt.Sprintf("occtest%d", time.Now().UnixNano())
		pdf := testPDF(tc.pages)
		if n := pdfPages(t, pdf); n != tc.pages {
			t.Fatalf("input has %d pages, want %d", n, tc.pages)
		}
		if err := c.Print(app.PrintJob{Printer: queue, Title: token, PDF: pdf, Copies: tc.copies, Duplex: tc.duplex}); err != nil {
			t.Fatal(err)
		}
		file := waitOutput(t, out, token)
		got := pdfPages(t, readFile(t, file))
		if got != tc.want {
			t.Fatalf("%d pages × %d copies (duplex %v): %d pages out, want %d", tc.pages, tc.copies, tc.duplex, got, tc.want)
		}
		if !tc.duplex {
			// Collated: every copy reads Page 1 … Page N.
			txt, err := exec.Command("pdftotext", "-layout", file, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			seq := regexp.MustCompile(`Page (\d+) of`).FindAllStringSubmatch(string(txt), -1)
			var nums []string
			for _, m := range seq {
				nums = append(nums, m[1])
			}
			want := strings.Repeat("1 2 3 ", tc.copies)
			if strings.Join(nums, " ")+" " != want {
				t.Fatalf("page order %v, want %s", nums, want)
			}
		}
		os.Remove(file)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func readFile(t *testing.T, name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var pagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	cmd := exec.Command("pdfinfo", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, b)
	}
	m := pagesRe.FindSubmatch(b)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %s", b)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// waitOutput waits for cups-pdf's file of the job titled token: present, readable by pdfinfo
// and no longer growing.
func waitOutput(t *testing.T, dir, token string) string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	last := int64(-1)
	for time.Now().Before(deadline) {
		var hit string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(d.Name(), token) && strings.HasSuffix(d.Name(), ".pdf") {
				hit = p
			}
			return nil
		})
		if hit != "" {
			if st, err := os.Stat(hit); err == nil && st.Size() == last && st.Size() > 0 &&
				exec.Command("pdfinfo", hit).Run() == nil {
				return hit
			} else if err == nil {
				last = st.Size()
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	lpstat, _ := exec.Command("lpstat", "-W", "all", "-o").CombinedOutput()
	t.Fatalf("no output for %s in %s within 90 s; jobs:\n%s", token, dir, lpstat)
	return ""
}
