package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_audit", Group: "系统管理", Title: "审计日志", Order: 30,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "AuditService.FindAudit",
		New:    func(env *Env) fyne.CanvasObject { return newAuditScreen(env).content() },
	})
}

// auditPageSize is how many entries one page of the log shows.
const auditPageSize = 50

var auditColumns = []adminColumn{{"时间", 160}, {"用户", 90}, {"工作站", 100}, {"操作", 170}, {"对象", 120}, {"编号", 60}, {"变更", 320}, {"备注", 200}}

// auditScreen verifies the audit chain and pages through the log, newest first.
type auditScreen struct {
	env *Env

	verifyBtn *widget.Button
	busy      *widget.Activity
	result    *widget.Label

	user, entity, entityID *widget.Entry
	findBtn                *widget.Button
	prevBtn, nextBtn       *widget.Button
	pageInfo               *widget.Label
	table                  *widget.Table
	detail                 *widget.Label

	filter  app.AuditFilter
	entries []app.AuditEntry
	total   int

	// background runs long work off the UI thread (runInBackground; tests run it inline).
	background func(work func())
}

func newAuditScreen(env *Env) *auditScreen {
	v := &auditScreen{env: env, background: runInBackground}
	v.verifyBtn = widget.NewButton("校验审计链", v.verify)
	v.verifyBtn.Importance = widget.HighImportance
	v.busy = widget.NewActivity()
	v.busy.Hide()
	v.result = widget.NewLabel("校验会重新计算整条审计链，核对每条现存记录与其最新审计记录，并核对备份报告等档案外的锚点。")
	v.result.Wrapping = fyne.TextWrapBreak

	v.user = widget.NewEntry()
	v.user.SetPlaceHolder("用户名")
	v.entity = widget.NewEntry()
	v.entity.SetPlaceHolder("对象，如 worker、user、catalog:hazards")
	v.entityID = widget.NewEntry()
	v.entityID.SetPlaceHolder("编号")
	for _, e := range []*widget.Entry{v.user, v.entity, v.entityID} {
		e.OnSubmitted = func(string) { v.find() }
	}
	v.findBtn = widget.NewButton("查询", v.find)
	v.prevBtn = widget.NewButton("上一页", func() { v.page(-1) })
	v.nextBtn = widget.NewButton("下一页", func() { v.page(1) })
	v.pageInfo = widget.NewLabel("")
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapBreak

	v.table = newAdminTable(auditColumns, func() int { return len(v.entries) }, v.updateCell)
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.entries) {
			v.detail.SetText(auditDetail(v.entries[id.Row]))
		}
	}
	v.find()
	env.Focus = v.user
	return v
}

func (v *auditScreen) content() fyne.CanvasObject {
	top := container.NewVBox(
		heading("审计日志"),
		adminRow(v.verifyBtn, v.busy),
		v.result,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, v.findBtn,
			container.NewGridWithColumns(3, v.user, v.entity, v.entityID)),
		adminRow(v.prevBtn, v.nextBtn, v.pageInfo),
	)
	bottom := container.NewVBox(widget.NewSeparator(), v.detail)
	return container.NewBorder(top, bottom, nil, nil, v.table)
}

// verify runs VerifyAudit off the UI thread: the chain of a busy archive is long.
func (v *auditScreen) verify() {
	v.verifyBtn.Disable()
	v.busy.Show()
	v.busy.Start()
	v.result.Importance = widget.MediumImportance
	v.result.SetText("正在校验…")
	v.background(func() {
		r, err := v.env.Services.Audit.VerifyAudit(v.env.Ctx)
		fyne.Do(func() {
			v.busy.Stop()
			v.busy.Hide()
			v.verifyBtn.Enable()
			if err != nil {
				v.result.Importance = widget.DangerImportance
				v.result.SetText("无法校验：" + app.ErrorMessage(err))
			} else {
				v.showReport(r)
			}
		})
	})
}

func (v *auditScreen) showReport(r app.AuditReport) {
	counts := fmt.Sprintf("审计记录 %d 条，链段 %d 个，核对现存记录 %d 条；档案外锚点核对 %d 个，不符 %d 个；链头 %s。",
		r.Entries, r.Segments, r.RecordsChecked, r.AnchorsChecked, r.AnchorsFailed, app.ShortHash(r.Head))
	if r.OK {
		v.result.Importance = widget.SuccessImportance
		text := "校验通过。" + counts
		if len(r.Notes) > 0 {
			// Entries of a lost key could not be checked: say so plainly, not as a pass.
			v.result.Importance = widget.WarningImportance
			text = "校验通过（有无法核对的部分）。" + counts + "\n" + strings.Join(r.Notes, "\n")
		}
		v.result.SetText(text)
		return
	}
	v.result.Importance = widget.DangerImportance
	where := ""
	if r.FirstBad != 0 {
		where = fmt.Sprintf("第一处问题在第 %d 条审计记录：", r.FirstBad)
	}
	v.result.SetText("校验未通过！" + where + r.Problem + "\n" + counts + "\n请勿继续修改档案，保留现场并联系管理员核查；可从校验通过的备份恢复。")
}

// find reads the first page for the filter typed.
func (v *auditScreen) find() {
	f := app.AuditFilter{User: strings.TrimSpace(v.user.Text), Entity: strings.TrimSpace(v.entity.Text), Limit: auditPageSize}
	if s := strings.TrimSpace(v.entityID.Text); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			showError(v.env.Window, app.FieldError("编号", "应为正整数"))
			return
		}
		f.EntityID = id
	}
	v.filter = f
	v.load()
}

// page moves delta pages.
func (v *auditScreen) page(delta int) {
	off := v.filter.Offset + delta*auditPageSize
	if off < 0 || (delta > 0 && off >= v.total) {
		return
	}
	v.filter.Offset = off
	v.load()
}

func (v *auditScreen) load() {
	entries, total, err := v.env.Services.Audit.FindAudit(v.env.Ctx, v.filter)
	if err != nil {
		v.entries, v.total = nil, 0
		v.pageInfo.SetText(app.ErrorMessage(err))
	} else {
		v.entries, v.total = entries, total
		pages := (total + auditPageSize - 1) / auditPageSize
		v.pageInfo.SetText(fmt.Sprintf("第 %d / %d 页，共 %d 条", v.filter.Offset/auditPageSize+1, max(pages, 1), total))
	}
	if v.filter.Offset > 0 {
		v.prevBtn.Enable()
	} else {
		v.prevBtn.Disable()
	}
	if v.filter.Offset+auditPageSize < v.total {
		v.nextBtn.Enable()
	} else {
		v.nextBtn.Disable()
	}
	v.detail.SetText("")
	v.table.UnselectAll()
	v.table.ScrollToTop()
	v.table.Refresh()
}

func (v *auditScreen) updateCell(id widget.TableCellID, l *widget.Label) {
	if id.Row < 0 || id.Row >= len(v.entries) {
		l.SetText("")
		return
	}
	e := v.entries[id.Row]
	var s string
	switch id.Col {
	case 0:
		s = e.Time.Local().Format("2006-01-02 15:04:05")
	case 1:
		s = e.User
		if s == "" {
			s = "（系统）"
		}
	case 2:
		s = e.Workstation
	case 3:
		s = adminActionTitle(e.Action)
	case 4:
		s = e.Entity
	case 5:
		if e.EntityID != 0 {
			s = strconv.FormatInt(e.EntityID, 10)
		}
	case 6:
		s = e.Diff
	case 7:
		s = e.Note
	}
	l.SetText(s)
}

// auditDetail spells one entry out in full, for the panel under the table.
func auditDetail(e app.AuditEntry) string {
	user := e.User
	if user == "" {
		user = "（系统）"
	}
	lines := []string{
		fmt.Sprintf("第 %d 条　%s　%s　工作站 %s", e.Seq, e.Time.Local().Format("2006-01-02 15:04:05"), user, orDash(e.Workstation)),
		fmt.Sprintf("操作：%s（%s）　对象：%s %s", adminActionTitle(e.Action), e.Action, e.Entity, idOrEmpty(e.EntityID)),
	}
	if e.Diff != "" {
		lines = append(lines, "变更："+e.Diff)
	}
	if e.Note != "" {
		lines = append(lines, "备注："+e.Note)
	}
	if e.RecordHash != "" {
		lines = append(lines, "记录摘要："+e.RecordHash)
	}
	lines = append(lines, "密钥 "+e.KeyID+"　链 MAC "+app.ShortHash(e.MAC))
	return strings.Join(lines, "\n")
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
