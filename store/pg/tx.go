package pg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"occhealth/store/kv"
)

// Limits of bbolt, kept so that a value accepted here is accepted by a bbolt backup too.
const (
	maxKeySize   = 32768
	maxValueSize = (1 << 31) - 2
	// flushAt bounds the queued statements sent in one batch, and pendingAt the writes kept
	// before they are sent.
	flushAt   = 512
	pendingAt = 20000
	// rowsPer bounds the rows of one array statement.
	rowsPer = 5000
	// maxCached bounds a transaction's cache of reads.
	maxCached = 64 << 20
)

var (
	errKeyRequired   = errors.New("kv: key required")
	errKeyTooLarge   = errors.New("kv: key too large")
	errValueTooLarge = errors.New("kv: value too large")
	errBucketName    = errors.New("kv: bucket name required")
	errNoBucket      = errors.New("kv: bucket not found")
	errBucketGone    = errors.New("kv: bucket was deleted in this transaction")
)

// tx is one transaction. It is not safe for concurrent use (nor is a bbolt transaction).
type tx struct {
	e        *Engine
	ctx      context.Context
	ptx      conn      // statements with a deadline each
	raw      *pgx.Conn // the same connection without deadlines: the writer lock, bulk loads
	writable bool
	buckets  map[string]*bucket
	batch    *pgx.Batch // queued statements (bucket deletions, notices), sent by flush
	// pending holds the writes not yet sent, per bucket ID and key: the last write of a key
	// wins, and flush sends each bucket's writes as one upsert and one delete over arrays.
	pending  map[int64]map[string]pendingOp
	npending int
	cached   int // bytes in the buckets' caches (approximate)
	// err is the first failure of the server link; the transaction rolls back with it. Get
	// and cursors cannot return errors (bbolt's shape), so they record it and return nil.
	err      error
	onCommit []func()
}

// conn is what a transaction sends its statements on (a *pgx.Conn).
type conn interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

// bucket is a bucket as seen by one transaction.
type bucket struct {
	t        *tx
	id       int64
	name     []byte
	seq      uint64
	seqDirty bool
	gone     bool
	gen      uint64           // bumped by every write: cursors refetch their window
	cache    map[string]entry // Gets and own writes
}

type pendingOp struct {
	k, v []byte
	del  bool
}

type entry struct {
	v  []byte
	ok bool
}

// begin opens the transaction, takes the writer lock (write transactions) and reads the
// bucket list, in one round trip: BEGIN inside a pipeline opens a transaction block that
// outlives the pipeline.
func (t *tx) begin() error {
	b := &pgx.Batch{}
	var ptx conn = t.ptx
	if t.writable {
		ptx = timedConn{t.raw, max(lockTimeout, t.e.timeout())}
		b.Queue("BEGIN ISOLATION LEVEL READ COMMITTED")
		b.Queue("SELECT pg_advisory_xact_lock($1)", writerLock)
	} else {
		b.Queue("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
	}
	b.Queue("SELECT id, name, seq FROM kv_bucket")
	br := ptx.SendBatch(t.ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return err
	}
	if t.writable {
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	rows, err := br.Query()
	if err != nil {
		return err
	}
	t.buckets = map[string]*bucket{}
	for rows.Next() {
		var id, seq int64
		var name []byte
		if err := rows.Scan(&id, &name, &seq); err != nil {
			rows.Close()
			return err
		}
		t.buckets[string(name)] = &bucket{t: t, id: id, name: name, seq: uint64(seq)}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return br.Close()
}

// rollback ends the transaction without keeping anything; on a broken link the server has
// rolled it back already.
func (t *tx) rollback() {
	_, _ = t.ptx.Exec(t.ctx, "ROLLBACK")
}

// fail records the first link failure.
func (t *tx) fail(err error) {
	if t.err == nil && err != nil {
		t.err = err
	}
}

// queue adds a write to the batch, sending it when it grows large.
func (t *tx) queue(sql string, args ...any) {
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	t.batch.Queue(sql, args...)
	if t.batch.Len() >= flushAt {
		t.flush()
	}
}

// write records a Put (or a Delete when del) to be sent by the next flush.
func (t *tx) write(b *bucket, k, v []byte, del bool) {
	if t.pending == nil {
		t.pending = map[int64]map[string]pendingOp{}
	}
	m := t.pending[b.id]
	if m == nil {
		m = map[string]pendingOp{}
		t.pending[b.id] = m
	}
	if _, ok := m[string(k)]; !ok {
		t.npending++
	}
	m[string(k)] = pendingOp{k: k, v: v, del: del}
	if t.npending >= pendingAt {
		t.flush()
	}
}

// flush sends the pending writes, dirty sequences and queued statements in one batch.
func (t *tx) flush() {
	if t.err != nil {
		return
	}
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	for id, m := range t.pending {
		var pk, pv, dk [][]byte
		// In key order: rows of a bulk write land in the table in the order walks read them.
		ops := make([]pendingOp, 0, len(m))
		for _, op := range m {
			ops = append(ops, op)
		}
		slices.SortFunc(ops, func(a, b pendingOp) int { return bytes.Compare(a.k, b.k) })
		for _, op := range ops {
			if op.del {
				dk = append(dk, op.k)
			} else {
				pk, pv = append(pk, op.k), append(pv, op.v)
			}
		}
		for i := 0; i < len(pk); i += rowsPer {
			j := min(i+rowsPer, len(pk))
			t.batch.Queue("INSERT INTO kv (b, k, v) SELECT $1, * FROM unnest($2::bytea[], $3::bytea[]) ON CONFLICT (b, k) DO UPDATE SET v = excluded.v", id, pk[i:j], pv[i:j])
		}
		for i := 0; i < len(dk); i += rowsPer {
			j := min(i+rowsPer, len(dk))
			t.batch.Queue("DELETE FROM kv WHERE b = $1 AND k = ANY($2::bytea[])", id, dk[i:j])
		}
	}
	t.pending, t.npending = nil, 0
	for _, b := range t.buckets {
		if b.seqDirty && !b.gone {
			b.seqDirty = false
			t.batch.Queue("UPDATE kv_bucket SET seq = $2 WHERE id = $1", b.id, int64(b.seq))
		}
	}
	if t.batch.Len() == 0 {
		return
	}
	b := t.batch
	t.batch = nil
	if err := t.ptx.SendBatch(t.ctx, b).Close(); err != nil {
		t.fail(err)
	}
}

func (t *tx) Writable() bool { return t.writable }

func (t *tx) OnCommit(fn func()) { t.onCommit = append(t.onCommit, fn) }

func (t *tx) Bucket(name []byte) kv.Bucket {
	b := t.buckets[string(name)]
	if b == nil {
		return nil
	}
	return b
}

func (t *tx) CreateBucketIfNotExists(name []byte) (kv.Bucket, error) {
	if !t.writable {
		return nil, kv.ErrReadOnly
	}
	if len(name) == 0 {
		return nil, errBucketName
	}
	if b := t.buckets[string(name)]; b != nil {
		return b, nil
	}
	if t.err != nil {
		return nil, t.err
	}
	t.flush()
	var id int64
	if err := t.ptx.QueryRow(t.ctx, "INSERT INTO kv_bucket (name) VALUES ($1) RETURNING id", name).Scan(&id); err != nil {
		t.fail(err)
		return nil, err
	}
	b := &bucket{t: t, id: id, name: bytes.Clone(name)}
	t.buckets[string(name)] = b
	return b, nil
}

func (t *tx) DeleteBucket(name []byte) error {
	if !t.writable {
		return kv.ErrReadOnly
	}
	b := t.buckets[string(name)]
	if b == nil {
		return errNoBucket
	}
	if t.pending[b.id] != nil {
		t.npending -= len(t.pending[b.id])
		delete(t.pending, b.id)
	}
	t.queue("DELETE FROM kv WHERE b = $1", b.id)
	t.queue("DELETE FROM kv_bucket WHERE id = $1", b.id)
	b.gone = true
	b.gen++
	delete(t.buckets, string(name))
	return t.err
}

func (t *tx) ForEachBucket(fn func(name []byte, b kv.Bucket) error) error {
	names := make([]string, 0, len(t.buckets))
	for n := range t.buckets {
		names = append(names, n)
	}
	sort.Strings(names) // Go strings compare bytewise: memcmp order
	for _, n := range names {
		b := t.buckets[n]
		if b == nil {
			continue // deleted by fn
		}
		if err := fn([]byte(n), b); err != nil {
			return err
		}
	}
	return nil
}

// Bucket operations.

func (b *bucket) Get(key []byte) []byte {
	if b.gone {
		return nil
	}
	if e, ok := b.cache[string(key)]; ok {
		return e.v
	}
	t := b.t
	if t.err != nil {
		return nil
	}
	// No flush: a key this transaction wrote is in the cache, so the queued writes cannot
	// change what the server holds for this one.
	t.trimCache()
	var v []byte
	err := t.ptx.QueryRow(t.ctx, "SELECT v FROM kv WHERE b = $1 AND k = $2", b.id, key).Scan(&v)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		b.remember(key, nil, false)
		return nil
	case err != nil:
		t.fail(err)
		return nil
	}
	if v == nil {
		v = []byte{}
	}
	b.remember(key, v, true)
	return v
}

func (b *bucket) remember(key, v []byte, ok bool) {
	if b.cache == nil {
		b.cache = map[string]entry{}
	}
	if _, had := b.cache[string(key)]; !had {
		b.t.cached += len(key) + len(v) + 64
	}
	b.cache[string(key)] = entry{v, ok}
}

// Prefetch reads the keys not yet cached in one statement per 1,000 (kv.Prefetcher).
func (b *bucket) Prefetch(keys [][]byte) {
	t := b.t
	if b.gone || t.err != nil {
		return
	}
	var need [][]byte
	for _, k := range keys {
		if _, ok := b.cache[string(k)]; !ok && len(k) > 0 {
			need = append(need, k)
		}
	}
	for len(need) > 0 {
		chunk := need[:min(len(need), 1000)]
		need = need[len(chunk):]
		rows, err := t.ptx.Query(t.ctx, "SELECT k, v FROM kv WHERE b = $1 AND k = ANY($2::bytea[])", b.id, chunk)
		if err != nil {
			t.fail(err)
			return
		}
		found := map[string]bool{}
		for rows.Next() {
			var k, v []byte
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				t.fail(err)
				return
			}
			if v == nil {
				v = []byte{}
			}
			found[string(k)] = true
			b.remember(k, v, true)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.fail(err)
			return
		}
		for _, k := range chunk {
			if !found[string(k)] {
				b.remember(bytes.Clone(k), nil, false)
			}
		}
	}
}

// trimCache drops the cached reads once they pass maxCached bytes (a long read transaction
// must not hold everything it read); a write transaction sends its queued writes first, since
// the cache holds them until then.
func (t *tx) trimCache() {
	if t.cached < maxCached {
		return
	}
	if t.writable {
		t.flush()
		if t.err != nil {
			return
		}
	}
	for _, b := range t.buckets {
		b.cache = nil
	}
	t.cached = 0
}

func (b *bucket) check(key []byte) error {
	switch {
	case !b.t.writable:
		return kv.ErrReadOnly
	case b.gone:
		return errBucketGone
	case len(key) == 0:
		return errKeyRequired
	case len(key) > maxKeySize:
		return errKeyTooLarge
	}
	return b.t.err
}

func (b *bucket) Put(key, value []byte) error {
	if err := b.check(key); err != nil {
		return err
	}
	if int64(len(value)) > maxValueSize {
		return errValueTooLarge
	}
	k, v := bytes.Clone(key), bytes.Clone(value)
	if v == nil {
		v = []byte{}
	}
	b.t.write(b, k, v, false)
	b.remember(k, v, true)
	b.gen++
	return b.t.err
}

func (b *bucket) Delete(key []byte) error {
	if err := b.check(key); err != nil {
		return err
	}
	k := bytes.Clone(key)
	b.t.write(b, k, nil, true)
	b.remember(k, nil, false)
	b.gen++
	return b.t.err
}

func (b *bucket) Cursor() kv.Cursor { return &cursor{b: b} }

func (b *bucket) ForEach(fn func(k, v []byte) error) error {
	c := &cursor{b: b}
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return b.t.err
}

func (b *bucket) NextSequence() (uint64, error) {
	if !b.t.writable {
		return 0, kv.ErrReadOnly
	}
	if b.gone {
		return 0, errBucketGone
	}
	b.seq++
	b.seqDirty = true
	return b.seq, b.t.err
}

func (b *bucket) Sequence() uint64 { return b.seq }

func (b *bucket) SetSequence(v uint64) error {
	if !b.t.writable {
		return kv.ErrReadOnly
	}
	if b.gone {
		return errBucketGone
	}
	b.seq = v
	b.seqDirty = true
	return b.t.err
}

func (b *bucket) KeyN() int {
	t := b.t
	if b.gone || t.err != nil {
		return 0
	}
	t.flush()
	var n int
	if err := t.ptx.QueryRow(t.ctx, "SELECT count(*) FROM kv WHERE b = $1", b.id).Scan(&n); err != nil {
		t.fail(err)
		return 0
	}
	return n
}

func (b *bucket) SetFillPercent(float64) {}

// fetch reads up to n pairs from the server: ascending from key (inclusive when incl) or,
// when desc, descending below key; key nil means from the end.
func (b *bucket) fetch(key []byte, incl, desc bool, n int) []pair {
	return b.fetchBounded(key, incl, desc, n, nil)
}

// fetchBounded is fetch (ascending) limited to keys below bound, plus the first key at or
// above bound: a prefix scan reads its prefix and the one key that ends it, no more.
func (b *bucket) fetchBounded(key []byte, incl, desc bool, n int, bound []byte) []pair {
	t := b.t
	if b.gone || t.err != nil {
		return nil
	}
	t.flush()
	var q string
	args := []any{b.id, n}
	switch {
	case key == nil && !desc:
		q = "SELECT k, v FROM kv WHERE b = $1 ORDER BY k LIMIT $2"
	case key == nil && desc:
		q = "SELECT k, v FROM kv WHERE b = $1 ORDER BY k DESC LIMIT $2"
	default:
		op := map[[2]bool]string{{false, false}: ">", {true, false}: ">=", {false, true}: "<", {true, true}: "<="}[[2]bool{incl, desc}]
		dir := ""
		if desc {
			dir = " DESC"
		}
		q = fmt.Sprintf("SELECT k, v FROM kv WHERE b = $1 AND k %s $3 ORDER BY k%s LIMIT $2", op, dir)
		args = append(args, key)
	}
	if bound != nil && !desc && key != nil {
		op := ">"
		if incl {
			op = ">="
		}
		q = fmt.Sprintf("(SELECT k, v FROM kv WHERE b = $1 AND k %s $3 AND k < $4 ORDER BY k LIMIT $2) UNION ALL (SELECT k, v FROM kv WHERE b = $1 AND k >= $4 ORDER BY k LIMIT 1)", op)
		args = append(args, bound)
	}
	rows, err := t.ptx.Query(t.ctx, q, args...)
	if err != nil {
		t.fail(err)
		return nil
	}
	defer rows.Close()
	out := make([]pair, 0, min(n, 256))
	binary := false
	if fd := rows.FieldDescriptions(); len(fd) == 2 && fd[0].Format == pgx.BinaryFormatCode && fd[1].Format == pgx.BinaryFormatCode {
		binary = true // bytea in binary format is the bytes themselves
	}
	var arena []byte // the window's keys and values, copied into few allocations
	for rows.Next() {
		var p pair
		if raw := rows.RawValues(); binary && len(raw) == 2 {
			need := len(raw[0]) + len(raw[1])
			if cap(arena)-len(arena) < need {
				arena = make([]byte, 0, max(64<<10, need))
			}
			start := len(arena)
			arena = append(arena, raw[0]...)
			arena = append(arena, raw[1]...)
			mid := start + len(raw[0])
			p.k, p.v = arena[start:mid:mid], arena[mid:len(arena):len(arena)]
		} else if err := rows.Scan(&p.k, &p.v); err != nil {
			t.fail(err)
			return nil
		}
		if p.v == nil {
			p.v = []byte{}
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		t.fail(err)
		return nil
	}
	if bound != nil && !slices.IsSortedFunc(out, comparePairs) {
		slices.SortFunc(out, comparePairs) // UNION ALL keeps its parts' order in practice only
	}
	return out
}

func comparePairs(a, b pair) int { return bytes.Compare(a.k, b.k) }
