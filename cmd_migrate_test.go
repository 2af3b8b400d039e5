package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/demo"
	"occhealth/store/transfer"
)

// A demo archive migrated file → file: same counts and checksums, the audit chain verifies on
// the copy, the key ring travels with it, and the copy opens with every record.
func TestMigrateFileToFile(t *testing.T) {
	dir, path, _ := demoArchive(t, demo.Options{Workers: 40, Seed: 2})
	scan := addAttachment(t, path)
	dst := filepath.Join(dir, "copy", "archive.db")
	rep, err := migrateArchive(t.Context(), path, dst)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Keys < 200 || !rep.Audit.OK || rep.Audit.Entries == 0 || rep.KeyRing == "" || rep.Attachments != 1 {
		t.Fatalf("report %+v", rep)
	}
	// --summary: the copy holds the source's every bucket, the audit log one entry more.
	var src, cp transfer.Summary
	for _, x := range []struct {
		db  string
		sum *transfer.Summary
	}{{path, &src}, {dst, &cp}} {
		out := captureStdout(t, func() { run([]string{"migrate", "--summary", "--from", x.db}) })
		if err := json.Unmarshal([]byte(out), x.sum); err != nil {
			t.Fatalf("summary of %s: %v\n%s", x.db, err, out)
		}
	}
	sameButMigrationEntry(t, src, cp)
	// The copy serves the attachment, and says in its audit log where it came from.
	b, err := openArchive(dst, true)
	if err != nil {
		t.Fatal(err)
	}
	actx := demoLogin(t, b)
	if got, err := b.svc.Contracts.Attachment(actx, scan.SHA256); err != nil || string(got) != "扫描件内容" {
		t.Fatalf("attachment on the copy: %q %v", got, err)
	}
	entries, _, err := b.svc.Audit.FindAudit(actx, app.AuditFilter{Entity: "archive"})
	migrations := 0
	for _, e := range entries {
		if e.Action == "archive.migrate" && strings.Contains(e.Note, "迁移而来") && strings.Contains(e.Note, "附件 1 个") {
			migrations++
		}
	}
	if err != nil || migrations != 1 {
		t.Fatalf("migration audit: %+v %v", entries, err)
	}
	b.db.Close()
	// A second migration into the same target is refused and leaves it as it was.
	if _, err := migrateArchive(t.Context(), path, dst); err == nil || !strings.Contains(err.Error(), "已存在") {
		t.Fatalf("second migration: %v", err)
	}
	if rc := run([]string{"verify", "--db", dst}); rc != exitOK {
		t.Fatalf("verify copy: exit %d", rc)
	}
}

// sameButMigrationEntry compares two summaries: identical, except that the audit log of the
// copy holds the one migration entry more.
func sameButMigrationEntry(t *testing.T, src, cp transfer.Summary) {
	t.Helper()
	strip := func(s transfer.Summary) (transfer.Summary, int) {
		var out transfer.Summary
		audit := 0
		for _, b := range s.Buckets {
			if b.Name == "audit" {
				audit = b.Keys
			}
			switch b.Name {
			case "audit", "audit_latest":
				b.SHA256, b.Keys, b.Seq = "", 0, 0
			case "meta": // holds the audit chain's head; its other keys must all be there
				b.SHA256 = ""
			}
			out.Buckets = append(out.Buckets, b)
		}
		return out, audit
	}
	a, na := strip(src)
	b, nb := strip(cp)
	if d := transfer.Compare(a, b); d != "" || nb != na+1 {
		t.Fatalf("copy differs: %s; audit entries %d → %d", d, na, nb)
	}
}

// addAttachment stores a scanned document on the archive's first contract.
func addAttachment(t *testing.T, path string) app.Attachment {
	t.Helper()
	a, err := openArchive(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	ctx := demoLogin(t, a)
	cs, _, err := a.svc.Contracts.FindContracts(ctx, app.ContractFilter{})
	if err != nil || len(cs) == 0 {
		t.Fatalf("contracts: %v", err)
	}
	att, err := a.svc.Contracts.AddAttachment(ctx, cs[0].ID, "合同扫描件.pdf", "合同", []byte("扫描件内容"))
	if err != nil {
		t.Fatal(err)
	}
	return att
}

// demoLogin logs the demo administrator in.
func demoLogin(t *testing.T, a *archive) context.Context {
	t.Helper()
	u, err := a.svc.Auth.Login(context.Background(), "demo", demo.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	return app.NewContextWithUser(context.Background(), u)
}
