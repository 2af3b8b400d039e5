package remote_test

import (
	"context"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/internal/pgtest"
	"occhealth/store"
	"occhealth/store/bolt"
	"occhealth/store/pg"
	"occhealth/store/remote"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestTwoServersOnePostgres: two server instances on one PostgreSQL database, sharing the
// session secret and the audit key. A session opened on one is good on the other; a save on
// one reaches a workstation of the other as a change notice within a second; a stale save
// through the other is refused naming who and when.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)}
	keys := store.NewMemoryKeyRing(c.Now())
	cert, _, err := remote.LoadOrCreateCertificate(filepath.Join(dir, "server"))
	if err != nil {
		t.Fatal(err)
	}
	secret, err := remote.LoadOrCreateSecret(filepath.Join(dir, "server"))
	if err != nil {
		t.Fatal(err)
	}
	instance := func(name string) string {
		eng, err := pg.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		set, err := loadCatalogs()
		if err != nil {
			t.Fatal(err)
		}
		db, err := bolt.OpenEngine(eng, bolt.Options{Keys: keys, Codes: set, Now: c.Now, FastPasswords: true, Workstation: name,
			Planner: ruleTable(t), Dir: filepath.Join(dir, name)})
		if err != nil {
			t.Fatal(err)
		}
		h := remote.NewServer(remote.ServerOptions{Services: db.Services(set), SessionUser: db.SessionUser, Secret: secret, Version: "测试版",
			Heartbeat: 200 * time.Millisecond, Log: log.New(testWriter{t}, name+": ", 0)})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: h, TLSConfig: remote.ServerTLSConfig(cert)}
		go srv.ServeTLS(ln, "", "")
		t.Cleanup(func() {
			h.CloseStreams()
			srv.Close()
			db.Close()
		})
		return ln.Addr().String()
	}
	a, b := instance("甲"), instance("乙")
	fp := remote.CertificateFingerprint(cert)
	opts := remote.Options{Workstation: "前台", Version: "测试版", Catalogs: loadCatalogs, Rules: ruleTable(t), RetryFor: 2 * time.Second}
	ca, err := remote.Dial(context.Background(), a, fp, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	svcA := ca.Services()
	admin := setup(t, svcA)
	if err := svcA.Users.CreateUser(admin, &app.User{Username: "dengji", Name: "王登记", Roles: []app.Role{app.RoleRegistrar}}, "Passw0rd1"); err != nil {
		t.Fatal(err)
	}
	cb, err := remote.Dial(context.Background(), b, fp, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	svcB := cb.Services()
	clerk := login(t, svcB, "dengji", "Passw0rd1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notices := svcB.Changes.Subscribe(ctx)
	time.Sleep(500 * time.Millisecond) // streams and LISTEN connections are up

	emp := employer("南宁市兴宁区红星锰业有限公司", creditCode("91450102MA5K00001"))
	if _, err := svcA.Employers.CreateEmployer(admin, emp); err != nil {
		t.Fatal(err)
	}
	waitNotice(t, notices, app.ChangeEmployer, emp.ID)

	// Both read the same version; the clerk (through 乙) saves first.
	stale, err := svcA.Employers.FindEmployerByID(admin, emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := svcB.Employers.FindEmployerByID(clerk, emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	cur.Note = "乙 改的"
	if _, err := svcB.Employers.UpdateEmployer(clerk, cur); err != nil {
		t.Fatal(err)
	}
	stale.Note = "甲 改的"
	if _, err := svcA.Employers.UpdateEmployer(admin, stale); code(err) != app.ECONFLICT || !strings.Contains(err.Error(), "dengji") && !strings.Contains(err.Error(), "王登记") {
		t.Fatalf("stale save through the other instance: %v", err)
	}

	// The session opened on 甲 is good on 乙 (the secret is shared).
	cb2, err := remote.Dial(context.Background(), b, fp, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer cb2.Close()
	if _, err := cb2.Services().Users.FindUsers(admin, app.UserFilter{}); code(err) != app.EUNAUTHORIZED {
		t.Fatalf("a client that never logged in used another's session: %v", err)
	}
	remote.CopySession(ca, cb2, app.UserFromContext(admin).ID)
	if _, err := cb2.Services().Users.FindUsers(admin, app.UserFilter{}); err != nil {
		t.Fatalf("a session of 甲 on 乙: %v", err)
	}
	rep, err := svcA.Audit.VerifyAudit(admin)
	if err != nil || !rep.OK {
		t.Fatalf("audit %+v: %v", rep, err)
	}
}
