package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// formFrame is a record form's scrolling body and, in its place, the hint shown to a user who
// may only look records up and has not chosen one yet (instead of an empty disabled form).
type formFrame struct {
	body *container.Scroll
	hint *widget.Label
}

// frame builds the form's content: the top bar over the body, or over the hint.
func (fr *formFrame) frame(top, body fyne.CanvasObject, hint string, show bool) fyne.CanvasObject {
	fr.body = container.NewVScroll(container.NewPadded(body))
	fr.hint = widget.NewLabel(hint)
	fr.showBody(show)
	return container.NewBorder(top, nil, nil, nil, container.NewStack(fr.body, container.NewCenter(fr.hint)))
}

// showBody shows the form, or the hint.
func (fr *formFrame) showBody(show bool) {
	if fr.body == nil {
		return
	}
	if show {
		fr.body.Show()
		fr.hint.Hide()
	} else {
		fr.body.Hide()
		fr.hint.Show()
	}
}
