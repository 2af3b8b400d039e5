package store

import (
	"occhealth/app"

	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// WorkstationConfig is this PC's own settings, kept in ConfigDir (not in the archive).
type WorkstationConfig struct {
	// Archive is the archive file when an administrator moved it from the default location.
	Archive string `json:"archive,omitempty"`
	// LISFolder is the folder of this PC (or a share it maps) into which a LIS or a device
	// drops result files; LISSource names the saved column mapping its files are read with.
	// The program's window watches it while a user allowed to import results is logged in,
	// when LISWatch is on.
	LISFolder string `json:"lis_folder,omitempty"`
	LISSource string `json:"lis_source,omitempty"`
	LISWatch  bool   `json:"lis_watch,omitempty"`
	// ReportPrinter and LabelPrinter are the printers 报告打印 chose last on this PC ("" for
	// the system default): documents, and the tube labels.
	ReportPrinter string `json:"report_printer,omitempty"`
	LabelPrinter  string `json:"label_printer,omitempty"`
	// Mode is "local" ("" too) or "server" (联网); Server and ServerFingerprint are the
	// server's address and pinned certificate in 联网 mode.
	Mode              string `json:"mode,omitempty"`
	Server            string `json:"server,omitempty"`
	ServerFingerprint string `json:"server_fingerprint,omitempty"`
}

func workstationConfigPath() string { return filepath.Join(ConfigDir(), "workstation.json") }

// LoadWorkstationConfig reads the settings; a missing file gives the defaults.
func LoadWorkstationConfig() (WorkstationConfig, error) {
	var c WorkstationConfig
	b, err := os.ReadFile(workstationConfigPath())
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	} else if err != nil {
		return c, err
	}
	return c, json.Unmarshal(b, &c)
}

// SaveWorkstationConfig writes the settings atomically.
func SaveWorkstationConfig(c WorkstationConfig) error {
	p := workstationConfigPath()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(p+".tmp", b, 0o600); err != nil {
		return err
	}
	return os.Rename(p+".tmp", p)
}

// ArchivePath is the archive this PC opens by default: the moved location from the
// workstation settings, else DefaultArchivePath.
func ArchivePath() string {
	if c, err := LoadWorkstationConfig(); err == nil && c.Archive != "" {
		return c.Archive
	}
	return DefaultArchivePath()
}

// CopyKeyRing copies the audit key ring of one archive path to another's, so that a moved
// archive keeps verifying with the same keys.
func CopyKeyRing(from, to string) error {
	b, err := os.ReadFile(KeyRingPath(from))
	if err != nil {
		return err
	}
	dst := KeyRingPath(to)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}

// PCSettingsFile implements app.PCSettingsStore over the workstation configuration file.
type PCSettingsFile struct{}

var _ app.PCSettingsStore = PCSettingsFile{}

// LoadPCSettings reads this PC's settings.
func (PCSettingsFile) LoadPCSettings() (app.PCSettings, error) {
	c, err := LoadWorkstationConfig()
	return app.PCSettings{LISFolder: c.LISFolder, LISSource: c.LISSource, LISWatch: c.LISWatch,
		ReportPrinter: c.ReportPrinter, LabelPrinter: c.LabelPrinter,
		Mode: c.Mode, Server: c.Server, ServerFingerprint: c.ServerFingerprint}, err
}

// SavePCSettings writes them, keeping the rest of the file (the archive location).
func (PCSettingsFile) SavePCSettings(s app.PCSettings) error {
	c, err := LoadWorkstationConfig()
	if err != nil {
		return err
	}
	c.LISFolder, c.LISSource, c.LISWatch = s.LISFolder, s.LISSource, s.LISWatch
	c.ReportPrinter, c.LabelPrinter = s.ReportPrinter, s.LabelPrinter
	c.Mode, c.Server, c.ServerFingerprint = s.Mode, s.Server, s.ServerFingerprint
	return SaveWorkstationConfig(c)
}
