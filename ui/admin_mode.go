package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_mode", Group: "系统管理", Title: "工作模式", Order: 95,
		Roles: []app.Role{app.RoleAdmin},
		New:   func(env *Env) fyne.CanvasObject { return newModeScreen(env).content() },
	})
}

// modeScreen is this PC's 工作模式: 单机 (the archive on this PC) or 联网 (a server on the
// LAN), with the same connection test as the first start. A change is saved in this PC's
// settings and takes effect by logging out and starting again (Env.Reconnect). Testing the
// server in use again and confirming is how an administrator re-pins a changed certificate.
type modeScreen struct {
	env     *Env
	current *widget.Label
	mode    *widget.RadioGroup
	panel   *connectPanel
	local   *fyne.Container
	net     *fyne.Container
	toLocal *widget.Button
	msg     *widget.Label
	// confirm is the last confirmation asked (tests).
	confirm *dialog.ConfirmDialog
}

func newModeScreen(env *Env) *modeScreen {
	v := &modeScreen{env: env, msg: newMsg()}
	cfg := v.load()
	v.current = widget.NewLabel("")
	v.current.Wrapping = fyne.TextWrapWord
	switch {
	case env.Server != "":
		v.current.SetText("联网：服务器 " + env.Server + "\n信任的证书指纹：" + cfg.ServerFingerprint)
	case env.ArchivePath != "":
		v.current.SetText("单机：档案文件 " + env.ArchivePath)
	default:
		v.current.SetText("单机")
	}
	addr := cfg.Server
	if env.Server != "" {
		addr = env.Server
	}
	v.panel = newConnectPanel(env.Window, env.Connector, addr)
	v.panel.OnConfirm = v.useServer
	v.toLocal = widget.NewButton("改用单机并重新登录", v.useLocal)
	v.toLocal.Importance = widget.HighImportance
	localNote := widget.NewLabel("单机：档案保存在本机（" + archiveNote(env) + "），只有这台电脑使用。")
	localNote.Wrapping = fyne.TextWrapWord
	v.local = container.NewVBox(localNote, container.NewHBox(v.toLocal))
	netNote := widget.NewLabel("联网：本机不保存档案，数据在局域网里的服务器上，多台电脑同时工作。输入服务器地址，测试连接，" +
		"核对证书指纹后点“确认并连接”；本机随即退出登录并连接该服务器。")
	netNote.Wrapping = fyne.TextWrapWord
	v.net = container.NewVBox(netNote, v.panel.content())
	v.mode = widget.NewRadioGroup([]string{modeLocalName, modeServerName}, func(string) { v.showMode() })
	v.mode.Horizontal = true
	v.mode.Required = true
	if env.Server != "" {
		v.mode.SetSelected(modeServerName)
	} else {
		v.mode.SetSelected(modeLocalName)
	}
	return v
}

func archiveNote(env *Env) string {
	if env.Server == "" && env.ArchivePath != "" {
		return env.ArchivePath
	}
	return "本机的默认档案"
}

func (v *modeScreen) content() fyne.CanvasObject {
	note := widget.NewLabel("工作模式是这台电脑的设置，保存在本机，不在档案里；切换后需要重新登录。")
	note.Wrapping = fyne.TextWrapWord
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		heading("工作模式"),
		formGrid(formRow{"当前", v.current, nil}),
		note,
		v.mode,
		v.local, v.net, v.msg,
	)))
}

func (v *modeScreen) load() app.PCSettings {
	if v.env.Services.PC == nil {
		return app.PCSettings{}
	}
	cfg, err := v.env.Services.PC.LoadPCSettings()
	if err != nil {
		setMsg(v.msg, "无法读取本机设置："+app.ErrorMessage(err))
	}
	return cfg
}

func (v *modeScreen) showMode() {
	if v.mode.Selected == modeServerName {
		v.local.Hide()
		v.net.Show()
		return
	}
	v.net.Hide()
	v.local.Show()
	// Already 单机 on this PC's archive: nothing to switch.
	if v.env.Server == "" {
		v.toLocal.Disable()
	} else {
		v.toLocal.Enable()
	}
}

// save writes this PC's settings and, after the user confirms, logs out and starts again.
func (v *modeScreen) save(question string, edit func(*app.PCSettings)) {
	pc := v.env.Services.PC
	if pc == nil {
		setMsg(v.msg, "本机设置不可用")
		return
	}
	v.confirm = dialog.NewConfirm("切换工作模式", question, func(ok bool) {
		if !ok {
			return
		}
		cfg, err := pc.LoadPCSettings()
		if err == nil {
			edit(&cfg)
			err = pc.SavePCSettings(cfg)
		}
		if err != nil {
			setMsg(v.msg, "无法保存本机设置："+app.ErrorMessage(err))
			return
		}
		if v.env.Reconnect != nil {
			v.env.Reconnect()
		}
	}, v.env.Window)
	v.confirm.SetConfirmText("退出登录并切换")
	v.confirm.SetDismissText("取消")
	v.confirm.Show()
}

// useServer pins the server tested.
func (v *modeScreen) useServer(info app.ServerInfo) {
	v.save("本机将改为联网，连接服务器 "+info.Address+"（证书指纹 "+info.Fingerprint+"）。\n现在退出登录并连接吗？未保存的输入会丢失。",
		func(c *app.PCSettings) {
			c.Mode, c.Server, c.ServerFingerprint = app.ModeServer, info.Address, info.Fingerprint
		})
}

// useLocal switches this PC back to its own archive; the server and its pin stay in the
// settings for a later switch back.
func (v *modeScreen) useLocal() {
	v.save("本机将改为单机，使用本机的档案（服务器上的数据不会出现在本机档案中）。\n现在退出登录并切换吗？未保存的输入会丢失。",
		func(c *app.PCSettings) { c.Mode = app.ModeLocal })
}
