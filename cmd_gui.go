package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"sync"

	fyneapp "fyne.io/fyne/v2/app"

	"occhealth/app"
	"occhealth/ui"
)

// cmdGUI opens the window on the archive.
func cmdGUI(args []string) int {
	fs, g := newFlags("gui")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	a, err := openArchive(g.db, false)
	if err != nil {
		code := fail(err)
		if app.ErrorCode(err) == app.ELOCKED {
			fmt.Fprintln(os.Stderr, "程序已在运行：同一档案只能在一个窗口中打开。")
		}
		showFatal(app.ErrorMessage(err))
		return code
	}
	defer a.db.Close()
	fa := fyneapp.NewWithID("cn.occhealth.workstation")
	var opened []*archive
	var mu sync.Mutex
	current := a // the archive the window shows: the demo one after 创建演示档案
	opts := ui.StartOptions{
		Services:    a.svc,
		ArchivePath: g.db,
		Workstation: workstation(),
		// The daily backup of the archive the user logged into, in the background.
		AfterLogin: func(ctx context.Context) {
			mu.Lock()
			db := current.db
			mu.Unlock()
			go func() {
				if info, made, err := db.BackupIfDue(ctx); err != nil {
					log.Printf("每日自动备份失败: %v", err)
				} else if made {
					log.Printf("每日自动备份: %s", info.Path)
				}
			}()
		},
	}
	opts.CreateDemo = func(progress func(done, total int)) (app.Services, string, error) {
		path := demoPath(g.db)
		d, _, err := createDemo(path, 2000, 1, progress)
		if err != nil {
			return app.Services{}, "", err
		}
		mu.Lock()
		opened = append(opened, d)
		current = d
		mu.Unlock()
		return d.svc, path, nil
	}
	w := ui.Start(fa, opts)
	w.ShowAndRun()
	for _, d := range opened {
		d.db.Close()
	}
	return exitOK
}
