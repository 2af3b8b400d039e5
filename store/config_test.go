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

func TestPCSettingsFile_ServerModeRoundTrip(t *testing.T) {
	t.Setenv("OCCHEALTH_CONFIG_DIR", t.TempDir())
	if err := SaveWorkstationConfig(WorkstationConfig{Archive: "a.db", LISFolder: "lis"}); err != nil {
		t.Fatal(err)
	}
	var f PCSettingsFile
	s, err := f.LoadPCSettings()
	if err != nil || s.Mode != "" || s.Server != "" {
		t.Fatalf("before: %+v %v", s, err)
	}
	s.Mode, s.Server, s.ServerFingerprint = "server", "192.168.1.10:8443", "3F2A 9C01"
	if err := f.SavePCSettings(s); err != nil {
		t.Fatal(err)
	}
	got, err := f.LoadPCSettings()
	if err != nil || got != s {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	// The archive location, which PCSettings does not carry, is kept.
	if c, _ := LoadWorkstationConfig(); c.Archive != "a.db" || c.LISFolder != "lis" {
		t.Errorf("file lost fields: %+v", c)
	}
}
