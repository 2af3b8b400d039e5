package cards

import (
	"cmp"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"sync"

	"occhealth/app"
)

// Adapter is one platform's format. A province is one new file in this package: a type that
// implements Adapter, its element table (elements_NAME.tsv, embedded by schema.go's pattern),
// any code tables it needs in codes.tsv, and a Register call in the file's init.
type Adapter interface {
	// Format is the key callers pass (app.CardFormatNational, app.CardFormatHubei).
	Format() string
	// Title is the format's Chinese name, for menus and the manifest.
	Title() string
	// Schemas are the element tables the documents are checked against (for the docs and
	// the tests that every table row is reachable).
	Schemas() []*Schema
	// Documents encodes the batch: one Document per file, each validated against its schema
	// while it is encoded (Batch.Encoder). Problems go with the documents; Export refuses the
	// batch when there is one.
	Documents(b *Batch) []Document
}

// Document is one encoded file of a batch.
type Document struct {
	Name     string
	Data     []byte // nil once sealed
	Problems []Problem
	sealed   *sealed
}

// sealed is a document compressed for the zip as soon as it was encoded.
type sealed struct {
	deflated []byte
	crc      uint32
	entry    ManifestFile
}

// Batch is what an adapter encodes: the batch ID and the cards (sorted by exam number), each
// with its derived view.
type Batch struct {
	ID      string
	Cards   []*app.CardData
	views   []*view
	codes   *memoCodes // nil: no code lookup
	workers int
	// scratches are the encoding goroutines' states, by parallelW's w (Batch.scratch).
	scratches []*scratch
	// pack: Export zips the documents; adapters that write many documents seal each one as
	// it is done (Batch.seal), so that a large batch never sits uncompressed in memory.
	pack  bool
	bufs  sync.Pool // encoding buffers
	flate sync.Pool // *flate.Writer
}

// buffer returns an empty encoding buffer.
func (b *Batch) buffer() []byte {
	if buf, ok := b.bufs.Get().(*[]byte); ok {
		return (*buf)[:0]
	}
	return make([]byte, 0, 16<<10)
}

// seal compresses a finished document for the zip and recycles its buffer (when the batch is
// being packed; otherwise it does nothing).
func (b *Batch) seal(d *Document) {
	if !b.pack {
		return
	}
	data, err := deflate(&b.flate, d.Data)
	if err != nil { // cannot happen writing to memory; leave the document to zipDocuments
		return
	}
	d.sealed = &sealed{deflated: data, crc: crc32.ChecksumIEEE(d.Data), entry: fileEntry(d.Name, d.Data)}
	buf := d.Data[:0]
	b.bufs.Put(&buf)
	d.Data = nil
}

// Options are the inputs of an export beyond the cards.
type Options struct {
	// Codes looks up catalog names (area names for ALL_NAME, item tree parents) and checks
	// catalog codes; nil skips both (the element table's other checks still run).
	Codes app.CodeLookup
	// Workers is how many cards are encoded at once (0: one per CPU).
	Workers int
}

var adapters = map[string]Adapter{}

// Register makes an adapter available under its Format. It panics on a duplicate.
func Register(a Adapter) {
	if _, dup := adapters[a.Format()]; dup {
		panic("cards: adapter registered twice: " + a.Format())
	}
	adapters[a.Format()] = a
}

// Lookup returns the adapter of a format.
func Lookup(format string) (Adapter, bool) {
	a, ok := adapters[format]
	return a, ok
}

// Formats lists the registered formats, sorted.
func Formats() []string {
	var f []string
	for k := range adapters {
		f = append(f, k)
	}
	slices.Sort(f)
	return f
}

// ValidationError is an export refused because cards break the format's element table. It
// unwraps to an EINVALID *app.Error whose message names each card and element (the first 50;
// Problems has them all).
type ValidationError struct {
	Format   string
	Problems []Problem
}

// maxListed problems are written into the error's message.
const maxListed = 50

func (e *ValidationError) Error() string { return e.appError().Error() }

// Unwrap returns the EINVALID *app.Error, so that app.ErrorCode and app.ErrorMessage read it.
func (e *ValidationError) Unwrap() error { return e.appError() }

func (e *ValidationError) appError() *app.Error {
	cards := map[string]bool{}
	for _, p := range e.Problems {
		cards[p.Subject] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d 份个案卡（或单位）有 %d 处不符合%s的元素表，未导出任何文件：", len(cards), len(e.Problems), formatTitle(e.Format))
	for i, p := range e.Problems {
		if i == maxListed {
			fmt.Fprintf(&b, "\n……另有 %d 处", len(e.Problems)-maxListed)
			break
		}
		b.WriteString("\n" + p.String())
	}
	return &app.Error{Code: app.EINVALID, Message: b.String()}
}

func formatTitle(f string) string {
	if a, ok := adapters[f]; ok {
		return "“" + a.Title() + "”"
	}
	return f
}

// newBatch sorts the cards by exam number (so that the same cards give the same files in
// any order) and derives their views.
func newBatch(id string, cards []app.CardData, opt Options) *Batch {
	b := &Batch{ID: id, workers: opt.Workers, scratches: make([]*scratch, workerCount(math.MaxInt, opt.Workers))}
	if opt.Codes != nil {
		b.codes = &memoCodes{inner: opt.Codes, m: map[memoKey]memoEntry{}}
	}
	for i := range cards {
		b.Cards = append(b.Cards, &cards[i])
	}
	slices.SortStableFunc(b.Cards, func(x, y *app.CardData) int { return cmp.Compare(cardNumber(x), cardNumber(y)) })
	b.views = make([]*view, len(b.Cards))
	parallelW(len(b.Cards), opt.Workers, func(w, i int) { b.views[i] = derive(b.Cards[i], b.scratch(w).lookup()) })
	return b
}

func cardNumber(d *app.CardData) string {
	if d.Card.ExamNumber != "" {
		return d.Card.ExamNumber
	}
	if d.Exam != nil {
		return d.Exam.Number
	}
	return ""
}

// Validate encodes the cards in a format without packaging them and returns every problem
// (the pre-flight of the export itself).
func Validate(format string, cards []app.CardData, opt Options) ([]Problem, error) {
	a, ok := adapters[format]
	if !ok {
		return nil, unknownFormat(format)
	}
	if len(cards) == 0 {
		return nil, nil
	}
	var ps []Problem
	for _, d := range a.Documents(newBatch("check", cards, opt)) {
		ps = append(ps, d.Problems...)
	}
	return ps, nil
}

func unknownFormat(f string) error {
	return app.Errorf(app.EINVALID, "未知的导出格式“%s”（可选：%s）", f, strings.Join(Formats(), "、"))
}

// memoCodes remembers the catalog look-ups of a batch: 100,000 cards ask for the same few
// hundred codes millions of times (a read lock and a map with a struct key: no allocation).
type memoCodes struct {
	inner app.CodeLookup
	mu    sync.RWMutex
	m     map[memoKey]memoEntry
}

type memoKey struct{ catalog, code string }

type memoEntry struct {
	name, parent string
	ok           bool
}

func (c *memoCodes) get(catalog, code string) memoEntry {
	k := memoKey{catalog, code}
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return e
	}
	name, ok := c.inner.CodeName(catalog, code)
	e = memoEntry{name: name, ok: ok, parent: c.inner.CodeParent(catalog, code)}
	c.mu.Lock()
	c.m[k] = e
	c.mu.Unlock()
	return e
}

// CodeName implements app.CodeLookup.
func (c *memoCodes) CodeName(catalog, code string) (string, bool) {
	e := c.get(catalog, code)
	return e.name, e.ok
}

// CodeParent implements app.CodeLookup.
func (c *memoCodes) CodeParent(catalog, code string) string { return c.get(catalog, code).parent }
