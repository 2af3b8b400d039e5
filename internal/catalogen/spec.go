package main

import (
	"fmt"
	"log"
	"os"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// specSource names the national specification in every catalog taken from it.
const specSource = "中国疾病预防控制中心《职业病及健康危害因素监测信息系统数据交换文档规范》(2021版, 2021-05-14)"

// spec is the text of the specification, one string per line, form feeds removed.
type spec []string

func readSpec(path string) (spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\f", ""), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return spec(lines), nil
}

// find returns the index of the first line at or after from that matches re, skipping the
// table of contents (lines with dot leaders).
func (s spec) find(from int, re *regexp.Regexp) (int, error) {
	for i := from; i < len(s); i++ {
		if re.MatchString(s[i]) && !strings.Contains(s[i], "....") {
			return i, nil
		}
	}
	return 0, fmt.Errorf("spec: no line matching %q after line %d", re, from+1)
}

// Section markers and table titles ("13.健康指标代码表", "3. 职业病种类代码").
var (
	reAppendix1 = regexp.MustCompile(`附录\s*1：数据元值域代码表`)
	reAppendix2 = regexp.MustCompile(`附录\s*2：国标码、卫生标准码`)
	// reRepeatedHeader is a column header repeated at a page break (死亡原因代码: "ICD-10 死因").
	reRepeatedHeader = regexp.MustCompile(`^\s*ICD-10\s+死因\s*$`)
	reTitle          = regexp.MustCompile(`^\s*(\d{1,2})\s*\.\s*(\S.*代码(表)?)\s*$`)
)

// table is a titled code table of an appendix, as line ranges of the spec.
type table struct {
	num        int
	title      string
	start, end int // body lines [start, end)
}

// tables returns the numbered tables between the lines from and to, in order.
func (s spec) tables(from, to int) []table {
	var out []table
	for i := from; i < to; i++ {
		m := reTitle.FindStringSubmatch(s[i])
		if m == nil {
			continue
		}
		var n int
		fmt.Sscan(m[1], &n)
		if len(out) > 0 {
			out[len(out)-1].end = i
		}
		out = append(out, table{num: n, title: strings.Join(strings.Fields(m[2]), " "), start: i + 1, end: to})
	}
	return out
}

// appendixTables returns the tables of appendix 1 (value tables 1–15) and appendix 2 (1–4).
func (s spec) appendixTables() (a1, a2 map[int]table, err error) {
	i1, err := s.find(0, reAppendix1)
	if err != nil {
		return nil, nil, err
	}
	i2, err := s.find(i1, reAppendix2)
	if err != nil {
		return nil, nil, err
	}
	a1, a2 = map[int]table{}, map[int]table{}
	for _, t := range s.tables(i1+1, i2) {
		a1[t.num] = t
	}
	for _, t := range s.tables(i2+1, len(s)) {
		a2[t.num] = t
	}
	// Check the titles, so that a different text fails loudly instead of shifting tables.
	want1 := map[int]string{2: "胸片检查结果", 3: "审核状态", 4: "体检结论", 5: "合并症", 6: "转归",
		7: "浓度/强度类型", 8: "农药中毒原因类型", 9: "企业规模", 10: "体检类型", 11: "尘肺病病例类型",
		12: "农药中毒毒物名称", 13: "健康指标", 14: "职业病危害因素", 15: "工种"}
	for n, w := range want1 {
		if !strings.Contains(a1[n].title, w) {
			return nil, nil, fmt.Errorf("spec: appendix 1 table %d is %q, want %s…", n, a1[n].title, w)
		}
	}
	want2 := map[int]string{1: "性别", 2: "身份证件类型", 3: "职业病种类", 4: "死亡原因"}
	for n, w := range want2 {
		if !strings.Contains(a2[n].title, w) {
			return nil, nil, fmt.Errorf("spec: appendix 2 table %d is %q, want %s…", n, a2[n].title, w)
		}
	}
	return a1, a2, nil
}

// row is one code of a table, its name reassembled from wrapped lines.
type row struct {
	code   string
	name   string
	remark string
	indent int // leading spaces of the code line
	line   int // 1-based line of the code in spec.txt
}

// token is a line of a table body: a code line, or a text line without a code.
type token struct {
	row   *row
	text  string
	line  int
	taken bool
}

// rows parses the body of t. codeRe matches a whole code (anchored by rows); remarks lists
// the texts of the 备注 column that may follow a name (or stand alone when the name wrapped
// around the code line). A name that wrapped shows up as text lines without a code: around a
// code line with no name (prefix above, suffix below), or before/after a code line whose name
// is incomplete. Every join is logged.
func (s spec) rows(t table, codeRe string, remarks ...string) ([]row, error) {
	return s.rowsDup(t, false, codeRe, remarks...)
}

// rowsDup is rows, returning repeated codes instead of failing when dups is true.
func (s spec) rowsDup(t table, dups bool, codeRe string, remarks ...string) ([]row, error) {
	reLine := regexp.MustCompile(`^(\s*)(` + codeRe + `)(?:\s+(.*))?$`)
	var toks []*token
	for i := t.start; i < t.end; i++ {
		l := s[i]
		if strings.TrimSpace(l) == "" || strings.Contains(l, "值含义") || reRepeatedHeader.MatchString(l) {
			continue
		}
		if m := reLine.FindStringSubmatch(l); m != nil {
			r := &row{code: m[2], indent: len(m[1]), line: i + 1}
			fields := splitCells(m[3])
			for len(fields) > 0 && isRemark(fields[len(fields)-1], remarks) {
				r.remark = fields[len(fields)-1]
				fields = fields[:len(fields)-1]
			}
			if len(fields) > 1 {
				log.Printf("%s line %d: cells %q joined into one name", t.title, i+1, fields)
			}
			r.name = strings.Join(fields, " ")
			toks = append(toks, &token{row: r, line: i + 1})
			continue
		}
		toks = append(toks, &token{text: strings.Join(strings.Fields(l), " "), line: i + 1})
	}
	// A code line without a name: the name is the text just above plus the text just below.
	for i, tk := range toks {
		if tk.row == nil || tk.row.name != "" {
			continue
		}
		if i > 0 && toks[i-1].row == nil && !toks[i-1].taken {
			tk.row.name = toks[i-1].text
			toks[i-1].taken = true
		}
		if i+1 < len(toks) && toks[i+1].row == nil && !toks[i+1].taken {
			tk.row.name = joinName(tk.row.name, toks[i+1].text)
			toks[i+1].taken = true
		}
		log.Printf("%s line %d: code %s named from wrapped lines: %s", t.title, tk.line, tk.row.code, tk.row.name)
	}
	// Other text lines continue the neighbour whose brackets they close, or else the row above.
	for i, tk := range toks {
		if tk.row != nil || tk.taken {
			continue
		}
		var prev, next *row
		if i > 0 && toks[i-1].row != nil {
			prev = toks[i-1].row
		}
		if i+1 < len(toks) && toks[i+1].row != nil {
			next = toks[i+1].row
		}
		switch {
		case prev != nil && bracketBalance(prev.name) > 0:
			prev.name = joinName(prev.name, tk.text)
			log.Printf("%s line %d: %q continues code %s: %s", t.title, tk.line, tk.text, prev.code, prev.name)
		case next != nil && bracketBalance(next.name) < 0:
			next.name = joinName(tk.text, next.name)
			log.Printf("%s line %d: %q starts code %s: %s", t.title, tk.line, tk.text, next.code, next.name)
		case prev != nil:
			prev.name = joinName(prev.name, tk.text)
			log.Printf("%s line %d: %q continues code %s: %s", t.title, tk.line, tk.text, prev.code, prev.name)
		default:
			return nil, fmt.Errorf("%s line %d: text %q belongs to no code", t.title, tk.line, tk.text)
		}
		tk.taken = true
	}
	var out []row
	seen := map[string]int{}
	for _, tk := range toks {
		if tk.row == nil {
			continue
		}
		if tk.row.name == "" {
			return nil, fmt.Errorf("%s line %d: code %s has no name", t.title, tk.line, tk.row.code)
		}
		if l, dup := seen[tk.row.code]; dup && !dups {
			return nil, fmt.Errorf("%s: code %s on lines %d and %d", t.title, tk.row.code, l, tk.line)
		}
		seen[tk.row.code] = tk.line
		out = append(out, *tk.row)
	}
	return out, nil
}

// splitCells splits the rest of a code line into the cells of the table: pdftotext separates
// columns by two or more spaces, and words inside a cell by one.
func splitCells(s string) []string {
	var out []string
	for _, f := range regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(s), -1) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

func isRemark(s string, remarks []string) bool {
	for _, r := range remarks {
		if s == r {
			return true
		}
	}
	return false
}

// joinName joins the parts of a wrapped name: without a space, except between two Latin
// letters or digits.
func joinName(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if last < utf8.RuneSelf && first < utf8.RuneSelf && isAlnum(last) && isAlnum(first) {
		return a + " " + b
	}
	return a + b
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// bracketBalance is the number of opening minus closing brackets, full- or half-width.
func bracketBalance(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case '(', '（', '[', '【', '《':
			n++
		case ')', '）', ']', '】', '》':
			n--
		}
	}
	return n
}
