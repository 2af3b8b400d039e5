package results

import (
	"math"
	"slices"
	"strings"

	"occhealth/app"
)

// Evaluate judges a result against rng for a worker of sex and returns the flag; it does not
// change r (the caller stores the flag and rng.ForSex(sex) in the result).
//
// Numeric results: a critical value first (v < CriticalLow or v > CriticalHigh), then low
// (v < Low) or high (v > High), normal within the inclusive bounds. A qualified value is
// judged only when every number it allows gets the same flag: "<0.1" with no lower bound is
// normal, "<5" against 3.5–9.5 is FlagNone (the doctor judges). Text and code results are
// normal when they are among rng.Normal (or equal rng.Text), FlagNone when among rng.NotDone,
// and abnormal otherwise. Results that are not done, empty, or unparsable get FlagNone, as does
// an item whose range has nothing to judge by.
func Evaluate(r *Result, rng Range, sex app.Sex) Flag {
	if r == nil || r.Status != StatusDone || strings.TrimSpace(r.Value) == "" {
		return FlagNone
	}
	kind := r.Kind
	if kind == "" {
		kind = rng.Kind
	}
	if kind != KindNumeric {
		return evaluateText(kind, r.Value, rng)
	}
	v, ok := interval(r.Value)
	if !ok {
		return FlagNone
	}
	if f := v.critical(rng); f != FlagNone {
		return f
	}
	rng = rng.ForSex(sex)
	switch {
	case rng.Low != nil && v.below(*rng.Low):
		return FlagLow
	case rng.High != nil && v.above(*rng.High):
		return FlagHigh
	case rng.Low == nil && rng.High == nil:
		return FlagNone
	case (rng.Low == nil || v.atLeast(*rng.Low)) && (rng.High == nil || v.atMost(*rng.High)):
		return FlagNormal
	}
	return FlagNone
}

// Critical reports whether a done numeric result is certainly beyond a critical limit of rng
// (危急值): it then needs the call-back the critical-value log records. Critical limits are
// the same for both sexes.
func Critical(r *Result, rng Range) bool {
	if r == nil || r.Status != StatusDone || (r.Kind != KindNumeric && !(r.Kind == "" && rng.Kind == KindNumeric)) {
		return false
	}
	v, ok := interval(r.Value)
	return ok && v.critical(rng) != FlagNone
}

func evaluateText(kind Kind, value string, rng Range) Flag {
	v := strings.TrimSpace(value)
	if kind == KindText {
		v = NormalizeText(v)
	} else {
		v = halfWidth(v)
	}
	if slices.Contains(rng.NotDone, v) {
		return FlagNone
	}
	normal := rng.Normal
	if len(normal) == 0 && rng.Text != "" {
		normal = []string{rng.Text}
	}
	if len(normal) == 0 {
		return FlagNone
	}
	for _, n := range normal {
		if kind == KindText {
			n = NormalizeText(n)
		}
		if n == v {
			return FlagNormal
		}
	}
	return FlagAbnormal
}

// span is the set of true values a (possibly qualified) result allows: lo..hi, each end open
// or closed, ±Inf when unbounded.
type span struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

func interval(value string) (span, bool) {
	q, _, n, err := parseQualified(value)
	if err != nil {
		return span{}, false
	}
	switch q {
	case QualLess:
		return span{lo: math.Inf(-1), hi: n, hiOpen: true}, true
	case QualLessEq:
		return span{lo: math.Inf(-1), hi: n}, true
	case QualGreater:
		return span{lo: n, hi: math.Inf(1), loOpen: true}, true
	case QualGreaterEq:
		return span{lo: n, hi: math.Inf(1)}, true
	}
	return span{lo: n, hi: n}, true
}

// below: every value is < limit.
func (s span) below(limit float64) bool { return s.hi < limit || (s.hi == limit && s.hiOpen) }

// above: every value is > limit.
func (s span) above(limit float64) bool { return s.lo > limit || (s.lo == limit && s.loOpen) }

// atLeast: every value is ≥ limit.
func (s span) atLeast(limit float64) bool { return s.lo >= limit }

// atMost: every value is ≤ limit.
func (s span) atMost(limit float64) bool { return s.hi <= limit }

func (s span) critical(rng Range) Flag {
	switch {
	case rng.CriticalLow != nil && s.below(*rng.CriticalLow):
		return FlagCriticalLow
	case rng.CriticalHigh != nil && s.above(*rng.CriticalHigh):
		return FlagCriticalHigh
	}
	return FlagNone
}
