package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"occhealth/app/criteria"
	"occhealth/assets"
)

// TestCoverageDoc fails when docs/coverage.md is not what `occhealth rules coverage` writes
// (regenerate it with `go run . rules coverage -o docs/coverage.md`).
func TestCoverageDoc(t *testing.T) {
	set, err := criteria.Load(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := writeCoverageDoc(&want, set, ""); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("docs/coverage.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Error("docs/coverage.md is stale: regenerate it with `go run . rules coverage -o docs/coverage.md`")
	}
}

// TestCoverage_VPImplemented: issue 5 requires every [V] and [P] numeric criterion to be
// implemented; the summary names any that is not.
func TestCoverage_VPImplemented(t *testing.T) {
	set, err := criteria.Load(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	rows := set.Coverage("")
	for _, ed := range []string{"2014", "2025"} {
		s := summarizeCoverage(rows, ed)
		if len(s.missing) > 0 {
			t.Errorf("%s: checkable V/P criteria not implemented: %s", ed, strings.Join(s.missing, ", "))
		}
		if s.criteria == 0 || s.implemented == 0 || s.implemented > s.checkable || s.checkable > s.criteria {
			t.Errorf("%s: counts %+v", ed, s)
		}
		t.Logf("GBZ 188-%s: %d criteria, %d machine-checkable, %d implemented", ed, s.criteria, s.checkable, s.implemented)
	}
}

// TestCmdRules_Formats runs the command: TSV has one line per row plus the header, a bad
// edition or format is a usage error.
func TestCmdRules_Formats(t *testing.T) {
	dir := t.TempDir()
	if code := cmdRules([]string{"coverage", "--edition", "2014", "--format", "tsv", "-o", dir + "/c.tsv"}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	b, err := os.ReadFile(dir + "/c.tsv")
	if err != nil {
		t.Fatal(err)
	}
	set, _ := criteria.Load(assets.Rules)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != len(set.Coverage("2014"))+1 || !strings.HasPrefix(lines[0], "危害因素代码\t") {
		t.Errorf("%d TSV lines for %d rows; header %q", len(lines), len(set.Coverage("2014")), lines[0])
	}
	for _, l := range lines[1:] {
		if f := strings.Split(l, "\t"); len(f) != 12 || f[2] != "2014" {
			t.Errorf("bad TSV line %q", l)
		}
	}
	for _, args := range [][]string{{"coverage", "--edition", "2020"}, {"coverage", "--format", "csv"}, {"list"}, {}} {
		if code := cmdRules(args); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
