package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
)

const (
	rosterOutcomeSheet = "导入结果"
	rosterSummarySheet = "汇总"
)

// rosterOutcomeNames are the 结果 texts.
var rosterOutcomeNames = map[string]string{
	app.RowAccepted: "通过",
	app.RowWarning:  "通过（有提示）",
	app.RowRejected: "拒绝",
}

// WriteRosterOutcome writes a preview as an .xlsx workbook the user can correct and import
// again: sheet 导入结果 with the original row number, the recognised columns under the file's
// own headers (all cells text, so ID numbers and phones stay intact when edited), 结果 and 说明
// (every message, with its column); rejected rows are filled red, rows with warnings yellow.
// Sheet 汇总 gives the counts. Columns the reader ignored are not in the preview and so not
// in the workbook.
func WriteRosterOutcome(p *app.RosterPreview) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("write roster outcome: no preview")
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", rosterOutcomeSheet); err != nil {
		return nil, fmt.Errorf("write roster outcome: %w", err)
	}
	styles := map[string]int{}
	for name, fill := range map[string]string{"": "", app.RowAccepted: "", app.RowWarning: "FFEB9C", app.RowRejected: "FFC7CE", "header": "DDEBF7"} {
		st := &excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: name != "header" && name != ""}} // 49: text "@"
		if fill != "" {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
		}
		if name == "header" {
			st.Font = &excelize.Font{Bold: true}
		}
		id, err := f.NewStyle(st)
		if err != nil {
			return nil, fmt.Errorf("write roster outcome: %w", err)
		}
		styles[name] = id
	}

	var cols []app.RosterColumn
	for _, c := range app.RosterColumns {
		if _, ok := p.File.Headers[c]; ok {
			cols = append(cols, c)
		}
	}
	sw, err := f.NewStreamWriter(rosterOutcomeSheet)
	if err != nil {
		return nil, fmt.Errorf("write roster outcome: %w", err)
	}
	n := len(cols) + 3
	widths := map[int]float64{1: 8, n - 1: 14, n: 60}
	for i, c := range cols {
		switch c {
		case app.ColIDNumber:
			widths[i+2] = 22
		case app.ColHazards:
			widths[i+2] = 24
		default:
			widths[i+2] = 12
		}
	}
	for col := 1; col <= n; col++ {
		if err := sw.SetColWidth(col, col, widths[col]); err != nil {
			return nil, fmt.Errorf("write roster outcome: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("write roster outcome: %w", err)
	}
	header := make([]any, 0, n)
	header = append(header, excelize.Cell{StyleID: styles["header"], Value: "原行号"})
	for _, c := range cols {
		header = append(header, excelize.Cell{StyleID: styles["header"], Value: p.File.Headers[c]})
	}
	header = append(header, excelize.Cell{StyleID: styles["header"], Value: "结果"}, excelize.Cell{StyleID: styles["header"], Value: "说明"})
	if err := sw.SetRow("A1", header); err != nil {
		return nil, fmt.Errorf("write roster outcome: %w", err)
	}

	byRow := make(map[int]*app.RosterRow, len(p.Rows))
	for i := range p.Rows {
		byRow[p.Rows[i].Row] = &p.Rows[i]
	}
	for i, rec := range p.File.Records {
		outcome, notes := "", ""
		if r := byRow[rec.Row]; r != nil {
			outcome = r.Outcome
			notes = rosterNotes(r.Messages)
		}
		st := styles[outcome]
		cells := make([]any, 0, n)
		cells = append(cells, excelize.Cell{StyleID: st, Value: strconv.Itoa(rec.Row)})
		for _, c := range cols {
			cells = append(cells, excelize.Cell{StyleID: st, Value: rec.Values[c]})
		}
		cells = append(cells, excelize.Cell{StyleID: st, Value: rosterOutcomeNames[outcome]}, excelize.Cell{StyleID: st, Value: notes})
		axis, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(axis, cells); err != nil {
			return nil, fmt.Errorf("write roster outcome: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, fmt.Errorf("write roster outcome: %w", err)
	}

	if _, err := f.NewSheet(rosterSummarySheet); err != nil {
		return nil, fmt.Errorf("write roster outcome: %w", err)
	}
	summary := [][2]any{
		{"文件", p.File.Name}, {"编码", p.File.Encoding}, {"表头所在行", p.File.HeaderRow},
		{"通过", p.Accepted}, {"通过（有提示）", p.Warned}, {"拒绝", p.Rejected}, {"已在档案中的人员", p.Linked},
		{"未识别的列", strings.Join(p.File.Ignored, "、")},
		{"说明", "改正“导入结果”中标红的行后可直接再次导入；“原行号”“结果”“说明”三列在导入时会被忽略。"},
	}
	for i, kv := range summary {
		if err := f.SetSheetRow(rosterSummarySheet, "A"+strconv.Itoa(i+1), &[]any{kv[0], kv[1]}); err != nil {
			return nil, fmt.Errorf("write roster outcome: %w", err)
		}
	}
	_ = f.SetColWidth(rosterSummarySheet, "A", "A", 18)
	_ = f.SetColWidth(rosterSummarySheet, "B", "B", 60)
	// No SetActiveSheet: the outcome sheet is the first and active one, and the call would
	// decode the streamed sheet back into memory (a second per 5,000 rows).
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write roster outcome: %w", err)
	}
	return buf.Bytes(), nil
}

// rosterNotes joins a row's messages: errors first, each with its column.
func rosterNotes(ms []app.RowMessage) string {
	var parts []string
	for _, level := range []string{app.LevelError, app.LevelWarning} {
		for _, m := range ms {
			if m.Level != level {
				continue
			}
			s := m.Message
			if m.Column != "" {
				s = m.Column + "：" + s
			}
			if level == app.LevelWarning {
				s = "（提示）" + s
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "；")
}
