package catalog

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// Catalog names: the file stems of the generated catalogs.
const (
	Hazards                 = "hazards"
	Items                   = "items"
	Jobs                    = "jobs"
	ExamTypes               = "exam_types"
	Conclusions             = "conclusions"
	ChestFilm               = "chest_film"
	AuditStatus             = "audit_status"
	EnterpriseSize          = "enterprise_size"
	ConcentrationTypes      = "concentration_types"
	Complications           = "complications"
	Outcomes                = "outcomes"
	PneumoconiosisCaseTypes = "pneumoconiosis_case_types"
	PesticideCauses         = "pesticide_causes"
	PesticidePoisons        = "pesticide_poisons"
	Sex                     = "sex"
	IDDocTypes              = "id_doc_types"
	DeathCauses             = "death_causes"
	Diseases2013            = "diseases_2013"
	Diseases2024            = "diseases_2024"
	DiseaseMap              = "disease_map_2013_2024"
	GBZ188Editions          = "gbz188_editions"
	GBZ188Sections          = "gbz188_sections"
	Areas                   = "areas"
	Industry                = "industry"
	EconomicType            = "economic_type"
)

// Set is the loaded catalogs with their indexes. It is safe for concurrent use; Replace swaps
// one catalog while readers keep working.
type Set struct {
	mu       sync.RWMutex
	catalogs map[string]*indexed
	initials initialsCache
}

type indexed struct {
	cat    Catalog
	byCode map[string]int
	// byName maps a normalised name or alias to entry indexes (hazards only).
	byName map[string][]int
}

func newIndexed(c Catalog) *indexed {
	ix := &indexed{cat: c, byCode: make(map[string]int, len(c.Entries))}
	for i, e := range c.Entries {
		ix.byCode[e.Code] = i
	}
	if c.Name == Hazards {
		ix.byName = make(map[string][]int)
		for i, e := range c.Entries {
			if e.Level <= 1 { // categories (粉尘, 化学有害因素 …) are not factors
				continue
			}
			keys := map[string]bool{NormalizeName(e.Name): true}
			for _, a := range e.Aliases {
				keys[NormalizeName(a)] = true
			}
			for k := range keys {
				if k != "" {
					ix.byName[k] = append(ix.byName[k], i) // i ascends: catalog order
				}
			}
		}
	}
	return ix
}

// NewSet returns a set of the given catalogs, which must validate and have distinct names.
func NewSet(cats ...Catalog) (*Set, error) {
	s := &Set{catalogs: make(map[string]*indexed, len(cats))}
	for _, c := range cats {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if _, dup := s.catalogs[c.Name]; dup {
			return nil, fmt.Errorf("catalog %s loaded twice", c.Name)
		}
		s.catalogs[c.Name] = newIndexed(c)
	}
	return s, nil
}

// Load reads every *.json catalog at the root of fsys, or under catalog/ when the root has
// none (so both os.DirFS("assets/catalog") and assets.Catalogs work). A file's catalog name
// must equal its file stem. Load fails on the first file that does not decode or validate.
func Load(fsys fs.FS) (*Set, error) {
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("list catalogs: %w", err)
	}
	if len(files) == 0 {
		if files, err = fs.Glob(fsys, "catalog/*.json"); err != nil {
			return nil, fmt.Errorf("list catalogs: %w", err)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("load catalogs: no *.json files")
	}
	cats := make([]Catalog, 0, len(files))
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read catalog: %w", err)
		}
		c, err := Unmarshal(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if stem := strings.TrimSuffix(path.Base(name), ".json"); c.Name != stem {
			return nil, fmt.Errorf("%s: catalog name %q differs from file name", name, c.Name)
		}
		cats = append(cats, c)
	}
	return NewSet(cats...)
}

// Names returns the names of the loaded catalogs, sorted.
func (s *Set) Names() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.catalogs))
	for n := range s.catalogs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Catalog returns a copy of the catalog called name. The entries slice is shared with the set:
// callers must not modify it (use Replace to change a catalog).
func (s *Set) Catalog(name string) (Catalog, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix, ok := s.catalogs[name]
	if !ok {
		return Catalog{}, false
	}
	return ix.cat, true
}

// Lookup returns the entry with code in the catalog called name.
func (s *Set) Lookup(name, code string) (Entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix, ok := s.catalogs[name]
	if !ok {
		return Entry{}, false
	}
	i, ok := ix.byCode[code]
	if !ok {
		return Entry{}, false
	}
	return ix.cat.Entries[i], true
}

// CodeName returns the display name of code in the catalog called name (app.CodeLookup).
func (s *Set) CodeName(name, code string) (string, bool) {
	e, ok := s.Lookup(name, code)
	return e.Name, ok
}

// CodeParent returns the parent of code in the catalog called name, "" at the top or when the
// code is unknown (app.CodeLookup).
func (s *Set) CodeParent(name, code string) string {
	e, _ := s.Lookup(name, code)
	return e.Parent
}

// Replace installs c under name, replacing any catalog of that name; an administrator's edit
// goes through here after the store has saved it. It fails, leaving the set unchanged, if c
// does not validate or its name differs from name.
func (s *Set) Replace(name string, c Catalog) error {
	if c.Name != name {
		return fmt.Errorf("replace catalog %s: catalog is named %q", name, c.Name)
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("replace catalog %s: %w", name, err)
	}
	c.Entries = append([]Entry(nil), c.Entries...)
	ix := newIndexed(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catalogs[name] = ix
	return nil
}
