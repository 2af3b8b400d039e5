package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// showAttachments lists the contract's attachments with 打开 and 另存为.
func (f *contractForm) showAttachments() {
	var objs []fyne.CanvasObject
	if f.current == nil {
		l := widget.NewLabel("保存体检任务后可上传名单、检测报告等材料。")
		l.Importance = widget.LowImportance
		objs = append(objs, l)
	} else if len(f.current.Attachments) == 0 {
		l := widget.NewLabel("（无）")
		l.Importance = widget.LowImportance
		objs = append(objs, l)
	}
	if f.current != nil {
		for _, a := range f.current.Attachments {
			att := a
			l := widget.NewLabel(fmt.Sprintf("%s　%s　%s　%s", att.Name, att.Kind, sizeText(att.Size), formatDate(att.Added)))
			l.Truncation = fyne.TextTruncateEllipsis
			open := widget.NewButton("打开", func() { f.openAttachment(att, false) })
			saveAs := widget.NewButton("另存为…", func() { f.openAttachment(att, true) })
			objs = append(objs, container.NewBorder(nil, nil, nil, container.NewHBox(open, saveAs), l))
		}
	}
	f.attachments.Objects = objs
	f.attachments.Refresh()
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

func (f *contractForm) openAttachment(a app.Attachment, saveCopy bool) {
	b, err := f.env.Services.Contracts.Attachment(f.env.Ctx, a.SHA256)
	if err != nil {
		showError(f.env.Window, err)
		return
	}
	if saveCopy {
		saveAndOpen(f.env, a.Name, b, false, func(p string) { setNote(f.status, "已另存为 "+p) })
		return
	}
	openCopy(f.env, a.Name, b)
}

// attachmentMax bounds an uploaded file (the service refuses more than 50 MB).
const attachmentMax = 50 << 20

func (f *contractForm) chooseAttachment() {
	pickFile(f.env.Window, nil, attachmentMax, "体检任务附件", f.addAttachment)
}

// addAttachment stores a file for the contract shown.
func (f *contractForm) addAttachment(name string, data []byte) {
	if f.current == nil {
		return
	}
	if _, err := f.env.Services.Contracts.AddAttachment(f.env.Ctx, f.current.ID, name, f.attachKind.Selected, data); err != nil {
		showError(f.env.Window, err)
		return
	}
	// The attachment changed the contract's version: reload it, keeping any typed edits.
	c, err := f.env.Services.Contracts.FindContractByID(f.env.Ctx, f.current.ID)
	if err != nil {
		showError(f.env.Window, err)
		return
	}
	if f.dirty {
		// Keep the typed edits. The version moves on only when the upload alone changed
		// the contract; an edit made elsewhere meanwhile still makes the save a conflict.
		if c.Version == f.current.Version+1 {
			f.current.Version = c.Version
		}
		f.current.Attachments = c.Attachments
		f.showAttachments()
	} else {
		f.load(c)
	}
	setNote(f.status, "已上传附件“"+name+"”。")
}
