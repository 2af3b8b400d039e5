package pg_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/internal/pgtest"
	"occhealth/store/kv"
	"occhealth/store/kv/kvtest"
	"occhealth/store/pg"

	"github.com/jackc/pgx/v5"
	"go.etcd.io/bbolt"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t testing.TB) *pg.Engine {
	e, err := pg.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEngine(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Engine { return open(t) })
}

// TestEngine_Load: a bbolt archive loaded with COPY is the same store, empty values included,
// and replaces what was there.
func TestEngine_Load(t *testing.T) {
	b, err := bbolt.Open(filepath.Join(t.TempDir(), "src.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	src := kv.NewBolt(b)
	if err := src.Update(func(tx kv.Tx) error {
		for _, name := range []string{"a", "idx"} {
			bk, _ := tx.CreateBucketIfNotExists([]byte(name))
			for i := 0; i < 3000; i++ {
				bk.Put([]byte(fmt.Sprintf("k%05d", i)), []byte(fmt.Sprintf("v%d", i)))
			}
			bk.Put([]byte("empty"), nil)
			bk.SetSequence(77)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e := open(t)
	defer e.Close()
	if err := e.Update(func(tx kv.Tx) error {
		bk, _ := tx.CreateBucketIfNotExists([]byte("old"))
		return bk.Put([]byte("x"), []byte("y"))
	}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := src.View(func(stx kv.Tx) error { n, err = e.Load(stx); return err }); err != nil || n != 6002 {
		t.Fatalf("loaded %d: %v", n, err)
	}
	if err := e.View(func(tx kv.Tx) error {
		if tx.Bucket([]byte("old")) != nil {
			t.Error("Load kept a bucket the archive does not have")
		}
		bk := tx.Bucket([]byte("idx"))
		if v := bk.Get([]byte("empty")); v == nil || len(v) != 0 {
			t.Errorf("empty value = %v", v)
		}
		if v := bk.Get([]byte("k02999")); string(v) != "v2999" || bk.Sequence() != 77 || bk.KeyN() != 3001 {
			t.Errorf("k02999 = %q, sequence %d, %d keys", v, bk.Sequence(), bk.KeyN())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestEngine_ConnectionLost: a server gone mid-transaction gives EUNAVAILABLE, nothing of the
// transaction is kept, and the engine works again once the server answers.
func TestEngine_ConnectionLost(t *testing.T) {
	dsn := pgtest.Start(t)
	e, err := pg.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	admin, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	err = e.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		b.Put([]byte("first"), []byte("1"))
		b.Get([]byte("sent")) // sends the queued write
		if _, err := admin.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`); err != nil {
			t.Fatal(err)
		}
		b.Put([]byte("second"), []byte("2"))
		return nil
	})
	if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "数据库服务器无法连接") {
		t.Fatalf("err = %v, want EUNAVAILABLE", err)
	}
	if err := e.View(func(tx kv.Tx) error {
		if tx.Bucket([]byte("b")) != nil {
			t.Error("a transaction cut off by the server left data behind")
		}
		return nil
	}); err != nil {
		t.Fatalf("engine unusable after the link came back: %v", err)
	}

	// No server at all.
	_, err = pg.Open(context.Background(), pgtest.DSN(t.TempDir(), "nothing"))
	if app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("open without a server: %v", err)
	}
}

// TestEngine_NewerSchema: a database migrated by a newer program is refused with EVERSION.
func TestEngine_NewerSchema(t *testing.T) {
	dsn := pgtest.Start(t)
	e, err := pg.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')", pg.SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	_, err = pg.Open(context.Background(), dsn)
	if app.ErrorCode(err) != app.EVERSION || !strings.Contains(app.ErrorMessage(err), "请升级") {
		t.Fatalf("err = %v, want EVERSION", err)
	}
}

func BenchmarkEngine(b *testing.B) {
	kvtest.Bench(b, func(b *testing.B) kv.Engine { return open(b) })
}

// TestEngine_TwoProcesses: writers of two engines on one database (two server instances)
// serialise on the advisory lock: read-modify-write from both loses no update, and each
// sees the other's commits.
func TestEngine_TwoProcesses(t *testing.T) {
	dsn := pgtest.Start(t)
	var es [2]*pg.Engine
	for i := range es {
		e, err := pg.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		es[i] = e
	}
	if err := es[0].Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		return b.Put([]byte("n"), make([]byte, 8))
	}); err != nil {
		t.Fatal(err)
	}
	const each = 40
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(e *pg.Engine) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := e.Update(func(tx kv.Tx) error {
					b := tx.Bucket([]byte("b"))
					n := binary.BigEndian.Uint64(b.Get([]byte("n")))
					time.Sleep(100 * time.Microsecond)
					if _, err := b.NextSequence(); err != nil {
						return err
					}
					return b.Put([]byte("n"), binary.BigEndian.AppendUint64(nil, n+1))
				}); err != nil {
					errs <- err
					return
				}
			}
		}(es[w%2])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, e := range es {
		if err := e.View(func(tx kv.Tx) error {
			b := tx.Bucket([]byte("b"))
			if n := binary.BigEndian.Uint64(b.Get([]byte("n"))); n != 4*each || b.Sequence() != 4*each {
				t.Errorf("engine %d reads counter %d, sequence %d; want %d (lost updates)", i, n, b.Sequence(), 4*each)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEngine_NoAnswer: a database server that stops answering fails the transaction with
// EUNAVAILABLE within the statement timeout instead of hanging; afterwards the engine works.
func TestEngine_NoAnswer(t *testing.T) {
	dsn := pgtest.Start(t)
	e, err := pg.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	}); err != nil {
		t.Fatal(err)
	}
	e.SetStatementTimeout(300 * time.Millisecond)
	ctx := context.Background()
	blocker, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close(ctx)
	btx, err := blocker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := btx.Exec(ctx, "LOCK TABLE kv IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	err = e.View(func(tx kv.Tx) error {
		tx.Bucket([]byte("b")).Get([]byte("k"))
		return nil
	})
	if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "没有响应") {
		t.Fatalf("err = %v, want EUNAVAILABLE (no answer)", err)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Fatalf("took %v to give up", d)
	}
	btx.Rollback(ctx)
	if err := e.View(func(tx kv.Tx) error {
		if v := tx.Bucket([]byte("b")).Get([]byte("k")); string(v) != "v" {
			t.Errorf("after the server answers again: %q", v)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestEngine_Prefetch: prefetched keys read as Gets would, absent keys stay absent, and a
// write transaction's own writes win over what the server holds.
func TestEngine_Prefetch(t *testing.T) {
	e := open(t)
	defer e.Close()
	keys := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("missing")}
	if err := e.Update(func(tx kv.Tx) error {
		b, _ := tx.CreateBucketIfNotExists([]byte("b"))
		for _, k := range keys[:3] {
			b.Put(k, append([]byte("v"), k...))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	check := func(b kv.Bucket, want map[string]string) {
		t.Helper()
		b.(kv.Prefetcher).Prefetch(keys)
		for _, k := range keys {
			got := b.Get(k)
			if w, ok := want[string(k)]; !ok && got != nil || ok && string(got) != w {
				t.Errorf("Get(%s) = %q after Prefetch, want %q", k, got, want[string(k)])
			}
		}
	}
	if err := e.View(func(tx kv.Tx) error {
		check(tx.Bucket([]byte("b")), map[string]string{"a": "va", "b": "vb", "c": "vc"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.Update(func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		b.Put([]byte("a"), []byte("new"))
		b.Delete([]byte("b"))
		check(b, map[string]string{"a": "new", "c": "vc"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
