package store

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"occhealth/app"
)

// AppDirName is the folder name under the machine-wide data directory.
const AppDirName = "occhealth"

// DefaultDataDir returns the machine-wide data directory: %ProgramData%\occhealth on Windows,
// $XDG_DATA_HOME/occhealth or ~/.local/share/occhealth on Linux (XDG has no machine-wide
// writable data directory; a packaged install may set OCCHEALTH_DATA_DIR, e.g. to
// /var/lib/occhealth). OCCHEALTH_DATA_DIR overrides both.
func DefaultDataDir() string {
	if d := os.Getenv("OCCHEALTH_DATA_DIR"); d != "" {
		return d
	}
	if runtime.GOOS == "windows" {
		if pd := os.Getenv("ProgramData"); pd != "" {
			return filepath.Join(pd, AppDirName)
		}
		return filepath.Join(`C:\ProgramData`, AppDirName)
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, AppDirName)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), AppDirName)
	}
	return filepath.Join(home, ".local", "share", AppDirName)
}

// DefaultArchivePath is the archive file in the default data directory.
func DefaultArchivePath() string { return filepath.Join(DefaultDataDir(), "archive.db") }

// ConfigDir is where the audit key ring and workstation settings live, outside the archive:
// beside the data directory in a "config" folder that only the program uses, or
// OCCHEALTH_CONFIG_DIR.
func ConfigDir() string {
	if d := os.Getenv("OCCHEALTH_CONFIG_DIR"); d != "" {
		return d
	}
	if runtime.GOOS == "windows" {
		return filepath.Join(DefaultDataDir(), "config")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, AppDirName)
	}
	return filepath.Join(DefaultDataDir(), "config")
}

// KeyRingPath is the audit key ring file for an archive. Each archive has its own key ring,
// named after the archive file, so a demo archive and the real one never share a chain key.
func KeyRingPath(archive string) string {
	abs, err := filepath.Abs(archive)
	if err != nil {
		abs = archive
	}
	name := strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	return filepath.Join(ConfigDir(), "keys", name+"-"+shortPathHash(abs)+".json")
}

// CheckLocalPath refuses an archive path on a network drive: bbolt's file locking and mmap
// are unsafe over SMB/NFS, and the file corrupts. Use 联网 mode instead.
func CheckLocalPath(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if isNetworkPath(abs) {
		return app.Errorf(app.EUNSAFE, "档案不能放在网络驱动器或共享文件夹（%s）：多台电脑共用一个档案请使用“联网”模式，由服务器保存档案。备份可以放到共享文件夹。", abs)
	}
	return nil
}

// CheckWritableDir creates dir if needed and proves it writable with a probe file.
func CheckWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
