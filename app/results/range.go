package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"

	"occhealth/app"
)

// Ranges is the reference-range table: one Range per item code.
type Ranges struct {
	Version string
	Source  string
	Notes   string
	list    []Range
	ix      map[string]int
}

// Lookup returns the range of an item code (not resolved for sex: see ForSex and Evaluate).
func (rs *Ranges) Lookup(item string) (Range, bool) {
	i, ok := rs.ix[item]
	if !ok {
		return Range{}, false
	}
	return cloneRange(rs.list[i]), true
}

// List returns every range in file order.
func (rs *Ranges) List() []Range {
	out := make([]Range, len(rs.list))
	for i, r := range rs.list {
		out[i] = cloneRange(r)
	}
	return out
}

// Judge looks up r's item, stores the range resolved for sex in r.Range, fills r.Kind and
// r.Unit when they are empty, and sets r.Flag by Evaluate. It returns false, with r.Range and
// r.Flag cleared, when the table has no range for the item: the doctor judges alone.
func (rs *Ranges) Judge(r *Result, sex app.Sex) bool {
	rng, ok := rs.Lookup(r.ItemCode)
	if !ok {
		r.Range, r.Flag = Range{}, FlagNone
		return false
	}
	if r.Kind == "" {
		r.Kind = rng.Kind
	}
	if r.Unit == "" {
		r.Unit = rng.Unit
	}
	r.Range = rng.ForSex(sex)
	r.Flag = Evaluate(r, rng, sex)
	return true
}

// Overlay returns a table in which the ranges of over (an administrator's corrections, or the
// ranges imported from the institution's LIS) replace those of rs item by item; items only rs
// has stay. Version, Source and Notes are over's. Neither table changes; a nil over gives a
// copy of rs.
func (rs *Ranges) Overlay(over *Ranges) *Ranges {
	if over == nil {
		over = &Ranges{Version: rs.Version, Source: rs.Source, Notes: rs.Notes}
	}
	out := &Ranges{Version: over.Version, Source: over.Source, Notes: over.Notes, ix: map[string]int{}}
	for _, r := range rs.list {
		if i, ok := over.ix[r.ItemCode]; ok {
			r = over.list[i]
		}
		out.ix[r.ItemCode] = len(out.list)
		out.list = append(out.list, cloneRange(r))
	}
	for _, r := range over.list {
		if _, ok := out.ix[r.ItemCode]; !ok {
			out.ix[r.ItemCode] = len(out.list)
			out.list = append(out.list, cloneRange(r))
		}
	}
	return out
}

// NewRanges builds a table from ranges (an administrator's edit, a LIS import) with the checks
// of DecodeRanges. A sex-specific range may leave Low and High nil: they become the union.
func NewRanges(version, source, notes string, list []Range) (*Ranges, error) {
	f := rangesFile{Name: rangesName, Version: version, Source: source, Notes: notes, Ranges: make([]fileRange, len(list))}
	for i, r := range list {
		f.Ranges[i] = toFileRange(r)
	}
	return f.toRanges()
}

// MarshalRanges encodes the table in the form of reference_ranges.json, which DecodeRanges
// reads back: UTF-8, 2-space indent, no HTML escaping, a final newline. Low and High of a
// sex-specific range are written as read (the union is implied).
func MarshalRanges(rs *Ranges) ([]byte, error) {
	f := rangesFile{Name: rangesName, Title: rangesTitle, Version: rs.Version, Source: rs.Source, Notes: rs.Notes,
		Ranges: make([]fileRange, len(rs.list))}
	for i, r := range rs.list {
		fr := toFileRange(r)
		if fr.Male != nil {
			fr.Low, fr.High = nil, nil
		}
		f.Ranges[i] = fr
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode reference ranges: %w", err)
	}
	return buf.Bytes(), nil
}

func toFileRange(r Range) fileRange {
	r = cloneRange(r)
	fr := fileRange{
		Item: r.ItemCode, Name: r.Name, Abbr: r.Abbr, Kind: r.Kind, Unit: r.Unit, Low: r.Low, High: r.High,
		Text: r.Text, Normal: r.Normal, NotDone: r.NotDone, Status: r.Status, Source: r.Source,
		CriticalLow: r.CriticalLow, CriticalHigh: r.CriticalHigh, CriticalStatus: r.CriticalStatus,
		CriticalSource: r.CriticalSource, Note: r.Note,
	}
	if r.Male != nil {
		fr.Male = &fileLimits{r.Male.Low, r.Male.High}
	}
	if r.Female != nil {
		fr.Female = &fileLimits{r.Female.Low, r.Female.High}
	}
	return fr
}

// LoadRanges reads reference_ranges.json from fsys, at its root or under rules/ (so both
// os.DirFS("assets/rules") and assets.Rules work), and checks it with DecodeRanges.
func LoadRanges(fsys fs.FS) (*Ranges, error) {
	b, err := fs.ReadFile(fsys, RangesFile)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = fs.ReadFile(fsys, "rules/"+RangesFile)
	}
	if err != nil {
		return nil, fmt.Errorf("read reference ranges: %w", err)
	}
	return DecodeRanges(b)
}

// The JSON form. The file has no "kind" (rules.Load passes over files without one) but a
// "name", like intake_warnings.json.
type rangesFile struct {
	Name    string      `json:"name"`
	Title   string      `json:"title"`
	Version string      `json:"version"`
	Source  string      `json:"source"`
	Notes   string      `json:"notes"`
	Ranges  []fileRange `json:"ranges"`
}

type fileLimits struct {
	Low  *float64 `json:"low,omitempty"`
	High *float64 `json:"high,omitempty"`
}

type fileRange struct {
	Item           string      `json:"item"`
	Name           string      `json:"name"`
	Abbr           string      `json:"abbr,omitempty"`
	Kind           Kind        `json:"kind"`
	Unit           string      `json:"unit,omitempty"`
	Low            *float64    `json:"low,omitempty"`
	High           *float64    `json:"high,omitempty"`
	Male           *fileLimits `json:"male,omitempty"`
	Female         *fileLimits `json:"female,omitempty"`
	Text           string      `json:"text,omitempty"`
	Normal         []string    `json:"normal,omitempty"`
	NotDone        []string    `json:"not_done,omitempty"`
	Status         string      `json:"status"`
	Source         string      `json:"source"`
	CriticalLow    *float64    `json:"critical_low,omitempty"`
	CriticalHigh   *float64    `json:"critical_high,omitempty"`
	CriticalStatus string      `json:"critical_status,omitempty"`
	CriticalSource string      `json:"critical_source,omitempty"`
	Note           string      `json:"note,omitempty"`
}

const (
	rangesName  = "reference_ranges"
	rangesTitle = "检查结果参考区间与危急值"
)

// DecodeRanges decodes and checks a reference-range file. Unknown fields are rejected, so a
// misspelt field in an edited file is reported, not dropped. Checked: name; item codes of 7
// digits (or local L codes) listed once; a kind; status V/P/U and a source for every range, and
// for critical limits when there are any; numeric ranges with a bound, Low ≤ High, both sexes
// or neither, and critical limits outside the normal range; text and code ranges with a
// normal value. For a sex-specific range without low/high, Low and High become the union.
func DecodeRanges(b []byte) (*Ranges, error) {
	var f rangesFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode reference ranges: %w", err)
	}
	if f.Name != rangesName {
		return nil, fmt.Errorf("decode reference ranges: name %q, want %q", f.Name, rangesName)
	}
	return f.toRanges()
}

func (f rangesFile) toRanges() (*Ranges, error) {
	rs := &Ranges{Version: f.Version, Source: f.Source, Notes: f.Notes, ix: map[string]int{}}
	for i, fr := range f.Ranges {
		r, err := fr.toRange()
		if err != nil {
			return nil, fmt.Errorf("reference ranges: entry %d (%s %s): %w", i, fr.Item, fr.Name, err)
		}
		if _, dup := rs.ix[r.ItemCode]; dup {
			return nil, fmt.Errorf("reference ranges: entry %d: item %s listed twice", i, r.ItemCode)
		}
		rs.ix[r.ItemCode] = len(rs.list)
		rs.list = append(rs.list, r)
	}
	return rs, nil
}

func (fr fileRange) toRange() (Range, error) {
	r := Range{
		ItemCode: fr.Item, Name: fr.Name, Abbr: fr.Abbr, Kind: fr.Kind, Unit: fr.Unit,
		Low: fr.Low, High: fr.High, Text: fr.Text, Normal: fr.Normal, NotDone: fr.NotDone,
		CriticalLow: fr.CriticalLow, CriticalHigh: fr.CriticalHigh,
		Status: fr.Status, Source: fr.Source, CriticalStatus: fr.CriticalStatus,
		CriticalSource: fr.CriticalSource, Note: fr.Note,
	}
	if fr.Male != nil {
		r.Male = &Limits{Low: fr.Male.Low, High: fr.Male.High}
	}
	if fr.Female != nil {
		r.Female = &Limits{Low: fr.Female.Low, High: fr.Female.High}
	}
	if !validItemCode(r.ItemCode) {
		return Range{}, fmt.Errorf("item code %q: want 7 digits or a local L code", r.ItemCode)
	}
	if strings.TrimSpace(r.Name) == "" || !r.Kind.Valid() {
		return Range{}, fmt.Errorf("no name or bad kind %q", r.Kind)
	}
	if !validStatus(r.Status) || strings.TrimSpace(r.Source) == "" {
		return Range{}, fmt.Errorf("range status %q (want V, P or U) or no source", r.Status)
	}
	critical := r.CriticalLow != nil || r.CriticalHigh != nil
	if critical && (!validStatus(r.CriticalStatus) || strings.TrimSpace(r.CriticalSource) == "") {
		return Range{}, fmt.Errorf("critical status %q (want V, P or U) or no critical source", r.CriticalStatus)
	}
	if !critical && (r.CriticalStatus != "" || r.CriticalSource != "") {
		return Range{}, fmt.Errorf("critical status or source without critical limits")
	}
	if r.Kind != KindNumeric {
		if r.Low != nil || r.High != nil || r.Male != nil || r.Female != nil || critical {
			return Range{}, fmt.Errorf("%s item with numeric bounds", r.Kind.Name())
		}
		if r.Text == "" && len(r.Normal) == 0 {
			return Range{}, fmt.Errorf("%s item without text or normal values", r.Kind.Name())
		}
		return r, nil
	}
	if len(r.Normal) > 0 || len(r.NotDone) > 0 {
		return Range{}, fmt.Errorf("numeric item with normal or not_done values")
	}
	if (r.Male == nil) != (r.Female == nil) {
		return Range{}, fmt.Errorf("sex-specific range for one sex only")
	}
	for _, l := range []*Limits{{Low: r.Low, High: r.High}, r.Male, r.Female} {
		if l == nil {
			continue
		}
		if l.Low != nil && l.High != nil && *l.Low > *l.High {
			return Range{}, fmt.Errorf("low %v above high %v", *l.Low, *l.High)
		}
	}
	if r.Male != nil {
		lo, hi := union(r.Male.Low, r.Female.Low, math.Min), union(r.Male.High, r.Female.High, math.Max)
		if r.Low == nil && r.High == nil {
			r.Low, r.High = lo, hi
		} else if !sameBound(r.Low, lo) || !sameBound(r.High, hi) {
			return Range{}, fmt.Errorf("low/high of a sex-specific range must be the union of male and female (%s)", bounds(lo, hi))
		}
		if (r.Male.Low == nil && r.Male.High == nil) || (r.Female.Low == nil && r.Female.High == nil) {
			return Range{}, fmt.Errorf("sex-specific range without bounds")
		}
	}
	if r.Low == nil && r.High == nil {
		return Range{}, fmt.Errorf("numeric item without low or high")
	}
	if r.CriticalLow != nil && (r.Low == nil || *r.CriticalLow > *r.Low) {
		return Range{}, fmt.Errorf("critical_low %v not at or below the low bound", *r.CriticalLow)
	}
	if r.CriticalHigh != nil && (r.High == nil || *r.CriticalHigh < *r.High) {
		return Range{}, fmt.Errorf("critical_high %v not at or above the high bound", *r.CriticalHigh)
	}
	if r.CriticalLow != nil && r.Male != nil && (r.Male.Low == nil || r.Female.Low == nil) {
		return Range{}, fmt.Errorf("critical_low on a sex-specific range needs both low bounds")
	}
	return r, nil
}

// union combines one bound of both sexes: nil (unbounded) on either side wins.
func union(a, b *float64, pick func(x, y float64) float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	v := pick(*a, *b)
	return &v
}

func sameBound(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func validStatus(s string) bool {
	return s == StatusVerified || s == StatusPartial || s == StatusUnverified
}

func validItemCode(c string) bool {
	if strings.HasPrefix(c, "L") && len(c) > 1 && c[1] >= '0' && c[1] <= '9' {
		return true
	}
	if len(c) != 7 {
		return false
	}
	for _, d := range c {
		if d < '0' || d > '9' {
			return false
		}
	}
	return true
}

func cloneRange(r Range) Range {
	r.Low, r.High = clonePtr(r.Low), clonePtr(r.High)
	r.CriticalLow, r.CriticalHigh = clonePtr(r.CriticalLow), clonePtr(r.CriticalHigh)
	if r.Male != nil {
		r.Male = &Limits{Low: clonePtr(r.Male.Low), High: clonePtr(r.Male.High)}
	}
	if r.Female != nil {
		r.Female = &Limits{Low: clonePtr(r.Female.Low), High: clonePtr(r.Female.High)}
	}
	r.Normal, r.NotDone = slices.Clone(r.Normal), slices.Clone(r.NotDone)
	return r
}

func clonePtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
