package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
)

// Sheet names of a rule-table workbook.
const (
	rulesSheet       = "规则"
	ruleGroupsSheet  = "项目组合"
	ruleHelpSheet    = "填写说明"
	maxRulesWorkbook = 64 << 20 // bounds what ImportRules unpacks (the shipped table exports to well under 1 MB)
)

// Columns of the 规则 sheet, in order. The first sixteen are the table an administrator
// reads; the last four keep the rest of a rule through the round trip.
const (
	rcHazard = iota
	rcHazardName
	rcType
	rcEdition
	rcSection
	rcRequired
	rcOptional
	rcConditional
	rcTargets
	rcContra
	rcSymptoms
	rcPhysical
	rcInterval
	rcStatus
	rcSource
	rcNotes
	rcItemNotes
	rcRecommended
	rcInferred
	rcFactor
	ruleColumns
)

var ruleHeaders = [ruleColumns]string{
	"危害因素代码", "危害因素名称", "体检类型", "版本", "章节", "必检项目", "选检项目", "补充检查",
	"目标疾病", "职业禁忌证", "症状询问重点", "体格检查", "周期", "核实状态", "来源", "备注",
	"项目说明", "推荐性(是/否)", "代码归属推断(是/否)", "标准中的因素名称",
}

// Columns of the 项目组合 sheet.
const (
	gcCode = iota
	gcName
	gcDepartment
	gcTube
	gcItems
	gcTubeStatus
	gcItemsStatus
	gcStatus
	gcNotes
	groupColumns
)

var groupHeaders = [groupColumns]string{
	"项目组合代码", "名称", "科室", "采样容器", "健康指标代码", "容器核实状态", "组成核实状态", "核实状态", "备注",
}

var ruleInstructions = []string{
	"填写说明：",
	"1. “规则”工作表每行是一条规则：一个危害因素代码、一种体检类型、一个 GBZ 188 版本（2014 或 2025）；不要修改表头。",
	"2. 必检项目、选检项目填项目组合，用顿号“、”分隔；每项可写“代码 名称”（如 G0101 血常规）、只写代码或只写名称；名称本身含顿号时用「」括起来。",
	"3. 补充检查、目标疾病、职业禁忌证、项目说明每行一条（单元格内按 Alt+Enter 换行）。",
	"4. 核实状态：V 已核实，P 部分核实，U 待核实；规则必须填写。推荐性、代码归属推断填“是”或“否”。",
	"5. “项目组合”工作表可修改名称、科室、采样容器，或在末尾添加组合（代码为 G 加四位数字）；健康指标代码为 7 位国家代码，用顿号分隔。",
	"6. 代码列设为文本格式：请勿让 Excel 把代码变成数字。",
}

// XLSXRuleExchange converts the GBZ 188 rule table to and from an .xlsx workbook an
// administrator edits in Excel.
type XLSXRuleExchange struct{}

var _ rules.Exchange = XLSXRuleExchange{}

// ExportRules writes t as a workbook: sheet 规则 (one row per rule, item groups as "code name"
// separated by 、, text lists one per line), sheet 项目组合 (the groups with department, tube
// and 健康指标 codes) and sheet 填写说明.
func (XLSXRuleExchange) ExportRules(t *rules.Table) ([]byte, error) {
	d := t.Data()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", rulesSheet); err != nil {
		return nil, fmt.Errorf("export rules: %w", err)
	}
	for _, s := range []string{ruleGroupsSheet, ruleHelpSheet} {
		if _, err := f.NewSheet(s); err != nil {
			return nil, fmt.Errorf("export rules: %w", err)
		}
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, fmt.Errorf("export rules: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("export rules: %w", err)
	}
	writeRow := func(sheet string, row int, values []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			return fmt.Errorf("export rules: %s row %d: %w", sheet, row, err)
		}
		return nil
	}

	header := make([]any, ruleColumns)
	for i, h := range ruleHeaders {
		header[i] = h
	}
	if err := writeRow(rulesSheet, 1, header); err != nil {
		return nil, err
	}
	for _, col := range []string{"A", "D"} {
		if err := f.SetColStyle(rulesSheet, col, text); err != nil {
			return nil, fmt.Errorf("export rules: %w", err)
		}
	}
	groupLabel := func(codes []string) string {
		labels := make([]string, len(codes))
		for i, c := range codes {
			labels[i] = c
			if g, ok := t.GroupByCode(c); ok {
				labels[i] = c + " " + g.Name
			}
		}
		return catalog.JoinAliases(labels)
	}
	for i, r := range d.RuleList {
		row := []any{
			r.Hazard, r.HazardName, r.ExamType.Name(), r.Edition, r.Section,
			groupLabel(r.Required), groupLabel(r.Optional), strings.Join(r.Conditional, "\n"),
			strings.Join(r.TargetDiseases, "\n"), strings.Join(r.Contraindications, "\n"),
			r.SymptomFocus, r.PhysicalExam, r.Interval, r.Status, r.Source, r.Notes,
			strings.Join(r.ItemNotes, "\n"), yesNo(r.RecommendedOnly), yesNo(r.CodeInferred), r.Factor,
		}
		if err := writeRow(rulesSheet, i+2, row); err != nil {
			return nil, err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(ruleColumns)
	_ = f.SetCellStyle(rulesSheet, "A1", lastCol+"1", bold)
	_ = f.SetColWidth(rulesSheet, "A", "A", 10)
	_ = f.SetColWidth(rulesSheet, "B", "B", 24)
	_ = f.SetColWidth(rulesSheet, "C", "E", 9)
	_ = f.SetColWidth(rulesSheet, "F", "H", 36)
	_ = f.SetColWidth(rulesSheet, "I", "M", 30)
	_ = f.SetColWidth(rulesSheet, "N", "N", 9)
	_ = f.SetColWidth(rulesSheet, "O", lastCol, 24)
	_ = f.SetPanes(rulesSheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"})

	gheader := make([]any, groupColumns)
	for i, h := range groupHeaders {
		gheader[i] = h
	}
	if err := writeRow(ruleGroupsSheet, 1, gheader); err != nil {
		return nil, err
	}
	for _, col := range []string{"A", "E"} {
		if err := f.SetColStyle(ruleGroupsSheet, col, text); err != nil {
			return nil, fmt.Errorf("export rules: %w", err)
		}
	}
	for i, g := range t.Groups() {
		row := []any{g.Code, g.Name, g.Department, g.Tube, strings.Join(g.Items, "、"), g.TubeStatus, g.ItemsStatus, g.Status, g.Notes}
		if err := writeRow(ruleGroupsSheet, i+2, row); err != nil {
			return nil, err
		}
	}
	glast, _ := excelize.ColumnNumberToName(groupColumns)
	_ = f.SetCellStyle(ruleGroupsSheet, "A1", glast+"1", bold)
	_ = f.SetColWidth(ruleGroupsSheet, "A", "A", 12)
	_ = f.SetColWidth(ruleGroupsSheet, "B", "B", 30)
	_ = f.SetColWidth(ruleGroupsSheet, "C", "D", 18)
	_ = f.SetColWidth(ruleGroupsSheet, "E", "E", 40)
	_ = f.SetColWidth(ruleGroupsSheet, "I", "I", 50)
	_ = f.SetPanes(ruleGroupsSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	for i, line := range ruleInstructions {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetCellStr(ruleHelpSheet, cell, line); err != nil {
			return nil, fmt.Errorf("export rules: %w", err)
		}
	}
	_ = f.SetColWidth(ruleHelpSheet, "A", "A", 120)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("export rules: %w", err)
	}
	return buf.Bytes(), nil
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// ImportRules reads a workbook written by ExportRules and edited in Excel. The 项目组合 sheet
// replaces the groups of current; a department it names that current lacks is added at the end
// of the guide-sheet order; current's aliases are kept for the groups that remain. The 规则
// sheet replaces every rule. Blank rows are skipped. Item groups in 必检项目 and 选检项目 are
// read by code ("G0101" or "G0101 血常规"), name or alias. It returns an EINVALID *app.Error
// naming the sheet, row and column of the first bad cell: a missing or moved header, an
// empty or malformed code, an unknown exam type, group or status, 是/否 cells with other
// values, or two rows for the same hazard, exam type and edition.
func (XLSXRuleExchange) ImportRules(xlsx []byte, current *rules.Table) (*rules.Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsx), excelize.Options{UnzipSizeLimit: maxRulesWorkbook, UnzipXMLSizeLimit: maxRulesWorkbook})
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "无法读取该文件：请选择由本程序导出的 .xlsx 工作簿（旧版 .xls 请在 Excel 中另存为 .xlsx）")
	}
	defer f.Close()
	for _, s := range []string{rulesSheet, ruleGroupsSheet} {
		if idx, err := f.GetSheetIndex(s); err != nil || idx < 0 {
			return nil, app.Errorf(app.EINVALID, "工作簿中没有工作表“%s”：请使用本程序导出的规则表文件", s)
		}
	}
	d := current.Data()
	groups, err := readGroupSheet(f)
	if err != nil {
		return nil, err
	}
	d.GroupList = groups
	known := map[string]bool{}
	for _, g := range groups {
		known[g.Code] = true
		if !slices.Contains(d.Departments, g.Department) {
			d.Departments = append(d.Departments, g.Department)
		}
	}
	var kept []rules.Alias
	for _, a := range d.Aliases {
		a.Groups = slices.DeleteFunc(a.Groups, func(c string) bool { return !known[c] })
		if len(a.Groups) > 0 {
			kept = append(kept, a)
		}
	}
	d.Aliases = kept
	// Resolve names and aliases against the imported groups and the kept aliases.
	lookup, err := rules.New(rules.Data{Departments: d.Departments, GroupList: d.GroupList, Aliases: d.Aliases})
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "工作表“%s”内容有误：%v", ruleGroupsSheet, err)
	}
	if d.RuleList, err = readRuleSheet(f, lookup); err != nil {
		return nil, err
	}
	t, err := rules.New(d)
	if err != nil {
		// Every rule of Validate is checked above with a cell position; this is a safety net.
		return nil, app.Errorf(app.EINVALID, "规则表内容有误：%v", err)
	}
	return t, nil
}

var (
	reGroupCode = regexp.MustCompile(`^G\d{4}$`)
	reItemCode  = regexp.MustCompile(`^\d{7}$`)
	reHazard    = regexp.MustCompile(`^(\d{4}|L\d+)$`)
)

// sheetRows streams the non-blank rows of a sheet after checking its header; fn gets the
// 1-based row number and a getter of trimmed cells by column.
func sheetRows(f *excelize.File, sheet string, headers []string, fn func(row int, get func(int) string) error) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return app.Errorf(app.EINVALID, "无法读取工作表“%s”：%v", sheet, err)
	}
	defer rows.Close()
	headerRead := false
	for rowNo := 1; rows.Next(); rowNo++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return app.Errorf(app.EINVALID, "无法读取工作表“%s”第 %d 行：%v", sheet, rowNo, err)
		}
		get := func(col int) string {
			if col < len(cells) {
				return strings.TrimSpace(cells[col])
			}
			return ""
		}
		if rowNo == 1 {
			for i, want := range headers {
				if got := get(i); got != want {
					return sheetCellError(sheet, headers, 1, i, "表头应为“%s”，现为“%s”：请不要修改或移动表头", want, got)
				}
			}
			headerRead = true
			continue
		}
		if !slices.ContainsFunc(cells, func(s string) bool { return strings.TrimSpace(s) != "" }) {
			continue
		}
		if err := fn(rowNo, get); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return app.Errorf(app.EINVALID, "无法读取工作表“%s”：%v", sheet, err)
	}
	if !headerRead {
		return sheetCellError(sheet, headers, 1, 0, "缺少表头")
	}
	return nil
}

func readGroupSheet(f *excelize.File) ([]rules.Group, error) {
	var out []rules.Group
	seen := map[string]int{}
	h := groupHeaders[:]
	err := sheetRows(f, ruleGroupsSheet, h, func(row int, get func(int) string) error {
		bad := func(col int, format string, args ...any) error {
			return sheetCellError(ruleGroupsSheet, h, row, col, format, args...)
		}
		g := rules.Group{Code: get(gcCode), Name: get(gcName), Department: get(gcDepartment), Tube: get(gcTube), Notes: get(gcNotes)}
		if !reGroupCode.MatchString(g.Code) {
			return bad(gcCode, "代码应为大写字母 G 加四位数字（如 G0101），现为“%s”", g.Code)
		}
		if first, dup := seen[g.Code]; dup {
			return bad(gcCode, "代码“%s”与第 %d 行重复", g.Code, first)
		}
		seen[g.Code] = row
		if g.Name == "" {
			return bad(gcName, "名称不能为空")
		}
		if g.Department == "" {
			return bad(gcDepartment, "科室不能为空")
		}
		for _, it := range splitList(get(gcItems), "、") {
			if !reItemCode.MatchString(it) {
				return bad(gcItems, "健康指标代码应为 7 位数字，现为“%s”", it)
			}
			g.Items = append(g.Items, it)
		}
		for _, c := range []struct {
			col int
			dst *string
		}{{gcTubeStatus, &g.TubeStatus}, {gcItemsStatus, &g.ItemsStatus}, {gcStatus, &g.Status}} {
			s, ok := parseStatus(get(c.col))
			if !ok {
				return bad(c.col, "应为 V、P、U 或留空，现为“%s”", get(c.col))
			}
			*c.dst = s
		}
		out = append(out, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, app.Errorf(app.EINVALID, "工作表“%s”没有项目组合", ruleGroupsSheet)
	}
	return out, nil
}

func readRuleSheet(f *excelize.File, groups *rules.Table) ([]rules.Rule, error) {
	var out []rules.Rule
	type key struct{ hazard, typ, edition string }
	seen := map[key]int{}
	h := ruleHeaders[:]
	err := sheetRows(f, rulesSheet, h, func(row int, get func(int) string) error {
		bad := func(col int, format string, args ...any) error {
			return sheetCellError(rulesSheet, h, row, col, format, args...)
		}
		r := rules.Rule{
			Hazard: get(rcHazard), HazardName: get(rcHazardName), Edition: get(rcEdition), Section: get(rcSection),
			Conditional: splitLines(get(rcConditional)), TargetDiseases: splitLines(get(rcTargets)),
			Contraindications: splitLines(get(rcContra)), SymptomFocus: get(rcSymptoms), PhysicalExam: get(rcPhysical),
			Interval: get(rcInterval), Source: get(rcSource), Notes: get(rcNotes), ItemNotes: splitLines(get(rcItemNotes)),
			Factor: get(rcFactor),
		}
		if !reHazard.MatchString(r.Hazard) {
			return bad(rcHazard, "危害因素代码应为 4 位国家代码或 L 开头的本地代码，现为“%s”", r.Hazard)
		}
		typ, ok := app.ParseExamType(get(rcType))
		if !ok {
			return bad(rcType, "体检类型应为上岗前、在岗期间、离岗时、应急或离岗后（或代码 01–05），现为“%s”", get(rcType))
		}
		r.ExamType = typ
		if len(r.Edition) != 4 || strings.Trim(r.Edition, "0123456789") != "" {
			return bad(rcEdition, "版本应为 GBZ 188 的年份（2014 或 2025），现为“%s”", r.Edition)
		}
		k := key{r.Hazard, string(typ), r.Edition}
		if first, dup := seen[k]; dup {
			return bad(rcHazard, "与第 %d 行是同一危害因素、体检类型和版本", first)
		}
		seen[k] = row
		var err error
		if r.Required, err = parseGroupList(groups, get(rcRequired)); err != nil {
			return bad(rcRequired, "%s", err.Error())
		}
		if r.Optional, err = parseGroupList(groups, get(rcOptional)); err != nil {
			return bad(rcOptional, "%s", err.Error())
		}
		status, ok := parseStatus(get(rcStatus))
		if !ok || status == "" {
			return bad(rcStatus, "应为 V、P 或 U，现为“%s”", get(rcStatus))
		}
		r.Status = status
		for _, c := range []struct {
			col int
			dst *bool
		}{{rcRecommended, &r.RecommendedOnly}, {rcInferred, &r.CodeInferred}} {
			switch v := get(c.col); v {
			case "是", "Y", "y", "1", "TRUE", "true":
				*c.dst = true
			case "否", "", "N", "n", "0", "FALSE", "false":
			default:
				return bad(c.col, "应填“是”或“否”，现为“%s”", v)
			}
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// parseGroupList reads a 、-separated list of groups: "G0101 血常规", "G0101" or a name or
// alias (which may stand for several groups). Duplicates are dropped.
func parseGroupList(groups *rules.Table, cell string) ([]string, error) {
	tokens, err := catalog.SplitAliases(cell)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, tok := range tokens {
		var codes []string
		if code, _, _ := strings.Cut(tok, " "); reGroupCode.MatchString(code) {
			if _, ok := groups.GroupByCode(code); !ok {
				return nil, fmt.Errorf("项目组合代码“%s”不在“%s”工作表中", code, ruleGroupsSheet)
			}
			codes = []string{code}
		} else if cs, _, ok := groups.Resolve(tok); ok {
			codes = cs
		} else {
			return nil, fmt.Errorf("未知的项目组合“%s”：请填写“%s”工作表中的代码或名称", tok, ruleGroupsSheet)
		}
		for _, c := range codes {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// splitLines splits a cell typed with Alt+Enter into its non-empty trimmed lines.
func splitLines(s string) []string {
	return splitList(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

func splitList(s, sep string) []string {
	var out []string
	for _, part := range strings.Split(s, sep) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// sheetCellError returns an EINVALID error naming the sheet, row (1-based) and column
// (0-based, with its header) of a cell.
func sheetCellError(sheet string, headers []string, row, col int, format string, args ...any) error {
	colName, _ := excelize.ColumnNumberToName(col + 1)
	title := ""
	if col < len(headers) {
		title = "（" + headers[col] + "）"
	}
	return &app.Error{
		Code:    app.EINVALID,
		Field:   fmt.Sprintf("工作表“%s”第 %d 行 %s 列%s", sheet, row, colName, title),
		Message: fmt.Sprintf(format, args...),
	}
}
