package app

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// TextBlock describes one text block of the printed documents: its key in DocumentTexts.Blocks,
// the Chinese title and explanation the settings screen shows, and the default wording.
type TextBlock struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	Note    string `json:"note,omitempty"`
	Default string `json:"text"`
}

// DocumentTextDefaults are the bundled defaults (assets/reports/texts.json): the text blocks in
// the order the settings screen lists them, and the advice phrases by conclusion (and hazard).
type DocumentTextDefaults struct {
	Status        string              `json:"status"`
	Source        string              `json:"source"`
	Blocks        []TextBlock         `json:"blocks"`
	AdvicePhrases map[string][]string `json:"advice"`
}

// ParseDocumentTextDefaults reads the defaults file. It refuses a block without key or title, a
// key given twice and an empty phrase.
func ParseDocumentTextDefaults(data []byte) (*DocumentTextDefaults, error) {
	var d DocumentTextDefaults
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("document texts: %w", err)
	}
	seen := map[string]bool{}
	for _, b := range d.Blocks {
		if b.Key == "" || b.Title == "" {
			return nil, fmt.Errorf("document texts: block %q without key or title", b.Key)
		}
		if seen[b.Key] {
			return nil, fmt.Errorf("document texts: block %q twice", b.Key)
		}
		seen[b.Key] = true
	}
	for k, ps := range d.AdvicePhrases {
		if slices.Contains(ps, "") {
			return nil, fmt.Errorf("document texts: empty phrase in %q", k)
		}
	}
	return &d, nil
}

// Block returns the default of a block key and whether the defaults know the key.
func (d *DocumentTextDefaults) Block(key string) (string, bool) {
	for _, b := range d.Blocks {
		if b.Key == key {
			return b.Default, true
		}
	}
	return "", false
}

// Merge returns the texts in force: every default block and phrase list, replaced by the stored
// one where the stored texts have that key (an empty stored block prints nothing; an empty stored
// phrase list offers none), plus stored keys the defaults lack. Image options are the stored
// ones only (no image prints by default). stored may be nil. The result shares nothing with
// either input.
func (d *DocumentTextDefaults) Merge(stored *DocumentTexts) *DocumentTexts {
	out := &DocumentTexts{
		Blocks:        map[string]string{},
		AdvicePhrases: map[string][]string{},
		Images:        map[string]ImageOptions{},
	}
	for _, b := range d.Blocks {
		out.Blocks[b.Key] = b.Default
	}
	for k, ps := range d.AdvicePhrases {
		out.AdvicePhrases[k] = slices.Clone(ps)
	}
	if stored == nil {
		return out
	}
	maps.Copy(out.Blocks, stored.Blocks)
	for k, ps := range stored.AdvicePhrases {
		out.AdvicePhrases[k] = slices.Clone(ps)
	}
	maps.Copy(out.Images, stored.Images)
	out.UpdatedAt, out.UpdatedBy = stored.UpdatedAt, stored.UpdatedBy
	return out
}

// AdviceFor returns the advice phrases of a conclusion for a hazard: those keyed
// "conclusion/hazard" first, then those of the conclusion alone, without repeats.
func (t *DocumentTexts) AdviceFor(conclusion, hazard string) []string {
	var out []string
	for _, p := range append(slices.Clone(t.AdvicePhrases[conclusion+"/"+hazard]), t.AdvicePhrases[conclusion]...) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
