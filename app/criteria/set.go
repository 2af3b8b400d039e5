package criteria

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"occhealth/app"
)

// Set is the loaded criteria data: the criteria, the conclusion lists per edition, the
// correction table and the GBZ 49 weighting. It is read-only after Load and safe for
// concurrent use.
type Set struct {
	criteria    []Criterion
	names       map[string]string
	conclusions []ConclusionList
	correction  Correction
	weighting   Weighting
	grades      []grade
	info        Info
	items       map[string]string // item code → Meas* name
	audioItems  map[string]audioItem
}

type audioItem struct {
	side Side
	bone bool
	hz   int
}

type grade struct {
	min  float64
	name string
}

// Info says where the data come from.
type Info struct {
	Version, Source, Notes string
	GradeStatus            string // V/P/U of the GBZ 49 grades
}

// File names in assets/rules.
const (
	CriteriaFile   = "criteria.json"
	CorrectionFile = "pta_correction.json"
)

// Load reads criteria.json and pta_correction.json from the root of fsys, or from rules/ when
// the root has neither (so both os.DirFS("assets/rules") and assets.Rules work), and checks
// them: unknown fields, unknown evaluators or measurements, missing thresholds and malformed
// correction tables are errors.
func Load(fsys fs.FS) (*Set, error) {
	dir := "."
	if _, err := fs.Stat(fsys, CriteriaFile); err != nil {
		dir = "rules"
	}
	cb, err := fs.ReadFile(fsys, path.Join(dir, CriteriaFile))
	if err != nil {
		return nil, fmt.Errorf("read criteria: %w", err)
	}
	pb, err := fs.ReadFile(fsys, path.Join(dir, CorrectionFile))
	if err != nil {
		return nil, fmt.Errorf("read correction table: %w", err)
	}
	return Parse(cb, pb)
}

// The JSON forms.
type criteriaFile struct {
	Name        string            `json:"name"`
	Title       string            `json:"title"`
	Version     string            `json:"version"`
	Source      string            `json:"source"`
	Notes       string            `json:"notes"`
	HazardNames map[string]string `json:"hazard_names"`
	// MeasureItems maps a Meas* name to its national 健康指标 code.
	MeasureItems map[string]string `json:"measure_items"`
	// AudiogramItems maps air_left/air_right/bone_left/bone_right → Hz → item code.
	AudiogramItems map[string]map[string]string `json:"audiogram_items"`
	Conclusions    []fileConclusions            `json:"conclusions"`
	Criteria       []fileCriterion              `json:"criteria"`
}

type fileConclusions struct {
	Edition         string `json:"edition"`
	Clause          string `json:"clause"`
	Status          string `json:"status"`
	Source          string `json:"source"`
	RecheckAsAction bool   `json:"recheck_as_action,omitempty"`
	Items           []struct {
		Code   string `json:"code"`
		Name   string `json:"name"`
		Letter string `json:"letter,omitempty"`
		Note   string `json:"note,omitempty"`
	} `json:"items"`
}

type fileCriterion struct {
	ID          string             `json:"id"`
	Hazards     []string           `json:"hazards"`
	ExamTypes   []app.ExamType     `json:"exam_types"`
	Edition     string             `json:"edition"`
	Kind        Kind               `json:"kind"`
	Clause      string             `json:"clause"`
	Status      string             `json:"status"`
	Text        string             `json:"text"`
	Evaluator   string             `json:"evaluator"`
	Params      map[string]float64 `json:"params,omitempty"`
	Checkable   bool               `json:"checkable,omitempty"`
	DriverClass string             `json:"driver_class,omitempty"`
	Confirm     string             `json:"confirm,omitempty"`
	Action      string             `json:"action,omitempty"`
	Source      string             `json:"source,omitempty"`
	Notes       string             `json:"notes,omitempty"`
}

type correctionFile struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Status      string `json:"status"`
	Source      string `json:"source"`
	Notes       string `json:"notes"`
	Frequencies []int  `json:"frequencies"`
	Bands       []struct {
		MinAge int       `json:"min_age"`
		Label  string    `json:"label"`
		Male   []float64 `json:"male"`
		Female []float64 `json:"female"`
	} `json:"bands"`
	Weighting struct {
		Speech float64 `json:"speech_weight"`
		High   float64 `json:"high_weight"`
		Status string  `json:"status"`
		Source string  `json:"source"`
	} `json:"weighting"`
	Grades struct {
		Status string `json:"status"`
		Source string `json:"source"`
		Bands  []struct {
			Min  float64 `json:"min"`
			Name string  `json:"name"`
		} `json:"bands"`
	} `json:"grades"`
}

func strict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Parse decodes and checks the two files' contents (see Load).
func Parse(criteriaJSON, correctionJSON []byte) (*Set, error) {
	var cf criteriaFile
	if err := strict(criteriaJSON, &cf); err != nil {
		return nil, fmt.Errorf("decode %s: %w", CriteriaFile, err)
	}
	if cf.Name != "criteria" {
		return nil, fmt.Errorf("decode %s: name %q, want \"criteria\"", CriteriaFile, cf.Name)
	}
	var pf correctionFile
	if err := strict(correctionJSON, &pf); err != nil {
		return nil, fmt.Errorf("decode %s: %w", CorrectionFile, err)
	}
	if pf.Name != "pta_correction" {
		return nil, fmt.Errorf("decode %s: name %q, want \"pta_correction\"", CorrectionFile, pf.Name)
	}
	s := &Set{
		names: cf.HazardNames,
		info:  Info{Version: cf.Version, Source: cf.Source, Notes: cf.Notes, GradeStatus: pf.Grades.Status},
		correction: Correction{
			Frequencies: pf.Frequencies, Status: pf.Status, Source: pf.Source,
		},
		weighting: Weighting{Speech: pf.Weighting.Speech, High: pf.Weighting.High, Status: pf.Weighting.Status, Source: pf.Weighting.Source},
	}
	if err := s.indexItems(cf.MeasureItems, cf.AudiogramItems); err != nil {
		return nil, fmt.Errorf("%s: %w", CriteriaFile, err)
	}
	for _, b := range pf.Bands {
		s.correction.Bands = append(s.correction.Bands, AgeBand(b))
	}
	if err := s.correction.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", CorrectionFile, err)
	}
	if s.weighting.Speech <= 0 || s.weighting.High < 0 || s.weighting.Speech+s.weighting.High > 1.0001 {
		return nil, fmt.Errorf("%s: weighting %v/%v", CorrectionFile, s.weighting.Speech, s.weighting.High)
	}
	for i, g := range pf.Grades.Bands {
		if i > 0 && g.Min <= pf.Grades.Bands[i-1].Min {
			return nil, fmt.Errorf("%s: grades not ascending at %q", CorrectionFile, g.Name)
		}
		s.grades = append(s.grades, grade{g.Min, g.Name})
	}
	seen := map[string]bool{}
	for _, fc := range cf.Criteria {
		c := Criterion(fc)
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", CriteriaFile, err)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("%s: duplicate criterion %s", CriteriaFile, c.ID)
		}
		seen[c.ID] = true
		s.criteria = append(s.criteria, c)
	}
	for _, fl := range cf.Conclusions {
		l := ConclusionList{Edition: fl.Edition, Clause: fl.Clause, Status: fl.Status, Source: fl.Source, RecheckAsAction: fl.RecheckAsAction}
		for _, it := range fl.Items {
			l.Items = append(l.Items, Conclusion(it))
		}
		if err := l.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", CriteriaFile, err)
		}
		s.conclusions = append(s.conclusions, l)
	}
	return s, nil
}

// Info returns where the data come from.
func (s *Set) Info() Info { return s.info }

// Criteria returns the criteria of hazard, examType and edition, implemented or not, in the
// order of the data.
func (s *Set) Criteria(hazard string, examType app.ExamType, edition string) []Criterion {
	var out []Criterion
	for _, c := range s.criteria {
		if c.AppliesTo(hazard, examType, edition) {
			out = append(out, cloneCriterion(c))
		}
	}
	return out
}

// All returns every criterion, in the order of the data.
func (s *Set) All() []Criterion {
	out := make([]Criterion, len(s.criteria))
	for i, c := range s.criteria {
		out[i] = cloneCriterion(c)
	}
	return out
}

func cloneCriterion(c Criterion) Criterion {
	c.Hazards = slices.Clone(c.Hazards)
	c.ExamTypes = slices.Clone(c.ExamTypes)
	if c.Params != nil {
		p := make(map[string]float64, len(c.Params))
		for k, v := range c.Params {
			p[k] = v
		}
		c.Params = p
	}
	return c
}

// HazardName returns the name the data give a hazard code ("" if none).
func (s *Set) HazardName(code string) string { return s.names[code] }

// Correction returns the age/sex correction table (Status "U": unverified).
func (s *Set) Correction() Correction {
	c := s.correction
	c.Frequencies = slices.Clone(c.Frequencies)
	c.Bands = slices.Clone(c.Bands)
	return c
}

// Weighting returns the GBZ 49 weighting of speech frequencies and 4000 Hz.
func (s *Set) Weighting() Weighting { return s.weighting }

// Grade returns the GBZ 49 grade (轻度/中度/重度噪声聋) of a better-ear weighted value, and
// false below the first grade. Info().GradeStatus carries the grades' V/P/U.
func (s *Set) Grade(weighted float64) (string, bool) {
	name := ""
	for _, g := range s.grades {
		if weighted >= g.min {
			name = g.name
		}
	}
	return name, name != ""
}
