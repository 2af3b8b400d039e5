package ui

import (
	"context"
	"fmt"
	"log"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// 联网 mode in the starter: connecting to the server pinned in this PC's settings, the
// screens shown when it cannot be reached or its certificate changed, pinning a server at
// first start, and switching between 单机 and 联网.

// pcSettings returns this PC's settings store: StartOptions.PC, else the services'.
func (s *starter) pcSettings() app.PCSettingsStore {
	if s.opts.PC != nil {
		return s.opts.PC
	}
	return s.opts.Services.PC
}

func (s *starter) loadPC() app.PCSettings {
	var cfg app.PCSettings
	if pc := s.pcSettings(); pc != nil {
		var err error
		if cfg, err = pc.LoadPCSettings(); err != nil {
			log.Printf("ui: load this PC's settings: %v", err)
		}
	}
	return cfg
}

// savePC changes this PC's settings with edit and saves them.
func (s *starter) savePC(edit func(*app.PCSettings)) error {
	pc := s.pcSettings()
	if pc == nil {
		return app.Errorf(app.EINTERNAL, "本机设置不可用")
	}
	cfg, err := pc.LoadPCSettings()
	if err != nil {
		return err
	}
	edit(&cfg)
	return pc.SavePCSettings(cfg)
}

// serverReply is what a connection attempt found out.
type serverReply struct {
	svc    app.Services
	status app.SetupStatus
	err    error
	// probe is what the server said when the pinned connection failed; probed is false
	// when it could not be asked either.
	probe  app.ServerInfo
	probed bool
}

// dial connects to address trusting fingerprint and reads the set-up status, so that a
// connector that dials lazily fails here too. When it fails for another reason than the
// version, the server is probed to tell a changed certificate from an unreachable server.
func (s *starter) dial(address, fingerprint string) serverReply {
	ctx, cancel := context.WithTimeout(s.baseContext(), probeTimeout*2)
	defer cancel()
	var r serverReply
	if s.opts.Connect == nil {
		r.err = app.Errorf(app.EUNAVAILABLE, "本程序没有联网功能，只能单机使用。")
		return r
	}
	r.svc, r.err = s.opts.Connect(ctx, address, fingerprint)
	if r.err == nil {
		r.status, r.err = r.svc.Setup.Status(app.NewContextWithWorkstation(ctx, s.opts.Workstation))
		if r.err != nil && r.svc.Connection != nil {
			r.svc.Connection.Close()
		}
	}
	if r.err != nil && app.ErrorCode(r.err) != app.EVERSION && s.opts.Connector != nil {
		info, err := s.opts.Connector.Probe(ctx, address)
		r.probe, r.probed = info, err == nil
	}
	return r
}

// connectSaved connects to the server of this PC's settings in the background and shows the
// login (or the set-up of an empty server archive), or why it could not.
func (s *starter) connectSaved() {
	cfg := s.loadPC()
	addr, pin := cfg.Server, cfg.ServerFingerprint
	s.server = addr
	if addr == "" || pin == "" {
		s.showServerSettings("本机设置为联网，但还没有保存服务器地址或证书指纹。请输入服务器地址并测试连接。")
		return
	}
	s.showBusy("正在连接服务器 " + addr + " …")
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		r := s.dial(addr, pin)
		fyne.Do(func() {
			if r.err == nil {
				s.useServer(r.svc, addr, r.status)
				return
			}
			s.connectFailed(addr, pin, r)
		})
	}()
}

// connectFailed shows why the pinned server could not be used.
func (s *starter) connectFailed(addr, pin string, r serverReply) {
	switch {
	case app.ErrorCode(r.err) == app.EVERSION:
		msg := app.ErrorMessage(r.err)
		s.showServerProblem("版本不一致", msg+upgradeHint(msg), nil)
	case r.probed && r.probe.Fingerprint != "" && !sameFingerprint(r.probe.Fingerprint, pin):
		s.showPinChanged(addr, pin, r.probe)
	case r.probed && !r.probe.Compatible:
		msg := r.probe.Message
		s.showServerProblem("版本不一致", msg+upgradeHint(msg), nil)
	case app.ErrorCode(r.err) == app.EUNAVAILABLE || !r.probed:
		s.showServerProblem("无法连接服务器", unreachableMessage(addr, r.err), nil)
	default: // reached, but it refused or failed
		s.showServerProblem("服务器拒绝连接", "服务器 "+addr+"："+app.ErrorMessage(r.err), nil)
	}
}

// useServer makes the window work on a server's services and shows its set-up or login.
func (s *starter) useServer(svc app.Services, addr string, st app.SetupStatus) {
	s.closeConnection()
	s.opts.Services = svc
	s.opts.ArchivePath = ""
	s.server = addr
	s.conn = newConnBar(svc.Connection, addr)
	s.status = st
	s.updateTitle()
	if !st.Initialized {
		s.setup = newSetupScreen(s)
		s.win.SetContent(s.setup.content())
		return
	}
	s.showLogin("")
}

// closeConnection ends the link to the server the window used, if any.
func (s *starter) closeConnection() {
	if s.conn != nil {
		s.conn.stop()
		s.conn = nil
	}
	if c := s.opts.Services.Connection; c != nil {
		if err := c.Close(); err != nil {
			log.Printf("ui: close the server connection: %v", err)
		}
	}
}

// showBusy shows a one-line screen while the window waits for the network.
func (s *starter) showBusy(text string) {
	s.win.SetMainMenu(nil)
	s.leaveShell()
	s.login, s.setup = nil, nil
	s.win.SetContent(container.NewCenter(container.NewVBox(widget.NewLabel(text), withWidth(320, widget.NewProgressBarInfinite()))))
}

// serverProblem is the screen of a server that cannot be used: why, and what to do.
type serverProblem struct {
	title, message string
	retry, change  *widget.Button
	local          *widget.Button
	extra          *widget.Button // the re-pin of a changed certificate, nil otherwise
	msg            *widget.Label
}

// showServerProblem shows why the server cannot be used with 重试, 修改服务器设置 and 改用单机,
// and extra (a further action) when given.
func (s *starter) showServerProblem(title, message string, extra *widget.Button, details ...fyne.CanvasObject) {
	s.win.SetMainMenu(nil)
	s.leaveShell()
	s.login, s.setup = nil, nil
	p := &serverProblem{title: title, message: message, extra: extra, msg: newMsg()}
	p.retry = widget.NewButton("重试", s.connectSaved)
	p.retry.Importance = widget.HighImportance
	p.change = widget.NewButton("修改服务器设置", func() { s.showServerSettings("") })
	p.local = widget.NewButton("改用单机", s.switchToLocal)
	if s.opts.OpenLocal == nil {
		p.local.Hide()
	}
	s.problem = p
	s.win.SetTitle(AppTitle + " — 联网：" + s.server)
	h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.SizeName = theme.SizeNameHeadingText
	m := widget.NewLabel(message)
	m.Wrapping = fyne.TextWrapWord
	items := []fyne.CanvasObject{h, m}
	items = append(items, details...)
	buttons := container.NewHBox(p.retry, p.change, p.local)
	if extra != nil {
		buttons.Add(extra)
	}
	items = append(items, buttons, p.msg)
	s.win.SetContent(container.NewCenter(withWidth(640, container.NewVBox(items...))))
}

// showPinChanged warns that the server presents another certificate than the one pinned.
// The window never re-pins by itself: an administrator compares the fingerprint with the
// server's and confirms by logging in as an administrator of that server.
func (s *starter) showPinChanged(addr, pinned string, info app.ServerInfo) {
	old := widget.NewLabelWithStyle(pinned, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	old.Wrapping = fyne.TextWrapWord
	now := widget.NewLabelWithStyle(info.Fingerprint, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true, Bold: true})
	now.Wrapping = fyne.TextWrapWord
	grid := formGrid(formRow{"本机信任的指纹", old, nil}, formRow{"服务器现在的指纹", now, nil})
	repin := widget.NewButton("已核对一致，重新信任（需管理员登录）", func() { s.askRepin(addr, info) })
	repin.Importance = widget.DangerImportance
	if !info.Compatible {
		repin.Disable()
	}
	s.showServerProblem("服务器证书已改变",
		"服务器 "+addr+" 出示的证书与本机信任的证书不同。可能是服务器重新安装或更换了证书，也可能有人冒充服务器。"+
			"核实之前请不要登录。\n请管理员到服务器上查看证书指纹（服务器启动时显示，或运行 occhealth serve --fingerprint），"+
			"逐组核对与下面“服务器现在的指纹”完全一致后，点“重新信任”，输入服务器上显示的最后几组，再以管理员身份登录。", repin, grid)
}

// repinGroups is how many trailing groups of four of the new fingerprint the administrator
// types from the server's console before the window sends a password to that server: 64
// bits, so that an impostor cannot make a certificate that passes.
const repinGroups = 4

// fingerprintTail returns the last n groups of four of a fingerprint, without spaces.
func fingerprintTail(fp string, n int) string {
	hex := strings.ToUpper(strings.NewReplacer(" ", "", ":", "").Replace(fp))
	if len(hex) < 4*n {
		return hex
	}
	return hex[len(hex)-4*n:]
}

// askRepin asks the administrator to type the last groups of the fingerprint shown on the
// server: proof that they compared it there, before any password goes to the server.
func (s *starter) askRepin(addr string, info app.ServerInfo) {
	entry := widget.NewEntry()
	entry.SetPlaceHolder("如 " + strings.Join(strings.Fields(info.Fingerprint)[max(0, len(strings.Fields(info.Fingerprint))-repinGroups):], " "))
	msg := newMsg()
	note := widget.NewLabel(fmt.Sprintf("请在服务器上查看它的证书指纹，输入最后 %d 组（%d 个字符，可不加空格）。", repinGroups, 4*repinGroups))
	note.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	ok := widget.NewButton("核对并继续", func() {
		typed := strings.ToUpper(strings.NewReplacer(" ", "", ":", "").Replace(app.HalfWidth(entry.Text)))
		if typed != fingerprintTail(info.Fingerprint, repinGroups) {
			setMsg(msg, "与服务器 "+addr+" 现在出示的证书不一致。不要连接：可能有人冒充服务器，请告诉管理员。")
			return
		}
		d.Hide()
		s.startRepin(addr, info)
	})
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", func() { d.Hide() })
	entry.OnSubmitted = func(string) { ok.OnTapped() }
	d = dialog.NewCustomWithoutButtons("重新信任服务器证书", withWidth(520, container.NewVBox(note, entry, msg, container.NewHBox(ok, cancel))), s.win)
	s.repinEntry, s.repinOK = entry, ok
	d.Show()
	s.win.Canvas().Focus(entry)
}

// startRepin connects to the server trusting its new certificate for one administrator
// login; the pin is saved only after that login succeeds (loggedIn).
func (s *starter) startRepin(addr string, info app.ServerInfo) {
	s.showBusy("正在连接服务器 " + addr + " …")
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		r := s.dial(addr, info.Fingerprint)
		fyne.Do(func() {
			if r.err != nil {
				s.connectFailed(addr, s.loadPC().ServerFingerprint, r)
				return
			}
			s.repin = &info
			s.useServer(r.svc, addr, r.status)
		})
	}()
}

// finishRepin runs after a login during a re-pin: an administrator's login saves the new
// pin; anyone else's is refused and the connection dropped. It reports whether the login
// may go on.
func (s *starter) finishRepin(u *app.User) bool {
	info := s.repin
	if info == nil {
		return true
	}
	if !u.HasRole(app.RoleAdmin) {
		s.repin = nil
		s.closeConnection()
		s.opts.Services = app.Services{}
		s.showServerProblem("服务器证书已改变", "只有管理员可以重新信任服务器的证书。"+u.Name+"（"+u.Username+"）不是管理员；"+
			"本机仍信任原来的证书，没有保存任何更改。请管理员登录确认。", nil)
		return false
	}
	err := s.savePC(func(c *app.PCSettings) {
		c.Mode, c.Server, c.ServerFingerprint = app.ModeServer, info.Address, info.Fingerprint
	})
	s.repin = nil
	if err != nil {
		showError(s.win, err)
		return false
	}
	return true
}

// showServerSettings shows the connection panel on its own (修改服务器设置), with a way back
// to 单机.
func (s *starter) showServerSettings(note string) {
	s.win.SetMainMenu(nil)
	s.leaveShell()
	s.login, s.setup = nil, nil
	cfg := s.loadPC()
	addr := cfg.Server
	if addr == "" {
		addr = s.server
	}
	p := newConnectPanel(s.win, s.opts.Connector, addr)
	p.OnConfirm = func(info app.ServerInfo) { s.pinAndConnect(info, p) }
	s.panel = p
	s.win.SetTitle(AppTitle + " — 联网设置")
	h := widget.NewLabelWithStyle("联网设置", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.SizeName = theme.SizeNameHeadingText
	items := []fyne.CanvasObject{h}
	if note != "" {
		n := widget.NewLabel(note)
		n.Wrapping = fyne.TextWrapWord
		items = append(items, n)
	}
	items = append(items, p.content())
	if s.opts.OpenLocal != nil {
		items = append(items, widget.NewSeparator(), widget.NewButton("改用单机（本机保存档案）", s.switchToLocal))
	}
	s.win.SetContent(container.NewCenter(withWidth(640, container.NewVBox(items...))))
	s.win.Canvas().Focus(p.address)
}

// pinAndConnect pins the server tested and connects to it: this PC's settings say 联网 from
// then on, and the window shows the server's login.
func (s *starter) pinAndConnect(info app.ServerInfo, p *connectPanel) {
	addr := info.Address
	setNote(p.status, "正在连接服务器 "+addr+" …")
	p.confirm.Disable()
	p.test.Disable()
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		r := s.dial(addr, info.Fingerprint)
		fyne.Do(func() {
			p.test.Enable()
			if r.err != nil {
				p.confirm.Enable()
				msg := app.ErrorMessage(r.err)
				if app.ErrorCode(r.err) == app.EVERSION {
					msg += upgradeHint(msg)
				}
				setMsg(p.status, msg)
				return
			}
			if err := s.savePC(func(c *app.PCSettings) {
				c.Mode, c.Server, c.ServerFingerprint = app.ModeServer, addr, info.Fingerprint
			}); err != nil {
				if r.svc.Connection != nil {
					r.svc.Connection.Close()
				}
				p.confirm.Enable()
				setMsg(p.status, "无法保存本机设置："+app.ErrorMessage(err))
				return
			}
			s.useServer(r.svc, addr, r.status)
		})
	}()
}

// switchToLocal opens this PC's archive and makes 单机 this PC's mode.
func (s *starter) switchToLocal() {
	if s.opts.OpenLocal == nil {
		return
	}
	svc, path, err := s.opts.OpenLocal()
	if err != nil {
		showError(s.win, err)
		return
	}
	if err := s.savePC(func(c *app.PCSettings) { c.Mode = app.ModeLocal }); err != nil {
		showError(s.win, err)
		return
	}
	s.closeConnection()
	s.opts.Services, s.opts.ArchivePath, s.server = svc, path, ""
	s.showEntry()
}

// reconnect ends the session and starts again as this PC's settings now say (工作模式).
func (s *starter) reconnect() {
	cfg := s.loadPC()
	if cfg.Mode == app.ModeServer {
		s.closeConnection()
		s.opts.Services = app.Services{}
		s.connectSaved()
		return
	}
	if s.server == "" {
		s.showEntry() // already 单机
		return
	}
	s.switchToLocal()
}
