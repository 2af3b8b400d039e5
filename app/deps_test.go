package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the import arrows of DESIGN.md: app imports only the standard library
// (and its own stdlib-only sub-packages); ui, store and reports never import each other the
// wrong way, and only main imports fyne's app package.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", "occhealth/app/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[1] == "false" && !strings.HasPrefix(f[0], "occhealth/app") {
			t.Errorf("app depends on %s, outside the standard library", f[0])
		}
	}
	rules := map[string][]string{ // package → forbidden import prefixes
		"occhealth/ui":      {"occhealth/store", "occhealth/reports", "fyne.io/fyne/v2/app", "go.etcd.io/bbolt"},
		"occhealth/store":   {"occhealth/ui", "occhealth/reports", "fyne.io/"},
		"occhealth/reports": {"occhealth/ui", "occhealth/store", "fyne.io/"},
		"occhealth/assets":  {"occhealth/"},
	}
	for pkg, bad := range rules {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg+"/...").CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "matched no packages") || strings.Contains(string(out), "no Go files") {
				continue
			}
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if strings.HasPrefix(dep, b) && !strings.HasPrefix(dep, pkg) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}
