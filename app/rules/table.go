package rules

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"

	"occhealth/app"
)

// Table is a loaded, validated rule table with its indexes. A Table never changes after New;
// an administrator's edit builds a new one. It is safe for concurrent use.
type Table struct {
	d         Data
	groupIx   map[string]int // group code → index in d.GroupList
	ruleIx    map[ruleKey]int
	aliasIx   map[string]int // alias text → index in d.Aliases
	deptOrder map[string]int
	names     map[string]string // hazard code → name, from any rule
}

var _ app.ItemPlanner = (*Table)(nil)

// New validates d and returns a table over a copy of it. Rules are sorted by hazard, edition
// and exam type, so that the same data always marshals to the same bytes.
func New(d Data) (*Table, error) {
	d = cloneData(d)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	sort.SliceStable(d.RuleList, func(i, j int) bool {
		a, b := d.RuleList[i], d.RuleList[j]
		if a.Hazard != b.Hazard {
			return a.Hazard < b.Hazard
		}
		if a.Edition != b.Edition {
			return a.Edition < b.Edition
		}
		return a.ExamType < b.ExamType
	})
	t := &Table{
		d:         d,
		groupIx:   make(map[string]int, len(d.GroupList)),
		ruleIx:    make(map[ruleKey]int, len(d.RuleList)),
		aliasIx:   make(map[string]int, len(d.Aliases)),
		deptOrder: make(map[string]int, len(d.Departments)),
		names:     map[string]string{},
	}
	for i, dep := range d.Departments {
		t.deptOrder[dep] = i
	}
	for i, g := range d.GroupList {
		t.groupIx[g.Code] = i
	}
	for i, a := range d.Aliases {
		t.aliasIx[a.Text] = i
	}
	for i, r := range d.RuleList {
		t.ruleIx[r.key()] = i
		if r.HazardName != "" && t.names[r.Hazard] == "" {
			t.names[r.Hazard] = r.HazardName
		}
	}
	return t, nil
}

// Load reads the table from the *.json files at the root of fsys, or under rules/ when the root
// has none (so both os.DirFS("assets/rules") and assets.Rules work): exactly one file of kind
// "item_groups" and one of kind "rules"; files without a "kind" field are other data and are
// skipped. It fails on the first file that does not decode, or when the data do not validate.
func Load(fsys fs.FS) (*Table, error) {
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("list rule files: %w", err)
	}
	if len(files) == 0 {
		if files, err = fs.Glob(fsys, "rules/*.json"); err != nil {
			return nil, fmt.Errorf("list rule files: %w", err)
		}
	}
	var d Data
	var haveGroups, haveRules string
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read rule file: %w", err)
		}
		kind, err := decodeFile(b, &d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		switch kind {
		case kindGroups:
			if haveGroups != "" {
				return nil, fmt.Errorf("%s: item groups already read from %s", name, haveGroups)
			}
			haveGroups = name
		case kindRules:
			if haveRules != "" {
				return nil, fmt.Errorf("%s: rules already read from %s", name, haveRules)
			}
			haveRules = name
		case kindTable:
			return nil, fmt.Errorf("%s: a whole-table override is read with Unmarshal, not Load", name)
		}
	}
	if haveGroups == "" || haveRules == "" {
		return nil, fmt.Errorf("load rules: need one item_groups and one rules file, found %d files", len(files))
	}
	t, err := New(d)
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	return t, nil
}

// Data returns a copy of the table's content, for editing and export.
func (t *Table) Data() Data { return cloneData(t.d) }

// Rule returns the rule for a national hazard code, exam type and edition.
func (t *Table) Rule(hazard string, examType app.ExamType, edition string) (Rule, bool) {
	i, ok := t.ruleIx[ruleKey{hazard, examType, edition}]
	if !ok {
		return Rule{}, false
	}
	return cloneRule(t.d.RuleList[i]), true
}

// Rules returns every rule, sorted by hazard, edition and exam type.
func (t *Table) Rules() []Rule {
	out := make([]Rule, len(t.d.RuleList))
	for i, r := range t.d.RuleList {
		out[i] = cloneRule(r)
	}
	return out
}

// Groups returns every item group in guide-sheet order: by department, then by the order of
// the group list.
func (t *Table) Groups() []Group {
	out := make([]Group, len(t.d.GroupList))
	for i, g := range t.d.GroupList {
		g.Items = slices.Clone(g.Items)
		out[i] = g
	}
	sort.SliceStable(out, func(i, j int) bool {
		return t.deptOrder[out[i].Department] < t.deptOrder[out[j].Department]
	})
	return out
}

// GroupByCode returns the item group with code.
func (t *Table) GroupByCode(code string) (Group, bool) {
	i, ok := t.groupIx[code]
	if !ok {
		return Group{}, false
	}
	g := t.d.GroupList[i]
	g.Items = slices.Clone(g.Items)
	return g, true
}

// Group returns an item group by code as an exam item (app.ItemPlanner), with Source "manual"
// and Required false: the caller sets them for a package or a manual addition.
func (t *Table) Group(code string) (app.ExamItem, bool) {
	g, ok := t.GroupByCode(code)
	if !ok {
		return app.ExamItem{}, false
	}
	return app.ExamItem{GroupCode: g.Code, Name: g.Name, Department: g.Department, Source: "manual", Tube: g.Tube}, true
}

// Resolve returns the groups an item text of the rule data stands for — a group code, a group
// name, or an alias — and the alias's note. It returns false for an unknown text.
func (t *Table) Resolve(text string) (groups []string, note string, ok bool) {
	if _, ok := t.groupIx[text]; ok {
		return []string{text}, "", true
	}
	if i, ok := t.aliasIx[text]; ok {
		a := t.d.Aliases[i]
		return slices.Clone(a.Groups), a.Note, true
	}
	for _, g := range t.d.GroupList {
		if g.Name == text {
			return []string{g.Code}, "", true
		}
	}
	return nil, "", false
}

// Departments returns the departments in guide-sheet order.
func (t *Table) Departments() []string { return slices.Clone(t.d.Departments) }

// HazardName returns the name the rules give a hazard code ("" when no rule names it).
func (t *Table) HazardName(hazard string) string { return t.names[hazard] }

func cloneRule(r Rule) Rule {
	r.Required = clone(r.Required)
	r.Optional = clone(r.Optional)
	r.Conditional = clone(r.Conditional)
	r.ItemNotes = clone(r.ItemNotes)
	r.TargetDiseases = clone(r.TargetDiseases)
	r.Contraindications = clone(r.Contraindications)
	return r
}

// clone copies s, giving nil for an empty list so that decoded and built data compare equal.
func clone(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

func cloneData(d Data) Data {
	d.Departments = clone(d.Departments)
	d.GroupList = slices.Clone(d.GroupList)
	for i := range d.GroupList {
		d.GroupList[i].Items = clone(d.GroupList[i].Items)
	}
	d.Aliases = slices.Clone(d.Aliases)
	for i := range d.Aliases {
		d.Aliases[i].Groups = clone(d.Aliases[i].Groups)
	}
	d.RuleList = slices.Clone(d.RuleList)
	for i := range d.RuleList {
		d.RuleList[i] = cloneRule(d.RuleList[i])
	}
	return d
}

// Exchange converts a table to and from an .xlsx workbook an administrator edits in Excel
// (implemented in package reports; the UI and CLI see only this interface).
type Exchange interface {
	ExportRules(t *Table) ([]byte, error)
	// ImportRules reads a workbook written by ExportRules (and edited), taking what the
	// workbook does not hold (departments' order, aliases, file information) from current.
	// It returns an EINVALID *app.Error naming the sheet, row and column of the first bad cell.
	ImportRules(xlsx []byte, current *Table) (*Table, error)
}
