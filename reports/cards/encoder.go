package cards

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"occhealth/app"
)

// Problem is one element of one card (or employer) that breaks the format's element table.
type Problem struct {
	// Card is the exam number of the card, or "" for an element outside any card.
	Card string
	// Subject says in Chinese whose element it is: 个案卡 26000123（张三）, 用人单位 某公司.
	Subject string
	Element string // path of the element, e.g. ENTERPRISE_INFO/CREDIT_CODE
	Title   string // the element's Chinese name
	Message string
}

func (p Problem) String() string {
	el := p.Element
	if p.Title != "" {
		el += "（" + p.Title + "）"
	}
	if p.Subject == "" {
		return el + "：" + p.Message
	}
	return p.Subject + "：" + el + "：" + p.Message
}

// frame is one open element while encoding.
type frame struct {
	el     *Element
	counts []int
	values []string // the last value of each leaf child
	last   int      // index of the last child written (order check)
}

// encoder writes one XML document and validates it against a schema as it goes: every
// element must be in the table, in its order and cardinality, every value in its format and
// code table, every required value present. Problems collect; nothing is refused half-way, so
// that one export names every problem of every card.
type encoder struct {
	buf      []byte
	schema   *Schema
	codes    app.CodeLookup
	stack    []frame
	problems []Problem
	card     string
	subject  string
	// recent holds the last value of every leaf since about(), for conditions that refer to
	// an element of a closed sibling block (bodyCheckType of cardInfo from hazardFactor).
	recent map[string]string
	// ints and strs are stacks the frames' counts and values are carved from (frames are
	// LIFO), so that an element costs no allocation.
	ints []int
	strs []string
}

func newEncoder(s *Schema, codes app.CodeLookup, buf []byte) *encoder {
	e := &encoder{recent: map[string]string{}}
	e.reset(s, codes, buf)
	return e
}

// reset starts a new document in e (whose problems and buffer the previous document keeps),
// reusing its stacks.
func (e *encoder) reset(s *Schema, codes app.CodeLookup, buf []byte) {
	e.schema, e.codes, e.buf = s, codes, buf[:0]
	e.stack, e.ints, e.strs = e.stack[:0], e.ints[:0], e.strs[:0]
	e.problems = nil
	e.about("", "")
	e.buf = append(e.buf, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"...)
}

// about sets whose elements follow (a card or an employer), for the problems' messages.
func (e *encoder) about(card, subject string) {
	e.card, e.subject = card, subject
	clear(e.recent)
}

func (e *encoder) problem(el *Element, path, format string, args ...any) {
	p := Problem{Card: e.card, Subject: e.subject, Message: fmt.Sprintf(format, args...)}
	if el != nil {
		p.Title = el.Title
		if path == "" {
			path = e.shortPath(el)
		}
	}
	p.Element = path
	e.problems = append(e.problems, p)
}

// shortPath names an element from the innermost record (or list) down, which is what a person
// needs: HEALTH_EXAM_RECORD/ENTERPRISE_INFO/CREDIT_CODE.
func (e *encoder) shortPath(el *Element) string {
	var parts []string
	for x := el; x != nil && x.Parent != nil; x = x.Parent {
		parts = append(parts, x.Name)
		if x.Max == -1 { // a repeated record: the subject names which one
			break
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

func (e *encoder) indent() {
	e.buf = append(e.buf, '\n')
	for range len(e.stack) {
		e.buf = append(e.buf, ' ', ' ')
	}
}

// enter finds name under the open element, counts it and checks order and cardinality.
func (e *encoder) enter(name string) *Element {
	if len(e.stack) == 0 {
		if name != e.schema.Root.Name {
			e.problem(nil, name, "不在元素表中（根元素应为 %s）", e.schema.Root.Name)
			return nil
		}
		return e.schema.Root
	}
	f := &e.stack[len(e.stack)-1]
	if f.el == nil {
		return nil
	}
	// Adapters write children in table order: try the expected ones before the index.
	var i int
	var el *Element
	if n := len(f.el.Children); f.last < n && f.el.Children[f.last].Name == name {
		i, el = f.last, f.el.Children[f.last]
	} else if f.last+1 < n && f.el.Children[f.last+1].Name == name {
		i, el = f.last+1, f.el.Children[f.last+1]
	} else {
		i, el = f.el.child(name)
	}
	if el == nil {
		e.problem(nil, f.el.Name+"/"+name, "不在元素表中")
		return nil
	}
	if i < f.last {
		e.problem(el, "", "顺序与元素表不符（应在 %s 之前）", f.el.Children[f.last].Name)
	}
	f.last = i
	f.counts[i]++
	if el.Max > 0 && f.counts[i] > el.Max {
		e.problem(el, "", "最多出现 %d 次", el.Max)
	}
	return el
}

// Open starts an element with children.
func (e *encoder) Open(name string, attrs ...string) {
	el := e.enter(name)
	if el != nil && len(attrs) == 0 && el.depth == len(e.stack) && el.depth > 0 {
		e.buf = append(e.buf, el.openTag...)
		e.push(el)
		return
	}
	if len(e.stack) > 0 {
		e.indent()
	}
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, name...)
	for i := 0; i+1 < len(attrs); i += 2 {
		e.buf = append(e.buf, ' ')
		e.buf = append(e.buf, attrs[i]...)
		e.buf = append(e.buf, `="`...)
		e.buf = appendEscaped(e.buf, attrs[i+1])
		e.buf = append(e.buf, '"')
	}
	e.buf = append(e.buf, '>')
	e.push(el)
}

// push opens el's frame (nil: an element not in the table).
func (e *encoder) push(el *Element) {
	f := frame{el: el}
	if el != nil {
		n, ni, ns := len(el.Children), len(e.ints), len(e.strs)
		e.ints = slices.Grow(e.ints, n)[:ni+n]
		e.strs = slices.Grow(e.strs, n)[:ns+n]
		f.counts, f.values = e.ints[ni:ni+n:ni+n], e.strs[ns:ns+n:ns+n]
		clear(f.counts)
		clear(f.values)
	}
	e.stack = append(e.stack, f)
}

// Close ends the open element: children missing or required values left empty are problems.
func (e *encoder) Close() {
	f := e.stack[len(e.stack)-1]
	if f.el != nil {
		for i, c := range f.el.Children {
			if f.counts[i] < c.Min {
				e.problem(c, "", "缺少此元素")
				continue
			}
			if len(c.Children) > 0 || f.counts[i] == 0 || f.values[i] != "" {
				continue
			}
			switch c.Required {
			case RequiredYes:
				e.problem(c, "", "不能为空")
			case RequiredCond:
				if holds, why := e.cond(c.Cond); holds {
					e.problem(c, "", "不能为空（%s）", why)
				}
			}
		}
	}
	e.stack = e.stack[:len(e.stack)-1]
	if f.el != nil {
		e.ints = e.ints[:len(e.ints)-len(f.counts)]
		e.strs = e.strs[:len(e.strs)-len(f.values)]
	}
	if f.el == nil || len(f.el.Children) > 0 {
		e.indent()
	}
	if f.el != nil {
		e.buf = append(e.buf, f.el.closeTag...)
	} else {
		e.buf = append(e.buf, "</UNKNOWN>"...)
	}
}

// Leaf writes an element with a value (empty for an absent value).
func (e *encoder) Leaf(name, value string) {
	el := e.enter(name)
	if el != nil && el.depth == len(e.stack) {
		e.buf = append(e.buf, el.openTag...)
		e.buf = appendEscaped(e.buf, value)
		e.buf = append(e.buf, el.closeTag...)
	} else {
		e.indent()
		e.buf = append(e.buf, '<')
		e.buf = append(e.buf, name...)
		e.buf = append(e.buf, '>')
		e.buf = appendEscaped(e.buf, value)
		e.buf = append(e.buf, "</"...)
		e.buf = append(e.buf, name...)
		e.buf = append(e.buf, '>')
	}
	if el == nil || len(e.stack) == 0 {
		return
	}
	f := &e.stack[len(e.stack)-1]
	f.values[f.last] = value
	if el.referenced {
		e.recent[name] = value
	}
	if value == "" {
		return
	}
	if m := el.format.check(value); m != "" {
		e.problem(el, "", "“%s”%s", clip(value), m)
	}
	if el.Codes != "" {
		e.checkCode(el, value)
	}
}

// End closes the root and returns the document.
func (e *encoder) End() []byte {
	for len(e.stack) > 0 {
		e.Close()
	}
	return append(e.buf, '\n')
}

func (e *encoder) checkCode(el *Element, value string) {
	// Codes never hold a comma: a comma-separated value is a list of codes (AN..150 hazards).
	for rest, more := value, true; more; {
		var v string
		v, rest, more = strings.Cut(rest, ",")
		if cat, ok := strings.CutPrefix(el.Codes, "catalog:"); ok {
			if e.codes == nil {
				continue
			}
			if !catalogHas(e.codes, cat, v) {
				e.problem(el, "", "代码“%s”不在%s中", clip(v), catalogTitle(cat))
			}
			continue
		}
		t := codeTables[el.Codes]
		if _, ok := t.byCode[v]; !ok {
			e.problem(el, "", "代码“%s”不在%s中", clip(v), t.Title)
		}
	}
}

func catalogHas(c app.CodeLookup, cat, v string) bool {
	switch cat {
	case app.CatalogAreas: // 9-digit codes: the county (first 6 digits) must be known
		if len(v) == 9 {
			v = v[:6]
		}
	case "diseases":
		_, a := c.CodeName(app.CatalogDiseases2024, v)
		_, b := c.CodeName(app.CatalogDiseases2013, v)
		return a || b
	}
	_, ok := c.CodeName(cat, v)
	return ok
}

func catalogTitle(cat string) string {
	switch cat {
	case app.CatalogHazards:
		return "职业病危害因素代码表"
	case app.CatalogItems:
		return "健康指标代码表"
	case app.CatalogJobs:
		return "工种代码表"
	case app.CatalogAreas:
		return "地区代码表"
	case app.CatalogIndustry:
		return "国民经济行业分类（GB/T 4754-2017）"
	case app.CatalogEconomicType:
		return "经济类型分类（GB/T 12402-2000）"
	case "diseases":
		return "职业病分类和目录"
	}
	return cat
}

// value finds the last value of a leaf element in the open elements, innermost first.
func (e *encoder) value(name string) (string, bool) {
	for i := len(e.stack) - 1; i >= 0; i-- {
		f := e.stack[i]
		if f.el == nil {
			continue
		}
		if j, ok := f.el.index[name]; ok {
			return f.values[j], true
		}
	}
	v, ok := e.recent[name]
	return v, ok
}

// cond evaluates a condition (NAME=v1|v2, NAME!=v, NAME~pred, NAME!~pred) and says why it
// holds, in Chinese.
func (e *encoder) cond(c string) (bool, string) {
	for _, op := range []string{"!~", "~", "!=", "="} {
		name, arg, ok := strings.Cut(c, op)
		if !ok {
			continue
		}
		v, _ := e.value(name)
		var holds bool
		var why string
		switch op {
		case "=", "!=":
			in := false
			for _, a := range strings.Split(arg, "|") {
				in = in || v == a
			}
			holds = in == (op == "=")
			why = fmt.Sprintf("%s 为“%s”时必填", name, v)
		default:
			p := predicates[arg]
			if p == nil {
				return false, ""
			}
			t, w := p(e, v)
			holds = t == (op == "~")
			why = w
		}
		return holds, why
	}
	return false, ""
}

// predicates are the named tests of conditions; each says in Chinese when the element is
// required.
var predicates = map[string]func(e *encoder, v string) (bool, string){
	// public_industry: 门类 S (公共管理、社会保障和社会组织) or T (国际组织), where economic type and
	// size are optional. Without a code lookup the industry counts as not public.
	"public_industry": func(e *encoder, v string) (bool, string) {
		return e.codes != nil && v != "" && app.EconomicTypeOptional(e.codes, v), "行业类别不属于公共管理、社会保障和社会组织或国际组织时必填"
	},
	"other_hazard": func(_ *encoder, v string) (bool, string) {
		for _, c := range strings.Split(v, ",") {
			if _, ok := codeTables["other_hazard"].byCode[c]; ok {
				return true, "危害因素选择“其他”时必填"
			}
		}
		return false, ""
	},
	"other_job": func(_ *encoder, v string) (bool, string) {
		_, ok := codeTables["other_job"].byCode[v]
		return ok, "工种选择“其他”时必填"
	},
}

func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// appendEscaped appends s with XML's five special characters escaped; characters XML 1.0
// cannot carry are left out (control characters other than tab and newline) or replaced by
// U+FFFD (bytes that are not UTF-8, U+FFFE, U+FFFF), so that a stray byte in a signed record
// never makes a document unreadable.
func appendEscaped(b []byte, s string) []byte {
	// Most values need no escaping: one pass over the bytes, then valid UTF-8 without the
	// two noncharacters goes out as it is.
	high := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if xmlSpecial[c] {
			return appendEscapedSlow(b, s)
		}
		high |= c
	}
	if high >= 0x80 && (!utf8.ValidString(s) || strings.Contains(s, "\uFFFE") || strings.Contains(s, "\uFFFF")) {
		return appendEscapedSlow(b, s)
	}
	return append(b, s...)
}

// xmlSpecial marks the bytes appendEscaped must replace or leave out.
var xmlSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n'
	}
	for _, c := range `<>&"'` {
		t[c] = true
	}
	return t
}()

func appendEscapedSlow(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		var rep string
		size := 1
		switch {
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '&':
			rep = "&amp;"
		case c == '"':
			rep = "&quot;"
		case c == '\'':
			rep = "&apos;"
		case c < 0x20 && c != '\t' && c != '\n':
			rep = ""
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if (r != utf8.RuneError || n > 1) && r != 0xFFFE && r != 0xFFFF {
				i += n
				continue
			}
			rep, size = "\uFFFD", n
		default:
			i++
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, rep...)
		i += size
		start = i
	}
	return append(b, s[start:]...)
}
