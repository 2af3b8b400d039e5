package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/demo"
	"occhealth/reports/printer"
)

// TestCmdPrint batch-prints a demo contract's documents from the command line to a recording
// spooler: the jobs carry the printer, copies and duplex, the print log has them, a second
// run is logged as reprints; --save-dir writes PDFs instead; an unknown printer and a bad
// document name are refused.
func TestCmdPrint(t *testing.T) {
	_, path, pw := demoArchive(t, demo.Options{Workers: 60, Seed: 3}) // seed 3: HT2026-0001 has an exam that calls for a notice
	rec := &printer.Recorder{List: []app.Printer{{Name: "体检科打印机", Default: true}, {Name: "HP"}}}
	old := newSpooler
	newSpooler = func() app.PrintSpooler { return rec }
	defer func() { newSpooler = old }()
	common := []string{"--db", path, "--user", "dengji", "--password-file", pw}
	const contract = "HT2026-0001"

	if code := cmdPrint([]string{"--list-printers"}); code != exitOK {
		t.Errorf("--list-printers: exit %d", code)
	}
	args := append([]string{"--contract", contract, "--docs", "report,notice,summary", "--copies", "2", "--duplex", "--printer", "HP"}, common...)
	if code := cmdPrint(args); code != exitOK {
		t.Fatalf("print: exit %d", code)
	}
	jobs := rec.Printed()
	if len(jobs) < 3 {
		t.Fatalf("%d jobs", len(jobs))
	}
	for _, j := range jobs {
		if j.Printer != "HP" || !j.Duplex || !bytes.HasPrefix(j.PDF, []byte("%PDF")) {
			t.Errorf("job %q: printer %q duplex %v", j.Title, j.Printer, j.Duplex)
		}
		if strings.HasPrefix(j.Title, "总结报告") != (j.Copies == 2) {
			t.Errorf("job %q: %d copies (the summary prints 2, a report its labelled copies once)", j.Title, j.Copies)
		}
	}
	if code := cmdPrint(args); code != exitOK {
		t.Fatalf("second print: exit %d", code)
	}
	if got := len(rec.Printed()); got != 2*len(jobs) {
		t.Errorf("%d jobs after the second run, want %d", got, 2*len(jobs))
	}

	a, ctx, err := login(&globals{db: path, user: "dengji", passwordFile: pw})
	if err != nil {
		t.Fatal(err)
	}
	cid, err := findContract(a, ctx, contract)
	if err != nil {
		t.Fatal(err)
	}
	log, err := a.svc.PrintLog.FindPrints(ctx, cid, 0)
	a.db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 6 {
		t.Fatalf("print log: %d lines, want 6 (reports, notices, summary, twice)", len(log))
	}
	for i, r := range log {
		if r.Reprint != (i < 3) || r.User != "dengji" || r.Printer != "HP" || r.Pages == 0 {
			t.Errorf("log %d: %+v", i, r)
		}
	}

	out := t.TempDir()
	if code := cmdPrint(append([]string{"--contract", contract, "--docs", "summary", "--save-dir", out}, common...)); code != exitOK {
		t.Fatalf("--save-dir: exit %d", code)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	if len(files) != 1 || !strings.Contains(filepath.Base(files[0]), "总结报告 "+contract) {
		t.Errorf("saved %v", files)
	}

	if code := cmdPrint(append([]string{"--contract", contract, "--docs", "notice", "--printer", "没有这台"}, common...)); code != exitError {
		t.Errorf("unknown printer: exit %d", code)
	}
	if code := cmdPrint(append([]string{"--contract", contract, "--docs", "report,cards"}, common...)); code != exitError {
		t.Errorf("unknown document: exit %d", code)
	}
	if code := cmdPrint(append([]string{"--docs", "report"}, common...)); code != exitUsage {
		t.Errorf("no contract or exam: exit %d", code)
	}
	if got := len(rec.Printed()); got != 2*len(jobs) {
		t.Errorf("refused runs printed: %d jobs", got)
	}
}
