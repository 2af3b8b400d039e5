package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// First start on a PC with an empty archive: the user chooses 联网, tests a wrong address,
// an incompatible server and the right one, compares the fingerprint, confirms, and logs in
// as a user of the server.
func TestStart_FirstStartServerMode(t *testing.T) {
	a := newTestApp(t)
	local, path := newTestServices(t) // the empty archive main opened for 单机
	srv := newFakeServer(t)
	conn := &fakeConnector{servers: map[string]*fakeServer{testServerAddr: srv}}
	pc := &memPC{}
	opts := serverOptions(pc, conn, nil)
	opts.Services, opts.ArchivePath = local, path
	s := start(a, opts)
	v := s.setup
	if v == nil || v.mode == nil {
		t.Fatal("first start: no set-up screen with a 工作模式 choice")
	}
	if v.mode.Selected != modeLocalName || v.net.Visible() || !v.local.Visible() {
		t.Errorf("set-up starts on %q", v.mode.Selected)
	}
	v.mode.SetSelected(modeServerName)
	if v.local.Visible() || !v.net.Visible() {
		t.Fatal("联网 chosen: the institution form is still shown")
	}
	p := v.panel

	// A malformed address is refused beside the field, before any connection.
	typeInto(p.address, "192.168.1.10")
	test.Tap(p.test)
	p.wait()
	if !p.addrMsg.Visible() || !strings.Contains(p.addrMsg.Text, "服务器名或 IP 地址:端口") {
		t.Errorf("address without port: %q", p.addrMsg.Text)
	}
	if conn.probes != 0 {
		t.Error("a malformed address was probed")
	}

	// Nothing listening: the message names the address.
	p.address.SetText("")
	typeInto(p.address, "192.168.1.99:8443")
	test.Tap(p.test)
	p.wait()
	if !strings.Contains(p.status.Text, "192.168.1.99:8443") || !strings.Contains(p.status.Text, "无法连接服务器") {
		t.Errorf("unreachable: %q", p.status.Text)
	}
	if !p.confirm.Disabled() {
		t.Error("an unreachable server can be confirmed")
	}

	// An incompatible server shows its message and cannot be pinned.
	old := &fakeServer{info: app.ServerInfo{Address: "192.168.1.11:8443", Fingerprint: otherFP, Institution: "旧服务器", Version: "0.9.0",
		Compatible: false, Message: "服务器程序版本 0.9.0 过旧（协议 0），本程序需要协议 1。请先升级服务器。"}}
	conn.servers["192.168.1.11:8443"] = old
	p.address.SetText("192.168.1.11:8443")
	pressEnter(p.address)
	p.wait()
	if !strings.Contains(p.status.Text, "请先升级服务器") || !p.confirm.Disabled() {
		t.Errorf("incompatible: %q, confirm disabled %v", p.status.Text, p.confirm.Disabled())
	}

	// The right server: institution, version and the fingerprint in groups to compare.
	p.address.SetText("")
	typeInto(p.address, "１９２.168.1.10：8443") // full-width digits and colon from an input method
	test.Tap(p.test)
	p.wait()
	if p.confirm.Disabled() {
		t.Fatalf("compatible server not offered: %q", p.status.Text)
	}
	if p.inst.Text != "闽清县职业病防治院" || p.version.Text != "1.4.0" || p.finger.Text != testFP {
		t.Errorf("details: %q %q %q", p.inst.Text, p.version.Text, p.finger.Text)
	}
	if !strings.Contains(p.compare.Text, "逐组核对") || !p.compare.Visible() {
		t.Errorf("no instruction to compare: %q", p.compare.Text)
	}
	setupShot(t, s, "setup_server.png")

	// Editing the address after the test withdraws the confirmation.
	typeInto(p.address, "1")
	if !p.confirm.Disabled() {
		t.Error("confirm stays after the address changed")
	}
	p.address.SetText(testServerAddr)
	test.Tap(p.test)
	p.wait()
	test.Tap(p.confirm)
	s.bg.Wait()
	if got := pc.get(); got.Mode != app.ModeServer || got.Server != testServerAddr || got.ServerFingerprint != testFP {
		t.Errorf("pinned settings %+v", got)
	}
	if s.login == nil {
		t.Fatal("no login after confirming")
	}
	if !strings.Contains(s.win.Title(), "联网："+testServerAddr) {
		t.Errorf("title %q", s.win.Title())
	}
	if !markupHas(s.win, "联网：服务器 "+testServerAddr) || !markupHas(s.win, "联网 · 已连接 "+testServerAddr) {
		t.Error("login screen does not show the server and the status line")
	}
	setupShot(t, s, "login_server.png")

	// The server's users log in.
	typeInto(s.login.username, testAdmin)
	typeInto(s.login.password, testPassword)
	pressEnter(s.login.password)
	if s.shell == nil {
		t.Fatalf("login: %s", s.login.msg.Text)
	}
	if s.shell.env.Server != testServerAddr || s.shell.env.ArchivePath != "" {
		t.Errorf("env server %q archive %q", s.shell.env.Server, s.shell.env.ArchivePath)
	}
	if !markupHas(s.win, "联网 · 已连接 "+testServerAddr) {
		t.Error("shell has no status line")
	}
	home := labelTexts(s.win)
	if !strings.Contains(home, "联网，服务器 "+testServerAddr) || strings.Contains(home, "档案文件") {
		t.Errorf("home screen facts: %s", home)
	}
}

// Later starts: main opens no archive; the window connects to the pinned server. When it
// cannot be reached, the user can retry, change the server or use this PC's archive.
func TestStart_ServerUnreachableThenRetry(t *testing.T) {
	a := newTestApp(t)
	srv := newFakeServer(t)
	conn := &fakeConnector{servers: map[string]*fakeServer{}}
	pc := &memPC{cfg: app.PCSettings{Mode: app.ModeServer, Server: testServerAddr, ServerFingerprint: testFP}}
	opened := 0
	localSvc, localPath := newTestServices(t)
	s := start(a, serverOptions(pc, conn, func() (app.Services, string, error) {
		opened++
		return localSvc, localPath, nil
	}))
	s.bg.Wait()
	if s.problem == nil || s.problem.title != "无法连接服务器" {
		t.Fatalf("unreachable server: no problem screen (%v)", s.problem)
	}
	if !strings.Contains(s.problem.message, testServerAddr) {
		t.Errorf("message does not name the address: %q", s.problem.message)
	}
	for _, b := range []string{"重试", "修改服务器设置", "改用单机"} {
		if !markupHas(s.win, b) {
			t.Errorf("no %s button", b)
		}
	}

	// The server comes up: 重试 connects and shows its login.
	conn.mu.Lock()
	conn.servers[testServerAddr] = srv
	conn.mu.Unlock()
	test.Tap(s.problem.retry)
	s.bg.Wait()
	if s.login == nil {
		t.Fatal("retry: no login")
	}

	// 改用单机 from the problem screen opens this PC's archive (empty: its set-up).
	conn.mu.Lock()
	delete(conn.servers, testServerAddr)
	conn.mu.Unlock()
	s.reconnect()
	s.bg.Wait()
	if s.problem == nil {
		t.Fatal("no problem screen after the server went away")
	}
	test.Tap(s.problem.local)
	if opened != 1 || s.setup == nil || s.server != "" {
		t.Fatalf("改用单机: opened %d, setup %v, server %q", opened, s.setup != nil, s.server)
	}
	if got := pc.get(); got.Mode != app.ModeLocal || got.Server != testServerAddr {
		t.Errorf("settings after 改用单机: %+v (the server stays for a later switch)", got)
	}
	if !srv.conn.closed {
		t.Error("the server connection was not closed")
	}
}

// 修改服务器设置 from the problem screen pins another server.
func TestStart_ChangeServerFromProblemScreen(t *testing.T) {
	a := newTestApp(t)
	srv := newFakeServer(t)
	srv.info.Address = "10.0.0.5:9443"
	conn := &fakeConnector{servers: map[string]*fakeServer{"10.0.0.5:9443": srv}}
	pc := &memPC{cfg: app.PCSettings{Mode: app.ModeServer, Server: testServerAddr, ServerFingerprint: testFP}}
	s := start(a, serverOptions(pc, conn, nil))
	s.bg.Wait()
	if s.problem == nil {
		t.Fatal("no problem screen")
	}
	if s.problem.local.Visible() {
		t.Error("改用单机 offered without a local archive")
	}
	test.Tap(s.problem.change)
	p := s.panel
	if p == nil || p.address.Text != testServerAddr {
		t.Fatal("server settings not shown with the saved address")
	}
	p.address.SetText("10.0.0.5:9443")
	test.Tap(p.test)
	p.wait()
	test.Tap(p.confirm)
	s.bg.Wait()
	if s.login == nil || pc.get().Server != "10.0.0.5:9443" {
		t.Fatalf("login %v, settings %+v", s.login != nil, pc.get())
	}
}

// A server that presents another certificate than the one pinned: a warning, never a
// silent re-pin; only an administrator's login on the new certificate pins it.
func TestStart_PinMismatch(t *testing.T) {
	a := newTestApp(t)
	srv := newFakeServer(t)
	srv.info.Fingerprint = otherFP // reinstalled: a new certificate
	ctx := context.Background()
	admin, _ := srv.svc.Auth.Login(ctx, testAdmin, testPassword)
	clerk := &app.User{Username: "dengji", Name: "王登记", Roles: []app.Role{app.RoleRegistrar}}
	if err := srv.svc.Users.CreateUser(app.NewContextWithUser(ctx, admin), clerk, "dengji2026"); err != nil {
		t.Fatal(err)
	}
	conn := &fakeConnector{servers: map[string]*fakeServer{testServerAddr: srv}}
	pc := &memPC{cfg: app.PCSettings{Mode: app.ModeServer, Server: testServerAddr, ServerFingerprint: testFP}}
	s := start(a, serverOptions(pc, conn, nil))
	s.bg.Wait()
	if s.problem == nil || s.problem.title != "服务器证书已改变" || s.problem.extra == nil {
		t.Fatalf("pin mismatch: %+v", s.problem)
	}
	if l := labelTexts(s.win); !strings.Contains(l, testFP) || !strings.Contains(l, otherFP) {
		t.Error("the two fingerprints are not both shown")
	}
	if pc.get().ServerFingerprint != testFP {
		t.Fatal("re-pinned silently")
	}

	// Re-trusting asks for the last groups of the fingerprint as the server shows it: a
	// wrong answer sends nothing to the server.
	test.Tap(s.problem.extra)
	typeInto(s.repinEntry, "08BB F1A6 0000 1111")
	test.Tap(s.repinOK)
	s.bg.Wait()
	if s.login != nil || !strings.Contains(dialogText(s.win), "不一致") {
		t.Fatalf("wrong groups accepted: %q", dialogText(s.win))
	}
	s.repinEntry.SetText("")
	typeInto(s.repinEntry, strings.ToLower("2B3F6A58 D4C271E908BBF1A6")[8:]) // the last 4 groups, lower case, spaces optional
	test.Tap(s.repinOK)
	s.bg.Wait()

	// A registrar cannot re-pin.
	if s.login == nil || !markupHas(s.win, "请以管理员身份登录") {
		t.Fatal("re-pin: no administrator login")
	}
	typeInto(s.login.username, "dengji")
	typeInto(s.login.password, "dengji2026")
	pressEnter(s.login.password)
	if s.shell != nil || s.problem == nil || !strings.Contains(s.problem.message, "只有管理员") {
		t.Fatalf("a registrar re-pinned: shell %v", s.shell != nil)
	}
	if pc.get().ServerFingerprint != testFP {
		t.Fatal("a registrar's login changed the pin")
	}

	// An administrator, after comparing, re-pins by logging in.
	s.showPinChanged(testServerAddr, testFP, srv.info)
	test.Tap(s.problem.extra)
	typeInto(s.repinEntry, "6A58 D4C2 71E9 08BB F1A6"[5:])
	test.Tap(s.repinOK) // (Enter in the entry does the same)
	s.bg.Wait()
	typeInto(s.login.username, testAdmin)
	typeInto(s.login.password, testPassword)
	pressEnter(s.login.password)
	if s.shell == nil {
		t.Fatalf("administrator re-pin: %s", s.login.msg.Text)
	}
	if got := pc.get(); got.ServerFingerprint != otherFP || got.Mode != app.ModeServer {
		t.Errorf("pin after the administrator's login: %+v", got)
	}
}

// A server of another protocol generation refuses the connection with EVERSION: its message
// with the instruction to upgrade.
func TestStart_VersionRefused(t *testing.T) {
	a := newTestApp(t)
	srv := newFakeServer(t)
	conn := &fakeConnector{servers: map[string]*fakeServer{testServerAddr: srv},
		connectErr: app.Errorf(app.EVERSION, "本程序（协议 1）与服务器（协议 2）版本不一致。")}
	pc := &memPC{cfg: app.PCSettings{Mode: app.ModeServer, Server: testServerAddr, ServerFingerprint: testFP}}
	s := start(a, serverOptions(pc, conn, nil))
	s.bg.Wait()
	if s.problem == nil || s.problem.title != "版本不一致" || !strings.Contains(s.problem.message, "协议 2") ||
		!strings.Contains(s.problem.message, "请安装与服务器相同版本的程序") {
		t.Fatalf("version refusal: %+v", s.problem)
	}
}

// loginServer starts a workstation on srv and logs the administrator in.
func loginServer(t *testing.T, srv *fakeServer) *starter {
	t.Helper()
	a := newTestApp(t)
	conn := &fakeConnector{servers: map[string]*fakeServer{testServerAddr: srv}}
	pc := &memPC{cfg: app.PCSettings{Mode: app.ModeServer, Server: testServerAddr, ServerFingerprint: testFP}}
	s := start(a, serverOptions(pc, conn, nil))
	s.bg.Wait()
	if s.login == nil {
		t.Fatal("no login")
	}
	typeInto(s.login.username, testAdmin)
	typeInto(s.login.password, testPassword)
	pressEnter(s.login.password)
	if s.shell == nil {
		t.Fatalf("login: %s", s.login.msg.Text)
	}
	return s
}

// The link goes down: a red banner says so and that nothing typed is lost, and the status
// line says since when; it goes away when the link is back.
func TestShell_OfflineBanner(t *testing.T) {
	srv := newFakeServer(t)
	s := loginServer(t, srv)
	b := s.conn
	if b.banner.Visible() {
		t.Fatal("banner shown while online")
	}
	srv.conn.set(app.ConnectionState{Online: false, Address: testServerAddr, Message: "服务器无响应，正在重试…", Since: testNow})
	<-b.seen
	if !b.banner.Visible() || !markupHas(s.win, offlineBanner) {
		t.Fatal("offline: no banner")
	}
	if !strings.Contains(b.status.Text, "连接中断") || !strings.Contains(b.status.Text, "服务器无响应") {
		t.Errorf("status line %q", b.status.Text)
	}
	s.shell.nav.Select("overdue")
	setupShot(t, s, "offline_banner.png")
	srv.conn.set(app.ConnectionState{Online: true, Address: testServerAddr, Since: testNow})
	<-b.seen
	if b.banner.Visible() || b.status.Text != "联网 · 已连接 "+testServerAddr {
		t.Errorf("online again: banner %v, status %q", b.banner.Visible(), b.status.Text)
	}
	// Logging out and in keeps watching the same link.
	s.shell.logout()
	if !markupHas(s.win, "联网 · 已连接 "+testServerAddr) {
		t.Error("login after logout lost the status line")
	}
}

// 工作模式 in 系统管理: an administrator switches a 单机 PC to 联网; the switch logs out and
// connects.
func TestModeScreen_SwitchToServer(t *testing.T) {
	a := newTestApp(t)
	srv := newFakeServer(t)
	conn := &fakeConnector{servers: map[string]*fakeServer{testServerAddr: srv}}
	local, path := newTestServices(t)
	if _, err := local.Setup.Initialize(context.Background(), testSetup()); err != nil {
		t.Fatal(err)
	}
	pc := &memPC{}
	local.PC = pc
	opts := serverOptions(pc, conn, func() (app.Services, string, error) { return local, path, nil })
	opts.Services, opts.ArchivePath = local, path
	s := start(a, opts)
	typeInto(s.login.username, testAdmin)
	typeInto(s.login.password, testPassword)
	pressEnter(s.login.password)
	if s.shell == nil {
		t.Fatal("login")
	}
	s.shell.nav.Select("admin_mode")
	v := newModeScreen(s.shell.env)
	if !strings.Contains(v.current.Text, "单机：档案文件 "+path) {
		t.Errorf("current: %q", v.current.Text)
	}
	if !v.toLocal.Disabled() {
		t.Error("改用单机 offered on a 单机 PC")
	}
	v.mode.SetSelected(modeServerName)
	v.panel.address.SetText(testServerAddr)
	test.Tap(v.panel.test)
	v.panel.wait()
	test.Tap(v.panel.confirm)
	if v.confirm == nil {
		t.Fatal("no confirmation before logging out")
	}
	v.confirm.Confirm()
	s.bg.Wait()
	if got := pc.get(); got.Mode != app.ModeServer || got.ServerFingerprint != testFP {
		t.Errorf("settings %+v", got)
	}
	if s.login == nil || s.server != testServerAddr {
		t.Fatalf("not on the server's login: server %q", s.server)
	}

	// And back to 单机 from the server's 工作模式.
	typeInto(s.login.username, testAdmin)
	typeInto(s.login.password, testPassword)
	pressEnter(s.login.password)
	v = newModeScreen(s.shell.env)
	if !strings.Contains(v.current.Text, "联网：服务器 "+testServerAddr) || !strings.Contains(v.current.Text, testFP) {
		t.Errorf("current: %q", v.current.Text)
	}
	v.mode.SetSelected(modeLocalName)
	test.Tap(v.toLocal)
	v.confirm.Confirm()
	if s.server != "" || s.login == nil || pc.get().Mode != app.ModeLocal {
		t.Errorf("back to 单机: server %q, settings %+v", s.server, pc.get())
	}
}

func TestConnect_Messages(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "请输入服务器地址"},
		{"192.168.1.10", "服务器名或 IP 地址:端口"},
		{":8443", "服务器名或 IP 地址:端口"},
		{"server:http", "端口应为 1–65535"},
		{"server:70000", "端口应为 1–65535"},
		{"server:8443", ""},
		{"[fe80::1]:8443", ""},
	} {
		if got := addressProblem(tc.in); tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("addressProblem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if m := unreachableMessage("10.0.0.1:8443", context.DeadlineExceeded); !strings.Contains(m, "10.0.0.1:8443 在 15 秒内没有响应") {
		t.Errorf("timeout: %q", m)
	}
	if m := unreachableMessage("10.0.0.1:8443", context.Canceled); !strings.Contains(m, "无法连接服务器 10.0.0.1:8443") {
		t.Errorf("other error: %q", m)
	}
	if !sameFingerprint("3f2a9c01", "3F2A 9C01") || sameFingerprint("", "") || sameFingerprint("3F2A", "3F2B") {
		t.Error("sameFingerprint")
	}
	if got := fingerprintTail(testFP, 4); got != "D4C271E908BBF1A6" {
		t.Errorf("tail %q", got)
	}
}
