package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/internal/pgtest"
	"occhealth/store"
	"occhealth/store/kv"
	"occhealth/store/pg"
)

// batchTestOnPostgres reports whether the tests run on PostgreSQL (the same switches as the
// external tests' testEngine).
func batchTestOnPostgres() bool {
	m := os.Getenv("OCCHEALTH_TEST_MODE")
	return os.Getenv("OCCHEALTH_TEST_ENGINE") == "postgres" || m == "pg" || strings.HasPrefix(m, "pg+") || strings.HasSuffix(m, "+pg")
}

// openBatchTestDB opens a fresh archive on the engine of the test mode, with the given key ring
// and a fixed clock.
func openBatchTestDB(tb testing.TB, keys *store.KeyRing, now time.Time) *DB {
	tb.Helper()
	dir := tb.TempDir()
	opts := Options{Keys: keys, Now: func() time.Time { return now }, FastPasswords: true, Workstation: "测试机"}
	var db *DB
	var err error
	if batchTestOnPostgres() {
		eng, perr := pg.Open(context.Background(), pgtest.Start(tb))
		if perr != nil {
			tb.Fatal(perr)
		}
		opts.Dir = dir
		db, err = OpenEngine(eng, opts)
	} else {
		db, err = Open(filepath.Join(dir, "archive.db"), opts)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// batchOp is one audited write of the test stream: the record written to bucket (nil new for
// a delete) and its audit.
type batchOp struct {
	entity string
	bucket []byte
	rec    auditRecord
}

// writeOps stores the records of ops and audits them, one by one with t.audit or with one
// auditBatch per run of ops on the same entity.
func writeOps(t *txn, action string, ops []batchOp, batch bool) error {
	for i := 0; i < len(ops); {
		j := i
		for j < len(ops) && ops[j].entity == ops[i].entity {
			j++
		}
		var recs []auditRecord
		for _, op := range ops[i:j] {
			if op.bucket != nil && op.rec.ID != 0 {
				var err error
				if op.rec.New == nil {
					err = t.tx.Bucket(op.bucket).Delete(itob(op.rec.ID))
				} else {
					err = t.tx.Bucket(op.bucket).Put(itob(op.rec.ID), op.rec.New)
				}
				if err != nil {
					return err
				}
			}
			if !batch {
				if err := t.audit(action, op.entity, op.rec.ID, op.rec.Old, op.rec.New, op.rec.Note); err != nil {
					return err
				}
			}
			recs = append(recs, op.rec)
		}
		if batch {
			if err := t.auditBatch(action, ops[i].entity, recs); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
}

// testRecord encodes a record of the shape the store writes, with text that JSON escapes.
func testRecord(tb testing.TB, id uint64, version int, note string) []byte {
	tb.Helper()
	enc, err := encode(struct {
		ID        uint64
		Name      string
		Version   int
		Note      string `json:",omitempty"`
		Tags      []string
		Score     float64
		Active    bool
		UpdatedAt time.Time
	}{id, fmt.Sprintf("劳动者%d <&> \"引号\"", id), version, note, []string{"粉尘", fmt.Sprint(version % 3)}, float64(id) / 7, version%2 == 0,
		time.Date(2026, 11, 30, 8, 0, version, 0, time.UTC)})
	if err != nil {
		tb.Fatal(err)
	}
	return enc
}

// batchTestStream makes n audited writes: creates, updates (some changing nothing but the
// version), deletes and re-creates of workers and cards, entries without a record ID, notes
// with and without text.
func batchTestStream(tb testing.TB, n int) []batchOp {
	cur := map[string][]byte{}
	var ops []batchOp
	for i := 0; len(ops) < n; i++ {
		entity, bucket := "worker", bucketWorkers
		switch (i / 37) % 3 {
		case 1:
			entity, bucket = entityCard, bucketCards
		case 2:
			if i%5 == 0 {
				entity, bucket = "settings", nil
			}
		}
		id := uint64(1 + (i*7919)%113)
		if bucket == nil {
			id = 0
		}
		key := fmt.Sprintf("%s/%d", entity, id)
		old := cur[key]
		var new []byte
		switch {
		case old != nil && i%11 == 0: // delete
		case old != nil && i%13 == 0: // an update of the bookkeeping only: no diff
			new = bytes.Replace(old, []byte(`"Version":`), []byte(`"Version":1`), 1)
		default:
			note := ""
			if i%4 == 0 {
				note = fmt.Sprintf("第%d次修改\n\"原因\"", i)
			}
			new = testRecord(tb, id, i, note)
		}
		if bucket != nil {
			cur[key] = new
		}
		var note string
		if i%3 == 0 {
			note = fmt.Sprintf("订正 <%d> & 说明", i)
		}
		ops = append(ops, batchOp{entity: entity, bucket: bucket, rec: auditRecord{ID: id, Old: old, New: new, Note: note}})
	}
	return ops
}

// snapshot is every bucket's keys, values and sequence.
type snapshot map[string]struct {
	seq  uint64
	keys [][]byte
	vals [][]byte
}

func takeSnapshot(tb testing.TB, db *DB) snapshot {
	tb.Helper()
	s := snapshot{}
	err := db.kv.View(func(tx kv.Tx) error {
		return tx.ForEachBucket(func(name []byte, b kv.Bucket) error {
			e := s[string(name)]
			e.seq = b.Sequence()
			err := b.ForEach(func(k, v []byte) error {
				e.keys = append(e.keys, bytes.Clone(k))
				e.vals = append(e.vals, bytes.Clone(v))
				return nil
			})
			s[string(name)] = e
			return err
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// compareSnapshots fails for every bucket, key, value or sequence that differs.
func compareSnapshots(tb testing.TB, what string, want, got snapshot) {
	tb.Helper()
	var names []string
	for name := range want {
		names = append(names, name)
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	bad := 0
	for _, name := range names {
		w, okw := want[name]
		g, okg := got[name]
		if okw != okg {
			tb.Errorf("%s: bucket %s present %v, want %v", what, name, okg, okw)
			continue
		}
		if w.seq != g.seq {
			tb.Errorf("%s: bucket %s sequence %d, want %d", what, name, g.seq, w.seq)
		}
		if len(w.keys) != len(g.keys) {
			tb.Errorf("%s: bucket %s holds %d keys, want %d", what, name, len(g.keys), len(w.keys))
		}
		for i := 0; i < len(w.keys) && i < len(g.keys) && bad < 3; i++ {
			if !bytes.Equal(w.keys[i], g.keys[i]) || !bytes.Equal(w.vals[i], g.vals[i]) {
				tb.Errorf("%s: bucket %s pair %d is %q = %q, want %q = %q", what, name, i, g.keys[i], g.vals[i], w.keys[i], w.vals[i])
				bad++
			}
		}
	}
}

func batchTestContext() context.Context {
	return app.NewContextWithUser(context.Background(), &app.User{ID: 3, Username: "dengji", Name: "登记员"})
}

// auditBatch stores exactly what t.audit one by one stores: two fresh archives with the same
// key and clock take the same 1,000 writes in two transactions (the first on an empty log,
// the second after it), one audited write by write, the other in batches; every bucket then
// holds the same keys, values and sequence, both logs verify, and each transaction touches the
// same workers and sends the same change notices.
func TestAuditBatch_SameAsOneByOne(t *testing.T) {
	// A clock in China's zone: entries and the head store it in UTC.
	now := time.Date(2026, 11, 30, 17, 0, 0, 0, time.FixedZone("CST", 8*3600))
	keys := store.NewMemoryKeyRing(now)
	one := openBatchTestDB(t, keys, now)
	batched := openBatchTestDB(t, keys, now)
	t.Logf("engine %s", one.kv.Kind())
	compareSnapshots(t, "fresh archives", takeSnapshot(t, one), takeSnapshot(t, batched))

	ops := batchTestStream(t, 1000)
	var deletes, creates, noDiff, noID int
	for _, op := range ops {
		switch {
		case op.rec.ID == 0:
			noID++
		case op.rec.New == nil:
			deletes++
		case op.rec.Old == nil:
			creates++
		case diffJSON(op.rec.Old, op.rec.New) == "":
			noDiff++
		}
	}
	if deletes == 0 || creates == 0 || noDiff == 0 || noID == 0 {
		t.Fatalf("the stream lacks a kind of write: %d deletes, %d creates, %d without diff, %d without ID", deletes, creates, noDiff, noID)
	}
	ctx := batchTestContext()
	// What each transaction leaves for after its commit: the workers and employers touched
	// and the change notices.
	type after struct {
		workers, employers []int64
		notices            []app.Change
	}
	write := func(db *DB, part []batchOp, batch bool) after {
		var a after
		if err := db.update(ctx, "", func(tx *txn) error {
			if err := writeOps(tx, "WorkerService.UpdateWorker", part, batch); err != nil {
				return err
			}
			a = after{tx.touchedWorkers, tx.touchedEmployers, tx.tx.(*recTx).tc.notices("dengji", now)}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, part := range [][]batchOp{ops[:300], ops[300:]} {
		want, got := write(one, part, false), write(batched, part, true)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after the transaction: batch %+v\none by one %+v", got, want)
		}
		if len(got.workers) == 0 || len(got.notices) == 0 {
			t.Errorf("nothing touched or noticed: %+v", got)
		}
	}
	want, got := takeSnapshot(t, one), takeSnapshot(t, batched)
	if n := len(got[string(bucketAudit)].keys); n != len(ops) {
		t.Fatalf("batched log holds %d entries, want %d", n, len(ops))
	}
	compareSnapshots(t, "after 1,000 writes", want, got)
	for name, db := range map[string]*DB{"one by one": one, "batched": batched} {
		r, err := db.VerifyAuditOffline()
		if err != nil || !r.OK {
			t.Errorf("%s: VerifyAudit %+v %v", name, r, err)
		} else if r.Entries != len(ops) || r.RecordsChecked == 0 {
			t.Errorf("%s: VerifyAudit checked %d entries and %d records", name, r.Entries, r.RecordsChecked)
		}
	}
}

// An empty batch writes nothing: no entry, no sequence, no head, nothing touched, no notice.
func TestAuditBatch_Empty(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	db := openBatchTestDB(t, store.NewMemoryKeyRing(now), now)
	ctx := batchTestContext()
	// A log with a head, so that a write of the head would show.
	if err := db.update(ctx, "", func(tx *txn) error {
		return tx.audit("WorkerService.CreateWorker", "settings", 0, nil, testRecord(t, 1, 1, ""), "")
	}); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, db)
	for _, recs := range [][]auditRecord{nil, {}} {
		if err := db.update(ctx, "", func(tx *txn) error {
			if err := tx.auditBatch("WorkerService.UpdateWorker", "worker", recs); err != nil {
				return err
			}
			if len(tx.touchedWorkers) > 0 {
				t.Errorf("an empty batch touched workers %v", tx.touchedWorkers)
			}
			if n := tx.tx.(*recTx).tc.notices("dengji", now); len(n) > 0 {
				t.Errorf("an empty batch wrote: %+v", n)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	compareSnapshots(t, "after an empty batch", before, takeSnapshot(t, db))
}

// cardStateRecords makes n stored card states of about 600 bytes and the same states with one
// field changed, as an export writes them.
func cardStateRecords(tb testing.TB, n int) []auditRecord {
	tb.Helper()
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	recs := make([]auditRecord, n)
	size := 0
	for i := range recs {
		r := cardRecord{
			ExamID: int64(i + 1), DocumentID: fmt.Sprintf("450102001-2026-%08d-%s", i+1, "K7Q2M9"),
			Status: app.CardExported, Operate: app.CardAdd, Batch: "2026-11-批次01", Format: app.CardFormatNational,
			ExportedAt: at, ExportedHash: store.HashRecord([]byte(fmt.Sprint(i))),
			History: []app.CardEvent{
				{At: at.Add(-48 * time.Hour), User: "zhujian", Status: app.CardStatus("ready"), Note: "个案卡文档标识已生成"},
				{At: at.Add(-24 * time.Hour), User: "tongji", Status: app.CardExported, Batch: "2026-11-批次01", Note: "national 新增"},
				{At: at, User: "tongji", Status: app.CardExported, Batch: "2026-11-批次01", Note: "national 新增"},
			},
		}
		old, err := encode(&r)
		if err != nil {
			tb.Fatal(err)
		}
		r.Batch = "2026-11-批次02"
		new, err := encode(&r)
		if err != nil {
			tb.Fatal(err)
		}
		size += len(old)
		recs[i] = auditRecord{ID: uint64(i + 1), Old: old, New: new, Note: "导出个案卡，批次 2026-11-批次02，新增"}
	}
	if avg := size / n; avg < 500 || avg > 700 {
		tb.Fatalf("card states of %d bytes, want about 600", avg)
	}
	return recs
}

// BenchmarkAuditBatch100k times the audit of 100,000 card-state writes in one transaction:
// auditBatch against t.audit one by one. Only the audit call is timed, not the commit.
func BenchmarkAuditBatch100k(b *testing.B) {
	recs := cardStateRecords(b, 100_000)
	for _, mode := range []string{"batch", "sequential"} {
		b.Run(mode, func(b *testing.B) {
			now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
			db := openBatchTestDB(b, store.NewMemoryKeyRing(now), now)
			if db.bolt != nil {
				db.bolt.NoSync = true
			}
			ctx := batchTestContext()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if err := db.update(ctx, "", func(tx *txn) error {
					b.StartTimer()
					defer b.StopTimer()
					if mode == "batch" {
						return tx.auditBatch("CardService.RecordExport", entityCard, recs)
					}
					for _, r := range recs {
						if err := tx.audit("CardService.RecordExport", entityCard, r.ID, r.Old, r.New, r.Note); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs)), "ns/entry")
		})
	}
}

// diffRecords gives diffJSON's answer for every input: records in the encoder's form (read
// without maps) and anything else (left to diffJSON): whitespace, escaped, repeated or
// non-ASCII names, invalid JSON, other top-level values.
func TestAuditBatch_DiffRecordsMatchesDiffJSON(t *testing.T) {
	rec := func(s string) []byte {
		if s == "<nil>" {
			return nil
		}
		return append([]byte{codecJSONv1}, s...)
	}
	deep := strings.Repeat("[", 1500) + strings.Repeat("]", 1500)
	tooDeep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	cases := []string{
		"<nil>", "", `{}`, `{"A":1,"B":"x"}`, `{"B":"x","A":1}`, `{"A":2,"B":"x","C":null}`, `{"A":null}`,
		`{"ID":7,"Version":3,"UpdatedAt":"2026-01-01T00:00:00Z","UpdatedBy":"u","CreatedAt":"t","A":1}`,
		` {"A":1}`, `{"A" :1}`, `{"A":1 }`, `{"A":[1, 2]}`, `{"A":1}` + "\n", `{"A":1}x`, `{"A":1}{}`,
		`{"A\u0042":1}`, `{"AB":1}`, `{"A":1,"A":2}`, `{"名称":1}`, `{"a<b":1}`, `{"a&b":2}`, `{"a` + "\x7f" + `":1}`,
		`[1]`, `null`, `"s"`, `1`, `{"A":01}`, `{"A":-}`, `{"A":1.}`, `{"A":1e}`, `{"A":.5}`, `{"A":-0.5e+10}`, `{"A":1E-3}`,
		`{"A":123456789012345678901234567890}`, `{"A":"\u00e9\n\"\\\/\b\f\r\t"}`, `{"A":"\x"}`, `{"A":"\u12G4"}`,
		"{\"A\":\"a\x01b\"}", "{\"A\":\"\xff\xfe\"}", `{"A":tru}`, `{"A":true,"B":false,"C":null}`, `{"A":{"x":[{},[],""]}}`,
		`{"A":{"x" :1}}`, `{"A":{"x":1,}}`, `{"A":[1,]}`, `{"A":[,1]}`, `{"A":}`, `{"A"}`, `{"A":1,}`, `{,}`, `{"A":"unterminated}`,
		`{"A":` + deep + `}`, `{"A":` + tooDeep + `}`, `{"A":"<&>"}`, `{"A":"\u2028"}`,
	}
	fast := 0
	for _, o := range cases {
		for _, n := range cases {
			old, new := rec(o), rec(n)
			if got, want := diffRecords(old, new), diffJSON(old, new); got != want {
				t.Errorf("diff %q → %q:\n got %s\nwant %s", o, n, got, want)
			}
			_, okA := splitRecord(old, nil)
			_, okB := splitRecord(new, nil)
			if okA && okB {
				fast++
			}
		}
	}
	if fast < 300 {
		t.Errorf("only %d pairs read without maps", fast)
	}
	// A codec byte other than JSON's is skipped as diffJSON skips it.
	if got, want := diffRecords([]byte("9{\"A\":1}"), rec(`{"A":2}`)), diffJSON([]byte("9{\"A\":1}"), rec(`{"A":2}`)); got != want {
		t.Errorf("other codec byte: %s, want %s", got, want)
	}

	// Stored records, and the same records with one byte changed, inserted or removed.
	rnd := uint64(1)
	next := func(n int) int { rnd = rnd*6364136223846793005 + 1442695040888963407; return int(rnd>>33) % n }
	alphabet := []byte("\"\\{}[],: 0-.eEntfu1\x01\xff<aA")
	var recs [][]byte
	for i := 0; i < 40; i++ {
		recs = append(recs, testRecord(t, uint64(i+1), i, fmt.Sprintf("备注%d", i)))
	}
	for _, r := range cardStateRecords(t, 10) {
		recs = append(recs, r.Old, r.New)
	}
	for _, r := range recs {
		if _, ok := splitRecord(r, nil); !ok {
			t.Fatalf("a stored record is not read without maps: %s", r)
		}
	}
	fast = 0
	for i := 0; i < 20000; i++ {
		old := recs[next(len(recs))]
		new := bytes.Clone(recs[next(len(recs))])
		p := 1 + next(len(new)-1)
		switch c := alphabet[next(len(alphabet))]; next(3) {
		case 0:
			new[p] = c
		case 1:
			new = slices.Insert(new, p, c)
		default:
			new = slices.Delete(new, p, p+1)
		}
		if next(2) == 0 {
			old, new = new, old
		}
		if got, want := diffRecords(old, new), diffJSON(old, new); got != want {
			t.Fatalf("diff %q → %q:\n got %s\nwant %s", old, new, got, want)
		}
		_, okA := splitRecord(old, nil)
		_, okB := splitRecord(new, nil)
		if okA && okB {
			fast++
		}
	}
	if fast < 2000 {
		t.Errorf("only %d changed records read without maps", fast)
	}
}

// FuzzAuditBatchDiff holds diffRecords to diffJSON on any pair of records.
func FuzzAuditBatchDiff(f *testing.F) {
	f.Add([]byte("\x01{\"A\":1,\"B\":[1,{\"c\":null}]}"), []byte("\x01{\"B\":[1,{\"c\":null}],\"A\":\"x\"}"))
	f.Add([]byte("\x01{\"A\":1,\"A\":2}"), []byte("\x01{ \"A\":1}"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		if got, want := diffRecords(old, new), diffJSON(old, new); got != want {
			t.Fatalf("diff %q → %q:\n got %s\nwant %s", old, new, got, want)
		}
	})
}

// The batch writes entries' JSON itself exactly as encoding/json writes them (the check
// auditBatch relies on passes, so the fast path is the one taken), for any string.
func TestAuditBatch_EntryJSON(t *testing.T) {
	if !jsonStringsMatch() {
		t.Fatal("appendJSONString differs from encoding/json on the probe strings")
	}
	rnd := uint64(7)
	next := func(n int) int { rnd = rnd*6364136223846793005 + 1442695040888963407; return int(rnd>>33) % n }
	pieces := []string{"a", "Z", " ", "\"", "\\", "/", "<", ">", "&", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f",
		"中", "\u2028", "\u2029", "\U0001F600", "\xff", "\xe4\xb8", "\xed\xa0\x80", "\xc0\xaf", "\ufffd"}
	for i := 0; i < 5000; i++ {
		var sb strings.Builder
		for j := next(12); j > 0; j-- {
			sb.WriteString(pieces[next(len(pieces))])
		}
		s := sb.String()
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q written %s, want %s", s, got, want)
		}
	}
	e := app.AuditEntry{
		Seq: 1<<64 - 1, Time: time.Date(2026, 11, 30, 9, 0, 0, 123456789, time.UTC), User: "王<医生>", Workstation: "测试机\u2028",
		Action: "CardService.RecordExport", Entity: "card", EntityID: -5, Diff: `{"A":["<&>",null]}`,
		RecordHash: "sha256:00", Note: "导出\n\"原因\"\xff", KeyID: "k&1",
	}
	enc := newEntryEncoder(e)
	if enc == nil {
		t.Fatal("no entry encoder")
	}
	if got, want := enc.appendCanonical(nil, &e), canonicalEntry(e); !bytes.Equal(got, want) {
		t.Errorf("canonical entry\n got %s\nwant %s", got, want)
	}
	e.MAC = computeMAC(store.Key{ID: "k", Secret: []byte("secret")}, e, "")
	buf := append([]byte{codecJSONv1}, enc.appendCanonical(nil, &e)...)
	got, err := encodeSigned(buf, e)
	want, _ := encode(e)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("signed entry %v\n got %s\nwant %s", err, got, want)
	}
}
