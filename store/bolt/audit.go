package bolt

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
)

// macAlg is the algorithm prefix of chain MACs made with HMAC-SHA-256. An SM3-HMAC key would
// write "hmac-sm3:"; entries keep their own prefix, so history needs no migration.
const macAlg = "hmac-sha256"

// entityBuckets maps audited entities to the bucket holding their current records, so that
// VerifyAudit can compare every record with its newest audit entry.
var entityBuckets = map[string][]byte{
	"user":     bucketUsers,
	"employer": bucketEmployers,
	"worker":   bucketWorkers,
	"contract": bucketContracts,
	"package":  bucketPackages,
	"exam":     bucketExams,
}

// canonicalEntry is the byte string the MAC covers: the entry's JSON with MAC empty.
func canonicalEntry(e app.AuditEntry) []byte {
	e.MAC = ""
	b, _ := json.Marshal(e)
	return b
}

func computeMAC(k store.Key, e app.AuditEntry, prev string) string {
	m := hmac.New(sha256.New, k.Secret)
	m.Write(canonicalEntry(e))
	m.Write([]byte{0})
	m.Write([]byte(prev))
	return macAlg + ":" + hex.EncodeToString(m.Sum(nil))
}

// keyAuditHead caches the newest entry's time and MAC in meta, so that appending and the
// clock check do not decode the newest entry each time. verify never trusts it: it
// recomputes the chain from the entries.
var keyAuditHead = []byte("audit_head")

type auditHead struct {
	Time time.Time
	MAC  string
}

func readAuditHead(tx kv.Tx) (auditHead, bool) {
	if v := tx.Bucket(bucketMeta).Get(keyAuditHead); v != nil {
		var h auditHead
		if json.Unmarshal(v, &h) == nil {
			return h, true
		}
	}
	if e, ok := lastAudit(tx); ok {
		return auditHead{e.Time, e.MAC}, true
	}
	return auditHead{}, false
}

func lastAudit(tx kv.Tx) (app.AuditEntry, bool) {
	k, v := tx.Bucket(bucketAudit).Cursor().Last()
	if k == nil {
		return app.AuditEntry{}, false
	}
	var e app.AuditEntry
	if err := decode(v, &e); err != nil {
		return app.AuditEntry{}, false
	}
	return e, true
}

// diffJSON lists the top-level fields that differ between two encoded records as
// {"field": [old, new]}. Fields that only carry bookkeeping (Version, UpdatedAt) are left out.
// A create (old == nil) lists only the identifying fields: the audit log keeps what changed
// and a hash of the record, never a full copy.
func diffJSON(old, new []byte) string {
	var a, b map[string]json.RawMessage
	if len(old) > 1 {
		_ = json.Unmarshal(old[1:], &a)
	}
	if len(new) > 1 {
		_ = json.Unmarshal(new[1:], &b)
	}
	return diffMaps(a, b)
}

// diffMaps is diffJSON on records already split into their top-level fields.
func diffMaps(a, b map[string]json.RawMessage) string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		if k == "Version" || k == "UpdatedAt" || k == "UpdatedBy" || k == "CreatedAt" || k == "ID" {
			continue
		}
		if !bytes.Equal(a[k], b[k]) && !(isNull(a[k]) && isNull(b[k])) {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			sb.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		sb.Write(kb)
		sb.WriteString(":[")
		writeRaw(&sb, a[k])
		sb.WriteByte(',')
		writeRaw(&sb, b[k])
		sb.WriteByte(']')
	}
	sb.WriteByte('}')
	return sb.String()
}

// isNull reports whether a field is absent or null (an empty list or pointer either way).
func isNull(r json.RawMessage) bool { return r == nil || string(r) == "null" }

func writeRaw(sb *strings.Builder, r json.RawMessage) {
	if r == nil {
		sb.WriteString("null")
		return
	}
	sb.Write(r)
}

// appendAudit chains one entry onto the log.
func appendAudit(tx kv.Tx, keys *store.KeyRing, e app.AuditEntry) (app.AuditEntry, error) {
	b := tx.Bucket(bucketAudit)
	b.SetFillPercent(appendFill)
	seq, err := b.NextSequence()
	if err != nil {
		return e, err
	}
	prev := ""
	if last, ok := readAuditHead(tx); ok {
		prev = last.MAC
	}
	k := keys.Current()
	e.Seq = seq
	e.Time = e.Time.UTC()
	e.KeyID = k.ID
	e.MAC = computeMAC(k, e, prev)
	enc, err := encode(e)
	if err != nil {
		return e, err
	}
	if err := b.Put(itob(seq), enc); err != nil {
		return e, err
	}
	head, _ := json.Marshal(auditHead{e.Time, e.MAC})
	if err := tx.Bucket(bucketMeta).Put(keyAuditHead, head); err != nil {
		return e, err
	}
	if isRecordEntry(e) {
		if err := tx.Bucket(bucketAuditLast).Put([]byte(fmt.Sprintf("%s/%d", e.Entity, e.EntityID)), itob(seq)); err != nil {
			return e, err
		}
	}
	return e, nil
}

// auditCreate appends the entry for a new record: its hash and the identifying fields given as
// name, value pairs (the log says what was created without a copy of the record).
// touch remembers a written worker or employer for the case cards.
func (t *txn) touch(entity string, id uint64) {
	switch entity {
	case "worker":
		t.touchedWorkers = append(t.touchedWorkers, int64(id))
	case "employer":
		t.touchedEmployers = append(t.touchedEmployers, int64(id))
	}
}

func (t *txn) auditCreate(action, entity string, id uint64, enc []byte, fields ...string) error {
	var sb strings.Builder
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteByte('{')
		} else {
			sb.WriteByte(',')
		}
		k, _ := json.Marshal(fields[i])
		v, _ := json.Marshal(fields[i+1])
		sb.Write(k)
		sb.WriteString(":[null,")
		sb.Write(v)
		sb.WriteByte(']')
	}
	if sb.Len() > 0 {
		sb.WriteByte('}')
	}
	_, err := appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{
		Time: t.now, User: t.username(), Workstation: t.ws, Action: action,
		Entity: entity, EntityID: int64(id), Diff: sb.String(), RecordHash: store.HashRecord(enc),
	})
	return err
}

// isRecordEntry reports whether e is about a stored record (not a read, not a system event).
func isRecordEntry(e app.AuditEntry) bool {
	return e.Entity != "" && e.EntityID != 0 && !strings.HasPrefix(e.Entity, "read:")
}

// audit appends the entry for a write of one record: old and new are the encoded records
// (nil for a create or a delete).
func (t *txn) audit(action, entity string, id uint64, old, new []byte, note string) error {
	t.touch(entity, id)
	e := app.AuditEntry{
		Time: t.now, User: t.username(), Workstation: t.ws, Action: action,
		Entity: entity, EntityID: int64(id), Diff: diffJSON(old, new), Note: note,
	}
	if new != nil {
		e.RecordHash = store.HashRecord(new)
	}
	_, err := appendAudit(t.tx, t.db.opts.Keys, e)
	return err
}

// AuditService implements app.AuditService.
type AuditService struct{ db *DB }

var _ app.AuditService = (*AuditService)(nil)

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// FindAudit lists entries newest first.
func (s *AuditService) FindAudit(ctx context.Context, f app.AuditFilter) ([]app.AuditEntry, int, error) {
	var out []app.AuditEntry
	total := 0
	err := s.db.view(ctx, "AuditService.FindAudit", func(tx kv.Tx, _ app.Scope) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e app.AuditEntry
			if err := decode(v, &e); err != nil {
				return err
			}
			if (f.Entity != "" && e.Entity != f.Entity) || (f.EntityID != 0 && e.EntityID != f.EntityID) || (f.User != "" && e.User != f.User) {
				continue
			}
			total++
			if total > f.Offset && (f.Limit == 0 || len(out) < f.Limit) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, total, err
}

// VerifyAudit recomputes the chain, checks every current record against its newest audit
// entry, and checks the anchors in the backup folder.
func (s *AuditService) VerifyAudit(ctx context.Context) (app.AuditReport, error) {
	var r app.AuditReport
	err := s.db.view(ctx, "AuditService.VerifyAudit", func(tx kv.Tx, _ app.Scope) error {
		var err error
		r, err = verifyChain(tx, s.db.opts.Keys)
		return err
	})
	if err != nil || !r.OK {
		return r, err
	}
	s.db.checkAnchors(&r)
	return r, nil
}

// VerifyAuditOffline verifies an archive without a login, for the `verify` command run by
// an administrator on the machine. It checks the same as VerifyAudit.
func (db *DB) VerifyAuditOffline() (app.AuditReport, error) {
	var r app.AuditReport
	db.mu.RLock()
	err := db.kv.View(func(tx kv.Tx) error {
		var err error
		r, err = verifyChain(tx, db.opts.Keys)
		return err
	})
	db.mu.RUnlock()
	if err != nil || !r.OK {
		return r, err
	}
	db.checkAnchors(&r)
	return r, nil
}

func verifyChain(tx kv.Tx, keys *store.KeyRing) (r app.AuditReport, err error) {
	r = app.AuditReport{OK: true}
	fail := func(seq uint64, format string, args ...any) {
		if r.OK {
			r.OK, r.FirstBad, r.Problem = false, seq, fmt.Sprintf(format, args...)
		}
	}
	prev, prevKey := "", ""
	var prevSeq uint64
	var prevTime time.Time
	latest := map[string]app.AuditEntry{}
	missingFrom, missingTo := map[string]uint64{}, map[string]uint64{}
	defer func() {
		for k, from := range missingFrom {
			r.Notes = append(r.Notes, fmt.Sprintf("第 %d–%d 条审计记录由密钥 %s 签名，该密钥不在本机（密钥丢失后已开始新的链段），这些记录的顺序已核对，校验码无法核对。", from, missingTo[k], k))
		}
	}()
	c := tx.Bucket(bucketAudit).Cursor()
	for k, v := c.First(); k != nil && r.OK; k, v = c.Next() {
		var e app.AuditEntry
		if err := decode(v, &e); err != nil {
			fail(btoi(k), "第 %d 条审计记录无法解析", btoi(k))
			break
		}
		r.Entries++
		if e.Seq != btoi(k) {
			fail(btoi(k), "第 %d 条审计记录的序号被改为 %d", btoi(k), e.Seq)
			break
		}
		if e.Seq != prevSeq+1 {
			fail(prevSeq+1, "第 %d 条审计记录缺失（删除或重排）", prevSeq+1)
			break
		}
		if e.Time.Before(prevTime) {
			fail(e.Seq, "第 %d 条审计记录的时间早于前一条（重排或篡改）", e.Seq)
			break
		}
		if e.KeyID != prevKey {
			r.Segments++
			prevKey = e.KeyID
		}
		if !strings.HasPrefix(e.MAC, macAlg+":") {
			fail(e.Seq, "第 %d 条审计记录的算法标识“%s”未知", e.Seq, e.MAC)
			break
		}
		if key, ok := keys.ByID(e.KeyID); !ok {
			// A lost key ring is survivable: the entries it signed keep their order and their
			// link to the next segment, but their MACs cannot be checked on this PC.
			if r.Unverifiable == 0 || missingFrom[e.KeyID] == 0 {
				missingFrom[e.KeyID] = e.Seq
			}
			missingTo[e.KeyID] = e.Seq
			r.Unverifiable++
		} else if want := computeMAC(key, e, prev); !hmac.Equal([]byte(want), []byte(e.MAC)) {
			fail(e.Seq, "第 %d 条审计记录的校验码不符（记录被修改、删除或重排）", e.Seq)
			break
		}
		if isRecordEntry(e) {
			latest[fmt.Sprintf("%s/%d", e.Entity, e.EntityID)] = e
		}
		prev, prevSeq, prevTime = e.MAC, e.Seq, e.Time
	}
	r.Head = prev
	if !r.OK {
		return r, nil
	}
	// Every current record must hash to its newest audit entry, and every record the log says
	// exists must exist.
	for entity, bucket := range entityBuckets {
		err := tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			id := btoi(k)
			key := fmt.Sprintf("%s/%d", entity, id)
			e, ok := latest[key]
			switch {
			case !ok:
				fail(0, "%s 记录 %d 没有任何审计记录（绕过程序写入）", entityName(entity), id)
			case e.RecordHash != store.HashRecord(v):
				fail(e.Seq, "%s 记录 %d 与第 %d 条审计记录的哈希不符（记录在程序之外被修改）", entityName(entity), id, e.Seq)
			default:
				r.RecordsChecked++
			}
			return nil
		})
		if err != nil {
			return r, err
		}
	}
	for key, e := range latest {
		entity := key[:strings.IndexByte(key, '/')]
		bucket, ok := entityBuckets[entity]
		if !ok || e.RecordHash == "" {
			continue
		}
		if tx.Bucket(bucket).Get(itob(uint64(e.EntityID))) == nil {
			fail(e.Seq, "%s 记录 %d 已不存在，但审计日志中没有删除记录（记录在程序之外被删除）", entityName(entity), e.EntityID)
		}
	}
	// The audit_latest index must agree with the log.
	err = tx.Bucket(bucketAuditLast).ForEach(func(k, v []byte) error {
		if e, ok := latest[string(k)]; !ok || e.Seq != btoi(v) {
			fail(btoi(v), "审计索引 %s 与审计日志不一致", k)
		}
		return nil
	})
	return r, err
}

func entityName(e string) string {
	switch e {
	case "user":
		return "用户"
	case "employer":
		return "用人单位"
	case "worker":
		return "劳动者"
	case "contract":
		return "体检任务"
	case "package":
		return "套餐"
	case "exam":
		return "体检"
	case entityRecord:
		return "体检记录"
	}
	return e
}

// readAuditor batches audit entries for reads of worker archives and writes them in one
// transaction every flushEvery or every batchMax reads, off the UI's path. A crash loses at
// most the reads of the last flushEvery (stated in docs/安全设计.md).
type readAuditor struct {
	db     *DB
	mu     sync.Mutex
	buf    []app.AuditEntry
	kick   chan struct{}
	done   chan struct{}
	closed bool
}

const (
	readFlushEvery = 2 * time.Second
	readBatchMax   = 500
)

func newReadAuditor(db *DB) *readAuditor {
	r := &readAuditor{db: db, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go r.loop()
	return r
}

// record queues one read.
func (r *readAuditor) record(ctx context.Context, action, entity string, id int64) {
	u := app.UserFromContext(ctx)
	name := ""
	if u != nil {
		name = u.Username
	}
	ws := app.WorkstationFromContext(ctx)
	if ws == "" {
		ws = r.db.opts.Workstation
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.buf = append(r.buf, app.AuditEntry{Time: r.db.now(), User: name, Workstation: ws, Action: action, Entity: "read:" + entity, EntityID: id})
	n := len(r.buf)
	r.mu.Unlock()
	if n >= readBatchMax {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

func (r *readAuditor) loop() {
	t := time.NewTicker(readFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-r.kick:
		case <-r.done:
			r.flush()
			return
		}
		r.flush()
	}
}

// flush writes the queued reads. Times are raised to the newest entry's time so that a
// read queued just before a write never breaks the chain's order.
func (r *readAuditor) flush() {
	r.mu.Lock()
	buf := r.buf
	r.buf = nil
	r.mu.Unlock()
	if len(buf) == 0 {
		return
	}
	r.db.mu.RLock()
	defer r.db.mu.RUnlock()
	if r.db.kv == nil {
		return
	}
	_ = r.db.kv.Update(func(tx kv.Tx) error {
		last, _ := lastAudit(tx)
		for _, e := range buf {
			if e.Time.Before(last.Time) {
				e.Time = last.Time
			}
			var err error
			if last, err = appendAudit(tx, r.db.opts.Keys, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// Flush writes queued read entries now (for tests and before a backup).
func (db *DB) FlushReads() { db.reads.flush() }

func (r *readAuditor) close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	r.mu.Unlock()
	close(r.done)
	// The loop flushes once more on done; wait for it by flushing synchronously too.
	r.flush()
}
