package cards

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed elements_*.tsv codes.tsv
var dataFS embed.FS

// Required says whether an element must carry a value.
type Required string

const (
	RequiredYes  Required = "是"
	RequiredNo   Required = "否"
	RequiredCond Required = "条件" // required when Cond holds
	// RequiredPlatform marks elements the specification calls required but whose values only
	// the platform can give (the audit block): the program writes what it knows (01 待上报) and
	// never a review it did not receive, so the validator does not require them.
	RequiredPlatform Required = "平台"
)

// Element is one row of a format's element table.
type Element struct {
	Name string
	// Min and Max are the cardinality (Max -1 for *).
	Min, Max int
	// Format is what the validator checks (e.g. AN..70, N9, D8, N..4[,] for a comma list);
	// SpecFormat is what the specification prints where the two differ (see Note).
	Format, SpecFormat string
	Required           Required
	// Cond is the condition of a RequiredCond element: NAME=v1|v2, NAME!=v, NAME~pred or
	// NAME!~pred, NAME being a sibling or an ancestor's child element.
	Cond string
	// Codes names the code table a value must come from: a table of codes.tsv, or
	// "catalog:NAME" for a catalog of the archive (checked when the export has a CodeLookup).
	Codes string
	Title string // the element's Chinese name
	// Status is V (as the specification prints it), P (the specification is inconsistent and
	// the row follows its sample) or U (semantics unverified).
	Status   string
	Note     string
	Parent   *Element
	Children []*Element
	index    map[string]int
	format   format
	// referenced: a condition names this element, so the encoder remembers its value.
	referenced bool
	// depth is the element's depth under the root (0); openTag is its start tag on a new
	// line indented for that depth, closeTag its end tag (what the encoder writes).
	depth    int
	openTag  string
	closeTag string
}

// Schema is one document type's element table.
type Schema struct {
	Name  string // e.g. national/HEALTH_EXAM_RECORD
	Title string
	Root  *Element
	Rows  []*Element // table order
}

// Path returns the element's path from the root, e.g. EventBody/…/CREDIT_CODE.
func (e *Element) Path() string {
	var parts []string
	for x := e; x != nil && x.Parent != nil; x = x.Parent {
		parts = append(parts, x.Name)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

func (e *Element) child(name string) (int, *Element) {
	if i, ok := e.index[name]; ok {
		return i, e.Children[i]
	}
	return -1, nil
}

// loadSchema parses an element table: tab-separated rows of element (depth by leading "|--"),
// cardinality, format, required, condition, code table, title, status, note; "#" starts a
// comment line. The first row is the root.
func loadSchema(file, title string) (*Schema, error) {
	b, err := dataFS.ReadFile(file)
	if err != nil {
		return nil, err
	}
	s := &Schema{Name: strings.TrimSuffix(strings.TrimPrefix(file, "elements_"), ".tsv"), Title: title}
	var stack []*Element
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		for len(f) < 9 {
			f = append(f, "")
		}
		depth := 0
		name := f[0]
		for strings.HasPrefix(name, "|--") {
			depth++
			name = name[3:]
		}
		e := &Element{Name: name, Format: f[2], Required: Required(f[3]), Cond: f[4], Codes: f[5], Title: f[6], Status: f[7], Note: f[8], index: map[string]int{}}
		if e.Required == "" {
			e.Required = RequiredNo
		}
		if i := strings.Index(e.Format, "/"); i >= 0 { // checked/printed
			e.Format, e.SpecFormat = e.Format[:i], e.Format[i+1:]
		}
		if e.Min, e.Max, err = parseCard(f[1]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		if e.format, err = parseFormat(e.Format); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		switch e.Required {
		case RequiredYes, RequiredNo, RequiredCond, RequiredPlatform:
		default:
			return nil, fmt.Errorf("%s:%d: required %q", file, line, e.Required)
		}
		if (e.Required == RequiredCond) != (e.Cond != "") {
			return nil, fmt.Errorf("%s:%d: condition %q with required %q", file, line, e.Cond, e.Required)
		}
		if e.Codes != "" && !strings.HasPrefix(e.Codes, "catalog:") && codeTables[e.Codes] == nil {
			return nil, fmt.Errorf("%s:%d: unknown code table %q", file, line, e.Codes)
		}
		if depth == 0 {
			if s.Root != nil {
				return nil, fmt.Errorf("%s:%d: second root", file, line)
			}
			s.Root = e
		} else {
			if depth > len(stack) {
				return nil, fmt.Errorf("%s:%d: depth %d under depth %d", file, line, depth, len(stack)-1)
			}
			p := stack[depth-1]
			if _, dup := p.index[name]; dup {
				return nil, fmt.Errorf("%s:%d: %s twice under %s", file, line, name, p.Name)
			}
			e.Parent = p
			p.index[name] = len(p.Children)
			p.Children = append(p.Children, e)
		}
		e.depth = depth
		e.openTag = "\n" + strings.Repeat("  ", depth) + "<" + name + ">"
		e.closeTag = "</" + name + ">"
		stack = append(stack[:depth], e)
		s.Rows = append(s.Rows, e)
	}
	if s.Root == nil {
		return nil, fmt.Errorf("%s: empty", file)
	}
	refs := map[string]bool{}
	for _, e := range s.Rows {
		if e.Cond != "" {
			name := e.Cond[:strings.IndexAny(e.Cond, "!=~")]
			refs[name] = true
		}
	}
	for _, e := range s.Rows {
		e.referenced = refs[e.Name]
	}
	return s, sc.Err()
}

func mustSchema(file, title string) *Schema {
	s, err := loadSchema(file, title)
	if err != nil {
		panic(err)
	}
	return s
}

func parseCard(s string) (int, int, error) {
	lo, hi, ok := strings.Cut(s, "..")
	if !ok {
		return 0, 0, fmt.Errorf("cardinality %q", s)
	}
	min, err := strconv.Atoi(lo)
	if err != nil {
		return 0, 0, fmt.Errorf("cardinality %q", s)
	}
	if hi == "*" {
		return min, -1, nil
	}
	max, err := strconv.Atoi(hi)
	if err != nil || max < min || max < 1 {
		return 0, 0, fmt.Errorf("cardinality %q", s)
	}
	return min, max, nil
}

// format is a parsed representation format.
type format struct {
	kind    string // "", A, AN, N, D8, DT14, DocumentId
	fixed   bool   // Nn / ANn: exactly n characters
	n       int
	list    bool // comma-separated list, each item of the format
	numeric bool // N..n: a number (digits, one decimal point, a leading minus)
}

func parseFormat(s string) (format, error) {
	var f format
	if s == "" || s == "-" {
		return f, nil
	}
	if strings.HasSuffix(s, "[,]") {
		f.list = true
		s = strings.TrimSuffix(s, "[,]")
	}
	switch s {
	case "D8", "DT14", "DocumentId":
		f.kind = s
		return f, nil
	}
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	f.kind = s[:i]
	if f.kind != "A" && f.kind != "AN" && f.kind != "N" {
		return f, fmt.Errorf("format %q", s)
	}
	rest := s[i:]
	if strings.HasPrefix(rest, "..") {
		rest = rest[2:]
		f.numeric = f.kind == "N"
	} else {
		f.fixed = true
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 {
		return f, fmt.Errorf("format %q", s)
	}
	f.n = n
	return f, nil
}

// check returns what is wrong with a non-empty value, in Chinese, or "".
func (f format) check(v string) string {
	if f.kind == "" {
		return ""
	}
	if f.list {
		for rest, more := v, true; more; {
			var item string
			item, rest, more = strings.Cut(rest, ",")
			if item == "" {
				return "列表中有空项"
			}
			g := f
			g.list = false
			if m := g.check(item); m != "" {
				return "“" + item + "”" + m
			}
		}
		return ""
	}
	switch f.kind {
	case "D8":
		if len(v) != 8 || !digits(v) || !validDate(v) {
			return "应为 8 位日期 yyyyMMdd"
		}
		return ""
	case "DT14":
		if len(v) != 14 || !digits(v) || !validDate(v[:8]) {
			return "应为 14 位时间 yyyyMMddHHmmss"
		}
		return ""
	case "DocumentId":
		// 机构编码-业务类别代码-yyyyMMddHHmmssSSS-5位随机码 (spec.txt 128)
		p := strings.Split(v, "-")
		if len(p) != 4 || p[0] == "" || p[1] == "" || len(p[2]) != 17 || !digits(p[2]) || len(p[3]) != 5 || !digits(p[3]) {
			return "应为“机构编码-业务类别代码-yyyyMMddHHmmssSSS-5位随机码”"
		}
		return ""
	}
	n := utf8.RuneCountInString(v)
	if f.fixed && n != f.n {
		return fmt.Sprintf("应为 %d 位（现为 %d 位）", f.n, n)
	}
	if !f.fixed && n > f.n {
		return fmt.Sprintf("最长 %d 个字符（现为 %d 个）", f.n, n)
	}
	if f.kind == "N" {
		if f.numeric && !number(v) {
			return "应为数字"
		}
		if !f.numeric && !digits(v) {
			return "应为数字"
		}
	}
	return ""
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func number(s string) bool {
	s = strings.TrimPrefix(s, "-")
	a, b, dot := strings.Cut(s, ".")
	return digits(a) && (!dot || digits(b))
}

func validDate(s string) bool {
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[4:6])
	d, _ := strconv.Atoi(s[6:8])
	if y < 1900 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		days = 29
	}
	return d <= days
}

// CodeTable is one small code table of a format (codes.tsv): code → name, with the status of
// its semantics.
type CodeTable struct {
	Name   string
	Title  string
	Source string
	Codes  []Code
	byCode map[string]*Code
}

// Code is one value of a code table.
type Code struct {
	Code, Name, Status, Note string
}

// Lookup returns the code's entry.
func (t *CodeTable) Lookup(code string) (Code, bool) {
	c, ok := t.byCode[code]
	if !ok {
		return Code{}, false
	}
	return *c, true
}

var codeTables = mustCodeTables()

// CodeTables returns the code tables of codes.tsv by name.
func CodeTables() map[string]*CodeTable { return codeTables }

// mustCodeTables parses codes.tsv: "@name<TAB>title<TAB>source" starts a table, then rows of
// code, name, status, note.
func mustCodeTables() map[string]*CodeTable {
	b, err := dataFS.ReadFile("codes.tsv")
	if err != nil {
		panic(err)
	}
	m := map[string]*CodeTable{}
	var cur *CodeTable
	for i, text := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		for len(f) < 4 {
			f = append(f, "")
		}
		if strings.HasPrefix(f[0], "@") {
			cur = &CodeTable{Name: f[0][1:], Title: f[1], Source: f[2], byCode: map[string]*Code{}}
			m[cur.Name] = cur
			continue
		}
		if cur == nil {
			panic(fmt.Sprintf("codes.tsv:%d: code outside a table", i+1))
		}
		cur.Codes = append(cur.Codes, Code{Code: f[0], Name: f[1], Status: f[2], Note: f[3]})
	}
	for _, t := range m {
		for i := range t.Codes {
			t.byCode[t.Codes[i].Code] = &t.Codes[i]
		}
	}
	return m
}
