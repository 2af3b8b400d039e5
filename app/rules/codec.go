package rules

import (
	"bytes"
	"encoding/json"
	"fmt"

	"occhealth/app"
)

// File kinds: assets/rules holds one item_groups and one rules file; an administrator's
// override is one whole-table file.
const (
	kindGroups = "item_groups"
	kindRules  = "rules"
	kindTable  = "rule_table"
)

// The JSON forms; the exported types carry no tags.
type fileInfo struct {
	Kind    string `json:"kind"`
	Version string `json:"version"`
	Source  string `json:"source"`
	Notes   string `json:"notes,omitempty"`
}

type groupsFile struct {
	fileInfo
	Departments []string    `json:"departments"`
	Groups      []fileGroup `json:"groups"`
	Aliases     []fileAlias `json:"aliases"`
}

type rulesFile struct {
	fileInfo
	Rules []fileRule `json:"rules"`
}

type tableFile struct {
	Kind   string     `json:"kind"`
	Groups groupsFile `json:"item_groups"`
	Rules  rulesFile  `json:"rules"`
}

type fileGroup struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Department  string   `json:"department"`
	Tube        string   `json:"tube,omitempty"`
	TubeStatus  string   `json:"tube_status,omitempty"`
	Items       []string `json:"items,omitempty"`
	ItemsStatus string   `json:"items_status,omitempty"`
	Status      string   `json:"status,omitempty"`
	Notes       string   `json:"notes,omitempty"`
}

type fileAlias struct {
	Text   string   `json:"text"`
	Groups []string `json:"groups"`
	Note   string   `json:"note,omitempty"`
}

type fileRule struct {
	Hazard            string       `json:"hazard"`
	HazardName        string       `json:"hazard_name,omitempty"`
	ExamType          app.ExamType `json:"exam_type"`
	Edition           string       `json:"edition"`
	Factor            string       `json:"factor,omitempty"`
	Section           string       `json:"section,omitempty"`
	Required          []string     `json:"required"`
	Optional          []string     `json:"optional,omitempty"`
	Conditional       []string     `json:"conditional,omitempty"`
	ItemNotes         []string     `json:"item_notes,omitempty"`
	TargetDiseases    []string     `json:"target_diseases,omitempty"`
	Contraindications []string     `json:"contraindications,omitempty"`
	SymptomFocus      string       `json:"symptom_focus,omitempty"`
	PhysicalExam      string       `json:"physical_exam,omitempty"`
	Interval          string       `json:"interval,omitempty"`
	Status            string       `json:"status"`
	Source            string       `json:"source,omitempty"`
	Notes             string       `json:"notes,omitempty"`
	RecommendedOnly   bool         `json:"recommended_only,omitempty"`
	CodeInferred      bool         `json:"code_inferred,omitempty"`
}

func toGroupsFile(d Data) groupsFile {
	f := groupsFile{
		fileInfo:    fileInfo{Kind: kindGroups, Version: d.Groups.Version, Source: d.Groups.Source, Notes: d.Groups.Notes},
		Departments: nonNil(d.Departments),
		Groups:      make([]fileGroup, len(d.GroupList)),
		Aliases:     make([]fileAlias, len(d.Aliases)),
	}
	for i, g := range d.GroupList {
		f.Groups[i] = fileGroup(g)
	}
	for i, a := range d.Aliases {
		f.Aliases[i] = fileAlias{Text: a.Text, Groups: nonNil(a.Groups), Note: a.Note}
	}
	return f
}

func toRulesFile(d Data) rulesFile {
	f := rulesFile{
		fileInfo: fileInfo{Kind: kindRules, Version: d.Rules.Version, Source: d.Rules.Source, Notes: d.Rules.Notes},
		Rules:    make([]fileRule, len(d.RuleList)),
	}
	for i, r := range d.RuleList {
		fr := fileRule(r)
		fr.Required = nonNil(fr.Required)
		f.Rules[i] = fr
	}
	return f
}

func (f groupsFile) into(d *Data) {
	d.Groups = Info{Version: f.Version, Source: f.Source, Notes: f.Notes}
	d.Departments = f.Departments
	d.GroupList = make([]Group, len(f.Groups))
	for i, g := range f.Groups {
		d.GroupList[i] = Group(g)
	}
	d.Aliases = make([]Alias, len(f.Aliases))
	for i, a := range f.Aliases {
		d.Aliases[i] = Alias(a)
	}
}

func (f rulesFile) into(d *Data) {
	d.Rules = Info{Version: f.Version, Source: f.Source, Notes: f.Notes}
	d.RuleList = make([]Rule, len(f.Rules))
	for i, r := range f.Rules {
		d.RuleList[i] = Rule(r)
	}
}

// decodeFile decodes one asset file into d, by its kind, rejecting unknown fields.
func decodeFile(b []byte, d *Data) (string, error) {
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return "", fmt.Errorf("decode rule file: %w", err)
	}
	switch head.Kind {
	case kindGroups:
		var f groupsFile
		if err := strictDecode(b, &f); err != nil {
			return "", err
		}
		f.into(d)
	case kindRules:
		var f rulesFile
		if err := strictDecode(b, &f); err != nil {
			return "", err
		}
		f.into(d)
	case kindTable, "":
		// "": not a rule file (assets/rules also holds other data, e.g. intake_warnings.json).
	default:
		return "", fmt.Errorf("decode rule file: unknown kind %q", head.Kind)
	}
	return head.Kind, nil
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode rule file: %w", err)
	}
	return nil
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode rule table: %w", err)
	}
	return buf.Bytes(), nil
}

// Marshal encodes the whole table (item groups and rules) as one JSON document, the form the
// store keeps as an administrator's override: UTF-8, 2-space indent, no HTML escaping, a final
// newline; the same table always gives the same bytes.
func Marshal(t *Table) ([]byte, error) {
	return encode(tableFile{Kind: kindTable, Groups: toGroupsFile(t.d), Rules: toRulesFile(t.d)})
}

// Unmarshal decodes a document written by Marshal and validates it. Unknown fields are
// rejected, so that a misspelt field in an edited override is reported, not dropped.
func Unmarshal(b []byte) (*Table, error) {
	var f tableFile
	if err := strictDecode(b, &f); err != nil {
		return nil, err
	}
	if f.Kind != kindTable || f.Groups.Kind != kindGroups || f.Rules.Kind != kindRules {
		return nil, fmt.Errorf("decode rule table: kinds %q/%q/%q, want %q/%q/%q",
			f.Kind, f.Groups.Kind, f.Rules.Kind, kindTable, kindGroups, kindRules)
	}
	var d Data
	f.Groups.into(&d)
	f.Rules.into(&d)
	return New(d)
}

// MarshalFiles encodes the table as the two asset files of assets/rules: item_groups.json and
// gbz188.json (internal/rulegen writes them).
func MarshalFiles(t *Table) (groups, rules []byte, err error) {
	if groups, err = encode(toGroupsFile(t.d)); err != nil {
		return nil, nil, err
	}
	if rules, err = encode(toRulesFile(t.d)); err != nil {
		return nil, nil, err
	}
	return groups, rules, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
