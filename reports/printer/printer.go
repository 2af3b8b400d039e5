// Package printer sends PDFs to printers: CUPS (`lp`, `lpstat`) on Linux and other Unix
// systems, the system's print path on Windows. Both implement app.PrintSpooler; New returns
// the one of the platform.
package printer

import (
	"bytes"
	"strings"
	"sync"

	"occhealth/app"
)

// MaxCopies is the most copies one job may ask for (a typo of 200 for 2 should not empty the
// paper store).
const MaxCopies = app.MaxPrintCopies

// check refuses a job that cannot be printed, in words a clerk understands.
func check(job *app.PrintJob) error {
	if len(job.PDF) == 0 {
		return app.Errorf(app.EINVALID, "没有可打印的内容（文件为空）")
	}
	if !bytes.HasPrefix(job.PDF, []byte("%PDF-")) {
		return app.Errorf(app.EINVALID, "打印内容不是 PDF 文件")
	}
	if job.Copies == 0 {
		job.Copies = 1
	}
	if job.Copies < 1 || job.Copies > MaxCopies {
		return app.FieldError("份数", "应为 1 到 %d，现为 %d", MaxCopies, job.Copies)
	}
	if strings.ContainsAny(job.Printer, "\x00\n\r") {
		return app.FieldError("打印机", "名称含有不可用的字符")
	}
	return nil
}

// Recorder is a spooler that prints nothing and keeps the jobs it was given: for tests and
// for demonstrations on a machine without printers.
type Recorder struct {
	mu   sync.Mutex
	List []app.Printer
	Jobs []app.PrintJob
	// Fail, when set, is returned by Print (and the job is not kept).
	Fail error
}

// Printers returns the configured list.
func (r *Recorder) Printers() ([]app.Printer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]app.Printer(nil), r.List...), nil
}

// Print keeps the job after the same checks as a real spooler.
func (r *Recorder) Print(job app.PrintJob) error {
	if err := check(&job); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Fail != nil {
		return r.Fail
	}
	if job.Printer != "" && len(r.List) > 0 {
		found := false
		for _, p := range r.List {
			found = found || p.Name == job.Printer
		}
		if !found {
			return app.Errorf(app.ENOTFOUND, "打印机“%s”不存在", job.Printer)
		}
	}
	r.Jobs = append(r.Jobs, job)
	return nil
}

// Printed returns a copy of the jobs kept so far.
func (r *Recorder) Printed() []app.PrintJob {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]app.PrintJob(nil), r.Jobs...)
}

var _ app.PrintSpooler = (*Recorder)(nil)
