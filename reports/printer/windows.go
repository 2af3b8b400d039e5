//go:build windows

package printer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"occhealth/app"
)

// Windows prints through the system's print path. Windows has no PDF printing of its own, so
// a PDF reader prints the file:
//
//   - SumatraPDF, when found (next to occhealth.exe, in its App Paths registration, or in
//     its usual install folders): `-print-to PRINTER -print-settings "Nx,duplexlong" -silent`,
//     which honours copies and duplex and ends when the job is spooled;
//   - otherwise the "printto" verb of whatever reader is registered for .pdf (Adobe Reader,
//     Foxit …), once per copy; duplex then depends on the printer's own settings, so a job
//     asking for it is refused with a message saying how to get it.
//
// Printers come from winspool (EnumPrinters, GetDefaultPrinter). Not tested automatically:
// see docs/windows-acceptance.md.
type Windows struct {
	// Viewer is the SumatraPDF.exe to use ("" looks for one).
	Viewer string
	// Timeout bounds one SumatraPDF run (120 s when zero).
	Timeout time.Duration
}

// New returns the spooler of this platform.
func New() app.PrintSpooler { return &Windows{} }

var _ app.PrintSpooler = (*Windows)(nil)

var (
	winspool              = windows.NewLazySystemDLL("winspool.drv")
	procEnumPrinters      = winspool.NewProc("EnumPrintersW")
	procGetDefaultPrinter = winspool.NewProc("GetDefaultPrinterW")
)

const (
	printerEnumLocal       = 0x2
	printerEnumConnections = 0x4

	printerStatusPaused  = 0x1
	printerStatusError   = 0x2
	printerStatusOffline = 0x80
	printerAttrOffline   = 0x400
)

// printerInfo2 is PRINTER_INFO_2W.
type printerInfo2 struct {
	ServerName, PrinterName, ShareName, PortName, DriverName, Comment, Location *uint16
	DevMode                                                                     uintptr
	SepFile, PrintProcessor, Datatype, Parameters                               *uint16
	SecurityDescriptor                                                          uintptr
	Attributes, Priority, DefaultPriority, StartTime, UntilTime, Status, Jobs   uint32
	AveragePPM                                                                  uint32
}

func defaultPrinter() string {
	var n uint32
	procGetDefaultPrinter.Call(0, uintptr(unsafe.Pointer(&n)))
	if n == 0 {
		return ""
	}
	buf := make([]uint16, n)
	if r, _, _ := procGetDefaultPrinter.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n))); r == 0 {
		return ""
	}
	return windows.UTF16ToString(buf)
}

// Printers lists the local and connected printers, the user's default marked.
func (w *Windows) Printers() ([]app.Printer, error) {
	if err := procEnumPrinters.Find(); err != nil {
		return nil, app.Errorf(app.EINTERNAL, "无法读取打印机列表（winspool.drv 不可用）")
	}
	flags := uintptr(printerEnumLocal | printerEnumConnections)
	var needed, returned uint32
	procEnumPrinters.Call(flags, 0, 2, 0, 0, uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&returned)))
	if needed == 0 {
		return nil, nil
	}
	buf := make([]byte, needed)
	r, _, e := procEnumPrinters.Call(flags, 0, 2, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed),
		uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&returned)))
	if r == 0 {
		return nil, app.Errorf(app.EINTERNAL, "无法读取打印机列表：%v", e)
	}
	def := defaultPrinter()
	infos := unsafe.Slice((*printerInfo2)(unsafe.Pointer(&buf[0])), returned)
	list := make([]app.Printer, 0, returned)
	for _, in := range infos {
		p := app.Printer{Name: windows.UTF16PtrToString(in.PrinterName)}
		var info []string
		for _, s := range []*uint16{in.DriverName, in.Location, in.Comment} {
			if t := strings.TrimSpace(windows.UTF16PtrToString(s)); t != "" {
				info = append(info, t)
			}
		}
		switch {
		case in.Status&printerStatusOffline != 0 || in.Attributes&printerAttrOffline != 0:
			info = append(info, "脱机")
		case in.Status&printerStatusPaused != 0:
			info = append(info, "已暂停")
		case in.Status&printerStatusError != 0:
			info = append(info, "故障")
		}
		p.Info = strings.Join(info, "，")
		p.Default = p.Name == def
		list = append(list, p)
	}
	runtime.KeepAlive(buf)
	return list, nil
}

// Print writes the PDF to a temporary file and has a PDF reader print it.
func (w *Windows) Print(job app.PrintJob) error {
	if err := check(&job); err != nil {
		return err
	}
	list, err := w.Printers()
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return app.Errorf(app.ENOTFOUND, "本机没有安装打印机：请在 Windows“设置 → 打印机和扫描仪”中添加，或先“另存为 PDF”")
	}
	name := job.Printer
	if name == "" {
		for _, p := range list {
			if p.Default {
				name = p.Name
			}
		}
		if name == "" {
			return app.Errorf(app.ENOTFOUND, "没有设置默认打印机：请选择一台打印机")
		}
	} else {
		found := false
		for _, p := range list {
			found = found || strings.EqualFold(p.Name, name)
		}
		if !found {
			return app.Errorf(app.ENOTFOUND, "打印机“%s”不存在", name)
		}
	}
	file, err := tempPDF(job)
	if err != nil {
		return err
	}
	if viewer := w.sumatra(); viewer != "" {
		defer os.Remove(file)
		return w.printSumatra(viewer, name, file, job)
	}
	if job.Duplex {
		os.Remove(file)
		return app.Errorf(app.EINVALID, "双面打印需要 SumatraPDF（把 SumatraPDF.exe 放在程序文件夹中即可）；"+
			"或在打印机首选项中设为双面，取消“双面”后再打印")
	}
	verb, _ := windows.UTF16PtrFromString("printto")
	f, _ := windows.UTF16PtrFromString(file)
	arg, _ := windows.UTF16PtrFromString(`"` + name + `"`)
	for i := 0; i < job.Copies; i++ {
		if err := windows.ShellExecute(0, verb, f, arg, nil, windows.SW_HIDE); err != nil {
			// The file stays for the reader that may still be reading it; tempPDF clears
			// old files on the next print.
			if errors.Is(err, syscall.Errno(31)) || errors.Is(err, windows.ERROR_NO_ASSOCIATION) {
				return app.Errorf(app.EINVALID, "本机没有能打印 PDF 的阅读器：请安装 SumatraPDF（或放在程序文件夹中）、Adobe Reader 或福昕阅读器，或先“另存为 PDF”后再打印")
			}
			return app.Errorf(app.EINTERNAL, "打印失败：%v", err)
		}
	}
	return nil
}

// tempPDF writes the job to %TEMP%\occhealth-print, removing files there older than an hour
// (a reader started by "printto" may read its file after Print returns).
func tempPDF(job app.PrintJob) (string, error) {
	dir := filepath.Join(os.TempDir(), "occhealth-print")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", app.Errorf(app.EINTERNAL, "无法创建临时文件夹：%v", err)
	}
	if old, err := os.ReadDir(dir); err == nil {
		for _, e := range old {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	title := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, job.Title)
	if len([]rune(title)) > 60 {
		title = string([]rune(title)[:60])
	}
	if title == "" {
		title = "occhealth"
	}
	name := filepath.Join(dir, fmt.Sprintf("%s-%d.pdf", title, time.Now().UnixNano()))
	if err := os.WriteFile(name, job.PDF, 0o600); err != nil {
		return "", app.Errorf(app.EINTERNAL, "无法写入临时文件：%v", err)
	}
	return name, nil
}

// sumatra finds SumatraPDF.exe.
func (w *Windows) sumatra() string {
	if w.Viewer != "" {
		return w.Viewer
	}
	var cands []string
	if exe, err := os.Executable(); err == nil {
		cands = append(cands, filepath.Join(filepath.Dir(exe), "SumatraPDF.exe"))
	}
	for _, root := range []registry.Key{registry.CURRENT_USER, registry.LOCAL_MACHINE} {
		k, err := registry.OpenKey(root, `SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\SumatraPDF.exe`, registry.QUERY_VALUE)
		if err == nil {
			if v, _, err := k.GetStringValue(""); err == nil {
				cands = append(cands, strings.Trim(v, `"`))
			}
			k.Close()
		}
	}
	for _, env := range []string{"LOCALAPPDATA", "ProgramFiles", "ProgramFiles(x86)"} {
		if d := os.Getenv(env); d != "" {
			cands = append(cands, filepath.Join(d, "SumatraPDF", "SumatraPDF.exe"))
		}
	}
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c
		}
	}
	return ""
}

func (w *Windows) printSumatra(viewer, printer, file string, job app.PrintJob) error {
	timeout := w.Timeout
	if timeout == 0 {
		timeout = 120 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	settings := strconv.Itoa(job.Copies) + "x,simplex"
	if job.Duplex {
		settings = strconv.Itoa(job.Copies) + "x,duplexlong"
	}
	cmd := exec.CommandContext(ctx, viewer, "-print-to", printer, "-print-settings", settings, "-silent", "-exit-when-done", file)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true}
	out, err := cmd.CombinedOutput()
	if ctx.Err() == context.DeadlineExceeded {
		return app.Errorf(app.EINTERNAL, "打印程序 %.0f 秒内没有完成：请检查打印机“%s”", timeout.Seconds(), printer)
	}
	if err != nil {
		return app.Errorf(app.EINTERNAL, "打印失败（SumatraPDF）：%v %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
