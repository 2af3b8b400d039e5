package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
)

// The sheets of a result file as grids, read by the roster's readers: the streaming .xlsx
// reader (excelize for packages it cannot follow) and the CSV decoder.

// eachResultGrid calls try with each visible sheet of a workbook (the active one first), or
// with the CSV file, until try returns true.
func eachResultGrid(name string, data []byte, try func(rosterGrid) bool) error {
	base := filepath.Base(name)
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".xls" || bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return app.Errorf(app.EINVALID, "不支持旧版 Excel 文件（.xls）：请在 LIS 或 Excel 中另存为 .xlsx 或 CSV 后再导入")
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(data, []byte("PK\x03\x04")):
		b, err := openXLSXBook(data)
		if err != nil {
			return eachExcelizeGrid(base, data, try)
		}
		for _, sheet := range b.sheets {
			if sheet.hidden {
				continue
			}
			g, err := b.sheetGrid(sheet)
			if err != nil {
				return eachExcelizeGrid(base, data, try)
			}
			if try(g) {
				return nil
			}
		}
		return nil
	}
	text, _, err := decodeRosterText(data)
	if err != nil {
		return app.Errorf(app.EINVALID, "无法识别“%s”的文字编码：请另存为 UTF-8 或 GBK 编码的 CSV", base)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffComma(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	g := rosterGrid{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return app.Errorf(app.EINVALID, "“%s”第 %d 行不是有效的 CSV：%v", base, pe.StartLine, pe.Err)
			}
			return app.Errorf(app.EINVALID, "无法读取“%s”：%v", base, err)
		}
		line, _ := r.FieldPos(0)
		g.rows = append(g.rows, rec)
		g.lineNos = append(g.lineNos, line)
	}
	g.cell = func(i, col int) rosterCell {
		if col < len(g.rows[i]) {
			return rosterCell{text: g.rows[i][col]}
		}
		return rosterCell{}
	}
	try(g)
	return nil
}

// eachExcelizeGrid reads sheets through excelize, for packages the streaming reader cannot
// follow. Number cells keep their stored value.
func eachExcelizeGrid(base string, data []byte, try func(rosterGrid) bool) error {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return app.Errorf(app.EINVALID, "无法打开 Excel 文件“%s”：文件已损坏、加密或不是 .xlsx", base)
	}
	defer f.Close()
	order := []string{f.GetSheetName(f.GetActiveSheetIndex())}
	for _, s := range f.GetSheetList() {
		if s != order[0] {
			order = append(order, s)
		}
	}
	for _, sheet := range order {
		if sheet == "" {
			continue
		}
		if vis, err := f.GetSheetVisible(sheet); err == nil && !vis {
			continue
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return app.Errorf(app.EINVALID, "无法读取工作表“%s”：%v", sheet, err)
		}
		g := rosterGrid{rows: rows, lineNos: make([]int, len(rows))}
		for i := range rows {
			g.lineNos[i] = i + 1
		}
		g.cell = func(i, col int) rosterCell {
			c := rosterCell{}
			if col >= len(rows[i]) {
				return c
			}
			c.text = rows[i][col]
			if strings.TrimSpace(c.text) == "" {
				return c
			}
			axis, err := excelize.CoordinatesToCellName(col+1, i+1)
			if err != nil {
				return c
			}
			if typ, err := f.GetCellType(sheet, axis); err == nil && (typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset) {
				if _, err := strconv.ParseFloat(strings.TrimSpace(c.text), 64); err == nil {
					c.kind, c.raw = cellNumber, strings.TrimSpace(c.text)
				}
			}
			return c
		}
		if try(g) {
			return nil
		}
	}
	return nil
}
