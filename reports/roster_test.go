package reports_test

import (
	"bytes"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/reports"
)

var rosterNow = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

var (
	rosterRulesOnce sync.Once
	rosterSet       *catalog.Set
	rosterWarn      app.IntakeWarnings
	rosterRulesErr  error
)

func rosterRules(tb testing.TB) (*catalog.Set, app.IntakeWarnings) {
	tb.Helper()
	rosterRulesOnce.Do(func() {
		// As the program wires them: the embedded catalogs and rule data.
		if rosterSet, rosterRulesErr = catalog.Load(assets.Catalogs); rosterRulesErr != nil {
			return
		}
		var b []byte
		if b, rosterRulesErr = fs.ReadFile(assets.Rules, "rules/intake_warnings.json"); rosterRulesErr != nil {
			return
		}
		rosterWarn, rosterRulesErr = app.LoadIntakeWarnings(b)
	})
	if rosterRulesErr != nil {
		tb.Fatal(rosterRulesErr)
	}
	return rosterSet, rosterWarn
}

func rosterID(body string) string { return body + string(app.IDCheckChar(body)) }

var (
	idA = rosterID("42010219900307123") // 男 1990-03-07
	idB = rosterID("42010219920515122") // 女 1992-05-15
	idC = rosterID("45010219850101002") // 女 1985-01-01
)

// rosterXLSX builds the kind of workbook an employer sends: a merged title row, a header
// with synonyms and required marks, IDs as text and as numbers, real date cells, a serial
// number in a date column, numeric phones, and empty rows at the end.
func rosterXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "名单"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellStr(sh, "A1", "XX公司2026年职业健康检查名单"))
	must(f.MergeCell(sh, "A1", "L1"))
	header := []any{"序号", "*姓名", "身份证号码（必填）", "性别", "出生\n年月", "手机", "车间/部门", "工种", "接触危害因素", "开始接害日期", "接害工龄(年)", "体检类型"}
	must(f.SetSheetRow(sh, "A2", &header))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	cnDate, err := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr(`yyyy"年"m"月"d"日"`)})
	must(err)
	rows := [][]any{
		{1, "张三", idA, "男", "1990-03-07", "13812345678", "一车间", "电焊工", "电焊烟尘、噪声", "2015/6/1", nil, "在岗期间"},
		{2, "李芳", 421022199001011234.0, "女", nil, 13912345678, "二车间", "包装工", "苯", nil, 2.5, "上岗前"},
		{3, "王五", 420102900307124, "男", nil, 7712345678, "二车间", "钳工", "矽尘", 45356, nil, "在岗"},
		{4, "赵敏", idB, "女", time.Date(1992, 5, 15, 0, 0, 0, 0, time.UTC), nil, "化验室", "化验员", "甲醛；木屑", time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), nil, "2"},
		{5, "钱六", idC, "女", nil, "0771-1234567", "", "", "噪声", 20240305, nil, "离岗"},
	}
	for i, r := range rows {
		axis, _ := excelize.CoordinatesToCellName(1, i+3)
		must(f.SetSheetRow(sh, axis, &r))
	}
	must(f.SetCellStyle(sh, "E6", "E6", dateStyle)) // 出生年月 of row 6: a real date cell
	must(f.SetCellStyle(sh, "J6", "J6", cnDate))    // 开始接害日期 of row 6
	// A numbered but otherwise empty row, and blank rows with formatting at the end.
	must(f.SetCellValue(sh, "A8", 6))
	must(f.SetCellStr(sh, "B10", " "))
	must(f.SetCellStyle(sh, "A9", "L12", dateStyle))
	// A second, hidden sheet that must not be read.
	if _, err := f.NewSheet("旧名单"); err != nil {
		t.Fatal(err)
	}
	must(f.SetSheetRow("旧名单", "A1", &[]any{"姓名", "身份证号"}))
	must(f.SetSheetVisible("旧名单", false))
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

func strPtr(s string) *string { return &s }

func findRecord(t *testing.T, f app.RosterFile, row int) app.RosterRecord {
	t.Helper()
	for _, r := range f.Records {
		if r.Row == row {
			return r
		}
	}
	t.Fatalf("no record for row %d in %v", row, rowNumbers(f))
	return app.RosterRecord{}
}

func rowNumbers(f app.RosterFile) []int {
	var out []int
	for _, r := range f.Records {
		out = append(out, r.Row)
	}
	return out
}

func TestReadRoster_XLSX(t *testing.T) {
	rf, err := reports.ReadRoster("名单.xlsx", rosterXLSX(t))
	if err != nil {
		t.Fatal(err)
	}
	if rf.HeaderRow != 2 || rf.Name != "名单.xlsx" || rf.Encoding != "" {
		t.Errorf("header row %d, name %q, encoding %q", rf.HeaderRow, rf.Name, rf.Encoding)
	}
	wantHeaders := map[app.RosterColumn]string{
		app.ColName: "*姓名", app.ColIDNumber: "身份证号码（必填）", app.ColSex: "性别", app.ColBirth: "出生年月",
		app.ColPhone: "手机", app.ColWorkshop: "车间/部门", app.ColJob: "工种", app.ColHazards: "接触危害因素",
		app.ColExposureStart: "开始接害日期", app.ColExposureYears: "接害工龄(年)", app.ColExamType: "体检类型",
	}
	for c, h := range wantHeaders {
		if rf.Headers[c] != h {
			t.Errorf("header of %s = %q, want %q", c, rf.Headers[c], h)
		}
	}
	if strings.Join(rf.Ignored, ",") != "序号" {
		t.Errorf("ignored %v", rf.Ignored)
	}
	if got := rowNumbers(rf); len(got) != 5 || got[0] != 3 || got[4] != 7 {
		t.Fatalf("rows %v, want 3…7", got)
	}

	r3 := findRecord(t, rf, 3)
	if r3.Values[app.ColIDNumber] != idA || r3.Values[app.ColBirth] != "1990-03-07" || r3.Values[app.ColPhone] != "13812345678" || len(r3.Problems) != 0 {
		t.Errorf("row 3: %+v", r3)
	}
	r4 := findRecord(t, rf, 4)
	if len(r4.Problems) != 1 || r4.Problems[0].Column != "身份证号码（必填）" || r4.Problems[0].Level != app.LevelError ||
		r4.Problems[0].Message != "单元格是数字，身份证号已丢失末几位（4.21022E+17），请在 Excel 中把该列设为文本后重新填写" {
		t.Errorf("row 4 problems: %+v", r4.Problems)
	}
	if r4.Values[app.ColPhone] != "13912345678" || r4.Values[app.ColExposureYears] != "2.5" {
		t.Errorf("row 4 values: %+v", r4.Values)
	}
	r5 := findRecord(t, rf, 5)
	if r5.Values[app.ColIDNumber] != "420102900307124" || r5.Values[app.ColExposureStart] != "45356" {
		t.Errorf("row 5 values: %+v", r5.Values)
	}
	if len(r5.Problems) != 1 || r5.Problems[0].Level != app.LevelWarning || !strings.Contains(r5.Problems[0].Message, "开头的 0 可能已丢失（7712345678）") {
		t.Errorf("row 5 problems: %+v", r5.Problems)
	}
	r6 := findRecord(t, rf, 6)
	if r6.Values[app.ColBirth] != "1992-05-15" || r6.Values[app.ColExposureStart] != "2020-01-02" || r6.Values[app.ColExamType] != "2" {
		t.Errorf("row 6 values: %+v", r6.Values)
	}
	r7 := findRecord(t, rf, 7)
	if r7.Values[app.ColExposureStart] != "20240305" || r7.Values[app.ColPhone] != "0771-1234567" {
		t.Errorf("row 7 values: %+v", r7.Values)
	}

	// Through the check: the preview a user sees.
	set, warn := rosterRules(t)
	rows := app.CheckRoster(rf, set, warn, rosterNow)
	want := map[int]string{3: app.RowAccepted, 4: app.RowRejected, 5: app.RowWarning, 6: app.RowWarning, 7: app.RowWarning}
	for _, r := range rows {
		if r.Outcome != want[r.Row] {
			t.Errorf("row %d: %s, want %s: %+v", r.Row, r.Outcome, want[r.Row], r.Messages)
		}
	}
	if rows[2].ExposureStart.Format("2006-01-02") != "2024-03-05" || rows[4].ExposureStart.Format("2006-01-02") != "2024-03-05" {
		t.Errorf("serial and 20240305 starts: %v %v", rows[2].ExposureStart, rows[4].ExposureStart)
	}
	if rows[2].Worker.IDNumber != rosterID("42010219900307124") {
		t.Errorf("15-digit number from a number cell: %q", rows[2].Worker.IDNumber)
	}
}

// rosterCSV is a roster as Excel saves it to CSV: a title line, a header with synonyms.
const rosterCSV = "XX公司2026年职业健康检查名单,,,,\r\n" +
	"姓名,身份证号,性别,联系电话,危害因素,体检类型\r\n" +
	"张三," + "420102199003071235" + ",男,13812345678,\"矽尘,噪声\",在岗期间\r\n" +
	"李四,4.21022E+17,女,13900000000,苯,上岗前\r\n" +
	",,,,,\r\n" +
	"\"王\n五\",,男,,,\r\n" +
	",,,,,\r\n"

func TestReadRoster_CSV(t *testing.T) {
	plain := strings.ReplaceAll(rosterCSV, "420102199003071235", idA)
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(plain)
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file, enc string
		data            []byte
	}{
		{"UTF-8", "名单.csv", "UTF-8", []byte(plain)},
		{"UTF-8 BOM", "名单.csv", "UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, plain...)},
		{"GB18030", "名单.csv", "GB18030", []byte(gb)},
		{"GBK", "名单.CSV", "GB18030", []byte(gbk)},
		{"tabs", "名单.txt", "UTF-8", []byte(strings.ReplaceAll(strings.ReplaceAll(plain, ",", "\t"), "\"矽尘\t噪声\"", "矽尘,噪声"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rf, err := reports.ReadRoster(tc.file, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if rf.Encoding != tc.enc || rf.HeaderRow != 2 || rf.Headers[app.ColPhone] != "联系电话" {
				t.Errorf("encoding %q header row %d headers %v", rf.Encoding, rf.HeaderRow, rf.Headers)
			}
			if got := rowNumbers(rf); len(got) != 3 || got[0] != 3 || got[1] != 4 || got[2] != 6 {
				t.Fatalf("rows %v, want 3 4 6", got)
			}
			r3 := rf.Records[0]
			if r3.Values[app.ColName] != "张三" || r3.Values[app.ColIDNumber] != idA || r3.Values[app.ColHazards] != "矽尘,噪声" {
				t.Errorf("row 3: %+v", r3.Values)
			}
			r4 := rf.Records[1]
			if len(r4.Problems) != 1 || !strings.Contains(r4.Problems[0].Message, "身份证号已丢失末几位（4.21022E+17）") || r4.Problems[0].Column != "身份证号" {
				t.Errorf("row 4 problems: %+v", r4.Problems)
			}
			if rf.Records[2].Values[app.ColName] != "王\n五" {
				t.Errorf("row 6: %+v", rf.Records[2].Values)
			}
		})
	}
}

func TestReadRoster_Errors(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"no header", "a.csv", []byte("序号,名字,号码\n1,张三,123\n"), "找不到表头。表头至少要有以下列中的两列：姓名、身份证号"},
		{"one known column", "a.csv", []byte("姓名,备注\n张三,x\n"), "找不到表头"},
		{"header too low", "a.csv", []byte(strings.Repeat("说明\n", 10) + "姓名,身份证号\n张三,1\n"), "前 10 行"},
		{"empty", "a.csv", nil, "找不到表头"},
		{"xls", "a.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, "另存为 .xlsx 或 CSV"},
		{"broken xlsx", "a.xlsx", []byte("PK\x03\x04 not really"), "无法打开 Excel 文件"},
		{"xlsx without header", "a.xlsx", func() []byte {
			f := excelize.NewFile()
			_ = f.SetCellStr("Sheet1", "A1", "名单")
			b, _ := f.WriteToBuffer()
			return b.Bytes()
		}(), "找不到表头"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reports.ReadRoster(tc.file, tc.data)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Errorf("got %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}

func TestReadRoster_HeaderSynonyms(t *testing.T) {
	for _, tc := range []struct {
		header string
		col    app.RosterColumn
	}{
		{"姓名", app.ColName}, {"＊姓 名", app.ColName},
		{"身份证号", app.ColIDNumber}, {"身份证号码", app.ColIDNumber}, {"证件号码", app.ColIDNumber}, {"身份证", app.ColIDNumber}, {"身份证号（必填）", app.ColIDNumber},
		{"证件类型", app.ColDocType},
		{"性别", app.ColSex},
		{"出生日期", app.ColBirth}, {"出生年月", app.ColBirth}, {"出生日期(yyyy-mm-dd)", app.ColBirth},
		{"联系电话", app.ColPhone}, {"手机", app.ColPhone}, {"手机号", app.ColPhone}, {"电话", app.ColPhone},
		{"车间", app.ColWorkshop}, {"部门", app.ColWorkshop}, {"科室", app.ColWorkshop},
		{"工种", app.ColJob}, {"岗位", app.ColJob}, {"工种岗位", app.ColJob}, {"工种/岗位", app.ColJob},
		{"危害因素", app.ColHazards}, {"接触危害因素", app.ColHazards}, {"职业病危害因素", app.ColHazards}, {"接害因素", app.ColHazards},
		{"开始接害日期", app.ColExposureStart}, {"接害开始日期", app.ColExposureStart},
		{"接害工龄", app.ColExposureYears}, {"接害年限（年）", app.ColExposureYears},
		{"体检类型", app.ColExamType}, {"检查类型", app.ColExamType},
	} {
		t.Run(tc.header, func(t *testing.T) {
			other := "姓名"
			if tc.col == app.ColName {
				other = "性别"
			}
			rf, err := reports.ReadRoster("a.csv", []byte(other+","+tc.header+"\nx,y\n"))
			if err != nil {
				t.Fatal(err)
			}
			if rf.Headers[tc.col] != tc.header {
				t.Errorf("headers %v", rf.Headers)
			}
		})
	}
}

func TestWriteRosterOutcome(t *testing.T) {
	set, warn := rosterRules(t)
	rf, err := reports.ReadRoster("名单.xlsx", rosterXLSX(t))
	if err != nil {
		t.Fatal(err)
	}
	p := &app.RosterPreview{File: rf, Rows: app.CheckRoster(rf, set, warn, rosterNow)}
	for _, r := range p.Rows {
		switch r.Outcome {
		case app.RowAccepted:
			p.Accepted++
		case app.RowWarning:
			p.Warned++
		case app.RowRejected:
			p.Rejected++
		}
	}
	b, err := reports.WriteRosterOutcome(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("导入结果")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows", len(rows))
	}
	h := rows[0]
	if h[0] != "原行号" || h[1] != "*姓名" || h[2] != "身份证号码（必填）" || h[len(h)-2] != "结果" || h[len(h)-1] != "说明" {
		t.Errorf("header %q", h)
	}
	r4 := rows[2]
	if r4[0] != "4" || r4[2] != "4.21022E+17" || r4[len(r4)-2] != "拒绝" || !strings.Contains(r4[len(r4)-1], "身份证号码（必填）：单元格是数字") {
		t.Errorf("row 4: %q", r4)
	}
	// Rejected rows are filled red, IDs are text.
	st, _ := f.GetCellStyle("导入结果", "B3")
	style, _ := f.GetStyle(st)
	if len(style.Fill.Color) == 0 || style.Fill.Color[0] != "FFC7CE" {
		t.Errorf("rejected row fill %+v", style.Fill)
	}
	if typ, _ := f.GetCellType("导入结果", "C2"); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
		t.Errorf("ID cell type %v", typ)
	}
	// The outcome reads back as a roster with the same rows and values.
	back, err := reports.ReadRoster("导入结果.xlsx", b)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Records) != len(rf.Records) || back.Records[0].Values[app.ColIDNumber] != idA || back.Records[3].Values[app.ColBirth] != "1992-05-15" {
		t.Errorf("read back: %+v", back.Records)
	}
	for _, ig := range []string{"原行号", "结果", "说明"} {
		if !strings.Contains(strings.Join(back.Ignored, ","), ig) {
			t.Errorf("%s not ignored on re-import: %v", ig, back.Ignored)
		}
	}
	if _, err := reports.WriteRosterOutcome(nil); err == nil {
		t.Error("nil preview accepted")
	}
}

// TestReadRoster_Details: a second column of the same kind is ignored, not merged; ="…" and a
// leading apostrophe (ways to keep numbers as text) are taken off ID numbers and phones; GB18030
// keeps rare characters in names (four-byte sequences, CJK Ext-B); a UTF-8 file with its
// header in row 10 is read (row 11 is refused: TestReadRoster_Errors).
func TestReadRoster_Details(t *testing.T) {
	rf, err := reports.ReadRoster("a.csv", []byte("手机,姓名,电话,身份证号\n138,张三,139,x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rf.Headers[app.ColPhone] != "手机" || strings.Join(rf.Ignored, ",") != "电话" || rf.Records[0].Values[app.ColPhone] != "138" {
		t.Errorf("headers %v ignored %v values %v", rf.Headers, rf.Ignored, rf.Records[0].Values)
	}
	rf, err = reports.ReadRoster("a.csv", []byte("姓名,身份证号,手机\n张三,=\""+idA+"\",'13812345678\n"))
	if err != nil || rf.Records[0].Values[app.ColIDNumber] != idA || rf.Records[0].Values[app.ColPhone] != "13812345678" {
		t.Errorf("=\"…\" and '…: %v %+v", err, rf.Records)
	}
	name := "王\U00020000明" // 𠀀, CJK Ext-B
	gb, err := simplifiedchinese.GB18030.NewEncoder().String("姓名,性别\n" + name + ",男\n")
	if err != nil {
		t.Fatal(err)
	}
	rf, err = reports.ReadRoster("a.csv", []byte(gb))
	if err != nil || rf.Encoding != "GB18030" || rf.Records[0].Values[app.ColName] != name {
		t.Errorf("GB18030 name: %v %+v", err, rf)
	}
	if _, err := reports.ReadRoster("a.csv", []byte(strings.Repeat("说明\n", 9)+"姓名,性别\n张三,男\n")); err != nil {
		t.Errorf("header in row 10: %v", err)
	}
}
