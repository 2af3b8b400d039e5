package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"

	fyneapp "fyne.io/fyne/v2/app"

	"occhealth/app"
	"occhealth/reports"
	"occhealth/reports/lisdrop"
	"occhealth/store"
	"occhealth/store/remote"
	"occhealth/ui"
)

// cmdGUI opens the window: on this PC's archive (单机), or — when this PC's settings say 联网
// and no --db was given — on the server pinned there, without opening the local archive.
func cmdGUI(args []string) int {
	fs, g := newFlags("gui")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	dbGiven := false
	fs.Visit(func(f *flag.Flag) { dbGiven = dbGiven || f.Name == "db" })
	pc := store.PCSettingsFile{}
	cfg, err := pc.LoadPCSettings()
	if err != nil {
		log.Printf("读取本机设置失败: %v", err) // the defaults (单机) still work
	}
	gw := &guiArchives{path: g.db}
	defer gw.closeAll()
	opts := ui.StartOptions{
		Workstation: workstation(),
		PC:          pc,
		Connector:   guiConnector(),
		// The daily backup of the archive the user logged into, in the background (单机 only:
		// the server backs its own store up).
		AfterLogin: func(ctx context.Context) {
			db := gw.currentDB()
			if db == nil {
				return
			}
			go func() {
				if info, made, err := db.BackupIfDue(ctx); err != nil {
					log.Printf("每日自动备份失败: %v", err)
				} else if made {
					log.Printf("每日自动备份: %s", info.Path)
				}
			}()
		},
	}
	opts.Connect = func(ctx context.Context, address, fingerprint string) (app.Services, error) {
		svc, err := opts.Connector.Connect(ctx, address, fingerprint)
		if err != nil {
			return svc, err
		}
		// This PC's own parts: its settings, LIS folder, printers and document rendering.
		svc.PC, svc.Drops, svc.Spooler = pc, lisdrop.Folders{}, newSpooler()
		svc.Documents, svc.Exchange = reports.Documents{}, reports.XLSXCatalogExchange{}
		gw.useServer()
		return svc, nil
	}
	opts.OpenLocal = gw.openLocal
	if cfg.Mode != app.ModeServer || dbGiven {
		svc, path, err := gw.openLocal()
		if err != nil {
			code := fail(err)
			if app.ErrorCode(err) == app.ELOCKED {
				fmt.Fprintln(os.Stderr, "程序已在运行：同一档案只能在一个窗口中打开。")
			}
			showFatal(app.ErrorMessage(err))
			return code
		}
		opts.Services, opts.ArchivePath = svc, path
	}
	opts.CreateDemo = func(progress func(done, total int)) (app.Services, string, error) {
		path := demoPath(g.db)
		d, _, err := createDemo(path, 2000, 1, progress)
		if err != nil {
			return app.Services{}, "", err
		}
		gw.add(d, path)
		return d.svc, path, nil
	}
	fa := fyneapp.NewWithID("cn.occhealth.workstation")
	w := ui.Start(fa, opts)
	w.ShowAndRun()
	return exitOK
}

// guiConnector reaches servers for 联网 with this program's catalogs and rule table.
func guiConnector() remote.Connector {
	opts := remote.Options{Workstation: workstation(), Version: version, Catalogs: loadCatalogs}
	if table, err := loadRules(); err == nil {
		opts.Rules = table
	} else {
		log.Printf("load GBZ 188 rules: %v", err)
	}
	return remote.Connector{Options: opts}
}

// guiArchives are the archives the window opened in this process: this PC's (opened once and
// kept for a switch back from 联网) and a demo archive; current is the one on display (nil
// while the window works on a server).
type guiArchives struct {
	mu      sync.Mutex
	path    string
	local   *archive
	opened  []*archive
	current *archive
}

// openLocal opens this PC's archive, or returns it when it is open already.
func (g *guiArchives) openLocal() (app.Services, string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.local == nil {
		a, err := openArchive(g.path, false)
		if err != nil {
			return app.Services{}, "", err
		}
		g.local = a
		g.opened = append(g.opened, a)
		a.startSealer()
	}
	g.current = g.local
	return g.local.svc, g.path, nil
}

func (g *guiArchives) add(a *archive, path string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.opened = append(g.opened, a)
	g.current = a
}

func (g *guiArchives) useServer() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.current = nil
}

func (g *guiArchives) currentDB() interface {
	BackupIfDue(context.Context) (app.BackupInfo, bool, error)
} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.current == nil {
		return nil
	}
	return g.current.db
}

func (g *guiArchives) closeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, a := range g.opened {
		a.close()
	}
}
