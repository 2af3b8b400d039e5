package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"occhealth/app"
	"occhealth/demo"
)

// TestCmdReportSummarySettlement prints a demo contract's summary report and settlement sheet
// from the command line, and refuses a contract without agreed sets, an unknown contract, a
// bad date and missing flags.
func TestCmdReportSummarySettlement(t *testing.T) {
	dir, path, pw := demoArchive(t, demo.Options{Workers: 300, Seed: 5})
	common := []string{"--db", path, "--user", "demo", "--password-file", pw, "--date", "2026-12-20"}

	// The contract with the most signed exams.
	a, ctx, err := login(&globals{db: path, user: "demo", passwordFile: pw})
	if err != nil {
		t.Fatal(err)
	}
	cs, _, err := a.svc.Contracts.FindContracts(ctx, app.ContractFilter{})
	if err != nil || len(cs) == 0 {
		t.Fatalf("contracts: %v (%d)", err, len(cs))
	}
	// A signed exam with a recheck order, for the 复查通知书.
	all, _, err := a.svc.Exams.FindExams(ctx, app.ExamFilter{})
	if err != nil {
		t.Fatal(err)
	}
	recheck := ""
	for _, e := range all {
		if e.State != app.ExamConcluded && e.State != app.ExamReviewed && e.State != app.ExamReleased {
			continue
		}
		full, err := a.svc.Exams.FindExamByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Record.Conclusion != nil && full.Record.Conclusion.Recheck != nil {
			recheck = full.Number
			break
		}
	}
	var best *app.Contract
	most := 0
	for _, c := range cs {
		n := 0
		for _, st := range []app.ExamState{app.ExamConcluded, app.ExamReviewed, app.ExamReleased} {
			es, _, err := a.svc.Exams.FindExams(ctx, app.ExamFilter{ContractID: c.ID, State: st})
			if err != nil {
				t.Fatal(err)
			}
			n += len(es)
		}
		if n > most {
			best, most = c, n
		}
	}
	a.db.Close()
	if best == nil {
		t.Fatal("demo archive without a signed exam under a contract")
	}

	if recheck == "" {
		t.Fatal("demo archive without a signed recheck order")
	}
	notice := filepath.Join(dir, "recheck.pdf")
	if code := cmdReport(append([]string{"notice", "--exam", recheck, "--kind", "recheck", "--to", "劳动者", "-o", notice}, common[:len(common)-2]...)); code != exitOK {
		t.Errorf("复查通知书 of %s: exit %d", recheck, code)
	} else if b, err := os.ReadFile(notice); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("%s: not a PDF (%v)", notice, err)
	} else if d := os.Getenv("OCCHEALTH_PDF_OUT"); d != "" {
		_ = os.WriteFile(filepath.Join(d, "cmd-recheck.pdf"), b, 0o644)
	}

	out := filepath.Join(dir, "summary.pdf")
	if code := cmdReport(append([]string{"summary", "--contract", best.Number, "-o", out}, common...)); code != exitOK {
		t.Fatalf("summary of %s: exit %d", best.Number, code)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("%s: not a PDF (%v)", out, err)
	}
	if code := cmdReport(append([]string{"summary", "--contract", "HT-不存在", "-o", out}, common...)); code != exitError {
		t.Errorf("unknown contract: exit %d, want %d", code, exitError)
	}
	if code := cmdReport([]string{"summary", "-o", out}); code != exitUsage {
		t.Errorf("no --contract: exit %d, want %d", code, exitUsage)
	}
	bad := append([]string{"summary", "--contract", best.Number, "-o", out}, common[:len(common)-2]...)
	if code := cmdReport(append(bad, "--date", "20.12.2026")); code != exitError {
		t.Errorf("bad date: exit %d, want %d", code, exitError)
	}

	// A contract without agreed sets: the settlement sheet says so, and writes nothing; with a
	// set agreed and taken by the contract's exams, it prints. (The demo agrees a set for every
	// contract: take it away first.)
	sheet := filepath.Join(dir, "settlement.pdf")
	setPackages := func(ps []app.ContractPackage) {
		t.Helper()
		a, ctx, err := login(&globals{db: path, user: "demo", passwordFile: pw})
		if err != nil {
			t.Fatal(err)
		}
		defer a.db.Close()
		c, err := a.svc.Contracts.FindContractByID(ctx, best.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Packages = ps
		if err := a.svc.Contracts.UpdateContract(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	setPackages(nil)
	if code := cmdReport(append([]string{"settlement", "--contract", best.Number, "-o", sheet}, common...)); code != exitError {
		t.Errorf("settlement without sets: exit %d, want %d", code, exitError)
	}
	if _, err := os.Stat(sheet); err == nil {
		t.Error("a settlement sheet was written for a contract without sets")
	}
	a, ctx, err = login(&globals{db: path, user: "demo", passwordFile: pw})
	if err != nil {
		t.Fatal(err)
	}
	p := &app.ExamPackage{Name: "在岗基础套餐", Active: true, Groups: []app.PackageGroup{{GroupCode: "G0101", PriceFen: 2500}}}
	if err := a.svc.Packages.CreatePackage(ctx, p); err != nil {
		t.Fatal(err)
	}
	a.db.Close()
	setPackages([]app.ContractPackage{{PackageID: p.ID, Name: p.Name, PriceFen: 23050}})
	if code := cmdReport(append([]string{"settlement", "--contract", best.Number, "-o", sheet}, common...)); code != exitOK {
		t.Fatalf("settlement of %s: exit %d", best.Number, code)
	}
	if b, err := os.ReadFile(sheet); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("%s: not a PDF (%v)", sheet, err)
	} else if d := os.Getenv("OCCHEALTH_PDF_OUT"); d != "" {
		_ = os.WriteFile(filepath.Join(d, "cmd-settlement.pdf"), b, 0o644)
	}
	if code := cmdReport([]string{"settlement", "--contract", best.Number}); code != exitUsage {
		t.Errorf("no -o: exit %d, want %d", code, exitUsage)
	}
}
