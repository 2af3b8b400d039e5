package reports_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/criteria"
	"occhealth/assets"
	"occhealth/reports"
)

func fp(f float64) *float64 { return &f }

var testCriteria = sync.OnceValues(func() (*criteria.Set, error) { return criteria.Load(assets.Rules) })

// hearingItem returns the national item code of an air-conduction hearing level.
func hearingItem(t testing.TB, side criteria.Side, hz int) string {
	t.Helper()
	set, err := testCriteria()
	if err != nil {
		t.Fatal(err)
	}
	code := set.AudiogramItem(side, false, hz)
	if code == "" {
		t.Fatalf("no item code for %s %d Hz", side.Name(), hz)
	}
	return code
}

// reportInput is a signed and reviewed periodic exam of a dispatched cement worker exposed to
// 矽尘 and 噪声: a high white-cell count, a refused liver panel, an ECG not done, an audiogram,
// 目前未见异常 for the dust and 职业禁忌证 for the noise, a recheck order and an addendum.
func reportInput(t testing.TB) app.ExamReportInput {
	signed := time.Date(2026, 3, 9, 10, 30, 0, 0, time.Local)
	num := func(group, item string, v float64, unit string, flag app.ResultFlag, lo, hi float64) app.Result {
		return app.Result{GroupCode: group, ItemCode: item, Kind: app.ResultNumeric, Value: fmt.Sprint(v), Number: v, Unit: unit,
			Status: app.ResultDone, Flag: flag, Range: app.RefRange{ItemCode: item, Kind: app.ResultNumeric, Low: fp(lo), High: fp(hi), Unit: unit}}
	}
	text := func(group, item, v, ref string, flag app.ResultFlag) app.Result {
		return app.Result{GroupCode: group, ItemCode: item, Kind: app.ResultText, Value: v, Status: app.ResultDone, Flag: flag,
			Range: app.RefRange{ItemCode: item, Kind: app.ResultText, Text: ref}}
	}
	level := func(side criteria.Side, hz int, v float64) app.Result {
		return app.Result{GroupCode: "G0601", ItemCode: hearingItem(t, side, hz), Kind: app.ResultNumeric, Value: fmt.Sprint(v), Number: v,
			Unit: "dB HL", Status: app.ResultDone}
	}
	results := []app.Result{
		num("G0101", "0100001", 128, "mmHg", app.FlagNormal, 90, 139),
		num("G0101", "0100002", 72, "次/分", app.FlagNormal, 60, 100),
		text("G0102", "0200001", "未见异常", "未见异常", app.FlagNormal),
		num("G0301", "0300001", 11.2, "×10⁹/L", app.FlagHigh, 3.5, 9.5),
		num("G0301", "0300002", 4.6, "×10¹²/L", app.FlagNormal, 4.3, 5.8),
		num("G0301", "0300003", 118, "g/L", app.FlagLow, 130, 175),
		{GroupCode: "G0301", ItemCode: "0300004", Kind: app.ResultNumeric, Status: app.ResultRefused},
		{GroupCode: "G0302", Kind: app.ResultNumeric, Status: app.ResultRefused},
		text("G0401", "0400001", "双肺纹理增多", "未见异常", app.FlagAbnormal),
	}
	for _, s := range criteria.Sides {
		for i, hz := range []int{500, 1000, 2000, 3000, 4000, 6000} {
			v := float64(15 + 5*i)
			if s == criteria.Right && hz == 1000 {
				v = 35
			}
			results = append(results, level(s, hz, v))
		}
	}
	return app.ExamReportInput{
		Institution: &app.Institution{Name: "广西壮族自治区某县人民医院", Address: "某县人民路 8 号", Phone: "0771-5550100"},
		Copy:        "劳动者留存",
		Exam: &app.Exam{
			Number: "0126000123", Type: app.ExamPeriodic, Edition: "2014",
			Date:     time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local),
			Workshop: "生料车间", JobName: "生料磨工", Hazards: []string{"11", "32"},
			State: app.ExamReviewed,
			Items: []app.ExamItem{
				{GroupCode: "G0101", Name: "内科常规检查", Department: "内科"},
				{GroupCode: "G0102", Name: "外科常规检查", Department: "外科"},
				{GroupCode: "G0301", Name: "血常规", Department: "检验科"},
				{GroupCode: "G0401", Name: "高千伏胸部X射线摄影", Department: "放射科"},
				{GroupCode: "G0302", Name: "肝功能", Department: "检验科"},
				{GroupCode: "G0601", Name: "纯音听阈测试", Department: "听力室"},
				{GroupCode: "G0501", Name: "心电图", Department: "心电图室"},
			},
			Record: &app.ExamRecord{
				Edition: 1,
				Results: results,
				Conclusion: &app.ExamConclusion{
					Hazards: []app.HazardConclusion{
						{Hazard: "11", Code: app.ConclusionNormal},
						{Hazard: "32", Code: app.ConclusionContraindication, Contraindication: "除噪声外各种原因引起的永久性感音神经性听力损失",
							Basis: "右耳 1000 Hz 气导听阈 35 dB"},
					},
					Advice:  "调离噪声作业岗位；血常规异常，建议内科进一步诊治。",
					Recheck: &app.RecheckOrder{Groups: []string{"G0301"}, Date: time.Date(2026, 4, 2, 0, 0, 0, 0, time.Local), Reason: "白细胞计数偏高"},
				},
				Signature: &app.Signature{Login: "zhujian", Name: "李主检", At: signed, Qualification: "主检医师 ZJ-2024-017"},
				Review:    &app.Signature{Login: "shenhe", Name: "王审核", At: signed.Add(26 * time.Hour)},
				Addenda:   []app.Addendum{{At: signed.Add(72 * time.Hour), Name: "李主检", Text: "身份证号经本人核对无误。"}},
				Parties: &app.ExamParties{
					Worker: app.Worker{Name: "覃建华", IDNumber: "450102198005120031", Sex: app.SexMale,
						BirthDate: time.Date(1980, 5, 12, 0, 0, 0, 0, time.Local)},
					Employer:       app.Employer{Name: "广西某某劳务派遣有限公司"},
					HostEmployer:   &app.Employer{Name: "广西某某水泥有限公司"},
					ContractNumber: "HT2026-0001", ContractTitle: "2026 年在岗期间职业健康检查",
					HazardNames: map[string]string{"11": "矽尘", "32": "噪声"},
					ItemNames: map[string]string{"0100001": "血压", "0100002": "心率", "0200001": "皮肤", "0300001": "白细胞计数",
						"0300002": "红细胞计数", "0300003": "血红蛋白", "0300004": "血小板计数", "0400001": "胸部X射线摄影"},
					GroupNames: map[string]string{"G0301": "血常规"},
				},
			},
		},
	}
}

func TestNewExamReport(t *testing.T) {
	r, err := reports.NewExamReport(reportInput(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Worker != "覃建华" || r.Age != 45 || r.Employer != "广西某某劳务派遣有限公司" || r.HostEmployer != "广西某某水泥有限公司" ||
		r.Number != "0126000123-BG1" || r.Contract != "HT2026-0001　2026 年在岗期间职业健康检查" {
		t.Errorf("worker %q age %d employer %q host %q number %q contract %q", r.Worker, r.Age, r.Employer, r.HostEmployer, r.Number, r.Contract)
	}
	var titles []string
	rows := map[string]reports.ReportRow{}
	for _, g := range r.Groups {
		titles = append(titles, g.Title)
		for _, row := range g.Rows {
			rows[g.Title+"/"+row.Item] = row
		}
	}
	wantTitles := "内科 · 内科常规检查|外科 · 外科常规检查|检验科 · 血常规|检验科 · 肝功能|放射科 · 高千伏胸部X射线摄影|心电图室 · 心电图"
	if got := strings.Join(titles, "|"); got != wantTitles {
		t.Errorf("groups %s, want %s (departments in plan order; the audiogram apart)", got, wantTitles)
	}
	for key, want := range map[string]reports.ReportRow{
		"检验科 · 血常规/白细胞计数":   {Item: "白细胞计数", Result: "11.2", Unit: "×10⁹/L", Range: "3.5–9.5", Flag: "↑ 偏高", Abnormal: true},
		"检验科 · 血常规/血红蛋白":    {Item: "血红蛋白", Result: "118", Unit: "g/L", Range: "130–175", Flag: "↓ 偏低", Abnormal: true},
		"检验科 · 血常规/血小板计数":   {Item: "血小板计数", Result: "弃检"},
		"检验科 · 肝功能/（本组项目）":  {Item: "（本组项目）", Result: "弃检"},
		"心电图室 · 心电图/（本组项目）": {Item: "（本组项目）", Result: "未检"},
		"内科 · 内科常规检查/血压":    {Item: "血压", Result: "128", Unit: "mmHg", Range: "90–139"},
	} {
		if rows[key] != want {
			t.Errorf("%s: %+v, want %+v", key, rows[key], want)
		}
	}
	a := r.Audiogram
	if a == nil || fmt.Sprint(a.Freqs) != "[500 1000 2000 3000 4000 6000]" || len(a.Rows) != 2 ||
		a.Rows[0].Ear != "右耳气导" || a.Rows[0].Levels[1] != "35" || a.Rows[1].Ear != "左耳气导" || a.Rows[1].Levels[5] != "40" {
		t.Errorf("audiogram %+v", a)
	}
	if len(r.Conclusions) != 2 || r.Conclusions[0] != (reports.ReportConclusion{Hazard: "矽尘", Conclusion: "目前未见异常"}) ||
		r.Conclusions[1].Conclusion != "职业禁忌证" || !strings.HasPrefix(r.Conclusions[1].Named, "除噪声外") {
		t.Errorf("conclusions %+v", r.Conclusions)
	}
	if r.Clause != "GBZ 188-2014 4.8.3" {
		t.Errorf("clause %q", r.Clause)
	}
	if r.Recheck != "请于2026年4月2日前到本机构复查：血常规（白细胞计数偏高）。" {
		t.Errorf("recheck %q", r.Recheck)
	}
	if r.Reviewer != "王审核" || r.Signer != "李主检" || r.Statement == "" || r.SealCaption == "" || len(r.Addenda) != 1 {
		t.Errorf("reviewer %q signer %q statement %q seal %q addenda %d", r.Reviewer, r.Signer, r.Statement, r.SealCaption, len(r.Addenda))
	}

	// The administrator's texts: a header block and a changed statement.
	in := reportInput(t)
	in.Texts = &app.DocumentTexts{Blocks: map[string]string{"header": "某县人民医院\n职业健康检查科", reports.ReportStatementKey: "本报告一式两份。"}}
	r, _ = reports.NewExamReport(in)
	if fmt.Sprint(r.Header) != "[某县人民医院 职业健康检查科]" || r.Statement != "本报告一式两份。" {
		t.Errorf("header %q statement %q", r.Header, r.Statement)
	}
	if c := reports.ReportCopies(nil); len(c) != 2 || c[0] != "劳动者留存" {
		t.Errorf("default copies %q", c)
	}

	// 2025: the edition's list and wording.
	in = reportInput(t)
	in.Exam.Edition = "2025"
	if r, err := reports.NewExamReport(in); err != nil || !strings.HasPrefix(r.Clause, "GBZ 188—2025") || strings.Contains(r.Clause, "待核实") || r.Conclusions[1].Conclusion != "职业禁忌证" {
		t.Errorf("2025: clause %q conclusions %+v, %v", r.Clause, r.Conclusions, err)
	}
}

// TestNewExamReport_Refuses: only a signed (reviewed, released) exam with its parties.
func TestNewExamReport_Refuses(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(*app.ExamReportInput)
		want   string
	}{
		{"unsigned", func(in *app.ExamReportInput) { in.Exam.Record.Signature = nil; in.Exam.State = app.ExamAwaiting }, "尚未由主检医师签名"},
		{"no record", func(in *app.ExamReportInput) { in.Exam.Record = nil }, "尚未由主检医师签名"},
		{"returned", func(in *app.ExamReportInput) { in.Exam.State = app.ExamReturned }, "已被审核退回"},
		{"voided", func(in *app.ExamReportInput) { in.Exam.State = app.ExamVoided }, "签名后才能出具报告"},
		{"no parties", func(in *app.ExamReportInput) { in.Exam.Record.Parties = nil }, "没有保存劳动者和单位信息"},
		{"no exam", func(in *app.ExamReportInput) { in.Exam = nil }, "没有体检记录"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := reportInput(t)
			tt.change(&in)
			b, err := reports.Documents{}.ExamReports([]app.ExamReportInput{reportInput(t), in}, nil)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tt.want) || b != nil {
				t.Errorf("err %v (%s), want EINVALID with %q", err, app.ErrorCode(err), tt.want)
			}
		})
	}
	if _, err := (reports.Documents{}).ExamReports(nil, nil); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("empty batch: %v", err)
	}
}

func layoutTexts(l interface{ Texts(int) []string }, pages int) string {
	var all []string
	for i := 0; i < pages; i++ {
		all = append(all, l.Texts(i)...)
	}
	return strings.Join(all, "|")
}

// TestLayoutExamReports is the layout golden of the report: the header, the copy label, the
// worker block from the parties, every group with 弃检 and 未检 written out, the audiogram, the
// conclusions, the advice and recheck, both signatures, the seal area, the addendum after the
// body, and page numbers.
func TestLayoutExamReports(t *testing.T) {
	r, err := reports.NewExamReport(reportInput(t))
	if err != nil {
		t.Fatal(err)
	}
	l, err := reports.LayoutExamReports([]reports.ExamReport{r})
	if err != nil {
		t.Fatal(err)
	}
	n := len(l.Pages)
	texts := layoutTexts(l, n)
	for _, want := range []string{"广西壮族自治区某县人民医院", "职业健康检查报告", "劳动者留存", "报告编号：0126000123-BG1",
		"覃建华", "男　45 岁", "450102198005120031", "广西某某劳务派遣有限公司", "用工单位", "广西某某水泥有限公司", "生料磨工",
		"在岗期间", "2026年3月2日", "矽尘、噪声", "HT2026-0001", "GBZ 188-2014",
		"检验科 · 血常规", "11.2", "↑ 偏高", "↓ 偏低", "弃检", "未检", "纯音听阈测试（dB HL）", "右耳气导", "1000 Hz",
		"二、体检结论", "目前未见异常", "职业禁忌证", "三、主检建议", "复查：请于2026年4月2日前到本机构复查：血常规（白细胞计数偏高）。",
		"主检医师：李主检", "审核医师：王审核　2026年3月10日", "（盖章）", "补充说明", "1. 身份证号经本人核对无误。（李主检，2026年3月12日）",
		"第 1 页 共 " + fmt.Sprint(n) + " 页"} {
		if !strings.Contains(texts, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The addendum comes after the body and the signatures.
	if strings.Index(texts, "补充说明") < strings.Index(texts, "主检医师：李主检") {
		t.Error("the addendum is printed inside the body")
	}
	for i, p := range l.Pages {
		for _, b := range p.Boxes {
			if b.X < -0.01 || b.Y < -0.01 || float64(b.X+b.W) > float64(p.W)+0.01 || float64(b.Y+b.H) > float64(p.H)+0.01 {
				t.Errorf("page %d: %s box %q off the page", i+1, b.Kind, b.Text)
			}
		}
	}
	if strings.Contains(texts, "骑") != (n > 1) {
		t.Errorf("%d pages: 骑缝章 mark %v", n, strings.Contains(texts, "骑"))
	}
	layoutGolden(t, "exam_report/report.json", l.JSON())
}

// TestLayoutExamReports_Seal: with the seal and signature images (allowed by the settings)
// the seal area holds the image instead of the caption; without them it stays blank for the
// physical stamp.
func TestLayoutExamReports_Seal(t *testing.T) {
	in := onePage(t)
	in.Seal, in.Signature = testPhoto(), testPhoto()
	r, err := reports.NewExamReport(in)
	if err != nil {
		t.Fatal(err)
	}
	l, err := reports.LayoutExamReports([]reports.ExamReport{r})
	if err != nil {
		t.Fatal(err)
	}
	images := 0
	for _, b := range l.Pages[0].Boxes {
		if b.Kind == "image" {
			images++
		}
	}
	if images != 2 || strings.Contains(layoutTexts(l, 1), "（盖章）") {
		t.Errorf("%d images, caption %v; want the seal and the signature, no caption", images, strings.Contains(layoutTexts(l, 1), "（盖章）"))
	}
	if b, err := reports.RenderExamReports([]reports.ExamReport{r}, nil); err != nil || len(b) == 0 {
		t.Errorf("render with images: %v", err)
	}
}

// longReport has forty item groups: the results table runs over several pages.
func longReport(t testing.TB) app.ExamReportInput {
	in := reportInput(t)
	e := in.Exam
	for i := 0; i < 40; i++ {
		g := fmt.Sprintf("G9%03d", i)
		e.Items = append(e.Items, app.ExamItem{GroupCode: g, Name: fmt.Sprintf("检验组合%d", i+1), Department: "检验科"})
		for k := 0; k < 4; k++ {
			item := fmt.Sprintf("9%03d%03d", i, k)
			e.Record.Parties.ItemNames[item] = fmt.Sprintf("检验项目%d-%d", i+1, k+1)
			e.Record.Results = append(e.Record.Results, app.Result{GroupCode: g, ItemCode: item, Kind: app.ResultNumeric,
				Value: "5.1", Number: 5.1, Unit: "mmol/L", Status: app.ResultDone, Flag: app.FlagNormal,
				Range: app.RefRange{ItemCode: item, Kind: app.ResultNumeric, Low: fp(3.9), High: fp(6.1)}})
		}
	}
	return in
}

// TestLayoutExamReports_Batch: two reports in one job, the first over several pages. Page
// numbers count per report; every page of the long one has the continuation header, the
// repeated table header and the 骑缝章 mark; the one-page report has no mark.
func TestLayoutExamReports_Batch(t *testing.T) {
	long, err := reports.NewExamReport(longReport(t))
	if err != nil {
		t.Fatal(err)
	}
	short := reportInput(t)
	short.Exam.Record.Results = short.Exam.Record.Results[:3]
	short.Exam.Items = short.Exam.Items[:2]
	short.Exam.Record.Addenda = nil
	one, err := reports.NewExamReport(short)
	if err != nil {
		t.Fatal(err)
	}
	l, err := reports.LayoutExamReports([]reports.ExamReport{long, one})
	if err != nil {
		t.Fatal(err)
	}
	last := len(l.Pages) - 1
	if last < 3 {
		t.Fatalf("%d pages", len(l.Pages))
	}
	for i := 0; i < last; i++ {
		texts := strings.Join(l.Texts(i), "|")
		want := []string{"第 " + fmt.Sprint(i+1) + " 页 共 " + fmt.Sprint(last) + " 页", "骑|缝|章"}
		if i > 0 {
			want = append(want, "职业健康检查报告（续）　覃建华　体检编号 0126000123　劳动者留存")
		}
		if strings.Contains(texts, "检验项目") && !strings.Contains(texts, "检查项目|结果|单位|参考范围|提示") {
			t.Errorf("page %d: results without the table header", i+1)
		}
		for _, w := range want {
			if !strings.Contains(texts, w) {
				t.Errorf("page %d lacks %q", i+1, w)
			}
		}
	}
	texts := strings.Join(l.Texts(last), "|")
	if !strings.Contains(texts, "第 1 页 共 1 页") || strings.Contains(texts, "骑") {
		t.Errorf("second report: %s", texts)
	}
}

// TestExamReports_Poppler renders the batch (skipped without poppler-utils): the page count
// pdftoppm finds is the layout's, and pdftotext reads back every Chinese character the layout
// draws. A name with CJK Ext-A and Ext-B characters prints without a missing glyph.
func TestExamReports_Poppler(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian poppler-utils)", tool)
		}
	}
	rare := reportInput(t)
	rare.Exam.Record.Parties.Worker.Name = "韦㛃𠅤"
	rare.Copy = "用人单位留存"
	in := []app.ExamReportInput{reportInput(t), longReport(t), rare}
	var calls []string
	b, err := reports.Documents{}.ExamReports(in, func(done, total int) { calls = append(calls, fmt.Sprint(done, "/", total)) })
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls, " "); got != "1/3 2/3 3/3" {
		t.Errorf("progress %s", got)
	}
	if again, _ := (reports.Documents{}).ExamReports(in, nil); !bytes.Equal(b, again) {
		t.Error("the same reports rendered to different bytes")
	}
	var reps []reports.ExamReport
	for _, x := range in {
		r, _ := reports.NewExamReport(x)
		reps = append(reps, r)
	}
	l, _ := reports.LayoutExamReports(reps)
	dir := t.TempDir()
	f := filepath.Join(dir, "reports.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "60", "-png", f, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	if pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png")); len(pngs) != len(l.Pages) {
		t.Errorf("pdftoppm made %d pages, the layout has %d", len(pngs), len(l.Pages))
	}
	out, err := exec.Command("pdftotext", f, "-").Output()
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
		t.Errorf("pdftotext gave %d Chinese characters, the layout has %d", got, want)
	} else {
		t.Logf("%d pages, %d Chinese characters read back from %d bytes", len(l.Pages), got, len(b))
	}
	if !strings.Contains(string(out), "韦㛃𠅤") {
		t.Error("pdftotext does not read the rare name back")
	}
	dumpPDF(t, "exam-reports.pdf", b)
}

// onePage is a dust worker's report that fits one page: the report of reportInput without
// the noise (no audiogram), the recheck and the addendum.
func onePage(t testing.TB) app.ExamReportInput {
	in := reportInput(t)
	e := in.Exam
	e.Hazards = []string{"11"}
	e.Items = slices.DeleteFunc(e.Items, func(it app.ExamItem) bool { return it.GroupCode == "G0601" })
	e.Record.Results = slices.DeleteFunc(e.Record.Results, func(r app.Result) bool { return r.GroupCode == "G0601" })
	c := e.Record.Conclusion
	c.Hazards, c.Recheck, c.Advice = c.Hazards[:1], nil, "血常规异常，建议内科进一步诊治。"
	e.Record.Addenda = nil
	return in
}

// BenchmarkExamReport1Page renders one one-page report (fonts parsed before the loop) and
// reports its size.
func BenchmarkExamReport1Page(b *testing.B) {
	in := []app.ExamReportInput{onePage(b)}
	r, _ := reports.NewExamReport(in[0])
	if l, _ := reports.LayoutExamReports([]reports.ExamReport{r}); len(l.Pages) != 1 {
		b.Fatalf("%d pages, want 1", len(l.Pages))
	}
	if _, err := (reports.Documents{}).ExamReports(in, nil); err != nil {
		b.Fatal(err)
	}
	var size int
	cpu := cpuTime()
	for b.Loop() {
		out, err := reports.Documents{}.ExamReports(in, nil)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1024, "KB/pdf")
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/pdf")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/pdf")
}

// BenchmarkExamReports1000 renders 1,000 one-page reports in one job.
func BenchmarkExamReports1000(b *testing.B) {
	in := make([]app.ExamReportInput, 1000)
	names := []string{"黄丽娟", "韦国强", "覃秀梅", "莫志坚", "蓝海燕", "陆文斌"}
	for i := range in {
		in[i] = onePage(b)
		in[i].Exam.Number = fmt.Sprintf("01260%05d", i)
		in[i].Exam.Record.Parties.Worker.Name = names[i%len(names)]
	}
	if _, err := (reports.Documents{}).ExamReports(in[:1], nil); err != nil {
		b.Fatal(err)
	}
	var size int
	cpu := cpuTime()
	for b.Loop() {
		out, err := reports.Documents{}.ExamReports(in, nil)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1e6, "MB/pdf")
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pdf")
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/pdf")
}

// TestNewExamReport_ChestFilmCode: a chest film reading prints its code with the code table's
// name (2 其他异常), never a bare digit.
func TestNewExamReport_ChestFilmCode(t *testing.T) {
	in := reportInput(t)
	rec := in.Exam.Record
	rec.Results = append(rec.Results, app.Result{GroupCode: "G0401", ItemCode: "3080200", Kind: app.ResultCode, Value: "2",
		Status: app.ResultDone, Flag: app.FlagAbnormal, Range: app.RefRange{ItemCode: "3080200", Kind: app.ResultCode,
			Text: "0 未见异常", Normal: []string{"0"}, NotDone: []string{"3"}}})
	rec.Parties.ItemNames["3080200"] = "X 射线高千伏胸片"
	r, err := reports.NewExamReport(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Groups {
		for _, row := range g.Rows {
			if row.Item == "X 射线高千伏胸片" {
				if row.Result != "2 其他异常" || row.Range != "0 未见异常" || !row.Abnormal {
					t.Fatalf("chest film row %+v", row)
				}
				return
			}
		}
	}
	t.Fatal("no chest film row")
}
