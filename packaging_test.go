package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// packaging/server-setup staged under --root writes the unit, the backup script and (for
// PostgreSQL) the timer with the chosen engine and port, and runs nothing on the machine.
func TestServerSetupStages(t *testing.T) {
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, engine := range []string{"postgres", "bbolt"} {
		t.Run(engine, func(t *testing.T) {
			root := t.TempDir()
			out, err := exec.Command("bash", "packaging/server-setup", "--root", root, "--engine", engine, "--port", "9443",
				"--binary", bin, "--lan", "10.1.2.0/24").CombinedOutput()
			if err != nil {
				t.Fatalf("server-setup: %v\n%s", err, out)
			}
			unit, err := os.ReadFile(filepath.Join(root, "etc/systemd/system/occhealth-server.service"))
			if err != nil {
				t.Fatal(err)
			}
			wantDB := "--db /var/lib/occhealth/archive.db"
			if engine == "postgres" {
				wantDB = "--db postgres:///occhealth?host=/var/run/postgresql"
			}
			if !strings.Contains(string(unit), "ExecStart=/usr/local/bin/occhealth serve "+wantDB+" --listen :9443") || !strings.Contains(string(unit), "User=occhealth") {
				t.Fatalf("unit:\n%s", unit)
			}
			if fi, err := os.Stat(filepath.Join(root, "usr/local/bin/occhealth")); err != nil || fi.Mode()&0o111 == 0 {
				t.Fatalf("binary: %v", err)
			}
			if fi, err := os.Stat(filepath.Join(root, "etc/occhealth")); err != nil || fi.Mode().Perm() != 0o700 {
				t.Fatalf("config dir: %v %v", fi.Mode(), err)
			}
			_, terr := os.Stat(filepath.Join(root, "etc/systemd/system/occhealth-backup.timer"))
			if (engine == "postgres") != (terr == nil) {
				t.Fatalf("backup timer for %s: %v", engine, terr)
			}
			for _, want := range []string{"ufw allow from 10.1.2.0/24 to any port 9443 proto tcp", "[staged, not run] systemctl enable --now occhealth-server.service", "安装完成"} {
				if !strings.Contains(string(out), want) {
					t.Fatalf("output lacks %q:\n%s", want, out)
				}
			}
			if engine == "postgres" && !strings.Contains(string(out), "createdb -O occhealth occhealth") {
				t.Fatalf("no database step:\n%s", out)
			}
		})
	}
	// Bad input is named.
	out, err := exec.Command("bash", "packaging/server-setup", "--root", t.TempDir(), "--engine", "mysql", "--binary", bin).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--engine 只能是 bbolt 或 postgres") {
		t.Fatalf("bad engine: %v %s", err, out)
	}
}
