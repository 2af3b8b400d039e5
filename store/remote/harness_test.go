package remote_test

import (
	"context"
	"crypto/tls"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/app/rules"
	"occhealth/assets"
	"occhealth/internal/pgtest"
	"occhealth/store"
	"occhealth/store/bolt"
	"occhealth/store/pg"
	"occhealth/store/remote"
)

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

var (
	bundledOnce sync.Once
	bundledRule *rules.Table
	ranges      *results.Ranges
	criteriaSet *criteria.Set
)

func loadCatalogs() (*catalog.Set, error) { return catalog.Load(assets.Catalogs) }

func ruleTable(tb testing.TB) *rules.Table {
	bundledOnce.Do(func() {
		t, err := rules.Load(assets.Rules)
		if err != nil {
			tb.Fatal(err)
		}
		bundledRule = t
		if ranges, err = results.LoadRanges(assets.Rules); err != nil {
			tb.Fatal(err)
		}
		if criteriaSet, err = criteria.Load(assets.Rules); err != nil {
			tb.Fatal(err)
		}
	})
	return bundledRule
}

// postgresBehind runs the tests with the archive in PostgreSQL behind the server
// (OCCHEALTH_TEST_ENGINE=postgres, as the store's tests take it).
func postgresBehind() bool { return os.Getenv("OCCHEALTH_TEST_ENGINE") == "postgres" }

// env is an archive (bbolt, or PostgreSQL with OCCHEALTH_TEST_ENGINE=postgres) behind a server on 127.0.0.1 with a fake clock.
type env struct {
	db      *bolt.DB
	local   app.Services // the server's own services
	clock   *clock
	cert    tls.Certificate
	fp      string
	addr    string
	opts    remote.ServerOptions
	mu      sync.Mutex
	httpSrv *http.Server
	handler *remote.Server
}

const adminPassword = "Admin1234"

func newEnv(tb testing.TB, mod func(*remote.ServerOptions)) *env {
	tb.Helper()
	dir := tb.TempDir()
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)}
	set, err := loadCatalogs()
	if err != nil {
		tb.Fatal(err)
	}
	rt := ruleTable(tb) // loads ranges and criteriaSet too
	opts := bolt.Options{Keys: store.NewMemoryKeyRing(c.Now()), Codes: set, Now: c.Now,
		FastPasswords: true, Workstation: "服务器", Planner: rt, Ranges: ranges, Criteria: criteriaSet}
	var db *bolt.DB
	if postgresBehind() {
		eng, err := pg.Open(context.Background(), pgtest.Start(tb))
		if err != nil {
			tb.Fatal(err)
		}
		opts.Dir = dir
		db, err = bolt.OpenEngine(eng, opts)
		if err != nil {
			tb.Fatal(err)
		}
	} else if db, err = bolt.Open(filepath.Join(dir, "archive.db"), opts); err != nil {
		tb.Fatal(err)
	}
	e := &env{db: db, local: db.Services(set), clock: c}
	e.cert, _, err = remote.LoadOrCreateCertificate(filepath.Join(dir, "server"))
	if err != nil {
		tb.Fatal(err)
	}
	e.fp = remote.CertificateFingerprint(e.cert)
	secret, err := remote.LoadOrCreateSecret(filepath.Join(dir, "server"))
	if err != nil {
		tb.Fatal(err)
	}
	e.opts = remote.ServerOptions{Services: e.local, SessionUser: db.SessionUser, Secret: secret, Version: "测试版", Heartbeat: 200 * time.Millisecond,
		Log: log.New(testWriter{tb}, "server: ", 0)}
	if mod != nil {
		mod(&e.opts)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	e.addr = ln.Addr().String()
	e.serve(ln)
	tb.Cleanup(func() {
		e.stop()
		db.Close()
	})
	return e
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.tb.Log(string(p)); return len(p), nil }

func (e *env) serve(ln net.Listener) {
	h := remote.NewServer(e.opts)
	srv := &http.Server{Handler: h, TLSConfig: remote.ServerTLSConfig(e.cert)}
	e.mu.Lock()
	e.httpSrv, e.handler = srv, h
	e.mu.Unlock()
	go srv.ServeTLS(ln, "", "")
}

// stop stops the server (connections cut at once).
func (e *env) stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.httpSrv != nil {
		e.handler.CloseStreams()
		e.httpSrv.Close()
		e.httpSrv = nil
	}
}

// restart serves again on the same address.
func (e *env) restart(tb testing.TB) {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", e.addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		tb.Fatal(err)
	}
	e.serve(ln)
}

// dial connects a client (a workstation).
func (e *env) dial(tb testing.TB, ws string) (*remote.Client, app.Services) {
	tb.Helper()
	c, err := remote.Dial(context.Background(), e.addr, e.fp, e.clientOptions(ws))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c, c.Services()
}

func (e *env) clientOptions(ws string) remote.Options {
	return remote.Options{Workstation: ws, Version: "测试版", Catalogs: loadCatalogs, Rules: bundledRule, RetryFor: 1500 * time.Millisecond}
}

// setup initialises the archive through the client and returns the administrator's context.
func setup(tb testing.TB, svc app.Services) context.Context {
	tb.Helper()
	admin, err := svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution: app.Institution{Name: "测试县人民医院", Code: "450102001", Kinds: []app.InstitutionKind{app.KindExam},
			HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardPhysical}, AreaCode: "450102"},
		AdminUsername: "admin", AdminName: "管理员", AdminPassword: adminPassword,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return app.NewContextWithUser(context.Background(), admin)
}

// login logs in through svc.
func login(tb testing.TB, svc app.Services, user, password string) context.Context {
	tb.Helper()
	u, err := svc.Auth.Login(context.Background(), user, password)
	if err != nil {
		tb.Fatal(err)
	}
	return app.NewContextWithUser(context.Background(), u)
}

// user creates a user with roles and logs them in.
func user(tb testing.TB, svc app.Services, admin context.Context, name string, roles ...app.Role) context.Context {
	tb.Helper()
	u := &app.User{Username: name, Name: "用户" + name, Roles: roles}
	if err := svc.Users.CreateUser(admin, u, "Passw0rd1"); err != nil {
		tb.Fatal(err)
	}
	if u.ID == 0 {
		tb.Fatal("CreateUser did not fill the ID")
	}
	return login(tb, svc, name, "Passw0rd1")
}

func idNumber(body17 string) string { return body17 + string(app.IDCheckChar(body17)) }

func creditCode(body17 string) string {
	c, _ := app.CreditCodeCheckChar(body17)
	return body17 + string(c)
}

func employer(name, credit string) *app.Employer {
	return &app.Employer{Name: name, CreditCode: credit, AreaCode: "450102", IndustryCode: "1391", EconomicTypeCode: "173", SizeCode: "03", Address: "南宁市兴宁区", ContactPerson: "李四", ContactPhone: "0771-1234567"}
}

func code(err error) string {
	var ae *app.Error
	var es app.Errors
	if errors.As(err, &es) {
		return app.EINVALID
	}
	if errors.As(err, &ae) {
		return ae.Code
	}
	if err == nil {
		return ""
	}
	return "go:" + err.Error()
}
