package bolt

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"occhealth/app"
	"occhealth/store/kv"
)

// Change notices: every committed write transaction of db.update says which kinds of records
// it wrote (app.Change), so that worklists refresh without polling. The kinds come from the
// buckets the transaction wrote, recorded by a wrapper around its kv.Tx; the IDs from the keys
// of the record buckets. On an engine that several processes share (PostgreSQL) the notices
// also travel through the engine (NOTIFY inside the transaction, delivered at commit), so the
// subscribers of a second server instance on the same database hear them too, and that
// instance drops the caches they make stale.

// subBuffer is a subscriber's channel capacity; the last slot is kept for ChangeAll.
const subBuffer = 64

// maxNoticeIDs bounds the IDs of one notice (a bulk import touches thousands: "any" then).
const maxNoticeIDs = 200

// bucketKind says which change kind a bucket's writes are, and whether its keys start with
// the record ID. Index buckets accompany their records and add nothing; buckets of derived
// data (card_cache) are left out.
type bucketKind struct {
	kind  string
	ids   bool // the key's first 8 bytes are the record's ID
	index bool // written only with its record: no notice of its own
}

var bucketKinds = map[string]bucketKind{
	"exams":                 {app.ChangeExam, true, false},
	"records":               {app.ChangeExam, true, false},
	"record_history":        {app.ChangeExam, true, false},
	"idx_critical_open":     {app.ChangeExam, true, false},
	"idx_referrals":         {app.ChangeExam, true, false},
	"exam_state":            {app.ChangeExam, false, true},
	"idx_exam_number":       {app.ChangeExam, false, true},
	"idx_exam_worker":       {app.ChangeExam, false, true},
	"idx_exam_contract":     {app.ChangeExam, false, true},
	"workers":               {app.ChangeWorker, true, false},
	"idx_w_idnumber":        {app.ChangeWorker, false, true},
	"idx_w_idsuffix":        {app.ChangeWorker, false, true},
	"idx_w_name":            {app.ChangeWorker, false, true},
	"idx_w_pinyin":          {app.ChangeWorker, false, true},
	"idx_w_phone":           {app.ChangeWorker, false, true},
	"idx_w_employer":        {app.ChangeWorker, false, true},
	"employers":             {app.ChangeEmployer, true, false},
	"idx_emp_credit":        {app.ChangeEmployer, false, true},
	"idx_emp_name":          {app.ChangeEmployer, false, true},
	"idx_emp_pinyin":        {app.ChangeEmployer, false, true},
	"contracts":             {app.ChangeContract, true, false},
	"idx_contract_number":   {app.ChangeContract, false, true},
	"idx_contract_employer": {app.ChangeContract, false, true},
	"packages":              {app.ChangeContract, false, false},
	"cards":                 {app.ChangeCard, true, false},
	"idx_card_docid":        {app.ChangeCard, false, true},
	"card_cache":            {"", false, true},
	"card_seals":            {"", false, true},
	"users":                 {app.ChangeUser, true, false},
	"user_pw":               {app.ChangeUser, true, false},
	"idx_username":          {app.ChangeUser, false, true},
	"card_settings":         {app.ChangeSettings, false, false},
	"catalog_overrides":     {app.ChangeSettings, false, false},
	"doc_settings":          {app.ChangeSettings, false, false},
	"result_mappings":       {app.ChangeSettings, false, false},
	"print_log":             {app.ChangeAudit, false, false},
	"print_exam":            {app.ChangeAudit, false, true},
	"print_contract":        {app.ChangeAudit, false, true},
	"audit":                 {app.ChangeAudit, false, false},
	"audit_latest":          {app.ChangeAudit, false, true},
}

// metaKinds classifies the keys of the meta bucket.
func metaKind(key []byte) string {
	switch string(key) {
	case string(keyInstitution), string(keyBackupSetting), string(keyRulesOverride):
		return app.ChangeSettings
	case string(keyAuditHead):
		return app.ChangeAudit
	}
	return "" // schema version, exam number sequences, demo login: beside other writes
}

// touched collects what one transaction wrote.
type touched struct {
	kinds map[string]*kindIDs
}

type kindIDs struct {
	ids []int64
	any bool // a write whose record is not known by ID
}

func (tc *touched) add(bucket string, key []byte, whole bool) {
	var bk bucketKind
	if bucket == string(bucketMeta) {
		bk.kind = metaKind(key)
	} else if k, ok := bucketKinds[bucket]; ok {
		bk = k
	} else {
		bk.kind = app.ChangeAll // a bucket this table does not know yet: refresh everything
	}
	if bk.kind == "" {
		return
	}
	if tc.kinds == nil {
		tc.kinds = map[string]*kindIDs{}
	}
	k := tc.kinds[bk.kind]
	if k == nil {
		k = &kindIDs{}
		tc.kinds[bk.kind] = k
	}
	switch {
	case bk.index && !whole:
		// Written with its record, which names the ID; alone, the notice names none.
	case whole || !bk.ids || len(key) < 8 || len(k.ids) >= maxNoticeIDs:
		k.any = true
	case !k.any:
		if id := int64(btoi(key[:8])); !slices.Contains(k.ids, id) {
			k.ids = append(k.ids, id)
		}
	}
}

// notices turns what was written into change notices, one per kind; a transaction that wrote
// only the audit log gives one ChangeAudit.
func (tc *touched) notices(by string, at time.Time) []app.Change {
	if len(tc.kinds) == 0 {
		return nil
	}
	var out []app.Change
	for kind, k := range tc.kinds {
		if kind == app.ChangeAudit && len(tc.kinds) > 1 {
			continue // every write is audited: the audit notice is for audit-only writes
		}
		c := app.Change{Kind: kind, At: at, By: by}
		if !k.any {
			c.IDs = slices.Clone(k.ids)
			slices.Sort(c.IDs)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b app.Change) int {
		if a.Kind < b.Kind {
			return -1
		} else if a.Kind > b.Kind {
			return 1
		}
		return 0
	})
	return out
}

// recTx wraps a write transaction and records the buckets and keys written through it.
type recTx struct {
	kv.Tx
	tc      touched
	buckets map[string]*recBucket
}

func newRecTx(tx kv.Tx) *recTx { return &recTx{Tx: tx} }

func (r *recTx) wrap(name []byte, b kv.Bucket) kv.Bucket {
	if b == nil {
		return nil
	}
	if rb := r.buckets[string(name)]; rb != nil && rb.Bucket == b {
		return rb
	}
	if r.buckets == nil {
		r.buckets = map[string]*recBucket{}
	}
	rb := &recBucket{Bucket: b, r: r, name: string(name)}
	r.buckets[string(name)] = rb
	return rb
}

func (r *recTx) Bucket(name []byte) kv.Bucket { return r.wrap(name, r.Tx.Bucket(name)) }

func (r *recTx) CreateBucketIfNotExists(name []byte) (kv.Bucket, error) {
	b, err := r.Tx.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, err
	}
	return r.wrap(name, b), nil
}

func (r *recTx) DeleteBucket(name []byte) error {
	r.tc.add(string(name), nil, true)
	delete(r.buckets, string(name))
	return r.Tx.DeleteBucket(name)
}

func (r *recTx) ForEachBucket(fn func(name []byte, b kv.Bucket) error) error {
	return r.Tx.ForEachBucket(func(name []byte, b kv.Bucket) error { return fn(name, r.wrap(name, b)) })
}

type recBucket struct {
	kv.Bucket
	r    *recTx
	name string
}

func (b *recBucket) Put(k, v []byte) error {
	b.r.tc.add(b.name, k, false)
	return b.Bucket.Put(k, v)
}

func (b *recBucket) Delete(k []byte) error {
	b.r.tc.add(b.name, k, false)
	return b.Bucket.Delete(k)
}

// Prefetch passes the hint on (kv.Prefetcher); it writes nothing.
func (b *recBucket) Prefetch(keys [][]byte) {
	if p, ok := b.Bucket.(kv.Prefetcher); ok {
		p.Prefetch(keys)
	}
}

func (b *recBucket) Cursor() kv.Cursor { return &recCursor{Cursor: b.Bucket.Cursor(), b: b} }

type recCursor struct {
	kv.Cursor
	b   *recBucket
	cur []byte
}

func (c *recCursor) keep(k, v []byte) ([]byte, []byte) { c.cur = k; return k, v }
func (c *recCursor) First() ([]byte, []byte)           { return c.keep(c.Cursor.First()) }
func (c *recCursor) Last() ([]byte, []byte)            { return c.keep(c.Cursor.Last()) }
func (c *recCursor) Seek(s []byte) ([]byte, []byte)    { return c.keep(c.Cursor.Seek(s)) }
func (c *recCursor) Next() ([]byte, []byte)            { return c.keep(c.Cursor.Next()) }
func (c *recCursor) Prev() ([]byte, []byte)            { return c.keep(c.Cursor.Prev()) }

func (c *recCursor) Delete() error {
	c.b.r.tc.add(c.b.name, c.cur, c.cur == nil)
	return c.Cursor.Delete()
}

// changeHub fans notices out to subscribers.
type changeHub struct {
	mu       sync.Mutex
	seq      uint64
	subs     map[chan app.Change]*subscriber
	instance string
	cancel   context.CancelFunc
	done     chan struct{}
}

type subscriber struct{ lost bool }

// notice is what travels between instances through the engine.
type notice struct {
	Instance string       `json:"i"`
	Changes  []app.Change `json:"c"`
}

// Changes returns the archive's change feed.
func (db *DB) Changes() app.ChangeFeed { return changeFeed{db} }

type changeFeed struct{ db *DB }

// Subscribe implements app.ChangeFeed.
func (f changeFeed) Subscribe(ctx context.Context) <-chan app.Change {
	h := &f.db.changes
	ch := make(chan app.Change, subBuffer)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[chan app.Change]*subscriber{}
	}
	h.subs[ch] = &subscriber{}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
		h.mu.Unlock()
	}()
	return ch
}

// publish numbers the notices and hands them to every subscriber without blocking: a
// subscriber whose buffer is full gets one ChangeAll in its last slot and nothing more until
// it has read on.
func (h *changeHub) publish(cs []app.Change) {
	if len(cs) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range cs {
		h.seq++
		c.Seq = h.seq
		for ch, s := range h.subs {
			switch {
			case len(ch) < cap(ch)-1:
				ch <- c
				s.lost = false
			case !s.lost:
				ch <- app.Change{Seq: c.Seq, Kind: app.ChangeAll, At: c.At}
				s.lost = true
			}
		}
	}
}

// startChanges listens for the notices of other processes when the engine carries them.
func (db *DB) startChanges() {
	var id [8]byte
	_, _ = rand.Read(id[:])
	db.changes.instance = hex.EncodeToString(id[:])
	n, ok := db.kv.(kv.Notifier)
	if !ok {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	db.changes.cancel, db.changes.done = cancel, make(chan struct{})
	go func() {
		defer close(db.changes.done)
		_ = n.Listen(ctx, db.remoteNotice)
	}()
}

func (db *DB) stopChanges() {
	if db.changes.cancel != nil {
		db.changes.cancel()
		<-db.changes.done
		db.changes.cancel = nil
	}
}

// notify sends the transaction's notices to the other processes on the engine.
func (db *DB) notify(tx kv.Tx, cs []app.Change) error {
	n, ok := db.kv.(kv.Notifier)
	if !ok || len(cs) == 0 {
		return nil
	}
	b, err := json.Marshal(notice{Instance: db.changes.instance, Changes: cs})
	if err != nil {
		return err
	}
	if len(b) > 7000 {
		short := make([]app.Change, len(cs))
		for i, c := range cs {
			c.IDs = nil
			short[i] = c
		}
		if b, err = json.Marshal(notice{Instance: db.changes.instance, Changes: short}); err != nil {
			return err
		}
	}
	return n.Notify(tx, b)
}

// remoteNotice handles a notice from the engine: its own echoes are dropped, others drop the
// caches they make stale and go to the subscribers. nil means notices were lost.
func (db *DB) remoteNotice(payload []byte) {
	if payload == nil {
		db.forgetCaches(nil)
		db.changes.publish([]app.Change{{Kind: app.ChangeAll, At: db.now()}})
		return
	}
	var n notice
	if json.Unmarshal(payload, &n) != nil || n.Instance == db.changes.instance {
		return
	}
	db.forgetCaches(n.Changes)
	db.changes.publish(n.Changes)
}

// forgetCaches drops what this process keeps in memory from records another process changed
// (nil: everything).
func (db *DB) forgetCaches(cs []app.Change) {
	var workers, employers []int64
	all, settings := cs == nil, false
	for _, c := range cs {
		switch c.Kind {
		case app.ChangeAll:
			all = true
		case app.ChangeSettings:
			settings = true
		case app.ChangeWorker:
			if len(c.IDs) == 0 {
				all = true
			}
			workers = append(workers, c.IDs...)
		case app.ChangeEmployer:
			if len(c.IDs) == 0 {
				all = true
			}
			employers = append(employers, c.IDs...)
		}
	}
	// The card worklist's cache is dropped per worker and employer, and whole after a notice
	// without IDs (when the card service has set its reset hook).
	if f := db.cardsReset.Load(); f != nil && all {
		(*f)()
	} else if f := db.registryChanged.Load(); f != nil && (len(workers) > 0 || len(employers) > 0) {
		(*f)(workers, employers)
	}
	if all || settings {
		db.reloadSettings()
	}
}

// reloadSettings puts in force the rule table and catalogs another process saved.
func (db *DB) reloadSettings() {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.kv == nil {
		return
	}
	if err := db.applyRuleOverride(); err == nil {
		var has bool
		_ = db.kv.View(func(tx kv.Tx) error { has = tx.Bucket(bucketMeta).Get(keyRulesOverride) != nil; return nil })
		if !has {
			db.planner.set(db.planner.bundled)
		}
	}
	if set := db.catalogs.Load(); set != nil {
		_ = db.ApplyOverrides(set)
	}
}
