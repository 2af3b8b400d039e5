package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// Live worklists: while a worklist screen is shown it listens to the change notices of
// Services.Changes (commits of this program and, in 联网 mode, of every workstation) and
// reads its list again when records of a kind it shows were written. Each screen adds one
// line, env.live(v.refresh, kinds...); the subscription ends with Env.ScreenCtx, when the
// shell shows another screen or the user logs out.

// liveDelay is how long a worklist waits after the first notice of a burst before it reads
// again, so that a burst of commits (a roster import, another workstation saving a page of
// results) costs one query.
const liveDelay = 300 * time.Millisecond

// live runs refresh on the UI thread after a change notice of one of kinds (or ChangeAll,
// sent when notices were lost) arrives while the screen is shown, at most once per
// liveDelay. refresh must keep what the user is doing: the selection where the record is
// still listed, and any form being edited untouched. Without a change feed or outside the
// shell it does nothing.
func (e *Env) live(refresh func(), kinds ...string) {
	ctx := e.ScreenCtx
	if e.Services.Changes == nil || ctx == nil || ctx.Err() != nil {
		return
	}
	ch := e.Services.Changes.Subscribe(ctx)
	go func() {
		fire := make(chan struct{}, 1)
		var timer *time.Timer
		var seen chan struct{}
		defer func() {
			if timer != nil {
				timer.Stop()
			}
		}()
		for {
			select {
			case c, ok := <-ch:
				if !ok {
					return
				}
				if c.Kind != app.ChangeAll && !slices.Contains(kinds, c.Kind) {
					continue
				}
				seen = e.liveSeen
				if timer == nil {
					timer = time.AfterFunc(liveDelay, func() {
						select {
						case fire <- struct{}{}:
						default:
						}
					})
				}
			case <-fire:
				timer = nil
				fyne.Do(func() {
					if ctx.Err() == nil {
						e.keepFocus(refresh)
					}
				})
				if seen != nil {
					select {
					case seen <- struct{}{}:
					default:
					}
				}
			case <-ctx.Done():
				return
			}
		}
	}()
}

// keepFocus runs f and gives the keyboard focus back to the field that had it, so that a
// refresh that selects a row again does not pull the cursor out of the field being typed in.
func (e *Env) keepFocus(f func()) {
	if e.Window == nil {
		f()
		return
	}
	c := e.Window.Canvas()
	had := c.Focused()
	f()
	if had == nil || c.Focused() == had {
		return
	}
	if o, ok := had.(fyne.CanvasObject); ok && fyne.CurrentApp().Driver().CanvasForObject(o) == c {
		c.Focus(had) // still on the screen: the refresh only moved the focus away
	}
}

// reselect selects item i of l without running its OnSelected (which would open the record
// again over a form being edited), or clears the selection when i < 0. A live refresh uses
// it to keep the row the user chose.
func reselect(l *widget.List, i int) {
	on, off := l.OnSelected, l.OnUnselected
	l.OnSelected, l.OnUnselected = nil, nil
	if i >= 0 {
		l.Select(i)
	} else {
		l.UnselectAll()
	}
	l.OnSelected, l.OnUnselected = on, off
}

// indexOfID returns the index of the first item with id, or -1.
func indexOfID[T any](items []T, id int64, idOf func(T) int64) int {
	for i, x := range items {
		if idOf(x) == id {
			return i
		}
	}
	return -1
}
