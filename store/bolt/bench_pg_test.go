package bolt_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/app"
	"occhealth/internal/pgtest"
	"occhealth/store/bolt"
	"occhealth/store/kv"
	"occhealth/store/pg"
)

// BenchmarkSearchWorkersPostgres measures the same searches with the archive in PostgreSQL
// (the throwaway cluster of internal/pgtest, over its Unix socket): the bbolt bench archive
// is loaded with COPY (pg.Engine.Load), then opened with bolt.OpenEngine.
func BenchmarkSearchWorkersPostgres(b *testing.B) {
	src := benchArchive(b)
	eng, err := pg.Open(context.Background(), pgtest.Start(b))
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	var n int
	if err := src.Bolt().View(func(tx *bbolt.Tx) error {
		var err error
		n, err = eng.Load(&kv.BoltTx{Tx: tx})
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if _, err := eng.Pool().Exec(context.Background(), "VACUUM ANALYZE kv"); err != nil {
		b.Fatal(err)
	}
	// Measure the searches, not the write-back of the load.
	if _, err := eng.Pool().Exec(context.Background(), "CHECKPOINT"); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d keys into PostgreSQL in %v", n, time.Since(t0).Round(time.Millisecond))
	c := &clock{t: src.clock.Now().Add(time.Hour)}
	db, err := bolt.OpenEngine(eng, bolt.Options{Keys: src.keys, Codes: testCatalogs(b), Now: c.Now, FastPasswords: true,
		Workstation: "测试机", Planner: ruleTable, Dir: filepath.Dir(src.path)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := db.Services(testCatalogs(b))
	u, err := svc.Auth.Login(context.Background(), "admin", adminPassword)
	if err != nil {
		b.Fatal(err)
	}
	td := &testDB{DB: db, svc: svc, admin: app.NewContextWithUser(context.Background(), u), clock: c, keys: src.keys}
	benchSearch(b, td, svc)
}
