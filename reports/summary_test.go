package reports_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/reports"
	"occhealth/reports/pdf"
)

var (
	sumShops = []string{"生料车间", "水泥磨车间", "包装车间", "机修车间"}
	sumNames = []string{"黄丽娟", "韦国强", "覃秀梅", "莫志坚", "蓝海燕", "陆文斌", "梁振华", "农美玲"}
)

// summaryInput is a cement plant's contract of n exams (n ≥ 40): 矽尘 and 噪声 for the mills,
// 噪声 alone for the packers, 电焊烟尘 in the repair shop. Exam i is:
//   - i%20 == 19: 未到检; i%20 == 18: still 检查中; i == 17: cancelled (not 应检);
//   - otherwise signed (released), with 疑似职业病 (矽肺) when i%40 == 0, 职业禁忌证 on noise
//     when i%25 == 3, 复查 of noise with a recheck order when i%15 == 7, 其他疾病或异常 when
//     i%6 == 1, and 目前未见异常 otherwise.
//
// The recheck of exam 7 is registered under the contract too (and signed); it must not count
// again.
func summaryInput(n int) app.SummaryInput {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.Local) }
	c := &app.Contract{ID: 5, Number: "HT2026-015", EmployerID: 9, Title: "2026年度在岗期间职业健康检查",
		Start: day(2), End: day(13), Place: app.PlaceOnSite, PlaceNote: "某县水泥厂职工医务室",
		Hazards: []string{"11", "32", "12"}, ExamTypes: []string{"02"},
		Monitoring: []app.MonitoringResult{
			{HazardCode: "11", Workshop: "生料车间 生料磨", Date: day(1).AddDate(0, -2, 0), Value: "0.62", Unit: "mg/m³", ConcentrationType: "01", Grade: "Ⅰ级"},
			{HazardCode: "32", Workshop: "水泥磨车间", Date: day(1).AddDate(0, -2, 0), Value: "88.5", Unit: "dB(A)", ConcentrationType: "99"},
		},
	}
	names := map[string]string{"11": "矽尘", "32": "噪声", "12": "电焊烟尘"}
	in := app.SummaryInput{
		Institution: &app.Institution{Name: "广西壮族自治区某县人民医院", Address: "某县人民路 8 号", Phone: "0771-5550100"},
		Contract:    c,
		Employer: &app.Employer{ID: 9, Name: "广西某某水泥有限公司", CreditCode: "91450100MA5KXXXX1X",
			Address: "某县工业园区水泥路 1 号", ContactPerson: "陈主任", ContactPhone: "0771-5550199"},
		Workers:     map[int64]*app.Worker{},
		HazardNames: names,
		Date:        day(20),
	}
	signed := &app.Signature{Login: "zhujian", Name: "李主检", At: day(16)}
	for i := range n {
		w := &app.Worker{ID: int64(1000 + i), Name: sumNames[i%len(sumNames)] + strconv.Itoa(i),
			Sex: app.Sex([]app.Sex{app.SexMale, app.SexFemale}[i%3%2]), BirthDate: time.Date(1970+i%30, 5, 12, 0, 0, 0, 0, time.Local)}
		in.Workers[w.ID] = w
		shop := sumShops[i%len(sumShops)]
		hz := map[string][]string{"生料车间": {"11", "32"}, "水泥磨车间": {"11", "32"}, "包装车间": {"32"}, "机修车间": {"12", "32"}}[shop]
		e := &app.Exam{ID: int64(i + 1), Number: "0126" + strconv.Itoa(100000+i), WorkerID: w.ID, EmployerID: 9, ContractID: 5,
			Type: app.ExamPeriodic, Hazards: hz, Edition: "2014", Date: day(2 + i%10), Workshop: shop,
			JobName:    map[string]string{"生料车间": "生料磨工", "水泥磨车间": "水泥磨工", "包装车间": "包装工", "机修车间": "电焊工"}[shop],
			PackageIDs: []int64{1}, State: app.ExamReleased,
			Items: []app.ExamItem{{GroupCode: "G0101", Name: "血常规"}, {GroupCode: "G0501", Name: "纯音听阈测试"}, {GroupCode: "G0601", Name: "胸部X射线摄影（后前位）"}}}
		in.Exams = append(in.Exams, e)
		switch {
		case i == 17:
			e.State = app.ExamCancelled
			continue
		case i%20 == 19:
			e.State = app.ExamNoShow
			continue
		case i%20 == 18:
			e.State = app.ExamInProgress
			e.Record = &app.ExamRecord{}
			continue
		}
		con := &app.ExamConclusion{}
		for _, h := range hz {
			hc := app.HazardConclusion{Hazard: h, Code: app.ConclusionNormal}
			switch {
			case h == "11" && i%40 == 0:
				hc.Code, hc.DiseaseCode, hc.Disease = app.ConclusionSuspected, "1.1.1", "矽肺"
			case h == "32" && i%25 == 3:
				hc.Code, hc.Contraindication = app.ConclusionContraindication, "永久性感音神经性听力损失"
			case h == "32" && i%15 == 7:
				hc.Code = app.ConclusionRecheck
				con.Recheck = &app.RecheckOrder{Groups: []string{"G0501"}, Date: day(30), Reason: "高频听阈升高，脱离噪声 48 小时后复查"}
			case i%6 == 1 && h == hz[0]:
				hc.Code, hc.Other = app.ConclusionOther, "血压偏高"
			}
			con.Hazards = append(con.Hazards, hc)
		}
		e.Record = &app.ExamRecord{Edition: 1, Conclusion: con, Signature: signed,
			Parties: &app.ExamParties{Worker: *w, HazardNames: names, GroupNames: map[string]string{"G0501": "纯音听阈测试"}}}
		if i == 7 {
			re := &app.Exam{ID: int64(100000), Number: "0126900007", WorkerID: w.ID, EmployerID: 9, ContractID: 5,
				Type: app.ExamPeriodic, Recheck: true, PreviousExamID: e.ID, Hazards: []string{"32"}, Edition: "2014",
				Date: day(30), Workshop: shop, State: app.ExamConcluded,
				Record: &app.ExamRecord{Edition: 1, Signature: signed, Conclusion: &app.ExamConclusion{
					Hazards: []app.HazardConclusion{{Hazard: "32", Code: app.ConclusionNormal}}}}}
			e.Record.RecheckExamID = re.ID
			in.Exams = append(in.Exams, re)
		}
	}
	return in
}

func TestNewSummary(t *testing.T) {
	s, err := reports.NewSummary(summaryInput(40))
	if err != nil {
		t.Fatal(err)
	}
	// 40 registered, one cancelled: 39 应检; 19, 39 no-show; 18, 38 in progress: 35 实检.
	if s.Planned != 39 || s.Examined != 35 || s.NoShow != 2 || s.Pending != 2 || s.Rate != "89.7%" {
		t.Errorf("planned %d, examined %d, no-show %d, pending %d, rate %s", s.Planned, s.Examined, s.NoShow, s.Pending, s.Rate)
	}
	if strings.Join(s.Hazards, "、") != "矽尘、噪声、电焊烟尘" || strings.Join(s.ExamTypes, "") != "在岗期间" ||
		strings.Join(s.Editions, "") != "GBZ 188-2014" || s.Place != "外出：某县水泥厂职工医务室" {
		t.Errorf("hazards %v, types %v, editions %v, place %q", s.Hazards, s.ExamTypes, s.Editions, s.Place)
	}
	if strings.Join(s.Columns, "|") != "目前未见异常|复查|疑似职业病|职业禁忌证|其他疾病或异常" {
		t.Errorf("columns %v", s.Columns)
	}
	// Suspected: exam 0 only (exam 40 does not exist); contraindicated: 3, 28 (noise in every
	// shop); recheck: 7, 22, 37; other: i%6 == 1 and signed.
	if len(s.Suspected) != 1 || s.Suspected[0].Name != "黄丽娟0" || s.Suspected[0].What != "矽肺" || s.Suspected[0].Hazard != "矽尘" {
		t.Errorf("suspected %+v", s.Suspected)
	}
	if len(s.Contraindicated) != 2 || len(s.Recheck) != 3 {
		t.Errorf("contraindicated %d, recheck %d", len(s.Contraindicated), len(s.Recheck))
	}
	var other int
	for i := range 40 {
		if i%6 == 1 && i != 17 && i%20 < 18 {
			other++
		}
	}
	if len(s.Other) != other {
		t.Errorf("other %d, want %d", len(s.Other), other)
	}
	for _, p := range s.Recheck {
		want := "未复查"
		if p.ExamNumber == "0126100007" {
			want = "已复查：目前未见异常"
		}
		if p.Outcome != want || !strings.HasPrefix(p.What, "纯音听阈测试（") || p.Date.Day() != 30 {
			t.Errorf("recheck %+v, want outcome %q", p, want)
		}
	}
	// Per hazard: noise is examined in every shop; the row's conclusion counts add up to the
	// examined (2014: 复查 is a conclusion).
	for _, r := range s.ByHazard {
		sum := 0
		for _, n := range r.Counts {
			sum += n
		}
		if sum != r.Examined {
			t.Errorf("%s: conclusions add up to %d, examined %d", r.Hazard, sum, r.Examined)
		}
	}
	if r := s.ByHazard[1]; r.Hazard != "噪声" || r.Planned != 39 || r.Examined != 35 || r.Counts[1] != 3 || r.Counts[3] != 2 {
		t.Errorf("noise row %+v", r)
	}
	shops := 0
	for _, sh := range s.Shops {
		shops += sh.Examined
	}
	if shops != 35 || len(s.Shops) != 4 {
		t.Errorf("shops %+v", s.Shops)
	}
	if len(s.Monitoring) != 2 || s.Monitoring[0].Value != "0.62 mg/m³" || s.Monitoring[0].Type != "CTWA" || s.Monitoring[0].Hazard != "矽尘" {
		t.Errorf("monitoring %+v", s.Monitoring)
	}
	advice := strings.Join(s.Advice, "|")
	for _, want := range []string{"第五十五条", "调离或者暂时脱离", "复查", "书面告知"} {
		if !strings.Contains(advice, want) {
			t.Errorf("advice lacks %q: %s", want, advice)
		}
	}
	in := summaryInput(40)
	in.Date = time.Time{}
	if s, _ := reports.NewSummary(in); s.Date.Day() != 16 {
		t.Errorf("no report date: %v, want the signing date", s.Date)
	}
	if s.AdviceStatus != "P" {
		t.Errorf("advice status %q, want P (legal wording to be checked)", s.AdviceStatus)
	}
}

// TestNewSummary_Texts: the institution's text blocks replace the bundled advice; the seal
// prints only when the settings allow it.
func TestNewSummary_Texts(t *testing.T) {
	in := summaryInput(40)
	in.Seal = []byte("png")
	in.Texts = &app.DocumentTexts{Blocks: map[string]string{"summary.advice.03": "请于十日内安排诊断。", "header": "某县人民医院职业健康检查科"}}
	s, err := reports.NewSummary(in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Advice[0] != "请于十日内安排诊断。" || s.Header != "某县人民医院职业健康检查科" || s.Seal != nil {
		t.Errorf("advice %q, header %q, seal %v", s.Advice[0], s.Header, s.Seal)
	}
	in.Texts.Blocks["summary.advice"] = "一、本单位自拟建议。\n二、第二条。"
	in.Texts.Images = map[string]app.ImageOptions{app.DocSummary: {Seal: true}}
	s, _ = reports.NewSummary(in)
	if strings.Join(s.Advice, "|") != "一、本单位自拟建议。|二、第二条。" || s.AdviceStatus != "" || string(s.Seal) != "png" {
		t.Errorf("advice %q, status %q, seal %q", s.Advice, s.AdviceStatus, s.Seal)
	}
}

// TestNewSummary_Refuses: a contract without a signed exam gets no summary; a returned exam
// does not count as examined.
func TestNewSummary_Refuses(t *testing.T) {
	in := summaryInput(40)
	for _, e := range in.Exams {
		if e.State == app.ExamReleased || e.State == app.ExamConcluded {
			e.State = app.ExamReturned
		}
	}
	b, err := reports.Documents{}.SummaryReport(in)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "没有已签名的体检（应检 39 人）") || b != nil {
		t.Errorf("err %v", err)
	}
	if _, err := (reports.Documents{}).SummaryReport(app.SummaryInput{}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("no contract: %v", err)
	}
}

// TestNewSummary_2025: under GBZ 188—2025 a recheck is an order, not a conclusion: it counts
// in the 复查 column beside the conclusions, with a note saying so.
func TestNewSummary_2025(t *testing.T) {
	in := summaryInput(40)
	for _, e := range in.Exams {
		e.Edition = "2025"
		if e.Record != nil && e.Record.Conclusion != nil {
			for i, hc := range e.Record.Conclusion.Hazards {
				if hc.Code == app.ConclusionRecheck {
					e.Record.Conclusion.Hazards[i].Code = app.ConclusionNormal
				}
			}
		}
	}
	s, err := reports.NewSummary(in)
	if err != nil {
		t.Fatal(err)
	}
	if s.RecheckNote == "" || len(s.Recheck) != 3 || strings.Join(s.Editions, "") != "GBZ 188—2025" {
		t.Errorf("note %q, recheck %d, editions %v", s.RecheckNote, len(s.Recheck), s.Editions)
	}
	// Exam 7 (生料车间: 矽尘 and 噪声) counts as 复查 under both hazards it was examined for.
	if s.ByHazard[0].Counts[1] == 0 || s.ByHazard[1].Counts[1] != 3 {
		t.Errorf("recheck counts %+v", s.ByHazard)
	}
}

// TestLayoutSummary is the layout golden of a 40-exam contract; every box lies on its page,
// every page has its number, the chart draws a solid black bar for 疑似职业病 and hatching for
// 复查, and the continuation pages carry the header.
func TestLayoutSummary(t *testing.T) {
	s, err := reports.NewSummary(summaryInput(40))
	if err != nil {
		t.Fatal(err)
	}
	l, err := reports.LayoutSummary(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pages) < 2 {
		t.Fatalf("%d pages", len(l.Pages))
	}
	var all []string
	black, lines := 0, 0
	for i, p := range l.Pages {
		texts := l.Texts(i)
		all = append(all, texts...)
		if !containsText(texts, "第 "+strconv.Itoa(i+1)+" 页 共 "+strconv.Itoa(len(l.Pages))+" 页") {
			t.Errorf("page %d lacks its number", i+1)
		}
		if i > 0 && !strings.HasPrefix(texts[0], "职业健康检查总结报告（续）") {
			t.Errorf("page %d starts with %q", i+1, texts[0])
		}
		for _, b := range p.Boxes {
			if b.X < 0 || b.Y < 0 || float64(b.X+b.W) > float64(p.W)+0.01 || float64(b.Y+b.H) > float64(p.H)+0.01 {
				t.Errorf("page %d: %s box %q off the page", i+1, b.Kind, b.Text)
			}
			if b.Kind == pdf.KindRect && b.Fill != nil && *b.Fill == (pdf.RGB{}) {
				black++
			}
			if b.Kind == pdf.KindLine {
				lines++
			}
		}
	}
	joined := strings.Join(all, "|")
	for _, want := range []string{"职业健康检查总结报告", "广西某某水泥有限公司", "91450100MA5KXXXX1X", "HT2026-015",
		"35 人（实检率 89.7%）", "图　各危害因素体检结论人数", "疑似职业病人员名单（1 人）", "职业禁忌证人员名单（2 人）",
		"需复查人员名单（3 人）", "已复查：目前未见异常", "0.62 mg/m³", "处理意见和建议", "（机构盖章）", "骑", "2026年3月20日"} {
		if !strings.Contains(joined, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if black < 2 || lines < 20 {
		t.Errorf("chart: %d black bars (bar and legend), %d lines (hatching)", black, lines)
	}
	layoutGolden(t, "summary/contract-40.json", l.JSON())
}

// TestRenderSummary_Poppler renders the summary with pdftoppm and pdftotext (skipped when
// missing): as many pages as laid out, and every Chinese character read back.
func TestRenderSummary_Poppler(t *testing.T) {
	skipWithoutPoppler(t)
	in := summaryInput(40)
	b, err := reports.Documents{}.SummaryReport(in)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := (reports.Documents{}).SummaryReport(in); !bytes.Equal(b, again) {
		t.Error("the same summary rendered to different bytes")
	}
	s, _ := reports.NewSummary(in)
	l, _ := reports.LayoutSummary(s)
	checkPoppler(t, "summary", b, l)
}

func skipWithoutPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian poppler-utils)", tool)
		}
	}
}

// checkPoppler renders b with pdftoppm (one PNG per laid-out page) and counts the Chinese
// characters pdftotext reads back against the layout's.
func checkPoppler(t *testing.T, name string, b []byte, l *pdf.Layout) {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "80", "-png", f, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, name+"*.png"))
	if len(pngs) != len(l.Pages) {
		t.Errorf("%s: pdftoppm made %d pages, want %d", name, len(pngs), len(l.Pages))
	}
	for _, p := range pngs {
		if fi, err := os.Stat(p); err != nil || fi.Size() < 10000 {
			t.Errorf("%s: page image %v suspiciously small", name, fi)
		}
	}
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	want := 0
	for i := range l.Pages {
		for _, line := range l.Texts(i) {
			want += hanCount(line)
		}
	}
	if got := hanCount(string(out)); got != want {
		t.Errorf("%s: pdftotext gave %d Chinese characters, the layout has %d", name, got, want)
	} else {
		t.Logf("%s: %d pages, %d Chinese characters read back from %d bytes", name, len(l.Pages), got, len(b))
	}
	dumpPDF(t, name+".pdf", b)
}

// TestLayoutSummary_ManyHazards: nine hazards make two charts; long hazard names are cut to
// two lines under their bars.
func TestLayoutSummary_ManyHazards(t *testing.T) {
	in := summaryInput(40)
	codes := []string{"2201", "2202", "2203", "2204", "2205", "2206"}
	for _, c := range codes {
		in.Contract.Hazards = append(in.Contract.Hazards, c)
		in.HazardNames[c] = "苯的氨基及硝基化合物（不含三硝基甲苯）" + c
	}
	s, err := reports.NewSummary(in)
	if err != nil {
		t.Fatal(err)
	}
	l, err := reports.LayoutSummary(s)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for i := range l.Pages {
		all = append(all, l.Texts(i)...)
	}
	if !containsText(all, "图　各危害因素体检结论人数（1）") || !containsText(all, "图　各危害因素体检结论人数（2）") {
		t.Error("nine hazards should make two charts")
	}
}

// BenchmarkSummary3000 builds and renders the summary of a 3,000-worker contract and reports
// its size.
func BenchmarkSummary3000(b *testing.B) {
	in := summaryInput(3000)
	if _, err := (reports.Documents{}).SummaryReport(summaryInput(40)); err != nil { // fonts parsed once
		b.Fatal(err)
	}
	var size, pages int
	cpu := cpuTime()
	for b.Loop() {
		out, err := reports.Documents{}.SummaryReport(in)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	s, _ := reports.NewSummary(in)
	l, _ := reports.LayoutSummary(s)
	pages = len(l.Pages)
	out, _ := reports.RenderSummary(s)
	dumpPDF(b, "summary-3000.pdf", out)
	b.ReportMetric(float64(size)/1e3, "KB")
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/pdf")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1e3/float64(b.N), "cpu-ms/pdf")
}

// TestRenderSummary_SealAndRareName: the seal image prints in the seal area when the settings
// allow it; a name with a character no bundled font has still gives the whole PDF, with the
// character reported (EINVALID), never silently blank.
func TestRenderSummary_SealAndRareName(t *testing.T) {
	in := summaryInput(40)
	in.Seal = testPhoto()
	in.Texts = &app.DocumentTexts{Images: map[string]app.ImageOptions{app.DocSummary: {Seal: true}}}
	s, err := reports.NewSummary(in)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := reports.LayoutSummary(s)
	last := l.Pages[len(l.Pages)-1]
	seal := false
	for _, b := range last.Boxes {
		seal = seal || (b.Kind == pdf.KindImage && b.Image == "seal")
	}
	if !seal || containsText(l.Texts(len(l.Pages)-1), "（机构盖章）") {
		t.Error("the allowed seal image is not in the seal area")
	}
	in.Exams[0].Record.Parties.Worker.Name = "黄\U0003134A娟" // CJK Ext-G: no bundled font has it
	b, err := reports.Documents{}.SummaryReport(in)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "U+3134A") || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("rare name: err %v, %d bytes", err, len(b))
	}
}
