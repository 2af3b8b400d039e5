package reports_test

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"occhealth/app"
	"occhealth/reports"
)

// rosterBenchXLSX generates an n-row roster: title, header, unique valid IDs as text, phones
// as text, start dates as real date cells, two hazards per row, every 50th woman on 苯.
func rosterBenchXLSX(tb testing.TB, n int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		tb.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(sw.SetRow("A1", []any{"某糖业公司2026年在岗期间职业健康检查名单"}))
	must(sw.SetRow("A2", []any{"序号", "姓名", "身份证号", "性别", "联系电话", "车间", "工种", "接触危害因素", "开始接害日期", "体检类型"}))
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平")
	hazards := []string{"噪声", "矽尘、噪声", "高温", "电焊烟尘；噪声", "苯", "甲醛", "煤尘", "锰及其化合物"}
	jobs := []string{"电焊工", "钳工", "包装工", "装卸工", "化验员", "操作工"}
	for i := 0; i < n; i++ {
		birth := time.Date(1965+i%40, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		body := "450102" + birth.Format("20060102") + fmt.Sprintf("%03d", i%1000) // unique for n < 21,000
		id := body + string(app.IDCheckChar(body))
		sex := "男"
		if (body[16]-'0')%2 == 0 {
			sex = "女"
		}
		name := string([]rune{surnames[i%len(surnames)], given[i/len(surnames)%len(given)], given[i%len(given)]})
		start := birth.AddDate(20, 0, 0)
		row := []any{i + 1, name, id, sex,
			"138" + fmt.Sprintf("%08d", i), "制糖车间" + strconv.Itoa(1+i%5), jobs[i%len(jobs)], hazards[i%len(hazards)],
			excelize.Cell{StyleID: dateStyle, Value: start}, "在岗期间"}
		axis, _ := excelize.CoordinatesToCellName(1, i+3)
		must(sw.SetRow(axis, row))
	}
	must(sw.Flush())
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkRosterPreview reads and checks a 5,000-row .xlsx roster: the part of an import
// preview that reports and app do (the store's archive lookups come on top).
func BenchmarkRosterPreview(b *testing.B) {
	set, warn := rosterRules(b)
	data := rosterBenchXLSX(b, 5000)
	b.SetBytes(int64(len(data)))
	b.Run("read+check", func(b *testing.B) {
		for b.Loop() {
			rf, err := reports.ReadRoster("名单.xlsx", data)
			if err != nil {
				b.Fatal(err)
			}
			rows := app.CheckRoster(rf, set, warn, rosterNow)
			if len(rows) != 5000 {
				b.Fatalf("%d rows", len(rows))
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := reports.ReadRoster("名单.xlsx", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	rf, err := reports.ReadRoster("名单.xlsx", data)
	if err != nil {
		b.Fatal(err)
	}
	csvData := rosterBenchCSV(b, rf)
	b.Run("csv-gb18030-read+check", func(b *testing.B) {
		for b.Loop() {
			rf, err := reports.ReadRoster("名单.csv", csvData)
			if err != nil || rf.Encoding != "GB18030" {
				b.Fatal(err, rf.Encoding)
			}
			if rows := app.CheckRoster(rf, set, warn, rosterNow); len(rows) != 5000 {
				b.Fatalf("%d rows", len(rows))
			}
		}
	})
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			app.CheckRoster(rf, set, warn, rosterNow)
		}
	})
	b.Run("outcome", func(b *testing.B) {
		p := &app.RosterPreview{File: rf, Rows: app.CheckRoster(rf, set, warn, rosterNow)}
		for b.Loop() {
			if _, err := reports.WriteRosterOutcome(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRosterBenchData keeps the benchmark honest: its rows are valid and mostly accepted.
func TestRosterBenchData(t *testing.T) {
	set, warn := rosterRules(t)
	rf, err := reports.ReadRoster("名单.xlsx", rosterBenchXLSX(t, 500))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, r := range app.CheckRoster(rf, set, warn, rosterNow) {
		counts[r.Outcome]++
		if r.Outcome == app.RowRejected {
			t.Errorf("row %d rejected: %+v", r.Row, r.Messages)
			break
		}
	}
	if counts[app.RowAccepted] == 0 || counts[app.RowWarning] == 0 {
		t.Errorf("outcomes %v", counts)
	}
}

// rosterBenchCSV writes the records of rf as a GB18030 CSV, as Chinese Excel saves one.
func rosterBenchCSV(tb testing.TB, rf app.RosterFile) []byte {
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	cols := []app.RosterColumn{app.ColName, app.ColIDNumber, app.ColSex, app.ColPhone, app.ColWorkshop, app.ColJob, app.ColHazards, app.ColExposureStart, app.ColExamType}
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = rf.Headers[c]
	}
	_ = w.Write(head)
	for _, r := range rf.Records {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = r.Values[c]
		}
		_ = w.Write(row)
	}
	w.Flush()
	b, err := simplifiedchinese.GB18030.NewEncoder().String(sb.String())
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(b)
}
