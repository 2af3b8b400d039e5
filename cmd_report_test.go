package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"occhealth/app"
	"occhealth/demo"
)

// TestCmdReportNotice prints the notices of a demo archive's signed exams from the command
// line, and refuses an unsigned exam, a wrong kind and a broken wording file.
func TestCmdReportNotice(t *testing.T) {
	dir, path, pw := demoArchive(t, demo.Options{Workers: 400, Seed: 3})
	common := []string{"--db", path, "--user", "zhujian", "--password-file", pw}

	// Find a signed exam with a contraindication (or suspected disease) and an unsigned one.
	a, ctx, err := login(&globals{db: path, user: "zhujian", passwordFile: pw})
	if err != nil {
		t.Fatal(err)
	}
	exams, _, err := a.svc.Exams.FindExams(ctx, app.ExamFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var signed, kind, unsigned string
	for _, e := range exams {
		full, err := a.svc.Exams.FindExamByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Record == nil || full.Record.Signature == nil {
			if unsigned == "" && !full.Recheck {
				unsigned = full.Number
			}
			continue
		}
		for _, h := range full.Record.Conclusion.Hazards {
			if signed == "" && (h.Code == app.ConclusionContraindication || h.Code == app.ConclusionSuspected) {
				signed, kind = full.Number, map[string]string{app.ConclusionContraindication: app.NoticeContraindication, app.ConclusionSuspected: app.NoticeSuspected}[h.Code]
			}
		}
	}
	a.db.Close()
	if signed == "" || unsigned == "" {
		t.Fatalf("demo archive without a signed notice exam (%q) or an unsigned one (%q)", signed, unsigned)
	}

	for _, to := range []string{"劳动者", "用人单位"} {
		out := filepath.Join(dir, to+".pdf")
		if code := cmdReport(append([]string{"notice", "--exam", signed, "--kind", kind, "--to", to, "-o", out}, common...)); code != exitOK {
			t.Fatalf("notice of %s to %s: exit %d", signed, to, code)
		}
		if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Errorf("%s: not a PDF (%v)", out, err)
		}
	}
	out := filepath.Join(dir, "no.pdf")
	if code := cmdReport(append([]string{"notice", "--exam", unsigned, "--kind", kind, "-o", out}, common...)); code != exitError {
		t.Errorf("unsigned exam %s: exit %d, want %d", unsigned, code, exitError)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a PDF was written for an unsigned exam")
	}
	if code := cmdReport(append([]string{"notice", "--exam", signed, "--kind", "warning", "-o", out}, common...)); code != exitUsage {
		t.Errorf("kind warning: exit %d, want %d", code, exitUsage)
	}
	bad := filepath.Join(dir, "wording.json")
	_ = os.WriteFile(bad, []byte(`{"texts":{}}`), 0o644)
	if code := cmdReport(append([]string{"notice", "--exam", signed, "--kind", kind, "-o", out, "--wording", bad}, common...)); code != exitError {
		t.Errorf("broken wording file: exit %d, want %d", code, exitError)
	}
}
