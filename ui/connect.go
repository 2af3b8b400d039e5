package ui

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// probeTimeout bounds one 测试连接: a server that does not answer within it is reported as
// unreachable.
const probeTimeout = 15 * time.Second

// connectPanel asks for a server's address, tests the connection (ServerConnector.Probe)
// and shows what the server says about itself — institution, version and its certificate
// fingerprint in groups — for the user to compare with the one shown on the server before
// pinning it. OnConfirm gets the server tested; it is offered only for a compatible server
// at the address still typed.
type connectPanel struct {
	win       fyne.Window
	connector app.ServerConnector
	OnConfirm func(app.ServerInfo)

	address  *widget.Entry
	addrMsg  *widget.Label
	test     *widget.Button
	confirm  *widget.Button
	status   *widget.Label // 正在连接…, or why the test failed
	details  *fyne.Container
	inst     *widget.Label
	version  *widget.Label
	finger   *widget.Label
	compare  *widget.Label
	probed   *app.ServerInfo // the compatible server last tested at the address typed
	probeGen int             // increases with each test, so a late answer to an old one is dropped
	wg       sync.WaitGroup  // the test running (tests wait for it)
}

func newConnectPanel(win fyne.Window, connector app.ServerConnector, address string) *connectPanel {
	p := &connectPanel{win: win, connector: connector}
	p.address = widget.NewEntry()
	p.address.SetPlaceHolder("服务器地址和端口，如 192.168.1.10:8443")
	p.address.SetText(address)
	p.addrMsg = newMsg()
	p.address.OnChanged = func(string) {
		// A pin applies only to the server tested: a changed address needs a new test.
		p.probed = nil
		p.confirm.Disable()
		setMsg(p.addrMsg, "")
	}
	// An address is typed without an input method: Enter tests it.
	p.address.OnSubmitted = func(string) { p.runTest() }
	p.test = widget.NewButton("测试连接", p.runTest)
	p.confirm = widget.NewButton("确认并连接", func() {
		if p.probed != nil && p.OnConfirm != nil {
			p.OnConfirm(*p.probed)
		}
	})
	p.confirm.Importance = widget.HighImportance
	p.confirm.Disable()
	p.status = newMsg()
	p.inst, p.version = widget.NewLabel(""), widget.NewLabel("")
	p.finger = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true, Bold: true})
	p.finger.Wrapping = fyne.TextWrapWord
	p.compare = widget.NewLabel("请到服务器上查看它显示的证书指纹（服务器启动时显示，或在服务器上运行 occhealth serve --fingerprint），" +
		"逐组核对与上面的完全一致后，再点“确认并连接”。不一致时不要连接：可能有人冒充服务器。")
	p.compare.Wrapping = fyne.TextWrapWord
	p.details = container.NewVBox(formGrid(
		formRow{"机构", p.inst, nil},
		formRow{"服务器版本", p.version, nil},
		formRow{"证书指纹", p.finger, nil},
	), p.compare)
	p.details.Hide()
	if connector == nil {
		p.address.Disable()
		p.test.Disable()
		setMsg(p.status, "本程序没有联网功能，只能单机使用。")
	}
	return p
}

func (p *connectPanel) content() fyne.CanvasObject {
	return container.NewVBox(
		formGrid(formRow{"服务器地址", p.address, p.addrMsg}),
		container.NewHBox(p.test, p.confirm),
		p.status,
		p.details,
	)
}

// addressProblem says what is wrong with a server address typed, or "".
func addressProblem(s string) string {
	if s == "" {
		return "请输入服务器地址和端口，如 192.168.1.10:8443"
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return "地址应为“服务器名或 IP 地址:端口”，如 192.168.1.10:8443（已输入“" + s + "”）"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "端口应为 1–65535 之间的数字（已输入“" + port + "”）"
	}
	return ""
}

// cleanAddress trims an address typed and turns full-width digits and colons to ASCII.
func cleanAddress(s string) string { return strings.TrimSpace(app.HalfWidth(s)) }

// runTest probes the address typed in the background and shows the answer.
func (p *connectPanel) runTest() {
	if p.connector == nil {
		return
	}
	addr := cleanAddress(p.address.Text)
	if addr != p.address.Text {
		p.address.SetText(addr) // full-width digits from an input method, as the server reads them
	}
	if m := addressProblem(addr); m != "" {
		setMsg(p.addrMsg, m)
		return
	}
	setMsg(p.addrMsg, "")
	p.probed = nil
	p.probeGen++
	gen := p.probeGen
	p.confirm.Disable()
	p.details.Hide()
	setNote(p.status, "正在连接服务器 "+addr+" …")
	p.wg.Add(1)
	connector := p.connector
	go func() {
		defer p.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
		defer cancel()
		info, err := connector.Probe(ctx, addr)
		fyne.Do(func() {
			if gen != p.probeGen {
				return
			}
			p.showProbe(addr, info, err)
		})
	}()
}

// showProbe shows the answer of a test of addr.
func (p *connectPanel) showProbe(addr string, info app.ServerInfo, err error) {
	if err != nil {
		p.details.Hide()
		setMsg(p.status, unreachableMessage(addr, err))
		return
	}
	if info.Address == "" {
		info.Address = addr
	}
	p.inst.SetText(info.Institution)
	if info.Institution == "" {
		p.inst.SetText("（服务器上的档案尚未设置）")
	}
	p.version.SetText(info.Version)
	p.finger.SetText(info.Fingerprint)
	p.details.Show()
	if !info.Compatible {
		msg := info.Message
		if msg == "" {
			msg = "本程序与服务器的版本不一致，不能连接。"
		}
		setMsg(p.status, msg+upgradeHint(msg))
		p.compare.Hide()
		return
	}
	p.compare.Show()
	note := "已连接到服务器 " + addr + "。请核对证书指纹。"
	if info.Message != "" {
		note += "\n" + info.Message // e.g. the server's archive is not set up yet
	}
	setNote(p.status, note)
	p.probed = &info
	p.confirm.Enable()
}

// wait waits for the test running, if any (tests).
func (p *connectPanel) wait() { p.wg.Wait() }

// unreachableMessage says in Chinese that the server at addr could not be reached, naming
// the address even where the error does not.
func unreachableMessage(addr string, err error) string {
	msg := app.ErrorMessage(err)
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "服务器 " + addr + " 在 " + strconv.Itoa(int(probeTimeout/time.Second)) + " 秒内没有响应"
	}
	if _, ok := err.(*app.Error); !ok || !strings.Contains(msg, addr) {
		msg = "无法连接服务器 " + addr + "：" + msg
	}
	if strings.Contains(msg, "防火墙") {
		return msg // the connector already says what to check
	}
	return msg + "\n请核对地址和端口，确认服务器已开机、occhealth serve 正在运行、防火墙允许该端口。"
}

// upgradeHint is the instruction to upgrade appended to a version message that lacks one.
func upgradeHint(msg string) string {
	if strings.Contains(msg, "升级") || strings.Contains(msg, "安装") {
		return ""
	}
	return "\n请安装与服务器相同版本的程序（向管理员索取安装程序）后再连接。"
}

// sameFingerprint compares two fingerprints ignoring grouping and case.
func sameFingerprint(a, b string) bool {
	norm := func(s string) string {
		return strings.ToUpper(strings.NewReplacer(" ", "", ":", "", "\u00a0", "").Replace(strings.TrimSpace(s)))
	}
	return norm(a) != "" && norm(a) == norm(b)
}
