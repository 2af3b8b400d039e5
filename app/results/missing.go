package results

import (
	"slices"
	"strings"

	"occhealth/app"
	"occhealth/app/rules"
)

// GroupIndex finds an item group by code; *rules.Table is one.
type GroupIndex interface {
	GroupByCode(code string) (rules.Group, bool)
}

var _ GroupIndex = (*rules.Table)(nil)

// RequiredItems returns the items of an exam that the rule table requires (ExamItem.Required),
// in order: what Missing checks before signing.
func RequiredItems(items []app.ExamItem) []app.ExamItem {
	var out []app.ExamItem
	for _, it := range items {
		if it.Required {
			out = append(out, it)
		}
	}
	return out
}

// Missing lists, as "血常规（检验科）", the item groups of required that have neither a result
// nor 弃检: the groups that block signing. It checks every item it is given (pass
// RequiredItems(exam.Items), or all items where the institution asks for all).
//
// A group is settled by a done result with a value, or a refused result, whose GroupCode is the
// group's; a result without a GroupCode (e.g. an import keyed by item code) settles the groups
// of groups that list its ItemCode. A done result for one item settles the whole group: that
// every item of a group was done is not asked here. Names and departments come from the exam
// item, else from groups (which may be nil); a group listed twice is reported once.
func Missing(required []app.ExamItem, results []Result, groups GroupIndex) []string {
	settled := map[string]bool{}
	var loose []string // item codes of settling results without a group
	for _, r := range results {
		if !(r.Status == StatusRefused || (r.Status == StatusDone && strings.TrimSpace(r.Value) != "")) {
			continue
		}
		if r.GroupCode != "" {
			settled[r.GroupCode] = true
		} else if r.ItemCode != "" {
			loose = append(loose, r.ItemCode)
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, it := range required {
		if seen[it.GroupCode] || settled[it.GroupCode] {
			continue
		}
		seen[it.GroupCode] = true
		name, dept := it.Name, it.Department
		if groups != nil {
			if g, ok := groups.GroupByCode(it.GroupCode); ok {
				if slices.ContainsFunc(loose, func(item string) bool { return slices.Contains(g.Items, item) }) {
					continue
				}
				if name == "" {
					name = g.Name
				}
				if dept == "" {
					dept = g.Department
				}
			}
		}
		if name == "" {
			name = it.GroupCode
		}
		if dept != "" {
			name += "（" + dept + "）"
		}
		out = append(out, name)
	}
	return out
}

// MissingError returns the EINVALID error that refuses a signature while groups are missing
// ("签名前缺少：血常规（检验科）、纯音听阈测试（听力室）"), or nil when none are.
func MissingError(missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	return app.Errorf(app.EINVALID, "签名前缺少：%s", strings.Join(missing, "、"))
}
