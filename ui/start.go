package ui

import (
	"context"
	"log"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// AppTitle is the program's name: the window title starts with it, and the login screen
// shows it large (the end-to-end check reads it back with OCR).
const AppTitle = "职业健康工作站"

// StartOptions is what main hands to Start.
type StartOptions struct {
	Services    app.Services
	ArchivePath string
	// Workstation names this PC in the audit log.
	Workstation string
	// CreateDemo creates and fills a separate demo archive, reporting progress, and returns
	// its services and path; nil hides the demo button of the set-up screen.
	CreateDemo func(progress func(done, total int)) (app.Services, string, error)
	// AfterLogin is called after each login with the user's context (e.g. to start the daily
	// backup); may be nil.
	AfterLogin func(ctx context.Context)

	// 联网 mode. When Services is empty (no Setup service), the window connects to the server
	// pinned in this PC's settings (PC) instead of opening an archive.
	//
	// PC is this PC's settings (mode, server address, pinned fingerprint), readable before any
	// archive or server is open; nil: Services.PC.
	PC app.PCSettingsStore
	// Connector probes a server for 测试连接; nil offers 单机 only.
	Connector app.ServerConnector
	// Connect connects to the server at address, trusting only the certificate with
	// fingerprint, and returns its services with this PC's own parts (PC, Drops, Spooler,
	// Documents, Exchange) filled in.
	Connect func(ctx context.Context, address, fingerprint string) (app.Services, error)
	// OpenLocal opens this PC's archive (改用单机, or 工作模式 switched to 单机) and returns its
	// services and path; nil hides 改用单机.
	OpenLocal func() (app.Services, string, error)
}

// starter drives one window through set-up, login and the shell.
type starter struct {
	app  fyne.App
	win  fyne.Window
	opts StartOptions
	// status is the archive's set-up status as last read.
	status app.SetupStatus
	// The screen on display (one of them is set), for tests.
	setup *setupScreen
	login *loginScreen
	// forced is the password change required after an administrator's reset.
	forced *passwordForm
	shell  *shell
	// bg counts background work (the demo fill, connecting), so tests can wait for it.
	bg sync.WaitGroup

	// 联网 mode (ui/start_server.go): server is the address of the server the window works on
	// ("" in 单机 mode); conn shows the link's state; repin is the server whose new
	// certificate an administrator's login will pin. problem and panel are the screens of a
	// server that cannot be used and of its settings, when shown (for tests).
	server  string
	conn    *connBar
	repin   *app.ServerInfo
	problem *serverProblem
	panel   *connectPanel
	// repinEntry and repinOK are the last re-pin confirmation asked (tests).
	repinEntry *widget.Entry
	repinOK    *widget.Button
}

// Start applies the theme and icon, creates the main window (1280×760) and shows the set-up
// screen of an empty archive or the login. The caller shows the window (ShowAndRun).
func Start(a fyne.App, opts StartOptions) fyne.Window {
	return start(a, opts).win
}

func start(a fyne.App, opts StartOptions) *starter {
	useChinese()
	a.Settings().SetTheme(NewTheme())
	a.SetIcon(appIcon)
	w := a.NewWindow(AppTitle)
	w.SetIcon(appIcon)
	w.Resize(fyne.NewSize(1000, 680)) // fits 1024×768, and 1366×768 with the Windows taskbar
	s := &starter{app: a, win: w, opts: opts}
	if opts.Services.Setup == nil {
		s.connectSaved() // 联网: main opened no archive
	} else {
		s.showEntry()
	}
	return s
}

// baseContext carries the workstation name.
func (s *starter) baseContext() context.Context {
	return app.NewContextWithWorkstation(context.Background(), s.opts.Workstation)
}

// catalogs returns the catalog set in force, or an empty one.
func (s *starter) catalogs() *catalog.Set { return catalogsOf(s.opts.Services) }

func catalogsOf(svc app.Services) *catalog.Set {
	if svc.Catalogs != nil {
		return svc.Catalogs
	}
	empty, _ := catalog.NewSet()
	return empty
}

// showEntry reads the set-up status and shows set-up or login.
func (s *starter) showEntry() {
	s.leaveShell()
	s.win.SetMainMenu(nil)
	st, err := s.opts.Services.Setup.Status(s.baseContext())
	if err != nil {
		log.Printf("ui: setup status: %v", err)
		s.win.SetTitle(AppTitle)
		msg := widget.NewLabel("无法读取档案：" + app.ErrorMessage(err))
		msg.Wrapping = fyne.TextWrapWord
		s.win.SetContent(container.NewCenter(msg))
		return
	}
	s.status = st
	s.updateTitle()
	if !st.Initialized {
		s.setup = newSetupScreen(s)
		s.win.SetContent(s.setup.content())
		return
	}
	s.showLogin("")
}

// updateTitle sets "职业健康工作站 — 机构名", with " [演示数据]" on a demo archive.
func (s *starter) updateTitle() {
	s.win.SetTitle(windowTitle(s.status, s.server))
}

// windowTitle is the title of the window; in 联网 mode it names the server.
func windowTitle(st app.SetupStatus, server string) string {
	t := AppTitle
	switch {
	case st.Institution != nil:
		t += " — " + st.Institution.Name
	case !st.Initialized:
		t += " — 首次设置"
	}
	if st.Demo {
		t += " [演示数据]"
	}
	if server != "" {
		t += "（联网：" + server + "）"
	}
	return t
}

// showLogin shows the login screen, with username filled in when given.
func (s *starter) showLogin(username string) {
	s.win.SetMainMenu(nil)
	stopLISDrop(s.opts.ArchivePath) // the watch of the result folder ends with the session
	s.leaveShell()
	l := newLoginScreen(s)
	s.login = l
	s.win.SetContent(l.content())
	if username != "" {
		l.username.SetText(username)
		s.win.Canvas().Focus(l.password)
	} else {
		s.win.Canvas().Focus(l.username)
	}
}

// loggedIn continues after a successful login (and any forced password change).
func (s *starter) loggedIn(u *app.User) {
	if !s.finishRepin(u) {
		return
	}
	ctx := app.NewContextWithUser(s.baseContext(), u)
	inst, err := s.opts.Services.Institution.Institution(ctx)
	if err != nil {
		showError(s.win, err)
		return
	}
	env := &Env{
		Services:    s.opts.Services,
		Window:      s.win,
		User:        u,
		Institution: inst,
		Ctx:         ctx,
		ArchivePath: s.opts.ArchivePath,
		Server:      s.server,
		Connector:   s.opts.Connector,
		Reconnect:   s.reconnect,
	}
	if s.opts.AfterLogin != nil {
		s.opts.AfterLogin(ctx)
	}
	startLISDrop(env) // this PC's result folder, for a user allowed to import (ui/lisdrop.go)
	s.leaveShell()
	s.shell = newShell(s, env)
	s.shell.show()
}

// leaveShell ends the session of the shell on display, if any: its screens stop listening.
func (s *starter) leaveShell() {
	if s.shell != nil {
		s.shell.end()
		s.shell = nil
	}
}
