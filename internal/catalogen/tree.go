package main

import (
	"fmt"
	"sort"
	"strconv"
	"unicode"

	"occhealth/app/catalog"
)

// treeSort orders entries parents first, siblings by key (natural order of the code unless
// key is given), and fills in Level from the depth when setLevel is true.
func treeSort(es []catalog.Entry, key func(catalog.Entry) string, setLevel bool) error {
	if key == nil {
		key = func(e catalog.Entry) string { return e.Code }
	}
	byCode := make(map[string]int, len(es))
	for i, e := range es {
		if _, dup := byCode[e.Code]; dup {
			return fmt.Errorf("duplicate code %s", e.Code)
		}
		byCode[e.Code] = i
	}
	paths := make([][]string, len(es))
	var path func(i, depth int) ([]string, error)
	path = func(i, depth int) ([]string, error) {
		if paths[i] != nil {
			return paths[i], nil
		}
		if depth > 20 {
			return nil, fmt.Errorf("parent cycle at %s", es[i].Code)
		}
		var p []string
		if par := es[i].Parent; par != "" {
			j, ok := byCode[par]
			if !ok {
				return nil, fmt.Errorf("code %s: parent %s missing", es[i].Code, par)
			}
			pp, err := path(j, depth+1)
			if err != nil {
				return nil, err
			}
			p = append(p, pp...)
		}
		p = append(p, key(es[i]))
		paths[i] = p
		return p, nil
	}
	for i := range es {
		p, err := path(i, 0)
		if err != nil {
			return err
		}
		if setLevel {
			es[i].Level = len(p)
		}
	}
	idx := make([]int, len(es))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		pa, pb := paths[idx[a]], paths[idx[b]]
		for k := 0; k < len(pa) && k < len(pb); k++ {
			if c := naturalCompare(pa[k], pb[k]); c != 0 {
				return c < 0
			}
		}
		return len(pa) < len(pb)
	})
	sorted := make([]catalog.Entry, len(es))
	for i, j := range idx {
		sorted[i] = es[j]
	}
	copy(es, sorted)
	return nil
}

// naturalCompare compares strings run by run: digit runs by value (then by length, so "01"
// follows "1"), other runs by code point; digits sort before letters.
func naturalCompare(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	i, j := 0, 0
	for i < len(ra) && j < len(rb) {
		da, db := unicode.IsDigit(ra[i]), unicode.IsDigit(rb[j])
		switch {
		case da && db:
			si, sj := i, j
			for i < len(ra) && unicode.IsDigit(ra[i]) {
				i++
			}
			for j < len(rb) && unicode.IsDigit(rb[j]) {
				j++
			}
			na, _ := strconv.ParseUint(string(ra[si:i]), 10, 64)
			nb, _ := strconv.ParseUint(string(rb[sj:j]), 10, 64)
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			if i-si != j-sj {
				if i-si < j-sj {
					return -1
				}
				return 1
			}
		case da != db:
			if da {
				return -1
			}
			return 1
		default:
			if ra[i] != rb[j] {
				if ra[i] < rb[j] {
					return -1
				}
				return 1
			}
			i++
			j++
		}
	}
	switch {
	case len(ra)-i < len(rb)-j:
		return -1
	case len(ra)-i > len(rb)-j:
		return 1
	}
	return 0
}
