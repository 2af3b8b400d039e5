package ui

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// rosterMax bounds a roster file read for import.
const rosterMax = 64 << 20

// Filters of the preview.
const (
	rosterAll      = "全部"
	rosterWarned   = "提示"
	rosterRejected = "拒绝"
)

// rosterView imports a roster (团检名单) into a contract: read the file, preview every row
// (nothing is written), save the outcome, and commit all or nothing when no row is rejected.
type rosterView struct {
	env       *Env
	cats      *catalog.Set
	committed func()

	contract *app.Contract
	file     app.RosterFile
	preview  *app.RosterPreview
	shown    []int // indexes of preview rows under the filter

	fileLbl, counts, result *widget.Label
	// detail shows the whole messages of the row last selected
	detail *widget.Label
	// raw holds the values as written in the file by row number (a rejected identity
	// number is shown as typed)
	raw                map[int]map[app.RosterColumn]string
	filter             *widget.RadioGroup
	table              *widget.Table
	register           *widget.Check
	examType           *widget.Select
	date               *widget.Entry
	dateMsg            *widget.Label
	chooseBtn, saveBtn *widget.Button
	importBtn          *widget.Button
	// pending counts background work not yet shown
	pending sync.WaitGroup
}

func newRosterView(env *Env, committed func()) *rosterView {
	v := &rosterView{env: env, cats: catalogsOf(env.Services), committed: committed}
	v.fileLbl = widget.NewLabel("")
	v.fileLbl.Wrapping = fyne.TextWrapWord
	v.counts = widget.NewLabel("")
	v.counts.Wrapping = fyne.TextWrapWord
	v.result = newMsg()
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord
	v.filter = widget.NewRadioGroup([]string{rosterAll, rosterWarned, rosterRejected}, func(string) { v.applyFilter() })
	v.filter.Horizontal = true
	v.filter.Required = true
	v.table = widget.NewTable(
		func() (int, int) { return len(v.shown), len(rosterColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		v.updateCell)
	for i, c := range rosterColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = headerLabel
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(rosterColumns) {
			o.(*widget.Label).SetText(rosterColumns[id.Col].title)
		}
	}
	v.table.OnSelected = func(id widget.TableCellID) { v.showDetail(id.Row) }
	v.filter.SetSelected(rosterAll)
	v.register = widget.NewCheck("同时登记体检", func(bool) { v.showOptions() })
	v.examType = widget.NewSelect(examTypeLabels(), nil)
	v.examType.PlaceHolder = "名单未写体检类型时"
	v.date = widget.NewEntry()
	v.date.SetPlaceHolder("体检日期")
	v.dateMsg = newMsg()
	enterMovesOn(v.date)
	v.date.OnChanged = func(s string) {
		if _, err := parseDate(s); err != nil {
			setMsg(v.dateMsg, fieldMessage(err))
		} else {
			setMsg(v.dateMsg, "")
		}
	}
	v.chooseBtn = widget.NewButton("选择名单文件…", v.chooseFile)
	v.saveBtn = widget.NewButton("保存结果…", v.saveOutcome)
	v.importBtn = widget.NewButton("导入", v.commit)
	v.importBtn.Importance = widget.HighImportance
	v.reset()
	return v
}

// rosterColumns are the preview's columns.
var rosterColumns = []struct {
	title string
	width float32
}{
	{"行号", 48}, {"结果", 52}, {"姓名", 80}, {"证件号码", 170}, {"危害因素", 140}, {"提示与原因", 600},
}

func (v *rosterView) content() fyne.CanvasObject {
	options := container.NewHBox(v.register, v.examType, withWidth(140, v.date))
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading("名单导入"), container.NewHBox(v.chooseBtn, v.saveBtn)),
		v.fileLbl, v.counts,
		container.NewBorder(nil, nil, widget.NewLabel("显示："), nil, v.filter),
	)
	bottom := container.NewVBox(v.detail, widget.NewSeparator(), container.NewBorder(nil, nil, nil, v.importBtn, options), v.dateMsg, v.result)
	return container.NewBorder(top, bottom, nil, nil, v.table)
}

// setContract points the view at c and drops any preview of another contract.
func (v *rosterView) setContract(c *app.Contract) {
	if v.contract != nil && c != nil && v.contract.ID == c.ID && v.preview != nil {
		v.contract = c // keep the preview; a closed contract disables 导入
		v.showOptions()
		return
	}
	v.contract = c
	v.reset()
}

func (v *rosterView) reset() {
	v.preview = nil
	v.file = app.RosterFile{}
	v.fileLbl.SetText("选择单位提供的名单（.xlsx 或 .csv）。先预览检查，确认无误后再导入；预览不写入任何数据。")
	if v.contract != nil && v.contract.State == app.ContractClosed {
		v.fileLbl.SetText("本体检任务已结束：名单可以预览，但不能导入（需要时在“任务信息”中把状态改为进行中）。")
	}
	v.counts.SetText("")
	v.register.SetChecked(false)
	v.examType.ClearSelected()
	if v.contract != nil && len(v.contract.ExamTypes) > 0 {
		v.examType.SetSelected(examTypeLabel(app.ExamType(v.contract.ExamTypes[0])))
	}
	v.date.SetText(formatDate(v.env.Now()))
	setMsg(v.result, "")
	v.applyFilter()
	v.showOptions()
}

func (v *rosterView) showOptions() {
	if v.register.Checked {
		v.examType.Show()
		v.date.Show()
	} else {
		v.examType.Hide()
		v.date.Hide()
		setMsg(v.dateMsg, "")
	}
	if v.preview == nil {
		v.saveBtn.Disable()
		v.importBtn.Disable()
		return
	}
	v.saveBtn.Enable()
	_, canCommit := app.ScopeOf(v.env.User, "IntakeService.CommitRoster")
	if v.preview.Rejected == 0 && len(v.preview.Rows) > 0 && canCommit && v.contract != nil && v.contract.State == app.ContractOpen {
		v.importBtn.Enable()
	} else {
		v.importBtn.Disable()
	}
}

func (v *rosterView) chooseFile() {
	pickFile(v.env.Window, []string{".xlsx", ".csv"}, rosterMax, "体检名单", v.load)
}

// load reads a roster file and previews it against the contract. It writes nothing.
func (v *rosterView) load(name string, data []byte) {
	if v.contract == nil {
		return
	}
	docs, err := documentsOf(v.env)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	id, intake, ctx := v.contract.ID, v.env.Services.Intake, v.env.Ctx
	v.background("正在检查名单", func() func() {
		f, err := docs.ReadRoster(name, data)
		var p *app.RosterPreview
		if err == nil {
			p, err = intake.PreviewRoster(ctx, id, f)
		}
		return func() {
			if err != nil {
				showError(v.env.Window, err)
				return
			}
			if v.contract == nil || v.contract.ID != id {
				return // another contract was opened meanwhile
			}
			v.showPreview(name, f, p)
		}
	})
}

// background runs work off the UI thread behind a dialog that says what is being done; the
// function work returns runs on the UI thread afterwards. settle waits for it (tests).
func (v *rosterView) background(title string, work func() func()) {
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(widget.NewLabel("请稍候…"), widget.NewProgressBarInfinite()), v.env.Window)
	d.Show()
	v.chooseBtn.Disable()
	v.importBtn.Disable()
	v.pending.Add(1)
	go func() {
		defer v.pending.Done()
		done := work()
		fyne.DoAndWait(func() {
			d.Hide()
			v.chooseBtn.Enable()
			v.showOptions()
			done()
		})
	}()
}

// settle waits until background work has been shown (tests).
func (v *rosterView) settle() { v.pending.Wait() }

// showPreview shows the preview of a file.
func (v *rosterView) showPreview(name string, f app.RosterFile, p *app.RosterPreview) {
	v.file, v.preview = f, p
	v.raw = map[int]map[app.RosterColumn]string{}
	for _, rec := range f.Records {
		v.raw[rec.Row] = rec.Values
	}
	setMsg(v.result, "")
	info := "文件：" + name
	if f.Encoding != "" {
		info += "（" + f.Encoding + "）"
	}
	if f.HeaderRow > 0 {
		info += "，表头在第 " + strconv.Itoa(f.HeaderRow) + " 行"
	}
	if len(f.Ignored) > 0 {
		info += "；未识别的列（不导入）：" + strings.Join(f.Ignored, "、")
	}
	v.fileLbl.SetText(info)
	v.counts.SetText(rosterCounts(p))
	if p.Rejected > 0 {
		v.counts.Importance = widget.DangerImportance
		v.counts.SetText(v.counts.Text + "。有被拒绝的行，请在原文件中改正后重新选择文件；全部通过后才能导入。")
	} else {
		v.counts.Importance = widget.MediumImportance
	}
	v.counts.Refresh()
	if p.Rejected > 0 {
		v.filter.SetSelected(rosterRejected)
	} else {
		v.filter.SetSelected(rosterAll)
	}
	v.applyFilter()
	v.showOptions()
}

// rosterCounts is the line of counts above the preview.
func rosterCounts(p *app.RosterPreview) string {
	return fmt.Sprintf("共 %d 行：通过 %d，有提示 %d，拒绝 %d，已在档案 %d", len(p.Rows), p.Accepted, p.Warned, p.Rejected, p.Linked)
}

// headerLabel is the bold header cell of a table.
func headerLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.TextStyle.Bold = true
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// showDetail shows all the messages of the row at table row i (the column may be too narrow).
func (v *rosterView) showDetail(i int) {
	if v.preview == nil || i < 0 || i >= len(v.shown) {
		v.detail.SetText("")
		v.detail.Hide()
		return
	}
	r := v.preview.Rows[v.shown[i]]
	text, imp := outcomeName(r.Outcome)
	text = "第 " + strconv.Itoa(r.Row) + " 行（" + text + "）"
	if m := rowMessages(r); m != "" {
		text += "：" + m
	}
	v.detail.Importance = imp
	v.detail.SetText(text)
	v.detail.Show()
}

func (v *rosterView) applyFilter() {
	v.shown = v.shown[:0]
	if v.preview != nil {
		for i, r := range v.preview.Rows {
			switch v.filter.Selected {
			case rosterWarned:
				if r.Outcome != app.RowWarning {
					continue
				}
			case rosterRejected:
				if r.Outcome != app.RowRejected {
					continue
				}
			}
			v.shown = append(v.shown, i)
		}
	}
	v.table.UnselectAll()
	v.table.Refresh()
	v.table.ScrollToTop()
	v.showDetail(-1)
}

func (v *rosterView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	l.Importance = widget.MediumImportance
	if v.preview == nil || id.Row >= len(v.shown) {
		l.SetText("")
		return
	}
	r := v.preview.Rows[v.shown[id.Row]]
	text := ""
	switch id.Col {
	case 0:
		text = strconv.Itoa(r.Row)
	case 1:
		text, l.Importance = outcomeName(r.Outcome)
	case 2:
		text = r.Worker.Name
		if text == "" {
			text = v.raw[r.Row][app.ColName]
		}
	case 3:
		text = r.Worker.IDNumber
		if text == "" {
			text = v.raw[r.Row][app.ColIDNumber]
		}
	case 4:
		names := hazardNames(v.cats, r.Hazards)
		for _, o := range r.OtherHazards {
			names = append(names, "其他："+o)
		}
		text = strings.Join(names, "、")
	case 5:
		text = rowMessages(r)
		switch r.Outcome {
		case app.RowRejected:
			l.Importance = widget.DangerImportance
		case app.RowWarning:
			l.Importance = widget.WarningImportance
		}
	}
	l.SetText(text)
}

// outcomeName is what a row's outcome reads as, with its colour.
func outcomeName(o string) (string, widget.Importance) {
	switch o {
	case app.RowRejected:
		return "拒绝", widget.DangerImportance
	case app.RowWarning:
		return "提示", widget.WarningImportance
	}
	return "通过", widget.SuccessImportance
}

// rowMessages joins a row's messages, each with its column, and says when the person is
// already in the archive or repeats an earlier row.
func rowMessages(r app.RosterRow) string {
	var parts []string
	for _, m := range r.Messages {
		if m.Column != "" {
			parts = append(parts, m.Column+"："+m.Message)
		} else {
			parts = append(parts, m.Message)
		}
	}
	if r.ExistingWorkerID != 0 {
		parts = append(parts, "已在档案（档案号 "+strconv.FormatInt(r.ExistingWorkerID, 10)+"），将关联原档案")
	}
	return strings.Join(parts, "；")
}

// saveOutcome writes the preview's outcome as .xlsx where the user chooses.
func (v *rosterView) saveOutcome() {
	b, err := v.outcomeBytes()
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	name := strings.TrimSuffix(strings.TrimSuffix(v.file.Name, ".xlsx"), ".csv") + "-检查结果.xlsx"
	saveAndOpen(v.env, name, b, false, func(p string) { setNote(v.result, "检查结果已保存到 "+p) })
}

func (v *rosterView) outcomeBytes() ([]byte, error) {
	if v.preview == nil {
		return nil, app.Errorf(app.EINVALID, "请先选择名单文件")
	}
	docs, err := documentsOf(v.env)
	if err != nil {
		return nil, err
	}
	return docs.RosterOutcome(v.preview)
}

// commit imports the previewed roster (all or nothing) and, when asked, registers an exam
// for every row.
func (v *rosterView) commit() {
	if v.preview == nil || v.contract == nil || v.preview.Rejected > 0 {
		return
	}
	opts := app.RosterOptions{Register: v.register.Checked}
	if opts.Register {
		opts.Type = examTypeOf(v.examType.Selected)
		d, err := parseDate(v.date.Text)
		if err != nil {
			setMsg(v.dateMsg, fieldMessage(err))
			return
		}
		opts.Date = d
	}
	id, file, rows, intake, ctx := v.contract.ID, v.file, len(v.preview.Rows), v.env.Services.Intake, v.env.Ctx
	v.background("正在导入名单", func() func() {
		res, err := intake.CommitRoster(ctx, id, file, opts)
		return func() { v.committedResult(rows, opts, res, err) }
	})
}

// committedResult shows the outcome of an import.
func (v *rosterView) committedResult(rows int, opts app.RosterOptions, res *app.RosterCommit, err error) {
	if err != nil {
		setMsg(v.result, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	msg := fmt.Sprintf("已导入 %d 行：新建档案 %d 人，更新原有档案 %d 人", rows, res.Created, res.Updated)
	if opts.Register {
		msg += fmt.Sprintf("，登记体检 %d 人次（见“已登记”）", res.Registered)
	}
	v.preview = nil
	v.file = app.RosterFile{}
	v.applyFilter()
	v.showOptions()
	v.counts.SetText("")
	setNote(v.result, msg+"。")
	if v.committed != nil {
		v.committed()
	}
}
