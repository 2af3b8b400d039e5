package bolt_test

import (
	"context"
	"crypto/tls"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/internal/pgtest"
	"occhealth/store/bolt"
	"occhealth/store/kv"
	"occhealth/store/pg"
	"occhealth/store/remote"
)

// The conformance mode OCCHEALTH_TEST_MODE=server runs the service tests through the
// application server: the test's archive is served on 127.0.0.1 over TLS, td.svc becomes a
// client's services, and users log in (Auth.Login) instead of being put in a context.

// serverMode is on for OCCHEALTH_TEST_MODE=server, and for a mode that names the server with
// an engine ("server+pg"): the engine switch picks the store, this one puts it behind a server.
func serverMode() bool {
	m := os.Getenv("OCCHEALTH_TEST_MODE")
	return m == "server" || strings.HasPrefix(m, "server+") || strings.HasSuffix(m, "+server")
}

var (
	serverCertOnce sync.Once
	serverCert     tls.Certificate
	serverSecret   []byte
	servedMu       sync.Mutex
	served         = map[*testDB]app.Services{} // the store's own services of a served testDB
)

func testServerCert(tb testing.TB) tls.Certificate {
	serverCertOnce.Do(func() {
		dir, err := os.MkdirTemp("", "occhealth-server-test-")
		if err != nil {
			tb.Fatal(err)
		}
		defer os.RemoveAll(dir)
		if serverCert, _, err = remote.LoadOrCreateCertificate(dir); err != nil {
			tb.Fatal(err)
		}
		if serverSecret, err = remote.LoadOrCreateSecret(dir); err != nil {
			tb.Fatal(err)
		}
	})
	return serverCert
}

// serveTestDB puts td's archive behind a server and makes td.svc a workstation's services,
// with td.admin logged in through it. The server stops before the archive closes.
func serveTestDB(tb testing.TB, td *testDB) {
	tb.Helper()
	local := td.svc
	c := serveDB(tb, td.DB, local)
	tb.Cleanup(func() {
		servedMu.Lock()
		delete(served, td)
		servedMu.Unlock()
	})
	td.svc = c.Services()
	servedMu.Lock()
	served[td] = local
	servedMu.Unlock()
	td.admin = td.login(tb, app.UserFromContext(td.admin), adminPassword)
}

// serveDB serves db's services (local) on 127.0.0.1 over TLS and returns a connected client;
// both stop when the test ends.
func serveDB(tb testing.TB, db *bolt.DB, local app.Services) *remote.Client {
	tb.Helper()
	cert := testServerCert(tb)
	h := remote.NewServer(remote.ServerOptions{Services: local, SessionUser: db.SessionUser, Secret: serverSecret, Version: "test",
		Log: log.New(tbWriter{tb}, "server: ", 0)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: h, TLSConfig: remote.ServerTLSConfig(cert)}
	go srv.ServeTLS(ln, "", "")
	c, err := remote.Dial(context.Background(), ln.Addr().String(), remote.CertificateFingerprint(cert), remote.Options{
		Workstation: "测试机", Version: "test", Catalogs: func() (*catalog.Set, error) { return catalog.Load(assets.Catalogs) },
		Rules: ruleTable, RetryFor: 2 * time.Second, Log: log.New(tbWriter{tb}, "client: ", 0)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c.Close()
		h.CloseStreams()
		srv.Close()
	})
	return c
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) { w.tb.Log(string(p)); return len(p), nil }

// login returns the context of user u (just created with password): the user itself locally,
// a logged-in session through the server.
func (td *testDB) login(tb testing.TB, u *app.User, password string) context.Context {
	tb.Helper()
	servedMu.Lock()
	_, remote := served[td]
	servedMu.Unlock()
	if !remote {
		return app.NewContextWithUser(context.Background(), u)
	}
	got, err := td.svc.Auth.Login(context.Background(), u.Username, password)
	if err != nil {
		tb.Fatalf("log in %s: %v", u.Username, err)
	}
	return app.NewContextWithUser(context.Background(), got)
}

// storeServices are the store's own services: td.svc locally, the ones behind the server in
// server mode (for tests that reach past the app interfaces, e.g. to pin a random source).
func (td *testDB) storeServices() app.Services {
	servedMu.Lock()
	defer servedMu.Unlock()
	if local, ok := served[td]; ok {
		return local
	}
	return td.svc
}

// storeCards is the store's own card service.
func (td *testDB) storeCards() *bolt.CardService { return td.storeServices().Cards.(*bolt.CardService) }

// BenchmarkSearchWorkersServer measures the searches of BenchmarkSearchWorkers through the
// application server on loopback (TLS, JSON, a session check per call), the bbolt bench
// archive behind it.
func BenchmarkSearchWorkersServer(b *testing.B) {
	src := benchArchive(b)
	benchOverServer(b, src, src.DB, src.svc)
}

// BenchmarkSearchWorkersServerPostgres is the same with the archive in PostgreSQL behind the
// server (loaded with COPY as in BenchmarkSearchWorkersPostgres).
func BenchmarkSearchWorkersServerPostgres(b *testing.B) {
	src := benchArchive(b)
	eng, err := pg.Open(context.Background(), pgtest.Start(b))
	if err != nil {
		b.Fatal(err)
	}
	if err := src.Bolt().View(func(tx *bbolt.Tx) error {
		_, err := eng.Load(&kv.BoltTx{Tx: tx})
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
	c := &clock{t: src.clock.Now().Add(time.Hour)}
	db, err := bolt.OpenEngine(eng, bolt.Options{Keys: src.keys, Codes: testCatalogs(b), Now: c.Now, FastPasswords: true,
		Workstation: "测试机", Planner: ruleTable, Dir: filepath.Dir(src.path)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	benchOverServer(b, src, db, db.Services(testCatalogs(b)))
}

func benchOverServer(b *testing.B, src *testDB, db *bolt.DB, local app.Services) {
	c := serveDB(b, db, local)
	svc := c.Services()
	u, err := svc.Auth.Login(context.Background(), "admin", adminPassword)
	if err != nil {
		b.Fatal(err)
	}
	// The sample queries are read in process; the timed searches go through the server.
	td := &testDB{DB: db, svc: local, admin: app.NewContextWithUser(context.Background(), u), clock: src.clock, keys: src.keys}
	benchSearch(b, td, svc)
}
