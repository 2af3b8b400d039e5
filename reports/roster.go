package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"occhealth/app"
)

// rosterHeaderRows is how many rows from the top may hold the header: rosters often start
// with a title ("XX公司2026年职业健康检查名单"), a date or a note before it.
const rosterHeaderRows = 10

// rosterHeaders maps a normalised header (see normalizeHeader) to its column.
var rosterHeaders = map[string]app.RosterColumn{}

func init() {
	for col, names := range map[app.RosterColumn][]string{
		app.ColName:          {"姓名", "职工姓名", "员工姓名", "劳动者姓名", "人员姓名"},
		app.ColIDNumber:      {"身份证号", "身份证号码", "证件号码", "身份证", "证件号", "身份证件号码", "公民身份号码"},
		app.ColDocType:       {"证件类型", "身份证件类型"},
		app.ColSex:           {"性别"},
		app.ColBirth:         {"出生日期", "出生年月", "出生年月日"},
		app.ColPhone:         {"联系电话", "手机", "手机号", "电话", "手机号码", "联系方式", "电话号码"},
		app.ColWorkshop:      {"车间", "部门", "科室", "车间部门", "车间/部门", "所在部门", "所在车间"},
		app.ColJob:           {"工种", "岗位", "工种岗位", "岗位工种", "工种/岗位", "岗位/工种"},
		app.ColHazards:       {"危害因素", "接触危害因素", "职业病危害因素", "接害因素", "接触职业病危害因素", "职业危害因素"},
		app.ColExposureStart: {"开始接害日期", "接害开始日期", "开始接害时间", "接害开始时间"},
		app.ColExposureYears: {"接害工龄", "接害年限"},
		app.ColExamType:      {"体检类型", "检查类型", "体检种类"},
	} {
		for _, n := range names {
			rosterHeaders[normalizeHeader(n)] = col
		}
	}
}

// normalizeHeader folds a header cell to a lookup key: full-width to half-width, spaces, line
// breaks, asterisks (required marks) and colons dropped, bracketed notes removed
// ("身份证号（必填）", "出生日期(yyyy-mm-dd)", "*姓名").
func normalizeHeader(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case '(', '[', '【', '〔':
			depth++
			continue
		case ')', ']', '】', '〕':
			if depth > 0 {
				depth--
			}
			continue
		case ' ', '\t', '\r', '\n', '\u3000', '\u00a0', '*', ':', '※':
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// rosterExpected is what a file without a recognisable header is told to have.
const rosterExpected = "姓名、身份证号（或证件号码）、性别、出生日期、联系电话、车间、工种、危害因素、开始接害日期（或接害工龄）、体检类型"

// cellKind says how a spreadsheet stored a cell.
type cellKind int

const (
	cellText   cellKind = iota
	cellNumber          // a number without a date format; raw holds it as written in the file
	cellDate            // a number with a date format; text is already 2006-01-02
)

// rosterCell is one cell as the grid reader found it.
type rosterCell struct {
	text string // what the user sees (xlsx: formatted value)
	kind cellKind
	raw  string // cellNumber: the stored number
}

// rosterGrid is a sheet or CSV file as rows of cells, with the file's row numbers.
type rosterGrid struct {
	rows    [][]string // formatted text, used for the header search
	lineNos []int      // 1-based row (xlsx) or line (CSV) number of each row
	// cell returns a data cell with its kind; i indexes rows.
	cell func(i, col int) rosterCell
}

// ReadRoster reads a roster (团检名单) from an .xlsx workbook or a .csv file (UTF-8 with or
// without BOM, UTF-16 with BOM, otherwise GB18030, the superset of GBK that Chinese Excel
// writes). The header may follow a title: it is the first of the first ten rows that names at
// least two known columns (synonyms, full-width brackets and required-marks allowed). Rows
// keep their Excel row (CSV line) numbers; empty rows are skipped. ID numbers and phones
// are read as text; a number cell that lost digits is a row problem, never repaired. Date
// cells of .xlsx are given as 2006-01-02. It returns an EINVALID error for an unreadable
// file or one without a recognisable header.
func ReadRoster(name string, data []byte) (app.RosterFile, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".xls" || bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return app.RosterFile{}, app.Errorf(app.EINVALID, "不支持旧版 Excel 文件（.xls）：请在 Excel 中另存为 .xlsx 或 CSV 后再导入")
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readRosterXLSX(name, data)
	default:
		return readRosterCSV(name, data)
	}
}

func readRosterXLSX(name string, data []byte) (app.RosterFile, error) {
	b, err := openXLSXBook(data)
	if err != nil {
		return readRosterExcelize(name, data)
	}
	for _, sheet := range b.sheets {
		if sheet.hidden {
			continue
		}
		g, err := b.sheetGrid(sheet)
		if err != nil {
			return readRosterExcelize(name, data)
		}
		if rf, err := buildRoster(name, g); err == nil {
			return rf, nil
		}
	}
	return app.RosterFile{}, noHeaderError(name)
}

// readRosterExcelize reads a workbook through excelize's cell API: slower, for packages the
// streaming reader cannot follow.
func readRosterExcelize(name string, data []byte) (app.RosterFile, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return app.RosterFile{}, app.Errorf(app.EINVALID, "无法打开 Excel 文件“%s”：文件已损坏、加密或不是 .xlsx", filepath.Base(name))
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return app.RosterFile{}, app.Errorf(app.EINVALID, "Excel 文件“%s”中没有工作表", filepath.Base(name))
	}
	// The sheet the user last looked at first, then the others in order.
	order := []string{f.GetSheetName(f.GetActiveSheetIndex())}
	for _, s := range sheets {
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
			return app.RosterFile{}, app.Errorf(app.EINVALID, "无法读取工作表“%s”：%v", sheet, err)
		}
		g := rosterGrid{rows: rows, lineNos: make([]int, len(rows))}
		for i := range rows {
			g.lineNos[i] = i + 1
		}
		numFmts := map[int]bool{} // style index → is a date format
		g.cell = func(i, col int) rosterCell {
			c := rosterCell{}
			if col < len(rows[i]) {
				c.text = rows[i][col]
			}
			if strings.TrimSpace(c.text) == "" {
				return c
			}
			axis, err := excelize.CoordinatesToCellName(col+1, i+1)
			if err != nil {
				return c
			}
			typ, err := f.GetCellType(sheet, axis)
			if err != nil {
				return c
			}
			switch typ {
			case excelize.CellTypeUnset, excelize.CellTypeNumber:
			case excelize.CellTypeDate:
				raw, _ := f.GetCellValue(sheet, axis, excelize.Options{RawCellValue: true})
				if len(raw) >= 10 && raw[4] == '-' {
					c.text, c.kind = raw[:10], cellDate
				}
				return c
			default:
				return c
			}
			raw, err := f.GetCellValue(sheet, axis, excelize.Options{RawCellValue: true})
			if err != nil {
				return c
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
			if err != nil {
				return c // a formula's text result
			}
			c.kind, c.raw = cellNumber, strings.TrimSpace(raw)
			if style, err := f.GetCellStyle(sheet, axis); err == nil {
				isDate, ok := numFmts[style]
				if !ok {
					isDate = styleIsDate(f, style)
					numFmts[style] = isDate
				}
				if isDate {
					if t, err := excelize.ExcelDateToTime(v, date1904); err == nil && t.Year() >= 1900 && t.Year() <= 2100 {
						c.text, c.kind = t.Format("2006-01-02"), cellDate
					}
				}
			}
			return c
		}
		rf, err := buildRoster(name, g)
		if err != nil {
			continue // no header on this sheet: try the next
		}
		return rf, nil
	}
	return app.RosterFile{}, noHeaderError(name)
}

func noHeaderError(name string) error {
	return app.Errorf(app.EINVALID, "“%s”的前 %d 行中找不到表头。表头至少要有以下列中的两列：%s", filepath.Base(name), rosterHeaderRows, rosterExpected)
}

// styleIsDate reports whether cell style idx shows numbers as dates.
func styleIsDate(f *excelize.File, idx int) bool {
	st, err := f.GetStyle(idx)
	if err != nil || st == nil {
		return false
	}
	if st.CustomNumFmt != nil {
		return customFormatIsDate(*st.CustomNumFmt)
	}
	n := st.NumFmt
	return n >= 14 && n <= 17 || n == 22 || n >= 27 && n <= 31 || n >= 34 && n <= 36 || n >= 50 && n <= 58
}

// customFormatIsDate looks for date codes (y, m, d, 年, 月, 日) outside quotes and brackets.
func customFormatIsDate(s string) bool {
	quoted, bracket, esc := false, false, false
	for _, r := range strings.ToLower(s) {
		switch {
		case esc:
			esc = false
		case r == '\\':
			esc = true
		case r == '"':
			quoted = !quoted
		case quoted:
			if r == '年' || r == '月' || r == '日' {
				return true
			}
		case r == '[':
			bracket = true
		case r == ']':
			bracket = false
		case bracket:
		case r == 'y' || r == 'd' || r == 'm' || r == 'e' || r == '年' || r == '月' || r == '日':
			return true
		}
	}
	return false
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeRosterText turns CSV bytes into UTF-8 and names the encoding it found.
func decodeRosterText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		return string(data[3:]), "UTF-8 with BOM", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", "", err
		}
		return string(b), "UTF-16", nil
	case utf8.Valid(data):
		return string(data), "UTF-8", nil
	}
	b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", err
	}
	return string(b), "GB18030", nil
}

func readRosterCSV(name string, data []byte) (app.RosterFile, error) {
	text, enc, err := decodeRosterText(data)
	if err != nil {
		return app.RosterFile{}, app.Errorf(app.EINVALID, "无法识别“%s”的文字编码：请另存为 UTF-8 或 GBK 编码的 CSV", filepath.Base(name))
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
				return app.RosterFile{}, app.Errorf(app.EINVALID, "“%s”第 %d 行不是有效的 CSV：%v", filepath.Base(name), pe.StartLine, pe.Err)
			}
			return app.RosterFile{}, app.Errorf(app.EINVALID, "无法读取“%s”：%v", filepath.Base(name), err)
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
	rf, err := buildRoster(name, g)
	if err != nil {
		return app.RosterFile{}, err
	}
	rf.Encoding = enc
	return rf, nil
}

// sniffComma picks the separator (comma, tab or semicolon) most frequent in the first lines.
func sniffComma(text string) rune {
	head := text
	for i, n := 0, 0; i < len(text); i++ {
		if text[i] == '\n' {
			if n++; n == rosterHeaderRows {
				head = text[:i]
				break
			}
		}
	}
	best, bestN := ',', strings.Count(head, ",")
	for _, c := range []rune{'\t', ';'} {
		if n := strings.Count(head, string(c)); n > bestN {
			best, bestN = c, n
		}
	}
	return best
}

// buildRoster finds the header and turns the rows below it into records.
func buildRoster(name string, g rosterGrid) (app.RosterFile, error) {
	header := -1
	var cols map[int]app.RosterColumn
	for i := 0; i < len(g.rows) && i < rosterHeaderRows; i++ {
		m := map[int]app.RosterColumn{}
		seen := map[app.RosterColumn]bool{}
		for j, h := range g.rows[i] {
			if col, ok := rosterHeaders[normalizeHeader(h)]; ok && !seen[col] {
				m[j], seen[col] = col, true
			}
		}
		if len(seen) >= 2 {
			header, cols = i, m
			break
		}
	}
	if header < 0 {
		return app.RosterFile{}, noHeaderError(name)
	}
	rf := app.RosterFile{Name: filepath.Base(name), HeaderRow: g.lineNos[header], Headers: map[app.RosterColumn]string{}}
	for j, h := range g.rows[header] {
		h = cleanHeader(h)
		if col, ok := cols[j]; ok {
			rf.Headers[col] = h
		} else if h != "" {
			rf.Ignored = append(rf.Ignored, h)
		}
	}
	for i := header + 1; i < len(g.rows); i++ {
		rec := app.RosterRecord{Row: g.lineNos[i], Values: make(map[app.RosterColumn]string, len(cols))}
		empty := true
		for j, col := range cols {
			c := g.cell(i, j)
			v := readRosterValue(&rec, col, rf.Headers[col], c)
			rec.Values[col] = v
			if strings.TrimSpace(v) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		rf.Records = append(rf.Records, rec)
	}
	return rf, nil
}

// cleanHeader is the header as the user wrote it, on one line.
func cleanHeader(h string) string {
	return strings.TrimSpace(strings.NewReplacer("\r\n", "", "\n", "", "\r", "").Replace(h))
}

// sciNumber is how Excel shows (and saves to CSV) a long number: 4.21022E+17.
var sciNumber = regexp.MustCompile(`^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$`)

// readRosterValue returns the text of one cell for col, adding a problem to rec where the
// cell cannot be trusted.
func readRosterValue(rec *app.RosterRecord, col app.RosterColumn, header string, c rosterCell) string {
	problem := func(level, format string, args ...any) {
		rec.Problems = append(rec.Problems, app.RowMessage{Row: rec.Row, Column: header, Level: level, Message: fmt.Sprintf(format, args...)})
	}
	text := strings.TrimSpace(c.text)
	switch col {
	case app.ColIDNumber, app.ColPhone:
		what := "身份证号"
		if col == app.ColPhone {
			what = "电话号码"
		}
		if c.kind == cellText {
			// Tricks that keep a long number as text in Excel: ="4201…" in a CSV, '4201… typed.
			if len(text) > 3 && strings.HasPrefix(text, `="`) && strings.HasSuffix(text, `"`) {
				text = strings.TrimSpace(text[2 : len(text)-1])
			}
			text = strings.TrimSpace(strings.TrimPrefix(text, "'"))
			if sciNumber.MatchString(text) {
				problem(app.LevelError, "单元格是数字，%s已丢失末几位（%s），请在 Excel 中把该列设为文本后重新填写", what, text)
			}
			return text
		}
		v, err := strconv.ParseFloat(c.raw, 64)
		if err != nil {
			return text
		}
		if v != math.Trunc(v) || v < 0 || v >= 1e15 {
			shown := strconv.FormatFloat(v, 'E', 5, 64)
			problem(app.LevelError, "单元格是数字，%s已丢失末几位（%s），请在 Excel 中把该列设为文本后重新填写", what, shown)
			return shown
		}
		digits := strconv.FormatFloat(v, 'f', 0, 64)
		if col == app.ColPhone && len(digits) >= 9 && digits[0] != '1' {
			problem(app.LevelWarning, "单元格是数字，号码开头的 0 可能已丢失（%s），请核对；该列应设为文本", digits)
		}
		return digits
	case app.ColBirth, app.ColExposureStart:
		if c.kind == cellNumber {
			return c.raw // a serial or 20240305 typed as a number: the check reads both
		}
		return text
	case app.ColExposureYears:
		if c.kind == cellNumber {
			if v, err := strconv.ParseFloat(c.raw, 64); err == nil {
				return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
			}
		}
		return text
	}
	return text
}
