package catalog

import (
	"strings"
	"unicode"
)

// MatchHazard finds the hazard factor that text names, as rosters and contracts write it:
// the national name or one of its aliases (矽尘 or 游离二氧化硅粉尘, 噪声 or 噪音), compared
// after normalisation (full-width to half-width, brackets unified, spaces dropped, Latin
// letters lower-cased, SiO2 read as 二氧化硅). When the whole text does not match, it tries
// again without bracketed qualifiers ("噪声（85dB以上）" → 噪声). Categories (粉尘, 化学有害因素 …)
// never match, and neither does a name shared by two factors.
func (s *Set) MatchHazard(text string) (Entry, bool) {
	hits := s.MatchHazards(text)
	if len(hits) != 1 {
		return Entry{}, false
	}
	return hits[0], true
}

// MatchHazards returns every factor that text names by MatchHazard's rules, in catalog
// order: none, one, or several where factors share a name (铀及其化合物 is both 2411, a
// chemical, and 5011, a radioactive factor), so the UI can let the user choose.
func (s *Set) MatchHazards(text string) []Entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix, ok := s.catalogs[Hazards]
	if !ok {
		return nil
	}
	for _, key := range []string{NormalizeName(text), NormalizeName(stripBrackets(text))} {
		if hits := ix.byName[key]; key != "" && len(hits) > 0 {
			out := make([]Entry, len(hits))
			for i, j := range hits {
				out[i] = ix.cat.Entries[j]
			}
			return out
		}
	}
	return nil
}

// NormalizeName folds the spellings of a name into one key: full-width forms to half-width,
// 【〔［ to [ and ]〕］ to ], ₂ to 2, 、 and ， to a comma, spaces dropped, Latin letters
// lower-cased, sio2 to 二氧化硅. MatchHazard compares names by this key.
func NormalizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == '【' || r == '〔' || r == '［':
			r = '['
		case r == '】' || r == '〕' || r == '］':
			r = ']'
		case r == '₂':
			r = '2'
		case r == '，' || r == '、':
			r = ','
		}
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.ReplaceAll(b.String(), "sio2", "二氧化硅")
}

// stripBrackets removes bracketed parts, full- or half-width, with their contents.
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（', '[', '【', '〔':
			depth++
		case ')', '）', ']', '】', '〕':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
