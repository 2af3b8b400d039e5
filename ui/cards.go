package ui

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "cards", Group: "上报", Title: "个案卡", Order: 10,
		Roles:  []app.Role{app.RoleReportingClerk, app.RoleChiefExaminer, app.RoleReviewer, app.RoleAdmin},
		Action: "CardService.Cards",
		New:    func(env *Env) fyne.CanvasObject { return newCardsScreen(env).content() },
	})
}

// cardPage is how many worklist rows one service call reads.
const cardPage = 100

// Worklist views (the filter above the table).
const (
	cardViewDue      = "应上报"
	cardViewFailing  = "预检未通过"
	cardViewExported = "已导出未确认"
	cardViewReturned = "退回"
	cardViewAll      = "全部"
)

var cardViews = []string{cardViewDue, cardViewFailing, cardViewExported, cardViewReturned, cardViewAll}

// cardColumns are the worklist's columns: what the clerk acts on (status, pre-flight) before
// the dates, so that they stay in view on a narrow window.
var cardColumns = []adminColumn{
	{"体检号", 120}, {"姓名", 72}, {"用人单位", 190}, {"状态", 66}, {"预检", 116},
	{"发放日期", 96}, {"应报日期", 96}, {"操作", 52}, {"补报", 46},
}

// Column numbers of cardColumns.
const (
	colNumber = iota
	colName
	colEmployer
	colStatus
	colCheck
	colReleased
	colDue
	colOperate
	colLate
)

// operateNames are the Chinese words of the exchange header's OperateType.
var operateNames = map[string]string{app.CardAdd: "新增", app.CardUpdate: "订正", app.CardDelete: "删除"}

// cardsScreen is the reporting clerk's worklist of case cards: what is due, what fails the
// pre-flight check, what was exported and not confirmed, what the platform returned. A card
// selected shows its findings (each with a way to the screen that fixes it), its history and
// the status actions; export and the platform's feedback open dialogs (cards_export.go).
type cardsScreen struct {
	env *Env

	view     *widget.RadioGroup
	from, to *widget.Entry
	rangeMsg *widget.Label
	queryBtn *widget.Button
	count    *widget.Label
	table    *widget.Table

	filter app.CardFilter
	total  int
	pages  map[int][]app.CardRow

	// the selected card
	row       *app.CardRow
	detail    *cardDetail
	exportBtn *widget.Button
	feedBtn   *widget.Button
	settings  *widget.Button

	// background runs long work off the UI thread (runInBackground; tests run it inline);
	// gen tells the newest worklist reading from stale ones, pending counts those not shown.
	background func(work func())
	gen        atomic.Int64
	pending    sync.WaitGroup
	// export and feedback are the last dialogs opened (tests).
	export   *cardExport
	feedback *cardFeedbackImport
}

func newCardsScreen(env *Env) *cardsScreen {
	v := &cardsScreen{env: env, pages: map[int][]app.CardRow{}, background: runInBackground}
	v.view = widget.NewRadioGroup(cardViews, func(string) { v.reload() })
	v.view.Horizontal = true
	v.view.Required = true
	v.from, v.to = widget.NewEntry(), widget.NewEntry()
	v.from.SetPlaceHolder("起（含）")
	v.to.SetPlaceHolder("止（含）")
	for _, e := range []*widget.Entry{v.from, v.to} {
		e.OnSubmitted = func(string) { v.reload() }
	}
	v.rangeMsg = newMsg()
	v.queryBtn = widget.NewButton("查询", v.reload)
	v.count = widget.NewLabel("")
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return v.total, len(cardColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { v.cell(id, o.(*widget.Label)) })
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cardColumns) {
			o.(*widget.Label).SetText(cardColumns[id.Col].title)
		}
	}
	for i, c := range cardColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.table.OnSelected = func(id widget.TableCellID) { v.selectRow(id.Row) }
	v.detail = newCardDetail(v)
	v.exportBtn = widget.NewButton("导出个案卡…", v.openExport)
	v.exportBtn.Importance = widget.HighImportance
	v.feedBtn = widget.NewButton("导入平台反馈…", v.openFeedback)
	v.settings = widget.NewButton("上报设置", func() {
		if env.Open == nil || !env.Open("admin_cards", 0) {
			showError(env.Window, app.Errorf(app.EFORBIDDEN, "上报设置由管理员在“系统管理 → 上报设置”中修改"))
		}
	})
	if !v.may("CardService.RecordExport") {
		v.exportBtn.Hide()
	}
	if !v.may("CardService.ImportFeedback") {
		v.feedBtn.Hide()
	}
	if !v.may("CardService.SaveCardSettings") {
		v.settings.Hide()
	}
	v.view.SetSelected(cardViewDue) // loads the worklist
	env.Focus = v.from
	env.live(v.liveReload, app.ChangeCard, app.ChangeExam, app.ChangeWorker, app.ChangeEmployer, app.ChangeSettings)
	return v
}

// may reports whether the user may call action.
func (v *cardsScreen) may(action string) bool {
	_, ok := app.ScopeOf(v.env.User, action)
	return ok
}

func (v *cardsScreen) content() fyne.CanvasObject {
	dates := container.NewHBox(widget.NewLabel("发放日期"), withWidth(120, v.from), widget.NewLabel("至"), withWidth(120, v.to),
		v.queryBtn)
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading("个案卡"), container.NewHBox(v.exportBtn, v.feedBtn, v.settings)),
		v.view, container.NewBorder(nil, nil, dates, nil, v.count), v.rangeMsg)
	list := container.NewBorder(top, nil, nil, nil, v.table)
	split := container.NewVSplit(list, v.detail.content())
	split.Offset = 0.55
	return split
}

// readFilter reads the view and the date range; a bad date is shown under the range.
func (v *cardsScreen) readFilter() (app.CardFilter, bool) {
	var f app.CardFilter
	switch v.view.Selected {
	case cardViewDue:
		f.Status = app.CardPending
	case cardViewFailing:
		f.Failing = true
	case cardViewExported:
		f.Status = app.CardExported
	case cardViewReturned:
		f.Status = app.CardReturned
	}
	from, to, err := readDateRange(v.from, v.to)
	if err != nil {
		setMsg(v.rangeMsg, app.ErrorMessage(err))
		return f, false
	}
	setMsg(v.rangeMsg, "")
	f.From, f.To = from, to
	return f, true
}

// readDateRange reads a from–to pair of date entries: either may be empty; to is the end of
// its day, so that the range includes it.
func readDateRange(fromE, toE *widget.Entry) (time.Time, time.Time, error) {
	from, err := parseDate(fromE.Text)
	if err != nil {
		return from, from, app.FieldError("起始日期", "%s", app.ErrorMessage(err))
	}
	to, err := parseDate(toE.Text)
	if err != nil {
		return from, to, app.FieldError("截止日期", "%s", app.ErrorMessage(err))
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1).Add(-time.Nanosecond)
		if !from.IsZero() && to.Before(from) {
			return from, to, app.Errorf(app.EINVALID, "截止日期 %s 早于起始日期 %s", toE.Text, fromE.Text)
		}
	}
	return from, to, nil
}

// reload reads the first page of the filter (which counts the cards) off the UI thread: the
// first reading after the archive opens runs every card's pre-flight check in the store. The
// table reads further pages as it scrolls.
func (v *cardsScreen) reload() {
	f, ok := v.readFilter()
	if !ok {
		return
	}
	gen := v.gen.Add(1)
	v.count.SetText("正在读取…")
	v.pending.Add(1)
	v.background(func() {
		defer v.pending.Done()
		q := f
		q.Offset, q.Limit = 0, cardPage
		rows, total, err := v.env.Services.Cards.Cards(v.env.Ctx, q)
		fyne.DoAndWait(func() {
			if v.gen.Load() != gen {
				return // a newer reading is on its way
			}
			v.filter = f
			v.pages = map[int][]app.CardRow{}
			if err != nil {
				v.total = 0
				v.count.SetText(app.ErrorMessage(err))
			} else {
				v.pages[0], v.total = rows, total
				v.count.SetText(fmt.Sprintf("共 %d 张", total))
			}
			v.table.UnselectAll()
			v.table.Refresh()
			v.showRow(nil)
		})
	})
}

// settle waits until the readings started are shown (tests).
func (v *cardsScreen) settle() { v.pending.Wait() }

// readFirstPage reads the first page of the filter, which also counts the cards.
func (v *cardsScreen) readFirstPage() (int, error) {
	f := v.filter
	f.Offset, f.Limit = 0, cardPage
	rows, total, err := v.env.Services.Cards.Cards(v.env.Ctx, f)
	if err != nil {
		return 0, err
	}
	v.pages[0] = rows
	return total, nil
}

// at returns the i-th row, reading its page when needed.
func (v *cardsScreen) at(i int) *app.CardRow {
	p := i / cardPage
	page, ok := v.pages[p]
	if !ok {
		f := v.filter
		f.Offset, f.Limit = p*cardPage, cardPage
		var err error
		page, _, err = v.env.Services.Cards.Cards(v.env.Ctx, f)
		if err != nil {
			v.count.SetText("无法读取清单：" + app.ErrorMessage(err))
			return nil
		}
		v.pages[p] = page
	}
	if j := i - p*cardPage; j >= 0 && j < len(page) {
		return &page[j]
	}
	return nil
}

// overdue reports whether a card not yet sent is past its due date.
func (v *cardsScreen) overdue(r *app.CardRow) bool {
	if r.Due.IsZero() || (r.Card.Status != app.CardPending && r.Card.Status != app.CardReturned) {
		return false
	}
	return v.env.Now().After(r.Due)
}

func (v *cardsScreen) cell(id widget.TableCellID, l *widget.Label) {
	l.Importance = widget.MediumImportance
	r := v.at(id.Row)
	if r == nil {
		l.SetText("…")
		return
	}
	l.SetText(cardCell(r, id.Col))
	switch id.Col {
	case colDue:
		if v.overdue(r) {
			l.Importance = widget.DangerImportance
		}
	case colStatus:
		if r.Card.Status == app.CardReturned {
			l.Importance = widget.DangerImportance
		}
	case colCheck:
		if r.Errors > 0 {
			l.Importance = widget.DangerImportance
		} else if r.Warnings > 0 {
			l.Importance = widget.WarningImportance
		}
	}
	l.Refresh()
}

// cardCell is the text of one worklist cell.
func cardCell(r *app.CardRow, col int) string {
	switch col {
	case colNumber:
		return r.Card.ExamNumber
	case colName:
		return r.WorkerName
	case colEmployer:
		return r.Employer
	case colReleased:
		return formatDate(r.ReleasedAt)
	case colDue:
		return formatDate(r.Due)
	case colStatus:
		return r.Card.Status.Name()
	case colOperate:
		if r.Card.Changed { // changed since its export: goes out again (订正, or 删除 if voided)
			return "已变更"
		}
		return operateNames[r.Card.Operate]
	case colLate:
		if r.Card.Late {
			return "补报"
		}
		return ""
	case colCheck:
		return findingCounts(r.Errors, r.Warnings)
	}
	return ""
}

// findingCounts words the pre-flight counts of a card.
func findingCounts(errs, warns int) string {
	switch {
	case errs == 0 && warns == 0:
		return "通过"
	case warns == 0:
		return fmt.Sprintf("%d 个错误", errs)
	case errs == 0:
		return fmt.Sprintf("%d 个提醒", warns)
	}
	return fmt.Sprintf("%d 个错误，%d 个提醒", errs, warns)
}

func (v *cardsScreen) selectRow(i int) {
	r := v.at(i)
	if r == nil {
		v.showRow(nil)
		return
	}
	row := *r
	v.showRow(&row)
}

func (v *cardsScreen) showRow(r *app.CardRow) {
	v.row = r
	v.detail.show(r)
}

// refreshSelected reads the selected card again after a status change and keeps it shown.
func (v *cardsScreen) refreshSelected() {
	r := v.row
	v.pages = map[int][]app.CardRow{}
	total, err := v.readFirstPage()
	if err == nil {
		v.total = total
		v.count.SetText(fmt.Sprintf("共 %d 张", total))
	}
	v.table.UnselectAll()
	v.table.Refresh()
	if r == nil {
		v.showRow(nil)
		return
	}
	// The card may have left the view (e.g. 已导出 → 已上报): read it from the whole list.
	if fresh := v.findCard(r.Card.ExamID, r.ReleasedAt); fresh != nil {
		v.showRow(fresh)
	} else {
		v.showRow(nil)
	}
}

// findCard reads the worklist row of one exam (released on releasedAt).
func (v *cardsScreen) findCard(examID int64, releasedAt time.Time) *app.CardRow {
	// A day either side, whatever time zone the store counts release days in.
	f := app.CardFilter{From: releasedAt.Add(-24 * time.Hour), To: releasedAt.Add(24 * time.Hour), Limit: cardPage}
	for {
		rows, total, err := v.env.Services.Cards.Cards(v.env.Ctx, f)
		if err != nil {
			return nil
		}
		for i := range rows {
			if rows[i].Card.ExamID == examID {
				return &rows[i]
			}
		}
		f.Offset += len(rows)
		if len(rows) == 0 || f.Offset >= total {
			return nil
		}
	}
}

// dangerText is red text (a finding's level).
func dangerText(s string, warn bool) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Importance = widget.DangerImportance
	if warn {
		l.Importance = widget.WarningImportance
	}
	return l
}
