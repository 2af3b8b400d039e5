package ui

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// offlineBanner is what the window says while the link to the server is down.
const offlineBanner = "与服务器的连接中断，正在重试…（您输入的内容不会丢失）"

// connBar shows the state of the link to the server in 联网 mode: a status line (已连接
// 服务器地址) at the bottom of the login screen and the shell, and a red banner over the
// screen while the link is down. It follows Connection.Watch from its creation until stop.
type connBar struct {
	addr   string
	status *widget.Label
	banner *fyne.Container
	online bool
	cancel context.CancelFunc
	// seen gets a value after each state from the watch is shown (tests wait on it).
	seen chan struct{}
}

// newConnBar watches c (nil: a bar that always says connected, for a connector without a
// Connection).
func newConnBar(c app.Connection, addr string) *connBar {
	b := &connBar{addr: addr, online: true, seen: make(chan struct{}, 64)}
	b.status = widget.NewLabel("")
	b.status.Truncation = fyne.TextTruncateEllipsis
	text := canvas.NewText(offlineBanner, color.White)
	text.TextStyle.Bold = true
	text.TextSize = theme.TextSize() * 1.15
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameError))
	b.banner = container.NewStack(bg, container.NewPadded(container.NewVBox(container.NewCenter(text))))
	b.banner.Hide()
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	if c != nil {
		b.apply(c.State())
		ch := c.Watch(ctx)
		go func() {
			for st := range ch {
				fyne.Do(func() {
					if ctx.Err() == nil {
						b.apply(st)
					}
				})
				select {
				case b.seen <- struct{}{}:
				default:
				}
			}
		}()
	} else {
		b.apply(app.ConnectionState{Online: true, Address: addr})
	}
	return b
}

// apply shows a state.
func (b *connBar) apply(st app.ConnectionState) {
	b.online = st.Online
	addr := st.Address
	if addr == "" {
		addr = b.addr
	}
	if st.Online {
		b.status.Importance = widget.SuccessImportance
		b.status.SetText("联网 · 已连接 " + addr)
		b.banner.Hide()
		return
	}
	msg := "联网 · 连接中断 " + addr
	if st.Message != "" {
		msg += "：" + st.Message
	}
	if !st.Since.IsZero() {
		msg += "（自 " + st.Since.Local().Format("15:04:05") + " 起）"
	}
	b.status.Importance = widget.DangerImportance
	b.status.SetText(msg)
	b.banner.Show()
}

// stop ends the watch.
func (b *connBar) stop() { b.cancel() }

// bottom is the status line with a separator above it.
func (b *connBar) bottom() fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), b.status)
}
