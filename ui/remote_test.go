package ui

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/store"
	"occhealth/store/bolt"
	"occhealth/store/remote"
)

// The window against the real server and client (store/remote) on loopback TLS: the 联网
// set-up shows the certificate's real fingerprint, pins it and logs in; a notice the server
// streams refreshes a worklist; the server going away shows the banner until it is back; a
// server with another certificate gets the warning screen.

// realServer is an archive served by remote.Server on 127.0.0.1.
type realServer struct {
	addr string
	cert tls.Certificate
	fp   string
	feed *fakeFeed // the server's change feed, which the test publishes on
	opts remote.ServerOptions
	mu   sync.Mutex
	http *http.Server
}

func startRealServer(t *testing.T, addr string) *realServer {
	return startRealServerWith(t, addr, true)
}

// startRealServerWith serves an archive, set up when initialized.
func startRealServerWith(t *testing.T, addr string, initialized bool) *realServer {
	t.Helper()
	dir := t.TempDir()
	set := testCatalogs(t)
	db, err := bolt.Open(filepath.Join(dir, "archive.db"), bolt.Options{Keys: store.NewMemoryKeyRing(testNow), Codes: set,
		FastPasswords: true, Now: testClock, Workstation: "服务器", Calendar: testCalendar(t)})
	if err != nil {
		t.Fatal(err)
	}
	svc := db.Services(set)
	if initialized {
		if _, err := svc.Setup.Initialize(context.Background(), testSetup()); err != nil {
			t.Fatal(err)
		}
	}
	s := &realServer{feed: newFakeFeed()}
	svc.Changes = s.feed
	if s.cert, _, err = remote.LoadOrCreateCertificate(filepath.Join(dir, "server")); err != nil {
		t.Fatal(err)
	}
	s.fp = remote.CertificateFingerprint(s.cert)
	secret, err := remote.LoadOrCreateSecret(filepath.Join(dir, "server"))
	if err != nil {
		t.Fatal(err)
	}
	s.opts = remote.ServerOptions{Services: svc, SessionUser: db.SessionUser, Secret: secret, Version: "测试版", Heartbeat: 200 * time.Millisecond}
	s.addr = addr
	s.serve(t)
	t.Cleanup(func() {
		s.stop()
		db.Close()
	})
	return s
}

func (s *realServer) serve(t *testing.T) {
	t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	srv := &http.Server{Handler: remote.NewServer(s.opts), TLSConfig: remote.ServerTLSConfig(s.cert)}
	s.mu.Lock()
	s.http = srv
	s.mu.Unlock()
	go srv.ServeTLS(ln, "", "")
}

func (s *realServer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.http != nil {
		s.http.Close()
		s.http = nil
	}
}

// realOptions are a workstation's StartOptions with the real connector.
func realOptions(pc *memPC) StartOptions {
	conn := remote.Connector{Options: remote.Options{Workstation: "检验科", Version: "测试版",
		Catalogs: func() (*catalog.Set, error) { return catalog.Load(assets.Catalogs) }, RetryFor: 1500 * time.Millisecond}}
	return StartOptions{Workstation: "检验科", PC: pc, Connector: conn,
		Connect: func(ctx context.Context, addr, fp string) (app.Services, error) {
			svc, err := conn.Connect(ctx, addr, fp)
			if err == nil {
				svc.PC = pc
			}
			return svc, err
		}}
}

// waitState waits until the bar shows the link online (or offline).
func waitState(t *testing.T, b *connBar, online bool) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case <-b.seen:
			if b.online == online {
				return
			}
		case <-deadline:
			t.Fatalf("connection state online=%v not shown within 15 s", online)
		}
	}
}

func TestRemote_ServerModeEndToEnd(t *testing.T) {
	srv := startRealServer(t, "127.0.0.1:0")
	a := newTestApp(t)
	local, path := newTestServices(t)
	pc := &memPC{}
	opts := realOptions(pc)
	opts.Services, opts.ArchivePath = local, path
	s := start(a, opts)
	t.Cleanup(s.closeConnection)
	s.setup.mode.SetSelected(modeServerName)
	p := s.setup.panel
	typeInto(p.address, srv.addr)
	test.Tap(p.test)
	p.wait()
	if p.finger.Text != srv.fp || p.inst.Text != testSetup().Institution.Name || p.confirm.Disabled() {
		t.Fatalf("probe: fingerprint %q (server %q), institution %q, status %q", p.finger.Text, srv.fp, p.inst.Text, p.status.Text)
	}
	test.Tap(p.confirm)
	s.bg.Wait()
	if s.login == nil {
		t.Fatalf("no login after pinning: %q", p.status.Text)
	}
	if got := pc.get(); got.ServerFingerprint != srv.fp || got.Server != srv.addr {
		t.Errorf("pinned %+v", got)
	}
	typeInto(s.login.username, testAdmin)
	typeInto(s.login.password, testPassword)
	pressEnter(s.login.password)
	if s.shell == nil {
		t.Fatalf("login over the server: %q", s.login.msg.Text)
	}

	// A notice streamed by the server refreshes 报告期限.
	seen := make(chan struct{}, 16)
	s.shell.env.liveSeen = seen
	s.shell.nav.Select("overdue")
	eventually(t, "the client follows the server's notices", func() bool { return srv.feed.subscribers() > 0 })
	srv.feed.publish(app.ChangeExam)
	waitSeen(t, seen, "a notice through the server")

	// The server goes away: the banner; it comes back: the banner goes.
	b := s.conn
	srv.stop()
	waitState(t, b, false)
	if !b.banner.Visible() || !strings.Contains(b.status.Text, "连接中断") {
		t.Errorf("offline: banner %v, status %q", b.banner.Visible(), b.status.Text)
	}
	srv.serve(t)
	waitState(t, b, true)
	if b.banner.Visible() {
		t.Error("banner stays after the server is back")
	}
}

// A workstation pinned to one certificate meets a server presenting another.
func TestRemote_PinMismatchWarns(t *testing.T) {
	srv := startRealServer(t, "127.0.0.1:0")
	a := newTestApp(t)
	pc := &memPC{cfg: app.PCSettings{Mode: app.ModeServer, Server: srv.addr, ServerFingerprint: testFP}}
	s := start(a, realOptions(pc))
	t.Cleanup(s.closeConnection)
	s.bg.Wait()
	if s.problem == nil || s.problem.title != "服务器证书已改变" {
		t.Fatalf("pin mismatch: problem %+v", s.problem)
	}
	if l := labelTexts(s.win); !strings.Contains(l, srv.fp) || !strings.Contains(l, testFP) {
		t.Errorf("fingerprints not shown: %s", l)
	}
	if pc.get().ServerFingerprint != testFP {
		t.Error("re-pinned silently")
	}
}

// Nothing listening at the pinned address: the unreachable screen names it.
func TestRemote_Unreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	a := newTestApp(t)
	pc := &memPC{cfg: app.PCSettings{Mode: app.ModeServer, Server: addr, ServerFingerprint: testFP}}
	s := start(a, realOptions(pc))
	s.bg.Wait()
	if s.problem == nil || s.problem.title != "无法连接服务器" || !strings.Contains(s.problem.message, addr) {
		t.Fatalf("unreachable: %+v", s.problem)
	}
}

// A new server with an empty archive: the first workstation pins it, sets the institution
// and the first administrator up on the server, and logs in there.
func TestRemote_SetUpAnEmptyServer(t *testing.T) {
	srv := startRealServerWith(t, "127.0.0.1:0", false)
	a := newTestApp(t)
	local, path := newTestServices(t)
	pc := &memPC{}
	opts := realOptions(pc)
	opts.Services, opts.ArchivePath = local, path
	s := start(a, opts)
	t.Cleanup(s.closeConnection)
	s.setup.mode.SetSelected(modeServerName)
	p := s.setup.panel
	typeInto(p.address, srv.addr)
	test.Tap(p.test)
	p.wait()
	if !strings.Contains(p.status.Text, "尚未初始化") || p.confirm.Disabled() {
		t.Fatalf("empty server: %q", p.status.Text)
	}
	test.Tap(p.confirm)
	s.bg.Wait()
	v := s.setup
	if v == nil || v.mode != nil || !strings.Contains(v.intro.Text, "服务器 "+srv.addr+" 上的档案尚未设置") {
		t.Fatal("no set-up of the server's archive")
	}
	if v.demo.Visible() {
		t.Error("a demo archive offered on a server")
	}
	in := testSetup()
	typeInto(v.name, in.Institution.Name)
	typeInto(v.code, in.Institution.Code)
	v.kinds.SetSelected([]string{app.KindExam.Name()})
	v.hazards.SetSelected([]string{"粉尘"})
	v.area.prov.SetSelected("福建省")
	v.area.city.SetSelected("福州市")
	v.area.county.SetSelected("闽清县")
	typeInto(v.username, testAdmin)
	typeInto(v.realName, "林管理")
	typeInto(v.pass, testPassword)
	typeInto(v.pass2, testPassword)
	test.Tap(v.create)
	if s.login == nil {
		t.Fatalf("set-up on the server: %s", dialogText(s.win))
	}
	typeInto(s.login.password, testPassword)
	pressEnter(s.login.password)
	if s.shell == nil || s.shell.env.Institution.Name != in.Institution.Name {
		t.Fatalf("login after set-up: %q", s.login.msg.Text)
	}
	if st, err := local.Setup.Status(context.Background()); err != nil || st.Initialized {
		t.Errorf("the local archive was set up instead: %+v %v", st, err)
	}
}
