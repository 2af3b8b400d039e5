package cards_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/reports/cards"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var (
	codesOnce sync.Once
	codeSet   *catalog.Set
)

func codes(tb testing.TB) app.CodeLookup {
	codesOnce.Do(func() {
		var err error
		codeSet, err = catalog.Load(assets.Catalogs)
		if err != nil {
			panic(err)
		}
	})
	return codeSet
}

var cst = time.FixedZone("CST", 8*3600)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, cst) }

func f(x float64) *float64 { return &x }

var institution = &app.Institution{Name: "某县人民医院", Code: "420102001", AreaCode: "420102", AreaName: "湖北省武汉市江岸区"}

var settings = app.CardSettings{ReportZoneCode: "420102000", ReportOrgCode: "420102001", License: "LIC-TEST-0001",
	Writer: "李填表", WriterPhone: "027-82345678", Reporter: "王报告", ReporterPhone: "13900000001"}

var employer = app.Employer{ID: 1, Name: "武汉红星机械有限公司", CreditCode: "91420102MA4K0XXX1L", AreaCode: "420102", IndustryCode: "3411",
	EconomicTypeCode: "159", SizeCode: "03", Address: "江岸区工业路 8 号", ZipCode: "430010", ContactPerson: "赵经理", ContactPhone: "027-88880000"}

var agency = app.Employer{ID: 2, Name: "湖北人力资源服务有限公司", CreditCode: "91420100MA4L0YYY2K", AreaCode: "420103", IndustryCode: "7262",
	EconomicTypeCode: "159", SizeCode: "04", Address: "江汉区新华路 1 号", ContactPerson: "钱主管", ContactPhone: "027-66660000"}

// card builds a released exam's card: n picks a variant (0 normal noise exam, 1 dispatched
// worker with a suspected disease and a refused group, 2 a 复查 with an "other" hazard).
func card(n int, number string) app.CardData {
	w := app.Worker{ID: int64(n + 1), Name: "张三", DocType: app.DocResidentID, IDNumber: "420102198503071234", Sex: app.SexMale,
		BirthDate: day(1985, 3, 7), Phone: "13800000000",
		WorkHistory: []app.WorkPeriod{{EmployerID: 1, Workshop: "冲压车间", JobCode: "00-13", Start: day(2010, 6, 1)}},
		Exposures:   []app.Exposure{{HazardCode: "3001", Start: day(2012, 9, 15)}, {HazardCode: "1006", Start: day(2015, 1, 1)}}}
	ex := &app.Exam{ID: int64(100 + n), Number: number, WorkerID: w.ID, EmployerID: 1, Type: app.ExamPeriodic, Hazards: []string{"3001"},
		Edition: "2014", Date: day(2026, 10, 12), Workshop: "冲压车间", JobCode: "00-13", State: app.ExamReleased,
		Items: []app.ExamItem{{GroupCode: "G0401", Name: "纯音听阈测试", Department: "耳鼻喉科"}, {GroupCode: "G0101", Name: "血常规", Department: "检验科"}}}
	results := []app.Result{
		{ItemCode: "3040800", GroupCode: "G0401", Kind: app.ResultNumeric, Value: "25", Number: 25, Unit: "dB", Status: app.ResultDone, Flag: app.FlagNormal,
			Range: app.RefRange{High: f(25)}, Doctor: "er1", Time: day(2026, 10, 12)},
		{ItemCode: "4010100", GroupCode: "G0101", Kind: app.ResultNumeric, Value: "11.2", Number: 11.2, Unit: "×10⁹/L", Status: app.ResultDone, Flag: app.FlagHigh,
			Range: app.RefRange{Low: f(3.5), High: f(9.5)}, Doctor: "lab1", Time: day(2026, 10, 12)},
		{ItemCode: "4010200", GroupCode: "G0101", Kind: app.ResultText, Status: app.ResultRefused, Doctor: "lab1", Time: day(2026, 10, 12)},
	}
	concl := &app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "3001", Code: app.ConclusionNormal}}, Advice: "定期复查听力。"}
	parties := &app.ExamParties{Worker: w, Employer: employer, HazardNames: map[string]string{"3001": "噪声", "1006": "电焊烟尘", "1099": "其他粉尘"},
		ItemNames:  map[string]string{"3040800": "右耳 500Hz（气导）", "4010100": "白细胞总数（WBC）", "4010200": "嗜中性细胞计数(N)"},
		GroupNames: map[string]string{"G0401": "纯音听阈测试", "G0101": "血常规", "G0201": "胸片"}}
	c := app.Card{ExamID: ex.ID, ExamNumber: number, DocumentID: "420102001-HEALTH_EXAM_RECORD-20261020093015123-" + fmt.Sprintf("%05d", 4217+n),
		Status: app.CardPending, Operate: app.CardAdd}
	d := app.CardData{Card: c, Exam: ex, Institution: institution, Settings: settings}
	switch n % 3 {
	case 1:
		ex.HostEmployerID = 1
		ex.EmployerID = 2
		parties.Employer = agency
		parties.HostEmployer = &employer
		ex.Hazards = []string{"3001", "1006"}
		concl.Hazards = []app.HazardConclusion{{Hazard: "3001", Code: app.ConclusionRecheck},
			{Hazard: "1006", Code: app.ConclusionSuspected, DiseaseCode: "1111", Disease: "电焊工尘肺"}}
		concl.Recheck = &app.RecheckOrder{Groups: []string{"G0401"}, Date: day(2026, 11, 12), Reason: "听阈偏高"}
		results = append(results, app.Result{GroupCode: "G0201", Status: app.ResultRefused})
		d.Card.Late = true
	case 2:
		ex.Type = app.ExamLeaving
		ex.Recheck, ex.PreviousExamID = true, 99
		ex.Hazards = []string{"1099", "3001"}
		w.Exposures = append(w.Exposures, app.Exposure{HazardCode: "1099", HazardName: "玄武岩粉尘", Start: day(2019, 11, 20)})
		parties.Worker = w
		concl.Hazards = []app.HazardConclusion{{Hazard: "1099", Code: app.ConclusionOther, Other: "白细胞计数偏高，建议专科随诊"},
			{Hazard: "3001", Code: app.ConclusionContraindication, Contraindication: "各种原因引起永久性感音神经性听力损失（500Hz、1000Hz 和 2000Hz 中任一频率的纯音气导听阈＞25dB）"}}
		results = append(results, app.Result{ItemCode: "3080200", GroupCode: "G0201", Kind: app.ResultCode, Value: "0", Status: app.ResultDone, Doctor: "rad1", Time: day(2026, 10, 12)})
		d.Previous = &app.Card{ExamNumber: "26000077", DocumentID: "420102001-HEALTH_EXAM_RECORD-20260301080000000-00001"}
		d.Card.Operate = app.CardUpdate
	}
	ex.Record = &app.ExamRecord{ExamID: ex.ID, Edition: 1, Results: results, Conclusion: concl, Parties: parties,
		Inquiry:   &app.Inquiry{Date: day(2026, 10, 12), Smoking: app.Habit{Status: app.HabitRegular, PerDay: 10, Years: 15}},
		Signature: &app.Signature{Login: "zhujian", Name: "孙主检", At: time.Date(2026, 10, 15, 16, 0, 0, 0, cst)},
		Releases:  []app.Handover{{At: time.Date(2026, 10, 18, 9, 0, 0, 0, cst), Recipient: "赵经理"}}}
	return d
}

func batch3() []app.CardData {
	return []app.CardData{card(0, "26000101"), card(1, "26000102"), card(2, "26000103")}
}

// unzip returns the files of a zip by name, in order.
func unzip(t *testing.T, b []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		files[f.Name] = data
	}
	return names, files
}

// wellFormed parses an XML document completely.
func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", name, err)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
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
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join("testdata", "failed", name)
		_ = os.MkdirAll(filepath.Dir(failed), 0o755)
		_ = os.WriteFile(failed, got, 0o644)
		t.Errorf("%s differs from the golden file; got written to %s", name, failed)
	}
}

func TestExport_National(t *testing.T) {
	files, m, err := cards.Export(app.CardFormatNational, "B20261020-001", batch3(), cards.Options{Codes: codes(t)})
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	if len(files) != 2 || files[0].Name != "B20261020-001.zip" || files[1].Name != "B20261020-001.manifest.json" {
		t.Fatalf("files %v", names(files))
	}
	if m.Cards != 3 || m.Add != 2 || m.Update != 1 || m.Late != 1 || m.Employers != 2 || len(m.Documents) != 4 {
		t.Errorf("manifest %+v", m)
	}
	order, docs := unzip(t, files[0].Data)
	if len(order) != 4 || !strings.Contains(order[0], "-ENTERPRISE_INFO-") {
		t.Fatalf("zip holds %v", order)
	}
	for i, name := range order {
		wellFormed(t, name, docs[name])
		if m.Documents[i].Name != name || m.Documents[i].Size != len(docs[name]) {
			t.Errorf("manifest document %d: %+v, zip has %s (%d bytes)", i, m.Documents[i], name, len(docs[name]))
		}
		golden(t, "national/"+name, docs[name])
	}
	golden(t, "national/manifest.json", files[1].Data)

	rec := string(docs[order[2]]) // 26000102: dispatched, suspected disease, late
	for _, want := range []string{
		"<OperateType>Add</OperateType>", `<HEALTH_EXAM_RECORD ID="26000102">`,
		"<ENTERPRISE_NAME>湖北人力资源服务有限公司</ENTERPRISE_NAME>", "<ENTERPRISE_NAME_EMPLOYER>武汉红星机械有限公司</ENTERPRISE_NAME_EMPLOYER>",
		"<ALL_NAME>湖北省武汉市江汉区</ALL_NAME>", "<ADDRESS_CODE>420103000</ADDRESS_CODE>",
		"<FACTOR_CODE>3001,1006</FACTOR_CODE>", "<YSZYB_CODE>1111</YSZYB_CODE>",
		"<HARM_START_DATE>20150101</HARM_START_DATE>", "<HARM_AGE_YEAR>11</HARM_AGE_YEAR>", "<HARM_AGE_MONTH>9</HARM_AGE_MONTH>",
		"<EXAM_RESULT>弃检</EXAM_RESULT>", "<ABNORMAL>3</ABNORMAL>", "<ABNORMAL>1</ABNORMAL>",
		"<REMARK>补报；整组未检或弃检：胸片（弃检）</REMARK>", "<AUDITSTATUS>01</AUDITSTATUS>", "<AUDITINFO></AUDITINFO>",
		"<WRITE_DATE>20261015</WRITE_DATE>", "<REPORT_DATE>20261020</REPORT_DATE>",
	} {
		if !strings.Contains(rec, want) {
			t.Errorf("card 26000102 lacks %s", want)
		}
	}
	// The program never claims a review: no audit status but 01 anywhere.
	for name, b := range docs {
		if strings.Count(string(b), "<AUDITSTATUS>") != strings.Count(string(b), "<AUDITSTATUS>01</AUDITSTATUS>") {
			t.Errorf("%s claims an audit status", name)
		}
	}
}

func names(fs []app.CardExportFile) []string {
	var n []string
	for _, f := range fs {
		n = append(n, f.Name)
	}
	return n
}

func TestExport_UpdateGoesOutAsUpdate(t *testing.T) {
	files, _, err := cards.Export(app.CardFormatNational, "B1", batch3(), cards.Options{Codes: codes(t)})
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	_, docs := unzip(t, files[0].Data)
	doc := string(docs["420102001-HEALTH_EXAM_RECORD-20261020093015123-04219.xml"])
	for _, want := range []string{"<DocumentId>420102001-HEALTH_EXAM_RECORD-20261020093015123-04219</DocumentId>",
		"<OperateType>Update</OperateType>", "<REMARK>订正</REMARK>", "<IS_REVIEW>1</IS_REVIEW>",
		"<CONTACT_FACTOR_OTHER>玄武岩粉尘</CONTACT_FACTOR_OTHER>", "<FACTOR_OTHER>玄武岩粉尘</FACTOR_OTHER>",
		"<EXAM_TYPE_CODE>03</EXAM_TYPE_CODE>", "<ABNORMAL>0</ABNORMAL>", "<EXAM_RESULT_TYPE>03</EXAM_RESULT_TYPE>"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the changed card lacks %s", want)
		}
	}
}

func TestExport_Hubei(t *testing.T) {
	files, m, err := cards.Export(app.CardFormatHubei, "B20261020-001", batch3(), cards.Options{Codes: codes(t)})
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	if len(files) != 2 || files[0].Name != "B20261020-001.xml" || m.Cards != 3 {
		t.Fatalf("files %v, manifest %+v", names(files), m)
	}
	wellFormed(t, files[0].Name, files[0].Data)
	golden(t, "hubei/B20261020-001.xml", files[0].Data)
	golden(t, "hubei/manifest.json", files[1].Data)
	doc := string(files[0].Data)
	if n := strings.Count(doc, "<reportCard>"); n != 3 {
		t.Errorf("%d reportCard elements", n)
	}
	if n := strings.Count(doc, "<employer>"); n != 2 {
		t.Errorf("%d employer elements", n)
	}
	for _, want := range []string{"<previousCardId>26000077</previousCardId>", "<checkType>12</checkType>", "<bodyCheckType>3</bodyCheckType>",
		"<sptId>1111</sptId>", "<otherHazardName>玄武岩粉尘</otherHazardName>", "<areaName>湖北省武汉市江岸区</areaName>",
		"<reportTime>20261020093015</reportTime>", "<smkSituation>2</smkSituation>", "<mark>0</mark>"} {
		if !strings.Contains(doc, want) {
			t.Errorf("Hubei document lacks %s", want)
		}
	}
}

// TestExport_Identical: the same batch exported again, with the cards in another order, gives
// byte-identical files.
func TestExport_Identical(t *testing.T) {
	for _, format := range cards.Formats() {
		t.Run(format, func(t *testing.T) {
			a, _, err := cards.Export(format, "B7", batch3(), cards.Options{Codes: codes(t)})
			if err != nil {
				t.Fatal(app.ErrorMessage(err))
			}
			rev := batch3()
			slices.Reverse(rev)
			b, _, err := cards.Export(format, "B7", rev, cards.Options{Codes: codes(t), Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			for i := range a {
				if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
					t.Errorf("%s differs between two exports of the same batch", a[i].Name)
				}
			}
		})
	}
}

// TestExport_Invalid: every broken element is named with its card; nothing is returned.
func TestExport_Invalid(t *testing.T) {
	cs := batch3()
	p := cs[0].Exam.Record.Parties
	p.Employer.CreditCode = "9142010"                  // AN18
	p.Worker.Phone = ""                                // required
	p.Worker.DocType = app.DocHMTResidence             // local code: no national code
	cs[1].Exam.Record.Parties.Worker.Name = ""         // required
	cs[1].Settings.Writer = ""                         // required
	cs[2].Exam.Record.Conclusion.Hazards[0].Other = "" // 05 needs QTJB_NAME
	cs[2].Card.DocumentID = "4201-HEALTH_EXAM_RECORD-2026-1"
	files, m, err := cards.Export(app.CardFormatNational, "B1", cs, cards.Options{Codes: codes(t)})
	if files != nil || m != nil || app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("files %v, err %v", names(files), err)
	}
	var ve *cards.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%T", err)
	}
	msg := app.ErrorMessage(err)
	for _, want := range []string{
		"个案卡 26000101（张三）：HEALTH_EXAM_RECORD/ENTERPRISE_INFO/CREDIT_CODE（统一社会信用代码）：“9142010”应为 18 位（现为 7 位）",
		"个案卡 26000101（张三）：HEALTH_EXAM_RECORD/WORKER_INFO/WORKER_TELPHONE（联系电话）：不能为空",
		"个案卡 26000101（张三）：HEALTH_EXAM_RECORD/WORKER_INFO/ID_CARD_TYPE_CODE（身份证件类型代码）：“L01”应为 2 位（现为 3 位）",
		"个案卡 26000102：HEALTH_EXAM_RECORD/WORKER_INFO/WORKER_NAME（姓名）：不能为空",
		"个案卡 26000102：HEALTH_EXAM_RECORD/WRITE_PERSON（填表人姓名）：不能为空",
		"个案卡 26000103（张三）：EXAM_CONCLUSION/QTJB_NAME（其他疾病或异常描述）：不能为空（EXAM_CONCLUSION_CODE 为“05”时必填）",
		"个案卡 26000103（张三）：Header/DocumentId（文档标识 ID）",
		"用人单位“武汉红星机械有限公司”（个案卡 26000101）：ENTERPRISE_INFO/CREDIT_CODE（统一社会信用代码）",
		"未导出任何文件",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	for _, p := range ve.Problems {
		if p.Subject == "" || p.Element == "" || p.Message == "" {
			t.Errorf("problem without subject, element or message: %+v", p)
		}
	}
}

// TestExport_Conditions: conditional elements follow their conditions.
func TestExport_Conditions(t *testing.T) {
	t.Run("pre-employment needs no exposure dates", func(t *testing.T) {
		c := card(0, "26000201")
		c.Exam.Type = app.ExamPreEmployment
		c.Exam.Record.Parties.Worker.Exposures = nil
		for _, format := range cards.Formats() {
			if ps, err := cards.Validate(format, []app.CardData{c}, cards.Options{Codes: codes(t)}); err != nil || len(ps) > 0 {
				t.Errorf("%s: %v %v", format, ps, err)
			}
		}
	})
	t.Run("periodic exam needs them", func(t *testing.T) {
		c := card(0, "26000202")
		c.Exam.Record.Parties.Worker.Exposures = nil
		for _, format := range cards.Formats() {
			ps, _ := cards.Validate(format, []app.CardData{c}, cards.Options{Codes: codes(t)})
			if !hasElement(ps, "HARM_START_DATE", "hazardStartDate") {
				t.Errorf("%s: no problem with the missing start date: %v", format, ps)
			}
		}
	})
	t.Run("public administration needs no economic type", func(t *testing.T) {
		c := card(0, "26000203")
		e := &c.Exam.Record.Parties.Employer
		e.IndustryCode, e.EconomicTypeCode, e.SizeCode = "9221", "", "" // S 门类
		if ps, _ := cards.Validate(app.CardFormatNational, []app.CardData{c}, cards.Options{Codes: codes(t)}); len(ps) > 0 {
			t.Errorf("%v", ps)
		}
		e.IndustryCode = "3411"
		ps, _ := cards.Validate(app.CardFormatNational, []app.CardData{c}, cards.Options{Codes: codes(t)})
		if !hasElement(ps, "ECONOMIC_TYPE_CODE") || !hasElement(ps, "BUSINESS_SCALE_CODE") {
			t.Errorf("%v", ps)
		}
	})
	t.Run("codes outside their tables", func(t *testing.T) {
		c := card(0, "26000204")
		c.Exam.Record.Parties.Employer.SizeCode = "07"
		c.Exam.Hazards = []string{"8888"}
		c.Exam.Record.Conclusion.Hazards[0].Hazard = "8888"
		ps, _ := cards.Validate(app.CardFormatNational, []app.CardData{c}, cards.Options{Codes: codes(t)})
		if !hasElement(ps, "BUSINESS_SCALE_CODE") || !hasElement(ps, "FACTOR_CODE") || !hasElement(ps, "ITAM_CODE") {
			t.Errorf("%v", ps)
		}
	})
	t.Run("a job typed without a code goes out as 其他 with its name", func(t *testing.T) {
		c := card(0, "26000206")
		c.Exam.JobCode, c.Exam.JobName = "", "窑头看火工"
		for _, format := range cards.Formats() {
			if ps, err := cards.Validate(format, []app.CardData{c}, cards.Options{Codes: codes(t)}); err != nil || len(ps) > 0 {
				t.Errorf("%s: %v %v", format, ps, err)
			}
		}
		files, _, err := cards.Export(app.CardFormatNational, "B1", []app.CardData{c}, cards.Options{Codes: codes(t)})
		if err != nil {
			t.Fatal(err)
		}
		var xml string
		for _, f := range files {
			if strings.HasSuffix(f.Name, ".zip") {
				_, m := unzip(t, f.Data)
				for _, b := range m {
					xml += string(b)
				}
			}
		}
		if !strings.Contains(xml, "<WORK_TYPE_CODE>99-9999</WORK_TYPE_CODE>") || !strings.Contains(xml, "<OTHER_WORK_TYPE>窑头看火工</OTHER_WORK_TYPE>") {
			t.Errorf("job not written as 其他 with its name")
		}
		c.Exam.JobName = ""
		ps, _ := cards.Validate(app.CardFormatNational, []app.CardData{c}, cards.Options{Codes: codes(t)})
		if !hasElement(ps, "WORK_TYPE_CODE") {
			t.Errorf("no job at all passes: %v", ps)
		}
		// An "other" code without a typed name carries the code's own name.
		c.Exam.JobCode = "00-14"
		files, _, err = cards.Export(app.CardFormatNational, "B2", []app.CardData{c}, cards.Options{Codes: codes(t)})
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, f := range files {
			if strings.HasSuffix(f.Name, ".zip") {
				_, m := unzip(t, f.Data)
				for _, b := range m {
					all.Write(b)
				}
			}
		}
		if !strings.Contains(all.String(), "<OTHER_WORK_TYPE>矿山其他工</OTHER_WORK_TYPE>") {
			t.Errorf("an other-job code without a name")
		}
	})
	t.Run("bad dates", func(t *testing.T) {
		c := card(0, "26000205")
		c.Exam.Date = time.Time{}
		ps, _ := cards.Validate(app.CardFormatNational, []app.CardData{c}, cards.Options{Codes: codes(t)})
		if !hasElement(ps, "EXAM_DATE") {
			t.Errorf("%v", ps)
		}
	})
}

func hasElement(ps []cards.Problem, els ...string) bool {
	for _, p := range ps {
		for _, e := range els {
			if strings.HasSuffix(p.Element, "/"+e) || p.Element == e {
				return true
			}
		}
	}
	return false
}

func TestExport_Refusals(t *testing.T) {
	if _, _, err := cards.Export("zhejiang", "B1", batch3(), cards.Options{}); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "未知的导出格式") {
		t.Errorf("unknown format: %v", err)
	}
	if _, _, err := cards.Export(app.CardFormatNational, "../x", batch3(), cards.Options{}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("bad batch ID: %v", err)
	}
	if _, _, err := cards.Export(app.CardFormatNational, "B1", nil, cards.Options{}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("no cards: %v", err)
	}
}

// TestSchemas_EveryRowWritten: the test cards exercise every element of every table, so the
// adapters and their tables agree.
func TestSchemas_EveryRowWritten(t *testing.T) {
	for _, format := range cards.Formats() {
		a, _ := cards.Lookup(format)
		files, _, err := cards.Export(format, "B1", batch3(), cards.Options{Codes: codes(t)})
		if err != nil {
			t.Fatal(app.ErrorMessage(err))
		}
		all := string(files[0].Data)
		if strings.HasSuffix(files[0].Name, ".zip") {
			_, docs := unzip(t, files[0].Data)
			all = ""
			for _, d := range docs {
				all += string(d)
			}
		}
		for _, s := range a.Schemas() {
			for _, el := range s.Rows {
				if !strings.Contains(all, "<"+el.Name+">") && !strings.Contains(all, "<"+el.Name+" ") {
					t.Errorf("%s: element %s of %s never written", format, el.Path(), s.Name)
				}
				if el.Title == "" && el.Parent != nil {
					t.Errorf("%s: %s has no Chinese name", s.Name, el.Path())
				}
			}
		}
	}
}
