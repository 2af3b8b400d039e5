package app

import (
	"strconv"
	"strings"
)

// Status marks of a range or a critical limit, as in the catalogs and the rule table.
const (
	RangeVerified   = "V" // checked against the quoted source's own text
	RangePartial    = "P" // secondary or partial source
	RangeUnverified = "U" // from memory or a secondary list: shown as 待核实
)

// Limits are the bounds of one sex: nil means no bound on that side.
type Limits struct {
	Low, High *float64
}

// RefRange is the adult reference range of one item, and its critical limits (危急值), for the
// laboratory that set them. Numeric bounds are inclusive: Low ≤ v ≤ High is normal. Critical
// limits are strict: v < CriticalLow or v > CriticalHigh is critical, as labs write them
// ("WBC <1.5").
type RefRange struct {
	ItemCode string // national 7-digit 健康指标 code
	Name     string // the item's name in the catalog
	Abbr     string // the lab's abbreviation, e.g. WBC
	Kind     ResultKind
	Unit     string
	// Low and High bound both sexes. For a sex-specific item they are the union of Male and
	// Female (used when the sex is unknown: nothing normal for either sex is flagged); after
	// ForSex they are the bounds of that sex.
	Low, High *float64
	// Male and Female are the sex-specific bounds, nil when the item has one range.
	Male, Female *Limits
	// Sex is the sex ForSex resolved the range for, "" when it applies to both.
	Sex Sex
	// Text is the reference as printed for a text or code item ("阴性", "0 未见异常").
	Text string
	// Normal lists the text or code values judged normal; empty means just Text.
	Normal []string
	// NotDone lists code values that mean the item was not examined (胸片 3 未检查): no flag.
	NotDone []string

	CriticalLow, CriticalHigh *float64

	Status, Source                 string // of the reference range
	CriticalStatus, CriticalSource string // of the critical limits
	Note                           string
}

// Unverified reports whether the range or its critical limits still need checking (待核实).
func (r RefRange) Unverified() bool {
	return r.Status == RangeUnverified || r.CriticalStatus == RangeUnverified
}

// ForSex returns the range for a worker of sex: Low and High become that sex's bounds when the
// item is sex-specific, and Male and Female are dropped. For an unknown or unspecified sex the
// union stays.
func (r RefRange) ForSex(sex Sex) RefRange {
	var l *Limits
	switch sex {
	case SexMale:
		l = r.Male
	case SexFemale:
		l = r.Female
	}
	if r.Male != nil || r.Female != nil {
		if l != nil {
			r.Low, r.High, r.Sex = l.Low, l.High, sex
		}
		r.Male, r.Female = nil, nil
	}
	return r
}

// String returns the range as a report prints it: "3.5–9.5", "≤25", "≥60", "阴性"; for a
// sex-specific range not resolved by ForSex, "男 130–175；女 115–150".
func (r RefRange) String() string {
	if r.Kind == ResultNumeric {
		if r.Male != nil && r.Female != nil {
			return "男 " + FormatBounds(r.Male.Low, r.Male.High) + "；女 " + FormatBounds(r.Female.Low, r.Female.High)
		}
		return FormatBounds(r.Low, r.High)
	}
	if r.Text != "" {
		return r.Text
	}
	return strings.Join(r.Normal, "/")
}

func FormatBounds(lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return formatNum(*lo) + "–" + formatNum(*hi)
	case hi != nil:
		return "≤" + formatNum(*hi)
	case lo != nil:
		return "≥" + formatNum(*lo)
	}
	return ""
}

func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
