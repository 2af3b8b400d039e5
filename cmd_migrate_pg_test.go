package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"occhealth/demo"
	"occhealth/internal/pgtest"
	"occhealth/store/transfer"
)

// summaryOf reads an archive's per-bucket summary.
func summaryOf(t *testing.T, db string) transfer.Summary {
	t.Helper()
	s, err := archiveSummary(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A demo archive goes file → PostgreSQL → file: every bucket identical at each step, the audit
// chain verifies on PostgreSQL and on the file it comes back to; a non-empty database is refused.
func TestMigrateThroughPostgres(t *testing.T) {
	dir, path, _ := demoArchive(t, demo.Options{Workers: 40, Seed: 4})
	dsn := pgURL(t, pgtest.Start(t))
	rep, err := migrateArchive(t.Context(), path, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Audit.OK || rep.Summary.Keys == 0 {
		t.Fatalf("to postgres: %+v", rep)
	}
	orig := summaryOf(t, path)
	inPG := summaryOf(t, dsn)
	sameButMigrationEntry(t, orig, inPG)
	back := filepath.Join(dir, "back.db")
	if rep, err := migrateArchive(t.Context(), dsn, back); err != nil || !rep.Audit.OK {
		t.Fatalf("back: %+v %v", rep, err)
	}
	sameButMigrationEntry(t, inPG, summaryOf(t, back))
	if _, err := migrateArchive(t.Context(), back, dsn); err == nil || !strings.Contains(err.Error(), "已有数据") {
		t.Fatalf("into a non-empty database: %v", err)
	}
	if rc := run([]string{"verify", "--db", dsn}); rc != exitOK {
		t.Fatalf("verify on postgres: exit %d", rc)
	}
}

// The restore drill as an administrator runs it: the backup script packaging/server-setup
// installs takes a pg_dump of the archive; packaging/restore-drill restores it into a scratch
// database, verifies the audit chain there and finds every bucket identical to the archive's.
func TestRestoreDrill(t *testing.T) {
	_, path, _ := demoArchive(t, demo.Options{Workers: 40, Seed: 6})
	kw := pgtest.Start(t)
	dsn := pgURL(t, kw)
	if _, err := migrateArchive(t.Context(), path, dsn); err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	for _, f := range strings.Fields(kw) {
		k, v, _ := strings.Cut(f, "=")
		fields[k] = v
	}
	for _, tool := range []string{"pg_dump", "pg_restore", "createdb", "dropdb"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed: %v", tool, err)
		}
	}
	env := append(os.Environ(), "PGHOST="+fields["host"], "PGPORT="+fields["port"], "PGUSER="+fields["user"])

	// The backup script, as server-setup writes it.
	root := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "packaging/server-setup", "--root", root, "--engine", "postgres", "--binary", self, "--keep-days", "3").CombinedOutput(); err != nil {
		t.Fatalf("server-setup: %v\n%s", err, out)
	}
	backups := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "usr/local/lib/occhealth/backup"))
	cmd.Env = append(env, "OCCHEALTH_BACKUP_DIR="+backups, "OCCHEALTH_PGDATABASE="+fields["dbname"])
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	dumps, _ := filepath.Glob(filepath.Join(backups, "occhealth-*.dump"))
	if len(dumps) != 1 {
		t.Fatalf("dumps: %v", dumps)
	}

	// The program, for the drill script: this test binary running main.
	wrapper := filepath.Join(t.TempDir(), "occhealth")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nOCCHEALTH_TEST_MAIN=1 exec "+self+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	drill := exec.Command("bash", "packaging/restore-drill", "--dump", dumps[0], "--compare", fields["dbname"], "--host", fields["host"], "--binary", wrapper)
	drill.Env = env
	out, err := drill.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "恢复演练通过") || !strings.Contains(string(out), "校验通过") {
		t.Fatalf("restore drill: %v\n%s", err, out)
	}
	// A damaged dump fails the drill.
	bad := filepath.Join(t.TempDir(), "bad.dump")
	raw, _ := os.ReadFile(dumps[0])
	os.WriteFile(bad, raw[:len(raw)/2], 0o600)
	drill = exec.Command("bash", "packaging/restore-drill", "--dump", bad, "--host", fields["host"], "--binary", wrapper)
	drill.Env = env
	if out, err := drill.CombinedOutput(); err == nil {
		t.Fatalf("a damaged dump passed the drill:\n%s", out)
	}
}
