// Package cardcheck is the pre-flight check of a case card (职业健康检查个案卡) before it leaves
// the institution: required fields and formats as the national exchange specification (2021)
// gives them for what the card carries, code validity through the catalogs, and logic (dates in
// order, exposure plausible for the age, a minor worker, a suspected disease belonging to its
// hazard, a recheck carrying the earlier card). It is pure: Check reads a CardData and writes
// nothing. Thresholds are data (assets/rules/card_checks.json, read by Load).
package cardcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"occhealth/app"
)

// Threshold is one number of the checks with its level, status (V, P or U) and source.
type Threshold struct {
	Value  int
	Level  string // app.LevelWarning or app.LevelError
	Status string
	Source string
}

// HazardDiseases says which diseases (codes or category codes of 职业病分类和目录) a hazard
// (code or category code) may cause.
type HazardDiseases struct {
	Hazard   string
	Diseases []string
	Status   string
	Note     string
}

// Thresholds are the data of the logic checks.
type Thresholds struct {
	Version string
	// MinWorkingAge: a worker younger at the start of exposure or at the exam (劳动法 §15).
	MinWorkingAge Threshold
	// MinorAge: a worker younger at the exam is a minor (职业病防治法 §38).
	MinorAge Threshold
	// MaxExposureYears: longer exposure is implausible.
	MaxExposureYears Threshold
	// MaxExamToReleaseDays: days from the exam to the release of its report.
	MaxExamToReleaseDays Threshold
	// DiseaseEditionFrom: exams on or after this day use the 2024 disease catalog.
	DiseaseEditionFrom time.Time
	// SuspectedLevel is the level of a suspected disease outside its hazard's diseases.
	SuspectedLevel string
	HazardDiseases []HazardDiseases
}

type thresholdFile struct {
	Value  int    `json:"value"`
	Level  string `json:"level"`
	Status string `json:"status"`
	Source string `json:"source"`
}

type file struct {
	Name                 string        `json:"name"`
	Title                string        `json:"title"`
	Version              string        `json:"version"`
	Notes                string        `json:"notes"`
	MinWorkingAge        thresholdFile `json:"min_working_age"`
	MinorAge             thresholdFile `json:"minor_age"`
	MaxExposureYears     thresholdFile `json:"max_exposure_years"`
	MaxExamToReleaseDays thresholdFile `json:"max_exam_to_release_days"`
	DiseaseEditionFrom   struct {
		Value  string `json:"value"`
		Status string `json:"status"`
		Source string `json:"source"`
	} `json:"disease_edition_from"`
	SuspectedDisease struct {
		Level  string `json:"level"`
		Status string `json:"status"`
		Source string `json:"source"`
	} `json:"suspected_disease"`
	HazardDiseases []struct {
		Hazard   string   `json:"hazard"`
		Diseases []string `json:"diseases"`
		Status   string   `json:"status"`
		Note     string   `json:"note"`
	} `json:"hazard_diseases"`
}

func validStatus(s string) bool { return s == "V" || s == "P" || s == "U" }

func validLevel(s string) bool { return s == app.LevelWarning || s == app.LevelError }

// Load decodes and checks the thresholds (card_checks.json). Unknown fields are rejected, so
// that a misspelt field in an edited file is reported rather than ignored.
func Load(b []byte) (Thresholds, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Thresholds{}, fmt.Errorf("decode card checks: %w", err)
	}
	t := Thresholds{Version: f.Version, SuspectedLevel: f.SuspectedDisease.Level}
	for _, x := range []struct {
		name string
		in   thresholdFile
		out  *Threshold
		max  int
	}{
		{"min_working_age", f.MinWorkingAge, &t.MinWorkingAge, 30},
		{"minor_age", f.MinorAge, &t.MinorAge, 30},
		{"max_exposure_years", f.MaxExposureYears, &t.MaxExposureYears, 99},
		{"max_exam_to_release_days", f.MaxExamToReleaseDays, &t.MaxExamToReleaseDays, 3650},
	} {
		if x.in.Value <= 0 || x.in.Value > x.max {
			return Thresholds{}, fmt.Errorf("card checks: %s: value %d out of range 1–%d", x.name, x.in.Value, x.max)
		}
		if !validLevel(x.in.Level) || !validStatus(x.in.Status) || strings.TrimSpace(x.in.Source) == "" {
			return Thresholds{}, fmt.Errorf("card checks: %s: needs level (warning|error), status (V|P|U) and source", x.name)
		}
		*x.out = Threshold(x.in)
	}
	d, err := time.ParseInLocation("2006-01-02", f.DiseaseEditionFrom.Value, time.Local)
	if err != nil || !validStatus(f.DiseaseEditionFrom.Status) {
		return Thresholds{}, fmt.Errorf("card checks: disease_edition_from: needs a date yyyy-mm-dd and a status")
	}
	t.DiseaseEditionFrom = d
	if !validLevel(f.SuspectedDisease.Level) || !validStatus(f.SuspectedDisease.Status) {
		return Thresholds{}, fmt.Errorf("card checks: suspected_disease: needs level and status")
	}
	seen := map[string]bool{}
	for i, h := range f.HazardDiseases {
		if h.Hazard == "" || len(h.Diseases) == 0 || !validStatus(h.Status) || seen[h.Hazard] {
			return Thresholds{}, fmt.Errorf("card checks: hazard_diseases %d (%s): empty, repeated or bad status", i, h.Hazard)
		}
		seen[h.Hazard] = true
		t.HazardDiseases = append(t.HazardDiseases, HazardDiseases(h))
	}
	return t, nil
}
