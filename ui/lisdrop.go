package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// The window watches this PC's LIS drop folder (app.PCSettings) while a user allowed
// to import results is logged in: every lisDropInterval it imports the complete files as that
// user through Services.Drops (reports/lisdrop, which the command line's results watch uses too), and says
// what it did in the top bar, on the 结果导入 screen and in a notification. One watch per
// archive in the process: starting one stops the one before, and polls never overlap.

// lisDropInterval is how often the window looks at the folder (tests poll by hand); zero
// means the interval Services.Drops gives.
var lisDropInterval time.Duration

func dropInterval(env *Env) time.Duration {
	if lisDropInterval > 0 || env.Services.Drops == nil {
		return max(lisDropInterval, time.Second)
	}
	return env.Services.Drops.Interval()
}

// lisDrop is the watch of one archive's drop folder in this process.
type lisDrop struct {
	poll sync.Mutex // held while a poll runs: two never overlap
	// Set and read on the UI thread.
	run         *lisDropRun // nil while not watching
	status      string      // the 结果导入 screen's status line
	short       string      // the top bar's (empty: hidden)
	imp         widget.Importance
	last        string // the last poll that handled files, with its time
	lastShort   string // the same, shorter, for the top bar
	top, screen *widget.Label
}

// lisDropRun is one watch: started at login (or when the settings are saved), stopped at
// logout.
type lisDropRun struct {
	env    *Env
	folder string
	w      app.DropWatcher
	source string
	ctx    context.Context
	cancel context.CancelFunc
}

var lisDrops = struct {
	sync.Mutex
	m map[string]*lisDrop
}{m: map[string]*lisDrop{}}

// lisDropFor returns the watch state of an archive, created empty.
func lisDropFor(archive string) *lisDrop {
	lisDrops.Lock()
	defer lisDrops.Unlock()
	d := lisDrops.m[archive]
	if d == nil {
		d = &lisDrop{}
		lisDrops.m[archive] = d
	}
	return d
}

// canWatchLIS reports whether u may import results unattended (preview and commit).
func canWatchLIS(u *app.User) bool {
	_, preview := app.ScopeOf(u, "RecordService.PreviewResultImport")
	_, commit := app.ScopeOf(u, "RecordService.CommitResultImport")
	return u != nil && !u.Disabled && preview && commit
}

// startLISDrop (re)starts the watch of env's archive as env's user, as this PC's settings
// say; it only stops the watch when the settings are off or the user may not import.
func startLISDrop(env *Env) {
	d := lisDropFor(env.ArchivePath)
	d.stop()
	if env.Services.PC == nil || env.Services.Drops == nil {
		d.show("", "", widget.MediumImportance)
		return
	}
	cfg, err := env.Services.PC.LoadPCSettings()
	switch {
	case env.Services.Records == nil || !canWatchLIS(env.User):
		d.show("", "", widget.MediumImportance)
		return
	case err != nil:
		d.show("无法读取本机设置："+err.Error(), "", widget.DangerImportance)
		return
	case !cfg.LISWatch || cfg.LISFolder == "":
		d.show(notWatching, "", widget.MediumImportance)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &lisDropRun{env: env, folder: cfg.LISFolder, ctx: ctx, cancel: cancel}
	// The user's session, with the workstation marked so that the audit log tells the
	// folder's imports from those made by hand.
	uctx := app.NewContextWithWorkstation(env.Ctx, app.WorkstationFromContext(env.Ctx)+"（结果文件夹）")
	r.source = cfg.LISSource
	r.w = env.Services.Drops.NewWatcher(cfg.LISFolder, cfg.LISSource, func(context.Context) (app.Services, context.Context, func(), error) {
		return env.Services, uctx, nil, nil
	}, env.Now)
	d.run, d.last, d.lastShort = r, "", ""
	d.show(d.watching(), "结果文件夹：监视中", widget.MediumImportance)
	every := dropInterval(env)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				d.pollOnce(r)
			}
		}
	}()
}

// stopLISDrop stops the watch of an archive (logout); a poll under way finishes its file.
func stopLISDrop(archive string) {
	lisDrops.Lock()
	d := lisDrops.m[archive]
	lisDrops.Unlock()
	if d != nil {
		d.stop()
		d.show("", "", widget.MediumImportance)
	}
}

func (d *lisDrop) stop() {
	if d.run != nil {
		d.run.cancel()
		d.run = nil
	}
}

func (d *lisDrop) watching() string {
	r := d.run
	return fmt.Sprintf("正在监视“%s”（来源“%s”），每%s检查一次，导入人：%s。", r.folder, r.source, intervalText(dropInterval(r.env)), r.env.User.Name)
}

func intervalText(t time.Duration) string {
	if t >= time.Minute && t%time.Minute == 0 {
		return fmt.Sprintf(" %d 分钟", int(t/time.Minute))
	}
	return fmt.Sprintf(" %d 秒", max(1, int(t/time.Second)))
}

// pollOnce looks at r's folder once, off the UI thread, and shows what it did.
func (d *lisDrop) pollOnce(r *lisDropRun) {
	d.poll.Lock()
	if r.ctx.Err() != nil {
		d.poll.Unlock()
		return
	}
	p, err := r.w.Poll(r.ctx)
	d.poll.Unlock()
	fyne.Do(func() {
		if d.run != r {
			return // stopped meanwhile
		}
		d.report(r, p, err)
	})
}

// report shows a poll's outcome.
func (d *lisDrop) report(r *lisDropRun, p app.FolderPoll, err error) {
	if s := p.Summary(); s != "" {
		at := r.env.Now().Format("15:04")
		d.last = at + " " + s
		d.lastShort = fmt.Sprintf("%s 导入 %d 个文件", at, len(p.Imported))
		if len(p.Failed) > 0 {
			d.lastShort += fmt.Sprintf("，%d 个失败", len(p.Failed))
		}
		if fyne.CurrentApp() != nil {
			fyne.CurrentApp().SendNotification(fyne.NewNotification("结果文件夹", s))
		}
	}
	imp := widget.MediumImportance
	if len(p.Failed) > 0 {
		imp = widget.WarningImportance
	}
	status, short := d.watching(), "结果文件夹：监视中"
	if d.last != "" {
		status += "最近：" + d.last + "。"
		short = "结果文件夹：" + d.lastShort
	}
	switch {
	case err != nil:
		status = "结果文件夹暂停导入（文件留在原处，改正后自动继续）：" + app.ErrorMessage(err)
		short, imp = "结果文件夹：暂停导入（见“结果导入”）", widget.DangerImportance
	case p.Unreadable != nil:
		status = app.ErrorMessage(p.Unreadable) + "（稍后再试）"
		short, imp = "结果文件夹：无法读取", widget.DangerImportance
	}
	d.show(status, short, imp)
}

// show sets the status line and the top bar's text.
func (d *lisDrop) show(status, short string, imp widget.Importance) {
	d.status, d.short, d.imp = status, short, imp
	if d.screen != nil {
		setMsgAs(d.screen, status, imp)
	}
	if d.top != nil {
		setMsgAs(d.top, short, imp)
	}
}

// lisDropBadge is the top bar's line about the watch (hidden while there is none).
func lisDropBadge(env *Env) *widget.Label {
	d := lisDropFor(env.ArchivePath)
	l := widget.NewLabel("")
	d.top = l
	setMsgAs(l, d.short, d.imp)
	return l
}

const notWatching = "本机没有监视结果文件夹（LIS 或仪器自动放文件时，可在“监视设置…”中设置）。"

// lisDropPanel is the 结果导入 screen's 本机监视文件夹 settings and the watch's status.
type lisDropPanel struct {
	env    *Env
	d      *lisDrop
	folder *widget.Entry
	source *widget.Select
	on     *widget.Check
	save   *widget.Button
	browse *widget.Button
	toggle *widget.Button // shows and hides the settings row
	row    *fyne.Container
	status *widget.Label
	msg    *widget.Label
}

func newLISDropPanel(env *Env) *lisDropPanel {
	p := &lisDropPanel{env: env, d: lisDropFor(env.ArchivePath)}
	p.folder = widget.NewEntry()
	p.folder.SetPlaceHolder(`LIS 放结果文件的文件夹，如 D:\LIS结果`)
	enterMovesOn(p.folder)
	p.source = widget.NewSelect(nil, nil)
	p.source.PlaceHolder = "（已保存的来源）"
	p.on = widget.NewCheck("启用", nil)
	p.browse = widget.NewButton("选择…", p.chooseFolder)
	p.save = widget.NewButton("保存监视设置", p.saveSettings)
	p.status = newMsg()
	p.msg = newMsg()
	p.toggle = widget.NewButton("监视设置…", func() { p.showSettings(!p.row.Visible()) })
	right := container.NewHBox(p.browse, widget.NewLabel("来源："), p.source, p.on, p.save)
	p.row = container.NewBorder(nil, nil, widget.NewLabel("本机监视文件夹："), right, p.folder)
	p.row.Hide()
	p.d.screen = p.status
	if p.d.run == nil && p.d.status == "" {
		p.d.status = notWatching
	}
	setMsgAs(p.status, p.d.status, p.d.imp)
	if p.env.Services.PC == nil {
		p.toggle.Disable()
	} else if cfg, err := p.env.Services.PC.LoadPCSettings(); err == nil {
		p.folder.SetText(cfg.LISFolder)
		p.source.Selected = cfg.LISSource
		p.on.SetChecked(cfg.LISWatch)
	}
	return p
}

// content is the status line with the 监视设置… button; the settings row opens under it.
func (p *lisDropPanel) content() fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, p.toggle, p.status), p.row, p.msg)
}

// showSettings opens (with the keyboard in the folder box) or closes the settings row.
func (p *lisDropPanel) showSettings(open bool) {
	if open {
		p.row.Show()
		p.toggle.SetText("收起设置")
		if c := fyne.CurrentApp().Driver().CanvasForObject(p.folder); c != nil {
			c.Focus(p.folder)
		}
		return
	}
	p.row.Hide()
	p.toggle.SetText("监视设置…")
	setMsg(p.msg, "")
}

// setSources offers the saved sources (the file's mapping is the source's).
func (p *lisDropPanel) setSources(names []string) {
	sel := p.source.Selected
	p.source.SetOptions(names)
	p.source.Selected = sel
	p.source.Refresh()
}

func (p *lisDropPanel) chooseFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			showError(p.env.Window, err)
			return
		}
		if u != nil {
			p.folder.SetText(u.Path())
		}
	}, p.env.Window)
	showFileDialog(d, p.env.Window)
}

// saveSettings checks and saves this PC's watch settings and restarts the watch with them.
func (p *lisDropPanel) saveSettings() {
	folder, source := strings.TrimSpace(p.folder.Text), p.source.Selected
	if p.on.Checked {
		if p.env.Services.Drops == nil {
			setMsg(p.msg, "本机监视文件夹：本程序未配置文件夹监视")
			return
		}
		if err := p.env.Services.Drops.CheckFolder(folder); err != nil {
			setMsg(p.msg, "本机监视文件夹："+app.ErrorMessage(err))
			return
		}
		if source == "" || !slices.Contains(p.source.Options, source) {
			setMsg(p.msg, "本机监视文件夹：请选择来源。来源须已保存列对应：先在上面用该来源的一个文件预览并导入。")
			return
		}
	}
	cfg, err := p.env.Services.PC.LoadPCSettings()
	if err != nil {
		setMsg(p.msg, "无法读取本机设置："+err.Error())
		return
	}
	cfg.LISFolder, cfg.LISSource, cfg.LISWatch = folder, source, p.on.Checked
	if err := p.env.Services.PC.SavePCSettings(cfg); err != nil {
		setMsg(p.msg, "无法保存本机设置："+err.Error())
		return
	}
	// The status line says what is watched now; the message is for refusals only.
	startLISDrop(p.env)
	p.showSettings(false)
}
