package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
)

// A LIS or device file is a table: one header row (possibly under a title), one row per exam
// (or per exam and panel), the exam number (体检号, printed as the tube barcode) in one column
// and one result per column. The reader reuses the roster's grid readers (streaming .xlsx,
// CSV in UTF-8/BOM/UTF-16/GB18030) and applies a column mapping saved per source.

// resultHeaderRows is how many rows from the top may hold the header.
const resultHeaderRows = 10

// ReadResults reads a LIS or device file with a column mapping.
func (Documents) ReadResults(name string, data []byte, m app.ResultMapping) (app.ResultImportFile, error) {
	return ReadResults(name, data, m)
}

// ResultHeaders returns the header row of a LIS or device file.
func (Documents) ResultHeaders(name string, data []byte) ([]string, error) {
	return ResultHeaders(name, data)
}

// ReadResults reads a LIS or device file (.xlsx, or .csv in UTF-8 with or without BOM,
// UTF-16 with BOM, otherwise GB18030) with the column mapping m.
//
// The header row is the first of the first ten rows that holds m's exam number column
// (headers compare without spaces, line breaks, full-width forms or letter case). Columns of
// the file that m does not name are not read; item columns of m that the file lacks are
// allowed as long as one is there. When m has no columns, they are guessed from the header
// (GuessResultMapping) and the returned file's Mapping says how, even when the error says
// that the guess found no exam number column.
//
// Cells are given as written: numbers without float noise and without lost digits ("5.6",
// "0.30"), qualified and qualitative values as typed ("<0.1", "阴性", "2+"). Empty cells are
// left out (the file says nothing about that item). Rows keep their Excel row (CSV line)
// numbers; empty rows are skipped. Each record's Problems say, per column and in Chinese,
// what cannot be trusted: an exam number stored as a number that lost digits, one that is
// not digits, an Excel error value, a row without exam number, the same exam and item twice
// with different values. An EINVALID error is returned for an unreadable file, an invalid
// mapping, or a file without the mapping's exam number column.
func ReadResults(name string, data []byte, m app.ResultMapping) (app.ResultImportFile, error) {
	base := filepath.Base(name)
	out := app.ResultImportFile{Name: base, Mapping: m}
	guess := len(m.Columns) == 0
	var found *resultTable
	err := eachResultGrid(name, data, func(g rosterGrid) bool {
		var h int
		var hs []string
		if guess {
			if h, hs = findResultHeader(g); h < 0 {
				return false
			}
			out.Mapping = GuessResultMapping(hs)
			out.Mapping.Source, out.Mapping.GroupCode = m.Source, m.GroupCode
			found = &resultTable{g: g, header: h}
			return true
		}
		if h = findMappedHeader(g, m); h >= 0 {
			found = &resultTable{g: g, header: h}
			return true
		}
		return false
	})
	if err != nil {
		return out, err
	}
	if err := checkResultMapping(out.Mapping); err != nil {
		if guess && found != nil {
			return out, app.Errorf(app.EINVALID, "无法自动识别“%s”的体检号列（表头应有体检号、条码号或样本号之一）：请在列对应中指定哪一列是体检号", base)
		}
		return out, err
	}
	if found == nil {
		if guess {
			return out, app.Errorf(app.EINVALID, "“%s”的前 %d 行中找不到表头", base, resultHeaderRows)
		}
		return out, app.Errorf(app.EINVALID, "“%s”的前 %d 行中找不到列对应“%s”的体检号列“%s”：文件的表头与保存的列对应不一致，请检查列对应",
			base, resultHeaderRows, m.Source, examNumberHeader(m))
	}
	recs, err := found.read(base, out.Mapping)
	if err != nil {
		return out, err
	}
	out.Records = recs
	return out, nil
}

// ResultHeaders returns the header row of a LIS or device file as written (line breaks
// removed; columns without a header left out), for the mapping screen. The header is the
// first of the first ten rows that names most known columns (GuessResultMapping), or else the
// first row with at least two different texts and no numbers.
func ResultHeaders(name string, data []byte) ([]string, error) {
	var hs []string
	err := eachResultGrid(name, data, func(g rosterGrid) bool {
		var h int
		h, hs = findResultHeader(g)
		return h >= 0
	})
	if err != nil {
		return nil, err
	}
	if hs == nil {
		return nil, app.Errorf(app.EINVALID, "“%s”的前 %d 行中找不到表头", filepath.Base(name), resultHeaderRows)
	}
	return hs, nil
}

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

// headerKey folds a header for comparison with a saved mapping: full-width to half-width,
// no spaces or line breaks, upper case. Brackets stay: "NEUT(%)" and "NEUT(#)" differ.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case ' ', '\t', '\r', '\n', '\u3000', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// findResultHeader returns the header row index of g and its headers, or -1.
func findResultHeader(g rosterGrid) (int, []string) {
	best, bestN := -1, 0
	for i := 0; i < len(g.rows) && i < resultHeaderRows; i++ {
		n := 0
		for _, h := range g.rows[i] {
			if k, _ := guessColumn(h); k != app.ImportKeyIgnore {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	if best < 0 {
		// Headers nobody guesses (instrument codes): the first row of two or more distinct
		// texts and no numbers. A merged title repeats one text.
	rows:
		for i := 0; i < len(g.rows) && i < resultHeaderRows; i++ {
			seen := map[string]bool{}
			for j, h := range g.rows[i] {
				h = strings.TrimSpace(h)
				if h == "" {
					continue
				}
				if c := g.cell(i, j); c.kind != cellText {
					continue rows
				}
				if _, err := strconv.ParseFloat(h, 64); err == nil {
					continue rows // a CSV number
				}
				seen[h] = true
			}
			if len(seen) >= 2 {
				best = i
				break
			}
		}
	}
	if best < 0 {
		return -1, nil
	}
	var hs []string
	for _, h := range g.rows[best] {
		if h = cleanHeader(h); h != "" {
			hs = append(hs, h)
		}
	}
	return best, hs
}

// examNumberHeader is the header of m's exam number column.
func examNumberHeader(m app.ResultMapping) string {
	for _, c := range m.Columns {
		if c.Key == app.ImportKeyExamNumber {
			return c.Header
		}
	}
	return ""
}

// findMappedHeader returns the first row among the first ten that holds m's exam number
// header, or -1.
func findMappedHeader(g rosterGrid, m app.ResultMapping) int {
	want := headerKey(examNumberHeader(m))
	if want == "" {
		return -1
	}
	for i := 0; i < len(g.rows) && i < resultHeaderRows; i++ {
		for _, h := range g.rows[i] {
			if headerKey(h) == want {
				return i
			}
		}
	}
	return -1
}

// checkResultMapping checks a mapping on its own: one exam number column, every item column
// with a code, no code twice.
func checkResultMapping(m app.ResultMapping) error {
	var es app.Errors
	exam := 0
	items := 0
	byCode := map[string]string{}
	for _, c := range m.Columns {
		switch c.Key {
		case app.ImportKeyExamNumber:
			exam++
		case app.ImportKeyItem:
			if c.ItemCode == "" {
				es = append(es, app.FieldError("列对应", "列“%s”设为检查项目，但没有选择是哪个项目", c.Header))
				continue
			}
			items++
			if prev, ok := byCode[c.ItemCode]; ok {
				es = append(es, app.FieldError("列对应", "列“%s”和“%s”对应同一个检查项目（%s）", prev, c.Header, c.ItemCode))
			}
			byCode[c.ItemCode] = c.Header
		case app.ImportKeyIgnore:
		default:
			es = append(es, app.FieldError("列对应", "列“%s”的用途“%s”无法识别", c.Header, c.Key))
		}
	}
	switch {
	case exam == 0:
		es = append(es, app.FieldError("列对应", "请指定哪一列是体检号（或条码号）"))
	case exam > 1:
		es = append(es, app.FieldError("列对应", "只能有一列是体检号，现在有 %d 列", exam))
	}
	if items == 0 {
		es = append(es, app.FieldError("列对应", "请至少指定一列检查项目"))
	}
	return es.Err()
}

// resultTable is a grid with its header row found.
type resultTable struct {
	g      rosterGrid
	header int
}

// resultCol is a mapped column of the file.
type resultCol struct {
	index  int
	header string // as written in the file
	key    string
	code   string
}

// read applies m to the rows under the header.
func (t *resultTable) read(base string, m app.ResultMapping) ([]app.ResultImportRecord, error) {
	g := t.g
	used := map[int]bool{}
	var cols []resultCol
	var missing []string
	exam := -1
	for _, mc := range m.Columns {
		if mc.Key == app.ImportKeyIgnore {
			continue
		}
		want, at := headerKey(mc.Header), -1
		for j, h := range g.rows[t.header] {
			if !used[j] && headerKey(h) == want {
				at = j
				break
			}
		}
		if at < 0 {
			missing = append(missing, mc.Header)
			continue
		}
		used[at] = true
		if mc.Key == app.ImportKeyExamNumber {
			exam = len(cols)
		}
		cols = append(cols, resultCol{index: at, header: cleanHeader(g.rows[t.header][at]), key: mc.Key, code: mc.ItemCode})
	}
	if exam < 0 {
		return nil, app.Errorf(app.EINVALID, "“%s”中没有体检号列“%s”", base, examNumberHeader(m))
	}
	if len(cols) < 2 {
		return nil, app.Errorf(app.EINVALID, "“%s”中没有列对应“%s”里的任何检查项目列（%s）：文件的表头与保存的列对应不一致，请检查列对应",
			base, m.Source, strings.Join(missing, "、"))
	}
	type seenValue struct {
		row   int
		value string
	}
	seen := map[string]map[string]seenValue{} // exam number → item code → first value
	var recs []app.ResultImportRecord
	for i := t.header + 1; i < len(g.rows); i++ {
		rec := app.ResultImportRecord{Row: g.lineNos[i], Values: map[string]string{}}
		problem := func(col, level, format string, args ...any) {
			rec.Problems = append(rec.Problems, app.RowMessage{Row: rec.Row, Column: col, Level: level, Message: fmt.Sprintf(format, args...)})
		}
		empty := true
		var examProblem string
		for k, c := range cols {
			cell := g.cell(i, c.index)
			if strings.TrimSpace(cell.text) == "" {
				continue
			}
			empty = false
			if k == exam {
				rec.ExamNumber, examProblem = readExamNumber(cell)
				continue
			}
			v := resultCellText(cell)
			if excelErrors[strings.ToUpper(v)] {
				problem(c.header, app.LevelError, "单元格是 Excel 错误值（%s），请在原文件中改正", v)
				continue
			}
			rec.Values[c.code] = v
		}
		if empty {
			continue
		}
		examHeader := cols[exam].header
		switch {
		case rec.ExamNumber == "" && examProblem == "":
			problem(examHeader, app.LevelError, "缺少体检号")
		case examProblem != "" && len(rec.Values) == 0:
			problem("", app.LevelWarning, "本行既没有体检号也没有结果（“%s”），不导入", rec.ExamNumber)
			rec.ExamNumber = ""
		case examProblem != "":
			problem(examHeader, app.LevelError, "%s", examProblem)
		case len(rec.Values) == 0 && len(rec.Problems) == 0:
			problem("", app.LevelWarning, "本行没有任何结果")
		}
		if rec.ExamNumber != "" && examProblem == "" {
			first := seen[rec.ExamNumber]
			if first == nil {
				first = map[string]seenValue{}
				seen[rec.ExamNumber] = first
			}
			same := 0
			for _, c := range cols {
				v, ok := rec.Values[c.code]
				if c.key != app.ImportKeyItem || !ok {
					continue
				}
				if p, ok := first[c.code]; ok {
					if p.value != v {
						problem(c.header, app.LevelError, "体检号 %s 在第 %d 行已有结果 %s，本行是 %s：请核对后只保留一行", rec.ExamNumber, p.row, p.value, v)
					} else {
						same++
					}
					continue
				}
				first[c.code] = seenValue{rec.Row, v}
			}
			if same > 0 {
				problem("", app.LevelWarning, "与前面的行重复（体检号 %s 的 %d 项结果相同），只记录一次", rec.ExamNumber, same)
			}
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// excelErrors are the error values a formula cell can hold.
var excelErrors = map[string]bool{
	"#N/A": true, "#DIV/0!": true, "#VALUE!": true, "#REF!": true, "#NAME?": true, "#NUM!": true, "#NULL!": true,
	"#GETTING_DATA": true, "#SPILL!": true, "#CALC!": true,
}

// readExamNumber returns the exam number of a cell, or what is wrong with it.
func readExamNumber(c rosterCell) (string, string) {
	text := strings.TrimSpace(c.text)
	if c.kind != cellText {
		v, err := strconv.ParseFloat(c.raw, 64)
		if err != nil {
			return text, "体检号“" + text + "”不是数字"
		}
		if v != math.Trunc(v) || v <= 0 || v >= 1e15 {
			return c.raw, "单元格是数字，体检号已丢失末几位（" + strconv.FormatFloat(v, 'E', 5, 64) + "）：请在 LIS 的导出设置或 Excel 中把该列设为文本后重新导出"
		}
		return strconv.FormatFloat(v, 'f', 0, 64), ""
	}
	if len(text) > 3 && strings.HasPrefix(text, `="`) && strings.HasSuffix(text, `"`) {
		text = text[2 : len(text)-1]
	}
	text = strings.TrimPrefix(text, "'")
	text = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ' ' || r == '\u3000' || r == '\t' || r == '\u00a0':
			return -1
		}
		return r
	}, text)
	if sciNumber.MatchString(text) {
		return text, "体检号是科学计数法（" + text + "），已丢失末几位：请在 LIS 的导出设置或 Excel 中把该列设为文本后重新导出"
	}
	for _, r := range text {
		if r < '0' || r > '9' {
			return text, "体检号“" + text + "”应全为数字（体检号印在导检单和条码上）"
		}
	}
	return text, ""
}

// resultCellText is a result cell as written: a number cell without float noise (Excel
// keeps 15 significant digits; writers store 17), text trimmed and without the ="…" or '
// that keeps Excel from reading it as a number.
func resultCellText(c rosterCell) string {
	text := strings.TrimSpace(c.text)
	if c.kind != cellText {
		raw := strings.TrimSpace(c.raw)
		if plainDecimal(raw) {
			return raw
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return text
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	if len(text) > 3 && strings.HasPrefix(text, `="`) && strings.HasSuffix(text, `"`) {
		text = strings.TrimSpace(text[2 : len(text)-1])
	}
	if strings.HasPrefix(text, "'") {
		text = strings.TrimSpace(text[1:])
	}
	return strings.ReplaceAll(text, "\r\n", "\n")
}

// plainDecimal reports whether s is a decimal as a person writes it ("5.6", "-0.30", "120"):
// at most 15 significant digits and 6 decimals, so that it is already what Excel shows and
// its trailing zeros are the lab's precision, not a writer's %.15g ("0.300000000000000").
func plainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 6 {
		return false
	}
	digits, dot, lead := 0, false, true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if dot || i == 0 || i == len(s)-1 {
				return false
			}
			dot = true
		case c >= '0' && c <= '9':
			if lead && c == '0' {
				continue
			}
			lead = false
			digits++
		default:
			return false
		}
	}
	return digits <= 15
}
