package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/store"
	"occhealth/store/remote"
)

// serveConfig is what `occhealth serve` runs with.
type serveConfig struct {
	db        string // archive file or postgres://…
	listen    string
	configDir string // certificate, key, session secret
	dataDir   string // backups and attachments of a PostgreSQL archive
}

// cmdServe runs the application server: headless, no window. Workstations in 联网 mode call
// it over HTTPS and pin its certificate's fingerprint.
func cmdServe(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var cfg serveConfig
	fs.StringVar(&cfg.db, "db", defaultArchive(), "档案文件路径，或 PostgreSQL 地址 postgres://用户@主机/数据库")
	fs.StringVar(&cfg.listen, "listen", ":"+remote.DefaultPort, "监听地址（如 :8443 或 192.168.1.10:8443）")
	fs.StringVar(&cfg.configDir, "config", defaultServerConfigDir(), "服务器配置目录（证书、私钥、会话密钥）")
	fs.StringVar(&cfg.dataDir, "data", store.DefaultDataDir(), "PostgreSQL 档案的备份与附件目录")
	onlyFP := fs.Bool("fingerprint", false, "只打印证书指纹（没有证书时先创建）")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "用法: occhealth serve --db 档案.db|postgres://… --listen :端口 [--config 目录] [--data 目录] [--fingerprint]")
		fs.PrintDefaults()
	}
	if _, err := parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	cert, created, err := remote.LoadOrCreateCertificate(cfg.configDir)
	if err != nil {
		return fail(fmt.Errorf("服务器证书：%w", err))
	}
	if created {
		fmt.Printf("已创建自签名证书：%s\n", filepath.Join(cfg.configDir, remote.CertFile))
	}
	fmt.Printf("证书指纹（工作站首次连接时请核对）：\n  %s\n", remote.CertificateFingerprint(cert))
	if *onlyFP {
		return exitOK
	}
	return serveMain(cfg)
}

func defaultServerConfigDir() string { return filepath.Join(store.ConfigDir(), "server") }

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// runServer opens the store, serves until ctx ends, then shuts down gracefully (requests in
// flight finish, for up to 15 s) and closes the store. ready, when not nil, is called once
// listening.
func runServer(ctx context.Context, cfg serveConfig, logger *log.Logger) error {
	cert, _, err := remote.LoadOrCreateCertificate(cfg.configDir)
	if err != nil {
		return fmt.Errorf("服务器证书：%w", err)
	}
	secret, err := remote.LoadOrCreateSecret(cfg.configDir)
	if err != nil {
		return fmt.Errorf("会话密钥：%w", err)
	}
	a, where, err := openServerStoreIn(ctx, cfg.db, cfg.dataDir)
	if err != nil {
		return err
	}
	defer a.db.Close()
	svc := a.svc
	if svc.Changes == nil {
		if f, ok := any(a.db).(interface{ Changes() app.ChangeFeed }); ok {
			svc.Changes = f.Changes()
		}
	}
	// The server's own parts stay local to it: no printing, no drop folders, no PC settings.
	svc.Spooler, svc.Drops, svc.PC = nil, nil, nil
	svc.Catalog = resetReloads{svc.Catalog, svc.Catalogs}
	h := remote.NewServer(remote.ServerOptions{Services: svc, SessionUser: a.db.SessionUser, Secret: secret, Version: version, Log: logger})
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return app.Errorf(app.EUNAVAILABLE, "无法监听 %s（%v）：端口是否已被占用？", cfg.listen, err)
	}
	srv := &http.Server{Handler: h, TLSConfig: remote.ServerTLSConfig(cert), ReadHeaderTimeout: 15 * time.Second, ErrorLog: logger}
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	logger.Printf("职业健康工作站服务器 %s：档案 %s，监听 %s（协议 %d）", version, where, ln.Addr(), remote.Protocol)
	bctx, endBackups := context.WithCancel(ctx)
	backups := make(chan struct{})
	go func() { dailyBackups(bctx, a.db, logger, time.Hour); close(backups) }()
	defer func() { endBackups(); <-backups }() // the archive closes after the backup in progress
	a.startSealer()
	defer func() {
		if a.stopSealer != nil {
			a.stopSealer()
		}
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Printf("正在停止服务器…")
	h.CloseStreams()
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	logger.Printf("服务器已停止")
	return nil
}

// openServerStore opens the archive behind the server: a file with bbolt, or a PostgreSQL
// database.
func openServerStore(ctx context.Context, db string) (*archive, string, error) {
	return openServerStoreIn(ctx, db, store.DefaultDataDir())
}

// openServerStoreIn is openServerStore with the folder of a PostgreSQL archive's backups and
// attachments.
func openServerStoreIn(ctx context.Context, db, dataDir string) (*archive, string, error) {
	if isPostgres(db) {
		a, err := openPostgresArchive(ctx, db, dataDir)
		return a, redactDSN(db), err
	}
	a, err := openArchive(db, false)
	return a, db, err
}

// redactDSN hides a password in a connection string for the console.
func redactDSN(dsn string) string {
	if i, j := strings.Index(dsn, "://"), strings.LastIndex(dsn, "@"); i >= 0 && j > i {
		if k := strings.Index(dsn[i+3:j], ":"); k >= 0 {
			return dsn[:i+3+k] + ":***" + dsn[j:]
		}
	}
	return dsn
}

// resetReloads puts the bundled catalog back in force on the server when an administrator
// resets one (the window does the same for its own copy).
type resetReloads struct {
	app.CatalogService
	set *catalog.Set
}

func (r resetReloads) ResetCatalog(ctx context.Context, name string) error {
	if err := r.CatalogService.ResetCatalog(ctx, name); err != nil {
		return err
	}
	fresh, err := loadCatalogs()
	if err != nil {
		return err
	}
	if c, ok := fresh.Catalog(name); ok && r.set != nil {
		return r.set.Replace(name, c)
	}
	return nil
}

// dailyBackups makes the archive's daily backup on the server (the window makes it after a login
// in 单机 mode; workstations in 联网 mode have no archive to back up): at start and then every
// interval, once a day, as the backup settings say.
func dailyBackups(ctx context.Context, db interface {
	BackupIfDue(context.Context) (app.BackupInfo, bool, error)
}, logger *log.Logger, interval time.Duration) {
	bctx := app.NewContextWithWorkstation(ctx, "服务器")
	for {
		if info, made, err := db.BackupIfDue(bctx); err != nil {
			logger.Printf("每日自动备份失败: %v", err)
		} else if made {
			logger.Printf("每日自动备份: %s", info.Path)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
