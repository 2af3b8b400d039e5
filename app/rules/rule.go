package rules

import (
	"fmt"
	"strings"

	"occhealth/app"
)

// Status marks, as in domain/GBZ188.md and package catalog.
const (
	StatusVerified   = "V" // the source quotes the standard's own text
	StatusPartial    = "P" // secondary or partial source
	StatusUnverified = "U" // no source found: shown as 待核实
)

// Rule is what GBZ 188 asks of one exam type for one national hazard code in one edition.
// Item lists hold group codes (Group.Code); texts that are not groups (the 2025 补充 checks
// with their conditions) stay text in Conditional.
type Rule struct {
	Hazard     string       // national hazard code, e.g. "1038"
	HazardName string       // its name in the hazards catalog
	ExamType   app.ExamType // national exam-type code 01–05
	Edition    string       // "2014" or "2025"
	Factor     string       // the factor as the standard names it, e.g. 矽尘(游离二氧化硅粉尘)
	Section    string       // e.g. "6.1.1"; "GBZ 98-2020" for ionising radiation

	Required    []string // 必检: group codes, the physical exam's groups included
	Optional    []string // 选检 (2014; in 2025 only 应急): group codes
	Conditional []string // 补充检查 (2025): condition and checks as text
	// ItemNotes qualify required or optional groups as the standard words them, e.g.
	// "血常规：含血嗜酸粒细胞计数" or "血铅或尿铅：可以尿铅代替血铅".
	ItemNotes []string

	TargetDiseases    []string
	Contraindications []string
	SymptomFocus      string
	PhysicalExam      string
	Interval          string

	Status string // V, P or U for the rule as a whole (GBZ188.md's cell-status rule)
	Source string
	Notes  string
	// RecommendedOnly marks a 推荐性 exam (GBZ188.md §0.3: the 2014 in-service exams of
	// 硫化氢, 光气, 一甲胺; 2014 离岗后 follow-up): never an overdue alarm.
	RecommendedOnly bool
	// CodeInferred says that putting this hazard code under Factor is our reading, not the
	// standard's (e.g. 石墨粉尘 under 其他致尘肺病的无机粉尘): the rule is 待核实 for this code.
	CodeInferred bool
}

// Unverified reports whether the rule needs checking before it is relied on: status U or a
// hazard code whose section is inferred.
func (r Rule) Unverified() bool { return r.Status == StatusUnverified || r.CodeInferred }

func (r Rule) key() ruleKey { return ruleKey{r.Hazard, r.ExamType, r.Edition} }

type ruleKey struct {
	hazard   string
	examType app.ExamType
	edition  string
}

// Group is an item group (项目组合): what a department does as one station, e.g. 血常规 at
// 检验科 with a purple EDTA tube. Packages (套餐) price groups; exams carry them as app.ExamItem.
type Group struct {
	Code       string // local code, "G" and four digits, e.g. "G0101"
	Name       string
	Department string // one of Data.Departments
	// Tube is the specimen container for labels ("" when none), e.g. "紫头管（EDTA-K2）";
	// TubeStatus marks how sure that convention is (hospitals differ).
	Tube       string
	TubeStatus string
	// Items are the national 健康指标 codes (7 digits, catalog "items") the group reports;
	// ItemsStatus marks the composition (U where the standard does not define it).
	Items       []string
	ItemsStatus string
	Status      string
	Notes       string
}

// Alias maps a text of the rule data (e.g. "血常规(含血嗜酸粒细胞计数)") to the groups it asks
// for; Note, when set, becomes one of the rule's ItemNotes.
type Alias struct {
	Text   string
	Groups []string
	Note   string
}

// Info describes one data file: its version, where it comes from, and what to know about it.
type Info struct {
	Version string
	Source  string
	Notes   string
}

// Data is the whole content of a table: what Load reads, Marshal writes, and an administrator
// edits. Departments list the departments in guide-sheet order; Groups are in their order
// within a department; Rules are sorted by hazard, edition and exam type.
type Data struct {
	Groups      Info
	Rules       Info
	Departments []string
	GroupList   []Group
	Aliases     []Alias
	RuleList    []Rule
}

// Validate checks the data: departments unique; group codes unique and well formed, names
// and departments present, item codes of 7 digits, known statuses; aliases and rules that
// name only known groups; rules with a national hazard code, a valid exam type, an edition, a
// known status, and no two rules for the same hazard, exam type and edition.
func (d *Data) Validate() error {
	depts := map[string]bool{}
	for _, dep := range d.Departments {
		if strings.TrimSpace(dep) == "" || depts[dep] {
			return fmt.Errorf("department %q empty or listed twice", dep)
		}
		depts[dep] = true
	}
	groups := map[string]bool{}
	for _, g := range d.GroupList {
		if !validGroupCode(g.Code) {
			return fmt.Errorf("group %q: code is not G and four digits", g.Code)
		}
		if groups[g.Code] {
			return fmt.Errorf("group %s listed twice", g.Code)
		}
		groups[g.Code] = true
		if strings.TrimSpace(g.Name) == "" {
			return fmt.Errorf("group %s has no name", g.Code)
		}
		if !depts[g.Department] {
			return fmt.Errorf("group %s: unknown department %q", g.Code, g.Department)
		}
		for _, s := range []string{g.Status, g.TubeStatus, g.ItemsStatus} {
			if !validStatus(s) {
				return fmt.Errorf("group %s: unknown status %q", g.Code, s)
			}
		}
		for _, it := range g.Items {
			if !allDigits(it, 7) {
				return fmt.Errorf("group %s: item code %q is not 7 digits", g.Code, it)
			}
		}
	}
	texts := map[string]bool{}
	for _, a := range d.Aliases {
		if strings.TrimSpace(a.Text) == "" || texts[a.Text] {
			return fmt.Errorf("alias %q empty or listed twice", a.Text)
		}
		texts[a.Text] = true
		for _, c := range a.Groups {
			if !groups[c] {
				return fmt.Errorf("alias %q: unknown group %s", a.Text, c)
			}
		}
	}
	seen := map[ruleKey]bool{}
	for _, r := range d.RuleList {
		name := fmt.Sprintf("rule %s/%s/%s", r.Hazard, r.ExamType, r.Edition)
		if !allDigits(r.Hazard, 4) && !isLocalCode(r.Hazard) {
			return fmt.Errorf("%s: hazard code is neither 4 digits nor a local L code", name)
		}
		if !r.ExamType.Valid() {
			return fmt.Errorf("%s: unknown exam type", name)
		}
		if strings.TrimSpace(r.Edition) == "" {
			return fmt.Errorf("%s: no edition", name)
		}
		if r.Status == "" || !validStatus(r.Status) {
			return fmt.Errorf("%s: unknown status %q", name, r.Status)
		}
		if seen[r.key()] {
			return fmt.Errorf("%s listed twice", name)
		}
		seen[r.key()] = true
		for _, list := range [][]string{r.Required, r.Optional} {
			dup := map[string]bool{}
			for _, c := range list {
				if !groups[c] {
					return fmt.Errorf("%s: unknown group %s", name, c)
				}
				if dup[c] {
					return fmt.Errorf("%s: group %s listed twice", name, c)
				}
				dup[c] = true
			}
		}
	}
	return nil
}

func validStatus(s string) bool {
	switch s {
	case "", StatusVerified, StatusPartial, StatusUnverified:
		return true
	}
	return false
}

func validGroupCode(c string) bool {
	return len(c) == 5 && c[0] == 'G' && allDigits(c[1:], 4)
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isLocalCode reports a local catalog code: "L" and digits (package catalog's LocalPrefix).
func isLocalCode(c string) bool {
	return len(c) > 1 && c[0] == 'L' && allDigits(c[1:], len(c)-1)
}
