package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
)

// row is one factor × exam type × edition record of domain/gbz188-rules.json.
type row struct {
	Factor            string   `json:"factor"`
	Category          string   `json:"category"`
	Edition           string   `json:"edition"`
	ExamType          string   `json:"exam_type"`
	Section           string   `json:"section"`
	TargetDiseases    []string `json:"target_diseases"`
	Contraindications []string `json:"contraindications"`
	RequiredItems     []string `json:"required_items"`
	OptionalItems     []string `json:"optional_items"`
	Interval          string   `json:"interval"`
	Status            string   `json:"status"`
	Source            string   `json:"source"`
	SymptomFocus      string   `json:"symptom_focus"`
	PhysicalExam      string   `json:"physical_exam"`
	Notes             string   `json:"notes"`
}

func readRows(path string) ([]row, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read GBZ 188 rules: %w", err)
	}
	var rows []row
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rows); err != nil {
		return nil, fmt.Errorf("decode GBZ 188 rules: %w", err)
	}
	return rows, nil
}

// gbz98Factor is the rule data's ionising-radiation row: GBZ 98-2020 governs it whatever
// GBZ 188 edition is in force, so its rules are emitted for both editions.
const gbz98Factor = "电离辐射(放射工作人员, GBZ 98-2020)"

var editions = []string{"2014", "2025"}

// recommended marks 推荐性 exams (Rule.RecommendedOnly): GBZ188.md §0.3 (硫化氢 5.38 in-service,
// 2014, [V]) and REFERENCE.md §1.1 (离岗后 follow-up is 推荐性 in 2014, [P]). 一氧化碳's
// in-service exam is only "probably" 推荐性 and stays unmarked.
func recommended(r row, t app.ExamType) bool {
	if r.Edition == "2014" && t == app.ExamPostExposure {
		return true
	}
	return r.Edition == "2014" && r.Factor == "硫化氢" && t == app.ExamPeriodic
}

// itemMapper resolves the item texts of the rule data to groups.
type itemMapper struct {
	names   map[string]string // group name → code
	aliases map[string]rules.Alias
}

func newItemMapper() itemMapper {
	m := itemMapper{names: map[string]string{}, aliases: map[string]rules.Alias{}}
	for _, g := range groups {
		m.names[g.Name] = g.Code
	}
	for _, a := range aliases {
		m.aliases[a.Text] = a
	}
	return m
}

// resolve returns the groups a text asks for and the alias note; or, for a text that names
// no group, where it goes ("conditional" or "note"). It fails on a text it does not know.
func (m itemMapper) resolve(text string) (codes []string, note string, asText string, err error) {
	if strings.HasPrefix(text, "补充") {
		return nil, "", "conditional", nil
	}
	if dst := textOnly[text]; dst != "" {
		return nil, "", dst, nil
	}
	if c, ok := m.names[text]; ok {
		return []string{c}, "", "", nil
	}
	if a, ok := m.aliases[text]; ok {
		return a.Groups, a.Note, "", nil
	}
	return nil, "", "", fail("item text %q maps to no group: add an alias to groups.go", text)
}

// physicalGroups returns the groups named by a physical-exam text, by physicalKeywords, skipping
// clauses that apply only on a condition (conditionalClauses returns those).
func physicalGroups(text string) []string {
	var out []string
	for _, clause := range clauses(text) {
		if isConditionalClause(clause) {
			continue
		}
		for _, k := range physicalKeywords {
			if strings.Contains(clause, k.phrase) {
				out = appendNew(out, k.groups...)
			}
		}
	}
	return out
}

// conditionalClauses returns the clauses of a physical-exam text that apply only on a
// condition, as "体格检查：…" texts for Rule.Conditional.
func conditionalClauses(text string) []string {
	var out []string
	for _, clause := range clauses(text) {
		if isConditionalClause(clause) {
			out = append(out, "体格检查："+clause)
		}
	}
	return out
}

func clauses(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == '；' || r == ';' })
}

func isConditionalClause(clause string) bool {
	return strings.Contains(clause, "有病史或临床表现者")
}

func appendNew(list []string, codes ...string) []string {
	for _, c := range codes {
		if !slices.Contains(list, c) {
			list = append(list, c)
		}
	}
	return list
}

// build returns the table: the curated groups and aliases, and one rule per hazard code of
// each row.
func build(cats *catalog.Set, rows []row) (*rules.Table, error) {
	if err := checkGroupItems(cats); err != nil {
		return nil, err
	}
	secs, ok := cats.Catalog(catalog.GBZ188Sections)
	if !ok {
		return nil, fail("catalog %s missing", catalog.GBZ188Sections)
	}
	m := newItemMapper()
	d := rules.Data{
		Groups: rules.Info{
			Version: "2026-11",
			Source:  "internal/rulegen/groups.go (curated); member codes: 健康指标代码表, 数据交换文档规范 (2021); item texts: domain/gbz188-rules.json",
			Notes: "项目组合 (item groups) for the rule table, the guide sheet and tube labels. Code G + department number + sequence. " +
				"status: how sure the group's existence and name are; items_status: its 健康指标 composition (U where GBZ 188 names the check but not its indicators); " +
				"tube_status: the specimen-container convention (hospitals differ). aliases map every item text of the rule data to its groups; " +
				"texts starting with 补充 (2025 conditional checks) and history-taking texts stay text in the rules.",
		},
		Rules: rules.Info{
			Version: "2014+2025",
			Source:  "domain/gbz188-rules.json (research note GBZ188.md; not checked against the official PDFs); hazard code → factor per edition: assets/catalog/gbz188_sections.json",
			Notes: "One rule per (national hazard code, exam type 01–05, GBZ 188 edition). required: group codes of 必检项目 plus the groups the physical-exam text names; " +
				"optional: 选检项目 (2014; 2025 only 应急); conditional: 2025 补充检查项目 and other texts as written. status: the research row's V/P/U. " +
				"code_inferred: the hazard code's place in the section is our reading (待核实). recommended_only: 推荐性 (GBZ188.md §0.3; 2014 离岗后). " +
				"Ionising radiation follows GBZ 98-2020 and is listed under both editions.",
		},
		Departments: departments,
		GroupList:   groups,
		Aliases:     aliases,
	}
	type factorEdition struct{ factor, edition string }
	codesOf := map[factorEdition][]catalog.Entry{}
	for _, e := range secs.Entries {
		for _, ed := range editions {
			if f := e.Extra["factor_"+ed]; f != "" {
				k := factorEdition{f, ed}
				codesOf[k] = append(codesOf[k], e)
			}
		}
	}
	type built struct {
		rule    rules.Rule
		sameAs  app.ExamType // "同在岗期间": physical groups of that rule
		factorE factorEdition
	}
	var out []built
	for _, r := range rows {
		typ, ok := app.ParseExamType(r.ExamType)
		if !ok {
			return nil, fail("%s %s: unknown exam type %q", r.Factor, r.Edition, r.ExamType)
		}
		base := rules.Rule{
			ExamType: typ, Edition: r.Edition, Factor: r.Factor, Section: r.Section,
			TargetDiseases: r.TargetDiseases, Contraindications: r.Contraindications,
			SymptomFocus: r.SymptomFocus, PhysicalExam: r.PhysicalExam, Interval: r.Interval,
			Status: r.Status, Source: r.Source, Notes: r.Notes, RecommendedOnly: recommended(r, typ),
		}
		for _, list := range []struct {
			texts []string
			dst   *[]string
		}{{r.RequiredItems, &base.Required}, {r.OptionalItems, &base.Optional}} {
			for _, text := range list.texts {
				codes, note, asText, err := m.resolve(text)
				if err != nil {
					return nil, fmt.Errorf("%s %s %s: %w", r.Factor, r.Edition, r.ExamType, err)
				}
				switch asText {
				case "conditional":
					base.Conditional = append(base.Conditional, text)
					continue
				case "note":
					base.ItemNotes = appendNew(base.ItemNotes, text)
					continue
				}
				*list.dst = appendNew(*list.dst, codes...)
				if note != "" {
					base.ItemNotes = appendNew(base.ItemNotes, note)
				}
			}
		}
		base.Required = appendNew(base.Required, physicalGroups(r.PhysicalExam)...)
		base.Conditional = append(base.Conditional, conditionalClauses(r.PhysicalExam)...)
		// A group both required (e.g. by the physical exam) and optional is required.
		base.Optional = slices.DeleteFunc(base.Optional, func(c string) bool { return slices.Contains(base.Required, c) })
		var sameAs app.ExamType
		if strings.HasPrefix(r.PhysicalExam, "同在岗") {
			sameAs = app.ExamPeriodic
		}
		eds := []string{r.Edition}
		if r.Factor == gbz98Factor {
			eds = editions
		}
		for _, ed := range eds {
			mapEd := r.Edition // GBZ 98 rows are mapped under the edition they were filed in
			entries := codesOf[factorEdition{r.Factor, mapEd}]
			if len(entries) == 0 {
				return nil, fail("%s (%s): no national hazard code in %s", r.Factor, mapEd, catalog.GBZ188Sections)
			}
			for _, e := range entries {
				rr := base
				rr.Edition = ed
				rr.Hazard, rr.HazardName = e.Code, hazardName(cats, e)
				rr.CodeInferred = e.Extra["status_"+mapEd] == rules.StatusUnverified && r.Status != rules.StatusUnverified
				if ed != r.Edition {
					rr.Notes = strings.TrimSpace(rr.Notes + " (GBZ 98-2020 applies under GBZ 188-" + ed + " too)")
				}
				out = append(out, built{rule: rr, sameAs: sameAs, factorE: factorEdition{r.Factor, ed}})
			}
		}
	}
	// "同在岗期间" physical exams take the in-service rule's physical groups.
	index := map[string]int{}
	key := func(h string, t app.ExamType, ed string) string { return h + "/" + string(t) + "/" + ed }
	for i, b := range out {
		index[key(b.rule.Hazard, b.rule.ExamType, b.rule.Edition)] = i
	}
	for i, b := range out {
		if b.sameAs == "" {
			continue
		}
		j, ok := index[key(b.rule.Hazard, b.sameAs, b.rule.Edition)]
		if !ok {
			return nil, fail("%s %s: physical exam 同在岗期间 but no in-service rule", b.rule.Hazard, b.rule.Edition)
		}
		out[i].rule.Required = appendNew(out[i].rule.Required, physicalGroups(out[j].rule.PhysicalExam)...)
	}
	for _, b := range out {
		d.RuleList = append(d.RuleList, b.rule)
	}
	return rules.New(d)
}

// hazardName is the hazards catalog's name of a code (the sections catalog repeats it).
func hazardName(cats *catalog.Set, e catalog.Entry) string {
	if h, ok := cats.Lookup(catalog.Hazards, e.Code); ok {
		return h.Name
	}
	return e.Name
}

// checkGroupItems fails when a group names a 健康指标 code the items catalog lacks.
func checkGroupItems(cats *catalog.Set) error {
	for _, g := range groups {
		for _, c := range g.Items {
			if _, ok := cats.Lookup(catalog.Items, c); !ok {
				return fail("group %s %s: item code %s not in the items catalog", g.Code, g.Name, c)
			}
		}
	}
	return nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
