package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Status marks of an entry, as in the domain reference.
const (
	StatusVerified   = "V" // verified against a quoted source
	StatusPartial    = "P" // partly verified
	StatusUnverified = "U" // unverified: shown as 待核实 until an administrator checks it
)

// LocalPrefix starts every local code. The national code tables that take local additions
// (hazards, items, diseases, ID document types) use digits only, so a local code cannot
// collide with a national one. (ICD-10 causes of death do have L-codes; that table has no
// local entries.)
const LocalPrefix = "L"

// Catalog is one versioned code table. Entries keep the order of the file, which is the
// generator's tree order (parents before children, siblings by code).
type Catalog struct {
	Name          string // file stem and key in a Set, e.g. "hazards"
	Title         string // what the catalog is, in Chinese, e.g. "职业病危害因素代码表"
	Version       string
	Source        string
	EffectiveFrom string // YYYY-MM-DD, or "" for "always"
	EffectiveTo   string // YYYY-MM-DD inclusive, or "" for "still in force"
	Notes         string
	Entries       []Entry
}

// Entry is one code of a catalog. Only Code and Name are always present; the meaning of the
// other fields depends on the catalog (see each catalog's Notes).
type Entry struct {
	Code     string
	Name     string
	Parent   string // parent code in the same catalog, "" at the top
	Level    int    // depth from 1 at the top; 0 when the catalog is flat
	Category string // e.g. the 2015 hazard category (粉尘, 化学因素 …) or the 2013 disease category
	Aliases  []string
	Local    bool   // a local addition, not a national code
	Status   string // "", V, P or U
	Extra    map[string]string
}

// Unverified reports whether the entry's facts still need checking (shown as 待核实).
func (e Entry) Unverified() bool { return e.Status == StatusUnverified }

// Lookup returns the entry with code.
func (c Catalog) Lookup(code string) (Entry, bool) {
	for _, e := range c.Entries {
		if e.Code == code {
			return e, true
		}
	}
	return Entry{}, false
}

// Children returns the entries whose parent is code, in catalog order.
func (c Catalog) Children(code string) []Entry {
	var out []Entry
	for _, e := range c.Entries {
		if e.Parent == code {
			out = append(out, e)
		}
	}
	return out
}

// Validate checks that the catalog has a name, that codes are unique and non-empty, that every
// entry has a name and a known status, that parents exist, and that local entries have codes
// starting with LocalPrefix followed by a digit.
func (c Catalog) Validate() error {
	if c.Name == "" {
		return fmt.Errorf("catalog has no name")
	}
	seen := make(map[string]bool, len(c.Entries))
	for i, e := range c.Entries {
		if e.Code == "" || strings.TrimSpace(e.Code) != e.Code {
			return fmt.Errorf("%s: entry %d: bad code %q", c.Name, i, e.Code)
		}
		if seen[e.Code] {
			return fmt.Errorf("%s: duplicate code %q", c.Name, e.Code)
		}
		seen[e.Code] = true
		if strings.TrimSpace(e.Name) == "" {
			return fmt.Errorf("%s: code %s has no name", c.Name, e.Code)
		}
		switch e.Status {
		case "", StatusVerified, StatusPartial, StatusUnverified:
		default:
			return fmt.Errorf("%s: code %s: unknown status %q", c.Name, e.Code, e.Status)
		}
		if e.Local && !isLocalCode(e.Code) {
			return fmt.Errorf("%s: local code %s does not start with %s and a digit", c.Name, e.Code, LocalPrefix)
		}
	}
	for _, e := range c.Entries {
		if e.Parent != "" && !seen[e.Parent] {
			return fmt.Errorf("%s: code %s: parent %q not in catalog", c.Name, e.Code, e.Parent)
		}
	}
	return nil
}

func isLocalCode(code string) bool {
	return len(code) > 1 && strings.HasPrefix(code, LocalPrefix) && code[1] >= '0' && code[1] <= '9'
}

// fileCatalog and fileEntry are the JSON form of a catalog; the exported types carry no tags.
type fileCatalog struct {
	Catalog       string      `json:"catalog"`
	Title         string      `json:"title,omitempty"`
	Version       string      `json:"version"`
	Source        string      `json:"source"`
	EffectiveFrom string      `json:"effective_from"`
	EffectiveTo   string      `json:"effective_to"`
	Notes         string      `json:"notes,omitempty"`
	Entries       []fileEntry `json:"entries"`
}

type fileEntry struct {
	Code     string            `json:"code"`
	Name     string            `json:"name"`
	Parent   string            `json:"parent,omitempty"`
	Level    int               `json:"level,omitempty"`
	Category string            `json:"category,omitempty"`
	Aliases  []string          `json:"aliases,omitempty"`
	Local    bool              `json:"local,omitempty"`
	Status   string            `json:"status,omitempty"`
	Extra    map[string]string `json:"extra,omitempty"`
}

// Marshal encodes c as the catalog file format: UTF-8 JSON with a 2-space indent, header fields
// first, entries in order, map keys sorted, no HTML escaping, and a final newline, so the same
// catalog always gives the same bytes. It fails if c does not validate.
func Marshal(c Catalog) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	f := fileCatalog{
		Catalog: c.Name, Title: c.Title, Version: c.Version, Source: c.Source,
		EffectiveFrom: c.EffectiveFrom, EffectiveTo: c.EffectiveTo, Notes: c.Notes,
		Entries: make([]fileEntry, len(c.Entries)),
	}
	for i, e := range c.Entries {
		f.Entries[i] = fileEntry(e)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode catalog %s: %w", c.Name, err)
	}
	return buf.Bytes(), nil
}

// Unmarshal decodes a catalog file and validates it. Unknown fields are rejected, so that a
// misspelt field in an edited override is reported rather than silently dropped.
func Unmarshal(b []byte) (Catalog, error) {
	var f fileCatalog
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Catalog{}, fmt.Errorf("decode catalog: %w", err)
	}
	c := Catalog{
		Name: f.Catalog, Title: f.Title, Version: f.Version, Source: f.Source,
		EffectiveFrom: f.EffectiveFrom, EffectiveTo: f.EffectiveTo, Notes: f.Notes,
		Entries: make([]Entry, len(f.Entries)),
	}
	for i, e := range f.Entries {
		c.Entries[i] = Entry(e)
	}
	if err := c.Validate(); err != nil {
		return Catalog{}, err
	}
	return c, nil
}
