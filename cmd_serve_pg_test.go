package main

import (
	"context"
	"log"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/internal/pgtest"
	"occhealth/store/remote"
)

// TestMain stops the throwaway PostgreSQL cluster of the tests that start one.
func TestMain(m *testing.M) {
	// Scripts under test (packaging/restore-drill) run the program as this test binary.
	if os.Getenv("OCCHEALTH_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(pgtest.Main(m))
}

// pgURL turns pgtest's keyword DSN into the postgres:// form `occhealth serve --db` takes.
func pgURL(t *testing.T, dsn string) string {
	kv := map[string]string{}
	for _, f := range strings.Fields(dsn) {
		k, v, _ := strings.Cut(f, "=")
		kv[k] = v
	}
	q := url.Values{"host": {kv["host"]}, "port": {kv["port"]}, "sslmode": {"disable"}}
	return "postgres://" + kv["user"] + "@/" + kv["dbname"] + "?" + q.Encode()
}

// TestServePostgres runs the server on a PostgreSQL archive: a workstation sets it up,
// logs in and saves; the server stops and the data is there after a restart.
func TestServePostgres(t *testing.T) {
	dsn := pgURL(t, pgtest.Start(t))
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	dir := t.TempDir()
	cfg := serveConfig{db: dsn, configDir: filepath.Join(dir, "server"), dataDir: filepath.Join(dir, "data")}
	start := func() (addr string, stop func()) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg.listen = ln.Addr().String()
		ln.Close()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- runServer(ctx, cfg, log.New(os.Stderr, "serve: ", 0)) }()
		for i := 0; ; i++ { // listening once the archive is open
			c, err := net.Dial("tcp", cfg.listen)
			if err == nil {
				c.Close()
				break
			}
			if i == 400 {
				t.Fatalf("server not listening: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		return cfg.listen, func() {
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	}
	addr, stop := start()
	k := remote.Connector{Options: remote.Options{Workstation: "前台1", Version: version, Catalogs: loadCatalogs}}
	info, err := k.Probe(context.Background(), addr)
	if err != nil || !info.Compatible || info.Institution != "" {
		t.Fatalf("probe %+v: %v", info, err)
	}
	svc, err := k.Connect(context.Background(), addr, info.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution:   app.Institution{Name: "测试县人民医院", Code: "450102001", Kinds: []app.InstitutionKind{app.KindExam}, HazardCategories: []app.HazardCategory{app.HazardDust}, AreaCode: "450102"},
		AdminUsername: "admin", AdminName: "管理员", AdminPassword: "Admin1234",
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := app.NewContextWithUser(context.Background(), u)
	w := &app.Worker{Name: "张三", DocType: app.DocResidentID, IDNumber: "450102198001010011"}
	w.IDNumber = w.IDNumber[:17] + string(app.IDCheckChar(w.IDNumber[:17]))
	if err := svc.Workers.CreateWorker(admin, w); err != nil || w.ID == 0 {
		t.Fatalf("%+v %v", w, err)
	}
	svc.Connection.Close()
	stop()

	addr, stop = start()
	defer stop()
	svc, err = k.Connect(context.Background(), addr, info.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Connection.Close()
	u, err = svc.Auth.Login(context.Background(), "admin", "Admin1234")
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Workers.FindWorkerByID(app.NewContextWithUser(context.Background(), u), w.ID)
	if err != nil || got.Name != "张三" {
		t.Fatalf("%+v %v", got, err)
	}
	rep, err := svc.Audit.VerifyAudit(app.NewContextWithUser(context.Background(), u))
	if err != nil || !rep.OK {
		t.Fatalf("audit %+v: %v", rep, err)
	}
}
