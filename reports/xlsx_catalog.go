package reports

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
	"occhealth/app/catalog"
)

// Sheet and column names of a catalog workbook. They are what an administrator sees in Excel,
// so they are Chinese; ImportCatalog finds columns by these header names.
const (
	catalogEntriesSheet = "条目"
	catalogInfoSheet    = "字典信息"
	// extraColumnPrefix starts the header of a column that holds one Extra key of the entries
	// (e.g. "附加:kind"), so that catalog-specific fields survive a round trip through Excel.
	extraColumnPrefix = "附加:"
)

// The fixed columns of the entries sheet, in order.
const (
	colCode = iota
	colName
	colParent
	colLevel
	colCategory
	colAliases
	colLocal
	colStatus
	fixedColumns
)

var catalogColumns = [fixedColumns]string{"代码", "名称", "上级代码", "层级", "类别", "别名(、分隔)", "本地代码(是/否)", "核实状态(V/P/U)"}

// Rows of the information sheet: label in column A, value in column B.
var catalogInfoLabels = []string{"字典名称", "标题", "版本", "来源", "生效日期", "失效日期", "说明"}

// catalogInstructions is written under the information rows for whoever edits the file.
var catalogInstructions = []string{
	"填写说明：",
	"1. 在“条目”工作表中修改名称、别名、类别、核实状态，或在末尾添加本地条目；不要修改表头，不要改动本表“字典名称”。",
	"2. 本地条目的代码以大写字母 L 加数字开头（如 L7012），“本地代码”填“是”；国家代码不要改动。",
	"3. 别名之间用顿号“、”分隔；别名本身含顿号时，用「」括起来，如「三氧化铬、铬酸盐」、铬酸雾。",
	"4. 核实状态：V 已核实，P 部分核实，U 待核实，留空表示照录来源。",
	"5. “附加:”开头的列是该字典特有的字段，请保留。",
	"6. 代码列设为文本格式：请勿让 Excel 把 0101 之类的代码变成数字。",
}

// XLSXCatalogExchange converts catalogs to and from .xlsx workbooks with excelize.
type XLSXCatalogExchange struct{}

var _ app.CatalogExchange = XLSXCatalogExchange{}

// ExportCatalog writes c as a workbook: sheet 条目 with one row per entry (codes as text) and
// sheet 字典信息 with the catalog's name, title, version, source, effective period and notes.
func (XLSXCatalogExchange) ExportCatalog(c catalog.Catalog) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", catalogEntriesSheet); err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}
	if _, err := f.NewSheet(catalogInfoSheet); err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}

	extraKeys := catalogExtraKeys(c)
	header := make([]any, 0, fixedColumns+len(extraKeys))
	for _, h := range catalogColumns {
		header = append(header, h)
	}
	for _, k := range extraKeys {
		header = append(header, extraColumnPrefix+k)
	}
	if err := f.SetSheetRow(catalogEntriesSheet, "A1", &header); err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keep codes such as 0101 as text
	if err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}
	for _, col := range []string{"A", "C"} {
		if err := f.SetColStyle(catalogEntriesSheet, col, text); err != nil {
			return nil, fmt.Errorf("export catalog: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}
	lastCol, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetCellStyle(catalogEntriesSheet, "A1", lastCol+"1", bold); err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}

	for i, e := range c.Entries {
		row := make([]any, 0, len(header))
		level := any("")
		if e.Level != 0 {
			level = e.Level
		}
		local := "否"
		if e.Local {
			local = "是"
		}
		row = append(row, e.Code, e.Name, e.Parent, level, e.Category, catalog.JoinAliases(e.Aliases), local, e.Status)
		for _, k := range extraKeys {
			row = append(row, e.Extra[k])
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(catalogEntriesSheet, cell, &row); err != nil {
			return nil, fmt.Errorf("export catalog row %d: %w", i+2, err)
		}
	}
	_ = f.SetColWidth(catalogEntriesSheet, "A", "A", 12)
	_ = f.SetColWidth(catalogEntriesSheet, "B", "B", 40)
	_ = f.SetColWidth(catalogEntriesSheet, "C", "E", 12)
	_ = f.SetColWidth(catalogEntriesSheet, "F", "F", 30)
	_ = f.SetColWidth(catalogEntriesSheet, "G", "H", 16)
	_ = f.SetPanes(catalogEntriesSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	values := []string{c.Name, c.Title, c.Version, c.Source, c.EffectiveFrom, c.EffectiveTo, c.Notes}
	for i, label := range catalogInfoLabels {
		row := []any{label, values[i]}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(catalogInfoSheet, cell, &row); err != nil {
			return nil, fmt.Errorf("export catalog info: %w", err)
		}
	}
	for i, line := range catalogInstructions {
		cell, _ := excelize.CoordinatesToCellName(1, len(catalogInfoLabels)+2+i)
		if err := f.SetCellStr(catalogInfoSheet, cell, line); err != nil {
			return nil, fmt.Errorf("export catalog info: %w", err)
		}
	}
	_ = f.SetColWidth(catalogInfoSheet, "A", "A", 12)
	_ = f.SetColWidth(catalogInfoSheet, "B", "B", 80)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("export catalog: %w", err)
	}
	return buf.Bytes(), nil
}

// catalogExtraKeys returns the Extra keys used by any entry of c, sorted.
func catalogExtraKeys(c catalog.Catalog) []string {
	seen := map[string]bool{}
	for _, e := range c.Entries {
		for k := range e.Extra {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// maxCatalogWorkbook bounds what ImportCatalog unpacks, so that a hostile file cannot exhaust
// memory (the biggest bundled catalog exports to well under 1 MB).
const maxCatalogWorkbook = 64 << 20

// ImportCatalog reads a workbook written by ExportCatalog and edited in Excel, for the catalog
// called name. Blank rows are skipped; a blank 附加 cell means the entry has no such field
// (an empty Extra value and a missing one read alike). It returns an EINVALID *app.Error naming the sheet, row
// and column of the first bad cell: a missing or renamed header, another catalog's workbook,
// an empty code or name, a duplicate code, a level that is not a number, 本地代码 other than
// 是/否, an unknown status, a local code that does not start with L and a digit, or a parent
// code not in the sheet.
func (XLSXCatalogExchange) ImportCatalog(name string, xlsx []byte) (catalog.Catalog, error) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsx), excelize.Options{UnzipSizeLimit: maxCatalogWorkbook, UnzipXMLSizeLimit: maxCatalogWorkbook})
	if err != nil {
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "无法读取该文件：请选择由本程序导出的 .xlsx 工作簿（旧版 .xls 请在 Excel 中另存为 .xlsx）")
	}
	defer f.Close()
	for _, s := range []string{catalogEntriesSheet, catalogInfoSheet} {
		if idx, err := f.GetSheetIndex(s); err != nil || idx < 0 {
			return catalog.Catalog{}, app.Errorf(app.EINVALID, "工作簿中没有工作表“%s”：请使用本程序导出的字典文件", s)
		}
	}

	c, err := readCatalogInfo(f, name)
	if err != nil {
		return catalog.Catalog{}, err
	}
	// Stream the rows: a sheet formatted down to row 1048576 must not be loaded whole.
	rows, err := f.Rows(catalogEntriesSheet)
	if err != nil {
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "无法读取工作表“%s”：%v", catalogEntriesSheet, err)
	}
	defer rows.Close()
	var extraKeys []string
	headerRead := false
	seen := map[string]int{} // code → row
	for rowNo := 1; rows.Next(); rowNo++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return catalog.Catalog{}, app.Errorf(app.EINVALID, "无法读取工作表“%s”第 %d 行：%v", catalogEntriesSheet, rowNo, err)
		}
		if rowNo == 1 {
			if extraKeys, err = readCatalogHeader(cells); err != nil {
				return catalog.Catalog{}, err
			}
			headerRead = true
			continue
		}
		get := func(col int) string {
			if col < len(cells) {
				return strings.TrimSpace(cells[col])
			}
			return ""
		}
		blank := true
		for _, v := range cells {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		e := catalog.Entry{
			Code:     get(colCode),
			Name:     get(colName),
			Parent:   get(colParent),
			Category: get(colCategory),
		}
		if e.Code == "" {
			return catalog.Catalog{}, cellError(rowNo, colCode, "代码不能为空")
		}
		if first, dup := seen[e.Code]; dup {
			return catalog.Catalog{}, cellError(rowNo, colCode, "代码“%s”与第 %d 行重复", e.Code, first)
		}
		seen[e.Code] = rowNo
		if e.Name == "" {
			return catalog.Catalog{}, cellError(rowNo, colName, "名称不能为空")
		}
		if v := get(colLevel); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 99 {
				return catalog.Catalog{}, cellError(rowNo, colLevel, "层级应为 0–99 的整数，现为“%s”", v)
			}
			e.Level = n
		}
		aliases, err := catalog.SplitAliases(get(colAliases))
		if err != nil {
			return catalog.Catalog{}, cellError(rowNo, colAliases, "%s", err.Error())
		}
		e.Aliases = aliases
		switch v := get(colLocal); v {
		case "是", "Y", "y", "1", "TRUE", "true":
			e.Local = true
		case "否", "", "N", "n", "0", "FALSE", "false":
		default:
			return catalog.Catalog{}, cellError(rowNo, colLocal, "应填“是”或“否”，现为“%s”", v)
		}
		if e.Local && !isLocalCode(e.Code) {
			return catalog.Catalog{}, cellError(rowNo, colCode, "本地代码“%s”应以大写字母 %s 加数字开头", e.Code, catalog.LocalPrefix)
		}
		status, ok := parseStatus(get(colStatus))
		if !ok {
			return catalog.Catalog{}, cellError(rowNo, colStatus, "应为 V、P、U 或留空，现为“%s”", get(colStatus))
		}
		e.Status = status
		for i, k := range extraKeys {
			if v := get(fixedColumns + i); k != "" && v != "" {
				if e.Extra == nil {
					e.Extra = map[string]string{}
				}
				e.Extra[k] = v
			}
		}
		c.Entries = append(c.Entries, e)
	}
	if err := rows.Error(); err != nil {
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "无法读取工作表“%s”：%v", catalogEntriesSheet, err)
	}
	if !headerRead {
		return catalog.Catalog{}, cellError(1, colCode, "缺少表头")
	}
	for _, e := range c.Entries {
		if e.Parent != "" {
			if _, ok := seen[e.Parent]; !ok {
				return catalog.Catalog{}, cellError(seen[e.Code], colParent, "上级代码“%s”不在本字典中", e.Parent)
			}
		}
	}
	if len(c.Entries) == 0 {
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "工作表“%s”没有条目", catalogEntriesSheet)
	}
	if err := c.Validate(); err != nil {
		// Every rule of Validate is checked above with a cell position; this is a safety net.
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "字典内容有误：%v", err)
	}
	return c, nil
}

// readCatalogInfo reads the information sheet and checks that the workbook is for catalog name.
func readCatalogInfo(f *excelize.File, name string) (catalog.Catalog, error) {
	rows, err := f.GetRows(catalogInfoSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "无法读取工作表“%s”：%v", catalogInfoSheet, err)
	}
	values := map[string]string{}
	for _, r := range rows {
		if len(r) >= 1 {
			label := strings.TrimSpace(r[0])
			v := ""
			if len(r) >= 2 {
				v = strings.TrimSpace(r[1])
			}
			if _, dup := values[label]; !dup {
				values[label] = v
			}
		}
	}
	got, ok := values["字典名称"]
	if !ok {
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "工作表“%s”缺少“字典名称”一行：请使用本程序导出的字典文件", catalogInfoSheet)
	}
	if got != name {
		return catalog.Catalog{}, app.Errorf(app.EINVALID, "该文件是字典“%s”，不是当前选中的字典“%s”", got, name)
	}
	c := catalog.Catalog{
		Name: name, Title: values["标题"], Version: values["版本"], Source: values["来源"],
		EffectiveFrom: values["生效日期"], EffectiveTo: values["失效日期"], Notes: values["说明"],
	}
	for _, d := range []struct{ label, v string }{{"生效日期", c.EffectiveFrom}, {"失效日期", c.EffectiveTo}} {
		if d.v != "" && !isISODate(d.v) {
			return catalog.Catalog{}, app.Errorf(app.EINVALID, "工作表“%s”中%s应为 YYYY-MM-DD 或留空，现为“%s”", catalogInfoSheet, d.label, d.v)
		}
	}
	return c, nil
}

// readCatalogHeader checks the fixed header cells and returns the Extra keys of the columns
// after them.
func readCatalogHeader(header []string) ([]string, error) {
	for i, want := range catalogColumns {
		got := ""
		if i < len(header) {
			got = strings.TrimSpace(header[i])
		}
		if got != want {
			return nil, cellError(1, i, "表头应为“%s”，现为“%s”：请不要修改或移动表头", want, got)
		}
	}
	var keys []string
	seen := map[string]bool{}
	for i := fixedColumns; i < len(header); i++ {
		h := strings.TrimSpace(header[i])
		if h == "" {
			continue
		}
		k, ok := strings.CutPrefix(h, extraColumnPrefix)
		if !ok || k == "" {
			return nil, cellError(1, i, "多余的列“%s”：附加列的表头应以“%s”开头", h, extraColumnPrefix)
		}
		if seen[k] {
			return nil, cellError(1, i, "附加列“%s”重复", h)
		}
		seen[k] = true
		for len(keys) < i-fixedColumns {
			keys = append(keys, "") // a blank header cell: its column is ignored
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// cellError returns an EINVALID error naming the row (1-based) and column (0-based) of a cell
// of the entries sheet.
func cellError(row, col int, format string, args ...any) error {
	colName, _ := excelize.ColumnNumberToName(col + 1)
	title := ""
	if col < fixedColumns {
		title = "（" + catalogColumns[col] + "）"
	}
	return &app.Error{
		Code:    app.EINVALID,
		Field:   fmt.Sprintf("工作表“%s”第 %d 行 %s 列%s", catalogEntriesSheet, row, colName, title),
		Message: fmt.Sprintf(format, args...),
	}
}

func parseStatus(s string) (string, bool) {
	switch strings.ToUpper(s) {
	case "":
		return "", true
	case catalog.StatusVerified, "已核实":
		return catalog.StatusVerified, true
	case catalog.StatusPartial, "部分核实":
		return catalog.StatusPartial, true
	case catalog.StatusUnverified, "待核实":
		return catalog.StatusUnverified, true
	}
	return "", false
}

func isLocalCode(code string) bool {
	return len(code) > 1 && strings.HasPrefix(code, catalog.LocalPrefix) && code[1] >= '0' && code[1] <= '9'
}

func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, r := range s {
		if i != 4 && i != 7 && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
