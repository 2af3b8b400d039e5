package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWorkstationConfig_LISFolderRoundTrip(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("OCCHEALTH_CONFIG_DIR", dir)
	c, err := LoadWorkstationConfig()
	if err != nil || c != (WorkstationConfig{}) {
		t.Fatalf("missing file: %+v %v", c, err)
	}
	// A file written before the LIS fields reads with them empty.
	if err := os.WriteFile(filepath.Join(dir, "workstation.json"), []byte(`{"archive": "D:\\档案\\archive.db"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = LoadWorkstationConfig()
	if err != nil || c.Archive != `D:\档案\archive.db` || c.LISFolder != "" || c.LISWatch {
		t.Fatalf("old file: %+v %v", c, err)
	}
	c.LISFolder, c.LISSource, c.LISWatch = `D:\LIS结果`, "检验科LIS", true
	if err := SaveWorkstationConfig(c); err != nil {
		t.Fatal(err)
	}
	got, err := LoadWorkstationConfig()
	if err != nil || got != c {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if ArchivePath() != c.Archive {
		t.Errorf("archive path %q", ArchivePath())
	}
	// Empty fields are left out of the file.
	if err := SaveWorkstationConfig(WorkstationConfig{Archive: "a.db"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "workstation.json"))
	if strings.Contains(string(b), "lis_") {
		t.Errorf("empty LIS fields written:\n%s", b)
	}
}
