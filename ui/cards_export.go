package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// cardFormats are the export formats offered, by their Chinese names.
var cardFormats = []struct{ code, name string }{
	{app.CardFormatNational, "国家交换格式"},
	{app.CardFormatHubei, "湖北格式"},
}

func cardFormatNames() []string {
	out := make([]string, len(cardFormats))
	for i, f := range cardFormats {
		out[i] = f.name
	}
	return out
}

func cardFormatCode(name string) string {
	for _, f := range cardFormats {
		if f.name == name {
			return f.code
		}
	}
	return ""
}

// feedbackMaxSize bounds a feedback file read into memory.
const feedbackMaxSize = 32 << 20

// cardExport is the export dialog: format, release-date range and folder. It runs the shared
// export (Documents.ExportCardBatch); cards that fail the pre-flight check are listed and stay
// behind while the rest are written, then marked 已导出 in one transaction.
type cardExport struct {
	v *cardsScreen

	format    *widget.RadioGroup
	from, to  *widget.Entry
	again     *widget.Check
	folder    *widget.Entry
	browse    *widget.Button
	msg       *widget.Label
	progress  *widget.ProgressBar
	stage     *widget.Label
	blocked   *widget.Label
	summary   *widget.Label
	exportBtn *widget.Button
	closeBtn  *widget.Button
	dlg       *dialog.CustomDialog

	// written are the files of the last export (full paths).
	written []string
}

func (v *cardsScreen) openExport() {
	x := &cardExport{v: v}
	x.format = widget.NewRadioGroup(cardFormatNames(), nil)
	x.format.Horizontal = true
	x.format.Required = true
	x.format.SetSelected(cardFormats[0].name)
	x.from, x.to = widget.NewEntry(), widget.NewEntry()
	x.from.SetText(v.from.Text)
	x.to.SetText(v.to.Text)
	if x.to.Text == "" {
		x.to.SetText(formatDate(v.env.Now()))
	}
	enterMovesOn(x.from, x.to)
	x.again = widget.NewCheck("也导出已导出、内容未变的个案卡（重新生成同一份文件）", nil)
	x.folder = widget.NewEntry()
	x.folder.SetPlaceHolder("导出到的文件夹")
	x.browse = widget.NewButton("选择…", x.chooseFolder)
	x.msg = newMsg()
	x.progress = widget.NewProgressBar()
	x.progress.Hide()
	x.stage = widget.NewLabel("")
	x.blocked = wrapLabel("")
	x.blocked.Importance = widget.DangerImportance
	x.blocked.Hide()
	x.summary = wrapLabel("")
	x.summary.Hide()
	x.exportBtn = widget.NewButton("导出", x.run)
	x.exportBtn.Importance = widget.HighImportance
	x.closeBtn = widget.NewButton("关闭", func() { x.dlg.Hide(); v.reload() })
	dates := container.NewHBox(withWidth(120, x.from), widget.NewLabel("至"), withWidth(120, x.to))
	form := formGrid(
		formRow{"格式", x.format, nil},
		formRow{"发放日期", dates, nil},
		formRow{"", x.again, nil},
		formRow{"文件夹", container.NewBorder(nil, nil, nil, x.browse, x.folder), nil},
	)
	// The outcome (blocked cards, files written) may run long: it scrolls below the form.
	results := container.NewVScroll(container.NewVBox(x.blocked, x.summary))
	results.SetMinSize(fyne.NewSize(660, 220))
	body := container.NewBorder(container.NewVBox(form, x.msg, x.progress, x.stage), nil, nil, nil, results)
	x.dlg = dialog.NewCustomWithoutButtons("导出个案卡", body, v.env.Window)
	x.dlg.SetButtons([]fyne.CanvasObject{x.closeBtn, x.exportBtn})
	v.export = x
	x.dlg.Show()
	x.dlg.Resize(fyne.NewSize(720, x.dlg.MinSize().Height))
	focusIfShown(x.folder)
}

func (x *cardExport) chooseFolder() {
	d := dialog.NewFolderOpen(func(lu fyne.ListableURI, err error) {
		if err != nil {
			showError(x.v.env.Window, err)
			return
		}
		if lu != nil {
			x.folder.SetText(lu.Path())
		}
	}, x.v.env.Window)
	showFileDialog(d, x.v.env.Window)
}

// readForm reads the dialog; a problem is shown in its message line.
func (x *cardExport) readForm() (format, folder string, ok bool) {
	format = cardFormatCode(x.format.Selected)
	folder = strings.TrimSpace(x.folder.Text)
	from, to, err := readDateRange(x.from, x.to)
	switch {
	case format == "":
		err = app.Errorf(app.EINVALID, "请选择导出格式")
	case err != nil:
	case from.IsZero() || to.IsZero():
		err = app.Errorf(app.EINVALID, "请填写发放日期的起止（例如 2026-11-01 至 2026-11-30）")
	case folder == "":
		err = app.Errorf(app.EINVALID, "请选择导出到的文件夹")
	}
	if err == nil {
		if st, serr := os.Stat(folder); serr != nil || !st.IsDir() {
			err = app.Errorf(app.EINVALID, "文件夹“%s”不存在或不是文件夹", folder)
		}
	}
	if err != nil {
		setMsg(x.msg, app.ErrorMessage(err))
		return "", "", false
	}
	setMsg(x.msg, "")
	return format, folder, true
}

// step shows how far the export is (called inside fyne.Do).
func (x *cardExport) step(frac float64, text string) {
	x.progress.SetValue(frac)
	x.stage.SetText(text)
}

// run exports in the background through the shared export (Documents.ExportCardBatch, the
// same as `occhealth cards export`): cards sealed after release are only packaged, the rest
// are read, checked with the window's pre-flight and rendered; cards that fail are held back
// and listed. The files are written whole or not at all and removed again when the export
// cannot be recorded, so that the folder never holds half a batch the archive does not know
// about.
func (x *cardExport) run() {
	format, folder, ok := x.readForm()
	if !ok {
		return
	}
	from, to, _ := readDateRange(x.from, x.to)
	formatName := x.format.Selected
	env := x.v.env
	req := app.CardBatchRequest{Format: format, From: from, To: to, Again: x.again.Checked, Dir: folder,
		Check: func(d app.CardData) []app.CardIssue { return checkCard(env, d) },
		Progress: func(frac float64, text string) {
			fyne.Do(func() { x.step(frac, text) })
		}}
	x.exportBtn.Disable()
	x.closeBtn.Disable()
	x.progress.Show()
	x.blocked.Hide()
	x.summary.Hide()
	x.written = nil
	x.step(0, "正在读取个案卡…")
	x.v.background(func() {
		done := func(f func()) {
			fyne.Do(func() {
				f()
				x.exportBtn.Enable()
				x.closeBtn.Enable()
			})
		}
		// A failure's message may name many cards and elements: it goes to the scrolling
		// outcome below the form.
		fail := func(err error) {
			done(func() {
				x.progress.Hide()
				x.stage.SetText("导出未完成，没有写入任何文件，个案卡的状态未变。")
				x.blocked.SetText(app.ErrorMessage(err))
				x.blocked.Show()
			})
		}
		if env.Services.Documents == nil {
			fail(app.Errorf(app.EINTERNAL, "本程序未接入个案卡导出"))
			return
		}
		req.Batch = cardBatchID(env, folder) // reads the folder: off the UI goroutine
		res, err := env.Services.Documents.ExportCardBatch(env.Ctx, env.Services.Cards, req)
		if err != nil {
			fail(err)
			return
		}
		blocked := blockedLines(res.Blocked)
		showBlocked := func() {
			if len(blocked) > 0 {
				x.blocked.SetText(fmt.Sprintf("以下 %d 张个案卡未通过预检，没有导出（修改后再导出）：\n", len(blocked)) + strings.Join(blocked, "\n"))
				x.blocked.Show()
			}
		}
		if res.Exported == 0 {
			done(func() {
				x.progress.Hide()
				x.stage.SetText("")
				showBlocked()
				msg := "没有需要导出的个案卡。"
				if res.Skipped > 0 {
					msg = fmt.Sprintf("没有需要导出的个案卡（%d 张已导出且内容未变；要重新生成文件，请勾选“也导出已导出、内容未变的个案卡”）。", res.Skipped)
				}
				setNote(x.msg, msg)
			})
			return
		}
		done(func() {
			x.written = res.Files
			x.step(1, "导出完成。")
			showBlocked()
			names := make([]string, len(res.Files))
			for i, p := range res.Files {
				names[i] = filepath.Base(p)
			}
			s := fmt.Sprintf("已导出 %d 张个案卡（批次 %s，%s），%d 个文件，共 %s：\n%s\n保存在 %s。",
				res.Exported, res.Batch, formatName, len(res.Files), humanSize(res.Bytes), strings.Join(names, "\n"), folder)
			if res.Sealed > 0 {
				s += fmt.Sprintf("\n其中 %d 张为发放后预先生成的个案卡（内容核对一致）。", res.Sealed)
			}
			s += "\n请把文件上传到平台，平台确认后登记“已上报”或导入平台反馈。"
			if len(blocked) > 0 {
				s += fmt.Sprintf("\n另有 %d 张未通过预检，未导出。", len(blocked))
			}
			x.summary.SetText(s)
			x.summary.Importance = widget.SuccessImportance
			x.summary.Show()
			setMsg(x.msg, "")
		})
	})
}

// blockedLines describes the cards an export held back, one line each: the exam number and
// the errors (element or field, and what is wrong).
func blockedLines(bs []app.CardBlocked) []string {
	out := make([]string, 0, len(bs))
	for _, b := range bs {
		var errs []string
		for _, is := range b.Issues {
			if is.Level != app.LevelError {
				continue
			}
			m := is.Message
			if is.Field != "" {
				m = is.Field + "：" + m
			}
			errs = append(errs, m)
		}
		out = append(out, b.Card.ExamNumber+"："+strings.Join(errs, "；"))
	}
	return out
}

// cardBatchID names an export batch: the institution code and the second of the export, with
// -2, -3 … when the folder already holds a batch of that name (two exports in one second).
func cardBatchID(env *Env, folder string) string {
	id := env.Now().Format("20060102150405")
	if env.Institution != nil && env.Institution.Code != "" {
		id = env.Institution.Code + "-" + id
	}
	entries, _ := os.ReadDir(folder)
	taken := func(b string) bool {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), b+".") {
				return true
			}
		}
		return false
	}
	out := id
	for n := 2; taken(out); n++ {
		out = fmt.Sprintf("%s-%d", id, n)
	}
	return out
}

// cardFeedbackImport is the dialog that reads a platform's feedback file and applies it.
type cardFeedbackImport struct {
	v *cardsScreen

	format    *widget.RadioGroup
	path      *widget.Entry
	browse    *widget.Button
	msg       *widget.Label
	result    *widget.Label
	importBtn *widget.Button
	dlg       *dialog.CustomDialog
}

func (v *cardsScreen) openFeedback() {
	x := &cardFeedbackImport{v: v}
	x.format = widget.NewRadioGroup(cardFormatNames(), nil)
	x.format.Horizontal = true
	x.format.Required = true
	x.format.SetSelected(cardFormats[0].name)
	x.path = widget.NewEntry()
	x.path.SetPlaceHolder("平台反馈文件（.csv、.xlsx 或平台回执 .xml）")
	x.browse = widget.NewButton("选择…", x.chooseFile)
	x.msg = newMsg()
	x.result = wrapLabel("")
	x.result.Hide()
	x.importBtn = widget.NewButton("导入", x.run)
	x.importBtn.Importance = widget.HighImportance
	closeBtn := widget.NewButton("关闭", func() { x.dlg.Hide() })
	form := formGrid(
		formRow{"格式", x.format, nil},
		formRow{"反馈文件", container.NewBorder(nil, nil, nil, x.browse, x.path), nil},
	)
	x.dlg = dialog.NewCustomWithoutButtons("导入平台反馈", container.NewVBox(form, x.msg, x.result), v.env.Window)
	x.dlg.SetButtons([]fyne.CanvasObject{closeBtn, x.importBtn})
	v.feedback = x
	x.dlg.Show()
	x.dlg.Resize(fyne.NewSize(680, x.dlg.MinSize().Height))
	focusIfShown(x.path)
}

func (x *cardFeedbackImport) chooseFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(x.v.env.Window, err)
			return
		}
		if rc != nil {
			x.path.SetText(rc.URI().Path())
			rc.Close()
		}
	}, x.v.env.Window)
	showFileDialog(d, x.v.env.Window)
}

// run reads the file, has the adapter parse it and applies the lines, all or nothing.
func (x *cardFeedbackImport) run() {
	setMsg(x.msg, "")
	x.result.Hide()
	env := x.v.env
	format := cardFormatCode(x.format.Selected)
	p := strings.TrimSpace(x.path.Text)
	fail := func(err error) { setMsg(x.msg, "未导入："+app.ErrorMessage(err)) }
	if p == "" {
		fail(app.Errorf(app.EINVALID, "请选择平台反馈文件"))
		return
	}
	b, err := readLimited(p, feedbackMaxSize)
	if err != nil {
		fail(err)
		return
	}
	if env.Services.Documents == nil {
		fail(app.Errorf(app.EINTERNAL, "本程序未接入平台反馈读取"))
		return
	}
	fb, err := env.Services.Documents.ReadCardFeedback(format, filepath.Base(p), b)
	if err != nil {
		fail(err)
		return
	}
	if len(fb) == 0 {
		fail(app.Errorf(app.EINVALID, "文件“%s”中没有个案卡的反馈", filepath.Base(p)))
		return
	}
	n, err := env.Services.Cards.ImportFeedback(env.Ctx, fb)
	if err != nil {
		fail(err)
		return
	}
	counts := map[app.CardStatus]int{}
	for _, f := range fb {
		counts[f.Status]++
	}
	var parts []string
	for _, st := range []app.CardStatus{app.CardReported, app.CardReturned, app.CardExported, app.CardPending} {
		if counts[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 张", st.Name(), counts[st]))
		}
	}
	x.result.SetText(fmt.Sprintf("已按平台反馈更新 %d 张个案卡（%s）。", n, strings.Join(parts, "，")))
	x.result.Importance = widget.SuccessImportance
	x.result.Show()
	x.v.reload()
}

// readLimited reads a file of at most max bytes.
func readLimited(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, app.Errorf(app.EINVALID, "文件“%s”不存在", p)
		}
		return nil, app.Errorf(app.EINVALID, "无法打开“%s”：%v", p, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "读取“%s”失败：%v", p, err)
	}
	if int64(len(b)) > max {
		return nil, app.Errorf(app.EINVALID, "文件“%s”太大（超过 %d MB），不像是平台反馈文件", p, max>>20)
	}
	return b, nil
}
