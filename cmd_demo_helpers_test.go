package main

import (
	"os"
	"path/filepath"
	"testing"

	"occhealth/demo"
)

// demoArchive fills a demo archive in a temporary folder (with its own configuration folder)
// for the command tests, closed again, and writes the demo password to a file: it returns the
// folder, the archive path and the password file. Skipped with -short.
func demoArchive(t *testing.T, opts demo.Options) (dir, path, pw string) {
	t.Helper()
	if testing.Short() {
		t.Skip("fills a demo archive")
	}
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	dir = t.TempDir()
	path = filepath.Join(dir, "demo.db")
	a, _, err := createDemoWith(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	a.db.Close()
	pw = filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(demo.DemoPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, path, pw
}
