package bolt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/rules"
	"occhealth/assets"
	"occhealth/internal/pgtest"
	"occhealth/store"
	"occhealth/store/bolt"
	"occhealth/store/kv"
	"occhealth/store/pg"
)

var (
	catalogsOnce sync.Once
	catalogs     *catalog.Set
	ruleTable    *rules.Table
)

// testCatalogs loads the bundled catalogs once per test binary.
func testCatalogs(tb testing.TB) *catalog.Set {
	catalogsOnce.Do(func() {
		s, err := catalog.Load(assets.Catalogs)
		if err != nil {
			tb.Fatal(err)
		}
		catalogs = s
		t, err := rules.Load(assets.Rules)
		if err != nil {
			tb.Fatal(err)
		}
		ruleTable = t
	})
	return catalogs
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type testDB struct {
	*bolt.DB
	svc   app.Services
	admin context.Context
	clock *clock
	keys  *store.KeyRing
	path  string
}

const adminPassword = "Admin1234"

// MustOpenDB opens a fresh archive in a temp dir, sets it up with an institution and an
// administrator, and checks bbolt consistency when the test ends.
func MustOpenDB(tb testing.TB) *testDB {
	tb.Helper()
	dir := tb.TempDir()
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)}
	keys := store.NewMemoryKeyRing(c.Now())
	path := filepath.Join(dir, "archive.db")
	set := testCatalogs(tb)
	db := openTestArchive(tb, path, bolt.Options{Keys: keys, Codes: set, Now: c.Now, FastPasswords: true, Workstation: "测试机", Planner: ruleTable,
		CardSealer: testSealer})
	svc := db.Services(testCatalogs(tb))
	admin, err := svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution: app.Institution{Name: "测试县人民医院", Code: "450102001", Kinds: []app.InstitutionKind{app.KindExam},
			HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardPhysical}, AreaCode: "450102"},
		AdminUsername: "admin", AdminName: "管理员", AdminPassword: adminPassword,
	})
	if err != nil {
		tb.Fatal(err)
	}
	td := &testDB{DB: db, svc: svc, admin: app.NewContextWithUser(context.Background(), admin), clock: c, keys: keys, path: path}
	tb.Cleanup(func() {
		checkDB(tb, db)
		db.Close()
	})
	if serverMode() {
		serveTestDB(tb, td)
	}
	return td
}

// The engine mode OCCHEALTH_TEST_ENGINE=postgres (or OCCHEALTH_TEST_MODE=pg, server+pg) runs
// the service tests on PostgreSQL: each test's archive is a fresh database in the test
// binary's throwaway cluster (internal/pgtest), opened with bolt.OpenEngine.

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	for i := len(benchClose) - 1; i >= 0; i-- {
		benchClose[i]()
	}
	os.Exit(code)
}

// testEngine is "postgres" or "bbolt".
func testEngine() string {
	m := os.Getenv("OCCHEALTH_TEST_MODE")
	if os.Getenv("OCCHEALTH_TEST_ENGINE") == "postgres" || m == "pg" || strings.HasPrefix(m, "pg+") || strings.HasSuffix(m, "+pg") {
		return "postgres"
	}
	return "bbolt"
}

// openTestArchive opens a fresh archive on the engine of the test mode: the bbolt file at
// path, or a fresh PostgreSQL database with backups and attachments beside path.
func openTestArchive(tb testing.TB, path string, opts bolt.Options) *bolt.DB {
	tb.Helper()
	var db *bolt.DB
	var err error
	if testEngine() == "postgres" {
		pgArchives.Store(path, pgtest.Start(tb))
		db, err = reopenArchive(path, opts)
	} else {
		db, err = bolt.Open(path, opts)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// pgArchives maps an archive path to the DSN of its database in engine mode postgres.
var pgArchives sync.Map

// reopenArchive opens the archive of a test again (after Close), on its engine.
func reopenArchive(path string, opts bolt.Options) (*bolt.DB, error) {
	dsn, ok := pgArchives.Load(path)
	if !ok {
		return bolt.Open(path, opts)
	}
	eng, err := pg.Open(context.Background(), dsn.(string))
	if err != nil {
		return nil, err
	}
	opts.Dir = filepath.Dir(path)
	return bolt.OpenEngine(eng, opts)
}

// rawUpdate changes a closed archive behind the program's back, on its engine.
func rawUpdate(tb testing.TB, path string, fn func(tx kv.Tx) error) {
	tb.Helper()
	var eng kv.Engine
	if dsn, ok := pgArchives.Load(path); ok {
		e, err := pg.Open(context.Background(), dsn.(string))
		if err != nil {
			tb.Fatal(err)
		}
		eng = e
	} else {
		b, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			tb.Fatal(err)
		}
		eng = kv.NewBolt(b)
	}
	defer eng.Close()
	if err := eng.Update(fn); err != nil {
		tb.Fatal(err)
	}
}

// setNoSync turns bbolt's fsync off or on for a bulk fill (nothing on other engines).
func (td *testDB) setNoSync(on bool) {
	if b := td.Bolt(); b != nil {
		b.NoSync = on
	}
}

// onPostgres skips a test that inspects or replaces the archive file itself.
func onPostgres(tb testing.TB) {
	if testEngine() == "postgres" {
		tb.Skip("reads or writes the bbolt file itself; there is none on PostgreSQL")
	}
}

// checkDB checks the archive when a test ends: bbolt's page check on bbolt, and the store's
// own invariants through the engine on every engine.
func checkDB(tb testing.TB, db *bolt.DB) {
	tb.Helper()
	if db.Bolt() != nil {
		checkConsistency(tb, db.Bolt())
		return
	}
	if db.Engine() != nil {
		if err := db.Engine().View(checkIndexes); err != nil {
			tb.Errorf("store consistency: %v", err)
		}
	}
}

func checkConsistency(tb testing.TB, b *bbolt.DB) {
	tb.Helper()
	if err := b.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return checkIndexes(&kv.BoltTx{Tx: tx})
	}); err != nil {
		tb.Errorf("bbolt consistency: %v", err)
	}
}

// checkIndexes checks the store's invariants through the engine.
func checkIndexes(tx kv.Tx) error {
	// The worklist index holds every exam once, under its current state.
	ix, exams := tx.Bucket([]byte("exam_state")), tx.Bucket([]byte("exams"))
	if ix == nil || exams == nil {
		return nil
	}
	if n, m := ix.KeyN(), exams.KeyN(); n != m {
		return fmt.Errorf("exam_state holds %d keys for %d exams", n, m)
	}
	return exams.ForEach(func(k, v []byte) error {
		var e struct {
			ID    int64
			State string
		}
		if err := json.Unmarshal(v[1:], &e); err != nil {
			return err
		}
		if ix.Get(append(append([]byte(e.State), 0), k...)) == nil {
			return fmt.Errorf("exam %d (%s) missing from exam_state", e.ID, e.State)
		}
		return nil
	})
}

// as returns a context for a user with the given roles, created in the archive.
func (td *testDB) as(tb testing.TB, username string, roles ...app.Role) context.Context {
	tb.Helper()
	u := &app.User{Username: username, Name: "测试用户", Roles: roles}
	if err := td.svc.Users.CreateUser(td.admin, u, "Passw0rd1"); err != nil {
		tb.Fatal(err)
	}
	return td.login(tb, u, "Passw0rd1")
}

func idNumber(body17 string) string { return body17 + string(app.IDCheckChar(body17)) }

func (td *testDB) employer(tb testing.TB, name, credit string) *app.Employer {
	tb.Helper()
	e := &app.Employer{Name: name, CreditCode: credit, AreaCode: "450102", IndustryCode: "1391", EconomicTypeCode: "173", SizeCode: "03", Address: "南宁市兴宁区", ContactPerson: "李四", ContactPhone: "0771-1234567"}
	if _, err := td.svc.Employers.CreateEmployer(td.admin, e); err != nil {
		tb.Fatal(err)
	}
	return e
}

func creditCode(body17 string) string {
	c, _ := app.CreditCodeCheckChar(body17)
	return body17 + string(c)
}
