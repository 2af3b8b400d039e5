package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// TemplatesFile is the name of the physical-exam template file in assets/rules.
const TemplatesFile = "physical_templates.json"

// TemplateItem is one item a department records: its national 健康指标 code, its kind (and unit
// for a number), the normal description a physical exam starts from ("未见异常",
// "心界不大，各瓣膜听诊区未闻及病理性杂音"), and the phrases the doctor inserts by click. An item
// with Parts is recorded as those sub-items instead (血压 as 收缩压 and 舒张压).
type TemplateItem struct {
	Item    string
	Name    string
	Kind    Kind
	Unit    string
	Normal  string
	Phrases []string
	Parts   []string
}

// Template is the recording form of one department. For a laboratory or device department it
// lists only the items the reference-range table does not describe (their kind, unit and
// phrases); the ranges describe the others.
type Template struct {
	Department string
	// Physical marks a physical-exam department (内科, 外科, 五官, 皮肤, 神经): its form starts
	// with the normal descriptions. Other departments (心电图室 …) offer the phrases only.
	Physical bool
	Items    []TemplateItem
}

// Item returns the template of an item code.
func (t Template) Item(code string) (TemplateItem, bool) {
	i := slices.IndexFunc(t.Items, func(it TemplateItem) bool { return it.Item == code })
	if i < 0 {
		return TemplateItem{}, false
	}
	return cloneTemplateItem(t.Items[i]), true
}

// Templates is the template table: one Template per department.
type Templates struct {
	Version string
	Source  string
	Notes   string
	list    []Template
}

// ForDepartment returns the template of a department (as named in the rule table's groups).
func (ts *Templates) ForDepartment(dept string) (Template, bool) {
	if ts == nil {
		return Template{}, false
	}
	for _, t := range ts.list {
		if t.Department == dept {
			return cloneTemplate(t), true
		}
	}
	return Template{}, false
}

// Departments lists the departments with a template, in file order.
func (ts *Templates) Departments() []string {
	if ts == nil {
		return nil
	}
	out := make([]string, len(ts.list))
	for i, t := range ts.list {
		out[i] = t.Department
	}
	return out
}

// LoadTemplates reads physical_templates.json from fsys (at its root or under rules/).
func LoadTemplates(fsys fs.FS) (*Templates, error) {
	b, err := fs.ReadFile(fsys, TemplatesFile)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = fs.ReadFile(fsys, "rules/"+TemplatesFile)
	}
	if err != nil {
		return nil, fmt.Errorf("read physical templates: %w", err)
	}
	return DecodeTemplates(b)
}

type templatesFile struct {
	Name        string         `json:"name"`
	Title       string         `json:"title"`
	Version     string         `json:"version"`
	Source      string         `json:"source"`
	Notes       string         `json:"notes"`
	Departments []templateJSON `json:"departments"`
}

type templateJSON struct {
	Department string             `json:"department"`
	Physical   bool               `json:"physical,omitempty"`
	Items      []templateItemJSON `json:"items"`
}

type templateItemJSON struct {
	Item    string   `json:"item"`
	Name    string   `json:"name"`
	Kind    Kind     `json:"kind,omitempty"`
	Unit    string   `json:"unit,omitempty"`
	Normal  string   `json:"normal,omitempty"`
	Phrases []string `json:"phrases,omitempty"`
	Parts   []string `json:"parts,omitempty"`
}

const templatesName = "physical_templates"

// DecodeTemplates decodes and checks a template file. Unknown fields are rejected. Checked:
// the file's name; departments named once; item codes of 7 digits (or local L codes) listed once
// per department with a name; an item either has parts (each a numeric or text item of the same
// department, itself without parts) or a kind: numeric (unit optional, no normal text or
// phrases) or text (phrases without blanks or repeats; the normal text, when given, among
// them).
func DecodeTemplates(b []byte) (*Templates, error) {
	var f templatesFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode physical templates: %w", err)
	}
	if f.Name != templatesName {
		return nil, fmt.Errorf("physical templates: name %q, want %q", f.Name, templatesName)
	}
	ts := &Templates{Version: f.Version, Source: f.Source, Notes: f.Notes}
	depts := map[string]bool{}
	for _, d := range f.Departments {
		if strings.TrimSpace(d.Department) == "" || depts[d.Department] {
			return nil, fmt.Errorf("physical templates: department %q empty or listed twice", d.Department)
		}
		depts[d.Department] = true
		t := Template{Department: d.Department, Physical: d.Physical}
		byCode := map[string]templateItemJSON{}
		for _, it := range d.Items {
			if !validItemCode(it.Item) {
				return nil, fmt.Errorf("%s: item code %q is not 7 digits", d.Department, it.Item)
			}
			if _, dup := byCode[it.Item]; dup {
				return nil, fmt.Errorf("%s: item %s listed twice", d.Department, it.Item)
			}
			byCode[it.Item] = it
		}
		for _, it := range d.Items {
			if err := checkTemplateItem(it, byCode); err != nil {
				return nil, fmt.Errorf("%s: item %s: %w", d.Department, it.Item, err)
			}
			t.Items = append(t.Items, TemplateItem{Item: it.Item, Name: it.Name, Kind: it.Kind, Unit: it.Unit,
				Normal: it.Normal, Phrases: slices.Clone(it.Phrases), Parts: slices.Clone(it.Parts)})
		}
		ts.list = append(ts.list, t)
	}
	return ts, nil
}

func checkTemplateItem(it templateItemJSON, byCode map[string]templateItemJSON) error {
	if strings.TrimSpace(it.Name) == "" {
		return errors.New("no name")
	}
	if len(it.Parts) > 0 {
		if it.Kind != "" || it.Unit != "" || it.Normal != "" || len(it.Phrases) > 0 {
			return errors.New("an item with parts has no kind, unit, normal text or phrases of its own")
		}
		for _, p := range it.Parts {
			part, ok := byCode[p]
			if !ok {
				return fmt.Errorf("part %s is not an item of the department", p)
			}
			if len(part.Parts) > 0 {
				return fmt.Errorf("part %s has parts itself", p)
			}
		}
		return nil
	}
	switch it.Kind {
	case KindNumeric:
		// A unit is usual but not required: pH and ratios have none.
		if it.Normal != "" || len(it.Phrases) > 0 {
			return errors.New("a numeric item has no normal text or phrases")
		}
	case KindText:
		seen := map[string]bool{}
		for _, p := range it.Phrases {
			if strings.TrimSpace(p) == "" || seen[p] {
				return fmt.Errorf("phrase %q empty or listed twice", p)
			}
			seen[p] = true
		}
		if it.Normal != "" && !seen[it.Normal] {
			return fmt.Errorf("normal text %q is not among the phrases", it.Normal)
		}
	default:
		return fmt.Errorf("kind %q is neither numeric nor text", it.Kind)
	}
	return nil
}

func cloneTemplateItem(it TemplateItem) TemplateItem {
	it.Phrases, it.Parts = slices.Clone(it.Phrases), slices.Clone(it.Parts)
	return it
}

func cloneTemplate(t Template) Template {
	items := make([]TemplateItem, len(t.Items))
	for i, it := range t.Items {
		items[i] = cloneTemplateItem(it)
	}
	t.Items = items
	return t
}
