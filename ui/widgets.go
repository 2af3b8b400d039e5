package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newMsg returns the label that shows a field's validation message under it. It takes no
// space while empty.
func newMsg() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// setMsg shows text in l as an error (or hides l when text is "").
func setMsg(l *widget.Label, text string) { setMsgAs(l, text, widget.DangerImportance) }

// setNote shows text in l as a neutral remark (derived values, hints).
func setNote(l *widget.Label, text string) { setMsgAs(l, text, widget.MediumImportance) }

// setWarn shows text in l as a warning that does not stop saving.
func setWarn(l *widget.Label, text string) { setMsgAs(l, text, widget.WarningImportance) }

func setMsgAs(l *widget.Label, text string, imp widget.Importance) {
	if text == "" {
		l.SetText("")
		l.Hide()
		return
	}
	l.Importance = imp
	l.SetText(text)
	l.Show()
}

// formRow is one label and its field, with the message label under the field.
type formRow struct {
	label string
	field fyne.CanvasObject
	msg   *widget.Label // may be nil
}

// formGrid lays rows out as a two-column form: labels right of a fixed column, fields with
// their messages beside them.
func formGrid(rows ...formRow) *fyne.Container {
	objs := make([]fyne.CanvasObject, 0, 2*len(rows))
	for _, r := range rows {
		lbl := widget.NewLabelWithStyle(r.label, fyne.TextAlignTrailing, fyne.TextStyle{})
		var f fyne.CanvasObject = r.field
		if r.msg != nil {
			f = container.NewVBox(r.field, r.msg)
		}
		objs = append(objs, lbl, f)
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// heading returns a section heading.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// minWidth lays its objects out with at least a given width, so entries in a row of a table
// do not shrink to nothing.
type minWidth float32

func (m minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(float32(m), 0)
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

func (m minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// withWidth wraps o so that it is at least w wide.
func withWidth(w float32, o fyne.CanvasObject) *fyne.Container {
	return container.New(minWidth(w), o)
}

// searchEntry is a search box: ↓ hands the keyboard to the result list.
type searchEntry struct {
	widget.Entry
	onDown func()
}

func newSearchEntry(placeholder string) *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyDown && e.onDown != nil {
		e.onDown()
		return
	}
	e.Entry.TypedKey(k)
}

// keyList is a virtual list that also opens the row under the keyboard cursor with Enter
// (widget.List does it with Space only). A list takes no text, so Enter is safe here.
type keyList struct {
	widget.List
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

func (l *keyList) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
		k = &fyne.KeyEvent{Name: fyne.KeySpace}
	}
	l.List.TypedKey(k)
}

// focusIfShown focuses f when it is on a canvas (not while a screen is being built).
func focusIfShown(f fyne.Focusable) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.(fyne.CanvasObject)); c != nil {
		c.Focus(f)
	}
}

// confirmDiscard asks whether to drop a form's unsaved changes, then runs next, or kept
// when the user keeps them.
func confirmDiscard(win fyne.Window, next func(), kept ...func()) {
	dialog.ShowCustomConfirm("放弃修改？", "放弃修改", "继续编辑",
		widget.NewLabel("当前表单有未保存的修改。放弃这些修改吗？"), func(ok bool) {
			if ok {
				next()
				return
			}
			for _, k := range kept {
				k()
			}
		}, win)
}

// enterMovesOn makes Enter in each entry move to the next field, like Tab. Only for fields
// typed without an input method (numbers, codes, dates): X11 input methods pass the Enter
// that commits a composition through to the entry (TECH.md), which would jump mid-word.
func enterMovesOn(entries ...*widget.Entry) {
	for _, e := range entries {
		prev := e.OnSubmitted
		e.OnSubmitted = func(s string) {
			if prev != nil {
				prev(s)
			}
			if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
				c.FocusNext()
			}
		}
	}
}
