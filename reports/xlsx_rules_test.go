package reports_test

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
	"occhealth/app/rules"
	"occhealth/reports"
)

func loadRuleTable(t *testing.T) *rules.Table {
	t.Helper()
	tab, err := rules.Load(os.DirFS("../assets/rules"))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestXLSXRuleExchange_RoundTrip exports the shipped table and reads it back unchanged:
// group names containing 、, multi-line texts, 推荐性 and inferred flags included.
func TestXLSXRuleExchange_RoundTrip(t *testing.T) {
	tab := loadRuleTable(t)
	x := reports.XLSXRuleExchange{}
	b, err := x.ExportRules(tab)
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.ImportRules(b, tab)
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	want, _ := rules.Marshal(tab)
	have, err := rules.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Errorf("round trip changed the table:\n%s", lineDiff(string(want), string(have)))
	}
}

// TestXLSXRuleExchange_Edit changes cells as an administrator would and reads the edit back.
func TestXLSXRuleExchange_Edit(t *testing.T) {
	tab := loadRuleTable(t)
	x := reports.XLSXRuleExchange{}
	b, err := x.ExportRules(tab)
	if err != nil {
		t.Fatal(err)
	}
	row := findRuleRow(t, b, "3008", "在岗期间", "2014")
	got, err := x.ImportRules(editCells(t, b, map[string]string{
		"规则!F" + row: "纯音听阈测试、G0901、血常规(含血嗜酸粒细胞计数)", // names, a bare code and an alias
		"规则!N" + row: "U",
		"项目组合!D2":    "紫头管",
		"规则!J" + row: "第一条\n\n第二条 ",
		"规则!R" + row: "是",
	}), tab)
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	r, ok := got.Rule("3008", app.ExamPeriodic, "2014")
	if !ok {
		t.Fatal("rule lost")
	}
	if strings.Join(r.Required, ",") != "G1301,G0901,G0101" || r.Status != "U" || !r.RecommendedOnly ||
		strings.Join(r.Contraindications, "|") != "第一条|第二条" {
		t.Errorf("edited rule = %+v", r)
	}
	if g, _ := got.GroupByCode("G0101"); g.Tube != "紫头管" {
		t.Errorf("G0101 tube = %q", g.Tube)
	}
}

func TestXLSXRuleExchange_ImportErrors(t *testing.T) {
	tab := loadRuleTable(t)
	x := reports.XLSXRuleExchange{}
	b, err := x.ExportRules(tab)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edits map[string]string
		want  string // in the error text
	}{
		{"unknown group", map[string]string{"规则!F2": "血常规、透视"}, "第 2 行 F 列（必检项目）"},
		{"unknown group code", map[string]string{"规则!G3": "G9999"}, "G9999"},
		{"bad exam type", map[string]string{"规则!C2": "岗中"}, "第 2 行 C 列（体检类型）"},
		{"bad status", map[string]string{"规则!N4": "X"}, "N 列（核实状态）"},
		{"empty status", map[string]string{"规则!N4": ""}, "N 列（核实状态）"},
		{"bad hazard", map[string]string{"规则!A2": "12"}, "A 列（危害因素代码）"},
		{"bad flag", map[string]string{"规则!S2": "也许"}, "S 列"},
		{"duplicate rule", nil, "与第 2 行是同一危害因素、体检类型和版本"},
		{"moved header", map[string]string{"规则!F1": "必检"}, "表头应为“必检项目”"},
		{"bad group code", map[string]string{"项目组合!A2": "X01"}, "工作表“项目组合”第 2 行 A 列"},
		{"bad item code", map[string]string{"项目组合!E2": "401010"}, "E 列（健康指标代码）"},
		{"empty department", map[string]string{"项目组合!C3": ""}, "C 列（科室）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := editCells(t, b, tt.edits)
			if tt.name == "duplicate rule" { // make row 3 a copy of row 2
				edited = copyRow(t, b, 2, 3)
			}
			_, err := x.ImportRules(edited, tab)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want EINVALID with %q", err, tt.want)
			}
			t.Log(err)
		})
	}
	if _, err := x.ImportRules([]byte("not a workbook"), tab); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("garbage: err = %v", err)
	}
}

// findRuleRow returns the row number (as text) of a rule in the 规则 sheet.
func findRuleRow(t *testing.T, b []byte, hazard, typ, edition string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("规则")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 3 && r[0] == hazard && r[2] == typ && r[3] == edition {
			return strconv.Itoa(i + 1)
		}
	}
	t.Fatalf("no row for %s %s %s", hazard, typ, edition)
	return ""
}

// editCells sets cells given as "sheet!A1" and returns the new workbook.
func editCells(t *testing.T, b []byte, edits map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for ref, v := range edits {
		sheet, cell, _ := strings.Cut(ref, "!")
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// copyRow overwrites row dst of the 规则 sheet with row src.
func copyRow(t *testing.T, b []byte, src, dst int) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("规则")
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, len(rows[src-1]))
	for i, v := range rows[src-1] {
		vals[i] = v
	}
	if err := f.SetSheetRow("规则", "A"+strconv.Itoa(dst), &vals); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + "\nwant: " + al[i] + "\nhave: " + bl[i]
		}
	}
	return "lengths differ"
}
