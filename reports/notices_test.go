package reports_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/reports"
)

// noticeInput is a signed exam of a cement worker exposed to 矽尘 and 噪声: 疑似职业病 (矽肺)
// for the dust, 职业禁忌证 for the noise.
func noticeInput(addressee string) app.NoticeInput {
	signed := time.Date(2026, 3, 9, 10, 30, 0, 0, time.Local)
	return app.NoticeInput{
		Institution: &app.Institution{Name: "广西壮族自治区某县人民医院", Address: "某县人民路 8 号", Phone: "0771-5550100"},
		Exam: &app.Exam{
			Number: "0126000123", Type: app.ExamPeriodic, Edition: "2014",
			Date:     time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local),
			Workshop: "生料车间", JobName: "生料磨工", Hazards: []string{"11", "32"},
			State: app.ExamConcluded,
			Record: &app.ExamRecord{
				Edition: 1,
				Conclusion: &app.ExamConclusion{
					Hazards: []app.HazardConclusion{
						{Hazard: "11", Code: app.ConclusionSuspected, DiseaseCode: "1.1.1", Disease: "矽肺",
							Basis: "胸片：尘肺样改变（双肺中下野小阴影）"},
						{Hazard: "32", Code: app.ConclusionContraindication, Contraindication: "除噪声外各种原因引起的永久性感音神经性听力损失",
							Basis: "右耳 1000 Hz 气导听阈 35 dB，左耳 2000 Hz 40 dB"},
					},
					Advice: "建议到职业病诊断机构进一步诊断；调离噪声作业岗位。",
				},
				Signature: &app.Signature{Login: "zhujian", Name: "李主检", At: signed, Qualification: "主检医师 ZJ-2024-017"},
			},
		},
		Worker: &app.Worker{Name: "覃建华", IDNumber: "450102198005120031", Sex: app.SexMale,
			BirthDate: time.Date(1980, 5, 12, 0, 0, 0, 0, time.Local)},
		Employer:    &app.Employer{Name: "广西某某水泥有限公司"},
		Addressee:   addressee,
		HazardNames: map[string]string{"11": "矽尘", "32": "噪声"},
	}
}

func TestNewNotice(t *testing.T) {
	n, err := reports.NewNotice(app.NoticeSuspected, noticeInput("劳动者"), reports.DefaultNoticeWording())
	if err != nil {
		t.Fatal(err)
	}
	if n.Title != "疑似职业病告知书" || n.Conclusion != "疑似职业病" || n.Clause != "GBZ 188-2014 4.8.3 c)" {
		t.Errorf("title %q, conclusion %q, clause %q", n.Title, n.Conclusion, n.Clause)
	}
	if len(n.Findings) != 1 || n.Findings[0].Hazard != "矽尘" || n.Findings[0].Named != "矽肺" {
		t.Errorf("findings %+v, want 矽尘 → 矽肺 only", n.Findings)
	}
	if n.Age != 45 || n.Signer != "李主检" || !n.Date.Equal(n.SignedAt) || n.Number != "0126000123-YS1" {
		t.Errorf("age %d, signer %q, date %v, number %q", n.Age, n.Signer, n.Date, n.Number)
	}
	c, err := reports.NewNotice(app.NoticeContraindication, noticeInput("用人单位"), reports.DefaultNoticeWording())
	if err != nil {
		t.Fatal(err)
	}
	if c.Salutation != "广西某某水泥有限公司：" || len(c.Findings) != 1 || c.Findings[0].Hazard != "噪声" || c.Clause != "GBZ 188-2014 4.8.3 d)" {
		t.Errorf("salutation %q, findings %+v, clause %q", c.Salutation, c.Findings, c.Clause)
	}
	in := noticeInput("劳动者")
	in.Exam.Edition = "2025"
	if n, err := reports.NewNotice(app.NoticeSuspected, in, reports.DefaultNoticeWording()); err != nil || !strings.HasPrefix(n.Clause, "GBZ 188—2025") {
		t.Errorf("2025: clause %q, %v", n.Clause, err)
	}
}

// TestNewNotice_Refuses: unsigned, returned, without the conclusion, a bad addressee or kind.
func TestNewNotice_Refuses(t *testing.T) {
	for _, tt := range []struct {
		name   string
		kind   string
		change func(*app.NoticeInput)
		want   string
	}{
		{"unsigned", app.NoticeSuspected, func(in *app.NoticeInput) { in.Exam.Record.Signature = nil; in.Exam.State = app.ExamAwaiting }, "尚未由主检医师签名"},
		{"no record", app.NoticeSuspected, func(in *app.NoticeInput) { in.Exam.Record = nil }, "尚未由主检医师签名"},
		{"returned", app.NoticeSuspected, func(in *app.NoticeInput) { in.Exam.State = app.ExamReturned }, "签名后才能出具"},
		{"no such conclusion", app.NoticeSuspected, func(in *app.NoticeInput) {
			in.Exam.Record.Conclusion.Hazards[0].Code = app.ConclusionNormal
		}, "结论中没有“疑似职业病”"},
		{"no contraindication", app.NoticeContraindication, func(in *app.NoticeInput) {
			in.Exam.Record.Conclusion.Hazards[1].Code = app.ConclusionOther
		}, "结论中没有“职业禁忌证”"},
		{"addressee", app.NoticeSuspected, func(in *app.NoticeInput) { in.Addressee = "家属" }, "告知对象“家属”不对"},
		{"kind", "warning", func(*app.NoticeInput) {}, "未知的告知书类型"},
		{"no recheck order", app.NoticeRecheck, func(*app.NoticeInput) {}, "没有复查安排"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := noticeInput("劳动者")
			tt.change(&in)
			b, err := reports.Documents{}.Notice(tt.kind, in)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tt.want) || b != nil {
				t.Errorf("err %v (%s), want EINVALID with %q", err, app.ErrorCode(err), tt.want)
			}
		})
	}
}

// TestLayoutNotice is the layout golden of each kind and addressee; each fits one page and
// carries the signature, the seal area and the receipt line.
func TestLayoutNotice(t *testing.T) {
	for _, kind := range []string{app.NoticeSuspected, app.NoticeContraindication} {
		for _, to := range reports.NoticeAddressees {
			n, err := reports.NewNotice(kind, noticeInput(to), reports.DefaultNoticeWording())
			if err != nil {
				t.Fatal(err)
			}
			l, err := reports.LayoutNotice(n)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Pages) != 1 {
				t.Errorf("%s/%s: %d pages, want 1", kind, to, len(l.Pages))
			}
			texts := strings.Join(l.Texts(0), "|")
			for _, want := range []string{n.Title, "（致" + to + "）", "覃建华", "450102198005120031", "回　执", "广西某某水泥有限公司",
				"0126000123", "2026年3月2日", "主检医师：李主检", "（机构盖章）", "签收日期", string([]rune(n.Findings[0].Named)[:2])} {
				if !strings.Contains(texts, want) {
					t.Errorf("%s/%s lacks %q", kind, to, want)
				}
			}
			for _, b := range l.Pages[0].Boxes {
				if b.X < 0 || b.Y < 0 || float64(b.X+b.W) > float64(l.Pages[0].W)+0.01 || float64(b.Y+b.H) > float64(l.Pages[0].H)+0.01 {
					t.Errorf("%s/%s: %s box %q off the page", kind, to, b.Kind, b.Text)
				}
			}
			layoutGolden(t, "notice/"+kind+"-"+map[string]string{"劳动者": "worker", "用人单位": "employer"}[to]+".json", l.JSON())
		}
	}
}

// TestParseNoticeWording: an administrator's corrected file must still say something to every
// addressee.
func TestParseNoticeWording(t *testing.T) {
	if _, err := reports.ParseNoticeWording([]byte(`{"texts":{}}`)); app.ErrorCode(err) != app.EINVALID ||
		!strings.Contains(app.ErrorMessage(err), "缺少") {
		t.Errorf("empty wording: %v", err)
	}
	if _, err := reports.ParseNoticeWording([]byte(`{"text":{}}`)); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("unknown field: %v", err)
	}
	w := reports.DefaultNoticeWording()
	w.Texts[app.NoticeSuspected]["劳动者"] = reports.NoticeText{Intro: "经检查：", Items: []string{"请于三十日内申请诊断。"}}
	n, err := reports.NewNotice(app.NoticeSuspected, noticeInput("劳动者"), w)
	if err != nil || n.Text.Items[0] != "请于三十日内申请诊断。" {
		t.Errorf("corrected wording not used: %+v, %v", n.Text, err)
	}
}

// TestRenderNotice_Poppler renders all four notices with pdftoppm and pdftotext (skipped when
// missing): one page each, and every Chinese character of the layout read back.
func TestRenderNotice_Poppler(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian poppler-utils)", tool)
		}
	}
	dir := t.TempDir()
	for _, kind := range []string{app.NoticeSuspected, app.NoticeContraindication} {
		for _, to := range reports.NoticeAddressees {
			in := noticeInput(to)
			b, err := reports.Documents{}.Notice(kind, in)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := (reports.Documents{}).Notice(kind, in); !bytes.Equal(b, again) {
				t.Errorf("%s/%s: the same notice rendered to different bytes", kind, to)
			}
			name := kind + "-" + map[string]string{"劳动者": "worker", "用人单位": "employer"}[to]
			f := filepath.Join(dir, name+".pdf")
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("pdftoppm", "-r", "80", "-png", f, filepath.Join(dir, name)).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v\n%s", err, out)
			}
			pngs, _ := filepath.Glob(filepath.Join(dir, name+"*.png"))
			if len(pngs) != 1 {
				t.Errorf("%s: pdftoppm made %d pages, want 1", name, len(pngs))
			}
			if fi, err := os.Stat(pngs[0]); err != nil || fi.Size() < 10000 {
				t.Errorf("%s: page image %v suspiciously small", name, fi)
			}
			out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			n, _ := reports.NewNotice(kind, in, reports.DefaultNoticeWording())
			l, _ := reports.LayoutNotice(n)
			want := 0
			for i := range l.Pages {
				for _, line := range l.Texts(i) {
					want += hanCount(line)
				}
			}
			if got := hanCount(string(out)); got != want {
				t.Errorf("%s: pdftotext gave %d Chinese characters, the layout has %d", name, got, want)
			} else {
				t.Logf("%s: %d Chinese characters read back from %d bytes", name, got, len(b))
			}
			dumpPDF(t, "notice-"+name+".pdf", b)
		}
	}
}

// TestLayoutNotice_Long: many findings with long wording flow onto a second page; the receipt
// stays whole on the last page.
func TestLayoutNotice_Long(t *testing.T) {
	in := noticeInput("用人单位")
	in.Exam.Hazards = []string{"11", "32", "2223", "2237", "3007"}
	in.HazardNames["2223"], in.HazardNames["2237"], in.HazardNames["3007"] = "锰及其无机化合物", "铅及其无机化合物", "高温"
	long := "除噪声外各种原因引起的永久性感音神经性听力损失（500 Hz、1000 Hz 和 2000 Hz 中任一频率的纯音气导听阈>25 dB）"
	for _, h := range []string{"2223", "2237", "3007"} {
		in.Exam.Record.Conclusion.Hazards = append(in.Exam.Record.Conclusion.Hazards, app.HazardConclusion{Hazard: h,
			Code: app.ConclusionContraindication, Contraindication: long, Basis: strings.Repeat("检查所见，", 12)})
	}
	in.Exam.Record.Conclusion.Advice = strings.Repeat("建议调离原岗位，妥善安置，定期复查。", 6)
	n, err := reports.NewNotice(app.NoticeContraindication, in, reports.DefaultNoticeWording())
	if err != nil {
		t.Fatal(err)
	}
	l, err := reports.LayoutNotice(n)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pages) != 2 {
		t.Fatalf("%d pages, want 2", len(l.Pages))
	}
	last := strings.Join(l.Texts(1), "|")
	for _, want := range []string{"职业禁忌证告知书（续）　覃建华　编号 0126000123-JJ1", "回　执", "签收日期", "第 2 页 共 2 页"} {
		if !strings.Contains(last, want) {
			t.Errorf("last page lacks %q: %s", want, last)
		}
	}
	if first := strings.Join(l.Texts(0), "|"); strings.Contains(first, "签收日期") {
		t.Error("the receipt is split across pages")
	}
	b, err := reports.RenderNotice(n)
	if err != nil {
		t.Fatal(err)
	}
	dumpPDF(t, "notice-long.pdf", b)
}

// recheckInput is the cement worker's exam with a recheck order: audiometry (after 48 hours
// away from noise) and liver function (fasting).
func recheckInput(addressee string) app.NoticeInput {
	in := noticeInput(addressee)
	in.Exam.Items = []app.ExamItem{
		{GroupCode: "G0103", Name: "肝功能", Department: "检验科", Tube: "黄头管（促凝分离胶）"},
		{GroupCode: "G0501", Name: "纯音听阈测试", Department: "听力室"},
	}
	in.Exam.Record.Conclusion.Hazards[1] = app.HazardConclusion{Hazard: "32", Code: app.ConclusionRecheck, Basis: "右耳 4000 Hz 听阈 45 dB"}
	in.Exam.Record.Conclusion.Recheck = &app.RecheckOrder{Groups: []string{"G0501", "G0103"},
		Date: time.Date(2026, 3, 30, 0, 0, 0, 0, time.Local), Reason: "高频听阈升高、ALT 轻度升高，需复查确认"}
	return in
}

// TestNewNotice_Recheck: the 复查通知书 lists the ordered items with their departments, the
// date, the place, what to bring and the preparations the items need (fasting for liver
// function, quiet before audiometry), and nothing for items that need none.
func TestNewNotice_Recheck(t *testing.T) {
	n, err := reports.NewNotice(app.NoticeRecheck, recheckInput("劳动者"), reports.DefaultNoticeWording())
	if err != nil {
		t.Fatal(err)
	}
	rc := n.Recheck
	if n.Title != "复查通知书" || n.Number != "0126000123-FC1" || rc == nil || len(rc.Items) != 2 ||
		rc.Items[0] != (reports.NoticeRecheckItem{Name: "纯音听阈测试", Department: "听力室"}) || rc.Items[1].Name != "肝功能" {
		t.Fatalf("notice %q %q, recheck %+v", n.Title, n.Number, rc)
	}
	prep := strings.Join(rc.Prep, "|")
	if len(rc.Prep) != 2 || !strings.Contains(prep, "空腹") || !strings.Contains(prep, "48 小时") {
		t.Errorf("preparations %q", rc.Prep)
	}
	if rc.Where != "广西壮族自治区某县人民医院（某县人民路 8 号）" || !strings.Contains(strings.Join(rc.Bring, "、"), "身份证件") || rc.Date.Day() != 30 {
		t.Errorf("where %q, bring %v, date %v", rc.Where, rc.Bring, rc.Date)
	}
	in := recheckInput("劳动者")
	in.Exam.Record.Conclusion.Recheck.Groups = []string{"G0501"}
	in.Exam.Items = in.Exam.Items[1:]
	n, _ = reports.NewNotice(app.NoticeRecheck, in, reports.DefaultNoticeWording())
	if len(n.Recheck.Prep) != 1 || strings.Contains(n.Recheck.Prep[0], "空腹") {
		t.Errorf("audiometry alone: %q", n.Recheck.Prep)
	}
	// An administrator's wording file from before the recheck notice still reads, with the
	// bundled recheck texts.
	w := reports.DefaultNoticeWording()
	delete(w.Texts, app.NoticeRecheck)
	w.RecheckPrep, w.RecheckBring = nil, nil
	b, _ := json.Marshal(w)
	old, err := reports.ParseNoticeWording(b)
	if err != nil || old.Texts[app.NoticeRecheck]["劳动者"].Intro == "" || len(old.RecheckPrep) == 0 {
		t.Errorf("old wording file: %v", err)
	}
}

// TestLayoutNotice_Recheck is the layout golden of the 复查通知书 for the worker and the
// employer: one page each, with the items, date, place, preparations and receipt.
func TestLayoutNotice_Recheck(t *testing.T) {
	for _, to := range reports.NoticeAddressees {
		n, err := reports.NewNotice(app.NoticeRecheck, recheckInput(to), reports.DefaultNoticeWording())
		if err != nil {
			t.Fatal(err)
		}
		l, err := reports.LayoutNotice(n)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Pages) != 1 {
			t.Errorf("%s: %d pages, want 1", to, len(l.Pages))
		}
		texts := strings.Join(l.Texts(0), "|")
		for _, want := range []string{"复查通知书", "（致" + to + "）", "覃建华", "纯音听阈测试", "听力室", "肝功能",
			"请于 2026年3月30日 前复查", "复查地点：广西壮族自治区某县人民医院", "请携带：", "空腹", "48 小时", "特此通知：", "回　执", "（机构盖章）"} {
			if !strings.Contains(texts, want) {
				t.Errorf("%s lacks %q", to, want)
			}
		}
		name := map[string]string{"劳动者": "worker", "用人单位": "employer"}[to]
		layoutGolden(t, "notice/recheck-"+name+".json", l.JSON())
		if to == "劳动者" {
			skipPoppler := false
			for _, tool := range []string{"pdftoppm", "pdftotext"} {
				if _, err := exec.LookPath(tool); err != nil {
					skipPoppler = true
				}
			}
			if !skipPoppler {
				b, err := reports.RenderNotice(n)
				if err != nil {
					t.Fatal(err)
				}
				checkPoppler(t, "notice-recheck-"+name, b, l)
			}
		}
	}
}
