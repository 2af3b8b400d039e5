package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/demo"
)

// TestCmdReportExam prints the report of a demo archive's signed exam from the command line:
// both copies by default, one with --copy; an unsigned exam is refused without a file.
func TestCmdReportExam(t *testing.T) {
	dir, path, pw := demoArchive(t, demo.Options{Workers: 300, Seed: 5})
	common := []string{"--db", path, "--user", "dengji", "--password-file", pw}

	a, ctx, err := login(&globals{db: path, user: "dengji", passwordFile: pw})
	if err != nil {
		t.Fatal(err)
	}
	exams, _, err := a.svc.Exams.FindExams(ctx, app.ExamFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var signed, worker, unsigned string
	for _, e := range exams {
		switch e.State {
		case app.ExamConcluded, app.ExamReviewed, app.ExamReleased:
			if signed == "" {
				full, err := a.svc.Exams.FindExamByID(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				if full.Record != nil && full.Record.Parties != nil {
					signed, worker = full.Number, full.Record.Parties.Worker.Name
				}
			}
		case app.ExamRegistered, app.ExamInProgress, app.ExamAwaiting:
			if unsigned == "" {
				unsigned = e.Number
			}
		}
	}
	a.db.Close()
	if signed == "" || unsigned == "" {
		t.Fatalf("demo archive without a signed exam (%q) or an unsigned one (%q)", signed, unsigned)
	}

	both := filepath.Join(dir, "both.pdf")
	if code := cmdReport(append([]string{"exam", signed, "-o", both}, common...)); code != exitOK {
		t.Fatalf("report of %s: exit %d", signed, code)
	}
	one := filepath.Join(dir, "one.pdf")
	if code := cmdReport(append([]string{"exam", "--copy", "用人单位留存", signed, "-o", one}, common...)); code != exitOK {
		t.Fatalf("one copy of %s: exit %d", signed, code)
	}
	for _, f := range []string{both, one} {
		if b, err := os.ReadFile(f); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Errorf("%s: not a PDF (%v)", f, err)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text := func(f string) string {
			out, err := exec.Command("pdftotext", f, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			return string(out)
		}
		b, o := text(both), text(one)
		if !strings.Contains(b, "劳动者留存") || !strings.Contains(b, "用人单位留存") || !strings.Contains(b, worker) || !strings.Contains(b, signed) {
			t.Errorf("both copies: %.300s", b)
		}
		if strings.Contains(o, "劳动者留存") || !strings.Contains(o, "用人单位留存") {
			t.Errorf("one copy: %.300s", o)
		}
	}

	out := filepath.Join(dir, "no.pdf")
	if code := cmdReport(append([]string{"exam", unsigned, "-o", out}, common...)); code != exitError {
		t.Errorf("unsigned exam %s: exit %d, want %d", unsigned, code, exitError)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a PDF was written for an unsigned exam")
	}
	if code := cmdReport(append([]string{"exam", "-o", out}, common...)); code != exitUsage {
		t.Errorf("no exam number: exit %d, want %d", code, exitUsage)
	}
	if code := cmdReport(append([]string{"exam", signed}, common...)); code != exitUsage {
		t.Errorf("no -o: exit %d, want %d", code, exitUsage)
	}
}
