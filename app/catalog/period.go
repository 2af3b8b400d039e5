package catalog

import (
	"sort"
	"strings"
	"time"
)

const dateLayout = "2006-01-02"

// inPeriod reports whether day (YYYY-MM-DD) lies in [from, to]; empty bounds are open.
func inPeriod(day, from, to string) bool {
	return (from == "" || day >= from) && (to == "" || day <= to)
}

// DiseaseCatalogFor returns the 职业病分类和目录 in force on date (the calendar day of date in
// its own location): diseases_2013 up to 2025-07-31, diseases_2024 from 2025-08-01, as the
// catalogs' effective periods say. It returns false for dates before the earliest catalogue
// (the 2002 list is not modelled).
func (s *Set) DiseaseCatalogFor(date time.Time) (Catalog, bool) {
	day := date.Format(dateLayout)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var names []string
	for n := range s.catalogs {
		if strings.HasPrefix(n, "diseases_") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		c := s.catalogs[n].cat
		if inPeriod(day, c.EffectiveFrom, c.EffectiveTo) {
			return c, true
		}
	}
	return Catalog{}, false
}

// DiseaseSuccessors returns the rows of the 2013 → 2024 mapping for a 2013 disease code: usually
// one, two where the 2024 list split a disease (白内障 → 三硝基甲苯白内障 and 放射性白内障).
// Each row's Code and Name are the 2024 disease, Extra["code_2013"] and Extra["name_2013"]
// the 2013 one, Extra["change"] what happened, Status how sure the mapping is.
func (s *Set) DiseaseSuccessors(code2013 string) []Entry {
	c, ok := s.Catalog(DiseaseMap)
	if !ok {
		return nil
	}
	var out []Entry
	for _, e := range c.Entries {
		if e.Extra["code_2013"] == code2013 {
			out = append(out, e)
		}
	}
	return out
}

// DiseasePredecessor returns the mapping row of a 2024 disease code; Extra["code_2013"] is
// empty for diseases new in 2024.
func (s *Set) DiseasePredecessor(code2024 string) (Entry, bool) {
	return s.Lookup(DiseaseMap, code2024)
}

// GBZ188Edition returns the GBZ 188 edition ("2014", "2025") that governs an exam on examDate,
// from the periods in the gbz188_editions catalog: 2014 for exams before 2026-08-01, 2025 from
// then on. Exams before the 2014 edition took effect also get "2014" (GBZ 188-2007 is not
// modelled). It returns "" only when the catalog is missing.
func (s *Set) GBZ188Edition(examDate time.Time) string {
	c, ok := s.Catalog(GBZ188Editions)
	if !ok || len(c.Entries) == 0 {
		return ""
	}
	day := examDate.Format(dateLayout)
	earliest := c.Entries[0]
	for _, e := range c.Entries {
		if inPeriod(day, e.Extra["effective_from"], e.Extra["effective_to"]) {
			return e.Code
		}
		if e.Extra["effective_from"] < earliest.Extra["effective_from"] {
			earliest = e
		}
	}
	if day < earliest.Extra["effective_from"] {
		return earliest.Code
	}
	return ""
}

// Section is where GBZ 188 deals with a hazard factor in one edition.
type Section struct {
	Section string // e.g. "6.1"; for ionising radiation the other standard's name
	Factor  string // the factor as the standard names it, e.g. 矽尘(游离二氧化硅粉尘)
	Status  string // V, P or U, as the rule table marks it
}

// GBZ188Section returns the GBZ 188 section of edition that covers the national hazard code.
// Several codes may share a section (其他致尘肺病的无机粉尘). Factors the rule table does not
// cover return false.
func (s *Set) GBZ188Section(hazardCode, edition string) (Section, bool) {
	e, ok := s.Lookup(GBZ188Sections, hazardCode)
	if !ok {
		return Section{}, false
	}
	sec := e.Extra["section_"+edition]
	if sec == "" {
		return Section{}, false
	}
	return Section{Section: sec, Factor: e.Extra["factor_"+edition], Status: e.Extra["status_"+edition]}, true
}
