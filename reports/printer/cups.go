//go:build !windows

package printer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
)

// CUPS prints through the CUPS command-line tools: `lpstat` lists the queues, `lp` takes the
// PDF on its standard input. Every command runs with a timeout, so that a hung scheduler
// gives an error rather than a hung screen.
type CUPS struct {
	// LP and LPStat are the commands ("lp" and "lpstat" from PATH when empty).
	LP, LPStat string
	// Timeout bounds each command (30 s when zero).
	Timeout time.Duration
	// Env is added to the commands' environment (e.g. CUPS_SERVER in tests).
	Env []string
}

// New returns the spooler of this platform: CUPS.
func New() app.PrintSpooler { return &CUPS{} }

var _ app.PrintSpooler = (*CUPS)(nil)

func (c *CUPS) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 30 * time.Second
}

// sendTimeout bounds `lp` with a PDF of n bytes: the base timeout and a second per MB (a
// batch of a thousand reports is tens of MB).
func (c *CUPS) sendTimeout(n int) time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 30*time.Second + time.Duration(n>>20)*time.Second
}

// run runs a CUPS tool in the C locale (its messages are parsed, and lpstat translates its
// words) and returns its standard output and error.
func (c *CUPS) run(name string, stdin []byte, args ...string) (string, string, error) {
	limit := c.timeout()
	if stdin != nil {
		limit = c.sendTimeout(len(stdin))
	}
	if _, err := exec.LookPath(name); err != nil {
		return "", "", app.Errorf(app.EINVALID, "本机没有安装 CUPS 打印系统（找不到 %s 命令）：请安装 cups 后再打印，或先“另存为 PDF”", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C", "LANGUAGE=")
	cmd.Env = append(cmd.Env, c.Env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return out.String(), errb.String(), app.Errorf(app.EINTERNAL, "打印系统 %.0f 秒内没有响应（%s）：请检查 CUPS 是否正常运行", limit.Seconds(), name)
	}
	return out.String(), errb.String(), err
}

func (c *CUPS) lpstat() string {
	if c.LPStat != "" {
		return c.LPStat
	}
	return "lpstat"
}

func (c *CUPS) lp() string {
	if c.LP != "" {
		return c.LP
	}
	return "lp"
}

// running reports whether the CUPS scheduler answers.
func (c *CUPS) running() bool {
	out, _, err := c.run(c.lpstat(), nil, "-r")
	return err == nil && strings.Contains(out, "scheduler is running")
}

// Printers lists the queues with their description and location, the default one marked.
func (c *CUPS) Printers() ([]app.Printer, error) {
	out, stderr, err := c.run(c.lpstat(), nil, "-l", "-p", "-d")
	var ae *app.Error
	if errors.As(err, &ae) {
		return nil, err
	}
	if strings.Contains(stderr, "Scheduler is not running") || (err != nil && !c.running()) {
		return nil, errNotRunning()
	}
	list := parseLpstat(out)
	if err != nil && len(list) == 0 && !strings.Contains(stderr, "No destinations") {
		return nil, app.Errorf(app.EINTERNAL, "无法读取打印机列表：%s", strings.TrimSpace(stderr))
	}
	return list, nil
}

func errNotRunning() error {
	return app.Errorf(app.EINVALID, "CUPS 未运行：打印服务没有启动（请管理员启动 cups 服务），或先“另存为 PDF”")
}

// parseLpstat reads `lpstat -l -p -d` in the C locale.
func parseLpstat(out string) []app.Printer {
	var list []app.Printer
	def := ""
	var desc, loc string
	flush := func() {
		if len(list) == 0 {
			return
		}
		p := &list[len(list)-1]
		var info []string
		if desc != "" && desc != p.Name {
			info = append(info, desc)
		}
		if loc != "" {
			info = append(info, loc)
		}
		if p.Info != "" {
			info = append(info, p.Info)
		}
		p.Info = strings.Join(info, "，")
		desc, loc = "", ""
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "printer "):
			flush()
			rest := strings.TrimPrefix(line, "printer ")
			name, state, _ := strings.Cut(rest, " ")
			p := app.Printer{Name: name}
			if strings.HasPrefix(state, "disabled") {
				p.Info = "已停用"
			}
			list = append(list, p)
		case strings.HasPrefix(line, "\tDescription:"):
			desc = strings.TrimSpace(strings.TrimPrefix(line, "\tDescription:"))
		case strings.HasPrefix(line, "\tLocation:"):
			loc = strings.TrimSpace(strings.TrimPrefix(line, "\tLocation:"))
		case strings.HasPrefix(line, "system default destination:"):
			def = strings.TrimSpace(strings.TrimPrefix(line, "system default destination:"))
		}
	}
	flush()
	for i := range list {
		list[i].Default = list[i].Name == def
	}
	return list
}

// Print sends the PDF to the queue (the default queue when job.Printer is ""): copies are
// collated (each copy complete, so a report's pages stay together), duplex binds on the
// long edge.
func (c *CUPS) Print(job app.PrintJob) error {
	if err := check(&job); err != nil {
		return err
	}
	args := []string{}
	if job.Printer != "" {
		args = append(args, "-d", job.Printer)
	}
	sides := "one-sided"
	if job.Duplex {
		sides = "two-sided-long-edge"
	}
	args = append(args, "-n", strconv.Itoa(job.Copies), "-o", "collate=true", "-o", "sides="+sides)
	if t := strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, job.Title); t != "" {
		args = append(args, "-t", t)
	}
	args = append(args, "-")
	_, stderr, err := c.run(c.lp(), job.PDF, args...)
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	if !c.running() {
		return errNotRunning()
	}
	msg := strings.TrimSpace(stderr)
	switch {
	case strings.Contains(msg, "does not exist"):
		if job.Printer == "" {
			return app.Errorf(app.ENOTFOUND, "没有设置默认打印机：请选择一台打印机")
		}
		return app.Errorf(app.ENOTFOUND, "打印机“%s”不存在", job.Printer)
	case strings.Contains(msg, "No default destination"):
		return app.Errorf(app.ENOTFOUND, "没有设置默认打印机：请选择一台打印机")
	case strings.Contains(msg, "not accepting jobs"):
		return app.Errorf(app.EINVALID, "打印机“%s”暂停接收作业：请在打印机管理中恢复", job.Printer)
	}
	return app.Errorf(app.EINTERNAL, "打印失败：%s", msg)
}
