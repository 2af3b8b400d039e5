package reports

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

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
