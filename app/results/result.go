package results

import "occhealth/app"

// The result model lives in package app (services carry it); these names keep this package's
// vocabulary.
type (
	Kind      = app.ResultKind
	Status    = app.ResultStatus
	Flag      = app.ResultFlag
	Result    = app.Result
	Qualifier = app.Qualifier
	Range     = app.RefRange
	Limits    = app.Limits
)

const (
	KindNumeric = app.ResultNumeric
	KindText    = app.ResultText
	KindCode    = app.ResultCode

	StatusDone    = app.ResultDone
	StatusRefused = app.ResultRefused
	StatusMissing = app.ResultMissing

	FlagNone         = app.FlagNone
	FlagNormal       = app.FlagNormal
	FlagHigh         = app.FlagHigh
	FlagLow          = app.FlagLow
	FlagAbnormal     = app.FlagAbnormal
	FlagCriticalHigh = app.FlagCriticalHigh
	FlagCriticalLow  = app.FlagCriticalLow

	QualNone      = app.QualNone
	QualLess      = app.QualLess
	QualLessEq    = app.QualLessEq
	QualGreater   = app.QualGreater
	QualGreaterEq = app.QualGreaterEq

	StatusVerified   = app.RangeVerified
	StatusPartial    = app.RangePartial
	StatusUnverified = app.RangeUnverified
)

// RangesFile is the name of the reference-range file in assets/rules.
const RangesFile = "reference_ranges.json"

// ParseNumeric: see app.ParseNumeric.
func ParseNumeric(s string) (float64, error) { return app.ParseNumeric(s) }

// NormalizeText: see app.NormalizeText.
func NormalizeText(s string) string { return app.NormalizeText(s) }

func halfWidth(s string) string { return app.HalfWidth(s) }

func parseQualified(s string) (Qualifier, string, float64, error) { return app.ParseQualified(s) }

func bounds(lo, hi *float64) string { return app.FormatBounds(lo, hi) }
