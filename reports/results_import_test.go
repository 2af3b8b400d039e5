package reports_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"occhealth/app"
	"occhealth/reports"
)

// lisXLSX builds a 血常规 export as a hospital LIS writes it: a merged title, a header with
// units, barcodes as numbers (one as text, one that Excel turned into 4.2E+17), values as
// numbers with float noise, qualified and qualitative texts, empty cells, a repeated row and a
// re-run with a different value.
func lisXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellStr(sh, "A1", "检验科 血常规结果 2026-11-30"))
	must(f.MergeCell(sh, "A1", "I1"))
	header := []any{"序号", "条码号", "姓名", "WBC(10^9/L)", "RBC（10^12/L）", "HGB(g/L)", "PLT", "尿蛋白", "审核者"}
	must(f.SetSheetRow(sh, "A2", &header))
	x, y := 0.1, 0.2
	noisy := x + y // 0.30000000000000004 in the file
	rows := [][]any{
		{1, 126000001, "王建国", 5.6, 4.52, 135, noisy, "阴性", "李"},          // row 3
		{2, "126000002", "张三", "<0.1", 4.1, nil, 210, "2+", "李"},         // row 4: empty HGB
		{3, 4.2010219900307e17, "李四", 6.1, 4.8, 140, 180, "±", "李"},      // row 5: barcode lost digits
		{4, 126000001, "王建国", 5.6, 4.52, 135, noisy, "阴性", "李"},          // row 6: same as row 3
		{5, 126000002, "张三", 3.9, nil, nil, nil, nil, "李"},               // row 7: WBC differs from row 4
		{nil, nil, nil, nil, nil, nil, nil, nil, nil},                    // row 8: empty
		{6, "'126000003", "赵六", 1234567.891, 0.000012, 100, 99, nil, ""}, // row 9
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		must(f.SetSheetRow(sh, cell, &r))
	}
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

func lisMapping() app.ResultMapping {
	return app.ResultMapping{Source: "检验科LIS", GroupCode: "G0101", Columns: []app.ResultImportColumn{
		{Header: "序号", Key: app.ImportKeyIgnore},
		{Header: "条码号", Key: app.ImportKeyExamNumber},
		{Header: "WBC(10^9/L)", Key: app.ImportKeyItem, ItemCode: "4010100"},
		{Header: "RBC(10^12/L)", Key: app.ImportKeyItem, ItemCode: "4011600"}, // half-width brackets: still the column
		{Header: "HGB(g/L)", Key: app.ImportKeyItem, ItemCode: "4012000"},
		{Header: "PLT", Key: app.ImportKeyItem, ItemCode: "4012600"},
		{Header: "尿蛋白", Key: app.ImportKeyItem, ItemCode: "4020500"},
	}}
}

// messages renders a record's problems as "列:级别:text" for comparison.
func messages(r app.ResultImportRecord) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.Column+":"+p.Level+":"+p.Message)
	}
	return out
}

func TestReadResults_XLSX(t *testing.T) {
	f, err := reports.ReadResults("/tmp/血常规.xlsx", lisXLSX(t), lisMapping())
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "血常规.xlsx" || f.Mapping.Source != "检验科LIS" {
		t.Errorf("file %q mapping %q", f.Name, f.Mapping.Source)
	}
	byRow := map[int]app.ResultImportRecord{}
	var order []int
	for _, r := range f.Records {
		byRow[r.Row] = r
		order = append(order, r.Row)
	}
	if !reflect.DeepEqual(order, []int{3, 4, 5, 6, 7, 9}) {
		t.Fatalf("rows %v, want 3 4 5 6 7 9 (the empty row 8 skipped)", order)
	}
	r3 := byRow[3]
	want3 := map[string]string{"4010100": "5.6", "4011600": "4.52", "4012000": "135", "4012600": "0.3", "4020500": "阴性"}
	if r3.ExamNumber != "126000001" || !reflect.DeepEqual(r3.Values, want3) || len(r3.Problems) != 0 {
		t.Errorf("row 3: %q %v %v", r3.ExamNumber, r3.Values, messages(r3))
	}
	r4 := byRow[4]
	want4 := map[string]string{"4010100": "<0.1", "4011600": "4.1", "4012600": "210", "4020500": "2+"}
	if r4.ExamNumber != "126000002" || !reflect.DeepEqual(r4.Values, want4) || len(r4.Problems) != 0 {
		t.Errorf("row 4: %q %v %v", r4.ExamNumber, r4.Values, messages(r4))
	}
	r5 := byRow[5]
	if len(r5.Problems) != 1 || r5.Problems[0].Level != app.LevelError || r5.Problems[0].Column != "条码号" ||
		!strings.Contains(r5.Problems[0].Message, "丢失末几位") || r5.Problems[0].Row != 5 {
		t.Errorf("row 5 (barcode as 4.2E+17): %v", messages(r5))
	}
	r6 := byRow[6]
	if len(r6.Problems) != 1 || r6.Problems[0].Level != app.LevelWarning || !strings.Contains(r6.Problems[0].Message, "5 项结果相同") {
		t.Errorf("row 6 (repeat of row 3): %v", messages(r6))
	}
	r7 := byRow[7]
	if len(r7.Problems) != 1 || r7.Problems[0].Level != app.LevelError || r7.Problems[0].Column != "WBC(10^9/L)" ||
		!strings.Contains(r7.Problems[0].Message, "第 4 行已有结果 <0.1，本行是 3.9") {
		t.Errorf("row 7 (re-run with another WBC): %v", messages(r7))
	}
	r9 := byRow[9]
	want9 := map[string]string{"4010100": "1234567.891", "4011600": "0.000012", "4012000": "100", "4012600": "99"}
	if r9.ExamNumber != "126000003" || !reflect.DeepEqual(r9.Values, want9) || len(r9.Problems) != 0 {
		t.Errorf("row 9: %q %v %v", r9.ExamNumber, r9.Values, messages(r9))
	}
}

// gbk encodes s as GB18030, as Chinese Excel saves "CSV (逗号分隔)".
func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadResults_CSVGB18030(t *testing.T) {
	csv := "体检号,姓名,ALT,GLU,备注\r\n" +
		"126000001,王建国,35,5.60,\r\n" +
		"1.26E+08,张三,40,6.1,\r\n" + // Excel showed the number in scientific notation and saved it so
		"=\"126000004\",李四,<5,,\r\n" +
		",钱七,20,5.0,\r\n" +
		"126000005,孙八,,,未抽血\r\n" +
		"126A0006,周九,#N/A,4.4,\r\n" +
		"制表人：张医生,,,,\r\n"
	m := app.ResultMapping{Source: "生化仪", Columns: []app.ResultImportColumn{
		{Header: "体检号", Key: app.ImportKeyExamNumber},
		{Header: "姓名", Key: app.ImportKeyIgnore},
		{Header: "alt", Key: app.ImportKeyItem, ItemCode: "4040900"}, // case does not matter
		{Header: "GLU", Key: app.ImportKeyItem, ItemCode: "4070500"},
	}}
	f, err := reports.ReadResults("生化.csv", gbk(t, csv), m)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, r := range f.Records {
		got[r.Row] = fmt.Sprintf("%s %v %v", r.ExamNumber, r.Values, messages(r))
	}
	want := map[int]string{
		2: "126000001 map[4040900:35 4070500:5.60] []",
		3: "1.26E+08 map[4040900:40 4070500:6.1] [体检号:error:体检号是科学计数法（1.26E+08），已丢失末几位：请在 LIS 的导出设置或 Excel 中把该列设为文本后重新导出]",
		4: "126000004 map[4040900:<5] []",
		5: " map[4040900:20 4070500:5.0] [体检号:error:缺少体检号]",
		6: "126000005 map[] [:warning:本行没有任何结果]",
		7: "126A0006 map[4070500:4.4] [ALT:error:单元格是 Excel 错误值（#N/A），请在原文件中改正 体检号:error:体检号“126A0006”应全为数字（体检号印在导检单和条码上）]",
		8: " map[] [:warning:本行既没有体检号也没有结果（“制表人：张医生”），不导入]",
	}
	if !reflect.DeepEqual(got, want) {
		for row := 2; row <= 8; row++ {
			if got[row] != want[row] {
				t.Errorf("line %d:\n got %s\nwant %s", row, got[row], want[row])
			}
		}
	}
}

func TestReadResults_MappingErrors(t *testing.T) {
	data := lisXLSX(t)
	for _, tc := range []struct {
		name string
		m    app.ResultMapping
		want string
	}{
		{"no exam number", app.ResultMapping{Source: "X", Columns: []app.ResultImportColumn{{Header: "WBC(10^9/L)", Key: app.ImportKeyItem, ItemCode: "4010100"}}},
			"请指定哪一列是体检号"},
		{"item without code", app.ResultMapping{Source: "X", Columns: []app.ResultImportColumn{{Header: "条码号", Key: app.ImportKeyExamNumber}, {Header: "PLT", Key: app.ImportKeyItem}}},
			"列“PLT”设为检查项目，但没有选择是哪个项目"},
		{"code twice", app.ResultMapping{Source: "X", Columns: []app.ResultImportColumn{{Header: "条码号", Key: app.ImportKeyExamNumber},
			{Header: "PLT", Key: app.ImportKeyItem, ItemCode: "4012600"}, {Header: "HGB(g/L)", Key: app.ImportKeyItem, ItemCode: "4012600"}}},
			"列“PLT”和“HGB(g/L)”对应同一个检查项目"},
		{"other file", app.ResultMapping{Source: "听力计", Columns: []app.ResultImportColumn{{Header: "受检者编号", Key: app.ImportKeyExamNumber}, {Header: "L500", Key: app.ImportKeyItem, ItemCode: "3040100"}}},
			"找不到列对应“听力计”的体检号列“受检者编号”"},
		{"no item column in file", app.ResultMapping{Source: "肺功能", Columns: []app.ResultImportColumn{{Header: "条码号", Key: app.ImportKeyExamNumber}, {Header: "FVC", Key: app.ImportKeyItem, ItemCode: "3020100"}}},
			"没有列对应“肺功能”里的任何检查项目列（FVC）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reports.ReadResults("血常规.xlsx", data, tc.m)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Errorf("error %v, want EINVALID with %q", err, tc.want)
			}
		})
	}
	if _, err := reports.ReadResults("old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0}, lisMapping()); !strings.Contains(app.ErrorMessage(err), ".xls") {
		t.Errorf("legacy .xls: %v", err)
	}
	if _, err := reports.ReadResults("bad.xlsx", []byte("PK\x03\x04garbage"), lisMapping()); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("broken workbook: %v", err)
	}
}

func TestResultHeaders(t *testing.T) {
	hs, err := reports.ResultHeaders("血常规.xlsx", lisXLSX(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"序号", "条码号", "姓名", "WBC(10^9/L)", "RBC（10^12/L）", "HGB(g/L)", "PLT", "尿蛋白", "审核者"}
	if !reflect.DeepEqual(hs, want) {
		t.Errorf("headers %q, want %q", hs, want)
	}
	// Instrument codes nobody guesses: the first row of texts under a title.
	csv := "仪器导出\nID,A01,A02\n126000001,1,2\n"
	if hs, err := reports.ResultHeaders("x.csv", []byte(csv)); err != nil || !reflect.DeepEqual(hs, []string{"ID", "A01", "A02"}) {
		t.Errorf("unknown headers %q %v", hs, err)
	}
	if _, err := reports.ResultHeaders("x.csv", []byte("1,2\n3,4\n")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("numbers only: %v", err)
	}
}

func TestGuessResultMapping(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers []string
		want    []string // "header=key/code/unit"
	}{
		{"blood count", []string{"样本号", "姓名", "WBC", "红细胞(RBC)", "血红蛋白（g/L）", "PLT(10^9/L)", "NEUT%", "中性粒细胞计数", "HCT", "RBC(10*12/L)"},
			[]string{"样本号=exam_number", "姓名=ignore", "WBC=item/4010100", "红细胞(RBC)=item/4011600", "血红蛋白（g/L）=item/4012000/g/L",
				"PLT(10^9/L)=item/4012600/×10⁹/L", "NEUT%=item/4010300", "中性粒细胞计数=item/4010200", "HCT=item/4011700", "RBC(10*12/L)=ignore"}},
		{"chemistry", []string{"体检号", "谷丙转氨酶", "AST", "GLU", "总胆红素"},
			[]string{"体检号=exam_number", "谷丙转氨酶=item/4040900", "AST=item/4041000", "GLU=item/4070500", "总胆红素=item/4042800"}},
		{"urine panel", []string{"条码", "PRO", "GLU", "KET", "BLD", "SG"},
			[]string{"条码=exam_number", "PRO=item/4020500", "GLU=item/4020600", "KET=item/4020700", "BLD=item/4021000", "SG=item/4020100"}},
		{"audiometer", []string{"体检编号", "左耳500Hz", "左耳 1000Hz（气导）", "L2000", "右4K", "R6000", "右耳骨导500Hz", "左耳 500Hz（骨导）"},
			[]string{"体检编号=exam_number", "左耳500Hz=item/3040100", "左耳 1000Hz（气导）=item/3040200", "L2000=item/3040300",
				"右4K=item/3041200", "R6000=item/3041300", "右耳骨导500Hz=item/3050800", "左耳 500Hz（骨导）=item/3050100"}},
		{"spirometer and film", []string{"条码号", "FVC", "FEV1", "FEV1/FVC(%)", "胸片结论", "心电图"},
			[]string{"条码号=exam_number", "FVC=item/3020100", "FEV1=item/3020200", "FEV1/FVC(%)=item/3020300/%", "胸片结论=item/3080200", "心电图=item/3060100"}},
		{"units", []string{"条码号", "RBC(10*12/L)", "ALT（U/L）", "左耳500Hz(dB)", "R-BC-500", "左0.5k", "右耳8000HZ"},
			[]string{"条码号=exam_number", "RBC(10*12/L)=item/4011600/×10¹²/L", "ALT（U/L）=item/4040900/U/L", "左耳500Hz(dB)=item/3040100/dB",
				"R-BC-500=item/3050800", "左0.5k=ignore", "右耳8000HZ=item/3041400"}},
		{"one exam column, one column per item", []string{"条码号", "样本号", "WBC", "白细胞"},
			[]string{"条码号=exam_number", "样本号=ignore", "WBC=item/4010100", "白细胞=ignore"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := reports.GuessResultMapping(tc.headers)
			var got []string
			for _, c := range m.Columns {
				s := c.Header + "=" + c.Key
				if c.ItemCode != "" {
					s += "/" + c.ItemCode
				}
				if c.Unit != "" {
					s += "/" + c.Unit
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestReadResults_GuessesWithoutColumns(t *testing.T) {
	f, err := reports.ReadResults("血常规.xlsx", lisXLSX(t), app.ResultMapping{Source: "新LIS"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Mapping.Source != "新LIS" || len(f.Mapping.Columns) != 9 || f.Mapping.Columns[1].Key != app.ImportKeyExamNumber {
		t.Fatalf("guessed mapping %+v", f.Mapping)
	}
	if len(f.Records) != 6 || f.Records[0].Values["4010100"] != "5.6" {
		t.Errorf("records %+v", f.Records)
	}
	// No exam number column to guess: the mapping comes back for the user to complete.
	f, err = reports.ReadResults("x.csv", []byte("编号,WBC\n1,2\n"), app.ResultMapping{})
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "无法自动识别") || len(f.Mapping.Columns) != 2 {
		t.Errorf("guess without exam number: %v %+v", err, f.Mapping)
	}
}

func TestDocuments_ReadResults(t *testing.T) {
	var d app.Documents = reports.Documents{}
	hs, err := d.ResultHeaders("血常规.xlsx", lisXLSX(t))
	if err != nil || len(hs) != 9 {
		t.Fatalf("headers %v %v", hs, err)
	}
	f, err := d.ReadResults("血常规.xlsx", lisXLSX(t), lisMapping())
	if err != nil || len(f.Records) != 6 {
		t.Fatalf("read %v %d", err, len(f.Records))
	}
}

// lisBenchXLSX is an n-row 血常规 export with 24 columns, values as numbers.
func lisBenchXLSX(tb testing.TB, n int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	header := []any{"序号", "条码号", "姓名", "性别", "年龄"}
	abbr := []string{"WBC", "NEUT#", "NEUT%", "LYMPH#", "LYMPH%", "MONO#", "MONO%", "RBC", "HGB", "HCT", "MCV", "MCH", "MCHC", "RDW-CV", "PLT", "MPV", "PDW", "PCT", "尿蛋白"}
	for _, a := range abbr {
		header = append(header, a)
	}
	if err := sw.SetRow("A1", header); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < n; i++ {
		row := []any{i + 1, 126000001 + i, "王建国", "男", 40 + i%20}
		for j := range abbr[:len(abbr)-1] {
			row = append(row, float64(1+(i*7+j*13)%200)/10)
		}
		row = append(row, "阴性")
		axis, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(axis, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkReadResults3000(b *testing.B) {
	data := lisBenchXLSX(b, 3000)
	hs, err := reports.ResultHeaders("lis.xlsx", data)
	if err != nil {
		b.Fatal(err)
	}
	m := reports.GuessResultMapping(hs)
	m.Source = "检验科LIS"
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := reports.ReadResults("lis.xlsx", data, m)
		if err != nil || len(f.Records) != 3000 {
			b.Fatalf("%v %d", err, len(f.Records))
		}
	}
}
