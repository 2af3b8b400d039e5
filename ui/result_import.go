package ui

import (
	"fmt"
	"slices"
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

func init() {
	registerScreen(ScreenDef{
		ID: "result_import", Group: "体检", Title: "结果导入", Order: 40,
		Roles:  []app.Role{app.RoleExamDoctor, app.RoleChiefExaminer, app.RoleAdmin},
		Kinds:  []app.InstitutionKind{app.KindExam},
		Action: "RecordService.PreviewResultImport",
		New:    func(env *Env) fyne.CanvasObject { return newResultImportView(env).content() },
	})
}

// resultFileMax bounds a LIS or device file read for import.
const resultFileMax = 64 << 20

// resultImportView imports results from a LIS or device file: choose the file, choose the
// source (its saved column mapping) or map the columns and save the mapping under the
// source's name, preview every row (nothing is written), and commit all or nothing when no
// row is rejected.
type resultImportView struct {
	env  *Env
	cats *catalog.Set

	name string // file name
	data []byte
	// saved mappings by source name
	saved   map[string]app.ResultMapping
	rows    []*mappingRow
	file    app.ResultImportFile
	preview *app.ResultImportPreview
	// raw values as read by row number, for rows the archive rejected before judging
	raw   map[int]map[string]string
	shown []int

	source                    *widget.SelectEntry
	fileLbl, mapInfo, counts  *widget.Label
	detail, result            *widget.Label
	mapBox                    *fyne.Container
	filter                    *widget.RadioGroup
	table                     *widget.Table
	chooseBtn, saveMapBtn     *widget.Button
	previewBtn, importBtn     *widget.Button
	pending                   sync.WaitGroup
	loadingSource, busy       bool
	canCommit, canSaveMapping bool
	lis                       *lisDropPanel // this PC's watched folder; nil without the commit permission
}

// resultColumns are the preview's columns.
var resultColumns = []struct {
	title string
	width float32
}{
	{"行号", 48}, {"结果", 52}, {"体检号", 100}, {"姓名", 76}, {"检查结果", 380}, {"提示与原因", 520},
}

func newResultImportView(env *Env) *resultImportView {
	v := &resultImportView{env: env, cats: catalogsOf(env.Services), saved: map[string]app.ResultMapping{}}
	_, v.canCommit = app.ScopeOf(env.User, "RecordService.CommitResultImport")
	_, v.canSaveMapping = app.ScopeOf(env.User, "RecordService.SaveResultMapping")
	v.fileLbl = widget.NewLabel("")
	v.fileLbl.Wrapping = fyne.TextWrapWord
	v.mapInfo = widget.NewLabel("")
	v.mapInfo.Wrapping = fyne.TextWrapWord
	v.counts = widget.NewLabel("")
	v.counts.Wrapping = fyne.TextWrapWord
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord
	v.result = newMsg()
	v.source = widget.NewSelectEntry(nil)
	v.source.SetPlaceHolder("来源名称，如 检验科LIS、听力计")
	v.source.OnChanged = func(s string) { v.sourceChanged(strings.TrimSpace(s)) }
	enterMovesOn(&v.source.Entry)
	v.mapBox = container.NewVBox()
	v.filter = widget.NewRadioGroup([]string{rosterAll, rosterWarned, rosterRejected}, func(string) { v.applyFilter() })
	v.filter.Horizontal = true
	v.filter.Required = true
	v.table = widget.NewTable(
		func() (int, int) { return len(v.shown), len(resultColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		v.updateCell)
	for i, c := range resultColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = headerLabel
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(resultColumns) {
			o.(*widget.Label).SetText(resultColumns[id.Col].title)
		}
	}
	v.table.OnSelected = func(id widget.TableCellID) { v.showDetail(id.Row) }
	v.filter.SetSelected(rosterAll)
	v.chooseBtn = widget.NewButton("选择结果文件…", v.chooseFile)
	v.saveMapBtn = widget.NewButton("保存列对应", v.saveMapping)
	v.previewBtn = widget.NewButton("预览", v.runPreview)
	v.importBtn = widget.NewButton("导入", v.commit)
	v.importBtn.Importance = widget.HighImportance
	if v.canCommit && canWatchLIS(env.User) {
		v.lis = newLISDropPanel(env)
	}
	v.loadMappings()
	v.reset()
	env.Focus = v.source // type or pick the source first, then choose the file
	return v
}

func (v *resultImportView) content() fyne.CanvasObject {
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading("结果导入"), v.chooseBtn),
		v.fileLbl,
		container.NewBorder(nil, nil, widget.NewLabel("来源："), v.saveMapBtn, v.source),
	)
	if v.lis != nil {
		top.Add(v.lis.content())
	}
	mapping := container.NewBorder(container.NewVBox(headerLabelText("列对应：文件的每一列是什么"), v.mapInfo), nil, nil, nil,
		container.NewVScroll(v.mapBox))
	previewPane := container.NewBorder(
		container.NewVBox(v.counts, container.NewBorder(nil, nil, widget.NewLabel("显示："), nil, v.filter)),
		nil, nil, nil, v.table)
	split := container.NewVSplit(mapping, previewPane)
	split.Offset = 0.4
	bottom := container.NewVBox(v.detail, widget.NewSeparator(), container.NewBorder(nil, nil, nil, container.NewHBox(v.previewBtn, v.importBtn)), v.result)
	return container.NewBorder(top, bottom, nil, nil, split)
}

// headerLabelText is a bold label.
func headerLabelText(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	return l
}

// loadMappings reads the saved mappings into the source list.
func (v *resultImportView) loadMappings() {
	if v.env.Services.Records == nil {
		return
	}
	ms, err := v.env.Services.Records.ResultMappings(v.env.Ctx)
	if err != nil {
		setMsg(v.result, app.ErrorMessage(err))
		return
	}
	v.saved = map[string]app.ResultMapping{}
	var names []string
	for _, m := range ms {
		v.saved[m.Source] = m
		names = append(names, m.Source)
	}
	slices.Sort(names)
	v.source.SetOptions(names)
	if v.lis != nil {
		v.lis.setSources(names)
	}
}

func (v *resultImportView) reset() {
	v.name, v.data = "", nil
	v.rows = nil
	v.mapBox.Objects = nil
	v.mapBox.Refresh()
	v.fileLbl.SetText("选择检验科 LIS 或仪器（听力计、肺功能仪、心电图机、DR）导出的结果文件（.xlsx 或 .csv），再选择来源。" +
		"同一来源的列对应保存一次，以后直接使用。先预览检查，全部通过后才能导入；预览不写入任何数据。")
	v.mapInfo.SetText("")
	v.dropPreview()
}

// dropPreview forgets the preview (the file or the mapping changed).
func (v *resultImportView) dropPreview() {
	v.preview = nil
	v.file = app.ResultImportFile{}
	v.raw = nil
	v.counts.SetText("")
	v.applyFilter()
	v.showButtons()
}

func (v *resultImportView) showButtons() {
	if v.busy {
		return
	}
	if v.data == nil {
		v.previewBtn.Disable()
		v.saveMapBtn.Disable()
	} else {
		v.previewBtn.Enable()
		if v.canSaveMapping {
			v.saveMapBtn.Enable()
		} else {
			v.saveMapBtn.Disable()
		}
	}
	if v.preview != nil && v.preview.Rejected == 0 && len(v.preview.Rows) > 0 && v.canCommit {
		v.importBtn.Enable()
	} else {
		v.importBtn.Disable()
	}
}

func (v *resultImportView) chooseFile() {
	pickFile(v.env.Window, []string{".xlsx", ".csv"}, resultFileMax, "检查结果文件", v.load)
}

// load reads a file's header row and shows its mapping: the chosen source's saved mapping,
// or a guess from the headers. When the mapping names an exam number and an item, the
// preview follows.
func (v *resultImportView) load(name string, data []byte) {
	docs, err := documentsOf(v.env)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	src := strings.TrimSpace(v.source.Text)
	saved, hasSaved := v.saved[src]
	v.background("正在读取结果文件", func() func() {
		headers, err := docs.ResultHeaders(name, data)
		var guess app.ResultMapping
		if err == nil {
			f, _ := docs.ReadResults(name, data, app.ResultMapping{Source: src})
			guess = f.Mapping
		}
		return func() {
			if err != nil {
				showError(v.env.Window, err)
				return
			}
			v.reset()
			v.name, v.data = name, data
			v.fileLbl.SetText("文件：" + name + "（" + strconv.Itoa(len(headers)) + " 列）")
			if hasSaved {
				v.showMapping(headers, saved, true)
			} else {
				v.showMapping(headers, guess, false)
			}
			v.showButtons()
			if v.mappingComplete() {
				v.runPreview()
			}
		}
	})
}

// runPreview reads the file with the table's mapping and checks it against the archive. It
// writes nothing.
func (v *resultImportView) runPreview() {
	if v.data == nil {
		return
	}
	m, err := v.mapping()
	if err != nil {
		setMsg(v.result, app.ErrorMessage(err))
		return
	}
	docs, err := documentsOf(v.env)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	name, data, records, ctx := v.name, v.data, v.env.Services.Records, v.env.Ctx
	v.background("正在检查结果", func() func() {
		f, err := docs.ReadResults(name, data, m)
		var p *app.ResultImportPreview
		if err == nil {
			p, err = records.PreviewResultImport(ctx, f)
		}
		return func() {
			if err != nil {
				v.dropPreview()
				setMsg(v.result, app.ErrorMessage(err))
				return
			}
			if v.name != name {
				return // another file was chosen meanwhile
			}
			v.showPreview(f, p)
		}
	})
}

// background runs work off the UI thread behind a dialog; the function work returns runs on
// the UI thread afterwards. settle waits for it (tests).
func (v *resultImportView) background(title string, work func() func()) {
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(widget.NewLabel("请稍候…"), widget.NewProgressBarInfinite()), v.env.Window)
	d.Show()
	v.busy = true
	for _, b := range []*widget.Button{v.chooseBtn, v.previewBtn, v.importBtn, v.saveMapBtn} {
		b.Disable()
	}
	v.pending.Add(1)
	go func() {
		defer v.pending.Done()
		done := work()
		fyne.DoAndWait(func() {
			d.Hide()
			v.busy = false
			v.chooseBtn.Enable()
			v.showButtons()
			done()
		})
	}()
}

// settle waits until background work has been shown (tests).
func (v *resultImportView) settle() { v.pending.Wait() }

func (v *resultImportView) showPreview(f app.ResultImportFile, p *app.ResultImportPreview) {
	v.file, v.preview = f, p
	v.raw = map[int]map[string]string{}
	for _, rec := range f.Records {
		v.raw[rec.Row] = rec.Values
	}
	setMsg(v.result, "")
	v.counts.SetText(fmt.Sprintf("共 %d 行：通过 %d，有提示 %d，拒绝 %d", len(p.Rows), p.Accepted, p.Warned, p.Rejected))
	if p.Rejected > 0 {
		v.counts.Importance = widget.DangerImportance
		v.counts.SetText(v.counts.Text + "。有被拒绝的行，请改正原文件或列对应后重新预览；全部通过后才能导入。")
		v.filter.SetSelected(rosterRejected)
	} else {
		v.counts.Importance = widget.MediumImportance
		v.filter.SetSelected(rosterAll)
	}
	v.counts.Refresh()
	v.applyFilter()
	v.showButtons()
}

func (v *resultImportView) applyFilter() {
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

// itemShort is an item's name without its bracketed abbreviation's brackets: 白细胞总数（WBC）.
func (v *resultImportView) itemShort(code string) string {
	if e, ok := v.cats.Lookup("items", code); ok {
		return e.Name
	}
	return code
}

// values is what a row records: judged results (value, unit, flag arrow), or, for a rejected
// row (whose results the archive judged only in part), the values as read.
func (v *resultImportView) values(r app.ResultImportRow) string {
	var parts []string
	if len(r.Results) > 0 && r.Outcome != app.RowRejected {
		for _, x := range r.Results {
			s := v.itemShort(x.ItemCode) + " " + x.Value
			if x.Unit != "" {
				s += " " + x.Unit
			}
			parts = append(parts, s+x.Flag.Arrow())
		}
		return strings.Join(parts, "；")
	}
	for _, c := range v.file.Mapping.Columns {
		if x, ok := v.raw[r.Row][c.ItemCode]; ok && c.Key == app.ImportKeyItem {
			parts = append(parts, v.itemShort(c.ItemCode)+" "+x)
		}
	}
	return strings.Join(parts, "；")
}

func (v *resultImportView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
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
		text = r.Exam
	case 3:
		text = r.Worker
	case 4:
		text = v.values(r)
	case 5:
		text = importMessages(r.Messages)
		switch r.Outcome {
		case app.RowRejected:
			l.Importance = widget.DangerImportance
		case app.RowWarning:
			l.Importance = widget.WarningImportance
		}
	}
	l.SetText(text)
}

// importMessages joins a row's messages, each with its column.
func importMessages(ms []app.RowMessage) string {
	var parts []string
	for _, m := range ms {
		if m.Column != "" {
			parts = append(parts, m.Column+"："+m.Message)
		} else {
			parts = append(parts, m.Message)
		}
	}
	return strings.Join(parts, "；")
}

// showDetail shows the whole row at table row i: its results and messages.
func (v *resultImportView) showDetail(i int) {
	if v.preview == nil || i < 0 || i >= len(v.shown) {
		v.detail.SetText("")
		v.detail.Hide()
		return
	}
	r := v.preview.Rows[v.shown[i]]
	text, imp := outcomeName(r.Outcome)
	text = "第 " + strconv.Itoa(r.Row) + " 行（" + text + "）" + r.Exam + " " + r.Worker
	if vals := v.values(r); vals != "" {
		text += "：" + vals
	}
	if m := importMessages(r.Messages); m != "" {
		text += "。" + m
	}
	v.detail.Importance = imp
	v.detail.SetText(text)
	v.detail.Show()
}

// commit imports the previewed file, all or nothing; a named source's mapping is saved with
// it so that the next file of the source needs none.
func (v *resultImportView) commit() {
	if v.preview == nil || v.preview.Rejected > 0 {
		return
	}
	file, records, ctx := v.file, v.env.Services.Records, v.env.Ctx
	results := 0
	for _, r := range v.preview.Rows {
		results += len(r.Results)
	}
	save := file.Mapping.Source != "" && v.canSaveMapping
	v.background("正在导入结果", func() func() {
		n, err := records.CommitResultImport(ctx, file)
		var saveErr error
		if err == nil && save {
			saveErr = records.SaveResultMapping(ctx, file.Mapping)
		}
		return func() {
			if err != nil {
				setMsg(v.result, app.ErrorMessage(err))
				showError(v.env.Window, err)
				return
			}
			msg := fmt.Sprintf("已导入“%s”：%d 行，共 %d 项结果。", file.Name, n, results)
			if save && saveErr == nil {
				msg += "列对应已按来源“" + file.Mapping.Source + "”保存。"
				v.loadingSource = true
				v.loadMappings()
				v.loadingSource = false
			} else if saveErr != nil {
				msg += "列对应未能保存：" + app.ErrorMessage(saveErr)
			}
			v.dropPreview()
			v.data = nil
			v.showButtons()
			setNote(v.result, msg)
		}
	})
}
