package ui

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_backup", Group: "系统管理", Title: "数据备份", Order: 40,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "BackupService.ListBackups",
		New:    func(env *Env) fyne.CanvasObject { return newBackupScreen(env).content() },
	})
}

var backupKindNames = map[string]string{
	app.BackupDaily: "每日自动", app.BackupManual: "手动", app.BackupPreMigration: "升级前",
	app.BackupPreRestore: "恢复前", app.BackupPreBulk: "批量操作前",
}

func backupKindName(k string) string {
	if n, ok := backupKindNames[k]; ok {
		return n
	}
	return k
}

var backupColumns = []adminColumn{{"时间", 160}, {"类型", 90}, {"大小", 90}, {"校验", 70}, {"审计链头", 120}, {"文件", 420}}

// backupScreen holds the backup settings, makes a backup now, lists backups and restores one.
type backupScreen struct {
	env      *Env
	settings app.BackupSettings

	dir                            *widget.Label
	secondDir                      *widget.Entry
	pickDir                        *widget.Button
	keepDaily, keepWeek, keepMonth *widget.Entry
	daily                          *widget.Check
	saveBtn                        *widget.Button
	settingsMsg                    *widget.Label

	backupBtn *widget.Button
	progress  *widget.ProgressBarInfinite
	result    *widget.Label

	backups    []app.BackupInfo
	table      *widget.Table
	listMsg    *widget.Label
	selected   int
	restoreBtn *widget.Button

	// the restore dialog, kept for tests
	restoreDlg     *adminDialog
	restoreConfirm *widget.Entry
	restoreDone    *widget.Label

	// background runs long work off the UI thread (runInBackground; tests run it inline).
	background func(work func())
}

func newBackupScreen(env *Env) *backupScreen {
	v := &backupScreen{env: env, selected: -1, background: runInBackground}
	v.dir = widget.NewLabel("")
	v.dir.Wrapping = fyne.TextWrapBreak
	v.secondDir = widget.NewEntry()
	v.secondDir.SetPlaceHolder("可空：U 盘或共享文件夹，如 E:\\职业健康备份")
	v.pickDir = widget.NewButton("选择文件夹…", v.chooseFolder)
	v.keepDaily, v.keepWeek, v.keepMonth = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	v.daily = widget.NewCheck("登录后自动做每日备份（在后台进行，不影响使用）", nil)
	v.saveBtn = widget.NewButton("保存设置", v.saveSettings)
	v.settingsMsg = widget.NewLabel("")
	v.settingsMsg.Wrapping = fyne.TextWrapBreak

	v.backupBtn = widget.NewButton("立即备份", v.backupNow)
	v.backupBtn.Importance = widget.HighImportance
	v.progress = widget.NewProgressBarInfinite()
	v.progress.Hide()
	v.progress.Stop()
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapBreak

	v.listMsg = widget.NewLabel("")
	v.table = newAdminTable(backupColumns, func() int { return len(v.backups) }, v.updateCell)
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.backups) {
			v.selected = id.Row
			v.restoreBtn.Enable()
		}
	}
	v.table.OnUnselected = func(widget.TableCellID) {
		v.selected = -1
		v.restoreBtn.Disable()
	}
	v.restoreBtn = widget.NewButton("从备份恢复…", v.showRestore)
	v.restoreBtn.Importance = widget.DangerImportance
	v.restoreBtn.Disable()

	v.loadSettings()
	v.reload()
	env.setActions(v.saveSettings, nil)
	return v
}

func (v *backupScreen) content() fyne.CanvasObject {
	settings := container.NewVBox(
		heading("数据备份"),
		widget.NewLabel("备份设置"),
		formGrid(
			formRow{label: "备份文件夹", field: v.dir},
			formRow{label: "第二备份位置", field: container.NewBorder(nil, nil, nil, v.pickDir, v.secondDir)},
			formRow{label: "保留每日备份", field: withWidth(120, v.keepDaily)},
			formRow{label: "保留每周备份", field: withWidth(120, v.keepWeek)},
			formRow{label: "保留每月备份", field: withWidth(120, v.keepMonth)},
			formRow{label: "", field: v.daily},
		),
		adminRow(v.saveBtn),
		v.settingsMsg,
		widget.NewSeparator(),
		adminRow(v.backupBtn, v.restoreBtn),
		v.progress,
		v.result,
		v.listMsg,
	)
	return container.NewBorder(settings, nil, nil, nil, v.table)
}

func (v *backupScreen) loadSettings() {
	s, err := v.env.Services.Backup.BackupSettings(v.env.Ctx)
	if err != nil {
		setMsg(v.settingsMsg, app.ErrorMessage(err))
		return
	}
	v.settings = s
	if s.Dir == "" {
		v.dir.SetText("默认：档案文件旁的 backups 文件夹")
	} else {
		v.dir.SetText(s.Dir)
	}
	v.secondDir.SetText(s.SecondDir)
	v.keepDaily.SetText(strconv.Itoa(s.KeepDaily))
	v.keepWeek.SetText(strconv.Itoa(s.KeepWeekly))
	v.keepMonth.SetText(strconv.Itoa(s.KeepMonthly))
	v.daily.SetChecked(s.Daily)
}

func (v *backupScreen) chooseFolder() {
	d := dialog.NewFolderOpen(func(lu fyne.ListableURI, err error) {
		if err != nil {
			showError(v.env.Window, err)
			return
		}
		if lu != nil {
			v.secondDir.SetText(lu.Path())
		}
	}, v.env.Window)
	showFileDialog(d, v.env.Window)
}

// saveSettings checks the counts and stores the settings; the store refuses a second location
// it cannot write to.
func (v *backupScreen) saveSettings() {
	s := v.settings
	s.SecondDir = strings.TrimSpace(v.secondDir.Text)
	s.Daily = v.daily.Checked
	for _, f := range []struct {
		label string
		entry *widget.Entry
		dst   *int
	}{{"保留每日备份", v.keepDaily, &s.KeepDaily}, {"保留每周备份", v.keepWeek, &s.KeepWeekly}, {"保留每月备份", v.keepMonth, &s.KeepMonthly}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.entry.Text))
		if err != nil {
			showError(v.env.Window, app.FieldError(f.label, "应为整数，现为“%s”", f.entry.Text))
			return
		}
		*f.dst = n
	}
	if err := v.env.Services.Backup.SaveBackupSettings(v.env.Ctx, s); err != nil {
		showError(v.env.Window, err)
		return
	}
	v.loadSettings()
	setNote(v.settingsMsg, "备份设置已保存")
}

// backupNow writes a backup off the UI thread; widgets change only inside fyne.Do.
func (v *backupScreen) backupNow() {
	v.backupBtn.Disable()
	v.restoreBtn.Disable()
	v.progress.Show()
	v.progress.Start()
	v.result.Importance = widget.MediumImportance
	v.result.SetText("正在备份，写完后会重新打开备份文件校验…")
	v.background(func() {
		info, err := v.env.Services.Backup.Backup(v.env.Ctx, app.BackupManual)
		fyne.Do(func() {
			v.progress.Stop()
			v.progress.Hide()
			v.backupBtn.Enable()
			if err != nil {
				v.result.Importance = widget.DangerImportance
				v.result.SetText("备份失败：" + app.ErrorMessage(err))
			} else {
				v.result.Importance = widget.SuccessImportance
				v.result.SetText(backupSummary(info))
			}
			v.reload()
		})
	})
}

// backupSummary describes a finished backup.
func backupSummary(b app.BackupInfo) string {
	verified := "已重新打开校验"
	if !b.Verified {
		verified = "未通过校验，请检查磁盘后重新备份"
	}
	s := fmt.Sprintf("备份完成：%s\n大小 %s，%s，审计链头 %s（第 %d 条）", b.Path, humanSize(b.Size), verified, app.ShortHash(b.AuditHead), b.AuditSeq)
	if b.Copied != "" {
		s += "\n已复制到第二位置：" + b.Copied
	}
	return s
}

// humanSize formats a byte count.
func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// reload lists the backups again.
func (v *backupScreen) reload() {
	bs, err := v.env.Services.Backup.ListBackups(v.env.Ctx)
	if err != nil {
		v.backups = nil
		v.listMsg.SetText(app.ErrorMessage(err))
	} else {
		v.backups = bs
		if len(bs) == 0 {
			v.listMsg.SetText("还没有备份")
		} else {
			v.listMsg.SetText(fmt.Sprintf("共 %d 个备份（最新在前）；选中一个可从它恢复", len(bs)))
		}
		if len(bs) > 0 && v.dir.Text != "" && v.settings.Dir == "" {
			v.dir.SetText("默认：" + filepath.Dir(bs[0].Path))
		}
	}
	v.selected = -1
	v.table.UnselectAll()
	v.restoreBtn.Disable()
	v.table.Refresh()
}

func (v *backupScreen) updateCell(id widget.TableCellID, l *widget.Label) {
	if id.Row < 0 || id.Row >= len(v.backups) {
		l.SetText("")
		return
	}
	b := v.backups[id.Row]
	var s string
	switch id.Col {
	case 0:
		s = b.Time.Local().Format("2006-01-02 15:04:05")
	case 1:
		s = backupKindName(b.Kind)
	case 2:
		s = humanSize(b.Size)
	case 3:
		if b.Verified {
			s = "已校验"
		} else {
			s = "未校验"
			l.Importance = widget.WarningImportance
		}
	case 4:
		s = app.ShortHash(b.AuditHead)
	case 5:
		s = filepath.Base(b.Path)
		if b.Copied != "" {
			s += "（另存：" + b.Copied + "）"
		}
	}
	l.SetText(s)
}

// showRestore asks for the institution's name as confirmation and restores the selected
// backup in the background.
func (v *backupScreen) showRestore() {
	if v.selected < 0 || v.selected >= len(v.backups) {
		return
	}
	b := v.backups[v.selected]
	instName := ""
	if v.env.Institution != nil {
		instName = v.env.Institution.Name
	}
	warn := widget.NewLabel(fmt.Sprintf(
		"将用%s的%s备份（%s）替换当前档案。\n\n"+
			"·恢复前会先自动备份当前档案（“恢复前”备份），恢复后仍可从它找回今天的数据；\n"+
			"·该备份之后录入的内容将不在恢复后的档案中；\n"+
			"·恢复完成后所有用户须重新登录。",
		b.Time.Local().Format("2006-01-02 15:04"), backupKindName(b.Kind), filepath.Base(b.Path)))
	warn.Wrapping = fyne.TextWrapBreak
	warn.Importance = widget.WarningImportance
	v.restoreConfirm = widget.NewEntry()
	v.restoreConfirm.SetPlaceHolder(instName)
	progress := widget.NewProgressBarInfinite()
	progress.Stop()
	progress.Hide()
	v.restoreDone = widget.NewLabel("")
	v.restoreDone.Wrapping = fyne.TextWrapBreak
	body := container.NewVBox(warn,
		widget.NewLabel("请输入本机构名称“"+instName+"”以确认："), v.restoreConfirm, progress, v.restoreDone)
	running := false
	v.restoreDlg = newAdminDialog(v.env.Window, "从备份恢复", "恢复", body, func() error {
		if running {
			return errKeepOpen
		}
		typed := strings.TrimSpace(v.restoreConfirm.Text)
		if typed != instName {
			return app.FieldError("确认", "输入的机构名称与“%s”不一致", instName)
		}
		running = true
		v.restoreDlg.confirm.Disable()
		v.restoreDlg.cancel.Disable()
		progress.Show()
		progress.Start()
		v.restoreDone.SetText("正在恢复：先备份当前档案，再替换…")
		v.background(func() {
			err := v.env.Services.Backup.Restore(v.env.Ctx, b.Path, typed)
			var catErr error
			if err == nil {
				catErr = applyArchiveCatalogs(v.env)
			}
			fyne.Do(func() {
				progress.Stop()
				progress.Hide()
				running = false
				v.restoreDlg.cancel.Enable()
				v.restoreDlg.d.Hide()
				v.reload()
				if err != nil {
					v.restoreDone.SetText("恢复失败")
					showError(v.env.Window, err)
				} else {
					v.restoreDone.SetText("恢复完成")
					v.result.Importance = widget.SuccessImportance
					v.result.SetText("已从 " + filepath.Base(b.Path) + " 恢复档案。请重新登录。")
					msg := "档案已从备份 " + filepath.Base(b.Path) + " 恢复。\n" +
						"恢复前的档案已另行备份（列表中的“恢复前”备份）。\n\n" +
						"点击“确定”后返回登录界面，请重新登录以使用恢复后的档案。"
					if catErr != nil {
						msg += "\n\n字典未能按恢复后的档案重新载入：\n" + app.ErrorMessage(catErr) + "\n请重新启动程序。"
					}
					d := dialog.NewCustom("恢复完成", "确定", widget.NewLabel(msg), v.env.Window)
					d.SetOnClosed(func() {
						if v.env.Logout != nil {
							v.env.Logout()
						}
					})
					d.Show()
				}
			})
		})
		return errKeepOpen // the goroutine closes the dialog when the restore ends
	})
	v.restoreDlg.show(560)
	v.env.Window.Canvas().Focus(v.restoreConfirm)
}
