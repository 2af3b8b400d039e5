package criteria

import (
	"fmt"
	"slices"
)

// Conclusion is one conclusion a chief examiner may give for a hazard, with its national
// code (体检结论代码表, 2021 exchange specification).
type Conclusion struct {
	Code   string // 01 目前未见异常, 02 复查, 03 疑似职业病, 04 职业禁忌证, 05 其他疾病或异常
	Name   string // exact wording
	Letter string // item letter of GBZ 188-2014 4.8.3 ("" when not known)
	Note   string // what the report must add (e.g. the disease name)
}

// Conclusion codes of the national table.
const (
	ConclusionNormal           = "01" // 目前未见异常
	ConclusionRecheck          = "02" // 复查
	ConclusionSuspected        = "03" // 疑似职业病
	ConclusionContraindication = "04" // 职业禁忌证
	ConclusionOther            = "05" // 其他疾病或异常
)

// ConclusionList is the conclusions of one GBZ 188 edition. In 2025 (status P) 复查 is no
// longer a conclusion: RecheckAsAction says a recheck is an order (items and a date)
// attached to the exam instead.
type ConclusionList struct {
	Edition         string
	Clause          string
	Status          string
	Source          string
	RecheckAsAction bool
	Items           []Conclusion
}

// Conclusions returns the conclusion list of an edition ("2014" or "2025").
func (s *Set) Conclusions(edition string) (ConclusionList, bool) {
	for _, l := range s.conclusions {
		if l.Edition == edition {
			l.Items = slices.Clone(l.Items)
			return l, true
		}
	}
	return ConclusionList{}, false
}

// ForKind returns the conclusion a criterion kind points to in this list: 职业禁忌证 and
// 疑似职业病 by their codes, 复查 only where it is a conclusion. Supplements and 2025 rechecks
// are actions, not conclusions, and return false.
func (l ConclusionList) ForKind(k Kind) (Conclusion, bool) {
	code := map[Kind]string{KindContraindication: ConclusionContraindication, KindSuspected: ConclusionSuspected, KindRecheck: ConclusionRecheck}[k]
	for _, c := range l.Items {
		if code != "" && c.Code == code {
			return c, true
		}
	}
	return Conclusion{}, false
}

func (l ConclusionList) validate() error {
	if l.Edition != "2014" && l.Edition != "2025" {
		return fmt.Errorf("conclusions: edition %q", l.Edition)
	}
	if len(l.Items) == 0 {
		return fmt.Errorf("conclusions %s: empty", l.Edition)
	}
	names := map[string]string{
		ConclusionNormal: "目前未见异常", ConclusionRecheck: "复查", ConclusionSuspected: "疑似职业病",
		ConclusionContraindication: "职业禁忌证", ConclusionOther: "其他疾病或异常",
	}
	seen := map[string]bool{}
	for _, c := range l.Items {
		if names[c.Code] != c.Name {
			return fmt.Errorf("conclusions %s: code %q named %q, want %q", l.Edition, c.Code, c.Name, names[c.Code])
		}
		if seen[c.Code] {
			return fmt.Errorf("conclusions %s: duplicate %s", l.Edition, c.Code)
		}
		seen[c.Code] = true
		if c.Code == ConclusionRecheck && l.RecheckAsAction {
			return fmt.Errorf("conclusions %s: 复查 listed although it is an action", l.Edition)
		}
	}
	return nil
}
