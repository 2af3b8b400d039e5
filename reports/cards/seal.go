package cards

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"runtime/debug"
	"slices"

	"occhealth/app"
)

// A per-card format (the national one) writes one document per card, plus documents the
// batch's cards share (ENTERPRISE_INFO). Each card's document can then be made on its own,
// ahead of the export: sealed (rendered, validated, deflated, hashed; app.CardSeal), kept by
// the store, and packaged later with the shared documents. Every export of such a format goes
// through seals, whether made just now or ahead, so that both give the same bytes.
type perCard interface {
	Adapter
	// cardDocument encodes one card's document.
	cardDocument(b *Batch, s *scratch, v *view) Document
	// shared encodes the batch's other documents from its cards (refs in exam number order)
	// and the institution and settings (used when refs carry no view).
	shared(b *Batch, refs []cardRef, inst *app.Institution, s app.CardSettings) []Document
}

// sealVersion changes whenever this package writes a card's document differently for the same
// card (with the program's revision in Sealer.Revision, old seals are then made again).
// TestSealVersion_FollowsTheDocuments fails when the golden national documents change without it.
const sealVersion = "2026-11-30.1"

// Sealer seals cards for the store (store/bolt.CardSealer).
type Sealer struct {
	format string
	codes  app.CodeLookup
}

// NewSealer returns the sealer of a per-card format, with the catalogs the documents are
// checked against and named from.
func NewSealer(format string, codes app.CodeLookup) (*Sealer, error) {
	a, ok := adapters[format]
	if !ok {
		return nil, unknownFormat(format)
	}
	if _, ok := a.(perCard); !ok {
		return nil, app.Errorf(app.EINVALID, "“%s”不是每卡一个文件的格式，不能预生成", a.Title())
	}
	return &Sealer{format: format, codes: codes}, nil
}

// Format returns the sealed format.
func (s *Sealer) Format() string { return s.format }

// Revision names this program's rendering: sealVersion and the build's source revision.
func (s *Sealer) Revision() string { return sealRevision }

var sealRevision = func() string {
	r := sealVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range bi.Settings {
			if kv.Key == "vcs.revision" || kv.Key == "vcs.modified" {
				r += " " + kv.Key + "=" + kv.Value
			}
		}
		r += " " + bi.Main.Version
	}
	return r
}()

// Seal renders, validates and compresses each card's document (nil for a card the element
// table refuses).
func (s *Sealer) Seal(ds []app.CardData) ([]*app.CardSeal, error) {
	seals, _, err := sealCards(s.format, ds, Options{Codes: s.codes})
	return seals, err
}

// sealCards seals each card of ds (in ds's order); a card the element table refuses has a nil
// seal and its problems.
func sealCards(format string, ds []app.CardData, opt Options) ([]*app.CardSeal, [][]Problem, error) {
	seals, problems, _, err := sealCardsRefs(format, ds, opt)
	return seals, problems, err
}

// sealCardsRefs is sealCards also returning every card's ref (refused cards too; zero for a
// card without an exam), for the shared documents' check.
func sealCardsRefs(format string, ds []app.CardData, opt Options) ([]*app.CardSeal, [][]Problem, []cardRef, error) {
	a, ok := adapters[format]
	if !ok {
		return nil, nil, nil, unknownFormat(format)
	}
	pc, ok := a.(perCard)
	if !ok {
		return nil, nil, nil, app.Errorf(app.EINVALID, "“%s”不是每卡一个文件的格式", a.Title())
	}
	seals := make([]*app.CardSeal, len(ds))
	problems := make([][]Problem, len(ds))
	refs := make([]cardRef, len(ds))
	if len(ds) == 0 {
		return seals, problems, refs, nil
	}
	b := newBatch("seal", ds, opt)
	b.pack = true
	pos := make(map[*app.CardData]int, len(ds))
	for i := range ds {
		pos[&ds[i]] = i
	}
	parallelW(len(b.views), b.workers, func(w, i int) {
		v := b.views[i]
		d := pc.cardDocument(b, b.scratch(w), v)
		j := pos[b.Cards[i]]
		if r := viewRefs(b.views[i : i+1]); len(r) == 1 {
			refs[j] = r[0]
		}
		if len(d.Problems) > 0 || d.sealed == nil {
			problems[j] = d.Problems
			return
		}
		s := &app.CardSeal{Format: format, Operate: v.Operate, Late: v.d.Card.Late, Name: d.Name,
			Size: d.sealed.entry.Size, CRC32: d.sealed.crc, SHA256: d.sealed.entry.SHA256, Deflated: d.sealed.deflated}
		if v.d.Exam != nil {
			s.ExamID = v.d.Exam.ID
			s.Parties = encodeParties(v)
		}
		seals[j] = s
	})
	return seals, problems, refs, nil
}

// sealParties is a seal's Parties: the card's employer and 用工单位 as the shared documents
// write them (the cards of one employer have the same bytes).
type sealParties struct {
	Employer party  `json:"e"`
	Host     *party `json:"h,omitempty"`
}

func encodeParties(v *view) []byte {
	p := sealParties{Employer: v.Employer}
	if v.d.Exam != nil && v.d.Exam.HostEmployerID != 0 {
		h := v.Host
		p.Host = &h
	}
	b, _ := json.Marshal(p)
	return b
}

// sealRefs decodes the parties of seals (in their order, with their cards'); identical
// encodings are decoded once (the cards of one employer share them).
func sealRefs(cards []app.Card, seals []*app.CardSeal) ([]cardRef, error) {
	refs := make([]cardRef, len(seals))
	seen := map[string]*sealParties{}
	for i, s := range seals {
		p, ok := seen[string(s.Parties)]
		if !ok {
			p = &sealParties{}
			if err := json.Unmarshal(s.Parties, p); err != nil {
				return nil, app.Errorf(app.EINTERNAL, "预生成的个案卡“%s”已损坏，请重新导出：%v", s.Name, err)
			}
			seen[string(s.Parties)] = p
		}
		refs[i] = cardRef{Number: cards[i].ExamNumber, DocumentID: cards[i].DocumentID, Employer: p.Employer, Host: p.Host}
	}
	return refs, nil
}

// sealedBatch is a batch of sealed cards ready to be packaged.
type sealedBatch struct {
	format, id string
	seals      []*app.CardSeal // in exam number order
	cards      []app.Card      // the same order
	shared     []Document      // sealed
	manifest   *Manifest
}

// packSealed sorts the cards by exam number, encodes the shared documents and fills the
// manifest but for the package entry. A shared document the element table refuses fails the
// batch (a *ValidationError).
func packSealed(format, id string, cards []app.Card, seals []*app.CardSeal, inst *app.Institution, s app.CardSettings, opt Options) (*sealedBatch, error) {
	a := adapters[format]
	pc := a.(perCard)
	order := make([]int, len(cards))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(cards[x].ExamNumber, cards[y].ExamNumber) })
	sb := &sealedBatch{format: format, id: id, seals: make([]*app.CardSeal, len(cards)), cards: make([]app.Card, len(cards))}
	for i, j := range order {
		sb.seals[i], sb.cards[i] = seals[j], cards[j]
	}
	refs, err := sealRefs(sb.cards, sb.seals)
	if err != nil {
		return nil, err
	}
	b := newBatch(id, nil, opt)
	b.pack = true
	sb.shared = pc.shared(b, refs, inst, s)
	var problems []Problem
	for _, d := range sb.shared {
		problems = append(problems, d.Problems...)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Format: format, Problems: problems}
	}
	m := &Manifest{Batch: id, Format: format, FormatTitle: a.Title(), Cards: len(cards)}
	for _, s := range sb.seals {
		m.count(s.Operate, s.Late)
	}
	m.Employers = len(batchEmployers(refs))
	m.Documents = make([]ManifestFile, 0, len(sb.shared)+len(sb.seals))
	for _, d := range sb.shared {
		m.Documents = append(m.Documents, d.sealed.entry)
	}
	for _, s := range sb.seals {
		m.Documents = append(m.Documents, ManifestFile{Name: s.Name, Size: s.Size, SHA256: s.SHA256})
	}
	sb.manifest = m
	return sb, nil
}

// writeZip writes the package: the shared documents, then the cards', raw (already
// deflated), with pinned times, and sets the manifest's package entry.
func (sb *sealedBatch) writeZip(w io.Writer) error {
	h := newAsyncHash()
	cw := &countWriter{w: io.MultiWriter(w, h)}
	bw := bufio.NewWriterSize(cw, 1<<20)
	zw := zip.NewWriter(bw)
	for _, d := range sb.shared {
		if err := rawEntry(zw, d.Name, d.sealed.crc, d.sealed.entry.Size, d.sealed.deflated); err != nil {
			return err
		}
	}
	for _, s := range sb.seals {
		if err := rawEntry(zw, s.Name, s.CRC32, s.Size, s.Deflated); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		h.Sum()
		return err
	}
	sb.manifest.Package = ManifestFile{Name: sb.id + ".zip", Size: int(cw.n), SHA256: hex.EncodeToString(h.Sum())}
	return nil
}

// asyncHash is a SHA-256 computed on another goroutine while the caller writes the file (a
// large package is hashed and written at once, on two cores).
type asyncHash struct {
	ch   chan []byte
	done chan []byte
}

func newAsyncHash() *asyncHash {
	a := &asyncHash{ch: make(chan []byte, 4), done: make(chan []byte)}
	go func() {
		h := sha256.New()
		for b := range a.ch {
			h.Write(b)
		}
		a.done <- h.Sum(nil)
	}()
	return a
}

// Write hands a copy of p to the hashing goroutine (the caller reuses p).
func (a *asyncHash) Write(p []byte) (int, error) {
	a.ch <- bytes.Clone(p)
	return len(p), nil
}

// Sum waits for the hash of everything written.
func (a *asyncHash) Sum() []byte {
	close(a.ch)
	return <-a.done
}

// manifestJSON is the manifest file's content.
func (sb *sealedBatch) manifestJSON() ([]byte, error) {
	mj, err := json.MarshalIndent(sb.manifest, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(mj, '\n'), nil
}

func rawEntry(zw *zip.Writer, name string, crc uint32, size int, deflated []byte) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime, CRC32: crc,
		CompressedSize64: uint64(len(deflated)), UncompressedSize64: uint64(size)}
	h.SetMode(0o644)
	w, err := zw.CreateRaw(h)
	if err != nil {
		return err
	}
	_, err = w.Write(deflated)
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
