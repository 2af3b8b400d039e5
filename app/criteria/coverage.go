package criteria

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"occhealth/app"
)

// CoverageRow is one line of the coverage table: a criterion of one hazard and edition,
// whether a machine could check it and whether this package does.
type CoverageRow struct {
	Hazard      string
	HazardName  string
	Edition     string
	ExamTypes   []app.ExamType
	Criterion   string
	Kind        Kind
	Clause      string
	Status      string
	Text        string
	Checkable   bool // numeric: machine-checkable given its thresholds
	Implemented bool
	Note        string // why a checkable criterion is not implemented, or what it reads
}

// Coverage returns the coverage table of an edition ("" for both): one row per criterion and
// hazard, ordered by hazard code, then as in the data. A hazard without criteria in the
// edition gets one row with an empty Criterion and a note.
func (s *Set) Coverage(edition string) []CoverageRow {
	var rows []CoverageRow
	for _, c := range s.criteria {
		if edition != "" && c.Edition != edition {
			continue
		}
		for _, h := range c.Hazards {
			note := c.Notes
			if c.DriverClass != "" {
				note = strings.TrimPrefix(note+"；仅"+map[string]string{DriverLarge: "大型", DriverSmall: "小型"}[c.DriverClass]+"机动车驾驶员", "；")
			}
			rows = append(rows, CoverageRow{
				Hazard: h, HazardName: s.names[h], Edition: c.Edition, ExamTypes: slices.Clone(c.ExamTypes),
				Criterion: c.ID, Kind: c.Kind, Clause: c.Clause, Status: c.Status, Text: c.Text,
				Checkable: c.MachineCheckable(), Implemented: c.Implemented(), Note: note,
			})
		}
	}
	// A hazard the data name but without criteria in an edition still gets a row, so that the
	// table says so instead of leaving the hazard out.
	for _, ed := range []string{"2014", "2025"} {
		if edition != "" && ed != edition {
			continue
		}
		for _, h := range slices.Sorted(maps.Keys(s.names)) {
			if !slices.ContainsFunc(rows, func(r CoverageRow) bool { return r.Hazard == h && r.Edition == ed }) {
				rows = append(rows, CoverageRow{Hazard: h, HazardName: s.names[h], Edition: ed, Status: StatusUnverified,
					Note: "本版本未找到可引用的数值标准（研究资料未见原文）"})
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b CoverageRow) int {
		return cmp.Or(cmp.Compare(a.Hazard, b.Hazard), cmp.Compare(a.Edition, b.Edition))
	})
	return rows
}

// WriteCoverage writes rows as a Markdown table, with a count line per hazard and edition.
func WriteCoverage(w io.Writer, rows []CoverageRow) error {
	var b strings.Builder
	b.WriteString("| 危害因素 | 版本 | 体检类型 | 判定 | 条款 | 状态 | 标准内容 | 可机判 | 已实现 | 说明 |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	type key struct{ hazard, edition string }
	type count struct{ all, checkable, implemented int }
	counts := map[key]*count{}
	var order []key
	for _, r := range rows {
		types := make([]string, len(r.ExamTypes))
		for i, t := range r.ExamTypes {
			types[i] = t.Name()
		}
		checkable, implemented := yesNo(r.Checkable), yesNo(r.Implemented)
		if r.Criterion == "" {
			checkable, implemented = "—", "—"
		}
		fmt.Fprintf(&b, "| %s %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			r.Hazard, r.HazardName, r.Edition, strings.Join(types, "、"), r.Kind.Name(), cell(r.Clause),
			r.Status, cell(r.Text), checkable, implemented, cell(r.Note))
		k := key{r.Hazard, r.Edition}
		if counts[k] == nil {
			counts[k] = &count{}
			order = append(order, k)
		}
		c := counts[k]
		if r.Criterion == "" {
			continue
		}
		c.all++
		if r.Checkable {
			c.checkable++
		}
		if r.Implemented {
			c.implemented++
		}
	}
	b.WriteString("\n| 危害因素 | 版本 | 判定标准 | 可机判 | 已实现 |\n|---|---|---|---|---|\n")
	for _, k := range order {
		c := counts[k]
		name := ""
		for _, r := range rows {
			if r.Hazard == k.hazard {
				name = r.HazardName
				break
			}
		}
		fmt.Fprintf(&b, "| %s %s | %s | %d | %d | %d |\n", k.hazard, name, k.edition, c.all, c.checkable, c.implemented)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func yesNo(v bool) string {
	if v {
		return "是"
	}
	return "否"
}

// cell keeps a value inside one Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}
