package bolt

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"occhealth/app"
	"occhealth/app/cardcheck"
	"occhealth/store/kv"
)

// Sealed cards: each released card's document rendered, checked, compressed and hashed ahead
// of export (app.CardSeal), kept in bucketCardSeals with what it was made from. An export then
// only assembles the documents (ExportItems); a seal whose inputs changed is not handed out,
// and the card is read and rendered again. Seals are derived data like the projections: not
// audited (the DocumentId minted for a seal is).

// bucketCardSeals: exam ID → cardSealRecord (binary, sealCodec).
var bucketCardSeals = []byte("card_seals")

// CardSealer renders sealed card documents for the store (reports/cards.Sealer, wired by the
// program): the store itself does not know the formats.
type CardSealer interface {
	// Format is the format sealed (one per-card format, app.CardFormatNational).
	Format() string
	// Revision names what renders the documents: a seal made by another revision is made
	// again.
	Revision() string
	// Seal renders, validates and compresses each card's document; a nil entry is a card the
	// format's element table refuses.
	Seal(ds []app.CardData) ([]*app.CardSeal, error)
}

// cardSealRecord is one stored seal with what it was made from. A refused record marks a card
// the pre-flight or the element table refused under the same inputs: it has no document, and
// the sealer does not try the card again until an input changes.
type cardSealRecord struct {
	obs        sealObs
	number     string
	releasedAt time.Time
	refused    bool
	seal       app.CardSeal // without ExamID and Format
	// What the worklist shows of the card (cardMeta), so that its first listing does not
	// read the exams: the exam date, the names as signed, and the pre-flight counts as the
	// worklist counts them (the earlier card's state aside).
	examDate              time.Time
	workerName, employer  string
	metaErrors, metaWarns int
}

const sealCodecVersion = 2

func encodeSeal(r *cardSealRecord) []byte {
	s := &r.seal
	b := make([]byte, 0, 256+len(s.Deflated)+len(s.Parties))
	b = append(b, sealCodecVersion)
	for _, x := range []string{s.Key, s.Operate, s.Name, s.SHA256, r.number, r.workerName, r.employer} {
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	}
	b = binary.AppendVarint(b, unixNano(r.examDate))
	b = binary.AppendUvarint(b, uint64(r.metaErrors))
	b = binary.AppendUvarint(b, uint64(r.metaWarns))
	flags := byte(0)
	if s.Late {
		flags |= 1
	}
	if r.refused {
		flags |= 2
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(s.Size))
	b = binary.BigEndian.AppendUint32(b, s.CRC32)
	b = binary.AppendUvarint(b, uint64(s.Warnings))
	b = append(b, r.obs.digest[:]...)
	for _, v := range []int64{r.obs.workerID, r.obs.workerV, r.obs.employerID, r.obs.employerV, r.obs.hostID, r.obs.hostV, r.obs.prevID, unixNano(r.releasedAt)} {
		b = binary.AppendVarint(b, v)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Parties)))
	b = append(b, s.Parties...)
	b = binary.AppendUvarint(b, uint64(len(s.Deflated)))
	return append(b, s.Deflated...)
}

var errSealCodec = errors.New("damaged card seal")

// unixNano and fromUnixNano keep a time in a seal (the zero time as 0).
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// decodeSeal decodes a stored seal; with body, Deflated and Parties are copied out of raw
// (raw is only valid in its transaction), else left nil.
func decodeSeal(raw []byte, body bool) (*cardSealRecord, error) {
	r, parties, deflated, err := decodeSealRaw(raw)
	if err != nil {
		return nil, err
	}
	if body {
		r.seal.Parties = bytes.Clone(parties)
		r.seal.Deflated = bytes.Clone(deflated)
	}
	return r, nil
}

func decodeSealRaw(raw []byte) (*cardSealRecord, []byte, []byte, error) {
	if len(raw) == 0 || raw[0] != sealCodecVersion {
		return nil, nil, nil, errSealCodec
	}
	p := raw[1:]
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			bad = true
			return 0
		}
		p = p[n:]
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(p)
		if n <= 0 {
			bad = true
			return 0
		}
		p = p[n:]
		return v
	}
	bytesOf := func() []byte {
		n := uv()
		if bad || n > uint64(len(p)) {
			bad = true
			return nil
		}
		v := p[:n]
		p = p[n:]
		return v
	}
	r := &cardSealRecord{}
	s := &r.seal
	for _, dst := range []*string{&s.Key, &s.Operate, &s.Name, &s.SHA256, &r.number, &r.workerName, &r.employer} {
		*dst = string(bytesOf())
	}
	r.examDate = fromUnixNano(sv())
	r.metaErrors, r.metaWarns = int(uv()), int(uv())
	if bad || len(p) < 1 {
		return nil, nil, nil, errSealCodec
	}
	s.Late, r.refused, p = p[0]&1 != 0, p[0]&2 != 0, p[1:]
	s.Size = int(uv())
	if bad || len(p) < 4 {
		return nil, nil, nil, errSealCodec
	}
	s.CRC32, p = binary.BigEndian.Uint32(p), p[4:]
	s.Warnings = int(uv())
	if bad || len(p) < 32 {
		return nil, nil, nil, errSealCodec
	}
	copy(r.obs.digest[:], p)
	p = p[32:]
	for _, dst := range []*int64{&r.obs.workerID, &r.obs.workerV, &r.obs.employerID, &r.obs.employerV, &r.obs.hostID, &r.obs.hostV, &r.obs.prevID} {
		*dst = sv()
	}
	r.releasedAt = fromUnixNano(sv())
	parties := bytesOf()
	deflated := bytesOf()
	if bad {
		return nil, nil, nil, errSealCodec
	}
	return r, parties, deflated, nil
}

// regVersions reads the Version of workers and employers (employers remembered: few).
type regVersions struct {
	workers, employers kv.Bucket
	emp                map[int64]int64
}

func registryVersions(tx kv.Tx) *regVersions {
	return &regVersions{workers: tx.Bucket(bucketWorkers), employers: tx.Bucket(bucketEmployers), emp: map[int64]int64{}}
}

func (v *regVersions) worker(id int64) int64 {
	if id == 0 || v.workers == nil {
		return 0
	}
	n, _ := recordVersion(v.workers.Get(itob(uint64(id))))
	return n
}

func (v *regVersions) employer(id int64) int64 {
	if id == 0 || v.employers == nil {
		return 0
	}
	if n, ok := v.emp[id]; ok {
		return n
	}
	n, _ := recordVersion(v.employers.Get(itob(uint64(id))))
	v.emp[id] = n
	return n
}

// sealGen is what every seal of a read shares besides the card: the sealer's revision and
// format, the catalog overrides and the pre-flight thresholds.
func (s *CardService) sealGen(tx kv.Tx, sealer CardSealer) (string, error) {
	th, err := s.thresholds()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", sealer.Revision(), sealer.Format())
	thb, _ := json.Marshal(th)
	h.Write(thb)
	if b := tx.Bucket(bucketCatalogs); b != nil {
		if err := b.ForEach(func(k, v []byte) error {
			h.Write([]byte{0})
			h.Write(k)
			h.Write([]byte{0})
			h.Write(v)
			return nil
		}); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sealKey is what a seal is made from besides the exam: the content hash, the header (the
// DocumentId, OperateType and the platform's codes), the 补报 mark and sealGen.
func sealKey(gen, hash, docID, op string, late bool, cs app.CardSettings) string {
	h := sha256.New()
	for _, x := range []string{gen, hash, docID, op, cs.ReportZoneCode, cs.ReportOrgCode, cs.License} {
		h.Write([]byte(x))
		h.Write([]byte{0})
	}
	if late {
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// exportScan is the cards an export or the sealer considers: released (not voided) cards with
// a current seal, and the others.
type exportScan struct {
	inst     *app.Institution
	settings app.CardSettings
	items    []app.CardExportItem
	// stale are released cards without a current seal; refused those refused under their
	// current inputs (read at export, not sealed again); voided those exported before (they go
	// out as Delete, never sealed).
	stale, refused, voided []int64
	// current are the current records (sealed or refused) by exam ID, when asked for.
	current map[int64]*cardSealRecord
}

// scanSeals checks every card's seal against the archive; with body the current seals'
// documents are copied out, else only their cards are returned. Cards released outside
// [from, to] are left out when their release date is known (from the seal).
// With ids only those cards are considered (released ones; the others are ignored).
// With keep the current records are returned too (exportScan.current).
func (s *CardService) scanSeals(tx kv.Tx, sealer CardSealer, from, to time.Time, body bool, only []int64, keep bool) (*exportScan, error) {
	env, err := s.env(tx)
	if err != nil {
		return nil, err
	}
	out := &exportScan{inst: env.inst, settings: env.settings}
	ids := only
	if ids == nil {
		if ids, err = candidates(tx); err != nil {
			return nil, err
		}
	}
	gen := ""
	if sealer != nil {
		if gen, err = s.sealGen(tx, sealer); err != nil {
			return nil, err
		}
	}
	ix, cardsB, seals := tx.Bucket(bucketExamState), tx.Bucket(bucketCards), tx.Bucket(bucketCardSeals)
	vers := registryVersions(tx)
	now := s.db.now()
	type cand struct {
		id         int64
		state, raw []byte
		prevDocID  string
		// the seal's parties and document, as slices of raw (read once, in the first pass)
		parties, deflated []byte
	}
	var cs []cand
	for _, id := range ids {
		if ix.Get(stateKey(app.ExamReleased, id)) == nil {
			if only == nil {
				out.voided = append(out.voided, id)
			}
			continue
		}
		var raw []byte
		if seals != nil && sealer != nil {
			raw = seals.Get(itob(uint64(id)))
		}
		if raw == nil {
			out.stale = append(out.stale, id)
			continue
		}
		cs = append(cs, cand{id: id, state: cardsB.Get(itob(uint64(id))), raw: raw})
	}
	// The registry and the earlier cards are read in order (the engine's reads need not be
	// safe on several goroutines); the rest on every core.
	recs := make([]*cardSealRecord, len(cs))
	current := make([]bool, len(cs))
	parallel(len(cs), func(i int) {
		if r, parties, deflated, err := decodeSealRaw(cs[i].raw); err == nil {
			recs[i], cs[i].parties, cs[i].deflated = r, parties, deflated
		} // a damaged seal is made again
	})
	for i := range cs {
		r := recs[i]
		if r == nil {
			continue
		}
		o := r.obs
		if vers.worker(o.workerID) != o.workerV || vers.employer(o.employerID) != o.employerV || vers.employer(o.hostID) != o.hostV {
			continue
		}
		if o.prevID != 0 {
			if v := cardsB.Get(itob(uint64(o.prevID))); v != nil {
				var pr cardRecord
				if err := decode(v, &pr); err != nil {
					return nil, err
				}
				cs[i].prevDocID = pr.DocumentID
			}
		}
		current[i] = true
	}
	cards := make([]app.Card, len(cs))
	errs := make([]error, len(cs))
	parallel(len(cs), func(i int) {
		r := recs[i]
		if !current[i] {
			return
		}
		// The state without its history (an export does not show it; decoding it is most of
		// the cost).
		var lite struct {
			cardRecord
			History json.RawMessage `json:",omitempty"`
		}
		st := &lite.cardRecord
		st.ExamID = cs[i].id
		if cs[i].state != nil {
			if err := decode(cs[i].state, &lite); err != nil {
				errs[i] = fmt.Errorf("card of exam %d: %w", cs[i].id, err)
				return
			}
		}
		hash := contentHash(r.obs.digest, env.inst, env.settings, cs[i].prevDocID)
		op, changed := operate(st, false, hash)
		lt := nextLate(st, changed, now, r.releasedAt, env.settings.DueDays)
		if st.DocumentID == "" || sealKey(gen, hash, st.DocumentID, op, lt, env.settings) != r.seal.Key {
			current[i] = false
			return
		}
		c := st.toCard(r.number)
		c.Operate, c.Changed, c.Late, c.ContentHash, c.ReleasedAt = op, changed, lt, hash, r.releasedAt
		cards[i] = c
	})
	// The current seals' documents are copied into one arena (the values are only valid in
	// tx): one allocation instead of one per card.
	size := 0
	for i := range cs {
		if errs[i] == nil && current[i] && body {
			size += len(cs[i].raw)
		}
	}
	arena := make([]byte, size)
	type span struct {
		i, at int
	}
	var spans []span
	at := 0
	for i := range cs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if !current[i] {
			out.stale = append(out.stale, cs[i].id)
			continue
		}
		if keep {
			if out.current == nil {
				out.current = map[int64]*cardSealRecord{}
			}
			out.current[cs[i].id] = recs[i]
		}
		if recs[i].refused {
			out.refused = append(out.refused, cs[i].id)
			continue
		}
		if !inRange(recs[i].releasedAt, from, to) {
			continue
		}
		out.items = append(out.items, app.CardExportItem{Card: cards[i]})
		if body {
			spans = append(spans, span{i, at})
			at += len(cs[i].raw)
		}
	}
	// The copies run on every core: most of their time is the first touch of the pages.
	parallel(len(spans), func(j int) {
		sp := spans[j]
		i := sp.i
		deflated, parties := cs[i].deflated, cs[i].parties
		seal := recs[i].seal
		seal.ExamID, seal.Format = cs[i].id, sealer.Format()
		n := sp.at + copy(arena[sp.at:], parties)
		seal.Parties = arena[sp.at:n:n]
		m := n + copy(arena[n:], deflated)
		seal.Deflated = arena[n:m:m]
		out.items[j].Seal = &seal
	})
	return out, nil
}

// ExportItems lists the cards released in [from, to] with a current seal in format, and the
// cards to read with CardData (no current seal, or voided since their export).
func (s *CardService) ExportItems(ctx context.Context, format string, from, to time.Time) (*app.CardExportSet, error) {
	var set *app.CardExportSet
	err := s.db.view(ctx, "CardService.ExportItems", func(tx kv.Tx, _ app.Scope) error {
		sealer := s.db.opts.CardSealer
		if sealer != nil && sealer.Format() != format {
			sealer = nil
		}
		sc, err := s.scanSeals(tx, sealer, from, to, true, nil, false)
		if err != nil {
			return err
		}
		pending := append(append(sc.stale, sc.refused...), sc.voided...)
		set = &app.CardExportSet{Institution: sc.inst, Settings: sc.settings, Items: sc.items, Pending: pending}
		return nil
	})
	return set, err
}

// sealChunk is how many cards the sealer reads, renders and keeps at once.
const sealChunk = 1000

// SealPending seals the released cards without a current seal (of ids only, when given) and
// returns how many it sealed. It runs as the store itself (no user): the DocumentIds it mints
// are audited without a user. Cards with pre-flight errors are left unsealed (the export
// names them).
func (s *CardService) SealPending(ctx context.Context, ids []int64) (int, error) {
	sealer := s.db.opts.CardSealer
	if sealer == nil {
		return 0, nil
	}
	return s.sealPending(ctx, ids, 0)
}

// sealPending is SealPending pausing between chunks (the background sealer leaves the window
// the processor).
func (s *CardService) sealPending(ctx context.Context, ids []int64, pause time.Duration) (int, error) {
	sealer := s.db.opts.CardSealer
	if sealer == nil || (ids != nil && len(ids) == 0) {
		return 0, nil
	}
	var stale []int64
	err := s.db.view(ctx, "", func(tx kv.Tx, _ app.Scope) error {
		sc, err := s.scanSeals(tx, sealer, time.Time{}, time.Time{}, false, ids, false)
		if err != nil {
			return err
		}
		stale = sc.stale
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for start := 0; start < len(stale); start += sealChunk {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, err := s.sealCards(ctx, sealer, stale[start:min(start+sealChunk, len(stale))])
		n += k
		if err != nil {
			return n, err
		}
		if pause > 0 {
			select {
			case <-ctx.Done():
				return n, ctx.Err()
			case <-time.After(pause):
			}
		}
	}
	return n, nil
}

// Background sealing: how long after start the first sweep runs, how long after a change the
// exams it names are sealed, and how often at most the whole archive is swept again.
var (
	sealerStartDelay = 5 * time.Second
	sealerDebounce   = 3 * time.Second
	sealerSweepEvery = 2 * time.Minute
	sealerPause      = 50 * time.Millisecond
)

// StartSealer keeps the cards sealed in the background until ctx ends (the 单机 window and the
// server run it): soon after start every released card without a current seal, after each
// commit the exams its change notice names, and the whole archive again after registry,
// settings or catalog changes (at most every sealerSweepEvery). A failure is kept for
// SealerError and tried again at the next change. done is closed when it stops.
func (s *CardService) StartSealer(ctx context.Context) (done <-chan struct{}) {
	d := make(chan struct{})
	if s.db.opts.CardSealer == nil {
		close(d)
		return d
	}
	ch := s.db.Changes().Subscribe(ctx)
	go func() {
		defer close(d)
		ids := map[int64]bool{}
		full := true
		var lastFull time.Time
		timer := time.NewTimer(sealerStartDelay)
		armed := true
		arm := func(after time.Duration) {
			if !armed {
				timer.Reset(after)
				armed = true
			}
		}
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case c, ok := <-ch:
				if !ok {
					return
				}
				switch c.Kind {
				case app.ChangeExam:
					if len(c.IDs) == 0 {
						full = true
					}
					for _, id := range c.IDs {
						ids[id] = true
					}
				case app.ChangeWorker, app.ChangeEmployer, app.ChangeSettings, app.ChangeAll:
					full = true
				default:
					continue
				}
				wait := sealerDebounce
				if full && len(ids) == 0 {
					wait = max(wait, time.Until(lastFull.Add(sealerSweepEvery)))
				}
				arm(wait)
			case <-timer.C:
				armed = false
				var err error
				if full && time.Since(lastFull) >= sealerSweepEvery {
					_, err = s.sealPending(ctx, nil, sealerPause)
					lastFull, full = time.Now(), false
					clear(ids)
				} else if len(ids) > 0 {
					list := make([]int64, 0, len(ids))
					for id := range ids {
						list = append(list, id)
					}
					clear(ids)
					_, err = s.sealPending(ctx, list, sealerPause)
				}
				if full {
					arm(time.Until(lastFull.Add(sealerSweepEvery)))
				}
				s.mu.Lock()
				s.sealErr = err
				s.mu.Unlock()
			}
		}
	}()
	return d
}

// SealerError is the background sealer's last failure (nil when its last run succeeded).
func (s *CardService) SealerError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sealErr
}

// sealCards reads, checks, renders and keeps the seals of released cards.
func (s *CardService) sealCards(ctx context.Context, sealer CardSealer, ids []int64) (int, error) {
	var gen string
	var cs app.CardSettings
	var env *cardEnv
	err := s.db.view(ctx, "", func(tx kv.Tx, _ app.Scope) error {
		var err error
		if gen, err = s.sealGen(tx, sealer); err != nil {
			return err
		}
		env, err = s.env(tx)
		return err
	})
	if err != nil {
		return 0, err
	}
	cs = env.settings
	ds, obs, err := s.cardData(ctx, "", time.Time{}, time.Time{}, ids)
	if err != nil {
		return 0, err
	}
	var ok []app.CardData
	var okObs []sealObs
	var warnings []int
	var refused []*cardSealRecord
	var refusedIDs []int64
	// The worklist's counts leave the earlier card's state out (Cards counts it live).
	metaCounts := func(d *app.CardData) (int, int) {
		if d.Exam.Recheck && d.Exam.PreviousExamID != 0 {
			c := *d
			c.Previous = &app.Card{ExamID: d.Exam.PreviousExamID, DocumentID: "-", Status: app.CardExported}
			return cardcheck.Count(s.check(c, env))
		}
		return cardcheck.Count(s.check(*d, env))
	}
	withMeta := func(r *cardSealRecord, d *app.CardData) *cardSealRecord {
		m := metaOf(d.Exam)
		r.examDate, r.workerName, r.employer = m.ExamDate, m.WorkerName, m.Employer
		r.metaErrors, r.metaWarns = metaCounts(d)
		return r
	}
	refuse := func(d *app.CardData, o sealObs) {
		r := withMeta(&cardSealRecord{obs: o, number: d.Card.ExamNumber, releasedAt: d.Card.ReleasedAt, refused: true}, d)
		r.seal.Key = sealKey(gen, d.Card.ContentHash, d.Card.DocumentID, d.Card.Operate, d.Card.Late, cs)
		r.seal.Operate, r.seal.Late = d.Card.Operate, d.Card.Late
		refused, refusedIDs = append(refused, r), append(refusedIDs, d.Exam.ID)
	}
	for i := range ds {
		if ds[i].Exam.State != app.ExamReleased {
			continue
		}
		errs, warns := 0, 0
		for _, is := range s.check(ds[i], env) {
			if is.Level == app.LevelError {
				errs++
			} else {
				warns++
			}
		}
		if errs > 0 {
			refuse(&ds[i], obs[i])
			continue
		}
		ok, okObs, warnings = append(ok, ds[i]), append(okObs, obs[i]), append(warnings, warns)
	}
	var seals []*app.CardSeal
	if len(ok) > 0 {
		if seals, err = sealer.Seal(ok); err != nil {
			return 0, err
		}
	}
	recs := make([][]byte, len(ok))
	n := 0
	parallel(len(ok), func(i int) {
		if i >= len(seals) || seals[i] == nil {
			return
		}
		d := &ok[i]
		r := withMeta(&cardSealRecord{obs: okObs[i], number: d.Card.ExamNumber, releasedAt: d.Card.ReleasedAt, seal: *seals[i]}, d)
		r.seal.Key = sealKey(gen, d.Card.ContentHash, d.Card.DocumentID, d.Card.Operate, d.Card.Late, cs)
		r.seal.Operate, r.seal.Late, r.seal.Warnings = d.Card.Operate, d.Card.Late, warnings[i]
		recs[i] = encodeSeal(r)
	})
	for i := range ok {
		if recs[i] == nil {
			refuse(&ok[i], okObs[i])
		}
	}
	if len(ok) == 0 && len(refused) == 0 {
		return 0, nil
	}
	err = s.db.update(ctx, "", func(t *txn) error {
		b, err := t.tx.CreateBucketIfNotExists(bucketCardSeals)
		if err != nil {
			return err
		}
		for i, v := range recs {
			if v == nil {
				continue
			}
			if err := b.Put(itob(uint64(ok[i].Exam.ID)), v); err != nil {
				return err
			}
			n++
		}
		for i, r := range refused {
			if err := b.Put(itob(uint64(refusedIDs[i])), encodeSeal(r)); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// sealedMetas returns the worklist entries of the cards of ids whose seal (or refusal) is
// current, from the seals: their exams need not be read.
func (s *CardService) sealedMetas(tx kv.Tx, ids []int64, env *cardEnv) (map[int64]*cardMeta, error) {
	sealer := s.db.opts.CardSealer
	if sealer == nil || len(ids) == 0 || tx.Bucket(bucketCardSeals) == nil {
		return nil, nil
	}
	sc, err := s.scanSeals(tx, sealer, time.Time{}, time.Time{}, false, ids, true)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*cardMeta, len(sc.current))
	for id, r := range sc.current {
		out[id] = &cardMeta{Number: r.number, ExamDate: r.examDate, ReleasedAt: r.releasedAt, WorkerName: r.workerName, Employer: r.employer,
			PrevID: r.obs.prevID, WorkerID: r.obs.workerID, EmployerID: r.obs.employerID, HostID: r.obs.hostID, digest: r.obs.digest,
			gen: env.gen, errors: r.metaErrors, warnings: r.metaWarns}
	}
	return out, nil
}
