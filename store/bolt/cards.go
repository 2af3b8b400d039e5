package bolt

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"occhealth/app"
	"occhealth/app/cardcheck"
	"occhealth/assets"
	"occhealth/store/kv"
)

// Schema 6: case cards. A card's reporting state lives in its own bucket keyed by exam ID; a
// released exam without an entry is a card never touched (待上报, Add). DocumentIds are
// indexed so that a platform's feedback finds its card.
var (
	bucketCards        = []byte("cards")          // exam ID → cardRecord
	bucketCardDocID    = []byte("idx_card_docid") // DocumentId → exam ID
	bucketCardSettings = []byte("card_settings")  // keyCardSettings → app.CardSettings
	cardBuckets        = [][]byte{bucketCards, bucketCardDocID, bucketCardSettings}
	// bucketCardCache holds the card projections (cardcodec.go): derived data, created when
	// first written.
	bucketCardCache = []byte("card_cache") // exam ID → projection
)

const (
	entityCard         = "card"
	entityCardSettings = "card_settings"
	keyCardSettings    = uint64(1)
)

func init() {
	entityBuckets[entityCard] = bucketCards
	entityBuckets[entityCardSettings] = bucketCardSettings
}

// cardRecord is the stored state of one card.
type cardRecord struct {
	ExamID       int64
	DocumentID   string          `json:",omitempty"`
	Status       app.CardStatus  `json:",omitempty"`
	Operate      string          `json:",omitempty"` // what the last export sent
	Late         bool            `json:",omitempty"`
	Batch        string          `json:",omitempty"`
	Format       string          `json:",omitempty"`
	ExportedAt   time.Time       `json:",omitzero"`
	ExportedHash string          `json:",omitempty"`
	Reason       string          `json:",omitempty"`
	History      []app.CardEvent `json:",omitempty"`
}

func (r *cardRecord) exported() bool { return r.ExportedHash != "" }

// CardService implements app.CardService.
type CardService struct {
	db *DB

	mu    sync.Mutex
	rand  io.Reader
	th    *cardcheck.Thresholds
	metas map[int64]*cardMeta // released (or voided) exams read before: what the worklist needs
	// sealErr is the background sealer's last failure.
	sealErr error
}

var _ app.CardService = (*CardService)(nil)

// NewCardService returns the card service of db.
func NewCardService(db *DB) *CardService {
	s := &CardService{db: db, rand: rand.Reader, metas: map[int64]*cardMeta{}}
	f := s.forgetRegistry
	db.registryChanged.Store(&f)
	// Another server instance wrote without naming the records (a bulk write, or notices lost
	// on a reconnect): the whole worklist cache may be stale.
	reset := func() { s.mu.Lock(); s.metas = map[int64]*cardMeta{}; s.mu.Unlock() }
	db.cardsReset.Store(&reset)
	return s
}

// SetRandom pins the source of the DocumentId's random code (tests).
func (s *CardService) SetRandom(r io.Reader) { s.mu.Lock(); s.rand = r; s.mu.Unlock() }

// SetThresholds replaces the pre-flight thresholds (tests; by default the bundled
// assets/rules/card_checks.json).
func (s *CardService) SetThresholds(th cardcheck.Thresholds) {
	s.mu.Lock()
	s.th = &th
	s.metas = map[int64]*cardMeta{}
	s.mu.Unlock()
}

func (s *CardService) thresholds() (cardcheck.Thresholds, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.th == nil {
		b, err := fs.ReadFile(assets.Rules, "rules/card_checks.json")
		if err != nil {
			return cardcheck.Thresholds{}, err
		}
		th, err := cardcheck.Load(b)
		if err != nil {
			return cardcheck.Thresholds{}, err
		}
		s.th = &th
	}
	return *s.th, nil
}

// cardMeta is what the worklist shows of a released exam. Everything but the pre-flight
// counts is fixed once the exam is released; the counts are kept with the generation of
// institution and settings they were computed under.
type cardMeta struct {
	Number     string
	ExamDate   time.Time
	ReleasedAt time.Time
	WorkerName string
	Employer   string
	PrevID     int64 // a 复查's earlier exam
	// WorkerID, EmployerID and HostID: the registry records the card reads live.
	WorkerID, EmployerID, HostID int64
	// digest is the exam's projection digest with the registry facts read live (what the
	// content hash reads of the exam; the registry writes that change it drop the meta).
	digest   [32]byte
	gen      string
	errors   int
	warnings int
}

// cardEnv is what every card of one read shares.
type cardEnv struct {
	inst     *app.Institution
	settings app.CardSettings
	th       cardcheck.Thresholds
	gen      string
}

func loadCardSettings(tx kv.Tx) (app.CardSettings, []byte, error) {
	var cs app.CardSettings
	raw, _, err := get(tx, bucketCardSettings, keyCardSettings, &cs)
	return cs, raw, err
}

func (s *CardService) env(tx kv.Tx) (*cardEnv, error) {
	th, err := s.thresholds()
	if err != nil {
		return nil, err
	}
	in, instRaw, err := loadInstitution(tx)
	if err != nil {
		return nil, err
	}
	cs, csRaw, err := loadCardSettings(tx)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write(instRaw)
	h.Write([]byte{0})
	h.Write(csRaw)
	return &cardEnv{inst: in, settings: cs, th: th, gen: hex.EncodeToString(h.Sum(nil))}, nil
}

func loadCard(tx kv.Tx, examID int64) (*cardRecord, []byte, error) {
	r := &cardRecord{ExamID: examID}
	raw, ok, err := get(tx, bucketCards, uint64(examID), r)
	if err != nil {
		return nil, nil, fmt.Errorf("card of exam %d: %w", examID, err)
	}
	if !ok {
		raw = nil
	}
	return r, raw, nil
}

// candidates lists the exams that have a card: every released exam, and voided exams whose
// card was exported (they go out again as Delete).
func candidates(tx kv.Tx) ([]int64, error) {
	var ids []int64
	c := tx.Bucket(bucketExamState).Cursor()
	p := stateKey(app.ExamReleased, 0)
	p = p[:len(p)-8]
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		ids = append(ids, int64(idOfComposite(k)))
	}
	p = stateKey(app.ExamVoided, 0)
	p = p[:len(p)-8]
	cards := tx.Bucket(bucketCards)
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		id := idOfComposite(k)
		if v := cards.Get(itob(id)); v != nil {
			var r cardRecord
			if err := decode(v, &r); err != nil {
				return nil, err
			}
			if r.exported() {
				ids = append(ids, int64(id))
			}
		}
	}
	return ids, nil
}

// decodeExams reads released (or voided) exams with their records as the cards read them:
// from the card projection when there is one, else from the exam and its record (JSON,
// decoded in parallel), returning then the projection to keep in fresh[i]. Exams from a
// projection carry no Version and no bookkeeping; every exam carries its first release only
// and no addenda. It must run inside tx.
func decodeExams(tx kv.Tx, ids []int64) (out []*app.Exam, fresh [][]byte, digests [][32]byte, err error) {
	out = make([]*app.Exam, len(ids))
	fresh = make([][]byte, len(ids))
	digests = make([][32]byte, len(ids))
	type raw struct{ exam, rec, proj []byte }
	raws := make([]raw, len(ids))
	exams, recs, cache := tx.Bucket(bucketExams), tx.Bucket(bucketRecords), tx.Bucket(bucketCardCache)
	ix := tx.Bucket(bucketExamState)
	voided := make([]bool, len(ids))
	fp := typeFingerprint()
	for i, id := range ids {
		k := itob(uint64(id))
		voided[i] = ix.Get(stateKey(app.ExamVoided, id)) != nil
		if cache != nil {
			raws[i].proj = cache.Get(k)
		}
		// A projection of other types, or of an exam that is neither released nor voided
		// (it cannot happen; rather safe), is not read.
		if p := raws[i].proj; p != nil && (!bytes.HasPrefix(p, fp) || (!voided[i] && ix.Get(stateKey(app.ExamReleased, id)) == nil)) {
			raws[i].proj = nil
		}
		if raws[i].proj == nil {
			raws[i].exam, raws[i].rec = exams.Get(k), recs.Get(k)
			if raws[i].exam == nil {
				return nil, nil, nil, app.Errorf(app.ENOTFOUND, "体检 %d 不存在", id)
			}
		}
	}
	errs := make([]error, len(ids))
	parallel(len(ids), func(i int) {
		id := ids[i]
		if r := raws[i].proj; r != nil {
			e, err := decodeProjection(r)
			if err != nil {
				errs[i] = fmt.Errorf("card projection of exam %d: %w", id, err)
				return
			}
			e.State = app.ExamReleased
			if voided[i] {
				e.State = app.ExamVoided
			}
			out[i], digests[i] = e, sha256.Sum256(r)
			return
		}
		e := &app.Exam{}
		if err := decode(raws[i].exam, e); err != nil {
			errs[i] = fmt.Errorf("exam %d: %w", id, err)
			return
		}
		d := recordDisk{ExamRecord: &app.ExamRecord{ExamID: id}}
		if raws[i].rec != nil {
			if err := decode(raws[i].rec, &d); err != nil {
				errs[i] = fmt.Errorf("record of exam %d: %w", id, err)
				return
			}
		}
		e.Record = fromDisk(&d)
		// Through the projection, so that both ways give the same card (and content hash).
		b, err := encodeProjection(e)
		if err != nil {
			errs[i] = err
			return
		}
		p, err := decodeProjection(b)
		if err != nil {
			errs[i] = err
			return
		}
		p.State = e.State
		out[i], digests[i] = p, sha256.Sum256(b)
		if e.State == app.ExamReleased || e.State == app.ExamVoided {
			fresh[i] = b
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, nil, nil, err
		}
	}
	if err := overlayRegistry(tx, out, digests); err != nil {
		return nil, nil, nil, err
	}
	return out, fresh, digests, nil
}

// keepProjections stores the projections read from JSON (derived data: not audited).
func (s *CardService) keepProjections(ctx context.Context, action string, ids []int64, fresh [][]byte) error {
	n := 0
	for _, b := range fresh {
		if b != nil {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return s.db.update(ctx, action, func(t *txn) error { return putProjections(t.tx, ids, fresh) })
}

func putProjections(tx kv.Tx, ids []int64, fresh [][]byte) error {
	cache, err := tx.CreateBucketIfNotExists(bucketCardCache)
	if err != nil {
		return err
	}
	cache.SetFillPercent(appendFill)
	for i, b := range fresh {
		if b == nil {
			continue
		}
		// Only a released or voided exam's projection is kept (they never change).
		if err := cache.Put(itob(uint64(ids[i])), b); err != nil {
			return err
		}
	}
	return nil
}

func releasedAt(e *app.Exam) time.Time {
	if e.Record != nil && len(e.Record.Releases) > 0 {
		return e.Record.Releases[0].At
	}
	return time.Time{}
}

func metaOf(e *app.Exam) *cardMeta {
	m := &cardMeta{Number: e.Number, ExamDate: e.Date, ReleasedAt: releasedAt(e), WorkerID: e.WorkerID, EmployerID: e.EmployerID, HostID: e.HostEmployerID}
	if e.Recheck {
		m.PrevID = e.PreviousExamID
	}
	if p := e.Record.Parties; p != nil {
		m.WorkerName, m.Employer = p.Worker.Name, p.Employer.Name
	}
	return m
}

// toCard turns a stored state into the app's Card (Operate is set by the caller).
func (r *cardRecord) toCard(number string) app.Card {
	st := r.Status
	if st == "" {
		st = app.CardPending
	}
	return app.Card{ExamID: r.ExamID, ExamNumber: number, DocumentID: r.DocumentID, Status: st, Operate: r.Operate,
		Late: r.Late, Batch: r.Batch, ExportedAt: r.ExportedAt, ExportedHash: r.ExportedHash, Reason: r.Reason,
		History: append([]app.CardEvent(nil), r.History...)}
}

// previousCard returns the card of the exam a 复查 rechecks, nil when unknown.
func previousCard(tx kv.Tx, e *app.Exam) (*app.Card, error) {
	if !e.Recheck || e.PreviousExamID == 0 {
		return nil, nil
	}
	v := tx.Bucket(bucketExams).Get(itob(uint64(e.PreviousExamID)))
	if v == nil {
		return nil, nil
	}
	var pe struct{ Number string }
	if err := decode(v, &pe); err != nil {
		return nil, err
	}
	r, _, err := loadCard(tx, e.PreviousExamID)
	if err != nil {
		return nil, err
	}
	c := r.toCard(pe.Number)
	return &c, nil
}

// cardHash is the content hash of a card: what the adapters read of it. Bookkeeping that
// never reaches the platform is left out (versions, state, who saved, handovers after the
// first, addenda — the projection drops them —, the header's codes and the due days), so that
// only a change of what the card says makes it go out again as Update. The exam is hashed in
// its projection form (deterministic: map keys sorted).
func cardHash(d *app.CardData) string { return cardHashWith(examDigest(d.Exam), d) }

// examDigest is the hash of an exam's projection.
func examDigest(e *app.Exam) [32]byte {
	if e == nil {
		return [32]byte{}
	}
	b, err := encodeProjection(e)
	if err != nil {
		b = []byte(err.Error())
	}
	return sha256.Sum256(b)
}

// institutionBytes is what the content hash reads of the institution (its last encoding is
// remembered: every card of a read shares one institution).
func institutionBytes(in *app.Institution) []byte {
	if in == nil {
		return nil
	}
	instMu.Lock()
	defer instMu.Unlock()
	if in == instLast {
		return instBytes
	}
	c := *in
	c.Version, c.CreatedAt = 0, time.Time{}
	instBytes, _ = json.Marshal(c)
	instLast = in
	return instBytes
}

var (
	instMu    sync.Mutex
	instLast  *app.Institution
	instBytes []byte
)

// cardHashWith is cardHash with the exam's digest already known (from the stored projection).
func cardHashWith(exam [32]byte, d *app.CardData) string {
	prev := ""
	if d.Previous != nil {
		prev = d.Previous.DocumentID
	}
	return contentHash(exam, d.Institution, d.Settings, prev)
}

// contentHash is the content hash from its parts: the exam's digest, the institution, who
// writes and reports the cards, and the earlier card's DocumentId (a 复查).
func contentHash(exam [32]byte, in *app.Institution, s app.CardSettings, prevDocID string) string {
	h := sha256.New()
	h.Write(exam[:])
	h.Write([]byte{0})
	h.Write(institutionBytes(in))
	for _, x := range []string{s.Writer, s.WriterPhone, s.Reporter, s.ReporterPhone} {
		h.Write([]byte{0})
		h.Write([]byte(x))
	}
	h.Write([]byte{0})
	h.Write([]byte(prevDocID))
	return hex.EncodeToString(h.Sum(nil))
}

// operate is what the next export of a card sends, and whether the card changed since its
// last export (app.Card.Changed), given what it says now (its content hash).
func operate(r *cardRecord, voided bool, hash string) (op string, changed bool) {
	switch {
	case !r.exported():
		return app.CardAdd, false
	case voided:
		return app.CardDelete, r.Operate != app.CardDelete
	case hash != r.ExportedHash:
		return app.CardUpdate, true
	case r.Operate != "":
		return r.Operate, false
	}
	return app.CardAdd, false
}

// due is the day a card is due (zero without a due date).
func due(releasedAt time.Time, days int) time.Time {
	if days <= 0 || releasedAt.IsZero() {
		return time.Time{}
	}
	y, m, d := releasedAt.Local().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.Local).AddDate(0, 0, days)
}

// late reports whether an export at `at` is after the due day.
func late(at, dueDay time.Time) bool {
	return !dueDay.IsZero() && !at.Local().Before(dueDay.AddDate(0, 0, 1))
}

// check runs the pre-flight check of one card.
func (s *CardService) check(d app.CardData, env *cardEnv) []app.CardIssue {
	return cardcheck.Check(d, s.db.opts.Codes, env.th)
}

// Check runs the pre-flight check on one card (for the worklist's detail and the CLI).
func (s *CardService) Check(d app.CardData) ([]app.CardIssue, error) {
	th, err := s.thresholds()
	if err != nil {
		return nil, err
	}
	return cardcheck.Check(d, s.db.opts.Codes, th), nil
}

// Cards lists the worklist: cards of released exams (and exported ones voided since) by
// release date, oldest first, with their pre-flight counts.
func (s *CardService) Cards(ctx context.Context, f app.CardFilter) ([]app.CardRow, int, error) {
	var rows []app.CardRow
	total := 0
	var newIDs []int64
	var fresh [][]byte
	err := s.db.view(ctx, "CardService.Cards", func(tx kv.Tx, _ app.Scope) error {
		env, err := s.env(tx)
		if err != nil {
			return err
		}
		ids, err := candidates(tx)
		if err != nil {
			return err
		}
		if newIDs, fresh, err = s.fillMetas(tx, ids, env); err != nil {
			return err
		}
		s.mu.Lock()
		metas := make([]*cardMeta, len(ids))
		for i, id := range ids {
			metas[i] = s.metas[id]
		}
		s.mu.Unlock()
		order := make([]int, 0, len(ids))
		for i, m := range metas {
			day := m.ReleasedAt
			if (!f.From.IsZero() && day.Before(f.From)) || (!f.To.IsZero() && day.After(endOfDay(f.To))) {
				continue
			}
			order = append(order, i)
		}
		sort.SliceStable(order, func(a, b int) bool {
			ma, mb := metas[order[a]], metas[order[b]]
			if !ma.ReleasedAt.Equal(mb.ReleasedAt) {
				return ma.ReleasedAt.Before(mb.ReleasedAt)
			}
			return ids[order[a]] < ids[order[b]]
		})
		cards := tx.Bucket(bucketCards)
		for _, i := range order {
			id, m := ids[i], metas[i]
			r := &cardRecord{ExamID: id}
			if v := cards.Get(itob(uint64(id))); v != nil {
				if err := decode(v, r); err != nil {
					return err
				}
			}
			c := r.toCard(m.Number)
			if f.Status != "" && c.Status != f.Status {
				continue
			}
			errs, warns := m.errors, m.warnings
			var prevDocID string
			if m.PrevID != 0 {
				// The recheck rule is the one finding that changes after release: the earlier
				// card's state. It is counted here, not cached.
				if p := cards.Get(itob(uint64(m.PrevID))); p == nil {
					warns++
				} else {
					var pr cardRecord
					if err := decode(p, &pr); err != nil {
						return err
					}
					if pr.DocumentID == "" || pr.Status == "" || pr.Status == app.CardPending {
						warns++
					}
					prevDocID = pr.DocumentID
				}
			}
			if r.exported() {
				if tx.Bucket(bucketExamState).Get(stateKey(app.ExamVoided, id)) != nil {
					c.Changed = r.Operate != app.CardDelete
				} else {
					d := app.CardData{Institution: env.inst, Settings: env.settings, Previous: &app.Card{DocumentID: prevDocID}}
					c.Changed = cardHashWith(m.digest, &d) != r.ExportedHash
				}
			}
			if f.Failing && errs == 0 {
				continue
			}
			total++
			if total <= f.Offset || (f.Limit > 0 && len(rows) >= f.Limit) {
				continue
			}
			if !r.exported() {
				c.Operate = app.CardAdd
			}
			rows = append(rows, app.CardRow{Card: c, ExamDate: m.ExamDate, ReleasedAt: m.ReleasedAt,
				Due: due(m.ReleasedAt, env.settings.DueDays), WorkerName: m.WorkerName, Employer: m.Employer,
				Errors: errs, Warnings: warns})
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	// The projections are a cache: a listing does not fail when they cannot be kept (e.g. a
	// clock behind the audit log refuses every write); the next listing tries again.
	_ = s.keepProjections(ctx, "CardService.Cards", newIDs, fresh)
	return rows, total, nil
}

func endOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 23, 59, 59, 999999999, t.Location())
}

// fillMetas reads the exams of ids not yet (or no longer) known under env's generation and
// keeps their worklist data and pre-flight counts.
func (s *CardService) fillMetas(tx kv.Tx, ids []int64, env *cardEnv) (need []int64, fresh [][]byte, err error) {
	s.mu.Lock()
	for _, id := range ids {
		if m, ok := s.metas[id]; !ok || m.gen != env.gen {
			need = append(need, id)
		}
	}
	s.mu.Unlock()
	if len(need) == 0 {
		return nil, nil, nil
	}
	// Cards whose seal is current are listed from it.
	sealed, err := s.sealedMetas(tx, need, env)
	if err != nil {
		return nil, nil, err
	}
	if len(sealed) > 0 {
		rest := need[:0:0]
		for _, id := range need {
			if _, ok := sealed[id]; !ok {
				rest = append(rest, id)
			}
		}
		need = rest
		s.mu.Lock()
		for id, m := range sealed {
			s.metas[id] = m
		}
		s.mu.Unlock()
		if len(need) == 0 {
			return nil, nil, nil
		}
	}
	exams, fresh, digests, err := decodeExams(tx, need)
	if err != nil {
		return nil, nil, err
	}
	metas := make([]*cardMeta, len(exams))
	parallel(len(exams), func(i int) {
		e := exams[i]
		m := metaOf(e)
		m.digest = digests[i]
		d := app.CardData{Card: app.Card{ExamID: e.ID, ExamNumber: e.Number}, Exam: e, Institution: env.inst, Settings: env.settings}
		if m.PrevID != 0 {
			d.Previous = &app.Card{ExamID: m.PrevID, DocumentID: "-", Status: app.CardExported}
		}
		m.errors, m.warnings = cardcheck.Count(s.check(d, env))
		m.gen = env.gen
		metas[i] = m
	})
	s.mu.Lock()
	for i, e := range exams {
		s.metas[e.ID] = metas[i]
	}
	s.mu.Unlock()
	return need, fresh, nil
}

// parallel runs fn(0..n-1) on every core.
func parallel(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}(w)
	}
	wg.Wait()
}

// CardData reads the cards of exams released in [from, to] (all dates when both are zero), or
// of the exams given (those released in the range when one is given), mints the DocumentIds
// not minted yet (one audited write), and sets each card's Operate, Late and ContentHash.
func (s *CardService) CardData(ctx context.Context, from, to time.Time, examIDs []int64) ([]app.CardData, error) {
	out, _, err := s.cardData(ctx, "CardService.CardData", from, to, examIDs)
	return out, err
}

// sealObs is what a card's seal is checked against later: what its content was read from.
type sealObs struct {
	digest                       [32]byte
	workerID, employerID, hostID int64
	workerV, employerV, hostV    int64
	prevID                       int64
}

// cardData is CardData for an action ("" for the store's own sealing, unauthorised), also
// returning what each card was read from.
func (s *CardService) cardData(ctx context.Context, action string, from, to time.Time, examIDs []int64) ([]app.CardData, []sealObs, error) {
	var out []app.CardData
	var records []*cardRecord
	var readIDs []int64
	var fresh [][]byte
	var obs []sealObs
	var dueDays int
	err := s.db.view(ctx, action, func(tx kv.Tx, _ app.Scope) error {
		env, err := s.env(tx)
		if err != nil {
			return err
		}
		dueDays = env.settings.DueDays
		var ids []int64
		if len(examIDs) > 0 {
			ids = append(ids, examIDs...)
		} else {
			all, err := candidates(tx)
			if err != nil {
				return err
			}
			s.mu.Lock()
			for _, id := range all {
				// Exams read before are selected by their release date without decoding.
				if m, ok := s.metas[id]; ok && !inRange(m.ReleasedAt, from, to) {
					continue
				}
				ids = append(ids, id)
			}
			s.mu.Unlock()
		}
		exams, fr, dg, err := decodeExams(tx, ids)
		if err != nil {
			return err
		}
		readIDs, fresh = ids, fr
		// The cards' states, decoded on every core (the values stay valid while tx is open).
		cardsB := tx.Bucket(bucketCards)
		raws := make([][]byte, len(exams))
		for i, e := range exams {
			raws[i] = cardsB.Get(itob(uint64(e.ID)))
		}
		states := make([]*cardRecord, len(exams))
		errs := make([]error, len(exams))
		parallel(len(exams), func(i int) {
			states[i] = &cardRecord{ExamID: exams[i].ID}
			if raws[i] != nil {
				if err := decode(raws[i], states[i]); err != nil {
					errs[i] = fmt.Errorf("card of exam %d: %w", exams[i].ID, err)
				}
			}
		})
		vers := registryVersions(tx)
		for i, e := range exams {
			if errs[i] != nil {
				return errs[i]
			}
			r := states[i]
			switch {
			case e.State == app.ExamVoided && !r.exported():
				if len(examIDs) > 0 {
					return app.Errorf(app.EINVALID, "体检 %s 已作废，其个案卡从未导出，不需要上报", e.Number)
				}
				continue
			case e.State != app.ExamReleased && e.State != app.ExamVoided:
				if len(examIDs) > 0 {
					return app.Errorf(app.EINVALID, "体检 %s 为“%s”，发放报告后才有个案卡", e.Number, e.State.Name())
				}
				continue
			}
			if (len(examIDs) == 0 || !from.IsZero() || !to.IsZero()) && !inRange(releasedAt(e), from, to) {
				continue
			}
			prev, err := previousCard(tx, e)
			if err != nil {
				return err
			}
			out = append(out, app.CardData{Card: r.toCard(e.Number), Exam: e, Institution: env.inst, Settings: env.settings, Previous: prev})
			records = append(records, r)
			o := sealObs{digest: dg[i], workerID: e.WorkerID, employerID: e.EmployerID, hostID: e.HostEmployerID}
			o.workerV, o.employerV, o.hostV = vers.worker(e.WorkerID), vers.employer(e.EmployerID), vers.employer(e.HostEmployerID)
			if e.Recheck {
				o.prevID = e.PreviousExamID
			}
			obs = append(obs, o)
		}
		s.mu.Lock()
		for _, d := range out {
			if _, ok := s.metas[d.Exam.ID]; !ok {
				m := metaOf(d.Exam)
				m.gen = "" // counts not computed here; Cards computes them
				s.metas[d.Exam.ID] = m
			}
		}
		s.mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if err := s.mint(ctx, action, out, records, readIDs, fresh); err != nil {
		return nil, nil, err
	}
	now := s.db.now()
	parallel(len(out), func(i int) {
		d := &out[i]
		d.Card.ContentHash = cardHashWith(obs[i].digest, d)
		d.Card.ReleasedAt = releasedAt(d.Exam)
		d.Card.Operate, d.Card.Changed = operate(records[i], d.Exam.State == app.ExamVoided, d.Card.ContentHash)
		d.Card.Late = nextLate(records[i], d.Card.Changed, now, d.Card.ReleasedAt, dueDays)
	})
	return out, obs, nil
}

// nextLate is whether the next export of a card is 补报: a card exported before and unchanged
// keeps its mark; any other goes out late when its due date has passed.
func nextLate(r *cardRecord, changed bool, now, releasedAt time.Time, dueDays int) bool {
	if r.exported() && !changed {
		return r.Late
	}
	return late(now, due(releasedAt, dueDays))
}

func inRange(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(endOfDay(to)))
}

// docIDChunk is how many DocumentIds share one millisecond: the 5-digit random codes of one
// millisecond are drawn without repetition, so a large batch moves on to the next millisecond
// after this many.
const docIDChunk = 50000

// mint gives every card without a DocumentId one, in one audited transaction:
// 机构编码-HEALTH_EXAM_RECORD-yyyyMMddHHmmssSSS-5 位随机码, from the store's clock.
func (s *CardService) mint(ctx context.Context, action string, out []app.CardData, records []*cardRecord, readIDs []int64, fresh [][]byte) error {
	var unminted []int
	for i, r := range records {
		if r.DocumentID == "" {
			unminted = append(unminted, i)
		}
	}
	if len(unminted) == 0 {
		return s.keepProjections(ctx, action, readIDs, fresh)
	}
	return s.db.update(ctx, action, func(t *txn) error {
		if err := putProjections(t.tx, readIDs, fresh); err != nil {
			return err
		}
		in, err := t.institution()
		if err != nil {
			return err
		}
		if in == nil || len(in.Code) != 9 {
			return app.Errorf(app.EINVALID, "本机构编码未设置为 9 位数字，无法生成个案卡文档标识（DocumentId），请在机构设置中填写")
		}
		cards, idx := t.tx.Bucket(bucketCards), t.tx.Bucket(bucketCardDocID)
		cards.SetFillPercent(appendFill)
		s.mu.Lock()
		rnd := s.rand
		s.mu.Unlock()
		used := map[string]bool{}
		for j, i := range unminted {
			// A card minted by another transaction meanwhile keeps its ID.
			cur, old, err := loadCard(t.tx, out[i].Exam.ID)
			if err != nil {
				return err
			}
			if cur.DocumentID != "" {
				*records[i] = *cur
				out[i].Card = cur.toCard(out[i].Exam.Number)
				continue
			}
			stamp := t.now.Add(time.Duration(j/docIDChunk) * time.Millisecond).Local()
			prefix := in.Code + "-HEALTH_EXAM_RECORD-" + stamp.Format("20060102150405") + fmt.Sprintf("%03d", stamp.Nanosecond()/1e6) + "-"
			var id string
			for tries := 0; ; tries++ {
				var b [4]byte
				if _, err := io.ReadFull(rnd, b[:]); err != nil {
					return fmt.Errorf("random code: %w", err)
				}
				id = prefix + fmt.Sprintf("%05d", binary.BigEndian.Uint32(b[:])%100000)
				if !used[id] && idx.Get([]byte(id)) == nil {
					break
				}
				if tries > 1000 {
					return fmt.Errorf("no free DocumentId under %s", prefix)
				}
			}
			used[id] = true
			cur.DocumentID = id
			enc, err := encode(cur)
			if err != nil {
				return err
			}
			if err := cards.Put(itob(uint64(cur.ExamID)), enc); err != nil {
				return err
			}
			if err := idx.Put([]byte(id), itob(uint64(cur.ExamID))); err != nil {
				return err
			}
			if err := t.audit("CardService.CardData", entityCard, uint64(cur.ExamID), old, enc, "个案卡文档标识 "+id); err != nil {
				return err
			}
			*records[i] = *cur
			out[i].Card.DocumentID = id
		}
		return nil
	})
}

// RecordExport marks the cards of a written batch exported, in one transaction.
func (s *CardService) RecordExport(ctx context.Context, batch string, format string, cards []app.CardData) error {
	if _, err := app.Authorize(ctx, "CardService.RecordExport"); err != nil {
		return err
	}
	refs := make([]app.Card, len(cards))
	for i := range cards {
		d := &cards[i]
		if d.Exam == nil {
			return app.Errorf(app.EINVALID, "第 %d 张个案卡没有体检数据", i+1)
		}
		refs[i] = d.Card
		refs[i].ExamID, refs[i].ExamNumber, refs[i].ReleasedAt = d.Exam.ID, d.Exam.Number, releasedAt(d.Exam)
	}
	parallel(len(refs), func(i int) {
		if refs[i].ContentHash == "" {
			refs[i].ContentHash = cardHash(&cards[i])
		}
	})
	return s.recordExport(ctx, "CardService.RecordExport", batch, format, refs, nil)
}

// RecordExported marks cards exported by their state (ExportItems' and CardData's Card).
func (s *CardService) RecordExported(ctx context.Context, batch string, format string, cards []app.Card) error {
	if _, err := app.Authorize(ctx, "CardService.RecordExported"); err != nil {
		return err
	}
	return s.recordExport(ctx, "CardService.RecordExported", batch, format, cards, nil)
}

// RecordExportedAfter is RecordExported whose transaction commits only once ready returns nil
// (the export's files written and in place): the records and their audit entries are prepared
// meanwhile. An error from ready leaves nothing recorded.
func (s *CardService) RecordExportedAfter(ctx context.Context, batch string, format string, cards []app.Card, ready func() error) error {
	if _, err := app.Authorize(ctx, "CardService.RecordExported"); err != nil {
		return err
	}
	return s.recordExport(ctx, "CardService.RecordExported", batch, format, cards, ready)
}

func (s *CardService) recordExport(ctx context.Context, action, batch string, format string, cards []app.Card, ready func() error) error {
	batch = strings.TrimSpace(batch)
	switch {
	case batch == "":
		return app.FieldError("批次", "导出批次不能为空")
	case format != app.CardFormatNational && format != app.CardFormatHubei:
		return app.FieldError("格式", "未知的上报格式“%s”", format)
	case len(cards) == 0:
		return app.FieldError("个案卡", "没有要登记的个案卡")
	}
	for i, c := range cards {
		if len(c.ContentHash) != 64 || !isHex(c.ContentHash) {
			return app.Errorf(app.EINVALID, "第 %d 张个案卡（体检 %s）没有内容哈希（应先生成个案卡数据再导出），本批次未登记", i+1, c.ExamNumber)
		}
	}
	return s.db.update(ctx, action, func(t *txn) error {
		cs, _, err := loadCardSettings(t.tx)
		if err != nil {
			return err
		}
		b := t.tx.Bucket(bucketCards)
		// The stored states are read in order, decoded and re-encoded on every core, then
		// written and audited in order (the audit chain is sequential).
		raws := make([][]byte, len(cards))
		seen := make(map[int64]bool, len(cards))
		for i := range cards {
			c := &cards[i]
			if seen[c.ExamID] {
				return app.Errorf(app.EINVALID, "体检 %s 的个案卡在本批次中出现两次，本批次未登记", c.ExamNumber)
			}
			seen[c.ExamID] = true
			if v := b.Get(itob(uint64(c.ExamID))); v != nil {
				raws[i] = append([]byte(nil), v...)
			}
		}
		recs := make([]auditRecord, len(cards))
		errs := make([]error, len(cards))
		user := t.username()
		parallel(len(cards), func(i int) {
			c := &cards[i]
			a := &recs[i]
			a.ID, a.Old = uint64(c.ExamID), raws[i]
			r := &cardRecord{ExamID: c.ExamID}
			if a.Old != nil {
				if err := decode(a.Old, r); err != nil {
					errs[i] = fmt.Errorf("card of exam %d: %w", c.ExamID, err)
					return
				}
			}
			if r.DocumentID == "" || r.DocumentID != c.DocumentID {
				errs[i] = app.Errorf(app.EINVALID, "体检 %s 的个案卡文档标识与档案不符（应先生成个案卡数据再导出），本批次未登记", c.ExamNumber)
				return
			}
			op := c.Operate
			if op != app.CardAdd && op != app.CardUpdate && op != app.CardDelete {
				errs[i] = app.Errorf(app.EINVALID, "体检 %s 的个案卡操作类型“%s”无效", c.ExamNumber, op)
				return
			}
			r.Status, r.Operate, r.Batch, r.Format, r.ExportedAt, r.ExportedHash, r.Reason = app.CardExported, op, batch, format, t.now, c.ContentHash, ""
			r.Late = late(t.now, due(c.ReleasedAt, cs.DueDays))
			note := map[string]string{app.CardAdd: "新增", app.CardUpdate: "订正", app.CardDelete: "删除"}[op]
			if r.Late {
				note += "（补报）"
			}
			r.History = append(r.History, app.CardEvent{At: t.now, User: user, Status: app.CardExported, Batch: batch, Note: format + " " + note})
			a.Note = "导出个案卡，批次 " + batch + "，" + note
			a.New, errs[i] = encode(r)
		})
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		for _, a := range recs {
			if err := b.Put(itob(a.ID), a.New); err != nil {
				return err
			}
		}
		if err := t.auditBatch(action, entityCard, recs); err != nil {
			return err
		}
		if ready != nil {
			return ready()
		}
		return nil
	})
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// findCard resolves a feedback line to its exam ID: by DocumentId, else by exam number.
func findCard(tx kv.Tx, fb app.CardFeedback) (int64, bool) {
	if id := strings.TrimSpace(fb.DocumentID); id != "" {
		if v := tx.Bucket(bucketCardDocID).Get([]byte(id)); v != nil {
			return int64(btoi(v)), true
		}
		return 0, false
	}
	if n := strings.TrimSpace(fb.ExamNumber); n != "" {
		if v := tx.Bucket(bucketExamNumber).Get([]byte(n)); v != nil {
			return int64(btoi(v)), true
		}
	}
	return 0, false
}

func feedbackName(fb app.CardFeedback) string {
	if fb.DocumentID != "" {
		return fb.DocumentID
	}
	if fb.ExamNumber != "" {
		return "体检号 " + fb.ExamNumber
	}
	return "（未写明个案卡）"
}

// applyStatus sets one card's status from a feedback line or by hand.
func (t *txn) applyStatus(action string, examID int64, fb app.CardFeedback, source string) error {
	var number struct{ Number string }
	if _, ok, err := get(t.tx, bucketExams, uint64(examID), &number); err != nil {
		return err
	} else if !ok {
		return app.Errorf(app.ENOTFOUND, "体检 %d 不存在", examID)
	}
	r, old, err := loadCard(t.tx, examID)
	if err != nil {
		return err
	}
	who := "体检 " + number.Number + " 的个案卡"
	reason := strings.TrimSpace(fb.Reason)
	switch fb.Status {
	case app.CardReported:
		if !r.exported() {
			return app.Errorf(app.EINVALID, "%s尚未导出，不能登记为已上报", who)
		}
	case app.CardReturned:
		if !r.exported() {
			return app.Errorf(app.EINVALID, "%s尚未导出，不能登记为退回", who)
		}
		if reason == "" {
			return app.FieldError("退回原因", "%s：请填写平台给出的退回原因", who)
		}
	case app.CardPending:
	case app.CardExported:
		return app.Errorf(app.EINVALID, "%s：“已导出”由导出登记，不能手工设置", who)
	default:
		return app.FieldError("上报状态", "%s：未知状态“%s”", who, fb.Status)
	}
	if r.Status == "" {
		r.Status = app.CardPending
	}
	r.Status, r.Reason = fb.Status, reason
	note := source + "：" + fb.Status.Name()
	if reason != "" {
		note += "（" + reason + "）"
	}
	ev := app.CardEvent{At: t.now, User: t.username(), Status: fb.Status, Batch: r.Batch, Note: note}
	if !fb.At.IsZero() {
		ev.Note += "，平台时间 " + fb.At.Local().Format("2006-01-02 15:04")
	}
	r.History = append(r.History, ev)
	enc, err := encode(r)
	if err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketCards).Put(itob(uint64(examID)), enc); err != nil {
		return err
	}
	return t.audit(action, entityCard, uint64(examID), old, enc, note)
}

// SetCardStatus sets a card's status by hand.
func (s *CardService) SetCardStatus(ctx context.Context, fb app.CardFeedback) error {
	if _, err := app.Authorize(ctx, "CardService.SetCardStatus"); err != nil {
		return err
	}
	return s.db.update(ctx, "CardService.SetCardStatus", func(t *txn) error {
		id, ok := findCard(t.tx, fb)
		if !ok {
			return app.Errorf(app.ENOTFOUND, "找不到个案卡 %s", feedbackName(fb))
		}
		return t.applyStatus("CardService.SetCardStatus", id, fb, "手工登记")
	})
}

// ImportFeedback applies a platform's feedback lines, all or nothing; unknown cards are named
// in the error.
func (s *CardService) ImportFeedback(ctx context.Context, fb []app.CardFeedback) (int, error) {
	if _, err := app.Authorize(ctx, "CardService.ImportFeedback"); err != nil {
		return 0, err
	}
	if len(fb) == 0 {
		return 0, app.FieldError("平台反馈", "反馈文件中没有个案卡")
	}
	n := 0
	err := s.db.update(ctx, "CardService.ImportFeedback", func(t *txn) error {
		ids := make([]int64, len(fb))
		var unknown []string
		for i, x := range fb {
			id, ok := findCard(t.tx, x)
			if !ok {
				unknown = append(unknown, fmt.Sprintf("第 %d 行 %s", i+1, feedbackName(x)))
				continue
			}
			ids[i] = id
		}
		if len(unknown) > 0 {
			more := ""
			if len(unknown) > 10 {
				more = fmt.Sprintf(" 等 %d 张", len(unknown))
				unknown = unknown[:10]
			}
			return app.Errorf(app.EINVALID, "反馈中有本档案没有的个案卡：%s%s。未导入任何反馈，请核对反馈文件是否属于本机构", strings.Join(unknown, "；"), more)
		}
		for i, x := range fb {
			if err := t.applyStatus("CardService.ImportFeedback", ids[i], x, "平台反馈"); err != nil {
				return app.Errorf(app.EINVALID, "反馈第 %d 行：%s。未导入任何反馈", i+1, app.ErrorMessage(err))
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// CardSettings returns the reporting settings (empty before the first save).
func (s *CardService) CardSettings(ctx context.Context) (*app.CardSettings, error) {
	var cs app.CardSettings
	err := s.db.view(ctx, "CardService.CardSettings", func(tx kv.Tx, _ app.Scope) error {
		var err error
		cs, _, err = loadCardSettings(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &cs, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validateCardSettings checks the settings' formats; empty fields are allowed (the pre-flight
// check names them before an export).
func validateCardSettings(cs *app.CardSettings) error {
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&cs.ReportZoneCode, &cs.ReportOrgCode, &cs.License, &cs.Writer, &cs.WriterPhone, &cs.Reporter, &cs.ReporterPhone} {
		trim(p)
	}
	var es app.Errors
	if z := cs.ReportZoneCode; z != "" && (!(len(z) == 6 || len(z) == 9) || !digits(z)) {
		es = append(es, app.FieldError("上报地区代码", "应为 6 位或 9 位数字（现为“%s”）", z))
	}
	if o := cs.ReportOrgCode; o != "" && (len(o) > 20 || strings.ContainsAny(o, " \t")) {
		es = append(es, app.FieldError("上报机构代码", "最多 20 位，不含空格"))
	}
	if len([]rune(cs.License)) > 200 {
		es = append(es, app.FieldError("上报机构授权码", "最多 200 个字符"))
	}
	for _, x := range []struct{ field, v string }{{"填表人", cs.Writer}, {"报告人", cs.Reporter}} {
		if len([]rune(x.v)) > 50 {
			es = append(es, app.FieldError(x.field, "最多 50 个字"))
		}
	}
	for _, x := range []struct{ field, v string }{{"填表人电话", cs.WriterPhone}, {"报告人电话", cs.ReporterPhone}} {
		if x.v == "" {
			continue
		}
		n, bad := 0, rune(0)
		for _, r := range x.v {
			if r >= '0' && r <= '9' {
				n++
			} else if !strings.ContainsRune("-+() ", r) && bad == 0 {
				bad = r
			}
		}
		switch {
		case bad != 0:
			es = append(es, app.FieldError(x.field, "含有不允许的字符“%c”", bad))
		case len(x.v) > 20:
			es = append(es, app.FieldError(x.field, "最多 20 位"))
		case n < 7:
			es = append(es, app.FieldError(x.field, "号码过短"))
		}
	}
	if cs.DueDays < 0 || cs.DueDays > 365 {
		es = append(es, app.FieldError("上报时限", "应为 0–365 天（0 表示不设时限）"))
	}
	return es.Err()
}

// SaveCardSettings stores the reporting settings.
func (s *CardService) SaveCardSettings(ctx context.Context, cs app.CardSettings) error {
	if _, err := app.Authorize(ctx, "CardService.SaveCardSettings"); err != nil {
		return err
	}
	if err := validateCardSettings(&cs); err != nil {
		return err
	}
	return s.db.update(ctx, "CardService.SaveCardSettings", func(t *txn) error {
		_, old, err := loadCardSettings(t.tx)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			old = nil
		}
		cs.UpdatedAt, cs.UpdatedBy = t.now, t.username()
		enc, err := t.put(bucketCardSettings, keyCardSettings, &cs)
		if err != nil {
			return err
		}
		return t.audit("CardService.SaveCardSettings", entityCardSettings, keyCardSettings, old, enc, "个案卡上报设置")
	})
}
