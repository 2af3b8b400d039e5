package main

import (
	"path/filepath"
	"strings"
	"testing"

	"occhealth/demo"
)

// A demo archive migrated file → file: same counts and checksums, the audit chain verifies on
// the copy, the key ring travels with it, and the copy opens with every record.
func TestMigrateFileToFile(t *testing.T) {
	dir, path, _ := demoArchive(t, demo.Options{Workers: 40, Seed: 2})
	dst := filepath.Join(dir, "copy", "archive.db")
	rep, err := migrateArchive(t.Context(), path, dst)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Keys < 200 || !rep.Audit.OK || rep.Audit.Entries == 0 || rep.KeyRing == "" {
		t.Fatalf("report %+v", rep)
	}
	// A second migration into the same target is refused and leaves it as it was.
	if _, err := migrateArchive(t.Context(), path, dst); err == nil || !strings.Contains(err.Error(), "已存在") {
		t.Fatalf("second migration: %v", err)
	}
	if rc := run([]string{"verify", "--db", dst}); rc != exitOK {
		t.Fatalf("verify copy: exit %d", rc)
	}
	// --summary prints identical summaries for source and copy.
	src := captureStdout(t, func() { run([]string{"migrate", "--summary", "--from", path}) })
	cp := captureStdout(t, func() { run([]string{"migrate", "--summary", "--from", dst}) })
	if src == "" || src != cp {
		t.Fatalf("summaries differ:\n%s\n%s", src, cp)
	}
}
