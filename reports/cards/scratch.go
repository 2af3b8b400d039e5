package cards

import (
	"strconv"
	"time"

	"occhealth/app"
)

// scratch is the state one encoding goroutine keeps across the cards it encodes: catalog
// look-ups and item names remembered without locks (100,000 cards ask for the same few
// hundred codes millions of times), and an encoder whose stacks are reused.
type scratch struct {
	codes   *localCodes // nil when the batch has no code lookup
	items   map[string]itemCode
	enc     encoder
	itemBuf []item
	numbers map[float64]string
	// the last date written (most results of a card are of one day)
	lastY, lastD int
	lastM        time.Month
	lastDate     string
}

// itemCode is what the item results of a card read of the catalog for one item code: its
// name and the name of the top node of the 健康指标 tree above it.
type itemCode struct {
	name, top string
}

// lookup is the batch's shared code lookup as an interface (nil when there is none).
func (b *Batch) lookup() app.CodeLookup {
	if b.codes == nil {
		return nil
	}
	return b.codes
}

// scratch returns goroutine w's state (w from parallelW: one goroutine per w at a time).
func (b *Batch) scratch(w int) *scratch {
	if w >= len(b.scratches) {
		// Only when a caller ran more goroutines than GOMAXPROCS at newBatch: share nothing.
		return b.newScratch()
	}
	if b.scratches[w] == nil {
		b.scratches[w] = b.newScratch()
	}
	return b.scratches[w]
}

func (b *Batch) newScratch() *scratch {
	s := &scratch{items: map[string]itemCode{}, numbers: map[float64]string{}}
	if b.codes != nil {
		s.codes = &localCodes{shared: b.codes, m: map[memoKey]memoEntry{}}
	}
	s.enc.recent = map[string]string{}
	return s
}

// lookup is the scratch's code lookup as an interface (nil when there is none).
func (s *scratch) lookup() app.CodeLookup {
	if s.codes == nil {
		return nil
	}
	return s.codes
}

// itemCode returns the catalog's name of an item code and its top node's name.
func (s *scratch) itemCode(code string) itemCode {
	if s.codes == nil {
		return itemCode{}
	}
	if c, ok := s.items[code]; ok {
		return c
	}
	var c itemCode
	c.name, _ = s.codes.CodeName(app.CatalogItems, code)
	c.top = topItem(s.codes, code)
	s.items[code] = c
	return c
}

// localCodes is one goroutine's memory of the batch's catalog look-ups, in front of the
// batch's shared one.
type localCodes struct {
	shared *memoCodes
	m      map[memoKey]memoEntry
}

func (c *localCodes) get(catalog, code string) memoEntry {
	k := memoKey{catalog, code}
	if e, ok := c.m[k]; ok {
		return e
	}
	e := c.shared.get(catalog, code)
	c.m[k] = e
	return e
}

// CodeName implements app.CodeLookup.
func (c *localCodes) CodeName(catalog, code string) (string, bool) {
	e := c.get(catalog, code)
	return e.name, e.ok
}

// CodeParent implements app.CodeLookup.
func (c *localCodes) CodeParent(catalog, code string) string { return c.get(catalog, code).parent }

// date is date(t), remembering the last day written.
func (s *scratch) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.Date()
	if y != s.lastY || m != s.lastM || d != s.lastD || s.lastDate == "" {
		s.lastY, s.lastM, s.lastD, s.lastDate = y, m, d, t.Format(ymd)
	}
	return s.lastDate
}

// number is formatNumber(f), remembering the numbers written (reference limits repeat).
func (s *scratch) number(f *float64) string {
	if f == nil {
		return ""
	}
	if n, ok := s.numbers[*f]; ok {
		return n
	}
	n := strconv.FormatFloat(*f, 'f', -1, 64)
	if len(s.numbers) < 4096 {
		s.numbers[*f] = n
	}
	return n
}
