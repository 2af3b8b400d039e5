package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store/remote"
)

// TestServe runs `occhealth serve` on a set-up archive: a workstation probes it, sees the
// fingerprint the command printed, connects, logs in and works; the server stops gracefully.
func TestServe(t *testing.T) {
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	dir := t.TempDir()
	path := filepath.Join(dir, "archive.db")
	a, err := openArchive(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution:   app.Institution{Name: "测试县人民医院", Code: "450102001", Kinds: []app.InstitutionKind{app.KindExam}, HazardCategories: []app.HazardCategory{app.HazardDust}, AreaCode: "450102"},
		AdminUsername: "admin", AdminName: "管理员", AdminPassword: "Admin1234",
	}); err != nil {
		t.Fatal(err)
	}
	a.db.Close()

	conf := filepath.Join(dir, "server")
	out := captureStdout(t, func() {
		if code := run([]string{"serve", "--fingerprint", "--config", conf}); code != exitOK {
			t.Fatalf("exit %d", code)
		}
	})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	fp := strings.TrimSpace(lines[len(lines)-1])
	if len(strings.Fields(fp)) != 16 {
		t.Fatalf("no fingerprint in %q", out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, stop := context.WithCancel(context.Background())
	var logBuf bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- runServer(ctx, serveConfig{db: path, listen: addr, configDir: conf}, log.New(&logBuf, "", 0))
	}()

	k := remote.Connector{Options: remote.Options{Workstation: "前台1", Version: version, Catalogs: loadCatalogs}}
	var info app.ServerInfo
	for i := 0; i < 100; i++ {
		if info, err = k.Probe(context.Background(), addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if info.Fingerprint != fp || info.Institution != "测试县人民医院" || !info.Compatible {
		t.Fatalf("probe %+v, printed fingerprint %s", info, fp)
	}
	svc, err := k.Connect(context.Background(), addr, fp)
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.Auth.Login(context.Background(), "admin", "Admin1234")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Users.FindUsers(app.NewContextWithUser(context.Background(), u), app.UserFilter{}); err != nil {
		t.Fatal(err)
	}
	// A workstation still connected (its change stream open) does not hold the server up.
	states := svc.Connection.Watch(context.Background())
	time.Sleep(200 * time.Millisecond)
	stopped := time.Now()
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}
	if d := time.Since(stopped); d > 5*time.Second {
		t.Errorf("stopping took %v", d)
	}
	select {
	case st := <-states:
		if st.Online {
			t.Errorf("state %+v after the server stopped", st)
		}
	case <-time.After(5 * time.Second):
		t.Error("the workstation did not notice that the server stopped")
	}
	svc.Connection.Close()
	if !strings.Contains(logBuf.String(), "服务器已停止") || !strings.Contains(logBuf.String(), "每日自动备份") {
		t.Fatalf("log: %s", logBuf.String())
	}
	// The server made the day's backup itself (no workstation has the archive to back it up).
	if backups, _ := filepath.Glob(filepath.Join(dir, "backups", "*")); len(backups) == 0 {
		t.Fatal("no daily backup beside the archive")
	}
	// The archive is closed: it opens again.
	a, err = openArchive(path, true)
	if err != nil {
		t.Fatal(err)
	}
	a.db.Close()
}

func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	save := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = save }()
	ch := make(chan string)
	go func() { b, _ := io.ReadAll(r); ch <- string(b) }()
	f()
	w.Close()
	os.Stdout = save
	return <-ch
}
