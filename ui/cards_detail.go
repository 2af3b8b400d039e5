package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// issueScreens maps CardIssue.Screen to the screen that fixes the finding and its title.
var issueScreens = map[string]struct{ id, title string }{
	"employer":      {"employers", "用人单位"},
	"worker":        {"workers", "劳动者"},
	"recording":     {"recording", "检查录入"},
	"conclude":      {"conclude", "主检"},
	"institution":   {"admin_institution", "机构设置"},
	"card_settings": {"admin_cards", "上报设置"},
}

// cardDetail is the lower half of the worklist: the selected card's pre-flight findings,
// each with a button to the screen that fixes it, its history, and the status actions.
type cardDetail struct {
	v *cardsScreen

	header   *widget.Label
	findings *fyne.Container
	history  *widget.Label
	msg      *widget.Label

	reportedBtn *widget.Button
	batchBtn    *widget.Button
	returnBtn   *widget.Button

	// issues are the findings shown; fixBtns their buttons (nil where none) — for tests.
	issues  []app.CardIssue
	fixBtns []*widget.Button

	// the last 退回 dialog (tests)
	reason    *widget.Entry
	returnDlg *adminDialog
}

func newCardDetail(v *cardsScreen) *cardDetail {
	d := &cardDetail{v: v}
	d.header = wrapLabel("")
	d.findings = container.NewVBox()
	d.history = wrapLabel("")
	d.msg = newMsg()
	d.reportedBtn = widget.NewButton("标记已上报", d.markReported)
	d.batchBtn = widget.NewButton("整批标记已上报…", d.askBatchReported)
	d.returnBtn = widget.NewButton("退回…", d.askReturn)
	if !v.may("CardService.SetCardStatus") {
		d.reportedBtn.Hide()
		d.batchBtn.Hide()
		d.returnBtn.Hide()
	}
	return d
}

func (d *cardDetail) content() fyne.CanvasObject {
	body := container.NewVBox(d.header, container.NewHBox(d.reportedBtn, d.batchBtn, d.returnBtn), d.msg,
		widget.NewSeparator(), heading("预检结果"), d.findings,
		widget.NewSeparator(), heading("上报记录"), d.history)
	return container.NewVScroll(container.NewPadded(body))
}

// show puts a card (nil: none) into the panel and runs its pre-flight check.
func (d *cardDetail) show(r *app.CardRow) {
	setMsg(d.msg, "")
	d.issues, d.fixBtns = nil, nil
	d.findings.Objects = nil
	defer d.findings.Refresh()
	if r == nil {
		d.header.SetText("请在上面的列表中选择一张个案卡。")
		d.history.SetText("")
		d.reportedBtn.Disable()
		d.batchBtn.Disable()
		d.returnBtn.Disable()
		return
	}
	c := r.Card
	// The card's data (for the reporting clerk) gives the findings and what the next export
	// sends; other roles see the worklist's counts.
	var data *app.CardData
	if !d.v.may("CardService.CardData") {
		d.findings.Add(wrapLabel(findingCounts(r.Errors, r.Warnings) + "。预检明细由统计上报员查看。"))
	} else if ds, err := d.v.env.Services.Cards.CardData(d.v.env.Ctx, time.Time{}, time.Time{}, []int64{c.ExamID}); err != nil {
		d.findings.Add(dangerText("无法读取个案卡数据："+app.ErrorMessage(err), false))
	} else if len(ds) == 0 {
		d.findings.Add(wrapLabel("未找到这张个案卡的数据。"))
	} else {
		data = &ds[0]
		d.showFindings(*data)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "体检号 %s　%s　%s\n", c.ExamNumber, r.WorkerName, r.Employer)
	fmt.Fprintf(&s, "体检日期 %s　发放日期 %s", formatDate(r.ExamDate), formatDate(r.ReleasedAt))
	if !r.Due.IsZero() {
		fmt.Fprintf(&s, "　应报日期 %s", formatDate(r.Due))
		if d.v.overdue(r) {
			s.WriteString("（已逾期）")
		}
	}
	fmt.Fprintf(&s, "\n状态：%s", c.Status.Name())
	exported := c.ExportedHash != "" || c.Batch != ""
	if exported {
		fmt.Fprintf(&s, "　上次导出：%s", operateNames[c.Operate])
	}
	if data != nil {
		next := data.Card.Operate
		fmt.Fprintf(&s, "　下次导出：%s", operateNames[next])
		if exported && next != c.Operate {
			s.WriteString("（导出后内容有变化，需要重新导出）")
		}
	} else if !exported {
		fmt.Fprintf(&s, "　下次导出：%s", operateNames[c.Operate])
	}
	if c.Late {
		s.WriteString("　补报")
	}
	docID := c.DocumentID
	if docID == "" && data != nil {
		docID = data.Card.DocumentID
	}
	if docID != "" {
		s.WriteString("　文档标识 " + docID)
	}
	if c.Batch != "" {
		s.WriteString("\n批次 " + c.Batch + "　导出于 " + formatDateTime(c.ExportedAt))
	}
	if c.Status == app.CardReturned && c.Reason != "" {
		s.WriteString("\n退回原因：" + c.Reason)
	}
	d.header.SetText(s.String())
	d.history.SetText(cardHistory(c.History))
	// 已上报 and 退回 record what the platform said about a card that was sent.
	if c.Status == app.CardExported || c.Status == app.CardReturned {
		d.reportedBtn.Enable()
	} else {
		d.reportedBtn.Disable()
	}
	if c.Status == app.CardExported && c.Batch != "" {
		d.batchBtn.Enable()
	} else {
		d.batchBtn.Disable()
	}
	if c.Status == app.CardExported || c.Status == app.CardReported {
		d.returnBtn.Enable()
	} else {
		d.returnBtn.Disable()
	}
}

// showFindings lists a card's pre-flight findings.
func (d *cardDetail) showFindings(data app.CardData) {
	d.issues = checkCard(d.v.env, data)
	if len(d.issues) == 0 {
		l := widget.NewLabel("预检通过，可以导出。")
		l.Importance = widget.SuccessImportance
		d.findings.Add(l)
		return
	}
	parties := false
	for _, is := range d.issues {
		d.findings.Add(d.findingRow(is))
		parties = parties || is.Screen == "employer" || is.Screen == "worker"
	}
	if parties {
		d.findings.Add(wrapLabel("说明：个案卡中的劳动者和单位登记信息取档案现值。在档案中改正后回到本页即重新预检；" +
			"已导出的卡将以“订正”再次上报。已签名的报告不因此改变。"))
	}
}

// findingRow is one finding: its level, the element, the message and the way to fix it.
func (d *cardDetail) findingRow(is app.CardIssue) fyne.CanvasObject {
	level := "错误"
	if is.Level != app.LevelError {
		level = "提醒"
	}
	lbl := dangerText(level, is.Level != app.LevelError)
	text := is.Message
	if is.Field != "" {
		text = is.Field + "：" + text
	}
	var btn *widget.Button
	var right fyne.CanvasObject
	if sc, ok := issueScreens[is.Screen]; ok {
		is := is
		btn = widget.NewButton("去“"+sc.title+"”修改", func() { d.fix(sc.id, sc.title, is.EntityID) })
		right = btn
	}
	d.fixBtns = append(d.fixBtns, btn)
	return container.NewBorder(nil, nil, withWidth(48, lbl), right, wrapLabel(text))
}

// fix opens the screen that fixes a finding.
func (d *cardDetail) fix(screen, title string, id int64) {
	env := d.v.env
	if env.Open == nil || !env.Open(screen, id) {
		setNote(d.msg, "您没有“"+title+"”的权限，请请有权限的同事在“"+title+"”中修改，然后重新查看本卡。")
	}
}

// cardHistory words a card's status changes, the newest last.
func cardHistory(h []app.CardEvent) string {
	if len(h) == 0 {
		return "尚无上报记录。"
	}
	lines := make([]string, 0, len(h))
	for _, e := range h {
		line := formatDateTime(e.At) + "　" + e.Status.Name()
		if e.Batch != "" {
			line += "　批次 " + e.Batch
		}
		if e.User != "" {
			line += "　" + e.User
		}
		if e.Note != "" {
			line += "　" + e.Note
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// setStatus records what the platform said about the selected card.
func (d *cardDetail) setStatus(st app.CardStatus, reason string) error {
	r := d.v.row
	if r == nil {
		return app.Errorf(app.EINVALID, "请先选择一张个案卡")
	}
	fb := app.CardFeedback{ExamNumber: r.Card.ExamNumber, DocumentID: r.Card.DocumentID, Status: st, Reason: reason, At: d.v.env.Now()}
	if err := d.v.env.Services.Cards.SetCardStatus(d.v.env.Ctx, fb); err != nil {
		return err
	}
	d.v.refreshSelected()
	setNote(d.msg, "已登记为“"+st.Name()+"”。")
	return nil
}

func (d *cardDetail) markReported() {
	if err := d.setStatus(app.CardReported, ""); err != nil {
		showError(d.v.env.Window, err)
	}
}

// askReturn asks for the platform's reason and records the 退回.
func (d *cardDetail) askReturn() {
	if d.v.row == nil {
		return
	}
	d.reason = widget.NewMultiLineEntry()
	d.reason.SetPlaceHolder("平台给出的退回原因")
	d.reason.SetMinRowsVisible(3)
	form := formGrid(formRow{"退回原因", d.reason, nil})
	d.returnDlg = newAdminDialog(d.v.env.Window, "登记退回："+d.v.row.Card.ExamNumber, "登记退回", form, func() error {
		reason := strings.TrimSpace(d.reason.Text)
		if reason == "" {
			return app.Errorf(app.EINVALID, "请填写平台给出的退回原因")
		}
		return d.setStatus(app.CardReturned, reason)
	})
	d.returnDlg.show(520)
	focusIfShown(d.reason)
}

// batchExported lists the cards of a batch that are exported and not yet confirmed.
func (d *cardDetail) batchExported(batch string) ([]app.CardRow, error) {
	rows, _, err := d.v.env.Services.Cards.Cards(d.v.env.Ctx, app.CardFilter{Status: app.CardExported})
	if err != nil {
		return nil, err
	}
	var out []app.CardRow
	for _, r := range rows {
		if r.Card.Batch == batch {
			out = append(out, r)
		}
	}
	return out, nil
}

// askBatchReported marks every unconfirmed card of the selected card's batch 已上报, after the
// clerk confirms the count (the platform accepted the whole upload).
func (d *cardDetail) askBatchReported() {
	r := d.v.row
	if r == nil || r.Card.Batch == "" {
		return
	}
	batch := r.Card.Batch
	rows, err := d.batchExported(batch)
	if err != nil {
		showError(d.v.env.Window, err)
		return
	}
	msg := fmt.Sprintf("把批次 %s 中 %d 张“已导出”的个案卡全部登记为“已上报”？\n请只在平台已接收整批文件时这样做。", batch, len(rows))
	adminConfirm(d.v.env.Window, "整批标记已上报", msg, "全部标记已上报", func() { d.markBatch(batch, rows) })
}

// markBatch records 已上报 for each card of rows; a card that cannot be marked stops the run
// and is named with how many were marked before it.
func (d *cardDetail) markBatch(batch string, rows []app.CardRow) {
	env := d.v.env
	for i, r := range rows {
		fb := app.CardFeedback{ExamNumber: r.Card.ExamNumber, DocumentID: r.Card.DocumentID, Status: app.CardReported, At: env.Now()}
		if err := env.Services.Cards.SetCardStatus(env.Ctx, fb); err != nil {
			d.v.refreshSelected()
			showError(env.Window, app.Errorf(app.ErrorCode(err), "已登记 %d 张；体检 %s 的个案卡未能登记：%s", i, r.Card.ExamNumber, app.ErrorMessage(err)))
			return
		}
	}
	d.v.refreshSelected()
	setNote(d.msg, fmt.Sprintf("批次 %s 的 %d 张个案卡已登记为“已上报”。", batch, len(rows)))
}
